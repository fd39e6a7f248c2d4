"""Turn a raw identifier cell into a clean, a repaired or a damaged value.

Spreadsheets damage identifiers in known ways (see docs/configuration.md, "Spreadsheet damage").
What can be undone without guessing is *repaired* and the reason kept; what lost information
(E-notation, digits past Excel's 15, leading zeros of a fixed-width code) is *damaged* and never
guessed, so that it is reported as damage instead of as a mismatch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from syncguard.inputs.kinds import IdKind

EXCEL_SIGNIFICANT_DIGITS = 15

_INVISIBLE = {"\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": ""}
_INVISIBLE_TABLE = str.maketrans(_INVISIBLE)
_E_NOTATION = re.compile(r"[+-]?\d+(?:[.,]\d*)?[eE][+-]?\d+")
_WHOLE_NUMBER_WITH_DECIMALS = re.compile(r"(\d+)\.0+")
_NPI_SEPARATORS = re.compile(r"[\s\-\u00a0]+")
_WHITESPACE_RUN = re.compile(r"\s+")

UNSAVED_FORMULA = (
    "a formula whose result was never saved (open the file in Excel and save it, "
    "or export it again)"
)


class ValueStatus(StrEnum):
    EMPTY = "empty"
    CLEAN = "clean"
    REPAIRED = "repaired"
    DAMAGED = "damaged"


@dataclass(frozen=True, slots=True)
class NormalizedValue:
    """``value`` is the text to use (None when empty or damaged); ``reason`` explains a repair
    or the damage."""

    raw: str
    value: str | None
    status: ValueStatus
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class IdRules:
    """Widths of the fixed-width codes, and an optional pattern for sequence numbers."""

    sequence_width: int = 8
    sequence_pattern: str | None = None
    revenue_code_width: int = 4

    def fixed_width(self, kind: IdKind) -> int | None:
        if kind is IdKind.SEQUENCE:
            return self.sequence_width
        if kind is IdKind.REV_CODE:
            return self.revenue_code_width
        return None

    def is_well_formed(self, kind: IdKind, value: str) -> bool:
        """Whether a normalised value has the expected shape (8 digits for a sequence number)."""
        if kind is IdKind.SEQUENCE and self.sequence_pattern:
            return re.fullmatch(self.sequence_pattern, value) is not None
        width = self.fixed_width(kind)
        if width is None:
            return bool(value)
        return len(value) == width and value.isascii() and value.isdigit()

    def expected_shape(self, kind: IdKind) -> str:
        if kind is IdKind.SEQUENCE and self.sequence_pattern:
            return f"text matching {self.sequence_pattern}"
        width = self.fixed_width(kind)
        return f"{width} digits" if width else "a code"


DEFAULT_ID_RULES = IdRules()


def normalize_id(
    raw: str,
    kind: IdKind,
    *,
    is_number: bool = False,
    unsaved_formula: bool = False,
    rules: IdRules = DEFAULT_ID_RULES,
) -> NormalizedValue:
    """Normalise one identifier cell; never raises, whatever the text.

    ``unsaved_formula``: the cell holds a formula whose result was never saved (``Row.formulas``),
    so its empty text is damage, not a missing value.
    """
    if (
        raw.isdigit()
        and raw.isascii()
        and not is_number
        and kind is not IdKind.REV_CODE
        and len(raw) <= EXCEL_SIGNIFICANT_DIGITS  # longer ones may have lost digits
    ):
        return NormalizedValue(raw, raw, ValueStatus.CLEAN)  # the common case, kept fast
    text, repairs = _strip_decorations(raw)
    if not text:
        if unsaved_formula:
            return NormalizedValue(raw, None, ValueStatus.DAMAGED, UNSAVED_FORMULA)
        return NormalizedValue(raw, None, ValueStatus.EMPTY)
    damage = _damage(text, kind, is_number, rules)
    if damage:
        return NormalizedValue(raw, None, ValueStatus.DAMAGED, damage)
    whole = _WHOLE_NUMBER_WITH_DECIMALS.fullmatch(text)
    if whole:
        text = whole.group(1)
        repairs.append("trailing '.0' of a number cell removed")
        damage = _damage(text, kind, is_number=True, rules=rules)
        if damage:
            return NormalizedValue(raw, None, ValueStatus.DAMAGED, damage)
    if kind is IdKind.NPI and _NPI_SEPARATORS.search(text):
        text = _NPI_SEPARATORS.sub("", text)
        if not text:  # "-" or "--": a placeholder for "none"
            return NormalizedValue(raw, None, ValueStatus.EMPTY)
        repairs.append("dashes or spaces inside the NPI removed")
    if repairs:
        return NormalizedValue(raw, text, ValueStatus.REPAIRED, "; ".join(repairs))
    return NormalizedValue(raw, text, ValueStatus.CLEAN)


def _strip_decorations(raw: str) -> tuple[str, list[str]]:
    repairs: list[str] = []
    text = raw.translate(_INVISIBLE_TABLE)
    if text != raw:
        repairs.append("zero-width characters removed")
    stripped = text.strip()  # every Unicode space, NBSP and thin spaces included
    if stripped != text:
        has_nbsp = any(ch in "\u00a0\u2007\u202f" for ch in text)
        repairs.append("non-breaking spaces removed" if has_nbsp else "surrounding spaces removed")
    if stripped.startswith("'"):
        # All of them: an ID never starts with an apostrophe, and one pass must be enough.
        while stripped.startswith("'"):
            stripped = stripped[1:].lstrip()
        repairs.append("leading apostrophe removed")
    return stripped, repairs


def _damage(text: str, kind: IdKind, is_number: bool, rules: IdRules) -> str | None:
    if _E_NOTATION.fullmatch(text):
        return (
            f"written in E-notation ({text}): digits were lost; "
            "re-export with the column formatted as Text"
        )
    digits = text.lstrip("+-")
    if digits.isdigit() and len(digits) > EXCEL_SIGNIFICANT_DIGITS:
        significant = digits.lstrip("0")
        if is_number or significant.endswith("0" * (len(digits) - EXCEL_SIGNIFICANT_DIGITS)):
            return (
                f"{len(digits)} digits: a spreadsheet keeps only {EXCEL_SIGNIFICANT_DIGITS} "
                "significant digits, so the last ones were lost"
            )
    width = rules.fixed_width(kind)
    if width and text.isdigit() and len(text) < width and (is_number or kind is IdKind.REV_CODE):
        return (
            f"{text} has {len(text)} digits where {width} are expected: a number cell lost "
            "its leading zeros; re-export with the column formatted as Text"
        )
    return None


def clean_text(raw: str) -> str:
    """Tidy a free-text cell (a name): invisible characters, odd spaces, a leading apostrophe."""
    if raw.isalpha():
        return raw  # the common case, a plain word: nothing to tidy (kept fast for big imports)
    text = raw.translate(_INVISIBLE_TABLE).replace("\u00a0", " ").strip()
    if text.startswith("'"):
        text = text[1:]
    return _WHITESPACE_RUN.sub(" ", text).strip()
