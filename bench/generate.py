"""Deterministic generators of large CMD and WebPT referring-provider exports, with planted
problems whose counts are known, for the benchmarks."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from pathlib import Path

from syncguard.npi import npi_check_digit

LAST = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Lopez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
]
FIRST = [
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Charles",
    "Karen",
    "Daniel",
    "Nancy",
    "Matthew",
    "Lisa",
]

# Problems planted in the WebPT export, one in PLANT_EVERY rows each, by the code that must find it.
PLANTED = ("REF101", "NPI002", "NPI001", "REF001", "REF201", "REF102", "EXP102", "EXP101")
PLANT_EVERY = 100


def npi_for(index: int) -> str:
    first_nine = f"1{index:08d}"
    return first_nine + str(npi_check_digit(first_nine))


def name_for(index: int) -> tuple[str, str]:
    return LAST[index % len(LAST)] + LAST[(index // 7) % len(LAST)].lower(), FIRST[
        index % len(FIRST)
    ]


@dataclass
class Planted:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PLANTED, 0))
    missing_in_webpt: int = 0


def write_cmd_referring(path: Path, rows: int, quoting: int = csv.QUOTE_MINIMAL) -> None:
    """A CMD referring-provider export: NPI, names, sequence number, inactive flag."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=quoting)
        writer.writerow(["NPI", "Last Name", "First Name", "Sequence#", "Inactive"])
        for index in range(rows):
            last, first = name_for(index)
            inactive = "Y" if index % PLANT_EVERY == PLANTED.index("REF102") else "N"
            writer.writerow([npi_for(index), last, first, f"{30000000 + index:08d}", inactive])


def write_webpt_referring(path: Path, rows: int, seed: int = 7) -> Planted:
    """The WebPT side: the same providers, with one problem of each kind every 100 rows.

    Every 1000th CMD provider is left out of WebPT (coverage, REF301).
    """
    planted = Planted()
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Last Name", "First Name", "NPI"])
        for index in range(rows):
            if index % 1000 == 999:
                planted.missing_in_webpt += 1
                continue
            last, first = name_for(index)
            npi = npi_for(index)
            slot = index % PLANT_EVERY
            if slot < len(PLANTED):
                code = PLANTED[slot]
                planted.counts[code] += 1
                last, first, npi = _plant(code, last, first, npi, rows, rng)
            elif rng.random() < 0.3:
                last, first = last.upper(), f"{first} {rng.choice('ABCDEFGH')}."  # benign
            writer.writerow([last, first, npi])
    return planted


def _plant(
    code: str, last: str, first: str, npi: str, rows: int, rng: random.Random
) -> tuple[str, str, str]:
    if code == "REF101":
        return last, first, npi_for(rows + 10_000_000 + rng.randrange(1_000_000))
    if code == "NPI002":
        return last, first, npi[:9] + str((int(npi[9]) + 1) % 10)
    if code == "NPI001":
        return last, first, npi[:8]
    if code == "REF001":
        return last, first, ""
    if code == "REF201":
        return "Zz" + last[::-1], "Q", npi
    if code == "EXP102":
        return last, first, f"'{npi}"
    if code == "EXP101":
        return last, first, "1.23457E+09"
    return last, first, npi  # REF102: the CMD side marks it inactive
