"""Tests of fraud propensity (crmlab.fraud.model) and its synthetic data (crmlab.data.synthetic.fraud)."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import skops.io

from crmlab import data as datasets
from crmlab import propensity as P
from crmlab.core.errors import InputError, ParameterError
from crmlab.data.synthetic import fraud as synthetic
from crmlab.fraud import model as fraud
from tests.conftest import zh_message


def fitted(variant: str) -> dict:
    """The notebook's pipeline on a variant's default data, up to the fitted models."""
    cases = fraud.load_cases(variant)
    prepared = P.prepare(cases.data, target=cases.target)
    parts = P.split(prepared, seed=0)
    models = P.fit_models(parts.train, P.build_models(parts.train, seed=0))
    return {"cases": cases, "prepared": prepared, "parts": parts, "models": models}


@pytest.fixture(scope="module")
def insurance() -> dict:
    return fitted("insurance")


@pytest.fixture(scope="module")
def telecom() -> dict:
    return fitted("telecom")


# ---------------------------------------------------------------- synthetic data


def test_synthetic_data_is_seeded_and_registered() -> None:
    pd.testing.assert_frame_equal(synthetic.make_telecom(300, seed=4), synthetic.make_telecom(300, seed=4))
    assert not synthetic.make_insurance(300, seed=1).equals(synthetic.make_insurance(300, seed=2))
    names = set(datasets.available()["name"])
    assert {"synthetic_fraud_telecom", "synthetic_fraud_insurance"} <= names


def test_planted_insurance_segment() -> None:
    claims = synthetic.make_insurance()
    segment = synthetic.planted_segment(claims)
    assert 0.015 < segment.mean() < 0.035
    assert claims.loc[segment, "fraud"].mean() == pytest.approx(synthetic.SEGMENT_FRAUD_RATE, abs=0.08)
    assert claims.loc[~segment, "fraud"].mean() < 0.05
    # new policies are common outside the segment, so policy age alone does not single it out
    assert ((claims["policy_age_days"] <= 14) & ~segment).sum() > 3 * segment.sum()


def test_planted_telecom_drivers() -> None:
    subs = synthetic.make_telecom()
    assert 0.04 < subs["fraud"].mean() < 0.07
    rate = subs.groupby("residence")["fraud"].mean()
    assert rate["non-local"] > 2 * rate["local"]
    trend = fraud.bill_trend(subs[list(fraud.bill_columns(subs))])
    assert subs.loc[trend > 2, "fraud"].mean() > 3 * subs.loc[trend < 0, "fraud"].mean()


# ---------------------------------------------------------------- bill trend and loading


def test_bill_trend_by_hand() -> None:
    bills = pd.DataFrame({"bill_m01": [10, 5, 1], "bill_m02": [12, None, None], "bill_m03": [14, 5, None]})
    trend = fraud.bill_trend(bills)
    assert trend.iloc[0] == pytest.approx(2.0)
    assert trend.iloc[1] == pytest.approx(0.0)  # months 1 and 3 at 5: flat
    assert np.isnan(trend.iloc[2])  # one bill: no trend
    derived = fraud.derive_features(bills.assign(id=[1, 2, 3]), bills=tuple(bills.columns))
    assert list(derived.columns) == ["id", "avg_bill", "bill_trend_12m"]
    assert derived["avg_bill"].tolist()[:2] == [12.0, 5.0]


def test_load_cases_derives_bill_trend_and_checks_parameters() -> None:
    cases = fraud.load_cases("telecom")
    assert cases.bills == tuple(f"bill_m{m:02d}" for m in range(1, 13))
    assert {"avg_bill", "bill_trend_12m"} <= set(cases.data.columns)
    assert not any(c.startswith("bill_m") for c in cases.data.columns)
    assert "bill_m01" in cases.raw.columns
    with pytest.raises(ParameterError, match="variant must be one of.*Did you mean 'insurance'"):
        fraud.load_cases("insurence")


def test_users_labelled_csv(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    n = 600
    frame = pd.DataFrame(
        {
            "申请编号": [f"A{i:04d}" for i in range(n)],
            "age": rng.integers(18, 70, n),
            "city": rng.choice(["北京", "上海", "广州"], n),
        }
    )
    frame["是否欺诈"] = np.where((frame["age"] < 25) & (rng.random(n) < 0.5), "是", "否")
    path = tmp_path / "applications.csv"
    frame.to_csv(path, index=False, encoding="gbk")
    cases = fraud.load_cases("telecom", input_path=str(path), target="是否欺诈")
    prepared = P.prepare(cases.data, target=cases.target)
    assert cases.source == "applications.csv" and cases.bills == ()
    assert prepared.positive_label == "是" and prepared.dropped == {"申请编号": "id_like"}
    with pytest.raises(InputError, match="applications.csv: the column 'fraud' is missing"):
        fraud.load_cases("telecom", input_path=str(path))
    mapped = fraud.load_cases("telecom", input_path=str(path), columns={"是否欺诈": "fraud"})
    assert mapped.target == "fraud" and mapped.data["fraud"].tolist() == frame["是否欺诈"].tolist()


# ---------------------------------------------------------------- models and rules


def test_rule_induction_states_the_planted_rule(insurance: dict) -> None:
    parts = insurance["parts"]
    rules = P.extract_rules(insurance["models"]["tree"], parts.test.X, parts.test.y, lang="en")
    flagged = fraud.fraud_rules(rules, base_rate=parts.train.base_rate)
    top = flagged.iloc[0]
    conditions = top["conditions"]
    assert conditions["vehicle_type"] == {"eq": "motorcycle"}
    assert 22 <= conditions["policyholder_age"]["le"] < 26  # "under 25", give or take a year
    assert 10 <= conditions["policy_age_days"]["le"] <= 21  # "about two weeks"
    assert set(conditions) == {"vehicle_type", "policyholder_age", "policy_age_days"}
    assert "vehicle_type = motorcycle" in top["rule"] and "policyholder_age ≤ 24" in top["rule"]
    assert "policy_age_days ≤ 14" in top["rule"]
    # precision on the independent test set far above the base rate
    assert top["precision"] > 8 * parts.test.base_rate and top["cases"] >= 30


@pytest.mark.parametrize(("variant", "floor"), [("telecom", 0.75), ("insurance", 0.70)])
def test_models_rank_planted_fraud_above_chance(variant: str, floor: float, request: pytest.FixtureRequest) -> None:
    run = request.getfixturevalue(variant)
    parts = run["parts"]
    evaluation = P.evaluate(parts.test.y, P.score_all(run["models"], parts.test.X)).set_index("model")
    # chance is ROC AUC 0.5 and lift 1; the planted drivers must give a clear margin for every model
    assert (evaluation["roc_auc"] >= floor).all(), evaluation
    assert evaluation["top_decile_lift"].max() >= 4, evaluation
    assert (evaluation["pr_auc"] > 2 * parts.test.base_rate).all(), evaluation


def test_fraud_picks_its_model_by_pr_auc() -> None:
    # the notebook's choice: the one policy, ranking by PR AUC
    table = pd.DataFrame({"model": ["tree", "mlp"], "roc_auc": [0.7, 0.8], "pr_auc": [0.3, 0.2]})
    assert P.best_model(table, metric="pr_auc") == "tree"
    assert P.best_model(table, metric="pr_auc", model="mlp") == "mlp"
    with pytest.raises(ParameterError, match="Did you mean 'mlp'"):
        P.best_model(table, metric="pr_auc", model="mpl")


# ---------------------------------------------------------------- scoring and saving


@pytest.fixture(scope="module")
def scorer(insurance: dict) -> fraud.FraudScorer:
    parts, models = insurance["parts"], insurance["models"]
    rules = P.extract_rules(models["tree"], parts.test.X, parts.test.y)
    flagged = fraud.fraud_rules(rules, base_rate=parts.train.base_rate)
    return fraud.build_scorer(
        model=models["gradient_boosting"],
        model_name="gradient_boosting",
        tree=models["tree"],
        flagged_leaves=list(flagged["leaf"]),
        prepared=insurance["prepared"],
        cases=insurance["cases"],
        threshold=0.05,
        metadata={"variant": "insurance"},
    )


def test_scoring_the_base(insurance: dict, scorer: fraud.FraudScorer) -> None:
    raw = insurance["cases"].raw
    scored = scorer.score(raw, lang="zh")
    assert list(scored.columns) == ["claim_id", "score", "decile", "investigate", "rules_fired"]
    expected = P.score(insurance["models"]["gradient_boosting"], insurance["prepared"].X)
    np.testing.assert_allclose(scored["score"], expected)
    counts = scored["decile"].value_counts().sort_index()
    assert list(counts.index) == list(range(1, 11)) and counts.between(540, 660).all()
    assert (scored.groupby("decile")["score"].mean().diff().dropna() < 0).all()
    segment = synthetic.planted_segment(raw)
    fired = scored.loc[segment, "rules_fired"]
    assert fired.str.contains("车辆类型 = 摩托车，且").mean() > 0.9  # feature names and values in Chinese
    assert not fired.str.contains("vehicle_type|motorcycle").any()
    assert (scored["investigate"] == (scored["score"] >= 0.05)).all()


def test_score_file_matches_notebook_scores(tmp_path: Path, insurance: dict, scorer: fraud.FraudScorer) -> None:
    model_path, meta_path = fraud.save_model(scorer, tmp_path / "fraud_model")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    assert meta["model"] == "gradient_boosting" and meta["threshold"] == 0.05 and meta["variant"] == "insurance"
    assert "vehicle_type" in meta["input_columns"] and "claim_id" not in meta["input_columns"]
    new = insurance["cases"].raw.drop(columns="fraud").sample(200, random_state=1)
    new_path = tmp_path / "new_claims.csv"
    new.to_csv(new_path, index=False)
    out = fraud.score_file(model_path, new_path, tmp_path / "out" / "scored.csv")
    in_notebook = scorer.score(new).reset_index(drop=True)
    np.testing.assert_allclose(out["score"], in_notebook["score"], rtol=1e-12)
    assert out["decile"].tolist() == in_notebook["decile"].tolist()
    written = pd.read_csv(tmp_path / "out" / "scored.csv", encoding="utf-8-sig")
    assert written["claim_id"].tolist() == new["claim_id"].tolist()


def test_score_file_with_telecom_bills(tmp_path: Path, telecom: dict) -> None:
    parts, models = telecom["parts"], telecom["models"]
    scorer = fraud.build_scorer(
        model=models["logistic"],
        model_name="logistic",
        tree=models["tree"],
        flagged_leaves=[],
        prepared=telecom["prepared"],
        cases=telecom["cases"],
        threshold=0.05,
    )
    assert "bill_m12" in scorer.input_columns and "bill_trend_12m" not in scorer.input_columns
    model_path, _ = fraud.save_model(scorer, tmp_path / "m")
    new_path = tmp_path / "new.xlsx"
    telecom["cases"].raw.head(50).drop(columns="fraud").to_excel(new_path, index=False)
    out = fraud.score_file(model_path, new_path, tmp_path / "scored.csv")
    expected = P.score(models["logistic"], telecom["prepared"].X.head(50))
    np.testing.assert_allclose(out["score"], expected, rtol=1e-9)
    assert parts.method == "stratified"


def test_new_file_with_missing_or_bad_columns(tmp_path: Path, insurance: dict, scorer: fraud.FraudScorer) -> None:
    model_path, _ = fraud.save_model(scorer, tmp_path / "fraud_model")
    raw = insurance["cases"].raw.head(20)
    missing = tmp_path / "missing.csv"
    raw.drop(columns=["vehicle_type", "policy_age_days"]).to_csv(missing, index=False)
    with pytest.raises(InputError, match="missing.csv lacks column\\(s\\) 'policy_age_days', 'vehicle_type'"):
        fraud.score_file(model_path, missing, tmp_path / "x.csv")
    text = tmp_path / "text.csv"
    raw.assign(policyholder_age=["young"] + [30] * 19).to_csv(text, index=False)
    with pytest.raises(InputError, match="'policyholder_age' must hold numbers.*row 1: 'young'"):
        fraud.score_file(model_path, text, tmp_path / "x.csv")
    with pytest.raises(InputError, match="No model file"):
        fraud.load_model(tmp_path / "nothing.skops")


def test_cli_score(tmp_path: Path, insurance: dict, scorer: fraud.FraudScorer, capsys: pytest.CaptureFixture) -> None:
    from crmlab.reports.cli import main

    model_path, _ = fraud.save_model(scorer, tmp_path / "fraud_model")
    new_path = tmp_path / "new.csv"
    insurance["cases"].raw.head(30).to_csv(new_path, index=False)
    assert main(["score", str(model_path), str(new_path), str(tmp_path / "scored.csv")]) == 0
    assert "30 cases scored" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    insurance["cases"].raw.head(5)[["claim_id"]].to_csv(bad, index=False)
    assert main(["score", str(model_path), str(bad), str(tmp_path / "s2.csv")]) == 2
    assert "lacks column(s)" in capsys.readouterr().err


def test_load_cases_takes_a_named_data_set() -> None:
    cases = fraud.load_cases("telecom", dataset="synthetic_fraud_insurance")
    assert cases.source == "synthetic_fraud_insurance" and cases.bills == () and cases.target == "fraud"
    assert "vehicle_type" in cases.data.columns


@pytest.mark.parametrize(
    ("error", "call"),
    [
        (ParameterError, lambda: fraud.load_cases("insurence")),
        (InputError, lambda: fraud.load_cases("telecom", target="fruad")),
        (InputError, lambda: fraud.derive_features(pd.DataFrame({"bill_m01": [1.0]}), bills=("bill_m01", "bill_m02"))),
        (InputError, lambda: fraud.load_model("nothing.skops")),
    ],
)
def test_errors_read_in_chinese(error: type, call) -> None:
    zh_message(call, error)


def test_scoring_errors_read_in_chinese(tmp_path: Path, insurance: dict, scorer: fraud.FraudScorer) -> None:
    raw = insurance["cases"].raw.head(5)
    zh_message(lambda: scorer.score(raw.drop(columns=["vehicle_type"])), InputError)
    zh_message(lambda: scorer.score(raw.assign(policyholder_age="young")), InputError)
    other = tmp_path / "other.skops"
    skops.io.dump({"not": "a model"}, other)
    zh_message(lambda: fraud.load_model(other), InputError)
    zh_message(lambda: fraud.load_model(Path(__file__)), InputError)


class _RunsCode:
    """A pickle that runs code when loaded: it would create the file ``marker``."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_unsafe_model_files_are_refused_without_running_code(tmp_path: Path, scorer: fraud.FraudScorer) -> None:
    marker = tmp_path / "code_ran"
    pickled = tmp_path / "fraud_model.joblib"
    pickled.write_bytes(pickle.dumps(_RunsCode(marker)))
    with pytest.raises(InputError, match="not a .skops model file.*can run any code"):
        fraud.load_model(pickled)
    crafted = tmp_path / "crafted.skops"  # a skops file holding a type no fraud model holds
    skops.io.dump({"model": _Foreign()}, crafted)
    with pytest.raises(InputError, match="holds types.*_Foreign"):
        fraud.load_model(crafted)
    assert not marker.exists()
    from crmlab.reports.cli import main

    assert main(["score", str(pickled), str(tmp_path / "x.csv"), str(tmp_path / "y.csv")]) == 2
    assert not marker.exists()


class _Foreign:
    """A class of no fraud model."""


def test_saved_model_is_a_skops_file_that_scores_like_the_original(tmp_path: Path, scorer: fraud.FraudScorer) -> None:
    model_path, _ = fraud.save_model(scorer, tmp_path / "fraud_model")
    assert model_path.suffix == ".skops"
    loaded = fraud.load_model(model_path)
    assert loaded.rules == scorer.rules and loaded.input_columns == scorer.input_columns
    assert loaded.decile_edges == scorer.decile_edges and loaded.threshold == scorer.threshold
