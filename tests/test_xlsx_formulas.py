"""An XLSX formula cell whose result was never saved (a tool that writes formulas without
computing them) reads as "" but is flagged, so that an ID cell like that is damaged, not empty."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pytest

from syncguard.inputs.kinds import IdKind
from syncguard.normalize import UNSAVED_FORMULA, ValueStatus, normalize_id
from syncguard.readers import Row, read_table

SHEET = "xl/worksheets/sheet1.xml"


def build(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    """A workbook as openpyxl writes it: formulas without a saved result."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def patched(built: Path, path: Path, *replacements: tuple[bytes, bytes]) -> Path:
    """``built`` with its sheet XML edited, as other writers (or Excel) store the cells."""
    with zipfile.ZipFile(built) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == SHEET:
                for old, new in replacements:
                    assert old in data, old
                    data = data.replace(old, new)
            target.writestr(item, data)
    return path


def rows_of(path: Path) -> list[Row]:
    return list(read_table(path).rows)


def test_unsaved_formulas_are_flagged_and_read_as_empty(tmp_path: Path) -> None:
    path = build(
        tmp_path / "referring.xlsx",
        [
            ["NPI", "Last Name", "First Name"],
            ["=B3", "Smith", "Ann"],  # the ID is a formula
            ["1234567893", '=UPPER("lee")', None],  # a name is; First Name is really empty
            [1234567893, "Lee", "Bo"],
        ],
    )
    rows = rows_of(path)
    assert [row.values for row in rows] == [
        ("", "Smith", "Ann"),
        ("1234567893", "", ""),
        ("1234567893", "Lee", "Bo"),
    ]
    assert [row.formulas for row in rows] == [frozenset({0}), frozenset({1}), frozenset()]
    assert rows[0].is_unsaved_formula(0) and not rows[0].is_unsaved_formula(1)
    assert not rows[1].is_unsaved_formula(2)  # a plain empty cell stays empty
    # A formula cell is no number cell; a number cell is no formula.
    assert 0 not in rows[0].numeric
    assert rows[2].numeric == frozenset({0}) and rows[2].formulas == frozenset()


def test_a_styled_empty_cell_is_not_a_formula(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["NPI", "Name"])
    sheet["A2"].number_format = "0"  # written as <c r="A2" s="1"/>, no value
    sheet["B2"] = "Smith"
    sheet["B3"] = "=A3"  # a formula in the sheet: the XML is read, and A2 still is empty
    path = tmp_path / "p.xlsx"
    book.save(path)
    rows = rows_of(path)
    assert rows[0] == Row(2, ("", "Smith"))
    assert rows[1].formulas == frozenset({1})


def test_a_row_of_unsaved_formulas_only_is_kept(tmp_path: Path) -> None:
    path = build(tmp_path / "p.xlsx", [["NPI", "Name"], ["=Sheet2!A1", "=Sheet2!B1"], []])
    (row,) = rows_of(path)
    assert (row.number, row.values, row.formulas) == (2, ("", ""), frozenset({0, 1}))


def test_a_formula_beyond_the_header_is_ignored(tmp_path: Path) -> None:
    path = build(tmp_path / "p.xlsx", [["NPI", "Name"], ["1234567893", "Smith", "=A2"]])
    (row,) = rows_of(path)
    assert row.values == ("1234567893", "Smith") and row.formulas == frozenset()


@pytest.mark.parametrize(
    ("old", "new", "text", "flags"),
    [
        # Saved results (as Excel writes them) read as their value.
        (b"<f>B3</f><v />", b"<f>B3</f><v>1234567893</v>", "1234567893", (False, True)),
        (b'<c r="A2"><f>B3</f><v />', b'<c r="A2" t="str"><f>B3</f><v>Smith</v>', "Smith", None),
        # A saved result that is empty text: computed, so not flagged.
        (b'<c r="A2"><f>B3</f><v />', b'<c r="A2" t="str"><f>B3</f><v></v>', "", None),
        # Other ways to store a formula without a result.
        (b"<f>B3</f><v />", b"<f>B3</f>", "", (True, False)),
        (b"<f>B3</f><v />", b"<f>B3</f><v></v>", "", (True, False)),
        (b"<f>B3</f><v />", b'<f t="shared" ref="A2:A3" si="0">B3</f>', "", (True, False)),
        (b"<f>B3</f><v />", b'<f t="shared" si="0" />\n', "", (True, False)),
    ],
)
def test_how_the_formula_is_stored(
    tmp_path: Path, old: bytes, new: bytes, text: str, flags: tuple[bool, bool] | None
) -> None:
    built = build(tmp_path / "built.xlsx", [["NPI", "Name"], ["=B3", "Smith"]])
    (row,) = rows_of(patched(built, tmp_path / "p.xlsx", (old, new)))
    assert row.values == (text, "Smith")
    formula, number = flags or (False, False)
    assert (row.is_unsaved_formula(0), 0 in row.numeric) == (formula, number)


def test_a_prefixed_sheet_is_read_the_same(tmp_path: Path) -> None:
    # Some writers name the namespace with a prefix: <x:c>, <x:f>.
    built = build(tmp_path / "built.xlsx", [["NPI", "Name"], ["=B3", "Smith"]])
    with zipfile.ZipFile(built) as source:
        xml = source.read(SHEET)
    prefixed = (
        xml.replace(b'xmlns="', b'xmlns:x="')
        .replace(b"</", b"</x:")
        .replace(b"<", b"<x:")
        .replace(b"<x:/x:", b"</x:")
    )
    path = patched(built, tmp_path / "p.xlsx", (xml, prefixed))
    (row,) = rows_of(path)
    assert row.values == ("", "Smith") and row.formulas == frozenset({0})


def test_a_large_sheet_flags_only_its_unsaved_formulas(tmp_path: Path) -> None:
    rows: list[list[object]] = [["NPI", "Name"]]
    rows += [[f"{1000000000 + i}", f"Name {i}"] for i in range(3000)]
    rows[2500][0] = "=A2"
    (flagged,) = [row for row in rows_of(build(tmp_path / "p.xlsx", rows)) if row.formulas]
    assert (flagged.number, flagged.formulas) == (2501, frozenset({0}))


@pytest.mark.parametrize("kind", [IdKind.NPI, IdKind.SEQUENCE, IdKind.REV_CODE, IdKind.CODE])
def test_an_unsaved_formula_id_is_damaged(kind: IdKind) -> None:
    cell = normalize_id("", kind, unsaved_formula=True)
    assert (cell.value, cell.status, cell.reason) == (None, ValueStatus.DAMAGED, UNSAVED_FORMULA)
    assert normalize_id("", kind).status is ValueStatus.EMPTY
    assert normalize_id("  ", kind, unsaved_formula=True).status is ValueStatus.DAMAGED


def test_the_flag_and_normalize_id_together(tmp_path: Path) -> None:
    path = build(tmp_path / "p.xlsx", [["NPI", "Name"], ["=B9", "Smith"], [None, "Lee"]])
    cells = [
        normalize_id(row.values[0], IdKind.NPI, unsaved_formula=row.is_unsaved_formula(0))
        for row in rows_of(path)
    ]
    assert [(cell.status, cell.reason) for cell in cells] == [
        (ValueStatus.DAMAGED, UNSAVED_FORMULA),
        (ValueStatus.EMPTY, None),
    ]


def test_a_check_reports_an_unsaved_formula_id_as_damage_not_as_missing(tmp_path: Path) -> None:
    from test_check_rules import fill_registry

    from syncguard.checks.engine import run_check
    from syncguard.config import Settings
    from syncguard.registry.schema import open_registry

    url = f"sqlite:///{tmp_path / 'registry.db'}"
    cmd = {
        "referring": "NPI,Last Name,First Name,Inactive\n1234567893,Smith,Ann,No\n",
        "payers": "Sequence#,Payer Name,Inactive\n10023344,AETNA PPO,No\n",
    }
    fill_registry(url, cmd, tmp_path, Settings())
    referring = build(
        tmp_path / "referring.xlsx",
        [["Last Name", "First Name", "NPI"], ["Smith", "Ann", "=D9"], ["Lee", "Bo", None]],
    )
    payers = build(tmp_path / "payers.xlsx", [["Payer Name", "Alternate ID"], ["Aetna PPO", "=C2"]])
    engine = open_registry(url)
    try:
        result = run_check(
            {"referring": referring, "payers": payers}, engine=engine, settings=Settings()
        )
    finally:
        engine.dispose()
    found = {(f.entity, f.code, f.row) for f in result.findings}
    assert ("referring", "EXP101", 2) in found and ("referring", "REF001", 3) in found
    assert ("payer", "EXP101", 2) in found
    assert not {("referring", "REF001", 2), ("payer", "PAY001", 2)} & found
    damaged = [f for f in result.findings if f.code == "EXP101"]
    assert all(UNSAVED_FORMULA in f.message for f in damaged)


def test_an_import_refuses_an_unsaved_formula_npi_as_damaged(tmp_path: Path) -> None:
    from syncguard.config import Settings
    from syncguard.errors import InvalidRowsError
    from syncguard.registry.importer import import_file
    from syncguard.registry.schema import open_registry

    path = build(
        tmp_path / "cmd.xlsx",
        [
            ["NPI", "Last Name", "First Name", "Inactive"],
            ["1234567893", "Smith", "Ann", "No"],
            ["=A2", "Lee", "Bo", "No"],
        ],
    )
    engine = open_registry(f"sqlite:///{tmp_path / 'registry.db'}", create=True)
    try:
        with pytest.raises(InvalidRowsError) as refused:
            import_file(engine, "referring", path, practice="default", settings=Settings())
    finally:
        engine.dispose()
    ((row, reason),) = refused.value.problems
    assert row == 3 and reason == f"damaged NPI: {UNSAVED_FORMULA}"


def test_the_openpyxl_in_use_gives_the_handles_the_formula_scan_needs(tmp_path: Path) -> None:
    """The scan reads the sheet's XML through openpyxl's private archive handles; without them
    it would quietly stop flagging unsaved formulas, so a release that renames them fails here."""
    path = build(tmp_path / "p.xlsx", [["NPI"], ["=A1"]])
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        assert book._archive.namelist()
        sheet = book.worksheets[0]
        assert sheet._worksheet_path in book._archive.namelist()
    finally:
        book.close()
