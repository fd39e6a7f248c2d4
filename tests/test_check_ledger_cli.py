"""`syncguard check` records each run: drift against the last run, --fail-on-new, --no-ledger."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import FIXTURES


def _registry(run_syncguard, url: str) -> None:  # type: ignore[no-untyped-def]
    assert run_syncguard("--database-url", url, "init").exit_code == 0
    for kind in ("payers", "facilities", "providers", "referring"):
        done = run_syncguard(
            "--database-url", url, "registry", "import", kind, str(FIXTURES / "cmd" / f"{kind}.csv")
        )
        assert done.exit_code == 0, done.stderr


def _check(run_syncguard, url: str, *extra: str):  # type: ignore[no-untyped-def]
    return run_syncguard(
        "--database-url",
        url,
        "check",
        "--referring",
        str(FIXTURES / "webpt" / "webpt_referring.csv"),
        "--format",
        "json",
        *extra,
    )


def test_second_run_marks_findings_open_and_fail_on_new_passes(
    run_syncguard,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    _registry(run_syncguard, url)
    first = _check(run_syncguard, url)
    assert first.exit_code == 1, first.stderr
    assert {f["drift"] for f in json.loads(first.stdout)["findings"]} == {"new"}

    second = _check(run_syncguard, url, "--fail-on-new")
    assert second.exit_code == 0, second.stderr
    assert {f["drift"] for f in json.loads(second.stdout)["findings"]} == {"open"}

    listed = run_syncguard("--database-url", url, "runs", "list")
    assert listed.exit_code == 0, listed.stderr
    assert listed.stdout.count("check") >= 2


def test_no_ledger_records_nothing(run_syncguard, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    _registry(run_syncguard, url)
    quiet = _check(run_syncguard, url, "--no-ledger")
    assert quiet.exit_code == 1
    assert {f["drift"] for f in json.loads(quiet.stdout)["findings"]} == {None}
    recorded = _check(run_syncguard, url)
    assert {f["drift"] for f in json.loads(recorded.stdout)["findings"]} == {"new"}


def test_two_referring_providers_of_one_name_keep_their_own_findings(
    run_syncguard,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    # Two WebPT referring providers called 'Smith, John', each NPI mistyped (a wrong check
    # digit): known only by the name, they must still be two findings run after run.
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    _registry(run_syncguard, url)
    listed = tmp_path / "webpt_referring.csv"
    rows = ["Last Name,First Name,NPI", "Smith,John,1234567890", "Doe,Ann,1638724454"]
    listed.write_text("\n".join([*rows, "Smith,John,1234567891", ""]))

    def mistyped() -> list[dict[str, object]]:
        done = run_syncguard(
            "--database-url", url, "check", "--referring", str(listed), "--format", "json"
        )
        assert done.exit_code == 1, done.stderr
        return [f for f in json.loads(done.stdout)["findings"] if f["code"] == "NPI002"]

    first = mistyped()
    assert [f["value"] for f in first] == ["1234567890", "1234567891"]
    assert len({f["fingerprint"] for f in first}) == 2
    again = mistyped()
    assert [f["drift"] for f in again] == ["open", "open"]
    assert [f["fingerprint"] for f in again] == [f["fingerprint"] for f in first]
