"""What the data profile found, as sentences generated from a `DataProfile`.

`headlines` gives the figures of the summary above the fold (each with its meaning), `fixes` the
recommended actions: what to clean or check before the analyses, or that nothing needs cleaning.
The ``*_caption`` functions state the message of each chart.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from crmlab.core.i18n import sentences, t
from crmlab.profile.profiling import DataProfile, field, target_shares

#: Revenue shares of the top 20% of customers: at least the first is "concentrated" (the 80/20 rule
#: or more), below the second "spread" (close to every customer bringing the same).
CONCENTRATED, SPREAD = 0.8, 0.4
#: A target value rarer than this share makes accuracy useless as a measure of a model.
RARE_TARGET = 0.1


def gap_months(p: DataProfile) -> list[str]:
    """The calendar months (``YYYY-MM``) without a row between the first and the last date."""
    return [month for month, rows in zip(_months(p), p.monthly, strict=True) if rows == 0]


def _months(p: DataProfile) -> list[str]:
    return list(pd.DatetimeIndex(p.monthly.index).strftime("%Y-%m"))


def _worst_missing(p: DataProfile) -> pd.Series | None:
    missing = p.columns[p.columns["missing"] > 0]
    return None if missing.empty else missing.sort_values("missing", ascending=False, kind="stable").iloc[0]


def _figure(name: str, value: float, label: str, kind: str, meaning: str, lang: str | None) -> dict[str, Any]:
    return {"name": name, "value": value, "label": t(label, lang), "kind": kind, "meaning": meaning}


def headlines(p: DataProfile, lang: str | None = None) -> list[dict[str, Any]]:
    """The 3-5 figures a manager reads first: ``name``, ``value``, ``label``, ``kind``, ``meaning`` each.

    Rows, empty cells and duplicate rows always; for transactions also the lines without a customer
    and the revenue share of the top 20% of customers; for basket lines the baskets.
    """
    missing = int(p.columns["missing"].sum())
    worst = _worst_missing(p)
    if p.date_start is not None and p.date_end is not None:
        rows = t(
            "profile.say.rows_dated",
            lang,
            rows=p.rows,
            columns=p.n_columns,
            start=p.date_start.date(),
            end=p.date_end.date(),
            months=len(p.monthly),
        )
    else:
        rows = t("profile.say.rows", lang, rows=p.rows, columns=p.n_columns)
    if worst is None:
        empty = t("profile.say.no_missing", lang)
    else:
        empty = t(
            "profile.say.missing",
            lang,
            missing=missing,
            n=int((p.columns["missing"] > 0).sum()),
            column=field(worst["column"], lang),
            share=float(worst["missing_share"]),
        )
    key = "profile.say.duplicates" if p.duplicate_rows else "profile.say.no_duplicates"
    dup = t(key, lang, n=p.duplicate_rows, share=p.duplicate_rows / p.rows)
    figures = [
        _figure("rows", p.rows, "profile.rec_rows", "count", rows, lang),
        _figure("missing_cells", missing, "profile.rec_missing_cells", "count", empty, lang),
        _figure("duplicate_rows", p.duplicate_rows, "profile.rec_duplicates", "count", dup, lang),
    ]
    tp = p.transactions
    if tp is not None:
        n = tp.lines_without_customer
        guests = t("profile.say.guests" if n else "profile.say.no_guests", lang, n=n, share=n / tp.lines)
        figures.append(_figure("lines_without_customer", n, "profile.rec_no_customer", "count", guests, lang))
        top20 = revenue_caption(p, lang)
        figures.append(_figure("top20_share", tp.top20_share, "value.record.top20_share", "percent", top20, lang))
    if p.basket_items is not None and p.basket_sizes is not None:
        baskets = basket_caption(p, lang)
        figures.append(_figure("baskets", len(p.basket_sizes), "profile.rec_baskets", "count", baskets, lang))
    return figures


def fixes(p: DataProfile, lang: str | None = None) -> list[str]:
    """What to clean or check before the analyses, most important first; one sentence when nothing."""
    out = []
    if p.duplicate_rows:
        out.append(t("profile.fix.duplicates", lang, n=p.duplicate_rows))
    worst = _worst_missing(p)
    if worst is not None:
        out.append(
            t(
                "profile.fix.missing",
                lang,
                column=field(worst["column"], lang),
                missing=int(worst["missing"]),
                n=int((p.columns["missing"] > 0).sum()),
            )
        )
    tp = p.transactions
    if tp is not None and tp.lines_without_customer:
        out.append(t("profile.fix.guests", lang, n=tp.lines_without_customer))
    if tp is not None and tp.cancellation_lines + tp.return_lines + tp.nonpositive_price_lines:
        out.append(
            t(
                "profile.fix.cancellations",
                lang,
                cancel=tp.cancellation_lines,
                returns=tp.return_lines,
                prices=tp.nonpositive_price_lines,
            )
        )
    gaps = gap_months(p)
    if gaps:
        out.append(t("profile.fix.gaps", lang, n=len(gaps), months=t("common.list_sep", lang).join(gaps)))
    if p.basket_sizes is not None and len(p.basket_sizes) and p.basket_sizes.max() <= 1:
        out.append(t("profile.fix.single_lines", lang))
    flagged = p.outliers[p.outliers["below"] + p.outliers["above"] > 0]
    if len(flagged):
        names = t("common.list_sep", lang).join(field(c, lang) for c in flagged["column"])
        out.append(t("profile.fix.outliers", lang, n=int((flagged["below"] + flagged["above"]).sum()), columns=names))
    return out or [t("profile.fix.none", lang)]


def missing_caption(p: DataProfile, lang: str | None = None) -> str:
    """The message of the missing-values chart (the chart is drawn only when a cell is empty)."""
    worst = _worst_missing(p)
    if worst is None:
        return t("profile.say.no_missing", lang)
    return t(
        "profile.say.missing_chart",
        lang,
        column=field(worst["column"], lang),
        share=float(worst["missing_share"]),
        n=int((p.columns["missing"] > 0).sum()),
        columns=p.n_columns,
    )


def monthly_caption(p: DataProfile, lang: str | None = None) -> str:
    """The message of the rows-per-month chart: the busiest and quietest month and the gaps."""
    months, rows = _months(p), p.monthly.to_numpy()
    text = t(
        "profile.say.monthly",
        lang,
        top=months[rows.argmax()],
        top_rows=int(rows.max()),
        low=months[rows.argmin()],
        low_rows=int(rows.min()),
    )
    gaps = gap_months(p)
    if gaps:
        text = sentences(text, t("profile.say.gaps", lang, n=len(gaps)), lang=lang)
    return text


def basket_caption(p: DataProfile, lang: str | None = None) -> str:
    """The message of the basket-size chart, or why there is none (every invoice has a single line)."""
    sizes = p.basket_sizes
    if sizes is None or len(sizes) == 0 or sizes.max() <= 1:
        return t("profile.sum_basket_single", lang)
    return t("profile.sum_basket", lang, median=float(sizes.median()), p90=float(sizes.quantile(0.9)))


def revenue_caption(p: DataProfile, lang: str | None = None) -> str:
    """The revenue share of the top 20% of customers and whether revenue is concentrated or spread."""
    share = p.transactions.top20_share if p.transactions is not None else float("nan")
    if pd.isna(share):
        return t("profile.say.no_revenue", lang)
    key = "concentrated" if share >= CONCENTRATED else "spread" if share < SPREAD else "moderate"
    return t(f"profile.say.top20_{key}", lang, share=share)


def target_caption(p: DataProfile, lang: str | None = None) -> str:
    """The message of the target chart: the share of each value, and whether the rarer one is rare."""
    if p.target_counts is None or p.target_counts.empty:
        return ""
    rare = float(p.target_counts.min() / p.rows)
    key = "profile.say.target_rare" if rare < RARE_TARGET else "profile.say.target_balanced"
    return t(key, lang, target=p.target, shares=target_shares(p, lang), rare=rare)
