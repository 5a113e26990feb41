"""Coverage at national scale: roster import, completion import, the full report, peak memory.

Usage: python -m bench.bench_coverage [--scale 1.0] [--data DIR] [--backend sqlite|postgresql|both]
                                      [--pg-url postgresql://…]

Generates the synthetic national data with ``bench.make_roster`` (kept in ``--data`` between runs),
then runs the real command line, one process per step, as a ministry or province would:

1. ``coverage import-roster`` — all provinces' student rosters in one import, then staff, then teams;
2. ``coverage import-records`` — every completion file in one import;
3. ``coverage report --out …csv`` — the full three-level report of the three courses;
4. ``coverage export`` — the aggregate file.

For each step: wall time, rows per second, µs per row, the peak resident memory of the largest
process (``ru_maxrss``) and the peak of the summed proportional set size of the step's processes (big
imports fork reader processes that share most of their memory with the importer). Without
``--pg-url`` the PostgreSQL run starts a throw-away server with the tests' fixture
(``tests/coverage/pg.py``), with its default durability (fsync on) unlike the tests' servers; SQLite
runs with its defaults too (rollback journal, full syncs).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.make_roster import RESULTS, ROSTERS, national_plan, write_province

REPO = Path(__file__).resolve().parent.parent
AS_OF = "2025-11-30"


def generate(data: Path, scale: float) -> dict[str, int]:
    stamp = data / f".scale-{scale}"
    if stamp.exists():
        return {}
    shutil.rmtree(data, ignore_errors=True)
    totals: dict[str, int] = {}
    started = time.perf_counter()
    for plan in national_plan(scale):
        for key, value in write_province(plan, data).items():
            totals[key] = totals.get(key, 0) + value
    stamp.write_text("")
    print(f"generated in {time.perf_counter() - started:.0f} s: "
          + ", ".join(f"{k} {v:,}" for k, v in totals.items()), flush=True)
    return totals


def count_rows(paths: list[Path]) -> int:
    total = 0
    for path in paths:
        with path.open("rb") as handle:
            total += sum(chunk.count(b"\n") for chunk in iter(lambda h=handle: h.read(1 << 20), b"")) - 1
    return total


def _tree(pid: int) -> list[int]:
    """The process and its descendants (imports fork reader processes)."""
    found = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return found
    for child in children:
        found += _tree(int(child))
    return found


def _pss_kb(pid: int) -> int:
    """Proportional set size: pages shared by a parent and its fork counted once between them."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def step(label: str, args: list[str], rows: int) -> dict:
    """Run one CLI step in a child process: wall time, the largest process's peak RSS (``wait4``) and
    the peak of the summed PSS of the step's processes, sampled every 0.2 s."""
    with tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "generator.cli", *args], cwd=REPO,
                                   stdout=subprocess.DEVNULL, stderr=err, text=True)
        peak_pss = 0
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            peak_pss = max(peak_pss, sum(_pss_kb(p) for p in _tree(process.pid)))
            time.sleep(0.2)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            err.seek(0)
            sys.exit(f"{label} failed ({process.returncode}):\n{err.read()[-3000:]}")
    peak_kb = usage.ru_maxrss
    rate = f", {rows / wall:,.0f} rows/s, {wall / rows * 1e6:.1f} µs/row" if rows else ""
    print(f"  {label}: {wall:.1f} s{rate}, peak RSS {peak_kb / 1024:.0f} MB,"
          f" all processes (PSS) {peak_pss / 1024:.0f} MB", flush=True)
    return {"label": label, "wall": wall, "rows": rows, "peak_kb": peak_kb, "peak_pss_kb": peak_pss}


def run(project: Path, db: str, data: Path) -> list[dict]:
    """Each step is a fresh process, so each step's peak is measured on its own ``ru_maxrss``."""
    base = ["-C", str(project), "coverage"]
    results = []
    folders = sorted(p for p in data.iterdir() if p.is_dir())
    roster_rows = 0
    started = time.perf_counter()
    for name, audience in ROSTERS:
        files = [f / name for f in folders]
        rows = count_rows(files)
        roster_rows += rows
        results.append(step(f"import-roster {audience}", [*base, "import-roster", "--db", db, "--audience", audience,
                                                          *map(str, files)], rows))
    roster_wall = time.perf_counter() - started
    files = [f / name for f in folders for name in RESULTS]
    records = count_rows(files)
    results.append(step("import-records", [*base, "import-records", "--db", db, "--as-of", AS_OF, *map(str, files)],
                        records))
    total = roster_wall + results[-1]["wall"]
    print(f"  national import (roster {roster_rows:,} + records {records:,} rows): {total:.1f} s,"
          f" {total / (roster_rows + records) * 1e6:.1f} µs/row", flush=True)
    out = Path(tempfile.mkdtemp(prefix="cg-bench-"))
    results.append(step("report (3 levels, 3 courses, CSV)", [*base, "report", "--db", db, "--as-of", AS_OF,
                                                               "--out", str(out / "bao-cao.csv")], 0))
    results.append(step("export aggregate", [*base, "export", "--db", db, "--as-of", AS_OF,
                                             "--out", str(out / "tong-hop.json")], 0))
    size = (out / "tong-hop.json").stat().st_size
    print(f"  aggregate file: {size / 1e6:.1f} MB; report rows: {count_rows([out / 'bao-cao.csv']):,}", flush=True)
    shutil.rmtree(out, ignore_errors=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "coursegen-national")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--pg-url", help="an empty PostgreSQL database (default: a throw-away local server)")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from tests.coverage.conftest import make_project

    generate(args.data, args.scale)
    work = Path(tempfile.mkdtemp(prefix="cg-bench-"))
    project = make_project(work / "project")
    print(f"{os.cpu_count()} CPUs; data in {args.data}", flush=True)
    try:
        if args.backend in ("sqlite", "both"):
            print("SQLite:", flush=True)
            run(project, str(work / "coverage.sqlite3"), args.data)
        if args.backend in ("postgresql", "both"):
            print("PostgreSQL:", flush=True)
            if args.pg_url:
                run(project, args.pg_url, args.data)
            else:
                from tests.coverage.pg import PostgresServer

                server = PostgresServer(durable=True).start()  # fsync on, like a real server
                try:
                    run(project, server.create_database("bench"), args.data)
                finally:
                    server.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
