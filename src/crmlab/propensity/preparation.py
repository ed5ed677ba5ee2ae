"""Labelled data for propensity models: reading it, coding the target, choosing the features, splitting.

- `load_labelled` - a user's labelled file or a named data set, with its target named explicitly.
- `prepare` - pick the features, detect numeric and categorical columns, drop ID-like, constant,
  empty and date columns (saying why, `DROP_REASONS`), and code the target as 0/1.
- `feature_frame` - the model's input columns with the types the model expects (also for scoring).
- `split` - an independent test set: time-based when a date column exists, else stratified.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from crmlab.core.checks import check_range
from crmlab.core.errors import InputError
from crmlab.core.i18n import t
from crmlab.data import Loaded, load_input
from crmlab.data.schemas import require_columns, require_nonempty, require_numeric

__all__ = [
    "DROP_REASONS",
    "POSITIVE_WORDS",
    "Prepared",
    "Split",
    "feature_frame",
    "load_labelled",
    "prepare",
    "split",
]

#: Why `prepare` drops a column; a report translates the code with ``propensity.drop.<code>``.
DROP_REASONS = ("id_like", "constant", "all_missing", "date", "high_cardinality")

#: Target values read as the positive class (compared in lower case) when ``positive`` is not given.
POSITIVE_WORDS = frozenset(
    {"1", "true", "yes", "y", "t", "fraud", "positive", "churn", "churned", "responded", "是", "欺诈", "流失"}
)

_ID_NAME = re.compile(r"(^id$|_id$|^id_|编号|^no$|_no$|号码$|^uuid|^guid)", re.IGNORECASE)
_DATE_NAME = re.compile(r"(date|time|day$|日期|时间)", re.IGNORECASE)


def _quoted(values: Sequence[Any], limit: int | None = None) -> str:
    """``'a', 'b', ...``: values quoted (so a message in any language reads them as names)."""
    shown = [repr(v.item() if isinstance(v, np.generic) else v) for v in values[:limit]]
    return ", ".join(shown) + (" ..." if limit is not None and len(values) > limit else "")


def load_labelled(
    *,
    input_path: str | Path = "",
    dataset: str = "",
    columns: Mapping[str, str] | None = None,
    sheet: str = "",
    target: str = "",
    default_target: str = "",
) -> Loaded:
    """A user's labelled file if ``input_path`` is given, else the named data set ``dataset``.

    Read through the data layer's one reader (`crmlab.data.load_input`), so the result also says
    which of the file's columns were used as what (``mapping``, stated by `crmlab.data.describe_input`).

    Parameters
    ----------
    input_path : str or Path
        A labelled CSV, Excel or Parquet file.
    dataset : str
        The named data set used when ``input_path`` is empty.
    columns : mapping, optional
        Maps the file's column names to the names used here.
    sheet : str
        Excel sheet name; empty means the first sheet.
    target : str
        The target column. Empty: the data set's own target (its catalogue entry), else
        ``default_target``.
    default_target : str
        The target of a file when ``target`` is empty.

    Raises
    ------
    InputError
        No target could be named, or it is not a column of the data (with a did-you-mean hint).
    """
    loaded = load_input(
        input_path,
        dataset=dataset,
        kind="labelled",
        columns=columns,
        sheet=sheet,
        target=target or (default_target if input_path else ""),
    )
    if not loaded.target:
        raise InputError(t("propensity.err.no_target"))
    require_columns(loaded.frame, [loaded.target], context=loaded.source)
    return loaded


@dataclass(frozen=True, eq=False)
class Prepared:
    """A labelled table ready for modelling.

    Attributes
    ----------
    X : DataFrame
        The usable features: numeric ones as float, categorical ones as strings (missing stays NaN).
    y : Series
        The target coded 0/1 (int), 1 = ``positive_label``.
    numeric, categorical : tuple of str
        Feature names by type, in the order of ``X``'s columns.
    dropped : dict
        Column -> reason code (one of `DROP_REASONS`) for every candidate column not used.
    positive_label : object
        The original target value coded 1.
    target : str
        The target column's name.
    dates : Series or None
        The date column used for a time-based split, when one exists.
    ids : DataFrame
        The ID-like columns (kept for output files, never used as features).
    """

    X: pd.DataFrame
    y: pd.Series
    numeric: tuple[str, ...]
    categorical: tuple[str, ...]
    dropped: dict[str, str]
    positive_label: Any
    target: str = ""
    dates: pd.Series | None = None
    ids: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def features(self) -> tuple[str, ...]:
        """All feature names, numeric first."""
        return self.numeric + self.categorical

    @property
    def base_rate(self) -> float:
        """Share of positives."""
        return float(self.y.mean())

    def subset(self, index: pd.Index) -> Prepared:
        """The same preparation restricted to the rows in ``index``."""
        return Prepared(
            X=self.X.loc[index],
            y=self.y.loc[index],
            numeric=self.numeric,
            categorical=self.categorical,
            dropped=self.dropped,
            positive_label=self.positive_label,
            target=self.target,
            dates=None if self.dates is None else self.dates.loc[index],
            ids=self.ids.loc[index] if len(self.ids.columns) else self.ids,
        )


def _positive_label(values: Sequence[Any], target: str, positive: Any) -> Any:
    """The target value coded 1: ``positive`` if given, else a recognised word, else the rarer value."""
    if positive is not None:
        for value in values:
            if value == positive or str(value) == str(positive):
                return value
        raise InputError(
            t("propensity.err.positive_not_found", positive=repr(positive), target=target, values=_quoted(values))
        )
    for value in values:
        if isinstance(value, (bool, np.bool_)) and value:
            return value
    numbers = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce")
    if numbers.notna().all() and set(numbers) == {0.0, 1.0}:
        return values[int(np.flatnonzero(numbers == 1.0)[0])]
    words = [v for v in values if str(v).strip().lower() in POSITIVE_WORDS]
    if len(words) == 1:
        return words[0]
    return None


def _code_target(df: pd.DataFrame, target: str, positive: Any) -> tuple[pd.Series, Any]:
    require_columns(df, [target], context=t("propensity.context"))
    labelled = df[target].dropna()
    values = list(pd.unique(labelled))
    if len(values) < 2:
        shown = _quoted(values) if values else t("propensity.err.all_missing")
        raise InputError(t("propensity.err.single_class", target=target, shown=shown))
    if len(values) > 2:
        raise InputError(t("propensity.err.not_binary", target=target, n=len(values), shown=_quoted(values, 6)))
    label = _positive_label(values, target, positive)
    if label is None:
        counts = labelled.value_counts()
        label = counts.index[-1] if counts.iloc[0] != counts.iloc[-1] else sorted(values, key=str)[-1]
    return (labelled == label).astype(int).rename(target), label


def _as_dates(column: pd.Series) -> pd.Series | None:
    """``column`` as datetimes when it holds dates (datetime dtype, or text that parses as dates)."""
    if pd.api.types.is_datetime64_any_dtype(column):
        return column
    if not (pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column)):
        return None
    if not _DATE_NAME.search(str(column.name)):
        return None
    present = column.dropna()
    parsed = pd.to_datetime(present, errors="coerce", format="mixed")
    if len(present) and parsed.notna().mean() >= 0.95:
        return pd.to_datetime(column, errors="coerce", format="mixed")
    return None


def _is_categorical(column: pd.Series) -> bool:
    return not (pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column))


def _drop_reason(column: pd.Series, n_rows: int) -> str | None:
    """The reason code for not using ``column`` as a feature, or None if it is usable."""
    present = column.dropna()
    if present.empty:
        return "all_missing"
    distinct = present.nunique()
    if distinct <= 1:
        return "constant"
    if _is_categorical(column):
        if _ID_NAME.search(str(column.name)) or (distinct == len(present) and len(present) >= 20):
            return "id_like"
        if distinct > max(50, 0.5 * n_rows):
            return "high_cardinality"
        return None
    if pd.api.types.is_integer_dtype(column) and distinct == len(present):
        values = np.sort(present.to_numpy())
        consecutive = bool(np.all(np.diff(values) == 1))
        if _ID_NAME.search(str(column.name)) or consecutive:
            return "id_like"
    if _ID_NAME.search(str(column.name)) and distinct > 0.9 * len(present):
        return "id_like"
    return None


def feature_frame(
    df: pd.DataFrame, *, numeric: Sequence[str], categorical: Sequence[str], context: str | None = None
) -> pd.DataFrame:
    """The model's input columns of ``df``: numeric ones as float, categorical ones as text (NaN kept).

    Used when preparing and when scoring new cases, so both see the same types. ``context`` names
    the data in messages (default: "propensity model" in the current language).

    Raises
    ------
    InputError
        A column is missing, or a numeric column holds values that are not numbers (the message
        names the column and the first bad rows).
    """
    context = context or t("propensity.context")
    require_columns(df, [*numeric, *categorical], context=context)
    numbers = require_numeric(df[list(numeric)], numeric, context=context)
    parts = [numbers[name].astype(float).rename(name) for name in numeric]
    for name in categorical:
        parts.append(df[name].map(lambda v: v if pd.isna(v) else str(v)).astype(object).rename(name))
    return pd.concat(parts, axis=1) if parts else pd.DataFrame(index=df.index)


def prepare(
    df: pd.DataFrame,
    *,
    target: str,
    features: Sequence[str] | None = None,
    positive: Any = None,
) -> Prepared:
    """Select and type the features of a labelled table and code its target 0/1.

    Parameters
    ----------
    df : DataFrame
        One row per case (customer, application, claim), the target among its columns. Not mutated.
    target : str
        The column to predict. It must have exactly two distinct values; rows where it is missing
        are left out.
    features : sequence of str, optional
        Candidate feature columns; default all columns but the target.
    positive : object, optional
        The target value that means "yes" (fraud, churned, responded). Default: ``True``, or the one
        value that reads as yes (``1``, ``"yes"``, ``"fraud"``, ``"是"`` ...), else the rarer value.

    Returns
    -------
    Prepared
        Columns that are ID-like (all values unique, or a name such as ``*_id``), constant, empty,
        dates (kept aside for a time-based split) or text with too many values are left out and listed
        in ``dropped`` with their reason. A date column is a datetime column, or a text column whose
        name contains date, time, 日期 or 时间 and whose values parse as dates. Text, category and
        boolean columns are categorical; other numeric columns are numeric.

    Raises
    ------
    InputError
        The data is empty; the target is missing, has a single class or more than two; a feature
        is not in the data; no usable feature is left.

    Examples
    --------
    >>> frame = pd.DataFrame({"age": [30, 41, 25, 52], "plan": list("abab"), "left": ["no", "yes", "no", "no"]})
    >>> p = prepare(frame, target="left")
    >>> p.numeric, p.categorical, p.positive_label, p.y.tolist()
    (('age',), ('plan',), 'yes', [0, 1, 0, 0])
    """
    require_nonempty(df, context=t("propensity.context"))
    y, label = _code_target(df, target, positive)
    rows = df.loc[y.index]
    candidates = [c for c in df.columns if c != target] if features is None else list(features)
    require_columns(df, candidates, context=t("propensity.context"))
    dropped: dict[str, str] = {}
    numeric: list[str] = []
    categorical: list[str] = []
    dates: pd.Series | None = None
    for name in candidates:
        if name == target:
            continue
        column = rows[name]
        as_dates = _as_dates(column)
        if as_dates is not None:
            dropped[name] = "date"
            dates = as_dates if dates is None else dates
            continue
        reason = _drop_reason(column, len(rows))
        if reason is not None:
            dropped[name] = reason
        elif _is_categorical(column):
            categorical.append(name)
        else:
            numeric.append(name)
    if not numeric and not categorical:
        listed = ", ".join(f"{k!r} ({v})" for k, v in dropped.items()) or t("propensity.none")
        raise InputError(t("propensity.err.no_features", target=target, dropped=listed))
    X = feature_frame(rows, numeric=numeric, categorical=categorical)
    id_cols = [c for c, r in dropped.items() if r == "id_like"]
    return Prepared(
        X=X,
        y=y,
        numeric=tuple(numeric),
        categorical=tuple(categorical),
        dropped=dropped,
        positive_label=label.item() if hasattr(label, "item") else label,
        target=target,
        dates=dates,
        ids=rows[id_cols].copy(),
    )


@dataclass(frozen=True, eq=False)
class Split:
    """Training and independent test data, and how they were split (``"time"`` or ``"stratified"``)."""

    train: Prepared
    test: Prepared
    method: str
    cutoff: pd.Timestamp | None = None


def split(prepared: Prepared, *, test_share: float = 0.3, seed: int = 0, by_time: bool = True) -> Split:
    """Hold out an independent test set.

    With a date column (and ``by_time``) the latest ``test_share`` of cases is the test set, as a
    model is used on cases that come after those it learnt from; if that leaves one class only on
    either side, or without dates, the split is stratified by the target.
    """
    check_range(test_share, "test_share", low=0, high=1, low_open=True, high_open=True)
    if by_time and prepared.dates is not None and prepared.dates.notna().all():
        order = prepared.dates.sort_values(kind="stable").index
        n_test = int(round(len(order) * test_share))
        train_idx, test_idx = order[:-n_test], order[-n_test:]
        if prepared.y.loc[train_idx].nunique() == 2 and prepared.y.loc[test_idx].nunique() == 2:
            cutoff = pd.Timestamp(prepared.dates.loc[test_idx].min())
            return Split(prepared.subset(train_idx), prepared.subset(test_idx), "time", cutoff)
    if prepared.y.value_counts().min() < 2:
        raise InputError(t("propensity.err.too_few_to_split", target=prepared.target))
    train_idx, test_idx = train_test_split(
        prepared.X.index, test_size=test_share, random_state=seed, stratify=prepared.y
    )
    return Split(prepared.subset(train_idx), prepared.subset(test_idx), "stratified")
