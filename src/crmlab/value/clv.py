"""Potential value: BG/NBD for repeat purchases, Gamma-Gamma for spend, discounted CLV.

Implemented here with scipy (``gammaln``, ``betaln``, ``hyp2f1`` and ``minimize``), following
Fader, Hardie & Lee (2005), "Counting your customers the easy way: an alternative to the Pareto/NBD
model", Marketing Science 24(2), and Fader & Hardie (2013), "The Gamma-Gamma model of monetary value".
Why not a library: ``lifetimes`` is archived (no releases since 2020, breaks with current pandas);
``pymc-marketing`` fits the same models but pulls in PyMC/PyTensor (hundreds of MB, compilation) for a
maximum-likelihood fit that is forty lines of scipy. The formulas are short, published and checked by
tests against the published CDNOW parameters.

Data shape: ``customer summary (crmlab.data.summary.customer_summary) -> frequency, recency, T,
monetary_value per customer`` (`frequency_table`), then `fit_bgnbd` / `fit_gamma_gamma` on it, then
`p_alive`, `expected_purchases` and the discounted `customer_value`. Both fits stop with an InputError
when the optimiser does not reach a maximum. `holdout_check` fits BG/NBD on a calibration period and
compares its forecast with the repeat purchases of the holdout period, as Fader, Hardie & Lee (2005) do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler
from scipy import optimize, special

from crmlab.core.checks import check_range, check_whole, row_numbers
from crmlab.core.display import display_table
from crmlab.core.errors import InputError, ParameterError
from crmlab.core.i18n import t
from crmlab.data.schemas import require_columns
from crmlab.data.summary import customer_summary

DAYS_PER_MONTH = 365.25 / 12
#: A fitted parameter more than this factor away from its starting value has run off: the likelihood
#: keeps rising towards a boundary (e.g. no variation to estimate), so there is no maximum to report.
RUNAWAY_FACTOR = 1e6


def _maximise(objective: Callable[[np.ndarray], float], start: np.ndarray, names: Sequence[str], model: str) -> Any:
    """Minimise ``objective`` over log-parameters from ``start``; InputError unless it converged.

    It has not converged when the optimiser says so, when the likelihood is not finite, or when a
    parameter ends more than `RUNAWAY_FACTOR` times away from its start (the message names it).
    """
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # far-off trial points; judged below
        fit = optimize.minimize(objective, start, method="L-BFGS-B")
    if not fit.success or not np.isfinite(fit.fun) or not np.all(np.isfinite(fit.x)):
        raise InputError(t("value.error.no_convergence", model=model, reason=t("value.error.stopped", n=fit.nit)))
    runaway = np.flatnonzero(np.abs(fit.x - start) > np.log(RUNAWAY_FACTOR))
    if len(runaway):
        name, value = names[runaway[0]], float(np.exp(fit.x[runaway[0]]))
        raise InputError(
            t("value.error.no_convergence", model=model, reason=t("value.error.runaway", name=name, value=value))
        )
    return fit


@dataclass(frozen=True)
class BgNbdParams:
    """Fitted BG/NBD parameters (time unit: ``unit_days`` days).

    ``r``, ``alpha``: gamma heterogeneity of the purchase rate; ``a``, ``b``: beta heterogeneity of the
    drop-out probability after each purchase.
    """

    r: float
    alpha: float
    a: float
    b: float
    unit_days: float
    log_likelihood: float
    n_customers: int


@dataclass(frozen=True)
class GammaGammaParams:
    """Fitted Gamma-Gamma parameters of spend per transaction (``p``, ``q``, ``gamma``)."""

    p: float
    q: float
    gamma: float
    log_likelihood: float
    n_customers: int


def frequency_table(summary: pd.DataFrame, *, unit_days: float = 7.0) -> pd.DataFrame:
    """The BG/NBD and Gamma-Gamma inputs from a customer summary.

    ``customer summary (crmlab.data.summary.customer_summary) -> customer_id, frequency, recency, T,
    monetary_value``. Purchases are counted per calendar day (several lines or invoices on one day
    are one purchase). ``frequency`` is the number of repeat purchase days; ``recency`` is the time
    from the first to the last purchase day and ``T`` from the first purchase day to the analysis
    date, both in units of ``unit_days`` days (7 = weeks, as in the published fits);
    ``monetary_value`` is the mean spend of the repeat purchase days (0 when there are none).

    Examples
    --------
    >>> s = pd.DataFrame({"customer_id": ["a"], "purchase_days": [3], "revenue": [50.0],
    ...                   "first_day_revenue": [10.0], "recency_days": [7], "tenure_days": [21]})
    >>> frequency_table(s).to_dict("records")
    [{'customer_id': 'a', 'frequency': 2, 'recency': 2.0, 'T': 3.0, 'monetary_value': 20.0}]
    """
    require_columns(
        summary,
        ["customer_id", "purchase_days", "revenue", "first_day_revenue", "recency_days", "tenure_days"],
        context="frequency_table",
    )
    check_range(unit_days, "unit_days", low=0, low_open=True)
    frequency = summary["purchase_days"].astype("int64") - 1
    repeats = frequency.where(frequency > 0, 1)
    repeat_spend = (summary["revenue"] - summary["first_day_revenue"]).where(frequency > 0, 0.0)
    return pd.DataFrame(
        {
            "customer_id": summary["customer_id"],
            "frequency": frequency,
            "recency": (summary["tenure_days"] - summary["recency_days"]) / unit_days,
            "T": summary["tenure_days"] / unit_days,
            "monetary_value": (repeat_spend / repeats).astype("float64"),
        },
        index=summary.index,
    )


def _check_table(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    require_columns(table, ["frequency", "recency", "T"], context="frequency_table")
    x, t_x, big_t = (table[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T"))
    bad = np.flatnonzero((x < 0) | (t_x < 0) | (t_x > big_t + 1e-9) | ~np.isfinite(x + t_x + big_t))
    if len(bad):
        raise InputError(t("value.bad_recency", n=len(bad), rows=row_numbers(bad)))
    return x, t_x, big_t


def _bgnbd_loglik(log_params: np.ndarray, x: np.ndarray, t_x: np.ndarray, big_t: np.ndarray) -> np.ndarray:
    r, alpha, a, b = np.exp(log_params)
    a1 = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
    a2 = special.betaln(a, b + x) - special.betaln(a, b)
    a3 = -(r + x) * np.log(alpha + big_t)
    with np.errstate(divide="ignore", invalid="ignore"):
        a4 = np.where(x > 0, np.log(a) - np.log(b + x - 1) - (r + x) * np.log(alpha + t_x), -np.inf)
    return a1 + a2 + np.logaddexp(a3, a4)


def fit_bgnbd(table: pd.DataFrame, *, unit_days: float = 7.0) -> BgNbdParams:
    """Fit the BG/NBD model by maximum likelihood.

    Parameters
    ----------
    table : DataFrame
        ``frequency``, ``recency``, ``T`` per customer (`frequency_table`).
    unit_days : float
        The time unit of ``recency`` and ``T``, kept with the parameters for later predictions.

    Raises
    ------
    InputError
        Too few customers or repeat purchases, or the fit does not converge.
    """
    x, t_x, big_t = _check_table(table)
    if len(x) < 10 or (x > 0).sum() < 2:
        raise InputError(t("value.bgnbd_too_few", n=len(x), repeat=int((x > 0).sum())))

    # Customers with the same (x, t_x, T) share a likelihood term: fit on the distinct rows, weighted.
    rows, counts = np.unique(np.column_stack([x, t_x, big_t]), axis=0, return_counts=True)

    def objective(lp: np.ndarray) -> float:
        return -float(np.sum(counts * _bgnbd_loglik(lp, rows[:, 0], rows[:, 1], rows[:, 2])))

    start = np.log([1.0, max(float(np.mean(big_t)), 1e-3), 1.0, 1.0])
    fit = _maximise(objective, start, ("r", "alpha", "a", "b"), "BG/NBD")
    r, alpha, a, b = (float(v) for v in np.exp(fit.x))
    return BgNbdParams(
        r=r, alpha=alpha, a=a, b=b, unit_days=unit_days, log_likelihood=-float(fit.fun), n_customers=len(x)
    )


def p_alive(params: BgNbdParams, table: pd.DataFrame) -> pd.Series:
    """Probability that each customer is still active at the end of the period (BG/NBD)."""
    x, t_x, big_t = _check_table(table)
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    with np.errstate(divide="ignore", invalid="ignore"):
        log_ratio = np.log(a) - np.log(b + x - 1) + (r + x) * (np.log(alpha + big_t) - np.log(alpha + t_x))
    odds = np.where(x > 0, np.exp(log_ratio), 0.0)
    return pd.Series(1.0 / (1.0 + odds), index=table.index, name="p_alive")


def expected_purchases(params: BgNbdParams, table: pd.DataFrame, t: float | np.ndarray) -> np.ndarray:
    """Expected number of purchases in the next ``t`` time units, given each customer's history."""
    x, t_x, big_t = _check_table(table)
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    t = np.asarray(t, dtype=float)
    hyp = special.hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + big_t + t))
    numer = (a + b + x - 1) / (a - 1) * (1 - ((alpha + big_t) / (alpha + big_t + t)) ** (r + x) * hyp)
    alive = p_alive(params, table).to_numpy()
    denominator_ratio = 1.0 / alive  # 1 + delta(x>0) * a/(b+x-1) * ((alpha+T)/(alpha+t_x))^(r+x)
    return numer / denominator_ratio


def expected_repeat_purchases(params: BgNbdParams, t: float | np.ndarray) -> np.ndarray:
    """Expected repeat purchases of a new customer in the first ``t`` time units after the first purchase.

    FHL (2005), eq. 9: ``(a+b-1)/(a-1) * [1 - (alpha/(alpha+t))^r * 2F1(r, b; a+b-1; t/(alpha+t))]``.
    """
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    t = np.maximum(np.asarray(t, dtype=float), 0.0)
    hyp = special.hyp2f1(r, b, a + b - 1, t / (alpha + t))
    return (a + b - 1) / (a - 1) * (1 - (alpha / (alpha + t)) ** r * hyp)


def _gg_loglik(log_params: np.ndarray, x: np.ndarray, m: np.ndarray) -> np.ndarray:
    p, q, g = np.exp(log_params)
    return (
        special.gammaln(p * x + q)
        - special.gammaln(p * x)
        - special.gammaln(q)
        + q * np.log(g)
        + (p * x - 1) * np.log(m)
        + p * x * np.log(x)
        - (p * x + q) * np.log(x * m + g)
    )


def fit_gamma_gamma(table: pd.DataFrame) -> GammaGammaParams:
    """Fit the Gamma-Gamma spend model on customers with repeat purchases and positive spend.

    Raises
    ------
    InputError
        Fewer than 10 such customers, or the fit does not converge (e.g. everyone spends the same).
    """
    require_columns(table, ["frequency", "monetary_value"], context="frequency_table")
    use = (table["frequency"] > 0) & (table["monetary_value"] > 0)
    if use.sum() < 10:
        raise InputError(t("value.gamma_gamma_too_few", n=int(use.sum())))
    x = table.loc[use, "frequency"].to_numpy(dtype=float)
    m = table.loc[use, "monetary_value"].to_numpy(dtype=float)

    def objective(lp: np.ndarray) -> float:
        return -float(np.sum(_gg_loglik(lp, x, m)))

    start = np.log([1.0, 1.0, max(float(np.mean(m)), 1e-3)])
    fit = _maximise(objective, start, ("p", "q", "gamma"), "Gamma-Gamma")
    p, q, g = (float(v) for v in np.exp(fit.x))
    return GammaGammaParams(p=p, q=q, gamma=g, log_likelihood=-float(fit.fun), n_customers=int(use.sum()))


def expected_spend(params: GammaGammaParams, table: pd.DataFrame) -> pd.Series:
    """Expected spend per purchase: the Gamma-Gamma posterior mean (population mean when no repeats)."""
    p, q, g = params.p, params.q, params.gamma
    x = table["frequency"].to_numpy(dtype=float)
    m = table["monetary_value"].to_numpy(dtype=float)
    value = (p * (g + x * m)) / (p * x + q - 1)
    return pd.Series(value, index=table.index, name="expected_spend")


def customer_value(
    table: pd.DataFrame,
    bgnbd: BgNbdParams,
    gamma_gamma: GammaGammaParams,
    *,
    horizon_months: int = 12,
    annual_discount_rate: float = 0.10,
    margin: float = 1.0,
) -> pd.Series:
    """Discounted expected value of each customer over the next ``horizon_months`` months.

    Month ``k``'s expected purchases (BG/NBD) times the expected spend (Gamma-Gamma) times ``margin``,
    discounted by ``(1 + annual_discount_rate) ** (k / 12)``, summed over the horizon.
    """
    check_whole(horizon_months, "horizon_months", low=1)
    check_range(annual_discount_rate, "annual_discount_rate", low=0)
    check_range(margin, "margin", low=0, high=1, low_open=True)
    month_units = DAYS_PER_MONTH / bgnbd.unit_days
    cumulative = [np.zeros(len(table))]
    cumulative += [expected_purchases(bgnbd, table, k * month_units) for k in range(1, horizon_months + 1)]
    per_month = np.diff(np.vstack(cumulative), axis=0)
    discount = (1 + annual_discount_rate) ** (np.arange(1, horizon_months + 1) / 12)
    purchases = (per_month / discount[:, None]).sum(axis=0)
    spend = expected_spend(gamma_gamma, table).to_numpy()
    return pd.Series(purchases * spend * margin, index=table.index, name="potential_value")


@dataclass(frozen=True)
class ClvResult:
    """Potential value per customer and the fitted models.

    ``customers``: the summary's columns plus ``frequency``, ``recency``, ``T``, ``monetary_value``,
    ``p_alive``, ``expected_purchases`` (over the horizon, undiscounted), ``expected_spend`` and
    ``potential_value`` (discounted expected value over the horizon, times the margin).
    """

    customers: pd.DataFrame
    bgnbd: BgNbdParams
    gamma_gamma: GammaGammaParams
    horizon_months: int
    annual_discount_rate: float
    margin: float


def potential_value(
    summary: pd.DataFrame,
    *,
    horizon_months: int = 12,
    annual_discount_rate: float = 0.10,
    margin: float = 1.0,
    unit_days: float = 7.0,
) -> ClvResult:
    """Fit BG/NBD and Gamma-Gamma on a customer summary and value each customer's future.

    Parameters
    ----------
    summary : DataFrame
        `crmlab.data.summary.customer_summary` output (its analysis date ends the calibration period).
    horizon_months : int
        How many months ahead to value.
    annual_discount_rate : float
        Yearly discount rate of future value.
    margin : float
        Profit margin applied to expected spend (1 = value revenue).
    unit_days : float
        Time unit of the BG/NBD fit in days (7 = weeks, as in the published fits).
    """
    table = frequency_table(summary, unit_days=unit_days)
    bgnbd = fit_bgnbd(table, unit_days=unit_days)
    gamma_gamma = fit_gamma_gamma(table)
    out = summary.join(table.drop(columns="customer_id"))
    out["p_alive"] = p_alive(bgnbd, table)
    out["expected_purchases"] = expected_purchases(bgnbd, table, horizon_months * DAYS_PER_MONTH / unit_days)
    out["expected_spend"] = expected_spend(gamma_gamma, table)
    out["potential_value"] = customer_value(
        table,
        bgnbd,
        gamma_gamma,
        horizon_months=horizon_months,
        annual_discount_rate=annual_discount_rate,
        margin=margin,
    )
    return ClvResult(out, bgnbd, gamma_gamma, horizon_months, annual_discount_rate, margin)


def params_table(result: ClvResult, lang: str | None = None) -> Styler:
    """The fitted parameters of both models with their meaning, for the report (values to 4 decimals)."""
    values = {
        "r": result.bgnbd.r,
        "alpha": result.bgnbd.alpha,
        "a": result.bgnbd.a,
        "b": result.bgnbd.b,
        "p": result.gamma_gamma.p,
        "q": result.gamma_gamma.q,
        "gamma": result.gamma_gamma.gamma,
    }
    table = pd.DataFrame({"parameter": list(values), "value": list(values.values()), "meaning": list(values)})
    return display_table(
        table, headings="value.col", kinds={"value": "{:,.4f}"}, values={"meaning": "value.param"}, lang=lang
    )


@dataclass(frozen=True)
class HoldoutCheck:
    """BG/NBD fitted on a calibration period and compared with the holdout period after it.

    Attributes
    ----------
    tracking : DataFrame
        One row per week since the first purchase day in the data: ``week``, ``holdout`` (the week
        ends after the calibration period), ``actual`` and ``predicted`` cumulative repeat purchases
        of the calibration customers (FHL 2005, figure 2).
    calibration_end, end : Timestamp
        The last day of the calibration period and of the holdout period.
    bgnbd : BgNbdParams
        The fit on the calibration period.
    n_later : int
        Customers whose first purchase falls after ``calibration_end``: not in the check.
    actual, predicted : float
        Repeat purchases in the holdout period: observed, and forecast by the fitted model.
    predicted_conditional : float
        The sum of each customer's expected holdout purchases given their own calibration history
        (`expected_purchases`, what the potential value uses).
    """

    tracking: pd.DataFrame
    calibration_end: pd.Timestamp
    end: pd.Timestamp
    bgnbd: BgNbdParams
    n_later: int
    actual: float
    predicted: float
    predicted_conditional: float

    @property
    def error(self) -> float:
        """Relative error of the forecast of total holdout repeat purchases (negative: too few)."""
        return (self.predicted - self.actual) / self.actual if self.actual else float("nan")

    @property
    def conditional_error(self) -> float:
        """Relative error of the sum of the customers' conditional expectations."""
        return (self.predicted_conditional - self.actual) / self.actual if self.actual else float("nan")

    @property
    def holdout_weeks(self) -> float:
        """Length of the holdout period in weeks."""
        return (self.end - self.calibration_end).days / 7.0


def holdout_check(
    lines: pd.DataFrame,
    *,
    calibration_end: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    engine: str = "duckdb",
) -> HoldoutCheck:
    """Fit BG/NBD on a calibration period and check its forecast of the holdout period (FHL 2005).

    ``transaction lines -> weekly cumulative repeat purchases, actual and predicted``. The customers
    who bought by ``calibration_end`` are fitted on their purchases up to that day (in weeks, one
    purchase per day as in `frequency_table`); the model then forecasts their repeat purchases up to
    ``end``: for each week, the sum over customers of the expected repeat purchases since their first
    purchase (`expected_repeat_purchases`), against the repeat purchase days they made.

    Parameters
    ----------
    lines : DataFrame
        Cleaned transaction lines: ``customer_id``, ``timestamp`` (and ``amount``).
    calibration_end : date, optional
        Last day of the calibration period. Default: halfway between the first and the last purchase
        day (FHL's CDNOW split: 1997-09-30, weeks 1-39 of 78).
    end : date, optional
        Last day of the holdout period; later lines are ignored. Default: the last purchase day.
    engine : {"duckdb", "pandas"}
        Engine of the customer summary.

    Raises
    ------
    ParameterError
        ``calibration_end`` does not leave a calibration and a holdout period inside the data.
    InputError
        The calibration period is too thin to fit BG/NBD, or the fit does not converge.
    """
    require_columns(lines, ["customer_id", "timestamp"], context="holdout_check")
    days = lines.loc[lines["customer_id"].notna(), ["customer_id", "timestamp"]]
    days = days.assign(customer_id=days["customer_id"].astype(str), day=days["timestamp"].dt.normalize())
    first_day = days["day"].min()
    last_day = days["day"].max() if end in (None, "") else pd.Timestamp(end).normalize()
    cut = first_day + (last_day - first_day) // 2 if calibration_end in (None, "") else pd.Timestamp(calibration_end)
    cut = cut.normalize()
    if not first_day < cut < last_day:
        raise ParameterError(
            t("value.error.calibration_end", date=cut.date(), first=first_day.date(), last=last_day.date())
        )
    summary = customer_summary(lines, as_of=cut, engine=engine)
    table = frequency_table(summary)
    params = fit_bgnbd(table)
    cohort = days[days["customer_id"].isin(summary["customer_id"]) & (days["day"] <= last_day)]
    index = ((cohort.drop_duplicates(["customer_id", "day"])["day"] - first_day).dt.days).to_numpy()
    firsts = ((summary["first_purchase"] - first_day).dt.days).to_numpy()
    repeats = np.bincount(index, minlength=int((last_day - first_day).days) + 1) - np.bincount(
        firsts, minlength=int((last_day - first_day).days) + 1
    )
    last_index, cut_index = int((last_day - first_day).days), int((cut - first_day).days)
    week_ends = np.minimum(np.arange(6, last_index + 7, 7), last_index)
    start_days, counts = np.unique(firsts, return_counts=True)

    def predicted_by(day: np.ndarray) -> np.ndarray:
        weeks = (np.asarray(day, dtype=float)[:, None] - start_days[None, :]) / 7.0
        return (expected_repeat_purchases(params, weeks) * counts).sum(axis=1)

    cumulative = np.cumsum(repeats)
    tracking = pd.DataFrame(
        {
            "week": np.arange(1, len(week_ends) + 1),
            "holdout": week_ends > cut_index,
            "actual": cumulative[week_ends].astype(float),
            "predicted": predicted_by(week_ends),
        }
    )
    at_cut, at_end = predicted_by(np.array([cut_index, last_index]))
    later = days.loc[days["day"] <= last_day, "customer_id"].nunique() - len(summary)
    holdout_weeks = (last_index - cut_index) / 7.0
    return HoldoutCheck(
        tracking=tracking,
        calibration_end=cut,
        end=last_day,
        bgnbd=params,
        n_later=int(later),
        actual=float(cumulative[last_index] - cumulative[cut_index]),
        predicted=float(at_end - at_cut),
        predicted_conditional=float(expected_purchases(params, table, holdout_weeks).sum()),
    )
