"""Charts. Every chart is ``plot_x(result, *, ax=None, lang=None) -> Axes`` and uses only ``ax.*`` calls.

Shared helpers live in `crmlab.plotting.style`; the charts of each method family live in
``crmlab/plotting/<family>.py``.
"""

from crmlab.plotting.style import apply_cjk_font, cjk_font_name, get_ax

__all__ = ["apply_cjk_font", "cjk_font_name", "get_ax"]
