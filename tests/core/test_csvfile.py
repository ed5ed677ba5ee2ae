"""The one CSV writer: Excel-safe text (OWASP CSV injection), UTF-8 with BOM, used by every export."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

import crmlab
from crmlab.core.csvfile import FORMULA_START, neutralize, write_csv
from crmlab.exit.exit_list import write_exit_list

PACKAGE = Path(crmlab.__file__).parent


@pytest.mark.parametrize("start", FORMULA_START)
def test_text_a_spreadsheet_would_run_is_neutralised(start):
    assert neutralize(f"{start}HYPERLINK(\"http://evil\")") == f"'{start}HYPERLINK(\"http://evil\")"


def test_other_text_and_numbers_are_written_as_they_are(tmp_path: Path):
    frame = pd.DataFrame(
        {
            "customer_id": ["=1+1", "C-7", "@SUM(A1)", "客户"],
            "reason": ["+cmd|' /C calc'!A0", "-2", "\tTAB", "normal"],
            "=HEADER": [-1.5, 2.0, 3.0, 4.0],
            "count": [-1, 0, 1, 2],
        }
    )
    path = write_csv(frame, tmp_path / "sub" / "list.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 with a BOM
    back = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False)
    assert list(back.columns) == ["customer_id", "reason", "'=HEADER", "count"]
    assert back["customer_id"].tolist() == ["'=1+1", "C-7", "'@SUM(A1)", "客户"]
    assert back["reason"].tolist() == ["'+cmd|' /C calc'!A0", "'-2", "'\tTAB", "normal"]
    assert back["'=HEADER"].tolist() == [-1.5, 2.0, 3.0, 4.0] and back["count"].tolist() == [-1, 0, 1, 2]
    assert frame.loc[0, "customer_id"] == "=1+1"  # the caller's frame is untouched


def test_the_exit_list_is_neutralised(tmp_path: Path):
    table = pd.DataFrame({"customer_id": ['=HYPERLINK("http://x","click")'], "reasons": ["@bad"]})
    path = write_exit_list(table, tmp_path)
    assert pd.read_csv(path, encoding="utf-8-sig")["customer_id"][0].startswith("'=HYPERLINK")


def test_every_csv_export_goes_through_write_csv():
    """No module or notebook writes CSV any other way (exit list, at-risk, rules, scores, win-back, targets)."""
    writers = []
    for path in sorted(PACKAGE.rglob("*.py")) + sorted(PACKAGE.glob("notebooks/*.ipynb")):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".ipynb":
            text = "\n".join("".join(c["source"]) for c in json.loads(text)["cells"] if c["cell_type"] == "code")
        if re.search(r"\.to_csv\(|csv\.writer", text) and path.name != "csvfile.py":
            writers.append(path.relative_to(PACKAGE).as_posix())
    assert writers == []
    notebooks = {p.stem[:2]: p.read_text(encoding="utf-8") for p in PACKAGE.glob("notebooks/*.ipynb")}
    assert all("crmlab.write_csv(" in notebooks[n] for n in ("20", "30", "40", "50", "60"))
    assert "write_exit_list" in notebooks["10"]
