"""HTML export of an executed notebook, in-process with nbconvert.

Two files per report:

- ``full.html``: code and outputs, for researchers and teachers (JupyterLab look);
- ``reader.html``: no code, for stakeholders. Right after the title: the run header (analysis, local
  date and time, version, data set and fingerprint, status, language), the summary (the figures
  recorded with ``headline=True`` as boxes, each with its sentence of meaning, then the actions of
  `crmlab.recommend`), and the contents (a sidebar that stays in view on wide screens, left out in
  print). A failing cell keeps its code so the reader sees what broke. Cells tagged ``researcher``
  (instructions for whoever edits the notebook) and the parameters cells are left out.

Both carry the report's title (its first heading, in the report language) as ``<title>``, drop the
markdown cells tagged with the other language, embed every image, and load nothing from the network
(the templates remove the MathJax, require.js and mermaid script tags). The version number is not
known until the runner publishes the folder: the header holds a `VERSION_SLOT` that
`crmlab.reports.store.publish` fills in just before it renames the folder into place.
"""

from __future__ import annotations

import copy
import html
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import nbformat
from nbconvert import HTMLExporter

from crmlab.core.i18n import LANGS, t
from crmlab.core.notebook import RECOMMEND_MIME, RECORD_MIME, format_figure
from crmlab.reports.page import local_time
from crmlab.reports.store import VERSION_SLOT, data_label

#: Cells the reader page leaves out: the parameters and instructions for researchers.
_HIDDEN_IN_READER = {"parameters", "injected-parameters", "researcher"}
#: The most key-figure boxes the summary shows.
MAX_HEADLINES = 5
_TITLE = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.M)
_HEADING = re.compile(r'<h([1-3]) id="([^"]+)">(.*?)(?:<a class="anchor-link"[^>]*>.*?</a>)?</h\1>', re.S)
_LANG_CODE = {"en": "en", "zh": "zh-CN"}


def _tags(cell: nbformat.NotebookNode) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def for_language(nb: nbformat.NotebookNode, lang: str) -> nbformat.NotebookNode:
    """A copy of ``nb`` without the cells tagged with another language."""
    others = set(LANGS) - {lang}
    out = copy.deepcopy(nb)
    out.cells = [c for c in out.cells if not (_tags(c) & others)]
    return out


def _has_error(cell: nbformat.NotebookNode) -> bool:
    return any(o.get("output_type") == "error" for o in cell.get("outputs", []))


def for_reader(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` for stakeholders: code hidden (except a failing cell), no warnings on stderr."""
    out = copy.deepcopy(nb)
    out.cells = [c for c in out.cells if not (_tags(c) & _HIDDEN_IN_READER)]
    for cell in out.cells:
        if cell.cell_type != "code":
            continue
        if not _has_error(cell):
            cell.metadata.setdefault("transient", {})["remove_source"] = True
        cell.outputs = [o for o in cell.outputs if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    return out


def _strip_tags(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def table_of_contents(body: str, lang: str) -> str:
    """A nested list of links to the h1-h3 headings of an exported page."""
    items = [(int(level), anchor, _strip_tags(title)) for level, anchor, title in _HEADING.findall(body)]
    if not items:
        return ""
    lines = [f'<nav class="crmlab-toc"><b>{html.escape(t("reports.contents", lang))}</b><ul>']
    for level, anchor, title in items:
        indent = "&nbsp;" * 4 * (level - 1)
        lines.append(f'<li style="list-style:none">{indent}<a href="#{anchor}">{html.escape(title)}</a></li>')
    lines.append("</ul></nav>")
    return "\n".join(lines)


def report_title(nb: nbformat.NotebookNode) -> str:
    """The report's title: the first level-1 heading of its (language-filtered) markdown, without markup."""
    for cell in nb.cells:
        if cell.cell_type == "markdown" and (found := _TITLE.search(cell.source)):
            return re.sub(r"[*_`]|\[([^\]]*)\]\([^)]*\)", r"\1", found[1]).strip()
    return ""


def run_header(manifest: dict[str, Any], title: str) -> str:
    """The line under the title: analysis, local start time, version, data, status and language."""
    lang = manifest["lang"]
    items = [
        ("analysis", f"{title} ({manifest.get('notebook', '')})" if title else manifest.get("notebook", "")),
        ("started", local_time(manifest.get("started", ""))),
        ("version", VERSION_SLOT),
        ("data", data_label(manifest) or t("reports.header.no_data", lang)),
        ("status", t(f"reports.header.{manifest.get('status', 'ok')}", lang)),
        ("language", t(f"reports.header.{lang}", lang)),
    ]
    cells = "".join(
        f"<span><b>{html.escape(t(f'reports.header.{key}', lang))}</b> "
        f"{value if key == 'version' else html.escape(str(value))}</span>"
        for key, value in items
    )
    return f'<div class="crmlab-run">{cells}</div>'


def _outputs(nb: nbformat.NotebookNode, mime: str) -> list[dict[str, Any]]:
    return [o["data"][mime] for c in nb.cells for o in c.get("outputs", []) if mime in o.get("data", {})]


def summary_box(nb: nbformat.NotebookNode, lang: str) -> str:
    """The key figures recorded with ``headline=True`` (at most `MAX_HEADLINES`) and the recommended actions.

    Empty when the notebook recorded neither (a notebook that has not adopted the summary).
    """
    figures = [f for f in _outputs(nb, RECORD_MIME) if f.get("headline")][:MAX_HEADLINES]
    actions = [a["action"] for a in _outputs(nb, RECOMMEND_MIME)]
    if not figures and not actions:
        return ""
    boxes = "".join(
        f'<div class="crmlab-figure"><div class="crmlab-label">{html.escape(str(f["label"]))}</div>'
        f'<div class="crmlab-value">{html.escape(format_figure(f))}</div>'
        f"<p>{html.escape(f.get('meaning') or '')}</p></div>"
        for f in figures
    )
    parts = [
        f'<section class="crmlab-summary"><h2 id="crmlab-summary">{html.escape(t("reports.at_a_glance", lang))}</h2>'
    ]
    parts.append(f'<div class="crmlab-figures">{boxes}</div>' if boxes else "")
    if actions:
        items = "".join(f"<li>{html.escape(a)}</li>" for a in actions)
        parts.append(f'<h3>{html.escape(t("reports.recommended", lang))}</h3><ul class="crmlab-actions">{items}</ul>')
    return "".join(parts) + "</section>"


def _insert_after_title(body: str, fragment: str) -> str:
    """``fragment`` right after the page's first ``<h1>`` (else at the top of ``<main>``)."""
    end = body.find("</h1>")
    return body[: end + 5] + "\n" + fragment + body[end + 5 :] if end >= 0 else _insert_after_main(body, fragment)


def _banner(message: str | None, kind: str = "failed") -> str:
    return f'<div class="crmlab-banner {kind}">{html.escape(message)}</div>' if message else ""


def _insert_after_main(body: str, fragment: str) -> str:
    return body.replace("<main>", "<main>\n" + fragment, 1) if fragment else body


@cache
def _exporter(template: str, lang: str) -> HTMLExporter:
    folder = str(resources.files("crmlab.reports") / "templates")
    exporter = HTMLExporter(template_name=template, extra_template_basedirs=[folder], embed_images=True)
    exporter.language_code = _LANG_CODE[lang]
    return exporter


def export_html(
    nb: nbformat.NotebookNode,
    folder: Path,
    *,
    lang: str,
    failure: str | None = None,
    note: str | None = None,
    manifest: dict[str, Any] | None = None,
) -> dict[str, str]:
    """Write ``full.html`` and ``reader.html`` for an executed notebook; return their file names.

    ``failure`` is a one-line description of the failure, and ``note`` a sentence every reader must see
    (e.g. that ids are pseudonymised); both are shown as banners at the top of both pages. ``manifest``
    (the runner's) gives the run header.
    """
    localized = for_language(nb, lang)
    title = report_title(localized)
    if title:
        localized.metadata["title"] = title
    full, _ = _exporter("crmlab", lang).from_notebook_node(localized)
    reader, _ = _exporter("crmlab_reader", lang).from_notebook_node(for_reader(localized))
    banners = _banner(failure) + _banner(note, "note")
    header = run_header(manifest, title) if manifest else ""
    contents = table_of_contents(reader, lang)
    reader = _insert_after_title(reader, header + banners + summary_box(localized, lang) + contents)
    full = _insert_after_main(full, header + banners)
    (folder / "full.html").write_text(full, encoding="utf-8")
    (folder / "reader.html").write_text(reader, encoding="utf-8")
    return {"full_html": "full.html", "reader_html": "reader.html"}
