"""The small pages the runner writes beside the reports (index, diffs): one stylesheet, local times."""

from __future__ import annotations

import html
from datetime import datetime

STYLE = """
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", -apple-system,
       "Segoe UI", Roboto, sans-serif; color: #1f2933; margin: 0; background: #fafbfc; }
main { max-width: 1200px; margin: 0 auto; padding: 1em 2em 3em; background: #fff; }
table { border-collapse: collapse; width: 100%; font-size: 14px; margin: .5em 0 1.2em; }
th, td { border-bottom: 1px solid #d9e2ec; padding: .45em .6em; text-align: left; vertical-align: top;
         overflow-wrap: break-word; }
th { background: #f0f4f8; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.ok { color: #1e7b34; font-weight: bold; } .failed { color: #c0392b; font-weight: bold; }
.figures { margin: 0; padding-left: 1.1em; } .error { color: #7b1d14; font-size: 13px; }
.muted { color: #627d98; font-size: 13px; } h2 { margin-top: 1.6em; border-bottom: 1px solid #d9e2ec; }
section.failed-runs { opacity: .85; } code { overflow-wrap: anywhere; }
"""


def local_time(iso: str) -> str:
    """An ISO timestamp (as the manifests hold it, UTC) in this machine's local time, to the minute.

    >>> local_time("") == ""
    True
    """
    if not iso:
        return ""
    stamp = datetime.fromisoformat(iso).astimezone()
    return stamp.strftime("%Y-%m-%d %H:%M ") + (stamp.tzname() or "")


def document(title: str, body: str, lang: str = "en") -> str:
    """A complete, self-contained HTML page."""
    code = "zh-CN" if lang == "zh" else lang
    return (
        f'<!DOCTYPE html>\n<html lang="{code}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )
