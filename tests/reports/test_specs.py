from pathlib import Path

import pytest

from crmlab.core.errors import ParameterError
from crmlab.reports.specs import check_parameters, find_notebooks, parse_parameters, read_spec, scan, select
from tests.conftest import NOTEBOOKS, make_notebook
from tests.reports.notebooks import tiny_notebook

SOURCE = """min_support: float = 0.01  # minimum support
top_n: int = 10  # items in the chart
columns: dict = {}  # mapping of your columns to crmlab's
flag: bool = False  # a switch
name: str = "x"  # a name"""


def test_parse_reads_type_default_and_help():
    params = {p.name: p for p in parse_parameters(SOURCE)}
    assert params["min_support"].type == "float"
    assert params["min_support"].default == 0.01
    assert params["top_n"].help == "items in the chart"
    assert params["columns"].default == {}


def test_parse_rejects_non_literal_lines():
    with pytest.raises(ParameterError, match="line 1"):
        parse_parameters("x = compute()")
    with pytest.raises(ParameterError, match="tuple"):
        parse_parameters("x: tuple = (1,)")


@pytest.fixture
def spec(tmp_path: Path):
    return read_spec(make_notebook(tmp_path))


def test_spec_has_description_and_parameters(spec):
    assert spec.name == "01-smoke"
    assert spec.description == "Smoke test"
    assert [p.name for p in spec.parameters] == ["n", "fail", "lang", "output_dir"]


@pytest.mark.parametrize(
    ("given", "expected"),
    [({"n": "7"}, 7), ({"n": 7}, 7)],
)
def test_values_are_coerced_to_declared_types(spec, given, expected):
    assert check_parameters(spec, given)["n"] == expected


def test_bool_from_text(spec):
    assert check_parameters(spec, {"fail": "yes"})["fail"] is True


@pytest.mark.parametrize("bad", ["abc", "1.5", True, [1]])
def test_wrong_type_names_parameter_type_and_value(spec, bad):
    with pytest.raises(ParameterError) as err:
        check_parameters(spec, {"n": bad})
    message = str(err.value)
    assert "'n'" in message and "int" in message and repr(bad) in message


def test_unknown_name_suggests_the_closest(spec):
    with pytest.raises(ParameterError, match="Did you mean 'fail'"):
        check_parameters(spec, {"fial": True})


def test_select_by_prefix_and_unknown(spec):
    assert select([spec], ["01"]) == [spec]
    with pytest.raises(ParameterError, match="not a notebook"):
        select([spec], ["99-nothing"])


# ---------------------------------------------------------------- declared ranges, choices, dates


RULES = """min_support: float = 0.01  # minimum support [in (0, 1]]
metric: str = "lift"  # rank rules by [one of: lift, confidence]
as_of: str = ""  # analysis date [date or empty]
quantiles: list = [0.2, 0.7]  # cut points [each in (0, 1)]
models: list = ["mlp"]  # models [each one of: logistic, mlp]
top_n: int = 20  # items shown [in [1, inf)]"""


@pytest.fixture
def ruled(tmp_path: Path):
    return read_spec(notebook_with(tmp_path, RULES))


def notebook_with(folder: Path, source: str, name: str = "05-ruled") -> Path:
    return tiny_notebook(folder, name, source, title="Ruled")


@pytest.mark.parametrize(
    ("given", "words"),
    [
        ({"min_support": 0}, "min_support must be in (0, 1]; got 0.0"),
        ({"min_support": "1.5"}, "min_support must be in (0, 1]; got 1.5"),
        ({"min_support": "nan"}, "min_support must be in (0, 1]; got nan"),
        ({"metric": "lfit"}, "metric must be one of 'lift', 'confidence'; got 'lfit'. Did you mean 'lift'?"),
        ({"as_of": "2024-13-45"}, "as_of must be a date written YYYY-MM-DD; got '2024-13-45'"),
        ({"as_of": "31.01.2024"}, "as_of must be a date written YYYY-MM-DD"),
        ({"quantiles": "[0.2, 1.5]"}, "quantiles must be in (0, 1); got 1.5"),
        ({"models": '["mlp", "forest"]'}, "models must be one of 'logistic', 'mlp'; got 'forest'"),
        ({"top_n": 0}, "top_n must be ≥ 1; got 0"),
    ],
)
def test_declared_rules_reject_values_before_any_kernel(ruled, given, words):
    with pytest.raises(ParameterError) as err:
        check_parameters(ruled, given)
    assert str(err.value).startswith("05-ruled: ") and words in str(err.value)


def test_declared_rules_accept_good_values_and_empty_where_declared(ruled):
    values = check_parameters(ruled, {"min_support": "1", "as_of": "2024-02-29", "metric": "confidence"})
    assert values["min_support"] == 1.0 and values["as_of"] == "2024-02-29"
    assert check_parameters(ruled, {"as_of": ""})["as_of"] == ""
    import datetime as dt

    assert check_parameters(ruled, {"as_of": dt.date(2024, 1, 31)})["as_of"] == "2024-01-31"  # YAML dates


def test_rules_read_in_both_languages(ruled):
    support = ruled.parameter("min_support")
    assert support.help == "minimum support" and support.describe("en") == "minimum support [in (0, 1]]"
    assert ruled.parameter("as_of").describe("en") == "analysis date [a date YYYY-MM-DD, or empty]"
    assert "在 (0, 1] 之内" in support.describe("zh") and "each" not in ruled.parameter("quantiles").describe("zh")


def test_a_default_that_breaks_its_own_rule_is_refused():
    with pytest.raises(ParameterError, match="line 1: the default breaks its own declaration: x must be in"):
        parse_parameters("x: float = 2.0  # share [in [0, 1]]")
    with pytest.raises(ParameterError, match="cannot read the declaration \\[in \\(0; 1\\]\\]"):
        parse_parameters("x: float = 0.5  # share [in (0; 1]]")


def test_every_parameter_of_the_issue_is_declared_in_the_shipped_notebooks():
    specs = {s.name[:2]: s for s in find_notebooks(NOTEBOOKS)}
    declared = {
        ("30", "min_support"): "in (0, 1]",
        ("20", "margin"): "in (0, 1]",
        ("50", "margin"): "in [0, 1]",
        ("10", "test_share"): "in (0, 1)",
        ("40", "test_share"): "in (0, 1)",
        ("20", "as_of"): "date or empty",
        ("50", "as_of"): "date or empty",
        ("10", "label_source"): "one of: column, score",
        ("40", "model"): "one of: auto, logistic, gradient_boosting, mlp, tree",
        ("60", "models"): "each one of: logistic, gradient_boosting, mlp, tree",
        ("50", "period"): "one of: M, Q, Y",
        ("20", "input_path"): "file of kind transactions or empty",
        ("50", "customer_col"): "column of input_path",
    }
    found = {key: getattr(specs[key[0]].parameter(key[1]).rule, "text", None) for key in declared}
    assert found == declared
    for spec in specs.values():  # every default passes its declaration; the runner sets lang
        assert spec.parameter("lang").rule.choices == ("en", "zh")
        assert spec.parameter("output_dir").default == "outputs"


# ---------------------------------------------------------------- malformed cells and stray notebooks


def test_a_papermill_style_line_gets_the_line_and_the_fix():
    with pytest.raises(ParameterError) as err:
        parse_parameters('n: int = 3  # points\nhorizon = 6  # months ahead', where="20-x.ipynb parameters cell")
    message = str(err.value)
    assert "20-x.ipynb parameters cell, line 2 (`horizon = 6  # months ahead`)" in message
    assert "Write it as `horizon: int = 6  # months ahead`." in message
    with pytest.raises(ParameterError, match="line 2: not valid Python"):
        parse_parameters("n: int = 3\nhorizon = ")


def test_strays_are_skipped_and_a_malformed_notebook_breaks_only_itself(tmp_path: Path):
    folder = tmp_path / "notebooks"
    make_notebook(folder, "20-value")
    make_notebook(folder, "20-value-Copy1")
    make_notebook(folder, "Untitled1")
    notebook_with(folder, "horizon = 6", name="30-broken")
    (folder / "40-plain.ipynb").write_text(
        '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}', encoding="utf-8"
    )
    (folder / "50-garbage.ipynb").write_text("not json", encoding="utf-8")
    found = scan(folder)
    assert [s.name for s in found.specs] == ["20-value"]
    assert found.skipped == ["20-value-Copy1.ipynb", "40-plain.ipynb", "Untitled1.ipynb"]
    assert set(found.broken) == {"30-broken", "50-garbage"}
    assert "line 1" in found.broken["30-broken"] and "horizon: int = 6" in found.broken["30-broken"]
    assert found.warning().startswith("skipped 3 file(s) that are not crmlab notebooks")
    assert select(found, ["20"])[0].name == "20-value"  # the copy is not a candidate
    with pytest.raises(ParameterError, match="30-broken cannot run: .*line 1"):
        select(found, ["30"])


def test_an_exact_name_beats_longer_names_that_start_with_it(tmp_path: Path):
    folder = tmp_path / "notebooks"
    make_notebook(folder, "20-value")
    make_notebook(folder, "20-value-v2")
    found = scan(folder)
    assert select(found, ["20-value"])[0].name == "20-value"
    with pytest.raises(ParameterError, match="matches several notebooks"):
        select(found, ["20"])


def test_the_shipped_notebooks_all_scan_cleanly():
    found = scan(NOTEBOOKS)
    assert found.broken == {} and found.skipped == []
    assert [s.path.name for s in found.specs] == sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
