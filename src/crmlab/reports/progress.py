"""Live progress of notebook runs: one line per notebook with cell i of N and the time elapsed."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass
class _Line:
    """The progress of one notebook."""

    cell: int = 0
    total: int = 0
    start: float | None = None
    elapsed: float | None = None
    status: str = "waiting"

    def seconds(self) -> float:
        if self.elapsed is not None:
            return self.elapsed
        return time.monotonic() - self.start if self.start is not None else 0.0


class Display:
    """Live progress: one line per notebook with cell i of N and the time elapsed.

    On a terminal the lines are redrawn in place; otherwise each notebook's start and end is printed once.
    """

    def __init__(self, names: Iterable[str], stream: Any = sys.stderr) -> None:
        self.stream = stream
        self.live = stream.isatty()
        self.lines = {name: _Line() for name in names}
        self.width = max(map(len, self.lines), default=0)
        self.drawn = False

    def __call__(self, event: tuple[Any, ...]) -> None:
        """Take one event: ``("start", name, n_cells)``, ``("cell", name, i)``, ``("retry", name, attempt)``.

        Or ``("done", name, status)``.
        """
        kind, name, value = event
        line = self.lines[name]
        if kind == "retry":
            line.status = "retry"
        elif kind == "start":
            line.total, line.start, line.status = value, time.monotonic(), "running"
        elif kind == "cell":
            line.cell = value
        elif kind == "stage":  # ("stage", name, "Spark stage 3: 5/8 tasks"), see crmlab.data.spark.stage_progress
            line.status = value
        elif kind == "done":
            line.status, line.elapsed = value, line.seconds()
        if not self.live and kind in ("start", "done"):
            print(self._text(name), file=self.stream, flush=True)
        self.draw()

    def _text(self, name: str) -> str:
        line = self.lines[name]
        return f"{name:<{self.width}}  cell {line.cell:>3}/{line.total:<3}  {line.seconds():6.1f} s  {line.status}"

    def draw(self) -> None:
        """Redraw every line in place (on a terminal only)."""
        if not self.live:
            return
        if self.drawn:
            self.stream.write(f"\x1b[{len(self.lines)}F")
        self.stream.write("".join(f"\x1b[2K{self._text(n)}\n" for n in self.lines))
        self.stream.flush()
        self.drawn = True
