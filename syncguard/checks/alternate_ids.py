"""The Alternate ID rules payers, facilities and rendering providers share (x001 ... x301).

A WebPT record points at a CMD record through its Alternate ID (the CMD Sequence Number). Each
row gets at most one finding about its Alternate ID: missing, damaged, malformed, unknown, or
pointing at an inactive or differently named record. Where the ID is unusable, the CMD record
matching best (same NPI, else the most similar name) is proposed and counted as covered, so that
one wrong row is not reported again as a CMD record missing in WebPT.
"""

from __future__ import annotations

from dataclasses import dataclass

from syncguard.checks.context import ExportContext, Proposal
from syncguard.checks.coverage import coverage_finding, shared_finding
from syncguard.checks.exports import cell_findings
from syncguard.checks.matching import similarity
from syncguard.checks.snapshot import CmdRecord, Snapshot
from syncguard.inputs.kinds import IdKind
from syncguard.normalize import NormalizedValue, ValueStatus


@dataclass(frozen=True, slots=True)
class Pointer:
    """A WebPT row as this family sees it. ``npi`` is a valid NPI on the row, if any."""

    row: int
    record: str
    name_key: str
    alt: NormalizedValue
    npi: str | None = None


@dataclass(frozen=True, slots=True)
class Suggestion:
    record: CmdRecord
    score: float
    basis: str  # "same NPI" or "name"


class AlternateIdCheck:
    """Checks the Alternate IDs of one export; ``finish`` adds the shared and coverage findings."""

    def __init__(self, ctx: ExportContext, area: str, snapshot: Snapshot) -> None:
        self.ctx = ctx
        self.area = area
        self.kind = snapshot.sequence_kind(ctx.entity)
        kinds = (snapshot.payers, snapshot.facilities, snapshot.providers)
        self.others = [kind for kind in kinds if kind is not self.kind]
        self._first_rows: dict[tuple[str, str], int] = {}
        self._pointers: dict[str, list[Pointer]] = {}
        self._covered: set[str] = set()

    def is_duplicate(self, p: Pointer) -> bool:
        """EXP201 when the same name with the same Alternate ID came earlier in the export."""
        ident = p.alt.value if p.alt.value is not None else p.alt.raw.strip()
        first = self._first_rows.setdefault((ident, p.name_key), p.row)
        if first == p.row:
            return False
        shown = f"Alternate ID {ident}" if ident else "no Alternate ID"
        self.ctx.add(
            "EXP201",
            row=p.row,
            record=p.record,
            key=ident if self.ctx.ids.is_well_formed(IdKind.SEQUENCE, ident) else p.record,
            value=ident,
            expected=f"one entry (row {first})",
            message=f"'{p.record}' with {shown} already appears on row {first}.",
            fix=f"In WebPT > {self.ctx.menu}, merge or inactivate one of the two entries.",
        )
        return True

    def lookup(self, p: Pointer) -> CmdRecord | None:
        """The CMD record the row points at, after reporting what is wrong with the pointer;
        None when there is none or its name says it is another record's."""
        if p.alt.status is ValueStatus.EMPTY:
            self._unusable(
                p,
                "001",
                "",
                "The Alternate ID is empty, so the interface cannot "
                f"find this {self.ctx.entity} in CMD.",
            )
            return None
        if p.alt.status is ValueStatus.DAMAGED:
            proposal = self._proposal(p)
            cell_findings(self.ctx, p.alt, "alternate_id", p.row, p.record, proposal=proposal)
            return None
        seq = cell_findings(self.ctx, p.alt, "alternate_id", p.row, p.record)
        if seq is None:
            return None
        if not self.ctx.ids.is_well_formed(IdKind.SEQUENCE, seq):
            shape = self.ctx.ids.expected_shape(IdKind.SEQUENCE)
            self._unusable(
                p, "002", seq, f"The Alternate ID '{seq}' is not a CMD Sequence Number ({shape})."
            )
            return None
        record = self.kind.records.get(seq)
        if record is None:
            self._unusable(p, "101", seq, self._unknown_message(seq))
            return None
        self._covered.add(seq)
        if record.inactive:
            self._inactive(p, record)
        elif self._names_agree(p, record):
            self._pointers.setdefault(seq, []).append(p)  # the rows that may share it (x202)
        else:
            return None  # it points at another record: comparing NPIs would say it again
        return record

    def _suggest(self, p: Pointer) -> Suggestion | None:
        if p.npi:
            by_npi = self.kind.by_npi(p.npi)
            if by_npi is not None:
                return Suggestion(by_npi, 100.0, "same NPI")
        match = self.kind.best_by_name(p.name_key, self.ctx.check.suggest_threshold)
        return Suggestion(match[0], match[1], "name") if match else None

    def _proposal(self, p: Pointer) -> Proposal | None:
        found = self._suggest(p)
        if found is None:
            return None
        seq = found.record.sequence
        self._covered.add(seq)
        phrase = f"{seq} if it is CMD {self.ctx.entity} '{found.record.name}'"
        return Proposal(seq, found.score, phrase)

    def _unusable(self, p: Pointer, number: str, value: str, message: str) -> None:
        found = self._suggest(p)
        entity = self.ctx.entity
        if found is None:
            fix = (
                f"{self.ctx.where(p.record)}, set Alternate ID to the Sequence Number of "
                f"this {entity} in CMD (create the {entity} in CMD first if it is missing)."
            )
            expected = f"the Sequence Number of a CMD {entity}"
        else:
            seq, name = found.record.sequence, found.record.name
            self._covered.add(seq)
            basis = ", same NPI" if found.basis == "same NPI" else ""
            fix = (
                f"{self.ctx.where(p.record)}, set Alternate ID to {seq} "
                f"(CMD {entity} '{name}'{basis})."
            )
            expected = seq
        self.ctx.add(
            f"{self.area}{number}",
            row=p.row,
            record=p.record,
            key=value if number == "101" else p.record,
            value=value,
            expected=expected,
            message=message,
            fix=fix,
            suggestion=found.record.sequence if found else None,
            score=found.score if found else None,
        )

    def _unknown_message(self, seq: str) -> str:
        message = f"No CMD {self.ctx.entity} has Sequence Number {seq}"
        for other in self.others:
            owner = other.records.get(seq)
            if owner is not None:
                return (
                    f"{message}: that is CMD {other.entity} '{owner.name}', so the wrong "
                    "number was copied."
                )
        return message + "."

    def _inactive(self, p: Pointer, record: CmdRecord) -> None:
        found = self._suggest(p)
        entity, seq = self.ctx.entity, record.sequence
        fix = f"{self.ctx.where(p.record)}, set Alternate ID to the active CMD {entity} that "
        fix += f"replaced it, or reactivate CMD {entity} {seq} if it is still in use."
        if found is not None:
            self._covered.add(found.record.sequence)
            fix = (
                f"{self.ctx.where(p.record)}, set Alternate ID to {found.record.sequence} "
                f"(active CMD {entity} '{found.record.name}'), or reactivate CMD {entity} "
                f"{seq} if it is still in use."
            )
        self.ctx.add(
            f"{self.area}102",
            row=p.row,
            record=p.record,
            key=seq,
            value=seq,
            expected=f"an active CMD {entity}",
            message=f"Alternate ID {seq} points at CMD {entity} '{record.name}', which is "
            "inactive.",
            fix=fix,
            suggestion=found.record.sequence if found else None,
            score=found.score if found else None,
        )

    def _names_agree(self, p: Pointer, record: CmdRecord) -> bool:
        score = similarity(p.name_key, record.name_key)
        threshold = self.ctx.check.name_threshold
        if score >= threshold:
            return True
        entity, where = self.ctx.entity, self.ctx.where(p.record)
        found = self._suggest(p)
        if found is not None and found.record is not record:
            self._covered.add(found.record.sequence)
            basis = ", same NPI" if found.basis == "same NPI" else ""
            fix = (
                f"{where}, set Alternate ID to {found.record.sequence} (CMD {entity} "
                f"'{found.record.name}'{basis})."
            )
        else:
            found = None
            fix = (
                f"{where}, correct the Alternate ID if '{record.name}' is another {entity}, or "
                f"rename the {entity} so both systems agree."
            )
        self.ctx.add(
            f"{self.area}201",
            row=p.row,
            record=p.record,
            key=record.sequence,
            value=p.record,
            expected=record.name,
            message=f"Alternate ID {record.sequence} points at CMD {entity} '{record.name}', "
            f"whose name differs (similarity {score:.0f}, threshold {threshold:g}).",
            fix=fix,
            suggestion=found.record.sequence if found else None,
            score=found.score if found else None,
        )
        return False

    def finish(self) -> None:
        """After the last row: CMD records several rows share, and those no row points at."""
        for seq, pointers in sorted(self._pointers.items()):
            if len(pointers) > 1:
                rows = [(p.row, p.record) for p in pointers]
                shared_finding(self.ctx, f"{self.area}202", self.kind.records[seq], rows)
        missing = (r for r in self.kind.records.values() if r.sequence not in self._covered)
        for record in sorted(missing, key=lambda r: r.sequence):
            if not record.inactive:
                coverage_finding(self.ctx, f"{self.area}301", record)
