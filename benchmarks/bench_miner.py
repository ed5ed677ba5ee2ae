"""Benchmark crmlab.basket.miner against mlxtend fpgrowth and pyfim (Borgelt's C library).

Each (tool, data set, min_support) runs in its own child process, which reports the mining time
(wall clock, best of ``--repeat`` runs for the fast tools, one run for mlxtend) and memory:

- ``peak MB``: the child's peak resident memory while mining (Linux ``VmHWM``, reset with
  ``/proc/self/clear_refs`` once the input is ready, so reading the data does not count; it
  includes the interpreter, the imports and the tool's input);
- ``extra MB``: that peak minus the resident memory just before mining - what the tool itself
  needed. The memory goal is checked on this figure.

Without ``/proc`` (not Linux) both fall back to ``resource.getrusage(...).ru_maxrss``. The itemset
counts of the tools are compared.

Input of each tool, prepared before timing: crmlab and pyfim get the baskets as a list of lists of
item labels (crmlab's time includes encoding them); mlxtend gets a sparse one-hot DataFrame (a
dense one would need 1.4 GB for retail.dat).

Usage::

    .venv/bin/python benchmarks/bench_miner.py [--data-dir ../shared/datasets] [--skip-mlxtend]
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

CASES = (
    ("retail.dat", "fimi/retail.dat", 0.001),
    ("retail.dat", "fimi/retail.dat", 0.0005),
    ("Online Retail", "online-retail/online_retail.csv", 0.005),
)
TOOLS = ("crmlab", "pyfim", "mlxtend")


def load_baskets(path: Path) -> list[list[str]]:
    """Baskets of a FIMI .dat file, or of the cleaned Online Retail invoices (item = description)."""
    if path.suffix == ".dat":
        return [line.split() for line in path.read_text().splitlines() if line.strip()]
    from crmlab.basket import baskets_of, clean_basket_lines, read_basket_lines

    return baskets_of(clean_basket_lines(read_basket_lines(path)).data)


def child(tool: str, path: Path, min_support: float, repeat: int) -> dict:
    """Run one tool once or ``repeat`` times in this process; return time, itemsets and peak memory."""
    baskets = load_baskets(path)
    if tool == "crmlab":
        from crmlab.basket.miner import frequent_itemsets

        def run() -> int:
            return len(frequent_itemsets(baskets, min_support=min_support))
    elif tool == "pyfim":
        import math

        import fim

        from crmlab.basket.miner import min_count

        count = min_count(min_support, len(baskets))
        assert math.ceil(min_support * len(baskets)) >= count

        def run() -> int:
            return len(fim.fpgrowth(baskets, target="s", supp=-count, zmin=1, report="a"))
    else:
        import pandas as pd
        from mlxtend.frequent_patterns import fpgrowth

        from crmlab.basket.miner import encode_baskets

        encoded = encode_baskets(baskets)
        onehot = pd.DataFrame.sparse.from_spmatrix(encoded.matrix.astype(bool), columns=list(encoded.items))
        repeat = 1

        def run() -> int:
            return len(fpgrowth(onehot, min_support=min_support, use_colnames=True))

    gc.collect()
    before = _memory_mb(reset=True)
    times, n = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        n = run()
        times.append(time.perf_counter() - start)
    peak = _memory_mb(reset=False)
    return {"seconds": min(times), "itemsets": n, "peak_mb": peak, "extra_mb": peak - before}


def _memory_mb(*, reset: bool) -> float:
    """Current resident memory after resetting the peak (``reset``), else the peak since then, in MB."""
    status = Path("/proc/self/status")
    if not status.exists():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if reset:
        Path("/proc/self/clear_refs").write_text("5")
    field = "VmRSS:" if reset else "VmHWM:"
    line = next(x for x in status.read_text().splitlines() if x.startswith(field))
    return int(line.split()[1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "datasets")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-mlxtend", action="store_true")
    parser.add_argument("--child", nargs=3, metavar=("TOOL", "PATH", "MINSUP"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        tool, path, minsup = args.child
        print(json.dumps(child(tool, Path(path), float(minsup), args.repeat)))
        return
    tools = [t for t in TOOLS if not (args.skip_mlxtend and t == "mlxtend")]
    header = f"{'data':<14} {'minsup':>7} {'tool':<8} {'itemsets':>9} {'time s':>8} {'peak MB':>8} {'extra MB':>9}"
    print(header)
    print("-" * len(header))
    for name, rel, minsup in CASES:
        path = args.data_dir / rel
        if not path.is_file():
            print(f"{name:<14} {minsup:>7} (missing: {path})")
            continue
        results = {}
        for tool in tools:
            out = subprocess.run(
                [sys.executable, __file__, "--repeat", str(args.repeat), "--child", tool, str(path), str(minsup)],
                capture_output=True,
                text=True,
                check=False,
            )
            if out.returncode != 0:
                print(f"{name:<14} {minsup:>7} {tool:<8} failed (exit {out.returncode}): {out.stderr.strip()[-300:]}")
                continue
            results[tool] = r = json.loads(out.stdout.strip().splitlines()[-1])
            figures = f"{r['itemsets']:>9,} {r['seconds']:>8.3f} {r['peak_mb']:>8.0f} {r['extra_mb']:>9.0f}"
            print(f"{name:<14} {minsup:>7} {tool:<8} {figures}")
        mine = results.get("crmlab")
        if mine and "mlxtend" in results:
            m = results["mlxtend"]
            print(
                f"  crmlab vs mlxtend: {m['seconds'] / mine['seconds']:.1f}x faster (goal >= 10x), "
                f"extra memory {mine['extra_mb'] / m['extra_mb']:.2f} of mlxtend's (goal <= 0.20; "
                f"whole-process peak {mine['peak_mb'] / m['peak_mb']:.2f}), "
                f"same itemset count: {m['itemsets'] == mine['itemsets']}"
            )
        if mine and "pyfim" in results:
            p = results["pyfim"]
            print(
                f"  crmlab vs pyfim:   {mine['seconds'] / p['seconds']:.2f}x pyfim's time (goal <= 3x), "
                f"same itemset count: {p['itemsets'] == mine['itemsets']}"
            )


if __name__ == "__main__":
    main()
