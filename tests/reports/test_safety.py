"""Safety of what a run hands out: pseudonymised reader pages, escaped markup, neutralised CSV formulas."""

from __future__ import annotations

import html
import io
import re
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pandas as pd
import pytest

from crmlab import data
from crmlab.core.pseudonyms import token
from crmlab.reports.cli import main
from tests.reports.notebooks import RUNNER_PARAMETERS, tiny_notebook
from tests.reports.test_runner import crmlab, text_of

pytestmark = pytest.mark.slow

TABLES = """\
import pandas as pd
from IPython.display import display
import crmlab
from crmlab.core.display import display_table
crmlab.setup(lang)
ids = [f"SECRET-{i:04d}" for i in range(1, 4)]
frame = pd.DataFrame({"customer_id": ids, "revenue": [10.0, 20.0, 30.0]})
display(display_table(frame))
display(frame)
display(frame.set_index("customer_id"))
crmlab.write_csv(frame, f"{output_dir}/customers.csv")
crmlab.record("share", 0.6777738296984529, label="share")"""


def tables_notebook(folder: Path) -> None:
    tiny_notebook(folder, "01-tables", RUNNER_PARAMETERS, TABLES, title="Tables of customers")


def test_pseudonymised_pages_show_one_token_per_id_and_no_raw_id(tmp_path: Path):
    tables_notebook(tmp_path / "notebooks")
    code, out = crmlab(tmp_path, "run", "01", "--pseudonymize-ids")
    assert code == 0, out
    assert "figures: share=0.6778" in out  # rounded for display; the manifest keeps every digit
    version = tmp_path / "reports" / "01-tables" / "v0001"
    salt = (tmp_path / "reports" / ".pseudonym-salt").read_text().strip()
    for page in ("reader.html", "full.html"):
        text = (version / page).read_text(encoding="utf-8")
        assert not re.search(r"SECRET-\d{4}", text), page
        assert text.count(token("SECRET-0002", salt)) >= 3  # the same token in all three tables
        assert "Customer ids in this report are replaced by tokens" in html.unescape(text)
    written = pd.read_csv(version / "customers.csv", encoding="utf-8-sig")
    assert written["customer_id"].tolist() == ["SECRET-0001", "SECRET-0002", "SECRET-0003"]  # CSVs keep ids
    assert '"value": 0.6777738296984529' in (version / "manifest.json").read_text()
    code, out = crmlab(tmp_path, "run", "01")  # without the option: a different run, ids shown
    assert code == 0 and "SECRET-0002" in text_of(tmp_path / "reports" / "01-tables" / "v0002" / "reader.html")


@pytest.fixture(scope="module")
def churn_run(tmp_path_factory):
    """Notebook 50 on a churn file whose ids are distinctive and whose reasons carry a formula and markup."""
    ws = tmp_path_factory.mktemp("churn")
    frame = data.load("synthetic_churn").head(3000)
    frame["customer_id"] = [f"KUNDE-{100000 + i}" for i in range(len(frame))]
    churned = frame.index[frame["churned"] == 1]
    frame.loc[churned[0], "customer_id"] = '=HYPERLINK("http://evil.example","click")'
    frame.loc[churned[1], "reason"] = "<script>alert('x')</script> price too high"
    frame.loc[churned[2], "reason"] = "@SUM(1+1) 价格太高"
    path = ws / "churn.csv"
    frame.to_csv(path, index=False)
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(out):
        code = main(["--reports", str(ws / "reports"), "run", "50", "-p", f"input_path={path}", "--pseudonymize-ids"])
    return ws, code, out.getvalue(), frame


def test_notebook_50_pseudonymised_escaped_and_neutralised(churn_run):
    ws, code, out, frame = churn_run
    assert code == 0, out
    version = ws / "reports" / "50-churn-causes" / "v0001"
    reader = (version / "reader.html").read_text(encoding="utf-8")
    assert not re.search(r"KUNDE-1\d{5}", reader) and "HYPERLINK" not in reader
    assert "<script>alert" not in reader
    ranking = pd.read_csv(version / "winback_ranking.csv", encoding="utf-8-sig", keep_default_na=False)
    assert ranking["customer_id"].str.fullmatch(r"KUNDE-1\d{5}|'=HYPERLINK.*").all()  # real ids for the CRM team
    assert "'=HYPERLINK(\"http://evil.example\",\"click\")" in ranking["customer_id"].tolist()
    assert not ranking.map(lambda v: isinstance(v, str) and v != "" and v[0] in "=+-@\t\r").any().any()
