from pathlib import Path

import pytest

from crmlab.core.errors import ParameterError
from crmlab.reports.specs import check_parameters, parse_parameters, read_spec, select
from tests.conftest import make_notebook

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
