"""Issue 4 benchmark: `syncguard balance --by week` on a year of 20 places of service, against
the same weekly per-place visit counts computed as DuckDB SQL over the same two CSV files.

Generates 2,000,000 EMR Billing Report lines and 2,000,000 billing charge lines (in a temporary
folder, removed afterwards), with planted visits missing on either side. Goals: syncguard within
2x of DuckDB, peak memory under 1.5 GB, every planted visit found.

    python bench/bench_balance.py [--lines 2000000]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TextIO

from measure import fastest, python_code, ratio, settle, syncguard

RUNS = 3  # each command's fastest run counts
PLACES = 20
FIRST, LAST = date(2026, 1, 1), date(2026, 12, 31)
FOLLOW_UP = ("97110", "97112", "97140", "97530", "97116", "97535")
EVALUATIONS = ("97161", "97162", "97163")
LAST_NAMES = ("Smith", "Garcia", "Nguyen", "Okafor", "Silva", "Kowalski", "Tanaka", "Haddad")
FIRST_NAMES = ("Ana", "Tom", "Lan", "Ada", "Joao", "Claire", "Omar", "Eva", "Yui", "Liam")
EMR_HEADER = (
    "Patient Account #,Patient Name,Date of Service,Finalized Date,Location,Therapist,"
    "CPT Code,Modifier 1,Modifier 2,Units,No Charges This Visit\n"
)
BILLING_HEADER = (
    "patient_account_number,date_of_service,charge_date,cpt_code,mod1,mod2,units,"
    "place_of_service_id\n"
)

DUCKDB_WEEKLY = """
import duckdb, sys
emr, billing = sys.argv[1], sys.argv[2]
rows = duckdb.sql(f'''
WITH lines AS (
  SELECT "Patient Account #" AS patient, strptime("Date of Service", '%m/%d/%Y') AS dos,
         "Location" AS location, strptime("Finalized Date", '%m/%d/%Y') AS fin,
         "CPT Code" = 'NORCM' OR coalesce("No Charges This Visit", '') = 'Yes' AS nc
  FROM read_csv('{emr}', all_varchar = true)
), emr AS (
  SELECT patient, dos, location, max(fin) AS fin, bool_or(nc) AS nc FROM lines GROUP BY ALL
), billing AS (
  SELECT patient_account_number, date_of_service::DATE AS dos, place_of_service_id AS place,
         min(charge_date::DATE) AS created
  FROM read_csv('{billing}', all_varchar = true) GROUP BY ALL
)
SELECT 'emr', location, date_trunc('week', fin), count(*), count(*) FILTER (WHERE nc)
FROM emr WHERE fin BETWEEN DATE '2026-01-01' AND DATE '2026-12-31' GROUP BY ALL
UNION ALL
SELECT 'billing', place, date_trunc('week', created), count(*), 0
FROM billing WHERE created BETWEEN DATE '2026-01-01' AND DATE '2026-12-31' GROUP BY ALL
''').fetchall()
print(len(rows))
"""


@dataclass
class Planted:
    missing_in_billing: int = 0
    missing_in_emr: int = 0
    lines: dict[str, int] = field(default_factory=lambda: {"emr": 0, "billing": 0})
    visits: set[tuple[int, date, int]] = field(default_factory=set)
    billed: list[tuple[str, int]] = field(default_factory=list)  # a sample of billed visits


def write_year(folder: Path, lines: int, seed: int = 4) -> Planted:
    """The two exports; about one visit in 4,000 is planted on one side only."""
    rng = random.Random(seed)
    planted = Planted()
    days = [FIRST + timedelta(days=i) for i in range((LAST - FIRST).days + 1)]
    weekdays = [day for day in days if day.weekday() < 5]
    with (
        (folder / "billing_report.csv").open("w") as emr,
        (folder / "charges.csv").open("w") as billing,
    ):
        emr.write(EMR_HEADER)
        billing.write(BILLING_HEADER)
        while planted.lines["emr"] < lines:
            _visit(rng, weekdays, emr, billing, planted, lines)
        for index in range(150):  # charges without a visit in the EMR
            day = weekdays[10 + index].isoformat()
            billing.write(f"{9_000_000 + index},{day},{day},97110,GP,,2,{101 + index % 20}\n")
        planted.missing_in_emr = 150
        planted.lines["billing"] += 150
        while planted.lines["billing"] < lines:  # charges added in billing to billed visits
            planted.lines["billing"] += 1
            key, place = rng.choice(planted.billed)
            billing.write(f"{key},97140,GP,,1,{place}\n")
    return planted


def _visit(
    rng: random.Random,
    weekdays: list[date],
    emr: TextIO,
    billing: TextIO,
    planted: Planted,
    limit: int,
) -> None:
    account, place, dos = rng.randrange(10**5, 10**6), rng.randrange(PLACES), rng.choice(weekdays)
    if (account, dos, place) in planted.visits:
        return
    planted.visits.add((account, dos, place))
    fin = dos + timedelta(days=rng.choices((0, 1, 3), weights=(85, 12, 3))[0])
    codes = [(c, "GP", "", rng.randint(1, 3)) for c in rng.sample(FOLLOW_UP, rng.randint(1, 3))]
    if rng.random() < 0.06:
        codes.insert(0, (rng.choice(EVALUATIONS) + rng.choice(("", "-GP")), "", "", 1))
    roll = rng.random()
    no_charge = "Yes" if roll < 0.005 else ""
    if 0.005 <= roll < 0.01:
        codes = [("NORCM", "", "", 1)]
    name = f'"{rng.choice(LAST_NAMES)}, {rng.choice(FIRST_NAMES)}"'
    codes = codes[: limit - planted.lines["emr"]]
    planted.lines["emr"] += len(codes)
    for code, mod1, mod2, units in codes:
        emr.write(
            f"{account},{name},{dos:%m/%d/%Y},{fin:%m/%d/%Y},Clinic {place + 1:02d},"
            f'"Shah, Ravi PT",{code},{mod1},{mod2},{units},{no_charge}\n'
        )
    if no_charge or codes[0][0] == "NORCM":
        return
    if roll > 0.99975:  # lost between the systems
        planted.missing_in_billing += 1
        return
    created = fin + timedelta(days=1 if rng.random() < 0.02 else 0)
    key = f"{account},{dos.isoformat()},{created.isoformat()}"
    if len(planted.billed) < 50_000:
        planted.billed.append((key, 101 + place))
    for code, mod1, mod2, units in codes:
        base, _, suffix = code.partition("-")
        scrubbed = units - 1 if units > 1 and rng.random() < 0.03 else units
        billing.write(f"{key},{base},{suffix or mod1},{mod2},{scrubbed},{101 + place}\n")
    planted.lines["billing"] += len(codes)


def config(folder: Path) -> Path:
    path = folder / "syncguard.toml"
    mapping = "\n".join(f'"Clinic {i + 1:02d}" = "{101 + i}"' for i in range(PLACES))
    path.write_text(f"[balance]\nmax_range_days = 366\n\n[balance.locations]\n{mapping}\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=2_000_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="syncguard-bench-balance-"))
    try:
        planted = write_year(work, args.lines)
        emr, billing, report = work / "billing_report.csv", work / "charges.csv", work / "out.json"
        options = ("--from", FIRST.isoformat(), "--to", LAST.isoformat(), "--by", "week")
        settle()
        ours = fastest(
            RUNS,
            "syncguard balance --by week",
            syncguard("--config", str(config(work)), "balance", "--emr", str(emr), "--billing",
                      str(billing), *options, "--format", "json", "--output", str(report)),
        )  # fmt: skip
        duck = fastest(RUNS, "DuckDB weekly visit counts", [*python_code(DUCKDB_WEEKLY), str(emr),
                                                      str(billing)])  # fmt: skip
        print(f"lines: {planted.lines['emr']:,} EMR, {planted.lines['billing']:,} billing")
        for line in (ours, duck):
            print(line.line())
        print(f"syncguard / DuckDB = {ratio(ours, duck)} (goal <= 2x)")
        print(f"peak memory syncguard: {ours.peak_mib:.0f} MiB (goal < 1536)")
        found = json.loads(report.read_text())["findings"]
        for code, expected in (("VIS103", planted.missing_in_billing),
                               ("VIS104", planted.missing_in_emr)):  # fmt: skip
            count = sum(1 for finding in found if finding["code"] == code)
            status = "ok" if count == expected else "MISMATCH"
            print(f"  {code}: planted {expected:,}, found {count:,}  {status}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
