"""The researcher's loop in JupyterLab: clean notebooks, outputs in a git-ignored folder, re-runnable reports."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from tests.conftest import NOTEBOOKS, ROOT
from tests.reports.notebooks import RUNNER_PARAMETERS, tiny_notebook
from tests.reports.test_runner import crmlab

NOTEBOOK_FILES = sorted(NOTEBOOKS.glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.stem)
def test_notebooks_are_nbformat_4_5_with_cell_ids_and_strip_to_themselves(path: Path, tmp_path: Path):
    nb = nbformat.read(path, as_version=4)
    assert (nb.nbformat, nb.nbformat_minor) >= (4, 5)
    nbformat.validate(nb)
    assert all(cell.get("id") for cell in nb.cells)
    copy = tmp_path / path.name
    shutil.copy(path, copy)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    code[-1].outputs, code[-1].execution_count = [nbformat.v4.new_output("stream", name="stdout", text="x")], 3
    nb.metadata["widgets"] = {"state": {}}
    nbformat.write(nb, copy)
    assert copy.read_bytes() != path.read_bytes()
    subprocess.run([sys.executable, "-m", "nbstripout", "--keep-id", str(copy)], check=True)
    assert copy.read_bytes() == path.read_bytes()  # what `make strip` and the pre-commit hook commit


def test_strip_is_a_make_target_and_a_pre_commit_hook():
    hooks = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"][0]["hooks"]
    assert hooks[0]["entry"] == "nbstripout --keep-id" and "src/crmlab/notebooks" in hooks[0]["files"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "strip: $(STAMP)\n\t$(BIN)/nbstripout --keep-id src/crmlab/notebooks/*.ipynb" in makefile


def test_jupyterlab_outputs_land_in_a_git_ignored_folder():
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "src/crmlab/notebooks/outputs/at_risk_customers.csv"], cwd=ROOT, check=False
    )
    assert ignored.returncode == 0


@pytest.mark.slow
def test_an_executed_report_notebook_runs_again_as_it_is(tmp_path: Path):
    """Its output_dir is "." (the version folder), not a deleted temporary folder."""
    from nbclient import NotebookClient

    code = 'import pandas as pd\nimport crmlab\n'
    code += 'crmlab.write_csv(pd.DataFrame({"customer_id": ["=1"]}), f"{output_dir}/list.csv")'
    tiny_notebook(tmp_path / "notebooks", "01-list", RUNNER_PARAMETERS, code, title="Writes a list")
    assert crmlab(tmp_path, "run", "01")[0] == 0
    version = tmp_path / "reports" / "01-list" / "v0001"
    assert (version / "list.csv").exists() and not list((tmp_path / "reports").rglob(".tmp-*"))
    (version / "list.csv").unlink()
    executed = nbformat.read(version / "01-list.ipynb", as_version=4)
    NotebookClient(executed, timeout=120, resources={"metadata": {"path": str(version)}}).execute()
    assert (version / "list.csv").read_bytes() == "\ufeffcustomer_id\n'=1\n".encode()
    in_lab = nbformat.read(tmp_path / "notebooks" / "01-list.ipynb", as_version=4)  # Run All in JupyterLab
    NotebookClient(in_lab, timeout=120, resources={"metadata": {"path": str(tmp_path / "notebooks")}}).execute()
    assert (tmp_path / "notebooks" / "outputs" / "list.csv").exists()
