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


def one_notebook(notebooks: Path, name: str, tmp: Path) -> tuple[float, float, float, float]:
    """Seconds and reader KB for `crmlab run`, then for papermill + nbconvert --no-input."""
    reports = tmp / "one"
    t_crmlab = timed(str(BIN / "crmlab"), "--notebooks", str(notebooks), "--reports", str(reports), "run", name)
    reader_kb = next((reports / name).glob("v*/reader.html")).stat().st_size / 1e3
    out = tmp / f"{name}.ipynb"
    t_papermill = timed(str(BIN / "papermill"), str(notebooks / f"{name}.ipynb"), str(out), "--cwd", str(tmp))
    t_nbconvert = timed(str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(out))
    return t_crmlab, reader_kb, t_papermill + t_nbconvert, out.with_suffix(".html").stat().st_size / 1e3


def main() -> None:
    name = sys.argv[1] if len(sys.argv) > 1 else "00-data-profile"
    with tempfile.TemporaryDirectory() as tmp:
        sys.path.insert(0, str(ROOT))
        from tests.conftest import make_notebook

        make_notebook(Path(tmp) / "minimal")
        rows = [
            ("a minimal plotted notebook", *one_notebook(Path(tmp) / "minimal", "01-smoke", Path(tmp))),
            (name, *one_notebook(ROOT / "src" / "crmlab" / "notebooks", name, Path(tmp))),
        ]
        reports = Path(tmp) / "reports"
        crmlab = [str(BIN / "crmlab"), "--reports", str(reports), "run"]
        t_suite = timed(*crmlab, "--all", "--force")
        t_rebuild = timed(*crmlab, "--all")
        sizes = {p.parts[-3]: p.stat().st_size / 1e3 for p in sorted(reports.glob("*/v*/reader.html"))}
    for label, t_crmlab, reader_kb, t_cli, cli_kb in rows:
        print(f"{label}:")
        print(f"  crmlab run                        {t_crmlab:6.2f} s   reader {reader_kb:7.1f} KB")
        print(f"  papermill + nbconvert --no-input  {t_cli:6.2f} s   html   {cli_kb:7.1f} KB")
        print(f"  ratio crmlab / CLI tools          {t_crmlab / t_cli:6.2f} x   (goal: <= 5 s and <= 500 KB a report)")
    print(f"whole suite, 2 cores, default data  {t_suite:6.2f} s (goal <= 60 s)")
    print(f"rebuild, nothing changed            {t_rebuild:6.2f} s (goal <= 5 s)")
    print("reader report sizes (goal <= 500 KB): " + ", ".join(f"{k} {v:.0f} KB" for k, v in sizes.items()))


if __name__ == "__main__":
    main()
