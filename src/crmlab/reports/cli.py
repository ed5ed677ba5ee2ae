"""The ``crmlab`` command: list, describe and run notebooks; list data sets; rebuild the index."""

from __future__ import annotations

import argparse
import os
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from crmlab.core.checks import did_you_mean
from crmlab.core.errors import CrmlabError, ParameterError
from crmlab.core.i18n import set_lang, t
from crmlab.reports.specs import NotebookSpec, find_notebooks, select


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


def _split_assignment(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise ParameterError(t("reports.bad_assignment", text=text))
    return name.strip(), value


def _given_parameters(args: argparse.Namespace, specs: list[NotebookSpec]) -> dict[str, dict[str, Any]]:
    """Per notebook, the parameters from ``-f`` (flat, or in sections named by notebook) and ``-p``."""
    shared: dict[str, Any] = {}
    sections: dict[str, dict[str, Any]] = {}
    if args.file:
        loaded = yaml.safe_load(Path(args.file).read_text(encoding="utf-8")) or {}
        if not isinstance(loaded, dict):
            raise ParameterError(t("reports.bad_yaml", path=args.file))
        names = {s.name for s in specs}
        sections = {k: v for k, v in loaded.items() if k in names}
        shared = {k: v for k, v in loaded.items() if k not in names}
    shared.update(_split_assignment(p) for p in args.param)
    declared = {p.name for s in specs for p in s.parameters}
    for name in shared:
        if name not in declared:
            raise ParameterError(t("reports.unknown_parameter", name=name, hint=did_you_mean(name, declared)))
    return {
        s.name: {
            **{k: v for k, v in shared.items() if k in {p.name for p in s.parameters}},
            **sections.get(s.name, {}),
        }
        for s in specs
    }


def cmd_list(args: argparse.Namespace) -> int:
    """`crmlab list`: each notebook with its one-line description."""
    specs = find_notebooks(notebooks_dir(args.notebooks))
    width = max((len(s.name) for s in specs), default=0)
    for spec in specs:
        print(f"{spec.name:<{width}}  {spec.description}")
    return 0


def cmd_describe(args: argparse.Namespace) -> int:
    """`crmlab describe NAME`: the parameters with type, default and help."""
    (spec,) = select(find_notebooks(notebooks_dir(args.notebooks)), [args.name])
    print(f"{spec.name}: {spec.description}\n")
    rows = [(p.name, p.type, repr(p.default), p.help) for p in spec.parameters]
    widths = [max(len(r[i]) for r in rows + [("name", "type", "default", "")]) for i in range(3)]
    print(f"{'name':<{widths[0]}}  {'type':<{widths[1]}}  {'default':<{widths[2]}}  help")
    for name, type_, default, help_ in rows:
        print(f"{name:<{widths[0]}}  {type_:<{widths[1]}}  {default:<{widths[2]}}  {help_}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """`crmlab run`: check parameters, then reuse or execute, and print one line per notebook."""
    from crmlab.reports.runner import plan, run_all

    folder = notebooks_dir(args.notebooks)
    specs = find_notebooks(folder)
    if args.all == bool(args.names):
        raise ParameterError(t("reports.name_or_all"))
    chosen = specs if args.all else select(specs, args.names)
    given = _given_parameters(args, chosen)
    requests = [plan(spec, given[spec.name], lang=args.lang) for spec in chosen]
    reports = reports_dir(args.reports)
    results = run_all(requests, reports, jobs=args.jobs, force=args.force)
    for result in results:
        figures = ", ".join(f"{f['name']}={f['value']}" for f in result.figures)
        stream = sys.stderr if result.status == "failed" else sys.stdout
        print(result.message, file=stream)
        print(f"  {result.folder / 'reader.html'}" + (f"\n  figures: {figures}" if figures else ""), file=stream)
    print(f"index: {reports / 'index.html'}")
    return 1 if any(r.status == "failed" for r in results) else 0


def cmd_datasets(args: argparse.Namespace) -> int:
    """`crmlab datasets`: the named data sets."""
    from crmlab.data import available

    print(available()[["name", "kind", "description"]].to_string(index=False))
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    """`crmlab index`: rebuild reports/index.html."""
    from crmlab.reports.index import write_index

    print(write_index(reports_dir(args.reports)))
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    """`crmlab summary`: write reports/summary.html from the latest successful reports, and the index."""
    from crmlab.reports.index import write_index
    from crmlab.reports.summary import write_summary

    print(write_summary(reports_dir(args.reports), notebooks_dir(args.notebooks), lang=args.lang))
    write_index(reports_dir(args.reports))
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    """Score new cases with a model saved by 40-fraud-propensity (`crmlab.fraud.model.score_file`)."""
    from crmlab.fraud.model import score_file

    scored = score_file(args.model, args.input, args.output, lang=args.lang)
    print(f"{len(scored)} cases scored, {int(scored['investigate'].sum())} to investigate: {args.output}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the `crmlab` command."""
    parser = argparse.ArgumentParser(
        prog="crmlab", description="Run crmlab's CRM analytics notebooks into HTML reports."
    )
    parser.add_argument("--notebooks", help="folder of notebooks (default: the notebooks shipped with crmlab)")
    parser.add_argument("--reports", help="folder of reports (default: ./reports)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="list the notebooks").set_defaults(func=cmd_list)
    describe = sub.add_parser("describe", help="show a notebook's parameters")
    describe.add_argument("name")
    describe.set_defaults(func=cmd_describe)
    run = sub.add_parser("run", help="run notebooks into new report versions")
    run.add_argument("names", nargs="*", help="notebook names or unique prefixes, e.g. 00-data-profile or 00")
    run.add_argument("--all", action="store_true", help="run every notebook")
    run.add_argument("-p", "--param", action="append", default=[], metavar="KEY=VALUE", help="set a parameter")
    run.add_argument("-f", "--file", help="YAML file of parameters (flat, or in sections named by notebook)")
    run.add_argument("--lang", default="en", choices=["en", "zh"], help="report language")
    run.add_argument("--force", action="store_true", help="execute even if an identical earlier run exists")
    run.add_argument("-j", "--jobs", type=int, default=None, help="parallel notebooks (default: number of cores)")
    run.set_defaults(func=cmd_run)
    score = sub.add_parser("score", help="score new cases with a saved fraud model (fraud_model.joblib)")
    score.add_argument("model", help="the .joblib model a 40-fraud-propensity report saved")
    score.add_argument("input", help="CSV, Excel or Parquet file with the columns the model was trained on")
    score.add_argument("output", help="CSV to write: IDs, score, decile, investigate, rules_fired")
    score.add_argument("--lang", default="en", choices=["en", "zh"], help="language of the rule texts")
    score.set_defaults(func=cmd_score)
    sub.add_parser("datasets", help="list the named data sets").set_defaults(func=cmd_datasets)
    sub.add_parser("index", help="rebuild reports/index.html").set_defaults(func=cmd_index)
    summary = sub.add_parser("summary", help="write reports/summary.html: key figures on the more/longer/deeper frame")
    summary.add_argument("--lang", default="en", choices=["en", "zh"], help="language of the summary")
    summary.set_defaults(func=cmd_summary)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``crmlab`` command."""
    args = build_parser().parse_args(argv)
    set_lang(getattr(args, "lang", "en"))  # messages in the language of the reports asked for
    try:
        return int(args.func(args))
    except (CrmlabError, FileNotFoundError) as exc:
        print(f"crmlab: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
