"""Screenshots of the first screen of report pages (for docs/screenshots)."""

from __future__ import annotations

import struct

import pytest

from crmlab.core.errors import ParameterError
from crmlab.reports.screenshot import HEIGHT, WIDTH, main, take
from tests.conftest import zh_message

pytestmark = pytest.mark.slow


def test_first_screens_are_saved_as_pngs_of_the_screen_size(chromium, tmp_path):
    (tmp_path / "20-value").mkdir()
    (tmp_path / "index.html").write_text("<h1>index</h1>")
    (tmp_path / "20-value" / "latest-zh.html").write_text('<meta charset="utf-8"><h1>价值</h1>' + "<p>x</p>" * 300)
    pages = ["index.html", "20-value/latest-zh.html"]
    assert main(["--reports", str(tmp_path), "--out", str(tmp_path / "shots"), *pages]) == 0
    for name in ("index.png", "20-value-zh.png"):
        data = (tmp_path / "shots" / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", data[16:24]) == (WIDTH, HEIGHT)


def test_a_missing_page_is_named(tmp_path):
    message = zh_message(lambda: take(tmp_path, ["index.html"], tmp_path / "shots"), ParameterError)
    assert "index.html" in message
