"""Tests of crmlab.propensity.costs: net savings by threshold and the chosen threshold."""

from __future__ import annotations

import pytest

from crmlab import propensity as P
from crmlab.core.errors import ParameterError
from tests.conftest import zh_message


def test_cost_threshold_by_hand() -> None:
    y = [1, 1, 0, 1, 0, 0]
    score = [0.9, 0.8, 0.7, 0.6, 0.2, 0.1]
    table = P.cost_table(y, score, action_cost=10, loss_per_positive=100)
    # acting on the top k: savings = 100 * caught - 10 * k
    assert table["savings"].tolist() == [0, 90, 180, 170, 260, 250, 240]
    choice = P.choose_threshold(y, score, action_cost=10, loss_per_positive=100)
    assert choice.threshold == 0.6 and choice.acted == 4 and choice.caught == 3
    assert choice.vs_no_one == 260 and choice.savings_everyone == 240 and choice.vs_everyone == 20
    fixed = P.choose_threshold(y, score, action_cost=10, loss_per_positive=100, threshold=0.75)
    assert (fixed.acted, fixed.caught, fixed.savings) == (2, 2, 180)
    with pytest.raises(ParameterError):
        P.cost_table(y, score, action_cost=10, loss_per_positive=0)


@pytest.mark.parametrize(
    "costs", [{"action_cost": -1, "loss_per_positive": 5}, {"action_cost": 1, "loss_per_positive": 0}]
)
def test_errors_read_in_chinese(costs: dict) -> None:
    zh_message(lambda: P.cost_table([0, 1], [0.1, 0.9], **costs), ParameterError)
