"""Benchmark of the value analysis (notebook 20): DuckDB against straightforward pandas.

Workload: the cleaning report, cleaning, one row per customer (`crmlab.data.summary.customer_summary`),
the Pareto figures, RFM scores and current value, on the UCI Online Retail file replicated ``--scale``
times (customer ids offset per copy), stored as Parquet under ``benchmarks/.cache/`` (git-ignored).
Each engine runs in its own child process, so its peak memory (max RSS) is its own; the time is the
best of `REPEAT` runs (the machine is shared, so single runs vary a lot). Both engines'
customer tables are compared for equality. The CLV fit (BG/NBD + Gamma-Gamma) is timed separately.

Usage::

    .venv/bin/python benchmarks/bench_value.py                 # 10x (5.4 M lines)
    .venv/bin/python benchmarks/bench_value.py --with-100x     # also DuckDB alone on 100x (54 M lines)

The Online Retail CSV is read from ``--csv`` (default: ``../shared/datasets/online-retail``).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
DEFAULT_CSV = HERE.parent.parent / "shared" / "datasets" / "online-retail" / "online_retail.csv"
COLUMNS = {
    "InvoiceNo": "invoice_id",
    "StockCode": "item_id",
    "Quantity": "quantity",
    "UnitPrice": "unit_price",
    "CustomerID": "customer_id",
    "InvoiceDate": "timestamp",
}
#: Each engine runs the workload this many times in its child; the best time is reported.
REPEAT = 3
#: Customer ids are offset by this much per copy (Online Retail ids are 5 digits).
ID_OFFSET = 100_000


def build(csv: Path, scale: int) -> Path:
    """Write Online Retail replicated ``scale`` times as Parquet (once; reused afterwards)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from crmlab import data as datasets

    target = CACHE / f"online_retail_x{scale}.parquet"
    if target.exists():
        return target
    CACHE.mkdir(parents=True, exist_ok=True)
    base = datasets.read(csv, kind="transactions", columns=COLUMNS)
    base = base[["customer_id", "invoice_id", "item_id", "quantity", "unit_price", "amount", "timestamp"]]
    table = pa.Table.from_pandas(base, preserve_index=False)
    ids = pc.cast(table["customer_id"], pa.int64())
    partial = target.with_suffix(".part")
    with pq.ParquetWriter(partial, table.schema) as writer:
        for copy in range(scale):
            shifted = pc.cast(pc.add(ids, copy * ID_OFFSET), table.schema.field("customer_id").type)
            writer.write_table(table.set_column(0, "customer_id", shifted), row_group_size=1_000_000)
    partial.replace(target)
    return target


def workload(engine: str, path: Path, out: Path | None) -> float:
    """Run the workload with ``engine``; return its seconds; save the customer table to ``out``."""
    import pandas as pd

    from crmlab.data import cleaning, summary
    from crmlab.value import pareto, rfm

    start = time.perf_counter()
    rules = cleaning.CleaningRules()
    source = pd.read_parquet(path) if engine == "pandas" else path
    result = summary.summarize(source, cleaning=rules, engine=engine)
    report, customers = result.cleaning, result.customers
    curve = pareto.pareto(customers, value_col="revenue")
    scored = rfm.rfm_scores(customers.assign(current_value=customers["revenue"]))
    seconds = time.perf_counter() - start
    if out is not None:
        scored.to_parquet(out)
        report.to_parquet(out.with_suffix(".report.parquet"))
    assert curve.n_customers == len(scored)
    return seconds


def peak_mb() -> float:
    """This process's peak resident memory in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(engine: str, path: Path, out: Path | None) -> None:
    """Entry point of a child process: print one JSON line with seconds and memory."""
    import duckdb  # noqa: F401  (imported up front so that the baseline includes it)
    import pandas  # noqa: F401

    import crmlab.data.summary  # noqa: F401

    baseline = peak_mb()
    seconds = min(workload(engine, path, out if i == 0 else None) for i in range(REPEAT))
    print(json.dumps({"engine": engine, "seconds": seconds, "peak_mb": peak_mb(), "baseline_mb": baseline}))


def run_child(engine: str, path: Path, out: Path | None) -> dict:
    """Run `child` in a fresh interpreter and return its measurements."""
    args = [sys.executable, __file__, "--child", engine, "--path", str(path)]
    if out is not None:
        args += ["--out", str(out)]
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def time_clv(summary_path: Path) -> tuple[float, int]:
    """Seconds of the BG/NBD + Gamma-Gamma fit and valuation on the benchmark's customers."""
    import pandas as pd

    from crmlab.data.summary import SUMMARY_COLUMNS
    from crmlab.value import clv

    summary = pd.read_parquet(summary_path)[SUMMARY_COLUMNS]
    start = time.perf_counter()
    clv.potential_value(summary, horizon_months=12)
    return time.perf_counter() - start, len(summary)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV, help="the Online Retail CSV")
    parser.add_argument("--scale", type=int, default=10, help="copies of Online Retail (default 10)")
    parser.add_argument("--with-100x", action="store_true", help="also run DuckDB alone on 100 copies")
    parser.add_argument("--child", choices=["pandas", "duckdb"], help=argparse.SUPPRESS)
    parser.add_argument("--path", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.path, args.out)
        return

    import pandas as pd

    path = build(args.csv, args.scale)
    with tempfile.TemporaryDirectory() as tmp:
        outs = {e: Path(tmp) / f"{e}.parquet" for e in ("pandas", "duckdb")}
        runs = {e: run_child(e, path, outs[e]) for e in ("pandas", "duckdb")}
        same = pd.read_parquet(outs["pandas"]).equals(pd.read_parquet(outs["duckdb"])) and pd.read_parquet(
            outs["pandas"].with_suffix(".report.parquet")
        ).equals(pd.read_parquet(outs["duckdb"].with_suffix(".report.parquet")))
        clv_seconds, n_customers = time_clv(outs["duckdb"])
    lines = pd.read_parquet(path, columns=["quantity"]).shape[0]
    print(f"value analysis on Online Retail x{args.scale}: {lines:,} lines, {n_customers:,} customers")
    for engine, run in runs.items():
        print(
            f"  {engine:7s} {run['seconds']:6.2f} s   peak {run['peak_mb']:7.0f} MB "
            f"(after imports {run['baseline_mb']:.0f} MB)"
        )
    p, d = runs["pandas"], runs["duckdb"]
    extra = (d["peak_mb"] - d["baseline_mb"]) / (p["peak_mb"] - p["baseline_mb"])
    print(
        f"  duckdb / pandas: time {d['seconds'] / p['seconds']:.2f}x (goal <= 0.20x), "
        f"peak memory {d['peak_mb'] / p['peak_mb']:.2f}x (goal <= 0.20x; above the import baseline {extra:.2f}x)"
    )
    print(f"  identical customer tables and cleaning reports: {same}")
    print(f"  CLV fit (BG/NBD + Gamma-Gamma + 12-month value) on {n_customers:,} customers: {clv_seconds:.2f} s")
    if args.with_100x:
        big = build(args.csv, 100)
        run = run_child("duckdb", big, None)
        big_lines = pd.read_parquet(big, columns=["quantity"]).shape[0]
        print(
            f"duckdb on Online Retail x100 ({big_lines:,} lines): {run['seconds']:.2f} s, "
            f"peak {run['peak_mb']:.0f} MB (goal < 4096 MB)"
        )


if __name__ == "__main__":
    main()
