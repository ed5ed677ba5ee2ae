"""Runner speed and report size, against papermill + nbconvert on the command line.

Prints, for one plotted notebook: the time of `crmlab run` and of `papermill` then
`jupyter nbconvert --no-input` (what a user would otherwise type), and both reader HTML sizes; then the
wall time of the whole suite on its default data, and of a rebuild where nothing changed.
Goals: <= 5 s and <= 500 KB per plotted reader report; <= 60 s for the suite on 2 cores; <= 5 s rebuild.

    python benchmarks/bench_runner.py [NOTEBOOK]     (default NOTEBOOK: 00-data-profile)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def timed(*cmd: str) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start


def main() -> None:
    name = sys.argv[1] if len(sys.argv) > 1 else "00-data-profile"
    with tempfile.TemporaryDirectory() as tmp:
        reports = Path(tmp) / "reports"
        crmlab = [str(BIN / "crmlab"), "--reports", str(reports), "run"]
        t_crmlab = timed(*crmlab, name, "--force")
        reader = next((reports / name).glob("v*/reader.html"))
        out = Path(tmp) / f"{name}.ipynb"
        t_papermill = timed(str(BIN / "papermill"), str(ROOT / "notebooks" / f"{name}.ipynb"), str(out), "--cwd", tmp)
        t_nbconvert = timed(str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(out))
        baseline_html = out.with_suffix(".html")
        t_suite = timed(*crmlab, "--all", "--force")
        t_rebuild = timed(*crmlab, "--all")
    baseline = t_papermill + t_nbconvert
    print(f"one plotted notebook ({name}):")
    print(f"  crmlab run                        {t_crmlab:6.2f} s   reader {reader.stat().st_size / 1e3:7.1f} KB")
    print(
        f"  papermill + nbconvert --no-input  {baseline:6.2f} s   html   {baseline_html.stat().st_size / 1e3:7.1f} KB"
    )
    print(f"  ratio crmlab / CLI tools          {t_crmlab / baseline:6.2f} x (goal: <= 5 s, <= 500 KB)")
    print(f"whole suite, 2 cores, default data  {t_suite:6.2f} s (goal <= 60 s)")
    print(f"rebuild, nothing changed            {t_rebuild:6.2f} s (goal <= 5 s)")


if __name__ == "__main__":
    main()
