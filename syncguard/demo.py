"""The demo: import the bundled CMD exports into a registry, and check the bundled WebPT exports.

The demo data lives in the repository's ``fixtures/`` folder (``make_fixtures.py`` writes it):
a fictional practice whose WebPT lists carry a planted mix of problems, so a demo that reports
findings has worked. The registry is a throw-away SQLite file unless a path is given to keep.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import syncguard
from syncguard.config import Settings
from syncguard.errors import InputError
from syncguard.findings import CheckResult

DEMO_PRACTICE = "demo"
CMD_FILES = {
    "payers": "payers.csv",
    "facilities": "facilities.csv",
    "providers": "providers.csv",
    "referring": "referring.csv",
    "procedures": "procedures.csv",
}
WEBPT_FILES = {
    "payers": "webpt_payers.xlsx",
    "facilities": "webpt_facilities.csv",
    "providers": "webpt_providers.csv",
    "referring": "webpt_referring.csv",
}


def default_fixtures() -> Path:
    """Where a repository checkout (or an editable install) keeps the demo data."""
    return Path(syncguard.__file__).resolve().parent.parent / "fixtures"


def locate_fixtures(folder: Path | None = None) -> Path:
    """The demo data folder (``folder``, else the checkout's); InputError if files are missing."""
    root = folder if folder is not None else default_fixtures()
    needed = [Path("cmd", name) for name in CMD_FILES.values()]
    needed += [Path("webpt", name) for name in WEBPT_FILES.values()]
    missing = [str(path) for path in needed if not (root / path).is_file()]
    if missing:
        shown = ", ".join(missing[:3]) + (" ..." if len(missing) > 3 else "")
        raise InputError(
            f"demo data not found in {root} (missing {shown})",
            hint="run the demo from a syncguard checkout, or pass --fixtures with the path of "
            "its fixtures/ folder",
        )
    return root


def build_registry(database_url: str, fixtures: Path, *, settings: Settings) -> None:
    """Create the registry at ``database_url`` and import the demo's CMD exports into it."""
    from syncguard.registry.importer import import_file
    from syncguard.registry.schema import open_registry

    engine = open_registry(database_url, create=True)
    try:
        for kind, name in CMD_FILES.items():
            import_file(
                engine, kind, fixtures / "cmd" / name, practice=DEMO_PRACTICE, settings=settings
            )
    finally:
        engine.dispose()


def check_demo(database_url: str, fixtures: Path, *, settings: Settings) -> CheckResult:
    """Check the demo's WebPT exports against the registry at ``database_url``."""
    from syncguard.api import check

    webpt = fixtures / "webpt"
    return check(
        payers=webpt / WEBPT_FILES["payers"],
        facilities=webpt / WEBPT_FILES["facilities"],
        providers=webpt / WEBPT_FILES["providers"],
        referring=webpt / WEBPT_FILES["referring"],
        settings=settings,
        practice=DEMO_PRACTICE,
        database_url=database_url,
    )


def run_demo(
    fixtures: Path | None = None,
    *,
    registry: Path | None = None,
    settings: Settings | None = None,
) -> CheckResult:
    """The whole demo: a registry from ``fixtures/cmd`` (kept at ``registry`` if given), then
    the check of ``fixtures/webpt``. Built-in defaults apply unless ``settings`` are given."""
    folder = locate_fixtures(fixtures)
    settings = settings or Settings()
    with _registry_file(registry) as path:
        url = f"sqlite:///{path}"
        build_registry(url, folder, settings=settings)
        return check_demo(url, folder, settings=settings)


def unmatched_findings(result: CheckResult, fixtures: Path) -> list[str]:
    """How the findings differ from ``webpt/expected_findings.csv`` (empty when they agree,
    or when that list is absent, as in a folder of the user's own)."""
    path = fixtures / "webpt" / "expected_findings.csv"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as stream:
        expected = {(r["code"], r["file"], r["row_or_key"]) for r in csv.DictReader(stream)}
    found = {(f.code, f.file or "", str(f.row) if f.file else f.key) for f in result.findings}
    missed = [
        f"expected but not found: {code} at {_where(file, at)}"
        for code, file, at in sorted(expected - found)
    ]
    extra = [
        f"found but not planted: {code} at {_where(file, at)}"
        for code, file, at in sorted(found - expected)
    ]
    return missed + extra


def _where(file: str, row_or_key: str) -> str:
    return f"{file} row {row_or_key}" if file else f"registry key {row_or_key}"


def closing_note(result: CheckResult, html: Path, unmatched: list[str]) -> str:
    """What the demo tells the user after the report: whether it worked, and where the HTML is."""
    counts = ", ".join(
        # 'info' is uncountable, as in the check's summary line.
        f"{n} {label}{'s' if n != 1 and label != 'info' else ''}"
        for label, n in result.counts_by_severity().items()
    )
    if unmatched:
        head = f"syncguard demo: the check did not find what the demo data plants ({counts}):"
        lines = [head, *(f"  {line}" for line in unmatched)]
    else:
        lines = [
            f"syncguard demo: OK: the check found all {len(result.findings)} problems planted "
            f"in the demo data ({counts}); that is the demo working, not a failure.",
        ]
    uri = html.resolve().as_uri()
    lines.append(f"HTML report: {html} (open {uri} in a web browser)")
    return "\n".join(lines)


@contextmanager
def _registry_file(keep: Path | None) -> Iterator[Path]:
    if keep is not None:
        keep.parent.mkdir(parents=True, exist_ok=True)
        yield keep
        return
    with tempfile.TemporaryDirectory(prefix="syncguard-demo-") as folder:
        yield Path(folder) / "registry.db"
