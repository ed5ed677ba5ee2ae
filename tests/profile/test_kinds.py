"""The profile infers the kind of a file from its columns (one file of each kind), and the target of labelled data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from crmlab import data
from crmlab.core.errors import InputError, ParameterError
from crmlab.profile import profiling
from crmlab.profile.kinds import KindGuess, infer_kind, kind_text, load_profiled, target_candidates
from tests.conftest import ROOT, english_runs, zh_message

SAMPLES = ROOT / "data" / "samples"


def _csv(folder: Path, name: str, frame: pd.DataFrame, encoding: str = "utf-8") -> Path:
    frame.to_csv(folder / name, index=False, encoding=encoding)
    return folder / name


@pytest.mark.parametrize(
    ("file", "kind", "target"),
    [
        ("transactions.csv", "transactions", None),
        ("transactions_zh_gbk.csv", "transactions", None),  # 订单号, 客户编号, ...: through the alias table
        ("customers.csv", "customers", None),
        ("labelled.csv", "labelled", "fraud"),
        ("churn_events.csv", "churn_events", None),
    ],
)
def test_the_sample_of_each_kind_is_recognised(file: str, kind: str, target: str | None) -> None:
    loaded, guess = load_profiled(SAMPLES / file)
    assert (guess.kind, guess.reason, loaded.kind, loaded.target) == (kind, "columns", kind, target)
    assert guess.target_guessed == (target is not None)
    pd.testing.assert_frame_equal(loaded.frame, data.read(SAMPLES / file, kind=kind, target=target))
    profiling.profile(loaded.frame, loaded.kind, target=loaded.target)


def test_transactions_say_which_columns_decided() -> None:
    _, guess = load_profiled(SAMPLES / "transactions_zh_gbk.csv")
    assert guess.columns == ("invoice_id", "item_id", "item_name", "quantity", "timestamp", "amount", "unit_price")
    assert kind_text(guess, "en").startswith("Profiled as transactions, inferred from the columns `invoice_id`, ")
    assert english_runs(kind_text(guess, "zh")) == []


def test_a_panel_file(tmp_path: Path) -> None:
    frame = pd.DataFrame({"会员号": ["a", "a", "b", "b"], "期间": [1, 2, 1, 2], "spend": [3.0, 4.0, 1.0, 0.0]})
    loaded, guess = load_profiled(_csv(tmp_path, "panel.csv", frame))
    assert (guess.kind, guess.columns, loaded.kind) == ("panel", ("customer_id", "period"), "panel")
    assert "customers that repeat over periods" in kind_text(guess, "en")


def test_a_basket_lines_file(tmp_path: Path) -> None:
    frame = pd.DataFrame({"订单号": ["1", "1", "2", "2", "3"], "商品名称": ["啤酒", "尿布", "啤酒", "牛奶", "尿布"]})
    loaded, guess = load_profiled(_csv(tmp_path, "lines.csv", frame, "gbk"))
    assert (guess.kind, loaded.kind) == ("basket_lines", "basket_lines")
    p = profiling.profile(loaded.frame, loaded.kind)
    assert (len(p.basket_sizes), p.basket_items) == (3, 3)
    assert "- 3 baskets with 3 distinct items." in profiling.summary(p, "en")


def test_basket_files_the_header_does_not_name(tmp_path: Path) -> None:
    """A two-column file with unknown headers, and one basket per line: basket lines, from their data."""
    lines = data.load("synthetic_baskets_zh")[["invoice_id", "item"]]
    loaded, guess = load_profiled(_csv(tmp_path, "goods.csv", lines.set_axis(["id", "Goods"], axis=1), "gbk"))
    assert (guess.kind, guess.reason, loaded.frame["invoice_id"].nunique()) == ("basket_lines", "layout", 7594)
    text = kind_text(guess, "en")
    assert text.startswith("Profiled as basket lines: no data kind fits the header, but the data reads as baskets.")
    assert "the column 'id' repeats on consecutive rows" in text
    fimi = tmp_path / "retail.dat"
    fimi.write_text("1 2 3\n2 3\n1 3 4 5\n4 5\n", encoding="utf-8")
    loaded, guess = load_profiled(fimi)
    assert (guess.kind, guess.layout.reason if guess.layout else None) == ("basket_lines", "ragged")
    assert profiling.profile(loaded.frame, loaded.kind).basket_items == 5


def test_no_kind_fits(tmp_path: Path) -> None:
    loaded, guess = load_profiled(_csv(tmp_path, "x.csv", pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})))
    assert (guess, loaded.kind) == (KindGuess(None, "none"), None)
    assert "Set kind to one of transactions, customers, labelled, churn_events, panel, basket_lines" in kind_text(
        guess, "en"
    )


@pytest.mark.parametrize(
    ("name", "values", "found"),
    [
        ("Churn Value", [0, 1], True),
        ("isFraud", ["yes", "no"], True),
        ("Exited", [1, 0], True),
        ("responded", ["Y", "N"], True),
        ("是否流失", ["是", "否"], True),
        ("y", ["yes", "no"], True),
        ("gender", ["F", "M"], False),  # two values, but not a target's name
        ("churn_reason", ["price", "service", "moved"], False),  # a target's name, three values
        ("yearly", [0, 1], False),
    ],
)
def test_target_names(name: str, values: list[object], found: bool) -> None:
    frame = pd.DataFrame({"id": range(6), name: values * (6 // len(values))})
    assert target_candidates(frame) == ([name] if found else [])


def test_labelled_target_is_guessed_and_said(tmp_path: Path) -> None:
    frame = pd.DataFrame({"客户编号": list("abcd"), "tenure": [3, 5, 1, 9], "Churn": ["Yes", "No", "No", "Yes"]})
    loaded, guess = load_profiled(_csv(tmp_path, "telco.csv", frame))
    assert (loaded.kind, loaded.target, guess.target_guessed) == ("labelled", "Churn", True)
    assert kind_text(guess, "en").endswith(
        "The target is 'Churn': the one column with two values whose name is a target's. Set target to choose another."
    )
    p = profiling.profile(loaded.frame, loaded.kind, target=loaded.target)
    assert p.target_counts.to_dict() == {"Yes": 2, "No": 2}


def test_several_targets_or_none_ask_for_target(tmp_path: Path) -> None:
    two = _csv(tmp_path, "two.csv", pd.DataFrame({"Churn Label": ["Yes", "No"], "Churn Value": [1, 0], "x": [1, 2]}))
    with pytest.raises(InputError, match=r"Several columns could be the target \('Churn Label', 'Churn Value'\)"):
        load_profiled(two)
    assert "target=" in zh_message(lambda: load_profiled(two))
    assert load_profiled(two, target="Churn Value")[0].target == "Churn Value"
    book = _csv(tmp_path, "book.csv", pd.DataFrame({"ID": [1, 2, 3], "Florence": [0, 1, 0], "M": [5, 7, 9]}))
    assert load_profiled(book)[1].kind is None  # no column is named like a target
    with pytest.raises(InputError, match=r"book.csv: which column is the target\? .*two values: 'Florence'"):
        load_profiled(book, kind="labelled")
    assert "'Florence'" in zh_message(lambda: load_profiled(book, kind="labelled"))
    loaded, guess = load_profiled(book, kind="labelled", target="Florence")
    assert (loaded.target, guess.reason, kind_text(guess, "en")) == ("Florence", "given", "")


def test_target_alone_means_labelled(tmp_path: Path) -> None:
    path = _csv(tmp_path, "book.csv", pd.DataFrame({"ID": [1, 2, 3], "Florence": [0, 1, 0], "M": [5, 7, 9]}))
    loaded, guess = load_profiled(path, target="Florence")
    assert (loaded.kind, loaded.target, guess.reason) == ("labelled", "Florence", "target")


def test_kind_given_wins_and_named_data_keep_their_kind(tmp_path: Path) -> None:
    loaded, guess = load_profiled(SAMPLES / "labelled.csv", kind="customers")
    assert (loaded.kind, guess) == ("customers", KindGuess("customers", "given"))
    loaded, guess = load_profiled(dataset="cdnow_master")
    assert (loaded.kind, guess.reason, kind_text(guess, "en")) == ("transactions", "dataset", "")
    with pytest.raises(ParameterError, match="Did you mean 'basket_lines'"):
        load_profiled(SAMPLES / "customers.csv", kind="basket_line")


def test_infer_kind_order() -> None:
    """Transactions before basket lines before labelled data before churn events, panels and customers."""
    tx = pd.DataFrame(
        {"invoice_id": ["1"], "item_id": ["a"], "quantity": [1], "amount": [2.0], "timestamp": ["2024-01-01"]}
    )
    assert infer_kind(tx).kind == "transactions"
    assert infer_kind(tx.drop(columns="amount")).kind == "basket_lines"
    churn = pd.DataFrame({"customer_id": ["a", "b"], "reason": ["price", "moved"], "churned": [1, 0]})
    assert infer_kind(churn).kind == "labelled"
    assert infer_kind(churn.drop(columns="churned")).kind == "churn_events"
    assert infer_kind(pd.DataFrame({"customer_id": ["a", "a"], "x": [1, 2]})) == KindGuess(None, "none")
