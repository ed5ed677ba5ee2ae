import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402

from crmlab.core.style import apply_cjk_font, find_cjk_font_file, wrap_label  # noqa: E402
from tests.conftest import require_system  # noqa: E402


def test_chinese_renders_without_missing_glyphs_even_after_set_theme():
    require_system(find_cjk_font_file() is not None, "The Noto Sans CJK font", "sudo apt-get install fonts-noto-cjk")
    fig, ax = plt.subplots()
    ax.bar(["白金", "黄金", "铁质", "铅质"], [4, 3, 2, 1])
    ax.set_title("客户价值矩阵")
    apply_cjk_font(ax)
    sns.set_theme()  # resets rcParams fonts; the chart's own fonts must survive
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    glyph_warnings = [w for w in caught if "missing from font" in str(w.message)]
    assert glyph_warnings == []
    assert "Noto Sans CJK SC" in ax.title.get_fontfamily()
    plt.close(fig)


def test_without_cjk_font_chinese_would_be_missing():
    """The check above can fail: DejaVu Sans alone lacks Chinese glyphs."""
    fig, ax = plt.subplots()
    ax.set_title("客户", fontfamily="DejaVu Sans")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    assert any("missing from font" in str(w.message) for w in caught)
    plt.close(fig)


def test_long_item_names_are_wrapped_not_cut() -> None:
    assert wrap_label("WHITE HANGING HEART T-LIGHT HOLDER", 18) == "WHITE HANGING\nHEART T-LIGHT\nHOLDER"
    assert wrap_label("柑橘类水果", 18) == "柑橘类水果" and "…" not in wrap_label("x" * 40, 18)
