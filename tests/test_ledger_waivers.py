"""Waiver files: what is exported is imported unchanged, in TOML and JSON alike."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syncguard.errors import InputError
from syncguard.ledger.waivers import WaiverSpec
from syncguard.ledger.waivers_file import read_waivers, render_waivers

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30
).filter(lambda value: value.strip() == value)
WAIVERS = st.builds(
    WaiverSpec,
    code=st.from_regex(r"[A-Z]{3}[0-9]{3}", fullmatch=True),
    reason=TEXT.filter(bool),
    by=TEXT.filter(bool),
    key=TEXT,
    until=st.none() | st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
)


@settings(max_examples=60, deadline=None)
@given(waivers=st.lists(WAIVERS, max_size=5), fmt=st.sampled_from(["toml", "json"]))
def test_export_then_import_is_lossless(
    tmp_path_factory: pytest.TempPathFactory, waivers: list[WaiverSpec], fmt: str
) -> None:
    path = tmp_path_factory.mktemp("waivers") / f"waivers.{fmt}"
    path.write_text(render_waivers(waivers, fmt), encoding="utf-8")
    assert read_waivers(path) == waivers


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[[waiver]]\ncode = "PAY201"\nby = "x"\n', "needs a reason"),
        ('[[waiver]]\ncode = "PAY2"\nreason = "r"\nby = "x"\n', "not a rule code"),
        ('[[waiver]]\ncode = "PAY201"\nreason = "r"\nby = "x"\nkey = 10023344\n', "quote numbers"),
        (
            '[[waiver]]\ncode = "PAY201"\nreason = "r"\nby = "x"\nexpires = 2027-01-01\n',
            "unknown field 'expires'",
        ),
        ('[[waiver]]\ncode = "PAY201"\nreason = "r"\nby = "x"\nuntil = "soon"\n', "not a date"),
    ],
)
def test_bad_entries_name_the_waiver(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "waivers.toml"
    path.write_text(content)
    with pytest.raises(InputError, match=message) as error:
        read_waivers(path)
    assert "waivers.toml: waiver 1" in str(error.value)
