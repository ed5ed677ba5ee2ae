"""What a notebook calls besides the methods: `setup`, `record` and `recommend` (the runner records provenance).

`record` with ``headline=True`` and `recommend` feed the summary at the top of the reader page
(`crmlab.reports.export`): up to five key-figure boxes, each with its sentence of meaning, then the
recommended actions. A notebook that records no headline figure simply gets no summary.
"""

from __future__ import annotations

import html
from typing import Any

from crmlab.core import i18n

RECORD_MIME = "application/vnd.crmlab.record+json"
RECOMMEND_MIME = "application/vnd.crmlab.recommend+json"
#: The kinds of recorded figure (formatted as `crmlab.core.display` formats a table column of that kind).
FIGURE_KINDS = ("count", "money", "percent", "ratio", "number", "score", "text")


def setup(lang: str = "en") -> None:
    """Prepare a notebook: language, seaborn theme, CJK font, sharp (2x) PNG figures, pseudonymised ids if asked."""
    import matplotlib as mpl
    import seaborn as sns
    from IPython import get_ipython

    from crmlab.core.display import install_table_hook
    from crmlab.core.pseudonyms import install_display_hook
    from crmlab.core.style import font_families

    i18n.set_lang(lang)
    sns.set_theme(style="whitegrid")
    mpl.rcParams["font.family"] = font_families()
    mpl.rcParams["figure.dpi"] = 90
    mpl.rcParams["axes.unicode_minus"] = False
    shell = get_ipython()
    if shell is not None:
        from matplotlib.figure import Figure
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("png", bbox_inches="tight")
        shell.display_formatter.formatters["image/png"].for_type(Figure, sharp_png)
    install_display_hook()
    install_table_hook()  # after the pseudonyms' hook: display_table pseudonymises too


def sharp_png(fig: Any) -> tuple[bytes, dict[str, int]] | None:
    """A figure as a PNG with twice the pixels, shown at its normal size: sharp on high-density screens.

    The pixels are reduced to a 256-colour palette (charts have few colours), which keeps the file
    about as small as a plain PNG at normal resolution. None for a figure with nothing drawn.
    """
    import io

    from PIL import Image

    if not fig.axes and not fig.lines and not fig.images and not fig.texts:
        return None
    raw = io.BytesIO()
    fig.canvas.print_figure(raw, format="png", dpi=2 * fig.dpi, bbox_inches="tight", facecolor=fig.get_facecolor())
    image = Image.open(raw).convert("RGB").quantize(256, dither=Image.Dither.NONE)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue(), {"width": image.width // 2, "height": image.height // 2}


def _plain(value: Any) -> Any:
    """A JSON-ready version of a number, string or bool (numpy scalars included)."""
    if hasattr(value, "item"):
        value = value.item()
    if not isinstance(value, (int, float, str, bool)) and value is not None:
        raise TypeError(f"record() takes a number, string or bool, got {type(value).__name__}.")
    return value


def format_value(value: Any) -> str:
    """Short display of a recorded value: whole thousands with separators, else 4 significant digits.

    >>> [format_value(v) for v in (47000.0, 0.73823, 5.3125, 1234567)]
    ['47,000', '0.7382', '5.312', '1,234,567']
    """
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"


def format_figure(figure: dict[str, Any], *, signed: bool = False) -> str:
    """A recorded figure as the reports show it: by its ``kind`` when it has one, else `format_value`.

    >>> format_figure({"value": 0.6778, "kind": "percent"}), format_figure({"value": 0.6778})
    ('67.8%', '0.6778')
    >>> format_figure({"value": 1200, "kind": "count"}, signed=True)
    '+1,200'

    Amounts of money from 1,000 up are shown in whole units, smaller ones with cents:

    >>> money = {"kind": "money", "currency": "€"}
    >>> format_figure({**money, "value": 136846.7}), format_figure({**money, "value": 12.5})
    ('€136,847', '€12.50')
    """
    from crmlab.core.display import format_number, with_currency

    value, kind = figure["value"], figure.get("kind")
    if kind == "money" and isinstance(value, (int, float)) and abs(value) >= 1000:
        text = with_currency(f"{value:,.0f}", figure.get("currency"))
    elif kind and kind != "text" and not isinstance(value, (str, bool)) and value is not None:
        text = format_number(value, kind, unit=figure.get("currency"))
    else:
        text = format_value(value)
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    return "+" + text if signed and is_number and value > 0 else text


def record(
    name: str,
    value: Any,
    *,
    label: str | None = None,
    kind: str | None = None,
    meaning: str | None = None,
    headline: bool = False,
) -> None:
    """Record a figure; the runner copies it into the manifest, the reports index and `crmlab diff`.

    ``label`` is the human-readable name shown in the report (default: ``name``). ``kind`` formats
    it (one of `FIGURE_KINDS`; ``money`` takes the currency of ``crmlab run --currency``, kept with
    the figure). ``headline=True`` puts it in a
    box in the summary at the top of the reader page, with ``meaning``, one sentence generated from
    this run's numbers (a catalogue message) saying what the figure means.
    """
    from IPython.display import display

    if kind is not None and kind not in FIGURE_KINDS:
        raise ValueError(f"record(kind={kind!r}): use one of {', '.join(FIGURE_KINDS)}.")
    value = _plain(value)
    shown = label or name
    payload: dict[str, Any] = {"name": name, "value": value, "label": shown}
    extra = {"kind": kind, "meaning": meaning, "headline": headline or None}
    payload.update({k: v for k, v in extra.items() if v is not None})
    if kind == "money":
        from crmlab.core.display import currency

        payload["currency"] = currency()
    text = format_figure(payload)
    colon = "：" if i18n.get_lang() == "zh" else ": "
    display(
        {
            RECORD_MIME: payload,
            "text/html": f"<p class='crmlab-record'><b>{html.escape(shown)}</b>{colon}{html.escape(text)}</p>",
            "text/plain": f"{shown}{colon}{text}",
        },
        raw=True,
    )


def recommend(action: str) -> None:
    """Recommend an action (one sentence generated from this run's numbers) in the reader page's summary."""
    from IPython.display import display

    display(
        {
            RECOMMEND_MIME: {"action": action},
            "text/html": f"<p class='crmlab-action'>{html.escape(action)}</p>",
            "text/plain": action,
        },
        raw=True,
    )
