"""``reports/summary.html``: one page for stakeholders, on the textbook's more / longer / deeper frame.

For every analysis it takes the latest successful version in the chosen language and shows its key
figures (`FRAME` says which figure belongs where) and its one-sentence finding (the figure named
``finding`` that each notebook records), linked to the report, with the report's date and data. It
says which analyses have not been run. `crmlab summary` writes it, and so does every `crmlab run`
that makes a new version; the index links to it.
"""

from __future__ import annotations

import fnmatch
import html
import os
from pathlib import Path
from typing import Any

from crmlab.core.i18n import check_lang, t
from crmlab.core.notebook import format_figure, format_value
from crmlab.reports.specs import find_notebooks
from crmlab.reports.store import data_label, read_manifest, versions

SUMMARY = "summary.html"
FINDING = "finding"
#: Figures that are shares, shown as percentages.
PERCENT_FIGURES = ("*share*", "*rate*", "*uptake*", "*retention*", "*uplift*")

#: The frame: direction -> (notebook, figure name or pattern) in the order shown.
FRAME: dict[str, tuple[tuple[str, str], ...]] = {
    "more": (
        ("70-relationship-growth", "new_customers"),
        ("70-relationship-growth", "won_back"),
        ("70-relationship-growth", "net_growth"),
        ("20-value-analysis", "n_segments"),
        ("60-retention-targeting", "response_lift_*"),
    ),
    "longer": (
        ("50-churn-causes", "churn_rate"),
        ("50-churn-causes", "top_cause"),
        ("50-churn-causes", "top_cause_share"),
        ("60-retention-targeting", "roc_auc"),
        ("60-retention-targeting", "defection_lift_*"),
        ("10-exit-classification", "bad_share"),
        ("20-value-analysis", "warn_revenue_share"),
        ("70-relationship-growth", "median_lifetime"),
        ("70-relationship-growth", "first_cohort_retention_m1"),
        ("70-relationship-growth", "profit_uplift_5pt"),
    ),
    "deeper": (
        ("30-basket-analysis", "top_rule"),
        ("30-basket-analysis", "lift"),
        ("20-value-analysis", "top20_share"),
        ("20-value-analysis", "platinum_customers"),
        ("20-value-analysis", "platinum_*_share"),
        ("70-relationship-growth", "cross_sell_uptake"),
        ("70-relationship-growth", "loyal_share"),
    ),
}

_STYLE = """
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", -apple-system,
       "Segoe UI", Roboto, sans-serif; color: #1f2933; margin: 0; background: #fafbfc; }
main { max-width: 1100px; margin: 0 auto; padding: 1em 2em 3em; background: #fff; }
table { border-collapse: collapse; width: 100%; font-size: 14px; margin-bottom: 1em; }
th, td { border-bottom: 1px solid #d9e2ec; padding: .45em .6em; text-align: left; vertical-align: top; }
th { background: #f0f4f8; } .value { font-weight: bold; white-space: nowrap; }
section.frame { border-left: 4px solid #3a6ea5; padding-left: 1em; margin: 1.5em 0; }
.note { color: #52606d; font-size: 14px; }
@media print { body { background: #fff; } main { padding: 0; } }
"""


def latest_successful(reports: Path, lang: str) -> dict[str, tuple[Path, dict[str, Any]]]:
    """Notebook -> (version folder, manifest) of its newest successful version in ``lang``."""
    found: dict[str, tuple[Path, dict[str, Any]]] = {}
    if not reports.is_dir():
        return found
    for notebook in sorted(p for p in reports.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for folder in reversed(versions(notebook)):
            manifest = read_manifest(folder)
            if manifest.get("status") == "ok" and manifest.get("lang") == lang:
                found[notebook.name] = (folder, manifest)
                break
    return found


def _e(value: object) -> str:
    return html.escape(str(value))


def _shown(figure: dict[str, Any]) -> str:
    """A figure as the page shows it: by its kind, else shares as percentages and numbers as in the index."""
    name, value = str(figure["name"]), figure["value"]
    if figure.get("kind"):
        return format_figure(figure)
    share = isinstance(value, float) and any(fnmatch.fnmatchcase(name, p) for p in PERCENT_FIGURES)
    return f"{value:.1%}" if share else format_value(value)


def _link(reports: Path, folder: Path, manifest: dict[str, Any], text: str) -> str:
    reader = manifest.get("files", {}).get("reader_html", "reader.html")
    return f'<a href="{_e(folder.relative_to(reports).as_posix())}/{_e(reader)}">{_e(text)}</a>'


def _data_of(manifest: dict[str, Any], lang: str) -> str:
    return data_label(manifest) or t("reports.summary.default_data", lang)


def _frame_rows(reports: Path, sources: dict[str, tuple[Path, dict[str, Any]]], direction: str, lang: str) -> str:
    rows = []
    for notebook, pattern in FRAME[direction]:
        if notebook not in sources:
            continue
        folder, manifest = sources[notebook]
        for figure in manifest.get("figures", []):
            if fnmatch.fnmatchcase(str(figure.get("name", "")), pattern):
                rows.append(
                    f"<tr><td>{_e(figure.get('label') or figure['name'])}</td>"
                    f'<td class="value">{_e(_shown(figure))}</td>'
                    f"<td>{_link(reports, folder, manifest, f'{notebook} {folder.name}')}</td></tr>"
                )
    missing = sorted({n for n, _ in FRAME[direction]} - set(sources))
    names = t("common.list_sep", lang).join(missing)
    note = f'<p class="note">{_e(t("reports.summary.frame_missing", lang, names=names))}</p>'
    table = (
        f"<table><thead><tr><th>{_e(t('reports.summary.figure', lang))}</th><th>{_e(t('reports.summary.value', lang))}"
        f"</th><th>{_e(t('reports.summary.source', lang))}</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        if rows
        else ""
    )
    return table + (note if missing else "")


def _source_rows(reports: Path, sources: dict[str, tuple[Path, dict[str, Any]]], lang: str) -> str:
    rows = []
    for notebook, (folder, manifest) in sources.items():
        finding = next((f["value"] for f in manifest.get("figures", []) if f.get("name") == FINDING), None)
        rows.append(
            f"<tr><td>{_link(reports, folder, manifest, notebook)}<br><small>{_e(folder.name)}</small></td>"
            f"<td>{_e(str(manifest.get('finished', manifest.get('started', '')))[:16].replace('T', ' '))}</td>"
            f"<td>{_e(_data_of(manifest, lang))}</td>"
            f"<td>{_e(finding if finding is not None else t('reports.summary.no_finding', lang))}</td></tr>"
        )
    return "".join(rows)


def render_summary(reports: Path, notebooks: list[str], *, lang: str) -> str:
    """The summary page's HTML for the analyses ``notebooks`` (every notebook that could be run)."""
    check_lang(lang)
    sources = latest_successful(reports, lang)
    parts = [
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
        f"<title>{_e(t('reports.summary.title', lang))}</title><style>{_STYLE}</style></head><body><main>",
        f"<h1>{_e(t('reports.summary.title', lang))}</h1>",
        f'<p class="note">{_e(t("reports.summary.intro", lang))} <a href="index.html">'
        f"{_e(t('reports.summary.index', lang))}</a></p>",
    ]
    for direction in FRAME:
        parts.append(
            f'<section class="frame" id="{direction}"><h2>{_e(t(f"reports.summary.{direction}", lang))}</h2>'
            f'<p class="note">{_e(t(f"reports.summary.{direction}_means", lang))}</p>'
            f"{_frame_rows(reports, sources, direction, lang)}</section>"
        )
    parts.append(f'<h2 id="sources">{_e(t("reports.summary.sources", lang))}</h2>')
    if sources:
        heads = ("reports.summary.analysis", "reports.summary.date", "reports.summary.data", "reports.finding")
        parts.append(
            "<table><thead><tr>"
            + "".join(f"<th>{_e(t(h, lang))}</th>" for h in heads)
            + f"</tr></thead><tbody>{_source_rows(reports, sources, lang)}</tbody></table>"
        )
    else:
        parts.append(f"<p>{_e(t('reports.summary.nothing', lang))}</p>")
    not_run = [n for n in notebooks if n not in sources]
    if not_run:
        parts.append(f'<h2 id="not-run">{_e(t("reports.summary.not_run", lang))}</h2><ul>')
        parts += [f"<li>{_e(n)}: <code>crmlab run {_e(n)} --lang {lang}</code></li>" for n in not_run]
        parts.append("</ul>")
    parts.append("</main></body></html>\n")
    return "".join(parts)


def write_summary(reports: Path, notebooks: Path, *, lang: str) -> Path:
    """Write ``reports/summary.html`` atomically for the notebooks in the folder ``notebooks``."""
    names = [spec.name for spec in find_notebooks(notebooks)]
    reports.mkdir(parents=True, exist_ok=True)
    target = reports / SUMMARY
    tmp = reports / f".summary-{os.getpid()}.html"
    tmp.write_text(render_summary(reports, names, lang=lang), encoding="utf-8")
    os.replace(tmp, target)
    return target
