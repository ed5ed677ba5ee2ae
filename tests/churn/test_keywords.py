"""Tests of crmlab.churn.keywords: the keyword tables are data, loaded once, and matched as documented."""

from __future__ import annotations

from importlib import resources

import pandas as pd
import pytest
import yaml

from crmlab import churn
from crmlab.churn.keywords import KeywordMatcher, keyword_tables, normalise
from crmlab.churn.winback import TABLE_FIELDS


def test_tables_come_from_the_packaged_yaml_file_once() -> None:
    raw = yaml.safe_load(resources.files("crmlab.churn").joinpath("keywords.yaml").read_text(encoding="utf-8"))
    tables = keyword_tables()
    assert dict(tables.cause_mapping) == raw["cause_mapping"]
    assert dict(tables.winback_keywords) == raw["winback_keywords"]
    assert keyword_tables() is tables
    with pytest.raises(TypeError):
        tables.cause_mapping["new"] = "price"  # type: ignore[index]


def test_every_entry_is_a_normalised_string_of_a_known_type() -> None:
    tables = keyword_tables()
    for mapping, types in [
        (tables.cause_mapping, churn.CAUSES),
        (tables.cause_fallback, churn.CAUSES),
        (tables.whole_answers, churn.CAUSES),
        (tables.cause_aliases, churn.CAUSES),
        (tables.winback_keywords, churn.WINBACK_TYPES),
        (tables.winback_aliases, churn.WINBACK_TYPES),
        (tables.winback_by_cause, churn.WINBACK_TYPES),
    ]:
        for key, value in mapping.items():
            assert isinstance(key, str) and key == normalise(key), key
            assert value in types, (key, value)
    assert set(tables.winback_by_cause) == {*churn.CAUSES, churn.UNMAPPED}
    assert list(tables.winback_table) == list(churn.WINBACK_TYPES)
    for fields in tables.winback_table.values():
        assert set(fields) == set(TABLE_FIELDS)
        assert isinstance(fields["win_back"], bool) and 0 <= fields["success_rate"] <= 1
    assert not tables.flag_churned & tables.flag_active
    assert {"1", "yes", "是", "true"} <= tables.flag_churned  # quoted in the file: never read as booleans


def test_matcher_exact_then_longest_then_whole_words() -> None:
    matcher = KeywordMatcher.build({"app": "technology", "happy": "other", "no longer need": "product"}, churn.CAUSES)
    assert matcher.match("happy.") == ("other", "happy")  # a final full stop is ignored
    assert matcher.match("i no longer need the app") == ("product", "no longer need")
    assert matcher.match("unhappy") == (None, None)  # Latin keys match whole words
    assert matcher.match("appointment") == (None, None)
    assert matcher.match("too many apps") == ("technology", "app")  # plural -s / -es included
    assert KeywordMatcher.build({"贵": "price"}, churn.CAUSES).match("太贵了") == ("price", "贵")


def test_a_star_key_matches_the_start_of_a_word_and_ties_go_to_the_first_type() -> None:
    matcher = KeywordMatcher.build({"relocat*": "product", "charge": "price", "staff": "service"}, churn.CAUSES)
    assert matcher.match("relocated abroad") == ("product", "relocat*")
    assert matcher.match("surcharges") == (None, None)
    assert matcher.match("staff charges") == ("price", "charge")  # the longer key wins
    tie = KeywordMatcher.build({"网络": "political", "信号": "product"}, churn.CAUSES)
    assert tie.match("网络信号差") == ("product", "信号")


def test_every_exit_type_has_keywords_in_both_languages() -> None:
    tables = keyword_tables()
    for cause in churn.CAUSES:
        keys = [k for k, v in {**tables.cause_mapping, **tables.whole_answers}.items() if v == cause]
        assert any(k.isascii() for k in keys) and any(not k.isascii() for k in keys), cause


def test_parameters_still_override_the_tables() -> None:
    lost = pd.DataFrame({"reason": ["too expensive"], "cause": ["price"], "revenue": [100.0], "margin": [0.1]})
    alone = churn.classify_winback(lost, keywords={"expensive": "competitor_offer"})
    assert alone["winback_type"].tolist() == ["competitor_offer"]
    assert churn.classify_winback(lost, keywords={})["winback_basis"].tolist() == ["cause"]
    assert churn.map_causes(pd.Series(["too expensive"]), mapping={"too expensive": "其他"})["cause"].tolist() == [
        "other"
    ]
