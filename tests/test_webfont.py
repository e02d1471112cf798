"""Tests of lawgovkit.webfont: the report pages carry the CJK glyphs they use."""

from __future__ import annotations

import base64
import io
import re

import pytest
from fontTools.ttLib import TTFont

from lawgovkit.webfont import FAMILY, cjk_characters, embed_cjk_font, font_subset

# The shape of nbconvert's JupyterLab page: font stacks held in CSS custom properties.
PAGE = """<!DOCTYPE html><html><head><style>
:root {
  --jp-ui-font-family: system-ui, -apple-system, sans-serif;
  --jp-code-font-family: menlo, consolas, 'DejaVu Sans Mono', monospace;
}
</style></head><body><h1>02 · Theme framing (主题与表述)</h1>
<table><tr><td>江夏区 2022</td><td>行政复议、调解</td></tr></table></body></html>"""


def _embedded_font(page: str) -> TTFont:
    data = re.search(r"data:font/woff;base64,([A-Za-z0-9+/=]+)", page).group(1)
    return TTFont(io.BytesIO(base64.b64decode(data)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain ASCII only", ""),
        ("行政复议 and 行政", "复政行议"),
        ("全角:(一)、「」", "全角一、「」"),  # ASCII colon and brackets are not CJK
        ("（１）", "（）１"),
    ],
)
def test_cjk_characters(text, expected):
    assert cjk_characters(text) == "".join(sorted(expected))


def test_the_subset_holds_every_cjk_character_of_the_page_and_little_else():
    page = embed_cjk_font(PAGE)
    cmap = _embedded_font(page).getBestCmap()
    assert set(cjk_characters(PAGE)) <= {chr(c) for c in cmap}
    assert len(cmap) <= len(cjk_characters(PAGE)) + 5


def test_the_font_comes_first_in_every_stack():
    page = embed_cjk_font(PAGE)
    assert f"--jp-ui-font-family: {FAMILY}, system-ui, -apple-system, sans-serif;" in page
    assert f"--jp-code-font-family: {FAMILY}, menlo," in page
    assert page.index("@font-face") < page.index("</head>")
    assert page.replace(page[page.index("<style>\n@font-face") : page.index("</head>")], "") == PAGE


def test_pages_without_cjk_or_head_are_left_alone():
    assert embed_cjk_font("<html><head></head><body>ok</body></html>").count("@font-face") == 0
    assert embed_cjk_font("行政复议") == "行政复议"


def test_subset_is_deterministic():
    assert font_subset("法治政府") == font_subset("法治政府")
