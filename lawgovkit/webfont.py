"""The bundled CJK font as a web font, so the report's HTML pages show Chinese everywhere.

The figures draw their Chinese with the Noto Sans CJK font that ships with lawgovkit (the
``noto-cjk-sans-otc`` package, SIL Open Font License), but an HTML page's own text is drawn
with the reader's fonts, and a machine without any CJK font shows boxes. :func:`embed_cjk_font`
adds to a page a subset of the bundled font holding just the CJK characters the page uses (a
few dozen kilobytes), as a ``data:`` URL, and puts it first in the page's font stacks. The
subset holds no Western glyph, so Latin text falls through to the page's own fonts; putting
it first rather than last keeps browsers from drawing boxes where their fallback search
stops early (seen in Chromium on a machine without CJK fonts).
"""

from __future__ import annotations

import base64
import io
import re
from functools import cache
from typing import Any

__all__ = ["FAMILY", "cjk_characters", "embed_cjk_font", "font_subset"]

#: The font-family name the embedded subset is given in the page's CSS.
FAMILY = '"lawgovkit CJK"'
#: The face of the bundled collection that is embedded (simplified-Chinese glyph forms).
FACE = "Noto Sans CJK SC"
#: Characters from CJK Radicals (U+2E80) upwards: CJK punctuation, kana, ideographs,
#: full-width forms. Western text below it is left to the page's own fonts.
_FIRST_CJK = 0x2E80
#: CSS custom properties of nbconvert's JupyterLab theme that hold font stacks.
_STACK = re.compile(r"(--jp-[a-z0-9-]*font-family)\s*:\s*([^;}]+)[;}]")


def cjk_characters(text: str) -> str:
    """The distinct CJK characters of ``text``, sorted.

    Examples
    --------
    >>> cjk_characters("行政复议 review 复议,率")
    '复政率行议'
    """
    return "".join(sorted({c for c in text if ord(c) >= _FIRST_CJK}))


@cache
def _face_number() -> int:
    import noto_cjk_sans_otc
    from fontTools.ttLib import TTCollection

    with TTCollection(str(noto_cjk_sans_otc.FONT_PATH), lazy=True) as collection:
        for number, font in enumerate(collection.fonts):
            if font["name"].getDebugName(1) == FACE:
                return number
    raise LookupError(f"{FACE} is not in {noto_cjk_sans_otc.FONT_PATH}")  # pragma: no cover


def font_subset(characters: str) -> bytes:
    """The bundled font cut down to ``characters``, as WOFF bytes.

    Examples
    --------
    >>> from fontTools.ttLib import TTFont
    >>> font = TTFont(io.BytesIO(font_subset("法治")))
    >>> sorted(chr(c) for c in font.getBestCmap())
    ['治', '法']
    """
    import noto_cjk_sans_otc
    from fontTools.ttLib import TTFont

    path = str(noto_cjk_sans_otc.FONT_PATH)
    with TTFont(path, fontNumber=_face_number(), recalcTimestamp=False) as font:
        return _subset(font, characters)


def _subset(font: Any, characters: str) -> bytes:
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = []
    options.hinting = False
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]  # keep the copyright and licence notice names
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in characters])
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def embed_cjk_font(page: str) -> str:
    """``page`` with the bundled font's subset for its CJK characters embedded.

    The subset is declared as ``@font-face`` :data:`FAMILY` and put first in every
    JupyterLab font stack of the page (``--jp-…-font-family``); a page with a font stack of
    its own names :data:`FAMILY` in it.
    A page without CJK text, or without a ``</head>``, is returned unchanged.

    Examples
    --------
    >>> page = "<html><head></head><body>行政复议</body></html>"
    >>> "@font-face" in embed_cjk_font(page), embed_cjk_font("<head></head>ok") == "<head></head>ok"
    (True, True)
    """
    characters = cjk_characters(page)
    if not characters or "</head>" not in page:
        return page
    data = base64.b64encode(font_subset(characters)).decode("ascii")
    stacks = dict(_STACK.findall(page))
    overrides = "".join(f"\n  {name}: {FAMILY}, {value.strip()};" for name, value in stacks.items())
    style = (
        "<style>\n"
        f"@font-face {{ font-family: {FAMILY}; "
        f'src: url(data:font/woff;base64,{data}) format("woff"); }}\n'
        f":root {{{overrides}\n}}\n"
        "</style>\n"
    )
    head, tail = page.rsplit("</head>", 1)
    return f"{head}{style}</head>{tail}"
