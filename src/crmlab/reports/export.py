"""HTML export of an executed notebook, in-process with nbconvert.

Two files per report:

- ``full.html``: code and outputs, for researchers and teachers (JupyterLab look);
- ``reader.html``: no code, a table of contents, a small stylesheet, for stakeholders. A failing cell
  keeps its code so the reader sees what broke.

Both drop the markdown cells tagged with the other language, embed every image, and load nothing from
the network (the templates remove the MathJax, require.js and mermaid script tags).
"""

from __future__ import annotations

import copy
import html
import re
from functools import cache
from importlib import resources
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

from crmlab.core.i18n import LANGS, t

_HIDDEN_IN_READER = {"parameters", "injected-parameters"}
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
    nb: nbformat.NotebookNode, folder: Path, *, lang: str, failure: str | None = None, note: str | None = None
) -> dict[str, str]:
    """Write ``full.html`` and ``reader.html`` for an executed notebook; return their file names.

    ``failure`` is a one-line description of the failure, and ``note`` a sentence every reader must see
    (e.g. that ids are pseudonymised); both are shown as banners at the top of both pages.
    """
    localized = for_language(nb, lang)
    full, _ = _exporter("crmlab", lang).from_notebook_node(localized)
    reader, _ = _exporter("crmlab_reader", lang).from_notebook_node(for_reader(localized))
    banners = _banner(failure) + _banner(note, "note")
    reader = _insert_after_main(reader, banners + table_of_contents(reader, lang))
    full = _insert_after_main(full, banners)
    (folder / "full.html").write_text(full, encoding="utf-8")
    (folder / "reader.html").write_text(reader, encoding="utf-8")
    return {"full_html": "full.html", "reader_html": "reader.html"}
