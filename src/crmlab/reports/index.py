"""``reports/index.html``: every version of every report, newest first, with its headline figures."""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

from crmlab.core.notebook import format_value
from crmlab.reports.store import read_manifest, versions

_STYLE = """
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", -apple-system,
       "Segoe UI", Roboto, sans-serif; color: #1f2933; margin: 0; background: #fafbfc; }
main { max-width: 1200px; margin: 0 auto; padding: 1em 2em 3em; background: #fff; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { border-bottom: 1px solid #d9e2ec; padding: .45em .6em; text-align: left; vertical-align: top; }
th { background: #f0f4f8; }
.ok { color: #1e7b34; font-weight: bold; } .failed { color: #c0392b; font-weight: bold; }
.figures { margin: 0; padding-left: 1.1em; } .error { color: #7b1d14; font-size: 13px; }
"""


def _rows(reports: Path) -> list[tuple[Path, dict[str, Any]]]:
    """Every complete version on disk with its manifest (a folder without a readable manifest is left out)."""
    rows = []
    for notebook in sorted(p for p in reports.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for folder in versions(notebook):
            try:
                rows.append((folder, read_manifest(folder)))
            except (OSError, ValueError):
                continue
    return sorted(rows, key=lambda r: (r[1].get("started", ""), r[0].as_posix()), reverse=True)


def _row(reports: Path, folder: Path, manifest: dict[str, Any]) -> str:
    rel = folder.relative_to(reports).as_posix()
    status = manifest.get("status", "?")
    figures = "".join(
        f"<li>{html.escape(str(f.get('label') or f['name']))}: <b>{html.escape(format_value(f['value']))}</b></li>"
        for f in manifest.get("figures", [])
    )
    error = f'<div class="error">{html.escape(manifest["error"])}</div>' if manifest.get("error") else ""
    files = manifest.get("files", {})
    links = " · ".join(
        f'<a href="{rel}/{html.escape(files[key])}">{label}</a>'
        for key, label in (("reader_html", "reader"), ("full_html", "full"))
        if key in files
    )
    return (
        f"<tr><td>{html.escape(manifest.get('notebook', folder.parent.name))}<br><small>{html.escape(folder.name)}"
        f"</small></td><td>{html.escape(manifest.get('started', ''))}</td>"
        f'<td class="{html.escape(status)}">{html.escape(status)}</td><td>{html.escape(manifest.get("lang", ""))}</td>'
        f'<td><ul class="figures">{figures}</ul>{error}</td><td>{links}</td></tr>'
    )


def render_index(reports: Path) -> str:
    """The index page's HTML (with a link to the summary page when there is one)."""
    body = "\n".join(_row(reports, folder, manifest) for folder, manifest in _rows(reports))
    summary = '<p><a href="summary.html">Summary 摘要</a></p>' if (reports / "summary.html").exists() else ""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>crmlab reports</title>'
        f"<style>{_STYLE}</style></head><body><main><h1>crmlab reports · 报告</h1>"
        "<p>Every version of every report, newest first. 所有报告的全部版本，最新在前。</p>"
        f"{summary}"
        "<table><thead><tr><th>Report 报告</th><th>Started 开始 (UTC)</th><th>Status 状态</th><th>Lang</th>"
        f"<th>Headline figures 核心指标</th><th>Open 打开</th></tr></thead><tbody>{body}</tbody></table>"
        "</main></body></html>\n"
    )


def write_index(reports: Path) -> Path:
    """Write ``reports/index.html`` atomically and return its path."""
    reports.mkdir(parents=True, exist_ok=True)
    target = reports / "index.html"
    tmp = reports / f".index-{os.getpid()}.html"
    tmp.write_text(render_index(reports), encoding="utf-8")
    os.replace(tmp, target)
    return target
