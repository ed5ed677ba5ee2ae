"""Every basket message exists in both languages, and every error a user can cause reads in Chinese."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from crmlab import basket
from crmlab.basket.miner import frequent_itemsets
from crmlab.core.errors import CrmlabError
from crmlab.core.i18n import catalogue
from tests.basket.frames import TINY
from tests.conftest import english_runs

LINES = pd.DataFrame(
    {"invoice_id": ["1", "1", "2", "2"], "customer_id": ["a", "a", "b", "b"], "item": ["tea", "milk", "tea", "jam"]}
)
CUSTOMERS = pd.DataFrame({"customer_id": ["a", "b"], "age": [30, 50]})
LABELS = pd.DataFrame({"customer_id": ["a", "b"], "purchase_type": ["other", "other"]})


def _file(name: str, text: str) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


#: One call per error path of the family: name -> (file to write or None, call that raises).
ERROR_PATHS: dict[str, Callable[[Path], object]] = {
    "min_support range": lambda d: basket.mine(TINY, min_support=0),
    "min_support not a number": lambda d: frequent_itemsets(TINY, min_support="0.1"),  # type: ignore[arg-type]
    "max_len": lambda d: frequent_itemsets(TINY, min_support=0.1, max_len=0),
    "empty input": lambda d: frequent_itemsets([], min_support=0.1),
    "no baskets to mine": lambda d: basket.mine(LINES.head(0)),
    "min_confidence": lambda d: basket.association_rules(basket.mine(TINY, min_support=0.2), min_confidence=2),
    "metric": lambda d: basket.association_rules(basket.mine(TINY, min_support=0.2), metric="lfit"),
    "input_format": lambda d: basket.read_basket_lines(_file("b.txt", "a b\n")(d), input_format="line"),
    "file missing": lambda d: basket.read_basket_lines(d / "nowhere.csv"),
    "empty file": lambda d: basket.read_basket_lines(_file("e.csv", "")(d)),
    "blank file": lambda d: basket.read_basket_lines(_file("blank.txt", "\n \n")(d)),
    "no basket column": lambda d: basket.read_basket_lines(
        _file("x.csv", "order,item\n1,tea\n")(d), input_format="lines"
    ),
    "one item": lambda d: basket.read_basket_lines(_file("one.txt", "milk\nmilk\n")(d)),
    "one basket": lambda d: basket.read_basket_lines(_file("one.csv", "InvoiceNo,Description\n1,tea\n1,jam\n")(d)),
    "layout unclear": lambda d: basket.read_basket_lines(_file("ab.csv", "a,b\n1,x\n2,y\n3,z\n")(d)),
    "no header": lambda d: basket.read_basket_lines(_file("nh.csv", "1,tea\n1,milk\n2,tea\n2,jam\n")(d)),
    "nothing left after cleaning": lambda d: basket.clean_basket_lines(LINES.assign(invoice_id="C1")),
    "basket column missing": lambda d: basket.baskets_of(LINES.drop(columns="item")),
    "top_n": lambda d: basket.spider_web(basket.mine(TINY, min_support=0.2), top_n=1),
    "spider metric": lambda d: basket.spider_web(basket.mine(TINY, min_support=0.2), metric="lifts"),
    "top_items": lambda d: basket.cross_sell(basket.mine(TINY, min_support=0.2), top_items=0),
    "unknown band": lambda d: basket.band_attributes(CUSTOMERS, bands={"agee": [40]}),
    "customer column missing": lambda d: basket.band_attributes(CUSTOMERS.rename(columns={"customer_id": "id"})),
    "lines without customers": lambda d: basket.attribute_rules(CUSTOMERS, lines=LINES.drop(columns="customer_id")),
    "no purchase types": lambda d: basket.label_baskets(LINES, {}),
    "unknown item of a type": lambda d: basket.label_baskets(LINES, {"trendy": ["wine"]}),
    "labels without customers": lambda d: basket.label_customers(LINES.drop(columns="customer_id"), {"x": ["tea"]}),
    "min_baskets": lambda d: basket.label_customers(LINES, {"x": ["tea"]}, min_baskets=0),
    "one purchase type": lambda d: basket.type_rules(CUSTOMERS, LABELS),
    "test_share": lambda d: basket.type_rules(CUSTOMERS, LABELS, test_share=1.0),
}


def test_every_basket_message_has_both_languages() -> None:
    keys = [k for k in catalogue() if k.startswith("basket.")]
    assert len(keys) > 60
    for key in keys:
        assert catalogue()[key]["en"] and catalogue()[key]["zh"], key
        assert english_runs(catalogue()[key]["zh"]) == [], key


@pytest.mark.parametrize("path", list(ERROR_PATHS))
def test_error_reads_in_chinese(zh: None, path: str, tmp_path: Path) -> None:
    with pytest.raises(CrmlabError) as err:
        ERROR_PATHS[path](tmp_path)
    message = str(err.value)
    assert re.search(r"[\u4e00-\u9fff]", message), message
    assert english_runs(message) == [], message
