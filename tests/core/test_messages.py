"""The message catalogue: both languages everywhere, no English left in Chinese, one key per text."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

import crmlab
from crmlab.core.i18n import catalogue
from tests.conftest import english_runs

PACKAGE = Path(crmlab.__file__).parent


def test_the_english_detector_sees_sentences_but_not_names():
    assert english_runs("请把 'customer_id' 列改名，或用 columns={'x': 'y'} 映射。") == []
    assert english_runs("{context}：列 '{column}' 应为数字，例如 `crmlab run 20`。") == []
    assert english_runs("请检查 the file and try again。") == ["the file and try again"]


def test_chinese_messages_hold_no_english_sentence():
    leaks = {key: english_runs(texts["zh"]) for key, texts in catalogue().items()}
    assert {key: runs for key, runs in leaks.items() if runs} == {}


def test_every_raised_error_takes_its_text_from_the_catalogue():
    """An InputError or ParameterError is raised with t(...) (or a check of crmlab.core.checks)."""
    untranslated = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            name = getattr(node.exc.func, "id", getattr(node.exc.func, "attr", ""))
            if name not in {"InputError", "ParameterError"} or not node.exc.args:
                continue
            calls = {getattr(n.func, "id", "") for n in ast.walk(node.exc.args[0]) if isinstance(n, ast.Call)}
            if "t" not in calls:
                untranslated.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert untranslated == []


def test_one_key_per_english_text():
    keys_of = defaultdict(list)
    for key, texts in catalogue().items():
        if len(re.findall(r"[A-Za-z]+", texts["en"])) >= 2:
            keys_of[texts["en"]].append(key)
    assert {text: keys for text, keys in keys_of.items() if len(keys) > 1} == {}
