"""Fraud propensity: subscription fraud (telecom) and insurance-claim fraud, on the shared pipeline.

The modelling is `crmlab.propensity` (the model to deploy is chosen by its one policy,
`crmlab.propensity.models.best_model`, ranking by PR AUC); this module adds what is specific to fraud:

- `load_cases` - a user's labelled file, a named data set, or by default the variant's synthetic
  data, with the 12-month bill trend derived from monthly bills when they are given
  (`derive_features`);
- `fraud_rules` - the decision-tree leaves worth flagging;
- `FraudScorer` - the deployable bundle (model, rules, threshold, decile cut points, the columns a new
  file needs), `build_scorer`, `save_model` / `load_model` and `score_file`, which scores new
  applications from a CSV/Excel/Parquet file (``crmlab score``).

Saved models are ``.skops`` files (`skops.io`), not pickles: loading one builds only the types listed
in `TRUSTED_TYPES` (besides skops' own trusted scikit-learn and numpy types) and cannot run code, so a
model file received from someone else is safe to score with. Any other file is refused.
"""

from __future__ import annotations

import dataclasses
import json
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline

from crmlab import data as datasets
from crmlab.core.checks import check_choice, did_you_mean
from crmlab.core.csvfile import write_csv
from crmlab.core.errors import InputError
from crmlab.core.i18n import LANGS, check_lang, t
from crmlab.data import Loaded
from crmlab.fraud.report import HEADINGS, VALUE_PREFIX
from crmlab.propensity.models import score
from crmlab.propensity.preparation import Prepared, feature_frame, load_labelled
from crmlab.propensity.tree import extract_rules

__all__ = [
    "DEFAULT_TARGET",
    "VARIANTS",
    "Cases",
    "FraudScorer",
    "bill_columns",
    "bill_trend",
    "build_scorer",
    "derive_features",
    "fraud_rules",
    "load_cases",
    "TRUSTED_TYPES",
    "load_model",
    "save_model",
    "score_file",
]

#: Variant -> its default named data set.
VARIANTS = {"telecom": "synthetic_fraud_telecom", "insurance": "synthetic_fraud_insurance"}
DEFAULT_TARGET = "fraud"
TREND_COLUMN = "bill_trend_12m"
#: Types a saved model may hold beyond those skops trusts by default; nothing else is loaded.
TRUSTED_TYPES = (
    "crmlab.propensity.models.Balanced",
    "numpy.dtype",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn.neural_network._stochastic_optimizers.AdamOptimizer",
    "sklearn.neural_network._stochastic_optimizers.SGDOptimizer",
    "sklearn.tree._tree.Tree",
)
AVERAGE_COLUMN = "avg_bill"


def _quoted(names: Sequence[str]) -> str:
    return ", ".join(map(repr, names))


def bill_columns(df: pd.DataFrame, *, prefix: str = "bill_m") -> tuple[str, ...]:
    """The monthly bill columns of ``df``: ``prefix`` followed by the month number, oldest first.

    >>> bill_columns(pd.DataFrame(columns=["id", "bill_m10", "bill_m2", "bill_m1"]))
    ('bill_m1', 'bill_m2', 'bill_m10')
    """
    pattern = re.compile(rf"^{re.escape(prefix)}(\d+)$")
    found = [(int(m.group(1)), c) for c in df.columns if (m := pattern.match(str(c)))]
    return tuple(c for _, c in sorted(found))


def bill_trend(bills: pd.DataFrame) -> pd.Series:
    """Least-squares slope of each row's bills against month number (currency units per month).

    Columns are months, oldest first. Missing bills are skipped; rows with fewer than two bills get
    NaN.

    >>> bill_trend(pd.DataFrame([[10, 12, 14], [5, None, 5]])).tolist()
    [2.0, 0.0]
    """
    values = bills.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    months = np.broadcast_to(np.arange(values.shape[1], dtype=float), values.shape)
    present = ~np.isnan(values)
    n = present.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_m = np.where(present, months, 0).sum(axis=1) / n
        mean_v = np.where(present, values, 0).sum(axis=1) / n
        dm = np.where(present, months - mean_m[:, None], 0)
        dv = np.where(present, values - mean_v[:, None], 0)
        slope = (dm * dv).sum(axis=1) / (dm**2).sum(axis=1)
    slope[n < 2] = np.nan
    return pd.Series(slope, index=bills.index, name=TREND_COLUMN)


def derive_features(df: pd.DataFrame, *, bills: Sequence[str]) -> pd.DataFrame:
    """Replace the monthly bill columns ``bills`` by the average bill and its 12-month trend.

    The trend (`bill_trend`, units per month) uses the last 12 of the given months; the average
    bill uses the same months. With no bill columns ``df`` is returned unchanged (as a copy).
    """
    if not bills:
        return df.copy()
    missing = [c for c in bills if c not in df.columns]
    if missing:
        raise InputError(t("fraud.err.bills_missing", missing=_quoted(missing), bills=_quoted(bills)))
    last = list(bills)[-12:]
    values = df[last].apply(pd.to_numeric, errors="coerce")
    out = df.drop(columns=list(bills))
    out[AVERAGE_COLUMN] = values.mean(axis=1)
    out[TREND_COLUMN] = bill_trend(values)
    return out


@dataclass(frozen=True, eq=False)
class Cases:
    """Labelled cases ready for `crmlab.propensity.preparation.prepare`.

    ``data`` has the derived bill features; ``loaded`` is the input as read (``loaded.frame`` is what
    `FraudScorer.score` takes; `crmlab.data.describe_input` states its source and column mapping);
    ``bills`` are the monthly bill columns (empty when none).
    """

    data: pd.DataFrame
    loaded: Loaded
    bills: tuple[str, ...] = ()

    @property
    def raw(self) -> pd.DataFrame:
        """The data as read."""
        return self.loaded.frame

    @property
    def target(self) -> str:
        """The target column."""
        return str(self.loaded.target)

    @property
    def source(self) -> str:
        """The file or named data set the cases come from."""
        return self.loaded.source


def load_cases(
    variant: str = "telecom",
    *,
    input_path: str = "",
    dataset: str = "",
    columns: Mapping[str, str] | None = None,
    sheet: str = "",
    target: str = "",
    bill_prefix: str = "bill_m",
) -> Cases:
    """The cases to model: a user's labelled file, a named data set, or the variant's synthetic data.

    Parameters
    ----------
    variant : {"telecom", "insurance"}
        Chooses the default data set (`VARIANTS`) when neither ``input_path`` nor ``dataset`` is
        given; checked in every case.
    input_path : str
        A labelled CSV, Excel or Parquet file (read with `crmlab.data.read`).
    dataset : str
        A named data set used when ``input_path`` is empty; empty means the variant's.
    columns, sheet
        Column mapping and Excel sheet of ``input_path`` (see `crmlab.data.read`).
    target : str
        The target column; default the data set's own target, else ``"fraud"``.
    bill_prefix : str
        Monthly bill columns are named ``bill_prefix`` + month number; if at least three are present
        they are turned into the average bill and the 12-month bill trend (`derive_features`).
    """
    check_choice(variant, "variant", list(VARIANTS))
    labelled = load_labelled(
        input_path=input_path,
        dataset=dataset or VARIANTS[variant],
        columns=columns,
        sheet=sheet,
        target=target,
        default_target=DEFAULT_TARGET,
    )
    bills = bill_columns(labelled.frame, prefix=bill_prefix)
    bills = bills if len(bills) >= 3 else ()
    return Cases(data=derive_features(labelled.frame, bills=bills), loaded=labelled, bills=bills)


def fraud_rules(rules: pd.DataFrame, *, base_rate: float, min_lift: float = 2.0, min_cases: int = 5) -> pd.DataFrame:
    """The rules worth flagging (leaves of the tree that mark likely fraud).

    A leaf is kept when its fitted fraud probability is at least ``min_lift`` times the base rate
    and it holds at least ``min_cases`` of the cases the rules were measured on. ``rules`` is
    `crmlab.propensity.tree.extract_rules` output; its order (precision descending) is kept.
    """
    keep = (rules["score"] >= min_lift * base_rate) & (rules["cases"] >= min_cases)
    return rules.loc[keep].reset_index(drop=True)


def _deciles(scores: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Decile 1..10 (1 = highest) from the base's score cut points ``edges`` (9 ascending quantiles)."""
    return 10 - np.searchsorted(edges, scores, side="right")


def _input_columns(numeric: Sequence[str], categorical: Sequence[str], bills: Sequence[str]) -> tuple[str, ...]:
    derived = {AVERAGE_COLUMN, TREND_COLUMN} if bills else set()
    return tuple(c for c in (*numeric, *categorical) if c not in derived) + tuple(bills)


@dataclass(frozen=True, eq=False)
class FraudScorer:
    """A fitted fraud model ready to score new cases.

    Attributes
    ----------
    model, tree : Pipeline
        The chosen model (its score is the fraud probability) and the rule tree.
    model_name : str
        Key of the chosen model in `crmlab.propensity.models.build_models`.
    numeric, categorical : tuple of str
        Model input columns after `derive_features`.
    bills : tuple of str
        Monthly bill columns a new file must have (empty if the model uses none).
    id_columns : tuple of str
        ID columns copied to the output when present.
    rules : dict
        Tree leaf -> {"en": text, "zh": text} for the flagged rules (`fraud_rules`).
    threshold : float
        Investigate cases whose score is at least this.
    decile_edges : tuple of float
        The 10 %, 20 %, ... 90 % quantiles of the scored base, so new cases get deciles on the same scale.
    metadata : dict
        What `save_model` writes next to the model as JSON.
    """

    model: Pipeline
    tree: Pipeline
    model_name: str
    numeric: tuple[str, ...]
    categorical: tuple[str, ...]
    bills: tuple[str, ...]
    id_columns: tuple[str, ...]
    rules: Mapping[int, Mapping[str, str]]
    threshold: float
    decile_edges: tuple[float, ...]
    metadata: Mapping[str, Any]

    @property
    def input_columns(self) -> tuple[str, ...]:
        """The columns a file to score must have."""
        return _input_columns(self.numeric, self.categorical, self.bills)

    def features(self, df: pd.DataFrame, *, context: str | None = None) -> pd.DataFrame:
        """The model's input frame from raw cases: checks columns, derives the bill features, types.

        ``context`` names the cases in messages (default: "the file to score" in the current language).
        """
        context = context or t("fraud.file_to_score")
        missing = [c for c in self.input_columns if c not in df.columns]
        if missing:
            raise InputError(
                t(
                    "fraud.err.lacks_columns",
                    context=context,
                    missing=_quoted(missing),
                    hint=did_you_mean(str(missing[0]), map(str, df.columns)),
                    needed=_quoted(self.input_columns),
                )
            )
        derived = derive_features(df, bills=self.bills)
        return feature_frame(derived, numeric=self.numeric, categorical=self.categorical, context=context)

    def score(self, df: pd.DataFrame, *, lang: str = "en", context: str | None = None) -> pd.DataFrame:
        """Score raw cases (same columns as the training data; the target is not needed).

        Returns
        -------
        DataFrame
            The ID columns present, then score (fraud probability), decile (1 = highest 10 % of the
            base), investigate (score >= threshold) and rules_fired (the flagged rule the case falls
            under, or empty), one row per input row, in input order.
        """
        check_lang(lang)
        X = self.features(df, context=context)
        scores = score(self.model, X).to_numpy()
        leaves = (
            self.tree.named_steps["model"].estimator_.steps[-1][1].apply(self.tree.named_steps["prepare"].transform(X))
        )
        out = df[[c for c in self.id_columns if c in df.columns]].copy()
        out["score"] = scores
        out["decile"] = _deciles(scores, np.asarray(self.decile_edges))
        out["investigate"] = scores >= self.threshold
        out["rules_fired"] = [self.rules[leaf][lang] if leaf in self.rules else "" for leaf in leaves]
        return out


def build_scorer(
    *,
    model: Pipeline,
    model_name: str,
    tree: Pipeline,
    flagged_leaves: Sequence[int],
    prepared: Prepared,
    cases: Cases,
    threshold: float,
    metadata: Mapping[str, Any] | None = None,
) -> FraudScorer:
    """Bundle the fitted models, the flagged rules and the threshold; set deciles on the whole base.

    Parameters
    ----------
    model, tree : Pipeline
        The fitted chosen model and the fitted rule tree.
    model_name : str
        The chosen model's key in `crmlab.propensity.models.build_models`.
    flagged_leaves : sequence of int
        The ``leaf`` column of `fraud_rules`; their rule texts are kept in every language.
    prepared : Prepared
        The preparation of ``cases`` (feature columns, ID columns, target).
    cases : Cases
        The whole base; its scores set the decile cut points.
    threshold : float
        Investigate cases scoring at least this.
    metadata : mapping, optional
        Extra facts to save with the model (test metrics, costs, ...).
    """
    base_X = feature_frame(cases.data, numeric=prepared.numeric, categorical=prepared.categorical)
    texts: dict[int, dict[str, str]] = {int(leaf): {} for leaf in flagged_leaves}
    for lang in LANGS:
        described = extract_rules(tree, prepared.X, prepared.y, lang=lang, headings=HEADINGS, values=VALUE_PREFIX)
        for leaf, text in zip(described["leaf"], described["rule"], strict=True):
            if int(leaf) in texts:
                texts[int(leaf)][lang] = text
    base_scores = score(model, base_X).to_numpy()
    facts = {
        "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "crmlab_version": version("crmlab"),
        "scikit_learn_version": version("scikit-learn"),
        "model": model_name,
        "target": prepared.target,
        "positive_label": prepared.positive_label,
        "threshold": float(threshold),
        "source": cases.source,
        "base_rows": len(cases.data),
        "base_rate": prepared.base_rate,
        "input_columns": list(_input_columns(prepared.numeric, prepared.categorical, cases.bills)),
        "dropped_columns": prepared.dropped,
        **dict(metadata or {}),
    }
    return FraudScorer(
        model=model,
        tree=tree,
        model_name=model_name,
        numeric=prepared.numeric,
        categorical=prepared.categorical,
        bills=cases.bills,
        id_columns=tuple(prepared.ids.columns),
        rules=texts,
        threshold=float(threshold),
        decile_edges=tuple(float(q) for q in np.quantile(base_scores, np.arange(1, 10) / 10)),
        metadata=facts,
    )


def save_model(scorer: FraudScorer, path: str | Path) -> tuple[Path, Path]:
    """Write ``scorer`` to ``path`` as a ``.skops`` file and its metadata as JSON beside it.

    Returns the two paths. The file holds the scorer's fields as plain data and scikit-learn
    objects; `load_model` rebuilds the scorer from them.
    """
    model_path = Path(path).with_suffix(".skops")
    model_path.parent.mkdir(parents=True, exist_ok=True)
    import skops.io

    state = {f.name: getattr(scorer, f.name) for f in dataclasses.fields(scorer)}
    state["rules"] = {str(leaf): dict(texts) for leaf, texts in scorer.rules.items()}
    state["metadata"] = json.loads(json.dumps(dict(scorer.metadata), default=str))
    skops.io.dump(state, model_path)
    meta_path = model_path.with_suffix(".json")
    meta_path.write_text(json.dumps(dict(scorer.metadata), ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return model_path, meta_path


def load_model(path: str | Path) -> FraudScorer:
    """Load a model saved by `save_model`; any other file (a pickle, untrusted types) raises InputError."""
    path = Path(path)
    if not path.is_file():
        raise InputError(t("fraud.err.no_model_file", path=str(path)))
    if not zipfile.is_zipfile(path):
        raise InputError(t("fraud.err.unsafe_model", path=str(path)))
    import skops.io

    try:
        untrusted = [u for u in skops.io.get_untrusted_types(file=path) if u not in TRUSTED_TYPES]
        if untrusted:
            raise InputError(t("fraud.err.untrusted_types", path=str(path), types=", ".join(untrusted)))
        state = skops.io.load(path, trusted=list(TRUSTED_TYPES))
    except InputError:
        raise
    except Exception as exc:  # a damaged or foreign zip file: skops raises many kinds of errors
        raise InputError(t("fraud.err.not_a_model", path=str(path), found=type(exc).__name__)) from exc
    fields = {f.name for f in dataclasses.fields(FraudScorer)}
    if not isinstance(state, dict) or set(state) != fields:
        raise InputError(t("fraud.err.not_a_model", path=str(path), found=type(state).__name__))
    state["rules"] = {int(leaf): texts for leaf, texts in state["rules"].items()}
    state.update({k: tuple(state[k]) for k in ("numeric", "categorical", "bills", "id_columns", "decile_edges")})
    return FraudScorer(**state)


def score_file(
    model_path: str | Path, input_path: str | Path, output_path: str | Path, *, lang: str = "en"
) -> pd.DataFrame:
    """Score the cases in ``input_path`` with the saved model and write them to ``output_path`` (CSV).

    The file needs the columns the model was trained on (`FraudScorer.input_columns`); others are
    ignored. The CSV is written by `crmlab.core.csvfile.write_csv` (Excel-safe: UTF-8 with a byte-order
    mark, text that would run as a formula neutralised).

    Raises
    ------
    InputError
        Unreadable file, missing columns, or text in a numeric column.
    """
    scorer = load_model(model_path)
    data = datasets.read(input_path)
    scored = scorer.score(data, lang=lang, context=Path(input_path).name)
    write_csv(scored, output_path)
    return scored
