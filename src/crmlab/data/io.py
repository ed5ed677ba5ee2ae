"""Reading users' files: encodings, separators, column mapping, then validation.

`read(path, kind=..., columns={...})` reads a user's CSV, Excel or Parquet file: it detects the
text encoding (`detect_encoding`), renames the user's columns to canonical ones (``columns=`` first,
then the alias table of `crmlab.data.columns`) and validates them with `crmlab.data.schemas.validate`.
`read_mapped` also returns the mapping that was used, for the report.
"""

from __future__ import annotations

import codecs
from collections.abc import Mapping, Sequence
from pathlib import Path

import charset_normalizer
import pandas as pd

from crmlab.core.errors import InputError
from crmlab.core.i18n import t
from crmlab.data.columns import resolve_columns
from crmlab.data.schemas import SCHEMAS, require_nonempty, schema, validate

# --- reading users' files -------------------------------------------------------------------------

#: Byte-order marks and the encodings they announce (UTF-32 first: its little-endian BOM starts like UTF-16's).
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Encodings weighed for a text file without BOM that is not UTF-8: GB18030 (a superset of GBK and
#: GB2312: Chinese Excel exports) and Windows-1252 (Western European exports; Latin-1's letters).
LEGACY_ENCODINGS = ("gb18030", "cp1252")
#: How the message names the encodings tried.
_TRIED = "UTF-8 (BOM), UTF-16/UTF-32 (BOM), UTF-8, GBK/GB18030, Windows-1252 (Latin-1)"
#: The first bytes of binary formats that users save under a text extension, with their extension.
_SIGNATURES: dict[bytes, tuple[str, str]] = {
    b"PK\x03\x04": ("Excel (.xlsx)", ".xlsx"),
    b"\xd0\xcf\x11\xe0": ("Excel 97-2003 (.xls)", ".xlsx"),
    b"PAR1": ("Parquet", ".parquet"),
}
TEXT_EXTENSIONS = (".csv", ".tsv", ".txt")
EXCEL_EXTENSIONS = (".xlsx", ".xlsm")
PARQUET_EXTENSIONS = (".parquet", ".pq")
_SEPARATORS = (",", "\t", ";", "|")
#: Bytes looked at for control bytes, and the share of them above which a file is binary: text
#: without a UTF-16/UTF-32 BOM holds no NUL and next to no other control byte but tab and line ends.
_PROBE = 1 << 16
_MAX_CONTROL_SHARE = 0.01
_CONTROL = bytes(set(range(32)) - {9, 10, 11, 12, 13})


def _is_binary(data: bytes) -> bool:
    """Whether ``data`` (without BOM) holds a NUL byte or more than 1% control bytes in its first 64 KiB."""
    probe = data[:_PROBE]
    return b"\x00" in probe or len(probe) - len(probe.translate(None, _CONTROL)) > _MAX_CONTROL_SHARE * len(probe)


def _not_text(path: Path, data: bytes) -> InputError:
    """The error for a file that holds binary data, naming its real format when its first bytes show it."""
    found = next((v for sig, v in _SIGNATURES.items() if data.startswith(sig)), None)
    hint = t("data.looks_like", format=found[0], ext=found[1]) if found else ""
    return InputError(t("data.not_text", path=path.name) + hint)


def detect_encoding(path: str | Path) -> str:
    """The text encoding of ``path``, or InputError when it is not text in a supported encoding.

    In order: a byte-order mark (``"utf-8-sig"``, ``"utf-16"``, ``"utf-32"``); ``"utf-8"`` when the
    bytes are valid UTF-8; else the reading of `LEGACY_ENCODINGS` (``"gb18030"``: GBK/GB2312, the
    encodings of CSV files saved by Chinese Excel; ``"cp1252"``: Latin-1 letters such as ``ü``,
    ``ë``, ``ç``) that decodes without a replacement character and reads as plausible text, as
    judged by `charset_normalizer` (its measure of "mess": unlikely sequences of scripts, accents
    and symbols). A Latin-1 name such as ``Müller`` also decodes as GB18030 (``M黮ler``), but as
    mess, so it reads as Windows-1252. A file with NUL bytes or more than 1% control bytes raises
    InputError saying it is not text (naming Excel or Parquet when its first bytes show that
    format); a text file that no encoding reads as text raises InputError naming the encodings tried.
    """
    path = Path(path)
    data = path.read_bytes()
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return encoding
    if _is_binary(data):
        raise _not_text(path, data)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    for match in charset_normalizer.from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)):
        try:
            data.decode(match.encoding)
        except UnicodeDecodeError:  # the detector samples the file; the whole of it must decode
            continue
        return match.encoding
    raise InputError(t("data.bad_encoding", path=path.name, tried=_TRIED))


def line_separator(line: str) -> str | None:
    """The commonest of comma, tab, semicolon and bar in ``line``; None when it holds none of them.

    >>> line_separator("a;b;c,d"), line_separator("milk bread")
    (';', None)
    """
    sep = max(_SEPARATORS, key=line.count)
    return sep if line.count(sep) else None


def _separator(path: Path, encoding: str) -> str:
    """The field separator: tab for .tsv, else the commonest separator of the header line (comma if none)."""
    if path.suffix.lower() == ".tsv":
        return "\t"
    with path.open(encoding=encoding) as handle:
        header = handle.readline()
    return line_separator(header) or ","


def _header(path: Path, encoding: str | None, sep: str | None, sheet: str | int | None) -> list[str]:
    suffix = path.suffix.lower()
    if suffix in TEXT_EXTENSIONS:
        return list(pd.read_csv(path, encoding=encoding, sep=sep, nrows=0).columns)
    if suffix in EXCEL_EXTENSIONS:
        return list(pd.read_excel(path, sheet_name=sheet if sheet is not None else 0, nrows=0).columns)
    import pyarrow.parquet as pq

    return list(pq.read_schema(path).names)


def _check_header(path: Path, encoding: str | None, sep: str | None, sheet: str | int | None) -> None:
    """Raise InputError when a column name appears twice in the header (pandas would rename one silently)."""
    suffix = path.suffix.lower()
    if suffix in TEXT_EXTENSIONS:
        raw = pd.read_csv(path, encoding=encoding, sep=sep, header=None, nrows=1, dtype=str).iloc[0].tolist()
    elif suffix in EXCEL_EXTENSIONS:
        first = pd.read_excel(path, sheet_name=sheet if sheet is not None else 0, header=None, nrows=1, dtype=str)
        raw = first.iloc[0].tolist() if len(first) else []
    else:
        import pyarrow.parquet as pq

        raw = list(pq.read_schema(path).names)
    names = [str(n).strip() for n in raw if isinstance(n, str) and n.strip()]
    for name in dict.fromkeys(names):
        positions = [i + 1 for i, n in enumerate(raw) if isinstance(n, str) and n.strip() == name]
        if len(positions) > 1:
            shown = ", ".join(map(str, positions))
            raise InputError(t("data.duplicate_header", path=path.name, column=name, n=len(positions), positions=shown))


def _sheets(path: Path) -> list[str]:
    """The sheet names of an Excel workbook."""
    with pd.ExcelFile(path) as book:
        return [str(name) for name in book.sheet_names]


def _id_columns(kind: str | None, mapping: Mapping[str, str]) -> list[str]:
    """The file's columns that become identifiers (read them as text, keeping leading zeros)."""
    if kind is None:
        return []
    ids = {c.name for c in SCHEMAS[kind].columns if c.dtype == "id"}
    return [column for column, canonical in mapping.items() if canonical in ids]


def _read_raw(
    path: Path,
    *,
    encoding: str | None,
    sep: str | None,
    dtypes: dict[str, str],
    sheet: str | int | None,
    nrows: int | None = None,
) -> pd.DataFrame:
    suffix = path.suffix.lower()
    if suffix in TEXT_EXTENSIONS:
        return pd.read_csv(path, encoding=encoding, sep=sep, dtype=dtypes or None, low_memory=False, nrows=nrows)
    if suffix in EXCEL_EXTENSIONS:
        return pd.read_excel(path, sheet_name=sheet if sheet is not None else 0, dtype=dtypes or None, nrows=nrows)
    frame = pd.read_parquet(path)
    return frame if nrows is None else frame.head(nrows)


def read_mapped(
    path: str | Path,
    *,
    kind: str | None = None,
    columns: Mapping[str, str] | None = None,
    sheet: str | int | None = None,
    target: str | None = None,
    nrows: int | None = None,
    roles: Sequence[str] = (),
) -> tuple[pd.DataFrame, dict[str, str]]:
    """`read`, and the mapping ``{file column: canonical column}`` that was used (see `resolve_columns`).

    ``roles``: without a ``kind``, the canonical columns to recognise by their common headers (e.g. a
    churn file's ``churned`` and ``reason``); nothing is validated.

    ``nrows``: read only the first rows (the runner checks a file's header and types with them
    before a kernel starts).
    """
    path = Path(path)
    if path.is_dir():
        raise InputError(t("data.is_a_folder", path=path))
    if not path.is_file():
        raise InputError(t("data.file_missing", path=path, cwd=Path.cwd()))
    suffix = path.suffix.lower()
    if suffix not in TEXT_EXTENSIONS + EXCEL_EXTENSIONS + PARQUET_EXTENSIONS:
        raise InputError(t("data.unknown_extension", path=path.name, ext=path.suffix or "(none)"))
    if path.stat().st_size == 0:
        raise InputError(t("data.empty_file", path=path.name))
    wanted = schema(kind).names if kind is not None else list(roles)
    sheet = sheet if sheet not in (None, "") else None
    sheets: list[str] = []
    try:
        sheets = _sheets(path) if suffix in EXCEL_EXTENSIONS else []
        if isinstance(sheet, str) and suffix in EXCEL_EXTENSIONS and sheet not in sheets:
            raise InputError(t("data.no_sheet", path=path.name, sheet=sheet, sheets=", ".join(map(repr, sheets))))
        encoding = detect_encoding(path) if suffix in TEXT_EXTENSIONS else None
        sep = _separator(path, encoding) if encoding else None
        _check_header(path, encoding, sep, sheet)
        header = _header(path, encoding, sep, sheet)
        mapping = resolve_columns(header, wanted=wanted, columns=columns, context=path.name)
        dtypes = dict.fromkeys(_id_columns(kind, mapping), "str")
        raw = _read_raw(path, encoding=encoding, sep=sep, dtypes=dtypes, sheet=sheet, nrows=nrows)
        df = raw.rename(columns=mapping)
        require_nonempty(df, context=path.name)
        return (df if kind is None else validate(df, kind, target=target, context=path.name)), mapping
    except InputError as error:
        if sheet is None and len(sheets) > 1:  # the data may be on another sheet: say so
            names = ", ".join(map(repr, sheets))
            raise InputError(t("data.other_sheets", error=error, sheets=names, first=repr(sheets[0]))) from None
        raise
    except (ValueError, OSError, ImportError) as error:
        raise InputError(t("data.bad_file", path=path.name, format=suffix.lstrip("."), reason=error)) from error


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
        ``"transactions"``, ``"customers"``, ``"labelled"``, ``"churn_events"`` or ``"panel"``:
        recognise the common headers of that kind's columns (`crmlab.data.columns.ALIASES`, e.g.
        Online Retail's ``InvoiceNo`` or ``客户编号``) and validate against its schema (see
        `crmlab.data.schemas.validate`). ``None``: read and rename by ``columns`` only.
    columns
        Maps the file's column names to canonical ones, e.g. ``{"客户编号": "customer_id"}``; it
        wins over the alias table.
    sheet
        Excel sheet name or index (default, or ``""``: the first sheet).
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
        file (with a did-you-mean suggestion), two file columns matching one canonical column, or
        data that does not fit the schema.
    """
    return read_mapped(path, kind=kind, columns=columns, sheet=sheet, target=target)[0]
