"""Readiness before balancing: open notes, unsuccessful transmissions, unresolved rejections.

Each is reported (VIS001-VIS003) so that the admin knows the numbers are not final yet; the
unresolved rejections also explain the visits they hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from syncguard.balance import cells
from syncguard.balance.findings import readiness_finding
from syncguard.balance.frames import RawFrame, load_frame
from syncguard.balance.inputs import Source
from syncguard.balance.model import BalanceOptions
from syncguard.balance.resolve import ColumnOverrides
from syncguard.findings import Finding
from syncguard.inputs.flags import parse_flag
from syncguard.inputs.reports import CLAIMS_FEED, MISSED_NOTES, REJECTIONS, ReportSpec

RESOLVED = frozenset({"resolved", "fixed", "closed", "complete", "completed", "cleared", "done"})
# Final states of a financial transmission; NOT RE-BILLED is a decision already taken.
TRANSMITTED = frozenset(
    {
        "transmission successful",
        "successful",
        "claim re-submitted",
        "claim resubmitted",
        "not re-billed",
        "not rebilled",
    }
)


@dataclass(frozen=True, slots=True)
class Readiness:
    findings: list[Finding]
    sources: list[Source]
    held: pl.DataFrame | None = None


def read_small(kind: str, path: Path, spec: ReportSpec, overrides: ColumnOverrides) -> Source:
    """A readiness report with its dates read (``dos`` / ``day``), without blank and totals rows."""
    loaded = load_frame(path, spec, overrides)
    frame, skipped = cells.drop_blank_and_totals(loaded)
    raw = RawFrame(loaded.source, loaded.resolved, frame)
    columns: list[pl.Expr | str] = list(frame.columns)
    for field, target in (("date_of_service", "dos"), ("date", "day")):
        if field in frame.columns:
            columns.append(
                cells.mapped(raw, field, cells.date_table(raw, field), pl.Date(), target)
            )
    if "patient" in frame.columns:
        columns.append(cells.identifiers(raw, "patient", "account"))
    return Source(kind, raw.source, raw.resolved, frame.select(columns), skipped)


def check_readiness(
    *,
    missed_notes: Path | None,
    claims_feed: Path | None,
    rejections: Path | None,
    options: BalanceOptions,
    overrides: ColumnOverrides,
) -> Readiness:
    findings: list[Finding] = []
    sources: list[Source] = []
    held = None
    if missed_notes is not None:
        source = read_small("missed-notes", missed_notes, MISSED_NOTES, overrides)
        sources.append(source)
        findings += _open_notes(source, options)
    if claims_feed is not None:
        source = read_small("claims-feed", claims_feed, CLAIMS_FEED, overrides)
        sources.append(source)
        findings += _transmissions(source, options)
    if rejections is not None:
        source = read_small("rejections", rejections, REJECTIONS, overrides)
        sources.append(source)
        open_entries = source.lines.filter(_unresolved(source))
        findings += _rejections(source, open_entries, options)
        if "account" in open_entries.columns:
            held = open_entries.filter(pl.col("account") != "").select(
                pl.col("account").alias("patient"),
                pl.col("dos")
                if "dos" in open_entries.columns
                else pl.lit(None, pl.Date).alias("dos"),
            )
    return Readiness(findings, sources, held)


def _in_range(day: date | None, options: BalanceOptions) -> bool:
    return day is not None and options.date_from <= day <= options.date_to


def _open_notes(source: Source, options: BalanceOptions) -> list[Finding]:
    found = []
    for entry in source.lines.iter_rows(named=True):
        if _in_range(entry["dos"], options):
            what = entry.get("note_type") or "note"
            where = f" at {entry['location']}" if entry.get("location") else ""
            message = f"{what} of {entry['dos'].isoformat()}{where} is not finalized"
            found.append(readiness_finding("VIS001", source.name, entry, message))
    return found


def _transmissions(source: Source, options: BalanceOptions) -> list[Finding]:
    found = []
    for entry in source.lines.iter_rows(named=True):
        kind = (entry.get("transmission_type") or "financial").casefold()
        status = " ".join(entry["status"].split())
        if "financ" not in kind or status.casefold() in TRANSMITTED:
            continue
        if _in_range(entry["day"], options):
            message = (
                f"financial transmission of {entry['day'].isoformat()}: {status or 'no status'}"
            )
            found.append(readiness_finding("VIS002", source.name, entry, message))
    return found


def _unresolved(source: Source) -> pl.Expr:
    if "status" not in source.lines.columns:
        return pl.lit(True)
    statuses = source.lines.get_column("status").unique().to_list()
    done = [
        s for s in statuses if parse_flag(s) is True or " ".join(s.split()).casefold() in RESOLVED
    ]
    return ~pl.col("status").is_in(done)


def _resolved(status: str) -> bool:
    return parse_flag(status) is True or " ".join(status.split()).casefold() in RESOLVED


def _rejections(source: Source, entries: pl.DataFrame, options: BalanceOptions) -> list[Finding]:
    found = []
    for entry in entries.iter_rows(named=True):
        day = entry.get("dos")
        if day is not None and not _in_range(day, options):
            continue
        kind = entry.get("rejection_type") or ""
        when = f" for {day.isoformat()}" if day else " for every visit of the patient"
        message = f"{kind or 'a'} rejection still holds the charges{when}"
        found.append(readiness_finding("VIS003", source.name, entry, message))
    return found
