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


#: A space or line break between two Chinese characters (or full-width punctuation) shows as a stray space.
_CHINESE = "[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef“”]"
STRAY_SPACE = re.compile(rf"(?<={_CHINESE})(?:[ \t]+|\n)(?={_CHINESE})")
#: An ASCII comma, colon or semicolon right after a Chinese character (Chinese uses ，：；).
ASCII_PUNCTUATION = re.compile(r"(?<=[\u4e00-\u9fff])[,:;](?=\s|$)")


def chinese_typography(text: str) -> list[str]:
    """Stray spaces and ASCII punctuation in a Chinese text (outside `code`), each with a little context."""
    text = re.sub(r"`[^`]*`", "`…`", text)
    found = [*STRAY_SPACE.finditer(text), *ASCII_PUNCTUATION.finditer(text)]
    return [text[max(m.start() - 6, 0) : m.end() + 6] for m in found]


def test_the_typography_check_sees_stray_spaces_and_ascii_punctuation():
    assert chinese_typography("每位客户 每次购买") == ["每位客户 每次购买"]
    assert chinese_typography("收入占比: 67.8%") == ["收入占比: 67.8%"]
    assert chinese_typography("前 20% 的客户贡献了 67.8% 的收入：见下表。") == []


def test_chinese_messages_and_notebook_text_are_typeset_as_chinese():
    import json

    from tests.conftest import NOTEBOOKS

    texts = {key: texts["zh"] for key, texts in catalogue().items()}
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        zh = ["".join(c["source"]) for c in cells if "zh" in c.get("metadata", {}).get("tags", [])]
        texts.update({f"{path.stem}[{i}]": text for i, text in enumerate(zh)})
    found = {key: chinese_typography(text) for key, text in texts.items()}
    assert {key: bad for key, bad in found.items() if bad} == {}
