"""What a balance produces: the options it ran with, one row per place and period, the visits
found on one side only, and notes about the inputs."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any, Literal

Granularity = Literal["day", "week"]
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True, slots=True)
class BalanceOptions:
    """The range, the period, and the practice's balance settings."""

    date_from: date
    date_to: date
    by: Granularity = "week"
    week_start: str = "monday"
    locations: dict[str, str] = field(default_factory=dict)
    new_patient_codes: tuple[str, ...] = ("97161", "97162", "97163")
    fail_on_units: bool = False
    max_range_days: int = 31

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1


@dataclass(frozen=True, slots=True)
class PeriodRow:
    """One place of service in one period. ``difference = explained + unexplained``.

    ``explained`` adds the no-charge visits, the visits finalized here but created in another
    period (``late``) or still held on the rejection summary (``held``), and subtracts the
    billing visits created here for visits finalized elsewhere (``early``, ``prior``) and, in
    a day-by-day balance from totals only, the differences the following days cancel
    (``cancelled``).
    """

    place: str
    start: date
    end: date
    emr_visits: int
    no_charge: int
    billing_visits: int
    late: int = 0
    held: int = 0
    early: int = 0
    prior: int = 0
    cancelled: int = 0
    emr_units: float = 0.0
    billing_units: float = 0.0
    emr_new: float = 0.0
    billing_new: float = 0.0
    new_explained: float = 0.0

    @property
    def billable(self) -> int:
        return self.emr_visits - self.no_charge

    @property
    def difference(self) -> int:
        return self.emr_visits - self.billing_visits

    @property
    def shifted(self) -> int:
        return self.late + self.held - self.early - self.prior + self.cancelled

    @property
    def moved(self) -> bool:
        """Whether any visit here was held, created in another period, or cancelled later."""
        return any((self.late, self.held, self.early, self.prior, self.cancelled))

    @property
    def explained(self) -> int:
        return self.no_charge + self.shifted

    @property
    def unexplained(self) -> int:
        return self.difference - self.explained

    @property
    def new_unexplained(self) -> float:
        return self.emr_new - self.billing_new - self.new_explained

    def as_dict(self) -> dict[str, Any]:
        # Fields are flat values: a shallow copy (asdict deep-copies, and a year of weeks
        # for twenty places is a thousand rows).
        data = {field.name: getattr(self, field.name) for field in fields(self)}
        data.update(start=self.start.isoformat(), end=self.end.isoformat())
        for name in ("billable", "difference", "shifted", "explained", "unexplained"):
            data[name] = getattr(self, name)
        data["new_unexplained"] = self.new_unexplained
        return data


@dataclass(frozen=True, slots=True)
class VisitGap:
    """A visit on one side only: ``side`` is where it was found ("emr" or "billing")."""

    side: Literal["emr", "billing"]
    patient: str
    dos: date
    place: str
    day: date  # finalized (EMR) or created (billing)
    row: int
    codes: str
    no_charge_in_emr: bool = False


@dataclass(slots=True)
class Balance:
    """The whole balance; ``as_extra()`` is what reports and the JSON document carry."""

    options: BalanceOptions
    mode: Literal["visits", "totals"]
    rows: list[PeriodRow]
    daily: dict[str, list[tuple[date, int, int]]]
    gaps: list[VisitGap]
    notes: list[str]
    locations: dict[str, str]
    new_from_stats: bool = False

    def places(self) -> list[str]:
        return sorted({row.place for row in self.rows}, key=place_order)

    def as_extra(self) -> dict[str, Any]:
        options = self.options
        return {
            "from": options.date_from.isoformat(),
            "to": options.date_to.isoformat(),
            "by": options.by,
            "week_start": options.week_start,
            "mode": self.mode,
            "new_from": "pos-stats" if self.new_from_stats else "billing",
            "locations": dict(self.locations),
            "places": [
                {
                    "place": place,
                    "periods": [row.as_dict() for row in self.rows if row.place == place],
                    "daily": [
                        {"day": day.isoformat(), "emr": emr, "billing": billing}
                        for day, emr, billing in self.daily.get(place, [])
                    ],
                }
                for place in self.places()
            ],
            "notes": list(self.notes),
        }


def place_order(place: str) -> tuple[int, int, str]:
    """Numeric places of service in numeric order (2 before 11), then the others by name."""
    return (0, int(place), place) if place.isdigit() else (1, 0, place.casefold())
