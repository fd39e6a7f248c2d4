"""Issue 5 benchmark: the run ledger on SQLite.

1. Record a run of 100,000 findings, then record a second run of 100,000 findings (90% the same,
   5% changed severity, 5% new; 5% of the first resolved) with waivers, drift and recording,
   i.e. ``after_run``. Goal: the second under 5 s.
2. A realistic practice (2,000 payers, 100 facilities, 500 providers, 50,000 referring): the
   whole check with and without the ledger (``after_run``), best of 3 each, in fresh processes;
   reports the ratio.

    python bench/bench_ledger.py [--findings 100000] [--database-url URL]

``--database-url`` runs part 1 on that database instead of a new SQLite file (an empty one: a
PostgreSQL database, say, to time COPY).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from measure import measure, python_code
from practice import write_practice

from syncguard.config import Settings
from syncguard.findings import CheckResult, Finding, InputSummary, Severity
from syncguard.ledger.hooks import after_run
from syncguard.registry.schema import open_registry

CHECK = """
import sys
from syncguard.api import check
from syncguard.config import Settings
settings = Settings.model_validate({"registry": {"database_url": sys.argv[1]}})
kinds = dict(zip(sys.argv[2::2], sys.argv[3::2]))
result = check(settings=settings, **kinds)
if LEDGER:
    from syncguard.ledger.hooks import after_run
    from syncguard.registry.schema import open_registry
    engine = open_registry(sys.argv[1])
    result = after_run(engine, result, settings=settings)
print(len(result.findings))
"""


def synthetic(count: int, *, offset: int, started: datetime, worse_every: int = 0) -> CheckResult:
    findings = []
    for n in range(offset, offset + count):
        severity = Severity.ERROR if worse_every and n % worse_every == 0 else Severity.WARNING
        findings.append(
            Finding(
                code="REF101",
                name="referring-npi-not-in-cmd",
                severity=severity,
                entity="referring",
                message=f"No CMD referring provider has NPI {n:010d}.",
                fix="Add the referring provider in CMD, or correct the NPI in WebPT.",
                record=f"Provider {n}",
                key=f"{n:010d}",
                file="webpt_referring.csv",
                row=n + 2,
                value=f"{n:010d}",
            )
        )
    inputs = [InputSummary("referring", "webpt_referring.csv", "0" * 64, count)]
    return CheckResult(findings, inputs, "bench", "bench", started_at=started)


def ledger_drift(work: Path, count: int, url: str | None = None) -> None:
    engine = open_registry(url or f"sqlite:///{work / 'ledger.db'}", create=True)
    day = datetime(2026, 11, 2, tzinfo=UTC)
    started = time.perf_counter()
    after_run(engine, synthetic(count, offset=0, started=day), settings=Settings())
    first = time.perf_counter() - started
    second_run = synthetic(count, offset=count // 20, started=day + timedelta(1), worse_every=20)
    started = time.perf_counter()
    annotated = after_run(engine, second_run, settings=Settings())
    second = time.perf_counter() - started
    engine.dispose()
    drift: dict[str, int] = {}
    for finding in annotated.findings:
        drift[finding.drift or "-"] = drift.get(finding.drift or "-", 0) + 1
    resolved = annotated.extra["resolved"]
    print(f"first run, {count:,} findings recorded: {first:.2f} s")
    print(f"second run, {count:,} findings, drift + record: {second:.2f} s (goal < 5 s)")
    print(f"  drift: {drift}, resolved: {len(resolved):,}")  # type: ignore[arg-type]


def realistic(work: Path) -> None:
    from syncguard.registry.importer import import_file

    files = write_practice(work / "practice")
    url = f"sqlite:///{work / 'practice' / 'registry.db'}"
    engine = open_registry(url, create=True)
    for kind, path in files.cmd.items():
        import_file(engine, kind, path, practice="default", settings=Settings())
    engine.dispose()
    arguments = [url, *[arg for kind, path in files.webpt.items() for arg in (kind, str(path))]]
    plain = [
        measure("check, no ledger", [*python_code(CHECK.replace("LEDGER", "False")), *arguments])
        for _ in range(3)
    ]
    ledger = [
        measure("check + ledger", [*python_code(CHECK.replace("LEDGER", "True")), *arguments])
        for _ in range(3)
    ]
    best_plain = min(plain, key=lambda m: m.seconds)
    best_ledger = min(ledger, key=lambda m: m.seconds)
    print(best_plain.line())
    print(best_ledger.line())
    print(f"check with / without the ledger: {best_ledger.seconds / best_plain.seconds:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--findings", type=int, default=100_000)
    parser.add_argument("--database-url", help="an empty database for part 1 (default: SQLite)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="syncguard-bench-ledger-"))
    try:
        ledger_drift(work, args.findings, args.database_url)
        realistic(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
