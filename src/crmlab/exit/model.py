"""The neural-network exit classifier: fit it, compare it with two baselines, explain it.

Step 4 of notebook ``10-exit-classification``: `fit_exit_model` trains a scikit-learn MLP on the
nine standardised factors on one split of the customers and evaluates it on the other, against two
baselines (AHP-score thresholds and multinomial logistic regression), with permutation importance.
`class_report`, `comparison_table`, `model_text` and `importance_text` show the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler
from sklearn.inspection import permutation_importance
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support
from sklearn.model_selection import GroupShuffleSplit
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from crmlab.core.checks import check_choice, check_range, check_whole
from crmlab.core.display import display_table
from crmlab.core.errors import InputError, ParameterError
from crmlab.core.i18n import sentences, t
from crmlab.data.schemas import require_columns
from crmlab.exit.factors import FACTORS, LABEL_COL, LABEL_SOURCES, LABELS, SCORE_COL, threshold_labels

MIN_ROWS_PER_CLASS = 5
#: The network must beat the best baseline's test macro F1 by at least this much to be called better.
CLEAR_MARGIN = 0.02
#: Below this test macro F1 the classifier is called weak (chance, with three classes, is about 0.33).
WEAK_F1 = 0.6


@dataclass(frozen=True)
class ExitModel:
    """A trained exit classifier and its evaluation on the test split.

    Attributes
    ----------
    pipeline : sklearn.pipeline.Pipeline
        Standard scaler + MLPClassifier, fitted on the training split.
    factors : tuple of str
        Input columns, in order.
    hidden_layers : tuple of int
        Sizes of the hidden layers.
    confusion : pandas.DataFrame
        Test confusion matrix: rows are the true labels, columns the predicted ones (`LABELS` order).
    report : pandas.DataFrame
        Per class: ``precision``, ``recall``, ``f1``, ``support`` on the test split.
    macro_f1 : float
        Test macro F1 of the network.
    baselines : pandas.Series
        Test macro F1 of each baseline: ``ahp_thresholds`` and ``logistic``.
    importance : pandas.DataFrame
        Permutation importance on the test split (drop in macro F1): ``factor``, ``mean``, ``std``,
        largest first.
    predictions : pandas.DataFrame
        Every row of the input: ``customer_id``, ``period``, ``label``, ``predicted`` and ``split``
        (``train`` / ``test``).
    """

    pipeline: Pipeline
    factors: tuple[str, ...]
    hidden_layers: tuple[int, ...]
    confusion: pd.DataFrame
    report: pd.DataFrame
    macro_f1: float
    baselines: pd.Series
    importance: pd.DataFrame
    predictions: pd.DataFrame

    @property
    def baseline_macro_f1(self) -> float:
        """Macro F1 of the best baseline."""
        return float(self.baselines.max())

    @property
    def best_baseline(self) -> str:
        """Name of the best baseline (``ahp_thresholds`` or ``logistic``)."""
        return str(self.baselines.idxmax())

    @property
    def layer_sizes(self) -> tuple[int, ...]:
        """Input, hidden and output layer sizes."""
        return (len(self.factors), *self.hidden_layers, len(LABELS))


def _check_layers(hidden_layers: Sequence[int]) -> tuple[int, ...]:
    """The hidden-layer sizes as a tuple of whole numbers >= 1, else ParameterError."""
    if len(hidden_layers) == 0:
        raise ParameterError(t("exit.hidden_layers_empty", value=list(hidden_layers)))
    return tuple(check_whole(n, "hidden_layers", low=1) for n in hidden_layers)


def _split(
    df: pd.DataFrame, labels: pd.Series, *, customer_col: str, test_share: float, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Train and test row positions, with all rows of a customer on the same side."""
    counts = labels.value_counts()
    if len(counts) < 2:
        raise InputError(t("exit.single_class", label=repr(counts.index[0])))
    needed = int(np.ceil(MIN_ROWS_PER_CLASS / min(test_share, 1 - test_share)))
    small = counts[counts < needed]
    if len(small):
        raise InputError(
            t(
                "exit.too_few_rows",
                label=repr(small.index[0]),
                n=int(small.iloc[0]),
                needed=needed,
                min=MIN_ROWS_PER_CLASS,
            )
        )
    splitter = GroupShuffleSplit(n_splits=1, test_size=test_share, random_state=seed)
    train, test = next(splitter.split(df, labels, groups=df[customer_col]))
    for name, rows in (("train", train), ("test", test)):
        missing = set(counts.index) - set(labels.iloc[rows])
        if missing:
            raise InputError(
                t("exit.split_missing", split=t(f"exit.split.{name}"), labels=", ".join(map(repr, sorted(missing))))
            )
    return train, test


def fit_exit_model(
    df: pd.DataFrame,
    *,
    factors: Sequence[str] = FACTORS,
    hidden_layers: Sequence[int] = (16,),
    test_share: float = 0.3,
    seed: int = 0,
    customer_col: str = "customer_id",
    period_col: str = "period",
    n_repeats: int = 5,
    alpha: float = 1.0,
) -> ExitModel:
    """Train the MLP on one split of the customers, evaluate it and its baselines on the other.

    Parameters
    ----------
    df : pandas.DataFrame
        Output of `crmlab.exit.factors.assign_labels` (factors, ``ahp_score``, ``exit_label``).
    factors : sequence of str
        Input columns.
    hidden_layers : sequence of int
        Neurons per hidden layer, e.g. ``[16]`` or ``[32, 16]``.
    test_share : float
        Share of customers held out for the test, in (0, 1).
    seed : int
        Seed of the split, the network's initial weights and the permutations.
    customer_col, period_col : str
        Identifier and period columns.
    n_repeats : int
        Permutations per factor for the importance.
    alpha : float
        L2 penalty of the network's weights; the strong default keeps a small network from
        over-fitting a few thousand rows.

    Returns
    -------
    ExitModel

    Raises
    ------
    InputError
        A single class, or too few rows of a class for the split.
    ParameterError
        Empty or non-positive ``hidden_layers``, or ``test_share`` outside (0, 1).
    """
    layers = _check_layers(hidden_layers)
    check_range(test_share, "test_share", low=0, high=1, low_open=True, high_open=True)
    require_columns(df, [*factors, SCORE_COL, LABEL_COL, customer_col], context=t("exit.context.factor_table"))
    labels = df[LABEL_COL].astype("str")
    train, test = _split(df, labels, customer_col=customer_col, test_share=test_share, seed=seed)
    x = df[list(factors)].to_numpy(dtype="float64")
    y = labels.to_numpy()
    network = make_pipeline(
        StandardScaler(),
        MLPClassifier(hidden_layer_sizes=layers, alpha=alpha, max_iter=1000, random_state=seed),
    )
    network.fit(x[train], y[train])
    predicted = network.predict(x)
    present = [c for c in LABELS if c in set(y)]
    macro = float(f1_score(y[test], predicted[test], labels=present, average="macro"))
    logistic = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)).fit(x[train], y[train])
    baselines = pd.Series(
        {
            "ahp_thresholds": _ahp_baseline(df[SCORE_COL], y, train, test, present),
            "logistic": float(f1_score(y[test], logistic.predict(x[test]), labels=present, average="macro")),
        },
        name="macro_f1",
    )
    importance = permutation_importance(
        network, x[test], y[test], scoring="f1_macro", n_repeats=n_repeats, random_state=seed
    )
    period = df[period_col] if period_col in df.columns else pd.Series(1, index=df.index)
    split = np.full(len(df), "train", dtype=object)
    split[test] = "test"
    return ExitModel(
        pipeline=network,
        factors=tuple(factors),
        hidden_layers=layers,
        confusion=pd.DataFrame(
            confusion_matrix(y[test], predicted[test], labels=present), index=present, columns=present
        ),
        report=_report(y[test], predicted[test], present),
        macro_f1=macro,
        baselines=baselines,
        importance=pd.DataFrame(
            {"factor": list(factors), "mean": importance.importances_mean, "std": importance.importances_std}
        ).sort_values("mean", ascending=False, ignore_index=True),
        predictions=pd.DataFrame(
            {
                customer_col: df[customer_col].to_numpy(),
                period_col: period.to_numpy(),
                "label": y,
                "predicted": predicted,
                "split": split,
            }
        ),
    )


def _ahp_baseline(score: pd.Series, y: np.ndarray, train: np.ndarray, test: np.ndarray, present: list[str]) -> float:
    """Macro F1 of AHP-score thresholds set so the training split's class shares are reproduced."""
    train_labels = pd.Series(y[train])
    bad_share = float((train_labels == "bad").mean())
    good_share = float((train_labels == "good").mean())
    train_score = score.iloc[train]
    low = float(train_score.quantile(bad_share)) if bad_share > 0 else -np.inf
    high = float(train_score.quantile(1 - good_share)) if good_share > 0 else np.inf
    guess = threshold_labels(score.iloc[test], low, high)
    return float(f1_score(y[test], guess, labels=present, average="macro"))


def _report(truth: np.ndarray, guess: np.ndarray, labels: list[str]) -> pd.DataFrame:
    precision, recall, f1, support = precision_recall_fscore_support(truth, guess, labels=labels, zero_division=0)
    return pd.DataFrame(
        {"precision": precision, "recall": recall, "f1": f1, "support": support}, index=pd.Index(labels, name="class")
    )


def comparison_table(model: ExitModel, *, lang: str | None = None) -> Styler:
    """Test macro F1 of the network and of each baseline."""
    scores = pd.concat([pd.Series({"network": model.macro_f1}), model.baselines])
    table = pd.DataFrame({"model": scores.index, "macro_f1": scores.to_numpy()})
    return display_table(
        table, headings="exit.col", kinds={"macro_f1": "score"}, values={"model": "exit.baseline"}, lang=lang
    )


def class_report(model: ExitModel, *, lang: str | None = None) -> Styler:
    """Per-class precision, recall, F1 and support on the test split, in ``lang``."""
    return display_table(
        model.report.reset_index(),
        headings="exit.col",
        kinds={"precision": "score", "recall": "score", "f1": "score", "support": "count"},
        values={"class": "exit.label"},
        lang=lang,
    )


def model_text(model: ExitModel, *, label_source: str = "column", lang: str | None = None) -> str:
    """The network's test macro F1 against the best baseline, with a warning for score-made labels."""
    check_choice(label_source, "label_source", LABEL_SOURCES)
    text = t(
        "exit.text.model",
        lang,
        sizes=" → ".join(str(n) for n in model.layer_sizes),
        f1=model.macro_f1,
        best=t(f"exit.baseline.{model.best_baseline}", lang),
        base=model.baseline_macro_f1,
    )
    text = sentences(text, verdict(model, lang=lang), lang=lang)
    if label_source == "score":
        text += "\n\n" + t("exit.text.score_source_warning", lang)
    return text


def verdict_key(model: ExitModel) -> str:
    """``clear``, ``barely`` or ``none``: how far the network beats its best baseline (see `CLEAR_MARGIN`)."""
    gap = model.macro_f1 - model.baseline_macro_f1
    return "clear" if gap >= CLEAR_MARGIN else "barely" if gap > 0 else "none"


def verdict(model: ExitModel, *, lang: str | None = None) -> str:
    """The network against its best baseline, from the test macro F1s, and whether it is weak."""
    values = {
        "f1": model.macro_f1,
        "base": model.baseline_macro_f1,
        "best": t(f"exit.baseline.{model.best_baseline}", lang),
        "gap": model.macro_f1 - model.baseline_macro_f1,
        "bar": CLEAR_MARGIN,
        "weak": WEAK_F1,
    }
    text = t(f"exit.say.verdict_{verdict_key(model)}", lang, **values)
    if model.macro_f1 < WEAK_F1:
        text = sentences(text, t("exit.say.weak", lang, **values), lang=lang)
    return text


def model_advice(model: ExitModel, *, lang: str | None = None) -> str:
    """The recommendation on which classifier to use for the next periods."""
    best = t(f"exit.baseline.{model.best_baseline}", lang)
    key = {"clear": "use_network", "barely": "use_baseline", "none": "use_baseline_better"}[verdict_key(model)]
    return t(f"exit.say.{key}", lang, best=best, f1=model.macro_f1, base=model.baseline_macro_f1)


def confusion_text(model: ExitModel, *, lang: str | None = None) -> str:
    """The confusion matrix's message: how many bad test rows the network finds, and how many it calls bad wrongly."""
    confusion = model.confusion
    if "bad" not in confusion.index:
        return t("exit.text.no_bad_test", lang)
    counts = confusion.to_numpy()
    i, j = list(confusion.index).index("bad"), list(confusion.columns).index("bad")
    bad, found = int(counts[i].sum()), int(counts[i, j])
    wrong = int(counts[:, j].sum()) - found
    return t("exit.text.confusion", lang, bad=bad, found=found, recall=found / bad if bad else 0.0, wrong=wrong)


def importance_text(model: ExitModel, *, top: int = 3, lang: str | None = None) -> str:
    """The ``top`` factors the network relies on most (largest permutation importance)."""
    names = [t(f"exit.factor.{f}", lang) for f in model.importance["factor"].head(top)]
    return t("exit.text.importance", lang, top=t("common.list_sep", lang).join(names))
