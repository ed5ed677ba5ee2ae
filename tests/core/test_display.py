"""The one table presenter: kinds, currency, top rows with the full table as CSV, no row numbers."""

from __future__ import annotations

import pandas as pd

from crmlab.core.display import display_table, format_number, with_currency


def frame(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": [f"C{i}" for i in range(n)],
            "revenue": [1234.5 * (i + 1) for i in range(n)],
            "share": [0.4031] * n,
            "lift": [2.345] * n,
            "reasons": ["a long reason that must be shown in full, never cut with an ellipsis " * 3] * n,
        }
    )


def test_money_takes_the_runner_currency_and_ratios_a_times_sign(monkeypatch):
    monkeypatch.setenv("CRMLAB_CURRENCY", "EUR")
    html = display_table(frame(2), kinds={"revenue": "money", "share": "percent", "lift": "ratio"}).to_html()
    assert "EUR 1,234.50" in html and "EUR 2,469.00" in html and "40.3%" in html and "2.35×" in html
    assert "…" not in html and "0.4031" not in html
    monkeypatch.delenv("CRMLAB_CURRENCY")
    assert format_number(1234.5, "money") == "1,234.50" and with_currency("5.00", "¥") == "¥5.00"
    assert format_number(None, "money") == "–" and format_number(float("nan"), "count") == "–"


def test_long_tables_show_the_top_rows_and_link_every_row_as_csv(tmp_path):
    table = frame(30)
    html = display_table(
        table, kinds={"revenue": "money"}, columns=["customer_id", "revenue"], max_rows=10,
        full_csv=tmp_path / "customers.csv", caption="Top <customers>", lang="zh",
    ).to_html()
    assert html.count("<tr>") == 11 and "C9<" in html and "C10<" not in html
    assert "显示前 10 行（共 30 行）" in html and f'href="{(tmp_path / "customers.csv").as_posix()}"' in html
    assert "Top &lt;customers&gt;" in html
    written = pd.read_csv(tmp_path / "customers.csv", encoding="utf-8-sig")
    assert len(written) == 30 and list(written.columns)[0] == "customer_id" and written["revenue"].iloc[29] == 37035.0
    assert (tmp_path / "customers.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_short_tables_are_shown_whole_without_a_note(tmp_path):
    html = display_table(frame(3), max_rows=10, full_csv=tmp_path / "x.csv").to_html()
    assert html.count("<tr>") == 4 and "rows" not in html and not (tmp_path / "x.csv").exists()


def test_a_dataframe_shown_as_it_is_has_no_row_numbers_and_keeps_a_named_index():
    from crmlab.core.display import _plain_table_html

    plain = _plain_table_html(pd.DataFrame({"n": [1200, 3400], "p": [0.123456, 0.5]}))
    assert "1,200" in plain and "0.123" in plain and "0.123456" not in plain
    assert 'class="row_heading' not in plain and "<th" in plain
    named = _plain_table_html(pd.DataFrame({"n": [1, 2]}, index=pd.Index(["gold", "lead"], name="segment")))
    assert "segment" in named and "gold" in named
    long = _plain_table_html(pd.DataFrame({"n": range(5000)}))
    assert long.count("<tr>") == 11 and "The first 10 of 5,000 rows." in long
