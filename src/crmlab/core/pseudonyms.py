"""Customer ids replaced by stable salted tokens in what a report shows (``crmlab run --pseudonymize-ids``).

The runner hands the kernel a secret salt in the environment variable `SALT_ENV`. While it is set,
every table a report shows, through `crmlab.core.display.display_table` or as a plain DataFrame,
shows ``token(id)`` instead of each customer id: the same id gets the same token in every table
(and in every report made with the same salt), and the id cannot be read back from the token without
the salt. Files written for the CRM team (`crmlab.core.csvfile.write_csv`) keep the real ids.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re

import pandas as pd

SALT_ENV = "CRMLAB_PSEUDONYM_SALT"
#: Columns that hold customer ids: crmlab's ``customer_id`` and the common names of real exports.
ID_COLUMN = re.compile(r"^(customer|client|member|account|subscriber|policyholder)[ _]?(id|no|number)$", re.IGNORECASE)


def salt() -> str | None:
    """The salt of this run, or None when ids are shown as they are."""
    return os.environ.get(SALT_ENV) or None


def token(value: object, key: str) -> str:
    """The token of one id: ``ID-`` and ten hex digits of an HMAC-SHA256 keyed with ``key``.

    >>> token("C-1001", "salt") == token("C-1001", "salt") != token("C-1002", "salt")
    True
    """
    return "ID-" + hmac.new(key.encode(), str(value).encode(), hashlib.sha256).hexdigest()[:10]


def is_id_column(name: object) -> bool:
    """Whether a column of this name holds customer ids.

    >>> [is_id_column(c) for c in ("customer_id", "CustomerID", "会员", "invoice_id")]
    [True, True, False, False]
    """
    return bool(ID_COLUMN.match(str(name)))


def pseudonymize(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its customer-id columns and index levels tokenised when a salt is set, else ``frame``."""
    key = salt()
    names = list(frame.index.names)
    if key is None or not any(map(is_id_column, [*frame.columns, *names])):
        return frame

    def tokens(values: pd.Index | pd.Series) -> list[object]:
        return [v if pd.isna(v) else token(v, key) for v in values]

    out = frame.copy()
    for position, column in enumerate(frame.columns):
        if is_id_column(column):
            out.isetitem(position, tokens(frame.iloc[:, position]))
    levels = [
        tokens(frame.index.get_level_values(i)) if is_id_column(n) else frame.index.get_level_values(i)
        for i, n in enumerate(names)
    ]
    out.index = pd.MultiIndex.from_arrays(levels, names=names) if len(names) > 1 else pd.Index(levels[0], name=names[0])
    return out


def install_display_hook() -> None:
    """Make IPython show every DataFrame pseudonymised (only while a salt is set)."""
    if salt() is None:
        return
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        return
    formatters = shell.display_formatter.formatters
    formatters["text/html"].for_type(pd.DataFrame, lambda df: pseudonymize(df)._repr_html_())  # type: ignore[operator]
    formatters["text/plain"].for_type(pd.DataFrame, lambda df, p, cycle: p.text(repr(pseudonymize(df))))
