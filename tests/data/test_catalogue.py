"""Every named data set loads and fits its declared kind (and target); the catalogue registers nothing at import."""

from __future__ import annotations

import subprocess
import sys

import pytest

from crmlab.core.errors import InputError
from crmlab.data import available, info, load_input, validate
from crmlab.data.catalogue import CATALOGUE
from crmlab.data.schemas import KINDS


def test_catalogue_lists_19_data_sets_with_known_kinds() -> None:
    assert len(CATALOGUE) == 19
    assert len({entry.name for entry in CATALOGUE}) == 19
    assert {entry.kind for entry in CATALOGUE} <= set(KINDS)
    labelled = [entry for entry in CATALOGUE if entry.kind == "labelled"]
    assert all(entry.target for entry in labelled), "a labelled data set declares its target"
    assert all(entry.target is None for entry in CATALOGUE if entry.kind != "labelled")
    assert available()["name"].tolist() == sorted(entry.name for entry in CATALOGUE)


@pytest.mark.parametrize("entry", CATALOGUE, ids=lambda entry: entry.name)
def test_every_data_set_fits_its_declared_kind(entry) -> None:
    frame = entry.load()
    checked = validate(frame, entry.kind, target=entry.target, context=entry.name)
    assert len(checked) == len(frame) > 0


def test_the_exit_factors_are_a_customer_by_period_panel() -> None:
    entry = info("synthetic_exit_factors")
    assert entry.kind == "panel"
    frame = entry.load()
    assert frame["customer_id"].duplicated().any()  # so it is not of kind customers
    with pytest.raises(InputError, match="'customer_id' must appear once"):
        validate(frame, "customers")


def test_labelled_synthetic_data_sets_name_their_target() -> None:
    targets = {name: info(name).target for name in ("synthetic_fraud_telecom", "retention_defection")}
    assert targets == {"synthetic_fraud_telecom": "fraud", "retention_defection": "defected"}
    loaded = load_input(dataset="retention_response")
    assert loaded.target == "responded" and loaded.target in loaded.frame.columns


def test_importing_the_data_layer_generates_and_registers_nothing() -> None:
    code = (
        "import sys, crmlab.data; "
        "print(any(m.startswith('crmlab.data.synthetic.') or m == 'crmlab.data.real' for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"
