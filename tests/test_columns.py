"""Columns are found by name: config first, then aliases; a missing one says what was found."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from syncguard.config import validate_column_map
from syncguard.errors import ConfigError, MissingColumnError
from syncguard.inputs.columns import ColumnIndex, ColumnOverrides, known_fields, resolve_columns
from syncguard.inputs.flags import parse_flag
from syncguard.inputs.kinds import CMD_KINDS, WEBPT_KINDS
from syncguard.readers import Row, read_table

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "cmd"

CANONICAL = [
    ("cmd", "payers", "Sequence#,Payer Name,CPID,Inactive", "sequence name cpid inactive"),
    (
        "cmd",
        "facilities",
        "Sequence#,Facility Name,NPI,Place of Service,Inactive",
        "sequence name npi pos inactive",
    ),
    (
        "cmd",
        "providers",
        "Sequence#,Last Name,First Name,Credentials,NPI,Taxonomy,Inactive",
        "sequence last_name first_name credentials npi taxonomy inactive",
    ),
    (
        "cmd",
        "referring",
        "NPI,Last Name,First Name,Sequence#,Inactive",
        "npi last_name first_name sequence inactive",
    ),
    ("cmd", "referring", "NPI,Name,Sequence#,Inactive", "npi full_name sequence inactive"),
    ("cmd", "procedures", "CPT Code,Rev Code,Description", "code rev_code description"),
    ("webpt", "payers", "Payer Name,Payer ID,Alternate ID", "name payer_id alternate_id"),
    ("webpt", "facilities", "Facility Name,NPI,Alternate ID", "name npi alternate_id"),
    (
        "webpt",
        "providers",
        "Last Name,First Name,Credentials,NPI,Alternate ID",
        "last_name first_name credentials npi alternate_id",
    ),
    ("webpt", "referring", "Last Name,First Name,NPI", "last_name first_name npi"),
]


def resolve(
    headers: str,
    source: str = "cmd",
    kind: str = "payers",
    overrides: ColumnOverrides | None = None,
) -> ColumnIndex:
    return resolve_columns(
        headers.split(","), source=source, kind=kind, file_name="payers.csv", overrides=overrides
    )


@pytest.mark.parametrize(("source", "kind", "headers", "fields"), CANONICAL)
def test_canonical_fixture_headers(source: str, kind: str, headers: str, fields: str) -> None:
    index = resolve(headers, source, kind)
    names = headers.split(",")
    assert [names[index.fields[field]] for field in fields.split()] == [
        index.headers[field] for field in fields.split()
    ]
    assert list(index.fields.values()) != [] and sorted(index.fields.values()) == list(
        range(len(names))
    )


@pytest.mark.parametrize(
    "header",
    ["Sequence#", "Seq. #", "Seq #", "Sequence Number", "Sequence No", "SEQNO", "Seq", "seq#"],
)
def test_cmd_sequence_aliases(header: str) -> None:
    assert resolve(f"{header},Payer Name").fields["sequence"] == 0


@pytest.mark.parametrize("header", [" SEQ\u00a0#", "\ufeffSequence#", "sequence  number", "SEQ.NO"])
def test_header_matching_is_tolerant(header: str) -> None:
    assert resolve(f"{header},Payer Name").fields["sequence"] == 0


def test_payer_id_is_the_sequence_in_cmd_but_the_electronic_id_in_webpt() -> None:
    assert resolve("Payer ID,Payer Name").fields == {"sequence": 0, "name": 1}
    webpt = resolve("Payer Name,Payer ID,Alt ID", "webpt", "payers")
    assert webpt.fields == {"name": 0, "alternate_id": 2, "payer_id": 1}
    with pytest.raises(MissingColumnError, match="Alternate ID"):
        resolve("Payer Name,Payer ID", "webpt", "payers")


def test_a_real_sequence_column_wins_over_payer_id() -> None:
    assert resolve("Payer ID,Sequence#,Payer Name").fields["sequence"] == 1


@pytest.mark.parametrize("header", ["Alternate ID", "Alt ID", "AlternateID", "Alt. ID", "ALT #"])
def test_webpt_alternate_id_aliases(header: str) -> None:
    assert resolve(f"Facility Name,{header}", "webpt", "facilities").fields["alternate_id"] == 1


def test_missing_column_names_file_headers_closest_and_the_config_line() -> None:
    with pytest.raises(MissingColumnError) as caught:
        resolve("Seq Num,Payer Name")
    assert caught.value.one_line() == (
        'payers.csv: no column for "sequence number" (found: Seq Num, Payer Name; '
        'closest: "Seq Num"; add it under [columns.cmd.payers] sequence = "Seq Num")'
    )


def test_missing_name_column_accepts_either_form() -> None:
    with pytest.raises(MissingColumnError, match=r'"last name" or "name \(Last, First\)"'):
        resolve("NPI,Credentials", "webpt", "referring")
    assert resolve("NPI,Provider Name", "cmd", "referring").has("full_name")


def test_wrong_delimiter_is_pointed_out() -> None:
    table = read_table(FIXTURES / "hostile" / "wrong_delimiter.csv")
    with pytest.raises(MissingColumnError, match=r"delimited by '\|'"):
        resolve_columns(table.headers, source="cmd", kind="payers", file_name=table.source.name)


def test_missing_column_fixture() -> None:
    table = read_table(FIXTURES / "hostile" / "missing_column.csv")
    with pytest.raises(MissingColumnError, match=r'missing_column\.csv: no column for "sequence'):
        resolve_columns(table.headers, source="cmd", kind="payers", file_name=table.source.name)


def test_config_mapping_wins_over_aliases() -> None:
    overrides: ColumnOverrides = {
        "cmd": {"payers": {"sequence": "Number", "name": ["Nom", "Carrier"]}}
    }
    index = resolve("Sequence#,Number,Carrier,Payer Name", overrides=overrides)
    assert index.fields == {"sequence": 1, "name": 2}
    # A header taken by the config is not reused by an alias of another field.
    claimed: ColumnOverrides = {"cmd": {"payers": {"sequence": "payer name"}}}
    index = resolve("Payer Name,Sequence#,Name", overrides=claimed)
    assert index.fields == {"sequence": 0, "name": 2}
    with pytest.raises(MissingColumnError, match='no column for "payer name"'):
        resolve("Payer Name,Sequence#", overrides=claimed)


def test_configured_header_that_is_absent_is_an_error() -> None:
    with pytest.raises(MissingColumnError) as caught:
        resolve("Sequence#,Payer Name", overrides={"cmd": {"payers": {"sequence": "Number"}}})
    line = caught.value.one_line()
    assert 'payers.csv: no column "Number", configured for the sequence number' in line
    assert "found: Sequence#, Payer Name" in line


def test_overrides_for_other_kinds_do_not_apply() -> None:
    overrides = {"webpt": {"payers": {"name": "Nope"}}, "cmd": {"providers": {"name": "x"}}}
    assert resolve("Sequence#,Payer Name", overrides=overrides).fields["name"] == 1


def test_known_fields_match_the_kinds_and_validate_config() -> None:
    known = known_fields()
    assert set(known) == {"cmd", "webpt"}
    assert set(known["cmd"]) == set(CMD_KINDS)
    assert set(known["webpt"]) == set(WEBPT_KINDS)
    assert known["cmd"]["payers"] == ["sequence", "name", "cpid", "inactive", "active"]
    validate_column_map({"cmd": {"payers": {"sequence": "Seq"}}}, source="t.toml")
    with pytest.raises(ConfigError, match="sequence"):
        validate_column_map({"cmd": {"payers": {"sequense": "Seq"}}}, source="t.toml")


def test_index_reads_text_numbers_and_names() -> None:
    index = resolve("Sequence#,Name,NPI", "cmd", "providers")
    row = Row(2, ("10023344", " Smith,  Jane A ", "1234567893"), frozenset({0}))
    assert index.text(row, "sequence") == "10023344"
    assert index.text(row, "taxonomy") == ""
    assert index.is_number(row, "sequence")
    assert not index.is_number(row, "npi")
    assert not index.is_number(row, "taxonomy")
    assert index.name_parts(row) == ("Smith", "Jane A")
    separate = resolve("Sequence#,Last Name,First Name", "cmd", "providers")
    row = Row(2, ("1", "\u00a0Smith ", " Jane"))
    assert separate.name_parts(row) == ("Smith", "Jane")


# --- inactive flags ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        *[(t, True) for t in ["Y", "yes", "TRUE", "1", "x", "X", "Inactive", " inactive "]],
        *[(t, False) for t in ["N", "No", "false", "0", "", "  ", "Active", "FALSE"]],
        *[(t, None) for t in ["maybe", "2", "Y/N", "-", "inactive since 2020"]],
    ],
)
def test_parse_flag(text: str, expected: bool | None) -> None:
    assert parse_flag(text) is expected


@given(st.text(max_size=30))
def test_parse_flag_never_raises_and_ignores_case_and_spaces(text: str) -> None:
    answer = parse_flag(text)
    assert answer in (True, False, None)
    assert parse_flag(f"  {text.upper()} ") == parse_flag(f"{text.lower()}") or not text.isascii()
