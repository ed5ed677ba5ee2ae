"""Benchmark of the Spark engine (``engine=spark``) against the embedded one, on Online Retail x1, x10, x100.

Two workloads, the data reductions notebooks 20 and 30 run on Spark:

- ``value``: cleaning with the per-rule counts and one row per customer
  (`crmlab.data.summary.summarize` on DuckDB, `crmlab.data.spark.summarize` on Spark);
- ``basket``: cleaning basket lines and mining frequent itemsets at ``--min-support``
  (the embedded numpy miner on pandas lines, `crmlab.basket.spark.mine` with MLlib FPGrowth).

Data: the UCI Online Retail CSV replicated x1, x10, x100 as Parquet under ``benchmarks/.cache/``
(`bench_value.build`: customer ids offset per copy; the basket files also give each copy its own
invoice ids, so baskets are copies and not merged). Each (workload, engine, scale) runs in its own
child process; Spark runs ``local[2]`` with the driver capped at 4 GB (``--driver-memory 4g``, the
driver is the only JVM in local mode). ``peak MB`` is the peak resident memory of the child and its
children (the JVM), polled every 0.2 s; ``start s`` is Spark's session start, not part of ``time s``.
Both engines' results are compared (customer tables exact, money to the cent; itemsets and counts).

Usage::

    .venv/bin/python benchmarks/bench_spark.py [--csv ../shared/datasets/online-retail/online_retail.csv]
        [--scales 1 10 100] [--basket-scales 1 10]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench_value import CACHE, DEFAULT_CSV, build

ENGINES = ("embedded", "spark")
DRIVER_MEMORY = "4g"


def basket_file(csv: Path, scale: int) -> Path:
    """Basket lines (invoice_id, item = stock code, item_id, quantity, customer_id), each copy its own invoices."""
    import duckdb

    target = CACHE / f"online_retail_baskets_x{scale}.parquet"
    if target.exists():
        return target
    source = str(build(csv, 1)).replace("'", "''")
    partial = target.with_suffix(".part")
    duckdb.sql(f"""
        COPY (SELECT invoice_id || '-' || copy AS invoice_id, item_id AS item, item_id, quantity, customer_id
              FROM read_parquet('{source}'), range({scale}) AS copies(copy))
        TO '{partial}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)
    """)
    partial.replace(target)
    return target


def run_value(engine: str, path: Path, out: Path) -> dict:
    from crmlab.data.cleaning import CleaningRules

    if engine == "embedded":
        from crmlab.data.summary import summarize

        start = time.perf_counter()
        customers = summarize(path, cleaning=CleaningRules()).customers
        return {"seconds": time.perf_counter() - start, "rows": len(customers), "table": customers}
    from crmlab.data import spark as spark_data

    begin = time.perf_counter()
    spark = spark_data.session("local[2]")
    started = time.perf_counter() - begin
    start = time.perf_counter()
    customers = spark_data.summarize(spark.read.parquet(str(path)), cleaning=CleaningRules()).customers
    return {"seconds": time.perf_counter() - start, "start": started, "rows": len(customers), "table": customers}


def run_basket(engine: str, path: Path, min_support: float) -> dict:
    import pandas as pd

    if engine == "embedded":
        from crmlab import basket

        start = time.perf_counter()
        lines = pd.read_parquet(path)
        itemsets = basket.mine(basket.clean_basket_lines(lines).data, min_support=min_support)
        seconds = time.perf_counter() - start
    else:
        from pyspark.sql import functions as F

        from crmlab.basket import spark as basket_spark
        from crmlab.data import spark as spark_data

        begin = time.perf_counter()
        spark = spark_data.session("local[2]")
        started = time.perf_counter() - begin
        start = time.perf_counter()
        lines = spark.read.parquet(str(path)).withColumn("line_no", F.monotonically_increasing_id())
        itemsets = basket_spark.mine(basket_spark.clean_lines(lines).data, min_support=min_support)
        seconds = time.perf_counter() - start
    table = pd.DataFrame(
        {"items": [" ".join(sorted(map(str, s))) for s in itemsets.table["itemsets"]], "count": itemsets.table["count"]}
    )
    result = {"seconds": seconds, "rows": len(table), "table": table.sort_values("items", ignore_index=True)}
    return result | ({"start": started} if engine == "spark" else {})


def child(workload: str, engine: str, path: Path, out: Path, min_support: float) -> None:
    """Entry point of a child process: run one case, save its table to ``out``, print one JSON line."""
    run = run_value(engine, path, out) if workload == "value" else run_basket(engine, path, min_support)
    run.pop("table").to_parquet(out)
    print(json.dumps(run))


def run_child(workload: str, engine: str, path: Path, out: Path, min_support: float) -> dict:
    """Run `child` in a fresh interpreter; add its peak memory (with the JVM) and wall time."""
    import psutil

    env = {**os.environ, "PYSPARK_SUBMIT_ARGS": f"--driver-memory {DRIVER_MEMORY} pyspark-shell"}
    args = [sys.executable, __file__, "--child", workload, engine, str(path), str(out), str(min_support)]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    peak = 0
    done = threading.Event()

    def poll() -> None:
        nonlocal peak
        parent = psutil.Process(process.pid)
        while not done.is_set():
            try:
                tree = [parent, *parent.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.2)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    stdout, _ = process.communicate()
    done.set()
    watcher.join()
    if process.returncode:
        return {"failed": f"exit {process.returncode}", "peak_mb": peak / 2**20}
    return json.loads(stdout.strip().splitlines()[-1]) | {"peak_mb": peak / 2**20}


def same(workload: str, outs: dict[str, Path]) -> bool:
    import pandas as pd

    a, b = (pd.read_parquet(outs[e]) for e in ENGINES)
    if workload == "value":
        money = ["revenue", "first_day_revenue"]
        exact = [c for c in a.columns if c not in money]
        return a[exact].equals(b[exact]) and all((a[c].round(2) == b[c].round(2)).all() for c in money)
    return a.equals(b)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV, help="the Online Retail CSV")
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100], help="copies for the value analysis")
    parser.add_argument("--basket-scales", type=int, nargs="+", default=[1, 10, 100], help="copies for basket mining")
    parser.add_argument("--min-support", type=float, default=0.01, help="min_support of basket mining")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        workload, engine, path, out, support = args.child
        child(workload, engine, Path(path), Path(out), float(support))
        return

    import pyarrow.parquet as pq

    cases = [("value", s, build(args.csv, s)) for s in args.scales]
    cases += [("basket", s, basket_file(args.csv, s)) for s in args.basket_scales]
    print(f"Spark local[2] (driver capped at {DRIVER_MEMORY}) vs the embedded engine; min_support {args.min_support}")
    print(f"{'workload':8s} {'scale':>5s} {'lines':>11s} {'engine':9s} {'time s':>8s} {'start s':>7s} {'peak MB':>8s}")
    ratios: dict[str, list[tuple[int, float, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for workload, scale, path in cases:
            lines = pq.ParquetFile(path).metadata.num_rows
            outs = {e: Path(tmp) / f"{workload}-{scale}-{e}.parquet" for e in ENGINES}
            runs = {e: run_child(workload, e, path, outs[e], args.min_support) for e in ENGINES}
            for engine, run in runs.items():
                if "failed" in run:
                    print(f"{workload:8s} {scale:>5d} {lines:>11,d} {engine:9s} {run['failed']:>8s}")
                    continue
                start = f"{run['start']:7.1f}" if "start" in run else " " * 7
                print(
                    f"{workload:8s} {scale:>5d} {lines:>11,d} {engine:9s} {run['seconds']:8.2f} {start} "
                    f"{run['peak_mb']:8.0f}"
                )
            if all("failed" not in r for r in runs.values()):
                e, s = runs["embedded"], runs["spark"]
                ratios.setdefault(workload, []).append((scale, s["seconds"] / e["seconds"], s["seconds"]))
                print(
                    f"  spark / embedded: time {s['seconds'] / e['seconds']:.1f}x, peak memory "
                    f"{s['peak_mb'] / e['peak_mb']:.1f}x; same results: {same(workload, outs)} ({e['rows']:,} rows)"
                )
    for workload, points in ratios.items():
        fixed = points[0][2]  # Spark's time on the smallest data: mostly its fixed cost (jobs, stages, tasks)
        shares = ", ".join(f"x{scale}: {min(fixed / seconds, 1):.0%}" for scale, _, seconds in points)
        print(f"{workload}: share of Spark's time that is its x{points[0][0]} fixed cost - {shares}")
        trend = ", ".join(f"x{scale}: {ratio:.1f}x" for scale, ratio, _ in points)
        print(f"{workload}: Spark's time as a multiple of the embedded engine's - {trend}")


if __name__ == "__main__":
    main()
