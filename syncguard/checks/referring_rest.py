"""After the last referring row: the rows whose NPI was unusable or unknown, and coverage.

Those rows are matched by name against the CMD referring providers that no row matched by NPI
(a small set, so the lookup is cheap even for a million-row registry): an exact name first,
then the most similar name within a bounded amount of fuzzy matching. A CMD provider matched
this way is the likely intended record: it is proposed in the fix and not reported again as
missing in WebPT (REF301).
"""

from __future__ import annotations

from dataclasses import dataclass

from syncguard.checks.context import ExportContext, Proposal
from syncguard.checks.exports import cell_findings, valid_npi
from syncguard.checks.matching import NameIndex, person_key
from syncguard.names import person_display
from syncguard.normalize import NormalizedValue, ValueStatus

FUZZY_BUDGET = 20_000_000  # name comparisons allowed for fuzzy suggestions (about a second)


@dataclass(frozen=True, slots=True)
class Leftover:
    """A row set aside: ``reason`` is missing, damaged, invalid or unknown."""

    reason: str
    row: int
    last: str
    first: str
    value: str  # the NPI, or the raw cell when it is damaged
    detail: str | None = None  # why a damaged cell is damaged


class _Unmatched:
    """The active CMD referring providers no row matched by NPI, searchable by name."""

    def __init__(self, names: dict[str, tuple[str, str]], cutoff: float) -> None:
        self.names, self.npis, self.cutoff = names, list(names), cutoff
        self.claimed: set[str] = set()
        self._by_key: dict[str, list[str]] = {}  # name key -> NPIs, the first one last
        for npi in reversed(self.npis):
            self._by_key.setdefault(person_key(*names[npi]), []).append(npi)
        self._fuzzy: NameIndex | None = None
        self._budget = FUZZY_BUDGET

    def name(self, npi: str) -> tuple[str, str]:
        return self.names[npi]

    def claim(self, last: str, first: str) -> tuple[str, float] | None:
        """The NPI of the unmatched CMD provider best matching this name, with its score."""
        key = person_key(last, first)
        exact = self._by_key.get(key, [])
        while exact and exact[-1] in self.claimed:
            exact.pop()  # claimed by a fuzzy match earlier
        match = (exact.pop(), 100.0) if exact else self._fuzzy_match(key)
        if match is not None:
            self.claimed.add(match[0])
        return match

    def _fuzzy_match(self, key: str) -> tuple[str, float] | None:
        if self._budget < len(self.npis) or not key:
            return None
        self._budget -= len(self.npis)
        if self._fuzzy is None:
            keys = [person_key(*self.name(npi)) for npi in self.npis]
            self._fuzzy = NameIndex(self.npis, keys)
        return self._fuzzy.best(key, self.cutoff)


def resolve_leftovers(
    ctx: ExportContext, unmatched_names: dict[str, tuple[str, str]], leftovers: list[Leftover]
) -> None:
    """Report the rows set aside (in row order), then the active CMD providers no row matched
    by NPI (``unmatched_names``: NPI -> (last, first), in NPI order) still unaccounted for."""
    unmatched = _Unmatched(unmatched_names if leftovers else {}, ctx.check.suggest_threshold)
    for item in leftovers:
        match = unmatched.claim(item.last, item.first)
        _report(ctx, item, match, unmatched)
    for npi in sorted(set(unmatched_names) - unmatched.claimed):
        name = person_display(*unmatched_names[npi])
        ctx.add(
            "REF301",
            record=name,
            key=npi,
            expected=f"a WebPT referring provider with NPI {npi}",
            message=f"Active CMD referring provider {npi} '{name}' is not in the WebPT list.",
            fix=f"In WebPT > {ctx.menu}, add '{name}' with NPI {npi}, or inactivate referring "
            f"provider {npi} in CMD if the physician no longer refers.",
        )


def _report(
    ctx: ExportContext, item: Leftover, match: tuple[str, float] | None, unmatched: _Unmatched
) -> None:
    record = person_display(item.last, item.first)
    cmd_name = person_display(*unmatched.name(match[0])) if match else ""
    phrase = f"CMD has '{cmd_name}' under NPI {match[0]}" if match else ""
    proposal = Proposal(match[0], match[1], phrase) if match else None
    if item.reason == "damaged":
        cell = NormalizedValue(item.value, None, ValueStatus.DAMAGED, item.detail)
        cell_findings(ctx, cell, "npi", item.row, record, proposal=proposal)
    elif item.reason == "invalid":
        valid_npi(ctx, item.value, item.row, record, record, proposal=proposal)
    elif item.reason == "missing":
        _missing(ctx, item, record, match, cmd_name)
    else:
        _unknown(ctx, item, record, match, cmd_name)


def _missing(
    ctx: ExportContext, item: Leftover, record: str, match: tuple[str, float] | None, cmd: str
) -> None:
    fix = f"{ctx.where(record)}, enter the NPI from the NPPES NPI Registry"
    fix += f": {match[0]} if this is CMD's '{cmd}'." if match else " (and add it to CMD)."
    ctx.add(
        "REF001",
        row=item.row,
        record=record,
        value="",
        expected=match[0] if match else "the provider's NPI",
        message="The NPI is empty, so the interface cannot match this referring provider to CMD.",
        fix=fix,
        suggestion=match[0] if match else None,
        score=match[1] if match else None,
    )


def _unknown(
    ctx: ExportContext, item: Leftover, record: str, match: tuple[str, float] | None, cmd: str
) -> None:
    npi, where = item.value, ctx.where(record)
    message = f"No CMD referring provider has NPI {npi}"
    add = f"add the provider to CMD with NPI {npi} (CMD can add it from NPPES)"
    fix = f"A{add[1:]}, or correct the NPI in WebPT > {ctx.menu} > '{record}'."
    if match is not None:
        same = "the same name" if match[1] >= 100 else f"a similar name (score {match[1]:.0f})"
        message += f"; CMD has {same}, '{cmd}', under NPI {match[0]}"
        fix = f"{where}, set the NPI to {match[0]} if this is CMD's '{cmd}'; otherwise {add}."
    ctx.add(
        "REF101",
        row=item.row,
        record=record,
        key=npi,
        value=npi,
        expected=match[0] if match else "an NPI CMD knows",
        message=message + ".",
        fix=fix,
        suggestion=match[0] if match else None,
        score=match[1] if match else None,
    )
