"""The exit list: customers judged bad over several periods, their reasons and the exit checklist.

Steps 5 and 6 of notebook ``10-exit-classification``: `flag_exits` applies the k-of-n periods rule
to the network's predictions, `exit_list` lists the flagged customers with their latest factor
profile and the reasons, `write_exit_list` saves it as CSV (every column) and `exit_list_table`
shows its first rows (a few columns); `checklist` is the exit-management checklist with this run's
counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from crmlab.core.checks import check_range, check_whole
from crmlab.core.csvfile import write_csv
from crmlab.core.display import display_table
from crmlab.core.i18n import t
from crmlab.data.schemas import require_columns
from crmlab.exit.factors import COST_FACTORS, FACTORS, SCORE_COL


@dataclass(frozen=True)
class ExitFlags:
    """The k-of-n periods rule applied to the network's predictions.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per customer: ``customer_id``, ``periods_seen`` and ``bad_periods`` (within the last
        n periods), ``bad_latest`` (bad in the latest period) and ``flagged`` (bad in at least k).
    k_periods, n_periods : int
        The rule actually applied (reduced when the data has fewer than n periods).
    periods : tuple
        The last n periods of the data.
    """

    table: pd.DataFrame
    k_periods: int
    n_periods: int
    periods: tuple[object, ...]

    @property
    def n_customers(self) -> int:
        """Customers judged."""
        return len(self.table)

    @property
    def n_flagged(self) -> int:
        """Customers on the exit list."""
        return int(self.table["flagged"].sum())

    @property
    def n_point_in_time(self) -> int:
        """Customers a one-period view would call bad (bad in the latest period)."""
        return int(self.table["bad_latest"].sum())

    @property
    def n_spared(self) -> int:
        """Customers bad in the latest period but not flagged: to watch, not to exit."""
        return int((self.table["bad_latest"] & ~self.table["flagged"]).sum())

    @property
    def n_always(self) -> int:
        """Flagged customers who were bad in every period of the window they were seen in."""
        table = self.table
        return int((table["flagged"] & (table["bad_periods"] >= table["periods_seen"])).sum())

    @property
    def bad_share(self) -> float:
        """Share of customers on the exit list."""
        return self.n_flagged / self.n_customers if self.n_customers else 0.0


def flag_exits(
    predictions: pd.DataFrame,
    *,
    k_periods: int = 2,
    n_periods: int = 3,
    customer_col: str = "customer_id",
    period_col: str = "period",
    predicted_col: str = "predicted",
) -> ExitFlags:
    """Flag customers predicted bad in at least ``k_periods`` of the last ``n_periods`` periods.

    When the data has fewer than ``n_periods`` periods, all of them are used and ``k_periods`` is
    capped at that number (with one period this is a point-in-time judgement).

    Parameters
    ----------
    predictions : pandas.DataFrame
        ``ExitModel.predictions`` (or any frame with customer, period and predicted columns).
    k_periods, n_periods : int
        The rule: bad in at least k of the last n periods, ``1 <= k <= n``.
    customer_col, period_col, predicted_col : str
        Column names.

    Returns
    -------
    ExitFlags

    Raises
    ------
    ParameterError
        ``k_periods`` or ``n_periods`` is not a whole number, or not ``1 <= k_periods <= n_periods``.
    InputError
        A column is missing.

    Examples
    --------
    >>> predictions = pd.DataFrame(
    ...     {"customer_id": ["a", "a", "b", "b"], "period": [1, 2, 1, 2], "predicted": ["bad", "bad", "good", "bad"]}
    ... )
    >>> flag_exits(predictions, k_periods=2, n_periods=2).table["flagged"].tolist()
    [True, False]
    """
    n_periods = check_whole(n_periods, "n_periods", low=1)
    hint = t("exit.k_periods_hint")
    k_periods = check_whole(k_periods, "k_periods", low=1, hint=hint)
    check_range(k_periods, "k_periods", high=n_periods, hint=hint)
    require_columns(predictions, [customer_col, period_col, predicted_col], context=t("exit.context.predictions"))
    periods = sorted(predictions[period_col].unique())[-n_periods:]
    k = min(k_periods, len(periods))
    recent = predictions[predictions[period_col].isin(periods)]
    is_bad = recent[predicted_col].eq("bad")
    grouped = is_bad.groupby(recent[customer_col], sort=True)
    latest = predictions[predictions[period_col] == periods[-1]]
    bad_latest = latest.set_index(customer_col)[predicted_col].eq("bad")
    table = pd.DataFrame({"periods_seen": grouped.size(), "bad_periods": grouped.sum().astype(int)})
    table["bad_latest"] = bad_latest.reindex(table.index, fill_value=False).astype(bool)
    table["flagged"] = table["bad_periods"] >= k
    table = table.rename_axis(customer_col).reset_index()
    return ExitFlags(table=table, k_periods=k, n_periods=len(periods), periods=tuple(periods))


def flags_text(flags: ExitFlags, *, lang: str | None = None) -> str:
    """The rule applied and its counts; with a single period, a warning comes first."""
    text = t(
        "exit.text.flags",
        lang,
        k=flags.k_periods,
        n=flags.n_periods,
        flagged=flags.n_flagged,
        customers=flags.n_customers,
        share=flags.bad_share,
        point=flags.n_point_in_time,
        spared=flags.n_spared,
    )
    return t("exit.text.single_period", lang) + "\n\n" + text if flags.n_periods == 1 else text


def exit_list(
    df: pd.DataFrame,
    flags: ExitFlags,
    *,
    factors: Sequence[str] = FACTORS,
    cost_factors: frozenset[str] = COST_FACTORS,
    customer_col: str = "customer_id",
    period_col: str = "period",
    n_reasons: int = 3,
    lang: str | None = None,
) -> pd.DataFrame:
    """The flagged customers with their latest factor profile and the reasons.

    The profile is each customer's latest row. The reasons are the ``n_reasons`` factors furthest
    below the average of all customers' latest rows, in standard deviations (a cost factor counts as
    below average when it is above).

    Parameters
    ----------
    df : pandas.DataFrame
        The scored table (factors and ``ahp_score``).
    flags : ExitFlags
        Output of `flag_exits`.
    factors : sequence of str
        The factor columns.
    cost_factors : frozenset of str
        Factors where higher is worse.
    customer_col, period_col : str
        Column names.
    n_reasons : int
        Factors named per customer.
    lang : str, optional
        Language of the reasons (default: the current language).

    Returns
    -------
    pandas.DataFrame
        ``customer_id``, ``bad_periods``, ``periods_seen``, ``ahp_score``, the factors and
        ``reasons``; lowest score first.
    """
    latest = df.sort_values(period_col).drop_duplicates(customer_col, keep="last").set_index(customer_col)
    values = latest[list(factors)]
    goodness = (values - values.mean()) / values.std(ddof=0).replace(0.0, np.nan)
    for factor in cost_factors & set(factors):
        goodness[factor] = -goodness[factor]
    goodness = goodness.fillna(0.0)
    flagged = flags.table[flags.table["flagged"]].set_index(customer_col)
    ids = [c for c in flagged.index if c in latest.index]
    reasons = [_reasons(goodness.loc[c], n_reasons, lang) for c in ids]
    out = pd.DataFrame(
        {
            customer_col: ids,
            "bad_periods": flagged.loc[ids, "bad_periods"].to_numpy(),
            "periods_seen": flagged.loc[ids, "periods_seen"].to_numpy(),
            SCORE_COL: latest.loc[ids, SCORE_COL].round(4).to_numpy() if SCORE_COL in latest else np.nan,
        }
    )
    profile = latest.loc[ids, list(factors)].round(4).reset_index(drop=True)
    out = pd.concat([out, profile], axis=1)
    out["reasons"] = reasons
    return out.sort_values(SCORE_COL, ignore_index=True)


def _reasons(goodness: pd.Series, n: int, lang: str | None) -> str:
    worst = goodness.nsmallest(n)
    parts = [
        t("exit.reason", lang, factor=t(f"exit.factor.{f}", lang), sd=f"{v:+.1f}") for f, v in worst.items() if v < 0
    ]
    return t("exit.reason_sep", lang).join(parts)


def exit_list_table(
    table: pd.DataFrame, *, customer_col: str = "customer_id", n_rows: int = 10, lang: str | None = None
) -> Styler:
    """The first ``n_rows`` of the exit list as a report shows it: customer, bad periods, score, reasons in full.

    Bad periods read "3 of 3" (bad in the window of periods the customer was seen in); the factor
    profile stays in the CSV.
    """
    shown = table.assign(
        bad_periods=[
            t("exit.text.periods_of", lang, bad=b, seen=s)
            for b, s in zip(table["bad_periods"], table["periods_seen"], strict=True)
        ]
    )
    return display_table(
        shown,
        headings="exit.col",
        kinds={SCORE_COL: "score", "bad_periods": "text"},
        columns=[customer_col, "bad_periods", SCORE_COL, "reasons"],
        max_rows=n_rows,
        lang=lang,
    )


def write_exit_list(table: pd.DataFrame, output_dir: str | Path, *, name: str = "exit_list.csv") -> Path:
    """Write the exit list with `crmlab.core.csvfile.write_csv` (Excel-safe UTF-8 CSV)."""
    return write_csv(table, Path(output_dir) / name)


def written_text(path: Path, table: pd.DataFrame, *, lang: str | None = None) -> str:
    """The sentence saying where the exit list was written and how many customers it holds."""
    return t("exit.text.written", lang, path=path.name, n=len(table))


def review_advice(
    flags: ExitFlags, table: pd.DataFrame, path: Path, *, customer_col: str = "customer_id", lang: str | None = None
) -> str:
    """Whom to review for exit, and whom first: the customers bad in every period, lowest score first."""
    if flags.n_flagged == 0:
        return t("exit.say.review_none", lang, k=flags.k_periods, n=flags.n_periods, spared=flags.n_spared)
    always = table[table["bad_periods"] >= table["periods_seen"]]
    first = (always if len(always) else table)[customer_col].head(3).astype(str)
    return t(
        "exit.say.review",
        lang,
        flagged=flags.n_flagged,
        always=flags.n_always,
        path=path.name,
        first=t("common.list_sep", lang).join(first),
        spared=flags.n_spared,
    )


def checklist(flags: ExitFlags, *, lang: str | None = None) -> str:
    """The exit-management checklist (prepare / exit step by step / after the exit) as Markdown.

    The counts of this run are filled in: customers tracked, periods, customers flagged, those bad
    in every period of the window (start with them), and those bad only lately (watch, don't exit).
    """
    values = {
        "customers": flags.n_customers,
        "periods": flags.n_periods,
        "k": flags.k_periods,
        "flagged": flags.n_flagged,
        "always": flags.n_always,
        "spared": flags.n_spared,
    }
    lines = [f"### {t('exit.checklist.title', lang)}", ""]
    for section, items in (("prepare", 3), ("exit", 4), ("after", 3)):
        lines += [f"**{t(f'exit.checklist.{section}', lang)}**", ""]
        lines += [f"- [ ] {t(f'exit.checklist.{section}_{i}', lang, **values)}" for i in range(1, items + 1)]
        lines.append("")
    return "\n".join(lines)
