"""The crmlab command without kernels: options anywhere, --version, languages, YAML files, widths."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from crmlab.reports.cli import WIDTH, _width, main
from crmlab.reports.runner import plan
from crmlab.reports.specs import read_spec
from tests.conftest import english_runs, make_notebook


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse: --version, usage errors
            code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    make_notebook(tmp_path / "notebooks")
    return tmp_path


def test_global_options_work_before_or_after_the_subcommand(ws: Path):
    before = cli("--notebooks", str(ws / "notebooks"), "--lang", "zh", "list")
    after = cli("list", "--notebooks", str(ws / "notebooks"), "--lang", "zh")
    assert before == after and before[0] == 0 and "01-smoke  冒烟测试" in before[1]
    code, _, err = cli("run", "01", "--reports", str(ws / "r"), "--notebooks", str(ws / "notebooks"), "-p", "n=x")
    assert code == 2 and "expects int" in err and not (ws / "r").exists()


def test_version():
    code, out, _ = cli("--version")
    assert code == 0 and out.startswith("crmlab 0.")


def test_list_describe_and_errors_in_chinese_with_lang_or_the_environment(ws: Path, monkeypatch):
    code, out, _ = cli("--notebooks", str(ws / "notebooks"), "describe", "01", "--lang", "zh")
    assert code == 0 and out.splitlines()[0] == "01-smoke: 冒烟测试" and out.splitlines()[2].startswith("参数")
    monkeypatch.setenv("CRMLAB_LANG", "zh")
    code, out, _ = cli("--notebooks", str(ws / "notebooks"), "describe", "01")
    assert code == 0 and "类型" in out and "报告语言" in out
    for args in (("run", "99"), ("run", "01", "-p", "n=abc"), ("run", "01", "-p", "nn=3"), ("run",), ("bogus",)):
        code, _, err = cli("--notebooks", str(ws / "notebooks"), *args)
        assert code == 2, args
        assert any("\u4e00" <= c <= "\u9fff" for c in err) and english_runs(err.split("usage:")[-1]) == [] or (
            "usage" in err and "命令行有误" in err
        ), err


def test_every_list_and_describe_line_fits_100_columns():
    for lang in ("en", "zh"):
        lines = cli("list", "--lang", lang)[1].splitlines()
        for name in ("00", "10", "20", "30", "40", "50", "60"):
            lines += cli("describe", name, "--lang", lang)[1].splitlines()
        assert max(map(_width, lines)) <= WIDTH, max(lines, key=_width)


def test_long_messages_are_wrapped_never_cut(ws: Path, tmp_path: Path):
    data = tmp_path / "wide.csv"
    data.write_text(",".join(f"column_number_{i}" for i in range(40)) + "\n" + ",".join("1" * 40) + "\n")
    notebook = ws / "notebooks"
    code, _, err = cli("--notebooks", str(notebook), "run", "01", "-p", "nn=1")
    assert code == 2
    from crmlab.data import read

    with pytest.raises(Exception) as raised:
        read(data, kind="transactions")
    message = str(raised.value)
    assert len(message) > 300
    from crmlab.reports.cli import wrap

    wrapped = wrap("crmlab: " + message)
    assert " ".join(wrapped.split()) == " ".join(("crmlab: " + message).split())  # every word kept
    assert max(map(_width, wrapped.splitlines())) <= WIDTH


def test_yaml_errors_name_the_file_and_line_and_tags_are_refused(ws: Path, tmp_path: Path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("n: 3\nfail: [true\n", encoding="utf-8")
    code, _, err = cli("--notebooks", str(ws / "notebooks"), "run", "01", "-f", str(broken))
    err = " ".join(err.split())
    assert code == 2 and "broken.yaml, line 3: not valid YAML" in err and "Traceback" not in err
    tagged = tmp_path / "tagged.yaml"
    tagged.write_text("n: !!python/object/apply:os.system ['touch pwned']\n", encoding="utf-8")
    code, _, err = cli("--notebooks", str(ws / "notebooks"), "run", "01", "-f", str(tagged))
    err = " ".join(err.split())
    assert code == 2 and "tagged.yaml, line 1" in err and "!!python/object are not allowed" in err
    assert not Path("pwned").exists()
    code, _, err = cli("--notebooks", str(ws / "notebooks"), "--lang", "zh", "run", "01", "-f", str(tagged))
    assert "不允许使用" in err


def test_yaml_sections_accept_the_prefixes_run_accepts(ws: Path, tmp_path: Path):
    params = tmp_path / "params.yaml"
    params.write_text("01:\n  n: not a number\n", encoding="utf-8")
    folders = ("--notebooks", str(ws / "notebooks"), "--reports", str(tmp_path / "r"))
    code, _, err = cli(*folders, "run", "01", "-f", str(params))
    assert code == 2 and "Parameter 'n' of 01-smoke expects int, got 'not a number'" in err


def test_lang_given_as_a_parameter_is_the_report_language(ws: Path, tmp_path: Path):
    spec = read_spec(ws / "notebooks" / "01-smoke.ipynb")
    by_flag = plan(spec, {}, lang="zh")
    by_param = plan(spec, {"lang": "zh"}, lang="en")
    assert by_param.parameters["lang"] == "zh" and by_param.key == by_flag.key != plan(spec, {}, lang="en").key
    code, _, err = cli("--notebooks", str(ws / "notebooks"), "run", "01", "-p", "lang=zh", "-p", "n=x")
    assert code == 2 and "应为 int 类型" in err  # messages follow the report language too
    code, _, err = cli("--notebooks", str(ws / "notebooks"), "run", "01", "-p", "lang=fr")
    assert code == 2 and "lang must be one of en, zh; got 'fr'" in err
    code, _, err = cli("--notebooks", str(ws / "notebooks"), "run", "01", "--lang", "en", "-p", "lang=zh")
    assert code == 2 and "Two report languages" in err


def test_output_dir_is_the_runners(ws: Path, tmp_path: Path):
    folders = ("--notebooks", str(ws / "notebooks"), "--reports", str(tmp_path / "r"))
    code, _, err = cli(*folders, "run", "01", "-p", "output_dir=x")
    assert code == 2 and "output_dir is set by the runner" in err and not (tmp_path / "r").exists()


def test_stray_notebooks_give_one_warning_line_and_list_still_works(ws: Path):
    make_notebook(ws / "notebooks", "Untitled")
    make_notebook(ws / "notebooks", "01-smoke-Copy1")
    code, out, err = cli("--notebooks", str(ws / "notebooks"), "list")
    assert code == 0 and out.splitlines() == ["01-smoke  Smoke test"]
    assert err.count("\n") == 1 and "skipped 2 file(s)" in err and "Untitled.ipynb" in err


def test_a_parameter_no_chosen_notebook_has_is_refused_not_ignored():
    code, _, err = cli("run", "20", "-p", "min_support=0.5")
    assert code == 2 and "No selected notebook has a parameter 'min_support'" in " ".join(err.split())
