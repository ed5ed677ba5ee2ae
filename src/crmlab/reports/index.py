"""``reports/index.html``: an overview of every report, grouped by analysis and language.

Per analysis and language, the successful versions come newest first, each with its local start
time, data set, the parameters that differ from the notebook's defaults, its headline figures, links
to the reader and full pages, its extra outputs, the same run in the other language, and its diff
against the previous version (`crmlab.reports.diff`). ``reports/<notebook>/latest-<lang>.html`` is a
stable link that always leads to the latest successful version. Failed runs are listed apart.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

from crmlab.core.i18n import LANGS
from crmlab.core.notebook import format_figure
from crmlab.reports.diff import diff_name, write_diff
from crmlab.reports.page import document, local_time
from crmlab.reports.store import data_label, read_manifest, versions

Version = tuple[Path, dict[str, Any]]
_LANG_NAME = {"en": "English", "zh": "中文"}


def _versions(notebook: Path) -> list[Version]:
    """The complete versions of one notebook with their manifests, newest first (unreadable ones left out)."""
    found = []
    for folder in versions(notebook):
        try:
            found.append((folder, read_manifest(folder)))
        except (OSError, ValueError):
            continue
    return found[::-1]


def latest_name(lang: str) -> str:
    """The stable file name, in a notebook's folder, that leads to its latest successful version."""
    return f"latest-{lang}.html"


def _write_latest(notebook: Path, folder: Path, lang: str) -> None:
    target = f"{folder.name}/reader.html"
    page = (
        f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><meta http-equiv="refresh" content="0; url={target}">'
        f'<title>{html.escape(notebook.name)}</title></head><body><a href="{target}">{target}</a></body></html>\n'
    )
    path = notebook / latest_name(lang)
    if not path.exists() or path.read_text(encoding="utf-8") != page:
        path.write_text(page, encoding="utf-8")


def _same_run_key(manifest: dict[str, Any]) -> tuple[str, str]:
    """What one run in two languages shares: parameters (but the language) and input files."""
    params = {k: v for k, v in manifest.get("parameters", {}).items() if k != "lang"}
    return repr(sorted(params.items())), repr(sorted(manifest.get("inputs", {}).items()))


def _figures(manifest: dict[str, Any]) -> str:
    figures = manifest.get("figures", [])
    shown = [f for f in figures if f.get("headline")] or figures
    colon = "：" if manifest.get("lang") == "zh" else ": "
    return "".join(
        f"<li>{html.escape(str(f.get('label') or f['name']))}{colon}<b>{html.escape(format_figure(f))}</b></li>"
        for f in shown
    )


def _changed(manifest: dict[str, Any]) -> str:
    changed = manifest.get("changed_parameters", {})
    return "<br>".join(f"<code>{html.escape(k)}</code> = {html.escape(str(v))}" for k, v in changed.items())


def _row(reports: Path, folder: Path, manifest: dict[str, Any], previous: Path | None, other: Path | None) -> str:
    rel = folder.relative_to(reports).as_posix()
    files = manifest.get("files", {})
    links = [
        f'<a href="{rel}/{html.escape(files[key])}">{label}</a>'
        for key, label in (("reader_html", "reader 阅读版"), ("full_html", "full 完整版"))
        if key in files
    ]
    if other is not None:
        lang = read_manifest(other).get("lang", "")
        links.append(f'<a href="{other.relative_to(reports).as_posix()}/reader.html">{_LANG_NAME.get(lang, lang)}</a>')
    if previous is not None:
        links.append(f'<a href="{folder.parent.name}/{diff_name(previous, folder)}">diff {previous.name} 比较</a>')
    extras = " ".join(
        f'<a href="{rel}/{html.escape(name)}">{html.escape(name)}</a>' for name in manifest.get("extra_files", [])
    )
    error = f'<div class="error">{html.escape(manifest["error"])}</div>' if manifest.get("error") else ""
    status = html.escape(manifest.get("status", "?"))
    return (
        f"<tr><td>{html.escape(folder.name)}</td><td>{html.escape(local_time(manifest.get('started', '')))}</td>"
        f'<td class="{status}">{status}</td><td>{html.escape(data_label(manifest))}</td><td>{_changed(manifest)}</td>'
        f'<td><ul class="figures">{_figures(manifest)}</ul>{error}</td>'
        f"<td>{' · '.join(links)}<div class='muted'>{extras}</div></td></tr>"
    )


_HEAD = (
    "<table><thead><tr><th>Version 版本</th><th>Started 开始</th><th>Status 状态</th><th>Data 数据</th>"
    "<th>Changed parameters 改动的参数</th><th>Headline figures 核心指标</th><th>Open 打开</th></tr></thead><tbody>"
)


def _analysis(reports: Path, notebook: Path, found: list[Version]) -> tuple[str, list[str]]:
    """One analysis's section (its successful versions by language) and its failed runs as rows."""
    ok = [(f, m) for f, m in found if m.get("status") == "ok"]
    by_run: dict[tuple[str, tuple[str, str]], Path] = {}
    for folder, manifest in ok[::-1]:  # the newest version of a run in each language wins
        by_run[(manifest.get("lang", ""), _same_run_key(manifest))] = folder
    parts = [f'<h2 id="{html.escape(notebook.name)}">{html.escape(notebook.name)}</h2>']
    for lang in LANGS:
        mine = [(f, m) for f, m in ok if m.get("lang") == lang]
        if not mine:
            continue
        _write_latest(notebook, mine[0][0], lang)
        parts.append(
            f'<h3>{_LANG_NAME[lang]} · <a href="{notebook.name}/{latest_name(lang)}">latest 最新</a></h3>{_HEAD}'
        )
        for i, (folder, manifest) in enumerate(mine):
            previous = mine[i + 1][0] if i + 1 < len(mine) else None
            if previous is not None and not (notebook / diff_name(previous, folder)).exists():
                write_diff(previous, folder, lang)
            others = [by_run.get((other, _same_run_key(manifest))) for other in LANGS if other != lang]
            parts.append(_row(reports, folder, manifest, previous, next((o for o in others if o), None)))
        parts.append("</tbody></table>")
    failed = [_row(reports, f, m, None, None) for f, m in found if m.get("status") != "ok"]
    return "\n".join(parts), [r.replace("<tr><td>", f"<tr><td>{html.escape(notebook.name)} ", 1) for r in failed]


def render_index(reports: Path) -> str:
    """The index page's HTML (with a link to the summary page when there is one)."""
    sections: list[str] = []
    failed: list[str] = []
    names: list[str] = []
    for notebook in sorted(p for p in reports.iterdir() if p.is_dir() and not p.name.startswith(".")):
        found = _versions(notebook)
        if found:
            section, failed_rows = _analysis(reports, notebook, found)
            sections.append(section)
            failed += failed_rows
            names.append(f'<a href="#{html.escape(notebook.name)}">{html.escape(notebook.name)}</a>')
    summary = '<p><a href="summary.html">Summary 摘要</a></p>' if (reports / "summary.html").exists() else ""
    failures = ""
    if failed:
        title = '<h2 id="failed">Failed runs 失败的运行</h2>'
        failures = f'<section class="failed-runs">{title}{_HEAD}{"".join(failed)}</tbody></table></section>'
    body = (
        "<h1>crmlab reports · 报告</h1><p>Every analysis, its latest successful version first, by language; "
        "failed runs at the end. Times are local. "
        "每项分析按语言列出，最新的成功版本在前；失败的运行列在最后。时间为本地时间。</p>"
        f"{summary}<p>{' · '.join(names)}</p>{''.join(sections)}{failures}"
    )
    return document("crmlab reports · 报告", body)


def write_index(reports: Path) -> Path:
    """Write ``reports/index.html`` (and the ``latest`` links and diff pages) and return its path."""
    reports.mkdir(parents=True, exist_ok=True)
    target = reports / "index.html"
    tmp = reports / f".index-{os.getpid()}.html"
    tmp.write_text(render_index(reports), encoding="utf-8")
    os.replace(tmp, target)
    return target
