"""Axes helpers and the CJK font.

Chinese glyphs need a CJK font. crmlab uses Noto Sans CJK SC (SIL Open Font Licence), from Debian's
``fonts-noto-cjk`` (installed by ``make system-deps`` and by CI) or from a file named in the environment
variable ``CRMLAB_CJK_FONT``. Debian ships it inside a TrueType collection, whose first face is the
Japanese one; the Simplified Chinese face is extracted once into a cache folder with fontTools
(already a matplotlib dependency) and registered with matplotlib.

The font is applied to each chart's own text objects (`apply_cjk_font`), not through rcParams, so it
survives ``seaborn.set_theme`` and any other global style change.
"""

from __future__ import annotations

import os
import unicodedata
import warnings
from functools import cache
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

FONT_ENV = "CRMLAB_CJK_FONT"
_FACE = "Noto Sans CJK SC"
_SEARCH = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/System/Library/Fonts/PingFang.ttc",
)
MISSING_FONT_HELP = (
    "No CJK font found, so Chinese text in charts cannot be drawn. Install Noto Sans CJK "
    "(Debian/Ubuntu: `sudo apt-get install fonts-noto-cjk`, or `make system-deps`), or set "
    f"{FONT_ENV} to the path of a .otf/.ttf/.ttc font that has Chinese glyphs."
)


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "crmlab" / "fonts"


def _extract_face(collection: Path, face: str) -> Path:
    """Save the face named ``face`` of a .ttc collection as its own file; return its path."""
    from fontTools.ttLib import TTCollection

    target = _cache_dir() / f"{face.replace(' ', '')}-{collection.stat().st_size}.otf"
    if target.exists():
        return target
    with TTCollection(str(collection), lazy=True) as ttc:
        chosen = ttc.fonts[0]
        for font in ttc.fonts:
            if font["name"].getDebugName(1) == face:
                chosen = font
                break
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.part")
        chosen.save(str(partial))
    partial.replace(target)
    return target


def find_cjk_font_file() -> Path | None:
    """The CJK font file crmlab will use, or None when the machine has none."""
    override = os.environ.get(FONT_ENV)
    candidates = [Path(override)] if override else [Path(p) for p in _SEARCH]
    for path in candidates:
        if path.is_file():
            return _extract_face(path, _FACE) if path.suffix.lower() == ".ttc" else path
    return None


@cache
def cjk_font_name() -> str | None:
    """Register the CJK font with matplotlib once; return its family name, or None if absent."""
    path = find_cjk_font_file()
    if path is None:
        warnings.warn(MISSING_FONT_HELP, stacklevel=2)
        return None
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def font_families() -> list[str]:
    """Families for chart text: the CJK font first (it covers Latin too), then DejaVu Sans."""
    name = cjk_font_name()
    return [name, "DejaVu Sans"] if name else ["DejaVu Sans"]


def apply_cjk_font(target: Axes | Figure) -> None:
    """Set the CJK font on every text of ``target``, including tick labels made later at draw time."""
    families = font_families()
    figure = target if isinstance(target, Figure) else target.figure
    for text in figure.findobj(Text):
        text.set_fontfamily(families)
    for ax in figure.axes:
        ax.tick_params(labelfontfamily=families)


def get_ax(ax: Axes | None = None, *, figsize: tuple[float, float] = (7.0, 4.5)) -> Axes:
    """Return ``ax``, or the axes of a new figure of ``figsize``."""
    if ax is not None:
        return ax
    _, new_ax = plt.subplots(figsize=figsize)
    return new_ax


def money_axis(axis: Axis, label: str, *, log: bool = False) -> None:
    """Label ``axis`` as money: the currency of ``crmlab run --currency`` in the label and on the ticks.

    ``log``: ticks at 1, 2 and 5 times each power of ten, for a logarithmic axis.
    """
    from crmlab.core.display import currency, with_currency

    unit = currency()
    axis.set_label_text(f"{label} ({unit})" if unit else label)
    if log:
        axis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
        axis.set_minor_formatter(NullFormatter())
    shown = FuncFormatter(lambda x, _pos: with_currency(f"{x:,.0f}" if abs(x) >= 1 or x == 0 else f"{x:,.2g}"))
    axis.set_major_formatter(shown)


def wrap_label(label: str, width: int) -> str:
    """``label`` broken into lines of about ``width`` display columns (a CJK character takes two), in full."""
    spaced = " " in label
    lines, line, used = [], "", 0
    for word in label.split(" ") if spaced else list(label):
        size = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in word)
        gap = 1 if spaced and line else 0
        if line and used + gap + size > width:
            lines.append(line)
            line, used, gap = "", 0, 0
        line, used = line + " " * gap + word, used + gap + size
    return "\n".join([*lines, line])
