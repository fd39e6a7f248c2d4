"""Issue 2 benchmark: importing a 1,000,000-row CMD referring export.

In one run: (a) `syncguard registry import referring` into a fresh SQLite registry, (b) the
sqlite3 shell's `.import` of the same file into a bare table (the floor), (c) a second syncguard
import of the unchanged file; and `syncguard --help` start-up. Goals: a within 4x of b, c no
slower than a, peak memory under 1 GB, --help under 0.5 s.

    python bench/bench_import.py [--rows 1000000] [--quoted]
"""

from __future__ import annotations

import argparse
import csv
import shutil
import tempfile
from pathlib import Path

from generate import write_cmd_referring
from measure import measure, ratio, syncguard


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--quoted", action="store_true", help="quote every cell of the export")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="syncguard-bench-"))
    try:
        source = work / "referring.csv"
        write_cmd_referring(source, args.rows, csv.QUOTE_ALL if args.quoted else csv.QUOTE_MINIMAL)
        url = f"sqlite:///{work / 'registry.db'}"
        measure("init", syncguard("--database-url", url, "init"))
        first = measure(
            "(a) syncguard import, fresh registry",
            syncguard("--database-url", url, "registry", "import", "referring", str(source)),
        )
        floor = measure(
            "(b) sqlite3 .import into a bare table",
            ["sqlite3", str(work / "floor.db")],
            stdin_text=f".mode csv\n.import {source} referring\n",
        )
        second = measure(
            "(c) syncguard import, unchanged file",
            syncguard("--database-url", url, "registry", "import", "referring", str(source)),
        )
        helps = [measure("syncguard --help", syncguard("--help")) for _ in range(5)]
        fastest_help = min(helps, key=lambda m: m.seconds)
        print(f"rows: {args.rows:,}")
        for line in (first, floor, second, fastest_help):
            print(line.line())
        print(f"a / b = {ratio(first, floor)} (goal <= 4x)")
        print(f"c / a = {ratio(second, first)} (goal <= 1x)")
        print(
            f"peak memory a: {first.peak_mib:.0f} MiB, c: {second.peak_mib:.0f} MiB (goal < 1024)"
        )
        print(f"--help: {fastest_help.seconds:.3f} s best of 5 (goal < 0.5 s)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
