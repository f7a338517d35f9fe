"""make bench, performance figures (issue 12): importing a file of 10,000 figures takes at most 1 s.

The file is made in a temporary folder: a tall CSV (Measure, Period, Value, Source), 100 measures × 100 months,
percentages written "84.1%" and counts "1,234", as a performance pack writes them. Each run imports it into a
fresh copy of the seeded database (so the figures are new, and the backup taken before the import is part of the
time), then imports it again, which changes nothing.

The lines are bench.py's (its Result and report); bench.py's main wires bench_import_measures in. On its own:
.venv/bin/python bench/bench_measures.py [--runs N]
"""

from __future__ import annotations

import argparse
import csv
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench import DATA, Result, report, run

MEASURES, MONTHS = 100, 100  # 10,000 figures
LIMIT_S = 1.0


def make_figures_csv(path: Path, measures: int = MEASURES, months: int = MONTHS) -> Path:
    """A tall CSV of measures × months figures (Apr 2016 onwards), made from a seed: the same file every time."""
    import random

    rng = random.Random(12)
    names = ["Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar"]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Measure", "Period", "Value", "Source"])
        for m in range(measures):
            percent = m % 2 == 0
            name = f"Benchmark measure {m}: {'rate' if percent else 'count'}"
            for i in range(months):
                year = 2016 + (i + 3) // 12
                period = f"{names[i % 12]} {year}"
                value = f"{rng.uniform(60, 95):.1f}%" if percent else f"{rng.randint(500, 30_000):,}"
                writer.writerow([name, period, value, "Benchmark figures (made up)"])
    return path


def bench_import_measures(paths: dict[str, Path], runs: int) -> list[Result]:
    """Import of a 10,000-figure tall CSV into a copy of the seeded database (≤ 1 s), and importing it again."""
    from accountability_tui.services import Services
    from accountability_tui.store import Store

    first: list[float] = []
    again: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        source = make_figures_csv(Path(folder) / "ten-thousand-figures.csv")
        for n in range(runs):
            db = Path(folder) / f"measures-{n}.db"
            shutil.copy(paths["seeded"], db)
            with Store.open(db) as store:
                services = Services(store)
                began = time.perf_counter()
                done = services.measures.import_file(source)
                first.append(time.perf_counter() - began)
                assert done.values == MEASURES * MONTHS and done.new == MEASURES * MONTHS, done
                began = time.perf_counter()
                repeat = services.measures.import_file(source)
                again.append(time.perf_counter() - began)
                assert repeat.changed == 0 and repeat.new == 0, repeat
    results = []
    for name, samples in ((f"import of a {MEASURES * MONTHS:,}-figure CSV of performance figures (median)", first),
                          (f"the same {MEASURES * MONTHS:,} figures imported again: nothing changes (median)", again)):
        value = statistics.median(samples)
        results.append(Result(name, samples, f"≤ {LIMIT_S * 1000:,.0f} ms", value <= LIMIT_S,
                              f"{value * 1000:,.0f} ms"))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs of each measurement (default 5)")
    args = parser.parse_args()
    seeded = DATA / "seeded.db"  # bench.py's, made as it makes it (the national data set is not needed here)
    if not seeded.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        run("init", "--db", str(seeded))
    results = bench_import_measures({"seeded": seeded}, args.runs)
    print(report(results))
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    ROOT = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT / "bench"))
    sys.exit(main())
