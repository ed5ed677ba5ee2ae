"""The ``crmlab`` command: list, describe and run notebooks; list data sets; rebuild the index; score.

``--notebooks``, ``--reports`` and ``--lang`` work before or after the subcommand. Every message is in
the language of ``--lang`` (default: the environment variable ``CRMLAB_LANG``, else English), is
never cut, and is wrapped to fit `WIDTH` columns.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import unicodedata
from importlib import resources
from importlib.metadata import version
from pathlib import Path
from typing import Any, NoReturn

import yaml

from crmlab.core.checks import did_you_mean
from crmlab.core.errors import CrmlabError, ParameterError
from crmlab.core.i18n import LANGS, get_lang, set_lang, t
from crmlab.core.notebook import format_figure
from crmlab.course.cli import add_course_parser
from crmlab.reports.specs import Notebooks, NotebookSpec, scan, select

WIDTH = 100
LANG_ENV = "CRMLAB_LANG"
_WIDE = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"  # CJK characters and punctuation
_TOKEN = re.compile(rf"\s+|[{_WIDE}]|[^\s{_WIDE}]+")
_CLOSING = set("）)」』】，。；：、！？]")  # never starts a line


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, *, indent: str = "  ", width: int = WIDTH) -> str:
    """``text`` wrapped to ``width`` terminal columns (Chinese characters count two), never cut.

    Continuation lines start with ``indent``; spaces inside a line are kept (aligned columns stay aligned).

    >>> print(wrap("aaa  bbb ccc", width=9))
    aaa  bbb
      ccc
    """
    lines: list[str] = []
    for paragraph in str(text).splitlines() or [""]:
        line = ""
        for token in _TOKEN.findall(paragraph):
            if not token.isspace() and line.strip() and _width(line) + _width(token) > width:
                carry = line[-1] if token[0] in _CLOSING and not line[-1].isspace() else ""  # 。never starts a line
                lines.append(line[: len(line) - len(carry)].rstrip())
                line = indent + carry
            elif token.isspace() and line == indent and lines:
                continue
            line += token
        lines.append(line.rstrip())
    return "\n".join(lines)


def say(text: str, *, error: bool = False) -> None:
    """Print ``text`` wrapped, to stderr when it reports an error."""
    print(wrap(text), file=sys.stderr if error else sys.stdout, flush=True)


def notebooks_dir(given: str | None) -> Path:
    """``--notebooks``, else $CRMLAB_NOTEBOOKS, else the notebooks shipped with crmlab."""
    folder = given or os.environ.get("CRMLAB_NOTEBOOKS")
    if folder is None:
        return Path(str(resources.files("crmlab") / "notebooks"))
    if not Path(folder).is_dir():
        raise ParameterError(t("reports.no_notebooks", folder=folder))
    return Path(folder).resolve()


def reports_dir(given: str | None) -> Path:
    """``--reports``, else $CRMLAB_REPORTS, else ``./reports``."""
    return Path(given or os.environ.get("CRMLAB_REPORTS") or "reports").resolve()


def _found(args: argparse.Namespace) -> Notebooks:
    """The notebooks of the folder, with one warning line for the files skipped."""
    found = scan(notebooks_dir(args.notebooks))
    if found.warning():
        say("crmlab: " + found.warning(), error=True)
    return found


def _split_assignment(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise ParameterError(t("reports.bad_assignment", text=text))
    return name.strip(), value


def _read_yaml(path: str) -> dict[str | int, Any]:
    """The parameters file: a mapping, read safely; syntax errors and tags name the file and line."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError:
        raise ParameterError(t("reports.no_params_file", path=path)) from None
    try:
        loaded = yaml.safe_load(text) or {}
    except yaml.constructor.ConstructorError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        raise ParameterError(t("reports.yaml_tag", path=path, line=line)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else "?"
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise ParameterError(t("reports.yaml_syntax", path=path, line=line, problem=problem)) from None
    if not isinstance(loaded, dict):
        raise ParameterError(t("reports.bad_yaml", path=path))
    return {k if isinstance(k, int) else str(k): v for k, v in loaded.items()}


def _given_parameters(args: argparse.Namespace, found: Notebooks, chosen: list[NotebookSpec]) -> dict[str, Any]:
    """Per notebook, the parameters from ``-f`` (flat, or in sections named as for `run`) and ``-p``."""
    declared = {p.name for s in found.specs for p in s.parameters}
    shared: dict[str, Any] = {}
    sections: dict[str, dict[str, Any]] = {}
    for key, value in (_read_yaml(args.file) if args.file else {}).items():
        key = f"{key:02d}" if isinstance(key, int) else key  # YAML reads a section 00: or 01: as a number
        if key in declared or not isinstance(value, dict):
            shared[key] = value
            continue
        (spec,) = select(found, [key])
        sections.setdefault(spec.name, {}).update(value)
    shared.update(_split_assignment(p) for p in args.param)
    usable = {p.name for s in chosen for p in s.parameters}
    for name in shared:
        if name not in usable:  # never ignored silently
            raise ParameterError(t("reports.unknown_parameter", name=name, hint=did_you_mean(name, usable)))
    return {
        s.name: {**{k: v for k, v in shared.items() if k in {p.name for p in s.parameters}}, **sections.get(s.name, {})}
        for s in chosen
    }


def cmd_list(args: argparse.Namespace) -> int:
    """`crmlab list`: each notebook with its one-line description."""
    found = _found(args)
    names = [s.name for s in found.specs] + list(found.broken)
    width = max(map(len, names), default=0)
    for spec in found.specs:
        say(f"{spec.name:<{width}}  {spec.title()}")
    for name, reason in found.broken.items():
        say(t("reports.broken", name=f"{name:<{width}}", reason=reason), error=True)
    return 0


def cmd_describe(args: argparse.Namespace) -> int:
    """`crmlab describe NAME`: the parameters with type, default and help (the help wrapped beside them)."""
    (spec,) = select(_found(args), [args.name])
    say(f"{spec.name}: {spec.title()}")
    print()
    rows = [(p.name, p.type, repr(p.default), p.describe()) for p in spec.parameters]
    head = tuple(t(f"reports.head.{h}") for h in ("name", "type", "default", "help"))
    widths = [max(_width(r[i]) for r in [*rows, head]) for i in range(2)]
    widths.append(min(max(_width(r[2]) for r in [*rows, head]), 16))
    for row in [head, *rows]:
        cells = [c + " " * max(w - _width(c), 0) for c, w in zip(row[:3], widths, strict=True)]
        column = " " * (sum(widths) + 6)
        if _width(row[2]) > widths[2]:  # a long default: on its own lines, the help below it
            print(wrap("  ".join(cells), indent=" " * (widths[0] + widths[1] + 4)))
            print(wrap(column + row[3], indent=column))
        else:
            print(wrap("  ".join(cells) + "  " + row[3], indent=column))
    return 0


def _report_lang(args: argparse.Namespace) -> str:
    """The report language: ``--lang``, else ``-p lang=...``, else $CRMLAB_LANG, else English."""
    given = dict(_split_assignment(p) for p in args.param if p.partition("=")[0].strip() == "lang")
    if args.lang and given and given["lang"].strip() != args.lang:
        raise ParameterError(t("reports.two_langs", flag=args.lang, param=given["lang"].strip()))
    return args.lang or given.get("lang", "").strip() or os.environ.get(LANG_ENV) or "en"


def cmd_run(args: argparse.Namespace) -> int:
    """`crmlab run`: check parameters, then reuse or execute, and print one line per notebook."""
    from crmlab.reports.runner import Interrupted, plan, pseudonym_salt, run_all

    lang = _report_lang(args)
    set_lang(lang if lang in LANGS else get_lang())
    found = _found(args)
    if args.all == bool(args.names):
        raise ParameterError(t("reports.name_or_all"))
    chosen = found.specs if args.all else select(found, args.names)
    given = _given_parameters(args, found, chosen)
    reports = reports_dir(args.reports)
    salt = pseudonym_salt(reports) if args.pseudonymize_ids else ""
    requests = [plan(spec, given[spec.name], lang=lang, salt=salt, currency=args.currency) for spec in chosen]
    try:
        results = run_all(requests, reports, jobs=args.jobs, force=args.force)
    except Interrupted as stop:
        say(f"crmlab: {stop}", error=True)
        return stop.exit_code
    for result in results:
        failed = result.status == "failed"
        say(result.message, error=failed)
        say(f"  {result.folder / 'reader.html'}", error=failed)
        if result.figures:
            figures = ", ".join(f"{f['name']}={format_figure(f)}" for f in result.figures)
            say("  " + t("reports.figures", figures=figures), error=failed)
    broken = {} if not args.all else found.broken
    for name, reason in broken.items():
        say("crmlab: " + t("reports.broken", name=name, reason=reason), error=True)
    say(t("reports.index", path=reports / "index.html"))
    return 1 if broken or any(r.status == "failed" for r in results) else 0


def cmd_datasets(args: argparse.Namespace) -> int:
    """`crmlab datasets`: the named data sets."""
    from crmlab.data import available

    table = available()
    width = max(map(len, table["name"]))
    for row in table.itertuples():
        say(f"{row.name:<{width}}  {row.kind:<12}  {row.description}")
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    """`crmlab index`: rebuild reports/index.html."""
    from crmlab.reports.index import write_index

    say(str(write_index(reports_dir(args.reports))))
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    """`crmlab summary`: write reports/summary.html from the latest successful reports, and the index."""
    from crmlab.reports.index import write_index
    from crmlab.reports.summary import write_summary

    lang = args.lang or _early_lang([])  # --lang, else $CRMLAB_LANG, else en
    print(write_summary(reports_dir(args.reports), notebooks_dir(args.notebooks), lang=lang))
    write_index(reports_dir(args.reports))
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    """`crmlab diff NAME [A] [B]`: print what changed between two versions and write the comparison page."""
    from crmlab.reports.diff import pick, render_text, write_diff

    old, new = pick(reports_dir(args.reports), args.name, args.a, args.b, lang=args.lang)
    lang = args.lang or get_lang()
    say(render_text(old, new, lang))
    say(t("reports.diff.written", path=write_diff(old, new, lang)))
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    """Score new cases with a model saved by 40-fraud-propensity (`crmlab.fraud.model.score_file`)."""
    from crmlab.fraud.model import score_file

    scored = score_file(args.model, args.input, args.output, lang=get_lang())
    say(t("reports.scored", n=len(scored), flagged=int(scored["investigate"].sum()), path=args.output))
    return 0


class _Parser(argparse.ArgumentParser):
    """argparse with its usage errors introduced in the user's language."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        say(f"{self.prog}: " + t("reports.usage_error", error=message), error=True)
        sys.exit(2)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the `crmlab` command."""
    common = _Parser(add_help=False)
    common.add_argument("--notebooks", default=argparse.SUPPRESS, help="folder of notebooks (default: shipped)")
    common.add_argument("--reports", default=argparse.SUPPRESS, help="folder of reports (default: ./reports)")
    common.add_argument("--lang", choices=LANGS, default=argparse.SUPPRESS, help=f"language (default: ${LANG_ENV}, en)")
    parser = _Parser(
        prog="crmlab", description="Run crmlab's CRM analytics notebooks into HTML reports.", parents=[common]
    )
    parser.add_argument("--version", action="version", version=f"crmlab {version('crmlab')}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    sub.add_parser("list", help="list the notebooks", parents=[common]).set_defaults(func=cmd_list)
    describe = sub.add_parser("describe", help="show a notebook's parameters", parents=[common])
    describe.add_argument("name")
    describe.set_defaults(func=cmd_describe)
    run = sub.add_parser("run", help="run notebooks into new report versions", parents=[common])
    run.add_argument("names", nargs="*", help="notebook names or unique prefixes, e.g. 00-data-profile or 00")
    run.add_argument("--all", action="store_true", help="run every notebook")
    run.add_argument("-p", "--param", action="append", default=[], metavar="KEY=VALUE", help="set a parameter")
    run.add_argument("-f", "--file", help="YAML file of parameters (flat, or in sections named as for run)")
    run.add_argument("--force", action="store_true", help="execute even if an identical earlier run exists")
    run.add_argument("-j", "--jobs", type=int, default=None, help="parallel notebooks (default: number of cores)")
    run.add_argument(
        "--pseudonymize-ids", action="store_true", help="show customer ids as tokens in the reports (CSVs keep them)"
    )
    run.add_argument("--currency", default="", help="unit of money in the reports, e.g. € or EUR (default: none)")
    run.set_defaults(func=cmd_run)
    score = sub.add_parser("score", help="score new cases with a saved fraud model (.skops)", parents=[common])
    score.add_argument("model", help="the fraud_model.skops a 40-fraud-propensity report saved")
    score.add_argument("input", help="CSV, Excel or Parquet file with the columns the model was trained on")
    score.add_argument("output", help="CSV to write: IDs, score, decile, investigate, rules_fired")
    score.set_defaults(func=cmd_score)
    diff = sub.add_parser("diff", help="compare two versions of a report (default: the two newest)", parents=[common])
    diff.add_argument("name", help="notebook name or unique prefix")
    diff.add_argument("a", nargs="?", help="older version, e.g. v0003 or 3 (default: the second newest)")
    diff.add_argument("b", nargs="?", help="newer version (default: the newest of the same language)")
    diff.set_defaults(func=cmd_diff)
    sub.add_parser("datasets", help="list the named data sets", parents=[common]).set_defaults(func=cmd_datasets)
    sub.add_parser("index", help="rebuild reports/index.html", parents=[common]).set_defaults(func=cmd_index)
    summary = sub.add_parser(
        "summary", help="write reports/summary.html: key figures on the more/longer/deeper frame", parents=[common]
    )
    summary.set_defaults(func=cmd_summary)
    add_course_parser(sub)
    return parser


def _early_lang(argv: list[str]) -> str:
    """The language asked for, read before parsing (so that usage errors are in it too)."""
    for arg, following in zip(argv, [*argv[1:], ""], strict=True):
        value = arg.partition("=")[2] if arg.startswith("--lang=") else following if arg == "--lang" else None
        if value in LANGS:
            return value
    env = os.environ.get(LANG_ENV, "en")
    return env if env in LANGS else "en"


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``crmlab`` command (``argv`` None: the command line of this process)."""
    code = _main(sys.argv[1:] if argv is None else list(argv))
    if argv is None and code in (130, 143):  # interrupted and cleaned up: skip the interpreter's slow teardown
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


def _main(argv: list[str]) -> int:
    set_lang(_early_lang(argv))
    args = build_parser().parse_args(argv)
    for name in ("notebooks", "reports", "lang"):
        setattr(args, name, getattr(args, name, None))
    if args.lang:
        set_lang(args.lang)
    try:
        return int(args.func(args))
    except (CrmlabError, FileNotFoundError) as exc:
        say(f"crmlab: {exc}", error=True)
        return 2
    except BrokenPipeError:  # the output was piped into a program that stopped reading (e.g. head)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        say("crmlab: " + t("reports.interrupted", stopped=0, queued=0), error=True)
        return 130
    finally:
        set_lang("en")


if __name__ == "__main__":
    sys.exit(main())
