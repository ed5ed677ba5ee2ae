"""The bad-input corpus of issue 14: one case per row, each made here, each asserting the exit code and words.

Bad parameters and anything readable from a file's header and types stop before any kernel starts
(exit 2, no report folder written). Bad content found while the notebook runs fails that notebook
(exit 1, a failed report that says why). Nothing is silent.
"""

from __future__ import annotations

import io
import json
import re
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crmlab import data
from crmlab.reports.cli import main
from tests.conftest import english_runs


def run(tmp_path: Path, *args: str, lang: str = "en") -> tuple[int, str]:
    """``crmlab run ARGS`` on the shipped notebooks; the exit code and everything printed, unwrapped."""
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(out):
        code = main(["--reports", str(tmp_path / "reports"), "--lang", lang, "run", *args])
    return code, " ".join(out.getvalue().split())


def transactions(customers: int = 12) -> pd.DataFrame:
    """A small valid transaction file: every customer buys three times in 2024."""
    rng = np.random.default_rng(0)
    rows = [
        {
            "customer_id": f"C{c:03d}",
            "invoice_id": f"{c:03d}-{k}",
            "item_id": f"SKU{k}",
            "quantity": int(rng.integers(1, 4)),
            "amount": float(rng.integers(5, 50)),
            "timestamp": f"2024-{k + 2:02d}-{c % 27 + 1:02d}",
        }
        for c in range(customers)
        for k in range(3)
    ]
    return pd.DataFrame(rows)


def churn_file(tmp_path: Path, **changes: object) -> Path:
    frame = data.load("synthetic_churn").head(2000)
    for column, value in changes.items():
        frame[column] = value
    path = tmp_path / "churn.csv"
    frame.to_csv(path, index=False)
    return path


def before_any_kernel(tmp_path: Path, code: int) -> None:
    assert code == 2 and not (tmp_path / "reports").exists(), "stopped before any kernel, nothing written"


# ---------------------------------------------------------------- rejected late: bad parameters


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("30", "-p", "min_support=0"), "min_support must be in (0, 1]; got 0.0"),
        (("30", "-p", "min_support=1.5"), "min_support must be in (0, 1]; got 1.5"),
        (("30", "-p", "min_support=nan"), "min_support must be in (0, 1]; got nan"),
        (("20", "-p", "margin=-0.2"), "margin must be in (0, 1]; got -0.2"),
        (("50", "-p", "margin=-0.2"), "margin must be in [0, 1]; got -0.2"),
        (("10", "-p", "test_share=1.5"), "test_share must be in (0, 1); got 1.5"),
        (("40", "-p", "test_share=1.5"), "test_share must be in (0, 1); got 1.5"),
        (("40", "-p", "test_size=1.5"), "no selected notebook has a parameter 'test_size'. did you mean 'test_share'?"),
        (("20", "-p", "as_of=2024-13-45"), "as_of must be a date written yyyy-mm-dd; got '2024-13-45'"),
        (("50", "-p", "as_of=2024-13-45"), "as_of must be a date written yyyy-mm-dd; got '2024-13-45'"),
        (("10", "-p", "label_source=colum"), "label_source must be one of 'column', 'score'; got 'colum'. did you"),
        (("40", "-p", "model=forest"), "model must be one of 'auto', 'logistic', 'gradient_boosting', 'mlp', 'tree'"),
        (("60", "-p", "models=[logistic, forest]"), "models must be one of 'logistic', 'gradient_boosting'"),
        (("50", "-p", "period=X"), "period must be one of 'm', 'q', 'y'; got 'x'"),
    ],
)
def test_bad_parameters_stop_before_any_kernel(tmp_path: Path, args: tuple[str, ...], words: str):
    code, out = run(tmp_path, *args)
    before_any_kernel(tmp_path, code)
    assert words in out.lower()
    code, out = run(tmp_path, *args, lang="zh")
    before_any_kernel(tmp_path, code)
    assert english_runs(out) == [], out


# ---------------------------------------------------------------- unclear: files and parameter files


def test_yaml_syntax_error_and_python_tag(tmp_path: Path):
    broken = tmp_path / "params.yaml"
    broken.write_text("20-value-analysis:\n  margin: [0.3\n", encoding="utf-8")
    code, out = run(tmp_path, "20", "-f", str(broken))
    before_any_kernel(tmp_path, code)
    assert "params.yaml, line 3: not valid YAML" in out and "Traceback" not in out
    broken.write_text("margin: !!python/object/new:float [0.3]\n", encoding="utf-8")
    code, out = run(tmp_path, "20", "-f", str(broken))
    before_any_kernel(tmp_path, code)
    assert "params.yaml, line 1: YAML tags such as !!python/object are not allowed" in out


def test_duplicated_header(tmp_path: Path):
    path = tmp_path / "dup.csv"
    frame = transactions()
    frame.insert(4, "amount_copy", 1.0)
    frame.columns = [*frame.columns[:4], "amount", "amount", "timestamp"]
    frame.to_csv(path, index=False)
    code, out = run(tmp_path, "20", "-p", f"input_path={path}")
    before_any_kernel(tmp_path, code)
    assert "dup.csv: the column name 'amount' appears 2 times in the header (columns 5, 6)" in out


def test_excel_data_on_the_second_sheet(tmp_path: Path):
    path = tmp_path / "export.xlsx"
    with pd.ExcelWriter(path) as book:
        pd.DataFrame({"exported": ["by the ERP"]}).to_excel(book, sheet_name="About", index=False)
        transactions().to_excel(book, sheet_name="Orders", index=False)
    code, out = run(tmp_path, "20", "-p", f"input_path={path}")
    before_any_kernel(tmp_path, code)
    assert "the column 'invoice_id' is missing" in out
    assert "The workbook has the sheets 'About', 'Orders', and only the first ('About') was read" in out
    assert out.endswith("set sheet to its name.")  # a long message is printed whole (it was cut at 300)
    code, out = run(tmp_path, "20", "-p", f"input_path={path}", "-p", "sheet=Order")
    before_any_kernel(tmp_path, code)
    assert "export.xlsx has no sheet 'Order'; its sheets are 'About', 'Orders'" in out


def test_parquet_dates_stored_as_numbers(tmp_path: Path):
    frame = transactions()
    frame["timestamp"] = pd.to_datetime(frame["timestamp"]).dt.strftime("%Y%m%d").astype(int)
    frame.to_parquet(tmp_path / "yyyymmdd.parquet")
    read = data.read(tmp_path / "yyyymmdd.parquet", kind="transactions")
    assert read["timestamp"].dt.year.eq(2024).all()  # YYYYMMDD numbers are dates, never 1970
    frame.loc[3, "timestamp"] = 20241345
    frame.to_parquet(tmp_path / "bad.parquet")
    code, out = run(tmp_path, "20", "-p", f"input_path={tmp_path / 'bad.parquet'}")
    before_any_kernel(tmp_path, code)
    assert "the column 'timestamp' must hold dates, but 1 row(s) cannot be read as dates, e.g. row 4: 20241345" in out
    frame["timestamp"] = np.arange(len(frame)) * 86_400 + 1_700_000_000
    frame.to_parquet(tmp_path / "epoch.parquet")
    code, out = run(tmp_path, "20", "-p", f"input_path={tmp_path / 'epoch.parquet'}")
    before_any_kernel(tmp_path, code)
    assert "the column 'timestamp' must hold dates, but it holds numbers, e.g. row 1: 1700000000" in out


def test_a_folder_passed_as_a_file(tmp_path: Path):
    (tmp_path / "orders").mkdir()
    code, out = run(tmp_path, "20", "-p", f"input_path={tmp_path / 'orders'}")
    before_any_kernel(tmp_path, code)
    assert "is a folder; name a file inside it" in out


def test_a_misspelt_customer_id_in_a_churn_file(tmp_path: Path):
    path = churn_file(tmp_path)
    pd.read_csv(path).rename(columns={"customer_id": "custmer_id"}).to_csv(path, index=False)
    code, out = run(tmp_path, "50", "-p", f"input_path={path}")
    before_any_kernel(tmp_path, code)
    assert "Parameter 'customer_col' of 50-churn-causes names the column 'customer_id', which churn.csv" in out
    assert "Did you mean 'custmer_id'?" in out


def test_a_duplicated_margin_column(tmp_path: Path):
    path = churn_file(tmp_path)
    text = path.read_text(encoding="utf-8").splitlines()
    lines = [text[0] + ",margin"] + [line + ",0.5" for line in text[1:]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out = run(tmp_path, "50", "-p", f"input_path={path}")
    before_any_kernel(tmp_path, code)
    assert "the column name 'margin' appears 2 times in the header" in out


# ---------------------------------------------------------------- found while the notebook runs


def failed_report(tmp_path: Path, notebook: str) -> str:
    folder = tmp_path / "reports" / notebook / "v0001"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "failed"
    return " ".join(manifest["error"].split())


@pytest.mark.slow
def test_all_negative_quantities(tmp_path: Path):
    frame = transactions()
    frame["quantity"] = -frame["quantity"]
    frame.to_csv(tmp_path / "returns.csv", index=False)
    code, out = run(tmp_path, "20", "-p", f"input_path={tmp_path / 'returns.csv'}")
    assert code == 1
    assert "Cleaning removed every one of the 36 lines" in out and "Zero or negative quantity: 36" in out
    assert "as_of and the customer_id" not in out
    assert "Cleaning removed every one" in failed_report(tmp_path, "20-value-analysis")


@pytest.mark.slow
def test_lines_dated_2099_do_not_move_the_analysis_date(tmp_path: Path):
    frame = transactions(40)
    frame.loc[frame.index[:15], "timestamp"] = "2099-01-15"
    frame.to_csv(tmp_path / "future.csv", index=False)
    code, out = run(tmp_path, "20", "-p", f"input_path={tmp_path / 'future.csv'}")
    assert code == 1
    assert re.search(r"15 row\(s\) of 'timestamp' are dated after today \([\d-]+\), up to 2099-01-15", out), out
    assert "set as_of to the analysis date" in out


@pytest.mark.slow
def test_churn_dates_in_2099_are_not_charted(tmp_path: Path):
    path = churn_file(tmp_path)
    frame = pd.read_csv(path)
    churned = frame.index[frame["churned"] == 1][:15]
    frame.loc[churned, "churn_date"] = "2099-06-30"
    frame.to_csv(path, index=False)
    code, out = run(tmp_path, "50", "-p", f"input_path={path}", lang="zh")
    assert code == 1
    assert "列 'churn_date' 中有 15 行的日期晚于今天" in out and "as_of" in out


@pytest.mark.slow
def test_a_basket_file_without_an_item_column(tmp_path: Path):
    path = tmp_path / "baskets.csv"
    path.write_text("invoice,customer,qty\nK013,C1,1\nK013,C2,1\nK014,C1,2\nK015,C3,1\n", encoding="utf-8")
    code, out = run(tmp_path, "30", "-p", f"input_path={path}", "-p", "min_support=0.2")
    assert code in (1, 2) and ("column" in out.lower() or "input_format" in out)


@pytest.mark.slow
def test_basket_lines_under_unknown_headers_are_read_by_their_shape(tmp_path: Path):
    path = tmp_path / "baskets.csv"
    path.write_text("invoce_no,itme,quantity\nK013,milk,1\nK013,bread,1\nK014,milk,2\nK015,eggs,1\n", encoding="utf-8")
    code, out = run(tmp_path, "30", "-p", f"input_path={path}", "-p", "min_support=0.2")
    assert code == 0 and "n_baskets=3" in out and "n_items=3" in out


@pytest.mark.slow
def test_text_in_a_basket_quantity_column(tmp_path: Path):
    path = tmp_path / "lines.csv"
    rows = [f"{i // 2},{'milk' if i % 2 else 'bread'},{'two' if i == 3 else 1}" for i in range(40)]
    path.write_text("invoice_id,item,quantity\n" + "\n".join(rows) + "\n", encoding="utf-8")
    code, out = run(tmp_path, "30", "-p", f"input_path={path}", "-p", "min_support=0.2")
    assert code in (1, 2) and "'quantity'" in out and "row 4: 'two'" in out


def test_good_files_pass_the_checks_with_their_mapping_and_sheet(tmp_path: Path):
    from crmlab.reports.runner import plan
    from crmlab.reports.specs import find_notebooks
    from tests.conftest import NOTEBOOKS

    spec = next(s for s in find_notebooks(NOTEBOOKS) if s.name.startswith("20"))
    path = tmp_path / "orders.xlsx"
    with pd.ExcelWriter(path) as book:
        pd.DataFrame({"exported": ["by the ERP"]}).to_excel(book, sheet_name="About", index=False)
        transactions().rename(columns={"invoice_id": "单据", "customer_id": "CustomerID"}).to_excel(
            book, sheet_name="Orders", index=False
        )
    request = plan(spec, {"input_path": str(path), "sheet": "Orders", "columns": {"单据": "invoice_id"}}, lang="en")
    assert request.inputs["input_path"]["path"] == str(path)
