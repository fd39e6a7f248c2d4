"""Find each field of a report in a file's header, by configured name or built-in alias."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from syncguard.errors import InputError, MissingColumnError
from syncguard.inputs.columns import header_key
from syncguard.inputs.reports import BILLING, EMR, POS_STATS, ReportField, ReportSpec

ColumnOverrides = Mapping[str, Mapping[str, Mapping[str, str | list[str]]]]

# The readiness reports share their few columns (account, date of service) with the line
# reports, so any line report would pass for one; these are the columns only they have.
_OWN_FIELDS = {
    "rejections": ("rejection_type", "status"),
    "missed_notes": ("note_type",),
    "claims_feed": ("status", "transmission_type"),
}
_LINE_REPORTS = (EMR, BILLING, POS_STATS)
OPTIONS = {
    "billing_report": "--emr",
    "charges": "--billing",
    "pos_stats": "--pos-stats",
    "rejections": "--rejections",
    "missed_notes": "--missed-notes",
    "claims_feed": "--claims-feed",
}


@dataclass(frozen=True, slots=True)
class Resolved:
    """Where each field sits: field -> column indexes (several only for a ``multi`` field)."""

    spec: ReportSpec
    columns: dict[str, tuple[int, ...]]

    def index(self, field: str) -> int | None:
        found = self.columns.get(field)
        return found[0] if found else None


def resolve(
    headers: Sequence[str], spec: ReportSpec, *, file_name: str, overrides: ColumnOverrides
) -> Resolved:
    """Map every field to its column(s); a missing required field is a MissingColumnError."""
    keys = [header_key(header) for header in headers]
    configured = dict(overrides.get(spec.source, {}).get(spec.report, {}))
    taken: set[int] = set()
    columns: dict[str, tuple[int, ...]] = {}
    for field in spec.fields:
        names = configured.get(field.name)
        wanted = [names] if isinstance(names, str) else list(names or field.aliases)
        found = _matches(keys, wanted, taken, every=field.multi)
        if found:
            columns[field.name] = found
            taken.update(found)
        elif names is not None:
            shown = " or ".join(f'"{name}"' for name in wanted)
            raise MissingColumnError(
                f"{file_name}: no column {shown}, configured for {field.label} ({spec.title})",
                hint=f"found: {_listing(headers)}; fix {spec.config_table} in the config",
            )
        elif field.required:
            if spec.report in _OWN_FIELDS:
                _refuse_line_report(headers, spec, file_name, overrides)
            raise _missing(field, spec, headers, taken, file_name)
    if not columns:  # a report whose columns are all optional, yet none is there: another file
        raise _missing(spec.fields[0], spec, headers, taken, file_name)
    own = _OWN_FIELDS.get(spec.report)
    if own is not None and not any(field in columns for field in own):
        _refuse_line_report(headers, spec, file_name, overrides)
    return Resolved(spec, columns)


def _refuse_line_report(
    headers: Sequence[str], spec: ReportSpec, file_name: str, overrides: ColumnOverrides
) -> None:
    """A readiness report that is really a line report (the charges given as --rejections
    would hold every visit) is refused, naming the option it belongs to."""
    for other in _LINE_REPORTS:
        try:
            resolve(headers, other, file_name=file_name, overrides=overrides)
        except MissingColumnError:
            continue
        raise InputError(
            f"{file_name}: looks like the {other.title}, not the {spec.title} "
            f"(given with {OPTIONS[spec.report]})",
            hint=f"give the {other.title} with {OPTIONS[other.report]}, and for "
            f"{OPTIONS[spec.report]} the {spec.title} export",
        )


def _matches(
    keys: Sequence[str], wanted: Sequence[str], taken: set[int], *, every: bool
) -> tuple[int, ...]:
    found: list[int] = []
    for name in wanted:
        key = header_key(name)
        for index, header in enumerate(keys):
            if header == key and index not in taken and index not in found:
                if not every:
                    return (index,)
                found.append(index)
    return tuple(sorted(found))


def _missing(
    field: ReportField, spec: ReportSpec, headers: Sequence[str], taken: set[int], file_name: str
) -> MissingColumnError:
    free = [header for index, header in enumerate(headers) if index not in taken and header]
    candidates = [header_key(alias) for alias in (*field.aliases, field.label)]
    closest = max(
        free,
        key=lambda header: max(_similarity(header_key(header), c) for c in candidates),
        default=None,
    )
    if closest is not None and max(_similarity(header_key(closest), c) for c in candidates) < 0.6:
        closest = None
    parts = [f"found: {_listing(headers)}"]
    if closest:
        parts.append(f'closest: "{closest.strip()}"')
    example = closest.strip() if closest else "<header in your file>"
    parts.append(f'add it under {spec.config_table} {field.name} = "{example}"')
    return MissingColumnError(
        f'{file_name}: no column for "{field.label}" ({spec.title})', hint="; ".join(parts)
    )


def _similarity(left: str, right: str) -> float:
    return difflib.SequenceMatcher(None, left, right).ratio()


def _listing(headers: Sequence[str]) -> str:
    shown = [header.strip() for header in headers if header.strip()]
    return ", ".join(shown) if shown else "no header names"
