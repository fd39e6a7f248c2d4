"""Render registry results for the terminal: import summaries, record lists, one record, history.

Each function returns text and never prints; CSV cells are defused against formula injection.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from syncguard.csvsafe import neutralise_row
from syncguard.registry.result import ImportResult, Tally

SHOWN_LINES = 20


def import_summary(result: ImportResult) -> str:
    """What an import did, or in a dry run would do, in a few lines."""
    verb = "would be " if result.dry_run else ""
    lines = [
        f"{result.source.name}: {result.rows_read} rows read ({result.kind}, practice "
        f"'{result.practice}'{', dry run: nothing written' if result.dry_run else ''})",
        f"  {verb}added: {result.added.count}{_sample(result.added)}",
        f"  {verb}changed: {result.changed.count}{_sample(result.changed)}",
        f"  unchanged: {result.unchanged}",
    ]
    if result.prune or result.deactivated.count:
        lines.append(
            f"  {verb}deactivated: {result.deactivated.count}{_sample(result.deactivated)}"
        )
    if result.reactivated.count:
        lines.append(
            f"  {verb}reactivated: {result.reactivated.count}{_sample(result.reactivated)}"
        )
    for change in result.changes[:SHOWN_LINES]:
        lines.append(f"    {change.key} {change.field}: {change.old!r} -> {change.new!r}")
    lines += _listed(
        "repaired cells", [f"row {r.row} {r.field}: {r.reason}" for r in result.repaired]
    )
    lines += _listed("invalid rows skipped", [f"row {i.row}: {i.reason}" for i in result.invalid])
    return "\n".join(lines)


def _sample(tally: Tally) -> str:
    if not tally.count:
        return ""
    shown = tally.sample[:5]
    more = ", ..." if tally.count > len(shown) else ""
    return f" ({', '.join(shown)}{more})"


def _listed(title: str, lines: Sequence[str]) -> list[str]:
    if not lines:
        return []
    shown = [f"  {title}: {len(lines)}", *(f"    {line}" for line in lines[:SHOWN_LINES])]
    if len(lines) > SHOWN_LINES:
        shown.append(f"    ... and {len(lines) - SHOWN_LINES} more (--format json lists all)")
    return shown


def records_text(columns: Sequence[str], records: Iterable[dict[str, Any]]) -> str:
    """An aligned table, one record a line."""
    rows = [[_cell(record[name]) for name in columns] for record in records]
    widths = [max([len(name), *(len(row[i]) for row in rows)]) for i, name in enumerate(columns)]
    lines = ["  ".join(name.ljust(width) for name, width in zip(columns, widths, strict=True))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(line.rstrip() for line in lines)


def records_csv(columns: Sequence[str], records: Iterable[dict[str, Any]]) -> Iterable[str]:
    """CSV text in chunks (a registry can hold a million records)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for count, record in enumerate(records, start=1):
        writer.writerow(neutralise_row(_cell(record[name]) for name in columns))
        if count % 10_000 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def records_json(records: Iterable[dict[str, Any]]) -> Iterable[str]:
    """A JSON array in chunks."""
    yield "["
    for count, record in enumerate(records):
        yield ("," if count else "") + "\n " + json.dumps(record, ensure_ascii=False)
    yield "\n]\n"


def record_text(record: dict[str, Any]) -> str:
    width = max(len(name) for name in record)
    return "\n".join(f"{name.ljust(width)}  {_cell(value)}" for name, value in record.items())


def history_text(entries: Iterable[dict[str, Any]]) -> str:
    lines = []
    for entry in entries:
        what = entry["action"]
        if entry["field"]:
            what += f" {entry['field']}: {entry['old_value']!r} -> {entry['new_value']!r}"
        source = entry["source_name"] or "?"
        if entry["source_sha256"]:
            source += f" (sha256 {entry['source_sha256'][:12]})"
        lines.append(f"{entry['changed_at']}  {what}  [{source}]")
    return "\n".join(lines)


def to_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
