"""Run-to-run comparison: what changed between two versions of one report (`crmlab diff`).

`compare` lines up two manifests: the parameters that differ, the input files whose fingerprint (or
path) differs, and every recorded figure with its old value, new value and difference. `render_text`
prints it, `write_diff` writes it as ``reports/<notebook>/diff-vA-vB.html``; the index links every
version to its diff against the previous version of the same language.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from crmlab.core.errors import ParameterError
from crmlab.core.i18n import t
from crmlab.core.notebook import format_figure
from crmlab.reports.page import document, local_time
from crmlab.reports.store import input_label, read_manifest, versions

Row = tuple[str, str, str, str]


def _shown(value: Any) -> str:
    return "–" if value is None else json.dumps(value, ensure_ascii=False, default=str)


def _input(entry: dict[str, str] | None) -> str:
    return input_label(entry) if entry else "–"


def compare(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Row]]:
    """The changed parameters, changed input files and all figures of two manifests, as display rows.

    Parameters and inputs: (name, old, new, ""); figures: (label, old, new, new - old) for every
    figure in either version (a figure missing on one side shows "–").
    """
    params_old, params_new = old.get("parameters", {}), new.get("parameters", {})
    parameters = [
        (name, _shown(params_old.get(name)), _shown(params_new.get(name)), "")
        for name in sorted(set(params_old) | set(params_new))
        if params_old.get(name) != params_new.get(name)
    ]
    inputs_old, inputs_new = old.get("inputs", {}), new.get("inputs", {})
    inputs = [
        (name, _input(inputs_old.get(name)), _input(inputs_new.get(name)), "")
        for name in sorted(set(inputs_old) | set(inputs_new))
        if inputs_old.get(name) != inputs_new.get(name)
    ]
    figures_old = {f["name"]: f for f in old.get("figures", [])}
    figures_new = {f["name"]: f for f in new.get("figures", [])}
    figures = []
    for name in [*figures_new, *(n for n in figures_old if n not in figures_new)]:
        before, after = figures_old.get(name), figures_new.get(name)
        label = str((after or before or {}).get("label") or name)
        delta = ""
        if before and after and _number(before["value"]) and _number(after["value"]):
            change = after["value"] - before["value"]
            if after.get("kind") == "percent":  # a change of a share is in percentage points, not percent
                delta = t("reports.diff.points", points=f"{100 * change:+.1f}")
            else:
                delta = format_figure({**after, "value": change}, signed=True)
        shown = [format_figure(f) if f else "–" for f in (before, after)]
        figures.append((label, shown[0], shown[1], delta))
    return {"parameters": parameters, "inputs": inputs, "figures": figures}


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def pick(
    reports: Path, name: str, a: str | None = None, b: str | None = None, lang: str | None = None
) -> tuple[Path, Path]:
    """The two version folders to compare, older first.

    ``a`` and ``b`` name versions (``"v0003"`` or ``"3"``); by default the two newest of one language
    (``lang``, else the newest version's); with ``a`` alone, ``a`` and the newest of its language.
    """
    folders = {p.name: p for p in (reports.iterdir() if reports.is_dir() else []) if p.is_dir()}
    matches = [n for n in folders if n == name] or [n for n in folders if n.startswith(name)]
    if len(matches) != 1:
        raise ParameterError(t("reports.diff.no_report", name=name, folder=str(reports)))
    found = versions(folders[matches[0]])
    named = {p.name: p for p in found}

    def version(text: str) -> Path:
        key = text if text.startswith("v") else f"v{int(text):04d}" if text.isdigit() else text
        if key not in named:
            raise ParameterError(t("reports.diff.no_version", name=matches[0], version=text, versions=", ".join(named)))
        return named[key]

    if a and b:
        return version(a), version(b)
    langs = {p: read_manifest(p).get("lang") for p in found}
    lang = langs[version(a)] if a else lang or (langs[found[-1]] if found else None)
    same = [p for p in found if langs[p] == lang]
    if a:
        newest = same[-1] if same[-1] != version(a) or len(same) < 2 else same[-2]
        return tuple(sorted((version(a), newest), key=found.index))  # type: ignore[return-value]
    if len(same) < 2:
        raise ParameterError(t("reports.diff.too_few", name=matches[0], lang=str(lang), n=len(same)))
    return same[-2], same[-1]


def diff_name(old: Path, new: Path) -> str:
    """The file name of the diff page of two versions, beside them: ``diff-v0001-v0002.html``."""
    return f"diff-{old.name}-{new.name}.html"


def _heading(old: Path, new: Path, manifests: tuple[dict[str, Any], dict[str, Any]], lang: str) -> str:
    stamps = [f"{p.name} ({local_time(m.get('started', ''))})" for p, m in zip((old, new), manifests, strict=True)]
    return t("reports.diff.title", lang, name=old.parent.name, old=stamps[0], new=stamps[1])


_HEADS = {"parameters": "parameter", "inputs": "file", "figures": "figure"}


def render_text(old: Path, new: Path, lang: str) -> str:
    """The comparison as plain text, for the terminal."""
    manifests = (read_manifest(old), read_manifest(new))
    lines = [_heading(old, new, manifests, lang)]
    for section, rows in compare(*manifests).items():
        lines += ["", t(f"reports.diff.{section}", lang)]
        if not rows:
            lines.append("  " + t("reports.diff.none", lang))
        for name, before, after, delta in rows:
            lines.append(f"  {name}: {before} → {after}" + (f" ({delta})" if delta else ""))
    return "\n".join(lines)


def render_html(old: Path, new: Path, lang: str) -> str:
    """The comparison as a self-contained page (links to both reader pages)."""
    manifests = (read_manifest(old), read_manifest(new))
    title = _heading(old, new, manifests, lang)
    links = " · ".join(f'<a href="{p.name}/reader.html">{p.name}</a>' for p in (old, new))
    body = [f"<h1>{html.escape(title)}</h1><p>{links}</p>"]
    head = [t(f"reports.diff.{h}", lang) for h in ("old", "new", "delta")]
    for section, rows in compare(*manifests).items():
        body.append(f"<h2>{html.escape(t(f'reports.diff.{section}', lang))}</h2>")
        if not rows:
            body.append(f"<p>{html.escape(t('reports.diff.none', lang))}</p>")
            continue
        first = t(f"reports.diff.{_HEADS[section]}", lang)
        cells = "".join(f"<th>{html.escape(h)}</th>" for h in [first, *head[: 3 if section == "figures" else 2]])
        body.append(f"<table><thead><tr>{cells}</tr></thead><tbody>")
        for row in rows:
            shown = row if section == "figures" else row[:3]
            tds = "".join(
                f"<td{' class=num' if i and section == 'figures' else ''}>{html.escape(c)}</td>"
                for i, c in enumerate(shown)
            )
            body.append(f"<tr>{tds}</tr>")
        body.append("</tbody></table>")
    return document(title, "\n".join(body), lang)


def write_diff(old: Path, new: Path, lang: str | None = None) -> Path:
    """Write the diff page of two versions of one report beside them and return its path."""
    lang = lang or read_manifest(new).get("lang", "en")
    target = old.parent / diff_name(old, new)
    target.write_text(render_html(old, new, lang), encoding="utf-8")
    return target
