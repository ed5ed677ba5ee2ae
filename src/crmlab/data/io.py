"""Reading users' files: encodings, separators, column mapping, then validation.

`read(path, kind=..., columns={...})` reads a user's CSV, Excel or Parquet file: it detects the
text encoding (`detect_encoding`), renames the user's columns to canonical ones and validates
them with `crmlab.data.schemas.validate`.
"""

from __future__ import annotations

import codecs
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from crmlab.core.checks import did_you_mean
from crmlab.core.errors import InputError
from crmlab.core.i18n import t
from crmlab.data.schemas import SCHEMAS, require_nonempty, schema, validate

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
                    hint=did_you_mean(column, header),
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
        hint = did_you_mean(target, canonical)
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
        that schema (see `crmlab.data.schemas.validate`). ``None``: read and rename only.
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
