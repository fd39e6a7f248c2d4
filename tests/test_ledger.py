"""The run ledger: recording, drift between runs, --fail-on-new, waivers, and the migration."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ledger_support import finding, mistyped_npi, result
from sqlalchemy import delete, select, update
from sqlalchemy.engine import Engine

from syncguard.config import Settings
from syncguard.findings import Finding, Severity
from syncguard.ledger.drift import FINDING, RUN, Seen, with_drift
from syncguard.ledger.fingerprint import fingerprint
from syncguard.ledger.history import load_run
from syncguard.ledger.hooks import after_run
from syncguard.ledger.waivers import WaiverSpec, add_waiver, list_waivers, remove_waiver
from syncguard.registry.schema import open_registry

DAY_ONE = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
DAY_TWO = DAY_ONE + timedelta(days=1)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = open_registry(database_url, create=True)
    yield engine
    engine.dispose()


def test_drift_new_open_changed_and_resolved(engine: Engine) -> None:
    first = after_run(
        engine,
        result([finding("A"), finding("B"), finding("C")], started=DAY_ONE),
        settings=Settings(),
    )
    assert [f.drift for f in first.findings] == ["new", "new", "new"]
    # The export was re-sorted (other rows), B got worse, C was fixed and D is new.
    second = after_run(
        engine,
        result(
            [
                finding("D", row=2),
                finding("B", row=3, severity=Severity.WARNING),
                finding("A", row=4),
            ],
            started=DAY_TWO,
        ),
        settings=Settings(),
    )
    drift = {f.key: f for f in second.findings}
    assert drift["A"].drift == "open" and drift["A"].first_seen == DAY_ONE
    assert drift["B"].drift == "changed" and drift["B"].previous_severity == Severity.ERROR
    assert drift["D"].drift == "new" and drift["D"].first_seen == DAY_TWO
    assert [f.key for f in second.extra["resolved"]] == ["C"]  # type: ignore[attr-defined]
    assert second.extra["previous_run_id"] == first.extra["run_id"]
    with engine.connect() as connection:
        run = connection.execute(select(RUN).where(RUN.c.id == second.extra["run_id"])).one()
    assert (run.status, run.new, run.resolved, run.errors, run.warnings) == ("complete", 1, 1, 2, 1)


def test_a_changed_value_is_drift_not_a_new_finding(engine: Engine) -> None:
    after_run(engine, result([finding("A", value="10023344")]), settings=Settings())
    again = after_run(engine, result([finding("A", value="10023351")]), settings=Settings())
    assert again.findings[0].drift == "changed"
    assert again.findings[0].previous_value == "10023344"


def test_fail_on_new_fails_only_on_new_or_worse(engine: Engine) -> None:
    after_run(engine, result([finding("A")]), settings=Settings())
    same = after_run(engine, result([finding("A")]), settings=Settings(), fail_on_new=True)
    assert same.exit_code == 0
    plain = after_run(engine, result([finding("A")]), settings=Settings(), fail_on_new=False)
    assert plain.exit_code == 1
    grown = after_run(
        engine, result([finding("A"), finding("E")]), settings=Settings(), fail_on_new=True
    )
    assert grown.exit_code == 1 and [f.key for f in grown.failing()] == ["E"]


def test_scopes_are_compared_separately(engine: Engine) -> None:
    after_run(engine, result([finding("A")]), settings=Settings(), scope="check:default:payers")
    other = after_run(
        engine, result([finding("A")]), settings=Settings(), scope="check:default:providers"
    )
    assert other.findings[0].drift == "new"


def test_waiver_hides_a_finding_until_it_expires(engine: Engine) -> None:
    today = date.today()
    spec = WaiverSpec("pay101", "name differs by contract", "J. Doe", "A", today + timedelta(1))
    add_waiver(engine, "default", spec)
    waived = after_run(
        engine, result([finding("A"), finding("B", code="PAY102")]), settings=Settings()
    )
    assert [f.waived for f in waived.findings] == [True, False]
    assert waived.exit_code == 1  # B still fails
    assert [f.key for f in waived.failing()] == ["B"]
    # The waiver expires: the finding is back, and that is drift.
    add_waiver(engine, "default", WaiverSpec("PAY101", "x", "J. Doe", "A", today - timedelta(1)))
    back = after_run(
        engine, result([finding("A"), finding("B", code="PAY102")]), settings=Settings()
    )
    assert back.findings[0].waived is False and back.findings[0].drift == "new"
    assert len(list_waivers(engine, "default")) == 1  # replaced, not duplicated
    assert remove_waiver(engine, "default", "PAY101", "A") is True
    assert remove_waiver(engine, "default", "PAY101", "A") is False


def test_code_wide_waiver_covers_every_key(engine: Engine) -> None:
    add_waiver(engine, "default", WaiverSpec("PAY101", "accepted for now", "ops"))
    waived = after_run(engine, result([finding("A"), finding("B")]), settings=Settings())
    assert all(f.waived for f in waived.findings) and waived.exit_code == 0


def test_migration_matches_the_table_models(engine: Engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    import syncguard.ledger.tables
    import syncguard.models  # noqa: F401

    with engine.connect() as connection:
        context = MigrationContext.configure(connection)
        diffs = compare_metadata(context, SQLModel.metadata)
    ledger_diffs = [d for d in diffs if "ledger" in repr(d)]
    assert ledger_diffs == []


@settings(max_examples=30, deadline=None)
@given(
    # Unique as the fingerprint sees keys (stripped, case-folded): 'Æ' and 'æ' are one record.
    st.lists(
        st.text(min_size=1, max_size=12),
        min_size=1,
        max_size=20,
        unique_by=lambda key: key.strip().casefold(),
    ),
    st.randoms(),
)
def test_reordering_rows_changes_no_fingerprint(keys: list[str], rng: random.Random) -> None:
    before = [finding(key, row=row) for row, key in enumerate(keys, 2)]
    shuffled = list(keys)
    rng.shuffle(shuffled)
    after = [finding(key, row=row) for row, key in enumerate(shuffled, 2)]
    first, _ = with_drift(result(before), {}, None)
    previous = {fingerprint("p", f): Seen.of(f) for f in first.findings}
    again, gone = with_drift(result(after, practice="p"), previous, 1)
    assert {f.drift for f in again.findings} == {"open"}
    assert gone == set()


def test_a_recorded_run_reads_back_field_for_field(engine: Engine) -> None:
    # Every column, empty ones too, through the driver's own insert (SQLite) or COPY
    # (PostgreSQL): what load_run gives back is what was recorded.
    coverage = Finding(
        code="REF301",
        name="cmd-referring-not-in-webpt",
        severity=Severity.INFO,
        entity="referring",
        message="Active CMD referring provider 1000000004 'O\u2019Brien, Ann' is not in the list.",
        fix="Add her in WebPT, or inactivate her in CMD.\nTab\there, quote ' and \\ too.",
        key="1000000004",
        expected="a WebPT referring provider with NPI 1000000004",
        score=87.5,
    )
    after_run(engine, result([finding("A"), finding("B")], started=DAY_ONE), settings=Settings())
    add_waiver(engine, "default", WaiverSpec("REF301", "known", "ops"))
    second = result(
        [finding("A", severity=Severity.WARNING, value="9"), finding("C"), coverage],
        started=DAY_TWO,
    )
    recorded = after_run(engine, second, settings=Settings())
    stored = load_run(engine, int(str(recorded.extra["run_id"])))
    assert sorted(stored.findings, key=str) == sorted(recorded.findings, key=str)
    changed = next(f for f in stored.findings if f.key == "A")
    assert (changed.drift, changed.previous_severity, changed.previous_value) == (
        "changed",
        Severity.ERROR,
        "A",
    )
    assert changed.first_seen == DAY_ONE
    assert next(f for f in stored.findings if f.code == "REF301").waived is True


def test_drift_reads_only_the_previous_runs_findings(engine: Engine) -> None:
    first = after_run(
        engine, result([finding(k) for k in "ABCD"], started=DAY_ONE), settings=Settings()
    )
    other = after_run(
        engine, result([finding("X")], started=DAY_ONE), settings=Settings(), scope="other"
    )
    # Another run's finding with an id among the first run's (concurrent writers on PostgreSQL
    # interleave ids): drift must not take it for one of the first run's.
    with engine.begin() as connection:
        ids = connection.execute(
            select(FINDING.c.id)
            .where(FINDING.c.run_id == first.extra["run_id"])
            .order_by(FINDING.c.id)
        ).scalars()
        _, second_id, *_ = ids
        connection.execute(delete(FINDING).where(FINDING.c.id == second_id))
        connection.execute(
            update(FINDING).where(FINDING.c.run_id == other.extra["run_id"]).values(id=second_id)
        )
    again = after_run(
        engine, result([finding(k) for k in "ACDX"], started=DAY_TWO), settings=Settings()
    )
    assert [f.drift for f in again.findings] == ["open", "open", "open", "new"]
    assert again.extra["resolved"] == []


def test_findings_sharing_a_name_keep_their_own_drift(engine: Engine) -> None:
    # Two WebPT referring providers called 'Smith, John', each with a mistyped NPI: neither has
    # an NPI to be known by, so both are keyed by the one name.
    both = [mistyped_npi("1234567890", 2), mistyped_npi("1234567899", 40)]
    first = after_run(engine, result(both, started=DAY_ONE), settings=Settings())
    assert [f.drift for f in first.findings] == ["new", "new"]
    # The same export, re-sorted: nothing changed, nothing resolved.
    resorted = [mistyped_npi("1234567899", 3), mistyped_npi("1234567890", 41)]
    again = after_run(engine, result(resorted, started=DAY_TWO), settings=Settings())
    assert [f.drift for f in again.findings] == ["open", "open"]
    assert again.extra["resolved"] == []
    # The one that sorts first was fixed: it resolves, and the other stays open.
    fixed = after_run(
        engine, result([mistyped_npi("1234567899", 3)], started=DAY_TWO), settings=Settings()
    )
    assert [f.drift for f in fixed.findings] == ["open"]
    assert [f.value for f in fixed.extra["resolved"]] == ["1234567890"]  # type: ignore[attr-defined]
    # Two providers of that name appear beside it, one sorting before it: those two are new.
    three = [mistyped_npi("1234567000", 2), *resorted]
    grown = after_run(engine, result(three, started=DAY_TWO), settings=Settings())
    assert [(f.value, f.drift) for f in grown.findings] == [
        ("1234567000", "new"),
        ("1234567899", "open"),
        ("1234567890", "new"),
    ]
    assert grown.extra["resolved"] == []
    # One of them changed its (still mistyped) NPI: the same record, changed.
    changed = [
        mistyped_npi("1234567000", 2),
        mistyped_npi("1234567899", 3),
        mistyped_npi("1234567", 4),
    ]
    again = after_run(engine, result(changed, started=DAY_TWO), settings=Settings())
    assert [f.drift for f in again.findings] == ["open", "open", "changed"]
    assert again.findings[2].previous_value == "1234567890"
