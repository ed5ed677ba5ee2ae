"""What a notebook calls besides the methods: `setup` and `record` (the runner records provenance)."""

from __future__ import annotations

import html
from typing import Any

from crmlab.core import i18n

RECORD_MIME = "application/vnd.crmlab.record+json"


def setup(lang: str = "en") -> None:
    """Prepare a notebook: language, seaborn theme, CJK font, compact PNG figures, pseudonymised ids if asked."""
    import matplotlib as mpl
    import seaborn as sns
    from IPython import get_ipython

    from crmlab.core.pseudonyms import install_display_hook
    from crmlab.core.style import font_families

    i18n.set_lang(lang)
    sns.set_theme(style="whitegrid")
    mpl.rcParams["font.family"] = font_families()
    mpl.rcParams["figure.dpi"] = 90
    mpl.rcParams["axes.unicode_minus"] = False
    shell = get_ipython()
    if shell is not None:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("png", bbox_inches="tight")
    install_display_hook()


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


def record(name: str, value: Any, *, label: str | None = None) -> None:
    """Record a headline figure; the runner copies it into the manifest and the reports index.

    ``label`` is the human-readable name shown in the report (default: ``name``).
    """
    from IPython.display import display

    value = _plain(value)
    shown = label or name
    payload = {"name": name, "value": value, "label": shown}
    text = format_value(value)
    display(
        {
            RECORD_MIME: payload,
            "text/html": f"<p class='crmlab-record'><b>{html.escape(shown)}</b>: {html.escape(text)}</p>",
            "text/plain": f"{shown}: {text}",
        },
        raw=True,
    )
