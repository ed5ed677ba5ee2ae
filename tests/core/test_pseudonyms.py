"""Customer ids as stable salted tokens in what a report shows (crmlab run --pseudonymize-ids)."""

from __future__ import annotations

import pandas as pd
import pytest

from crmlab.core.display import display_table
from crmlab.core.pseudonyms import SALT_ENV, pseudonymize, token


@pytest.fixture
def salted(monkeypatch):
    monkeypatch.setenv(SALT_ENV, "a-secret")


def test_tokens_are_stable_per_salt_and_reveal_nothing():
    assert token("C-1001", "s") == token("C-1001", "s") != token("C-1002", "s")
    assert token("C-1001", "s") != token("C-1001", "other salt")
    assert "1001" not in token("C-1001", "s") and token(1001, "s") == token("1001", "s")


def test_without_a_salt_nothing_changes():
    frame = pd.DataFrame({"customer_id": ["a"]})
    assert pseudonymize(frame) is frame


def test_id_columns_and_index_levels_are_tokenised_the_same_everywhere(salted):
    frame = pd.DataFrame({"customer_id": ["K-1", "K-2", None], "CustomerID": ["K-1", "x", "y"], "n": [1, 2, 3]})
    out = pseudonymize(frame)
    assert out.loc[0, "customer_id"] == out.loc[0, "CustomerID"] == token("K-1", "a-secret")
    assert pd.isna(out.loc[2, "customer_id"]) and out["n"].tolist() == [1, 2, 3]
    indexed = pseudonymize(frame.set_index(["customer_id", "n"]))
    assert indexed.index.get_level_values("customer_id")[0] == token("K-1", "a-secret")
    assert frame.loc[0, "customer_id"] == "K-1"  # the data itself keeps the real id


def test_display_tables_show_tokens_only(salted):
    html = display_table(pd.DataFrame({"customer_id": ["SECRET-7"], "revenue": [5.0]})).to_html()
    assert "SECRET-7" not in html and token("SECRET-7", "a-secret") in html
