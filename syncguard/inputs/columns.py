"""Find each field's column in a file's header: configured names first, then built-in aliases."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from syncguard.errors import InputError, MissingColumnError
from syncguard.inputs.aliases import ALIASES
from syncguard.inputs.kinds import CMD_KINDS, FLAG_FIELDS, WEBPT_KINDS, FieldSpec
from syncguard.names import split_full_name
from syncguard.normalize import clean_text
from syncguard.readers.table import Row

ColumnOverrides = Mapping[str, Mapping[str, Mapping[str, str | list[str]]]]

_NOT_KEY = re.compile(r"[^0-9a-z#]+")
_NAME_FIELDS = ("full_name", "last_name")


def header_key(header: str) -> str:
    """A header reduced to what matters: "Seq. #", " SEQ#" and "seq #\u00a0" all give "seq#"."""
    return _NOT_KEY.sub("", header.casefold())


def known_fields() -> dict[str, dict[str, list[str]]]:
    """source -> kind -> the field names a ``[columns.<source>.<kind>]`` table may map."""
    return {
        "cmd": {kind: [f.name for f in spec.fields] for kind, spec in CMD_KINDS.items()},
        "webpt": {kind: [f.name for f in fields] for kind, fields in WEBPT_KINDS.items()},
    }


@dataclass(frozen=True)
class ColumnIndex:
    """Where each field of a kind sits in one file: ``fields`` maps field -> column index."""

    fields: dict[str, int]
    headers: dict[str, str]

    def has(self, field: str) -> bool:
        return field in self.fields

    def flag_field(self) -> str | None:
        """The field the inactive flag is read from: "inactive", else "active" (whose marks mean
        the opposite), else None; ``resolve_columns`` refuses a file that has both."""
        return next((name for name in FLAG_FIELDS if name in self.fields), None)

    def text(self, row: Row, field: str) -> str:
        """The cell text of ``field`` in ``row``, or "" when the file has no such column."""
        index = self.fields.get(field)
        return "" if index is None else row.values[index]

    def is_number(self, row: Row, field: str) -> bool:
        """Whether the workbook stored this cell as a number (always False for CSV)."""
        index = self.fields.get(field)
        return index is not None and index in row.numeric

    def name_parts(self, row: Row) -> tuple[str, str]:
        """(last, first), from separate name columns or from one "Last, First" column."""
        if "last_name" in self.fields:
            return clean_text(self.text(row, "last_name")), clean_text(self.text(row, "first_name"))
        return split_full_name(self.text(row, "full_name"))


def field_specs(source: str, kind: str) -> tuple[FieldSpec, ...]:
    """The fields a file of ``source`` ("cmd" or "webpt") and ``kind`` provides."""
    if source == "cmd":
        return CMD_KINDS[kind].fields
    if source == "webpt":
        return WEBPT_KINDS[kind]
    raise ValueError(f"unknown source '{source}'")


def resolve_columns(
    headers: Sequence[str],
    *,
    source: str,
    kind: str,
    file_name: str,
    overrides: ColumnOverrides | None = None,
) -> ColumnIndex:
    """Map every field to a column; a missing required field is a MissingColumnError."""
    specs = field_specs(source, kind)
    keys = {header_key(header): index for index, header in reversed(list(enumerate(headers)))}
    keys.pop("", None)
    configured = dict((overrides or {}).get(source, {}).get(kind, {}))
    found: dict[str, int] = {}
    for spec in specs:
        if spec.name in configured:
            found[spec.name] = _configured(spec, configured[spec.name], keys, headers, file_name)
    taken = set(found.values())
    # A flag field mapped in the config is the flag: the other one is not looked for.
    flag_configured = any(name in found for name in FLAG_FIELDS)
    for spec in specs:
        if spec.name in found or (flag_configured and spec.name in FLAG_FIELDS):
            continue
        for alias in ALIASES[source][kind].get(spec.name, ()):
            index = keys.get(header_key(alias))
            if index is not None and index not in taken:
                found[spec.name] = index
                taken.add(index)
                break
    _require(specs, found, headers, taken, where=(source, kind, file_name))
    _one_flag(found, headers, where=(source, kind, file_name))
    return ColumnIndex(found, {field: headers[index] for field, index in found.items()})


def _configured(
    spec: FieldSpec,
    names: str | list[str],
    keys: dict[str, int],
    headers: Sequence[str],
    file_name: str,
) -> int:
    wanted = [names] if isinstance(names, str) else names
    for name in wanted:
        index = keys.get(header_key(name))
        if index is not None:
            return index
    shown = " or ".join(f'"{name}"' for name in wanted)
    raise MissingColumnError(
        f"{file_name}: no column {shown}, configured for the {spec.label}",
        hint=f"found: {_listing(headers)}; fix the [columns] table of the config",
    )


def _require(
    specs: Sequence[FieldSpec],
    found: dict[str, int],
    headers: Sequence[str],
    taken: set[int],
    *,
    where: tuple[str, str, str],
) -> None:
    source, kind, file_name = where
    by_name = {spec.name: spec for spec in specs}
    missing = [spec for spec in specs if spec.required and spec.name not in found]
    if not missing and "last_name" in by_name and not any(f in found for f in _NAME_FIELDS):
        missing = [by_name["last_name"]]
    if not missing:
        return
    spec = missing[0]
    label = spec.label
    if spec.name == "last_name":
        label = f'{label}" or "{by_name["full_name"].label}'
    free = [header for index, header in enumerate(headers) if index not in taken and header]
    closest = _closest(spec, free, source, kind)
    example = closest or "<header in your file>"
    parts = [f"found: {_listing(headers)}"]
    if closest:
        parts.append(f'closest: "{closest}"')
    if len(headers) == 1 and (odd := _odd_delimiter(headers[0])):
        parts.append(f"the file seems to be delimited by '{odd}', not comma, tab or semicolon")
    parts.append(f'add it under [columns.{source}.{kind}] {spec.name} = "{example}"')
    raise MissingColumnError(f'{file_name}: no column for "{label}"', hint="; ".join(parts))


def _one_flag(
    found: dict[str, int], headers: Sequence[str], *, where: tuple[str, str, str]
) -> None:
    """Refuse a file with both an inactive and an active column: they may disagree, and which
    one CMD meant is not for syncguard to guess."""
    if not all(name in found for name in FLAG_FIELDS):
        return
    source, kind, file_name = where
    inactive, active = (headers[found[name]].strip() for name in FLAG_FIELDS)
    raise InputError(
        f'{file_name}: both an inactive column "{inactive}" and an active column "{active}"; '
        "syncguard does not guess which one to follow",
        hint=(
            "keep one of them in the file, or map only one of them in the config: "
            f'[columns.{source}.{kind}] inactive = "{inactive}" or active = "{active}"'
        ),
    )


def _closest(spec: FieldSpec, headers: Sequence[str], source: str, kind: str) -> str | None:
    candidates = [header_key(a) for a in ALIASES[source][kind].get(spec.name, ())]
    candidates.append(header_key(spec.label))
    best, best_score = None, 0.6
    for header in headers:
        key = header_key(header)
        for candidate in candidates:
            score = difflib.SequenceMatcher(None, key, candidate).ratio()
            if score > best_score:
                best, best_score = header, score
    return best


def _listing(headers: Sequence[str]) -> str:
    shown = [header.strip() for header in headers if header.strip()]
    return ", ".join(shown) if shown else "no header names"


def _odd_delimiter(header: str) -> str | None:
    return next((mark for mark in "|:^~" if header.count(mark) >= 2), None)
