"""Retention: defection propensity, products held, risk drivers and the economics of a campaign.

The modelling article's retention recipe: learn from recent defectors and stayers which customers
are about to leave, check the warning signs (few products held, complaints, a falling balance), and
contact only valuable customers at high risk, when the margin the campaign saves over the customer's
expected life is worth more than the cost of the contact. Models come from the shared
`crmlab.propensity.models` pipeline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler
from sklearn.base import clone
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline

from crmlab.core.errors import InputError, ParameterError
from crmlab.core.i18n import catalogue, t
from crmlab.data.schemas import require_columns, require_nonempty, require_numeric
from crmlab.propensity import models as propensity

#: The modelling article's figures: share of defectors who used one product in their last year, and
#: the largest share of would-be defectors that retention-focused companies kept.
TEXT_ONE_PRODUCT_SHARE = 0.75
TEXT_RETAINED_SHARE = 0.35

#: Cell values meaning "does not hold this product" (compared case-insensitively, as text).
NOT_HELD: tuple[str, ...] = ("", "0", "0.0", "no", "false", "none", "no internet service", "no phone service")

#: The products and services of the IBM telco data (``wa_churn``).
WA_CHURN_PRODUCTS: tuple[str, ...] = (
    "phone_service",
    "multiple_lines",
    "internet_service",
    "online_security",
    "online_backup",
    "device_protection",
    "tech_support",
    "streaming_tv",
    "streaming_movies",
)

#: The models compared by default (keys of `crmlab.propensity.models.build_models`).
DEFAULT_MODELS: tuple[str, ...] = ("logistic", "gradient_boosting", "mlp")


def count_products(df: pd.DataFrame, *, product_cols: Sequence[str], not_held: Sequence[str] = NOT_HELD) -> pd.Series:
    """Number of products each customer holds.

    A product is held when its cell is not empty and not one of ``not_held`` (case-insensitive).

    >>> frame = pd.DataFrame({"phone": ["Yes", "No"], "internet": ["DSL", "No internet service"]})
    >>> count_products(frame, product_cols=["phone", "internet"]).tolist()
    [2, 0]
    """
    if not product_cols:
        raise ParameterError("product_cols is empty: name the columns that each describe one product.")
    require_columns(df, product_cols, context="products held")
    absent = {str(v).lower() for v in not_held}
    held = [~df[c].astype("string").str.strip().str.lower().fillna("").isin(absent) for c in product_cols]
    return pd.concat(held, axis=1).sum(axis=1).astype(int).rename("products_held")


@dataclass(frozen=True)
class ProductsHeld:
    """Defection by number of products held.

    Attributes
    ----------
    table
        products_held, customers, defectors, defection_rate, share_of_defectors.
    one_product_share
        Share of defectors who held exactly one product (the article says nearly 75 %).
    rate_one, rate_more
        Defection rate of customers with one product, and with more than one.
    """

    table: pd.DataFrame
    one_product_share: float
    rate_one: float
    rate_more: float


def products_held(
    df: pd.DataFrame,
    *,
    target: str,
    positive: object = None,
    count_col: str | None = None,
    product_cols: Sequence[str] | None = None,
    not_held: Sequence[str] = NOT_HELD,
) -> ProductsHeld:
    """How defection relates to the number of products held.

    Give either ``count_col`` (a column that already holds the number of products) or
    ``product_cols`` (one column per product, counted with `count_products`).

    Parameters
    ----------
    df
        One row per customer.
    target, positive
        The defection column and its "defected" value, as in `crmlab.propensity.models.prepare`.
    count_col, product_cols
        Where the number of products comes from (exactly one of them).
    not_held
        Cell values meaning "not held", for ``product_cols``.

    Returns
    -------
    ProductsHeld
    """
    if (count_col is None) == (product_cols is None):
        raise ParameterError("Give exactly one of count_col (number of products) or product_cols (one column each).")
    require_nonempty(df, context="products held")
    if count_col is not None:
        count = require_numeric(df, [count_col], context="products held")[count_col]
        if count.isna().any():
            rows = ", ".join(str(i + 1) for i in np.flatnonzero(count.isna())[:5])
            raise InputError(f"products held: column '{count_col}' is empty in rows {rows}; fill in the counts.")
        count = count.astype(int)
    else:
        count = count_products(df, product_cols=list(product_cols or ()), not_held=not_held)
    y = propensity.prepare(df, target=target, positive=positive).y  # rows with a target only
    frame = pd.DataFrame({"products_held": count.loc[y.index].to_numpy(), "defected": y.to_numpy()})
    table = (
        frame.groupby("products_held")["defected"]
        .agg(customers="size", defectors="sum")
        .reset_index()
        .astype({"defectors": int})
    )
    table["defection_rate"] = table["defectors"] / table["customers"]
    table["share_of_defectors"] = table["defectors"] / max(int(table["defectors"].sum()), 1)
    held = frame["products_held"]
    return ProductsHeld(
        table=table,
        one_product_share=_mean(held[frame["defected"] == 1] == 1),
        rate_one=_mean(frame.loc[held == 1, "defected"]),
        rate_more=_mean(frame.loc[held > 1, "defected"]),
    )


def _mean(values: pd.Series) -> float:
    """Mean of ``values``; NaN when there are none."""
    return float(values.mean()) if len(values) else float("nan")


@dataclass(frozen=True)
class DefectionModels:
    """Defection models compared by cross-validation.

    Attributes
    ----------
    prepared
        The prepared data (`crmlab.propensity.models.Prepared`).
    models
        Model name -> unfitted pipeline.
    cv
        Cross-validation table of `crmlab.propensity.models.compare_models` (model, roc_auc, roc_auc_std,
        pr_auc, pr_auc_std), in the order of ``models``.
    scores
        Out-of-fold defection probability of each customer, one column per model, plus ``y``.
    lifts
        model, top_decile_lift (of the out-of-fold scores).
    best
        Name of the model with the highest cross-validated ROC AUC.
    folds
        Number of cross-validation folds.
    """

    prepared: propensity.Prepared
    models: dict[str, Pipeline]
    cv: pd.DataFrame
    scores: pd.DataFrame
    lifts: pd.DataFrame
    best: str
    folds: int

    def gains(self, *, bins: int = 10) -> pd.DataFrame:
        """Gains tables of the out-of-fold scores, stacked with a ``model`` column."""
        y = self.scores["y"]
        return propensity.stack({m: propensity.gains_table(y, self.scores[m], bins=bins) for m in self.models})


def defection_models(
    df: pd.DataFrame,
    *,
    target: str,
    features: Sequence[str] | None = None,
    positive: object = None,
    models: Sequence[str] = DEFAULT_MODELS,
    folds: int = 5,
    seed: int = 0,
) -> DefectionModels:
    """Compare defection models on cross-validated ROC AUC, PR AUC and top-decile lift.

    Models are fitted with balanced class weights and their probabilities mapped back to the real
    defection rate (see `crmlab.propensity.models.build_models`), so the out-of-fold scores can be read as
    defection probabilities.

    Parameters
    ----------
    df
        One row per customer: features and the defection ``target``.
    target, features, positive
        As in `crmlab.propensity.models.prepare`.
    models
        Keys of `crmlab.propensity.models.build_models`.
    folds
        Number of stratified cross-validation folds.
    seed
        Seed of the folds and the models.

    Returns
    -------
    DefectionModels
    """
    prepared = propensity.prepare(df, target=target, features=features, positive=positive)
    built = propensity.build_models(prepared, seed=seed)
    unknown = [m for m in models if m not in built]
    if unknown:
        raise ParameterError(f"Unknown model(s) {unknown}; choose from {sorted(built)}.")
    chosen = {m: built[m] for m in models}
    comparison = propensity.compare_models(prepared, chosen, folds=folds, seed=seed)
    scores = comparison.oof.assign(y=prepared.y)
    lifts = pd.DataFrame(
        {
            "model": list(chosen),
            "top_decile_lift": [propensity.top_decile_lift(scores["y"], scores[m]) for m in chosen],
        }
    )
    cv = comparison.table.set_index("model").loc[list(chosen)].reset_index()
    best = str(cv["model"].iloc[int(cv["roc_auc"].to_numpy().argmax())])
    return DefectionModels(prepared=prepared, models=chosen, cv=cv, scores=scores, lifts=lifts, best=best, folds=folds)


def risk_drivers(
    model: Pipeline,
    prepared: propensity.Prepared,
    *,
    test_share: float = 0.3,
    n_repeats: int = 5,
    max_rows: int = 5000,
    seed: int = 0,
) -> pd.DataFrame:
    """Which features raise defection risk most: permutation importance and direction of effect.

    The model is fitted on ``1 - test_share`` of the customers. On the rest, each feature is shuffled
    ``n_repeats`` times and the fall in ROC AUC is its importance (on at most ``max_rows`` of them,
    drawn at random, to bound time and memory). For numeric features, the
    direction is the change in mean predicted risk when the feature is raised by one standard
    deviation (positive: more of it, more risk).

    Returns
    -------
    DataFrame
        feature, importance, importance_std, direction (NaN for categorical features), sorted by
        importance, highest first.
    """
    X, y = prepared.X, prepared.y
    train, test = train_test_split(np.arange(len(y)), test_size=test_share, stratify=y, random_state=seed)
    if len(test) > max_rows:
        test = np.random.default_rng(seed).choice(test, size=max_rows, replace=False)
    fitted = clone(model).fit(X.iloc[train], y.iloc[train])
    X_test, y_test = X.iloc[test].reset_index(drop=True), y.iloc[test].to_numpy()
    base = fitted.predict_proba(X_test)[:, 1]
    base_auc = roc_auc_score(y_test, base)
    # Every shuffled and shifted copy is scored in one call: a pipeline call costs far more than a row.
    rng = np.random.default_rng(seed)
    copies = []
    for column in X.columns:
        for _ in range(n_repeats):
            copies.append(X_test.assign(**{column: rng.permutation(X_test[column].to_numpy())}))
    numeric = [c for c in X.columns if c in prepared.numeric]
    copies += [X_test.assign(**{c: X_test[c] + X[c].std()}) for c in numeric]
    scores = fitted.predict_proba(pd.concat(copies, ignore_index=True))[:, 1].reshape(len(copies), len(X_test))
    shuffled = scores[: len(X.columns) * n_repeats].reshape(len(X.columns), n_repeats, len(X_test))
    drops = np.array([[base_auc - roc_auc_score(y_test, s) for s in repeats] for repeats in shuffled])
    shift = dict(zip(numeric, scores[len(X.columns) * n_repeats :].mean(axis=1) - base.mean(), strict=True))
    table = pd.DataFrame(
        {
            "feature": list(X.columns),
            "importance": drops.mean(axis=1),
            "importance_std": drops.std(axis=1),
            "direction": [shift.get(c, np.nan) for c in X.columns],
        }
    )
    return table.sort_values("importance", ascending=False, ignore_index=True)


@dataclass(frozen=True)
class Campaign:
    """A retention campaign and its cost-benefit table.

    Attributes
    ----------
    customers
        Every customer with risk, annual_margin, eligible (above the value threshold), targeted
        (eligible and at or above the risk threshold), expected_saved_value, contact_cost and
        expected_net (per customer), sorted by risk, highest first.
    table
        Cost-benefit by risk band of the eligible customers (10 bands, highest risk first): band,
        min_risk, customers, expected_defectors, saved_customers, saved_value, cost, net_value,
        cum_customers, cum_net_value.
    targeted, expected_defectors, saved_customers, saved_value, cost, value
        For the targeted customers: how many, how many are expected to defect, how many the campaign
        keeps, the margin saved over their expected life, the contact cost, and the campaign value
        (saved_value - cost).
    best_targeted, best_value
        The number of eligible customers, riskiest first, whose contact gives the highest net value,
        and that value: where contacting one more customer would cost more than it saves.
    """

    customers: pd.DataFrame
    table: pd.DataFrame
    targeted: int
    expected_defectors: float
    saved_customers: float
    saved_value: float
    cost: float
    value: float
    best_targeted: int
    best_value: float


def plan_campaign(
    scored: pd.DataFrame,
    *,
    risk_col: str = "risk",
    value_col: str = "annual_margin",
    margin_rate: float = 1.0,
    periods_per_year: float = 1.0,
    value_threshold: float = 0.0,
    risk_threshold: float = 0.5,
    retained_share: float = TEXT_RETAINED_SHARE,
    expected_life: float = 3.0,
    contact_cost: float = 10.0,
    bands: int = 10,
) -> Campaign:
    """Expected value of a retention campaign aimed at valuable customers at high risk.

    A customer's annual margin is ``value_col × periods_per_year × margin_rate`` (for monthly
    charges and a 30 % margin: ``periods_per_year=12, margin_rate=0.3``). Customers whose annual margin
    is at least ``value_threshold`` are eligible; eligible customers whose risk is at least
    ``risk_threshold`` are targeted. For each contacted customer::

        saved margin   = risk × retained_share × annual margin
        expected value = saved margin × expected_life − contact_cost

    Parameters
    ----------
    scored
        One row per customer with a defection probability (``risk_col``, between 0 and 1) and a
        value column. Probabilities should be calibrated to the real defection rate.
    risk_col, value_col
        Column names.
    margin_rate, periods_per_year
        Turn the value column into an annual margin.
    value_threshold
        Smallest annual margin worth a campaign.
    risk_threshold
        Smallest defection probability worth a contact.
    retained_share
        Share of would-be defectors the campaign keeps (the article cites up to 35 %).
    expected_life
        Years a kept customer stays on.
    contact_cost
        Cost of one contact (offer included).
    bands
        Number of risk bands in the cost-benefit table.

    Returns
    -------
    Campaign
    """
    for name, value in (("retained_share", retained_share), ("risk_threshold", risk_threshold)):
        if not 0 <= value <= 1:
            raise ParameterError(f"{name} must be between 0 and 1, got {value!r}.")
    for name, value in (("expected_life", expected_life), ("contact_cost", contact_cost)):
        if value < 0:
            raise ParameterError(f"{name} must not be negative, got {value!r}.")
    require_nonempty(scored, context="campaign")
    frame = require_numeric(scored, [risk_col, value_col], context="campaign")
    for column in (risk_col, value_col):
        missing = np.flatnonzero(frame[column].isna().to_numpy())
        if len(missing):
            rows = ", ".join(str(i + 1) for i in missing[:5])
            raise InputError(f"campaign: column '{column}' is empty in rows {rows}; fill it in or drop those rows.")
    risk = frame[risk_col]
    outside = np.flatnonzero(((risk < 0) | (risk > 1)).to_numpy())
    if len(outside):
        rows = ", ".join(f"{i + 1} ({risk.iloc[i]!r})" for i in outside[:5])
        raise InputError(f"campaign: column '{risk_col}' must hold probabilities between 0 and 1; rows {rows} do not.")
    out = frame.assign(
        risk=risk,
        annual_margin=frame[value_col] * periods_per_year * margin_rate,
    )
    out["eligible"] = out["annual_margin"] >= value_threshold
    out["targeted"] = out["eligible"] & (out["risk"] >= risk_threshold)
    out["expected_saved_value"] = out["risk"] * retained_share * out["annual_margin"] * expected_life
    out["contact_cost"] = float(contact_cost)
    out["expected_net"] = out["expected_saved_value"] - out["contact_cost"]
    out = out.sort_values("risk", ascending=False, kind="stable")
    hit = out[out["targeted"]]
    saved_value = float(hit["expected_saved_value"].sum())
    cost = float(hit["contact_cost"].sum())
    cumulative = np.r_[0.0, out.loc[out["eligible"], "expected_net"].cumsum().to_numpy()]
    best = int(cumulative.argmax())
    return Campaign(
        customers=out,
        table=_cost_benefit(out[out["eligible"]], retained_share=retained_share, bands=bands),
        targeted=len(hit),
        expected_defectors=float(hit["risk"].sum()),
        saved_customers=float(hit["risk"].sum() * retained_share),
        saved_value=saved_value,
        cost=cost,
        value=saved_value - cost,
        best_targeted=best,
        best_value=float(cumulative[best]),
    )


def _cost_benefit(eligible: pd.DataFrame, *, retained_share: float, bands: int) -> pd.DataFrame:
    """Cost-benefit of contacting the eligible customers band by band, highest risk first."""
    columns = [
        "band",
        "min_risk",
        "customers",
        "expected_defectors",
        "saved_customers",
        "saved_value",
        "cost",
        "net_value",
        "cum_customers",
        "cum_net_value",
    ]
    if eligible.empty:
        return pd.DataFrame(columns=columns)
    band = np.arange(len(eligible)) * bands // len(eligible) + 1
    grouped = eligible.assign(band=band).groupby("band")
    table = pd.DataFrame(
        {
            "min_risk": grouped["risk"].min(),
            "customers": grouped.size(),
            "expected_defectors": grouped["risk"].sum(),
            "saved_value": grouped["expected_saved_value"].sum(),
            "cost": grouped["contact_cost"].sum(),
        }
    ).reset_index()
    table["saved_customers"] = table["expected_defectors"] * retained_share
    table["net_value"] = table["saved_value"] - table["cost"]
    table["cum_customers"] = table["customers"].cumsum()
    table["cum_net_value"] = table["net_value"].cumsum()
    return table[columns]


def model_label(name: str, lang: str | None = None) -> str:
    """Display name of a model key (``"logistic"`` -> "Logistic regression"); unknown keys unchanged."""
    key = f"retention.model.{name}"
    return t(key, lang) if key in catalogue() else name


#: Display format of the table columns that are rates or precisions (others: see `display_table`).
PERCENT_COLUMNS: dict[str, str] = {
    "defection_rate": "{:.1%}",
    "share_of_defectors": "{:.1%}",
    "top_decile_rate": "{:.1%}",
    "response_rate": "{:.1%}",
    "cum_customers_share": "{:.0%}",
    "cum_responders_share": "{:.1%}",
    "min_risk": "{:.1%}",
    "margin": "{:.2%}",
    "low": "{:.2%}",
    "high": "{:.2%}",
    "rate_low": "{:.1%}",
    "rate_high": "{:.1%}",
}

#: Columns shown with three decimals (scores and lifts).
SCORE_COLUMNS = frozenset(
    {"roc_auc", "roc_auc_std", "pr_auc", "pr_auc_std", "top_decile_lift", "lift", "cum_lift", "importance"}
)


def display_table(table: pd.DataFrame, lang: str | None = None) -> Styler:
    """``table`` styled for the report: headings and model names in ``lang``, rates as percentages.

    Columns with a ``retention.col.<name>`` message are renamed; rates and shares are shown as
    percentages, AUCs and lifts with three decimals, other numbers with thousands separators.
    The index is hidden.
    """
    out = table.copy()
    if "model" in out.columns:
        out["model"] = [model_label(str(m), lang) for m in out["model"]]
    if "situation" in out.columns:
        out["situation"] = [t(f"retention.rates.{v}", lang) for v in out["situation"]]
    formats: dict[str, str] = {}
    for column in out.columns:
        if column in PERCENT_COLUMNS:
            formats[column] = PERCENT_COLUMNS[column]
        elif column in SCORE_COLUMNS:
            formats[column] = "{:.3f}"
        elif pd.api.types.is_integer_dtype(out[column]):
            formats[column] = "{:,}"
        elif pd.api.types.is_float_dtype(out[column]):
            formats[column] = "{:,.2f}"
    messages = catalogue()
    names = {c: t(f"retention.col.{c}", lang) for c in out.columns if f"retention.col.{c}" in messages}
    return (
        out.rename(columns=names)
        .style.format({names.get(c, c): f for c, f in formats.items()}, na_rep="")
        .hide(axis="index")
    )
