"""A realistic practice for the whole-check timing: 2,000 payers, 100 facilities, 500 rendering
providers and 50,000 referring providers, on both sides, with a few problems."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from generate import name_for, npi_for, write_cmd_referring, write_webpt_referring


@dataclass
class PracticeFiles:
    cmd: dict[str, Path]
    webpt: dict[str, Path]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_practice(folder: Path) -> PracticeFiles:
    folder.mkdir(parents=True, exist_ok=True)
    payers = [(f"{10000000 + i:08d}", f"PAYER {i} HEALTH PLAN", f"P{i:05d}") for i in range(2000)]
    facilities = [
        (f"{20000000 + i:08d}", f"CLINIC {i}", npi_for(5_000_000 + i)) for i in range(100)
    ]
    providers = [(f"{40000000 + i:08d}", *name_for(i), npi_for(6_000_000 + i)) for i in range(500)]
    cmd = {
        "payers": _write(
            folder / "cmd_payers.csv",
            ["Sequence#", "Payer Name", "CPID", "Inactive"],
            [[s, n, c, "N"] for s, n, c in payers],
        ),
        "facilities": _write(
            folder / "cmd_facilities.csv",
            ["Sequence#", "Facility Name", "NPI", "Place of Service", "Inactive"],
            [[s, n, npi, "11", "N"] for s, n, npi in facilities],
        ),
        "providers": _write(
            folder / "cmd_providers.csv",
            ["Sequence#", "Last Name", "First Name", "Credentials", "NPI", "Taxonomy", "Inactive"],
            [[s, last, first, "PT", npi, "225100000X", "N"] for s, last, first, npi in providers],
        ),
        "referring": folder / "cmd_referring.csv",
    }
    write_cmd_referring(cmd["referring"], 50_000)
    webpt = {
        "payers": _write(
            folder / "webpt_payers.csv",
            ["Payer Name", "Payer ID", "Alternate ID"],
            [[n.title(), c, s if i % 50 else ""] for i, (s, n, c) in enumerate(payers)],
        ),
        "facilities": _write(
            folder / "webpt_facilities.csv",
            ["Facility Name", "NPI", "Alternate ID"],
            [[n.title(), npi, s] for s, n, npi in facilities],
        ),
        "providers": _write(
            folder / "webpt_providers.csv",
            ["Last Name", "First Name", "Credentials", "NPI", "Alternate ID"],
            [[last, first, "PT, DPT", npi, s] for s, last, first, npi in providers],
        ),
        "referring": folder / "webpt_referring.csv",
    }
    write_webpt_referring(webpt["referring"], 50_000)
    return PracticeFiles(cmd, webpt)
