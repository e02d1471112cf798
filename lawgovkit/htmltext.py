"""A saved web page → its main text (:func:`html_to_text`), for :mod:`lawgovkit.readers`.

Scripts, styles, menus, headers and footers are dropped; nothing is ever fetched. The page
is parsed by BeautifulSoup's ``html.parser`` and walked twice, each time once over every
element, without recursion: a page nested 100,000 levels deep takes as long as a flat one
of the same size (issue 22).
"""

from __future__ import annotations

import re

__all__ = ["html_to_text"]

# Never visible text.
_DROP_TAGS = (
    *("script", "style", "noscript", "template", "iframe", "object", "embed", "svg"),
    *("canvas", "head", "select", "button", "input", "textarea"),
)
# Usually page chrome, but some sites wrap the article in them (an article's <header>
# holds its title, ASP.NET pages put everything in one <form>): dropped only when they
# hold no heading and no sentence (see _holds_content).
_CHROME_TAGS = ("nav", "header", "footer", "aside", "form", "menu")
_BLOCK_TAGS = (
    *("address", "article", "blockquote", "body", "center", "dd", "details", "div", "dl"),
    *("dt", "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr"),
    *("li", "main", "ol", "p", "pre", "section", "summary", "table", "tbody", "td"),
    *("tfoot", "th", "thead", "tr", "ul"),
)
_CHROME_ATTR = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|breadcrumb|crumbs?|footer|foot|header|topbar|sidebar|"
    r"share|bdsharebuttonbox|copyright|banner)(?:$|[\s_-])",
    re.I,
)
_HTML_SPACE = re.compile(r"[ \t\r\n\f]+")
# A line break in the page source between two Chinese characters is layout, not a space.
_CJK_GAP = re.compile(
    r"(?<=[\u3000-\u9fff\uff00-\uffef])[ \t]*[\r\n][ \t\r\n]*(?=[\u3000-\u9fff\uff00-\uffef])"
)


def html_to_text(html: str) -> str:
    """The main text of an HTML page: one block (paragraph, list item, cell) per line.

    Scripts and styles are dropped; so are ``<nav>``/``<header>``/``<footer>``/``<aside>``
    elements and elements whose class or id names a menu, breadcrumb, share bar, header or
    footer, unless they hold a heading (h1-h3) or a sentence (an article's own header).
    Nothing is fetched: the page is parsed by BeautifulSoup's ``html.parser`` only. The
    page is walked twice, each time once over every element, without recursion, so a page
    nested a hundred thousand levels deep takes as long as a flat one of the same size.

    Parameters
    ----------
    html : str
        The page source.

    Returns
    -------
    str
        The visible text, blocks separated by ``\\n``.

    Examples
    --------
    >>> page = "<nav>首页 > 政务公开</nav><p>一、主要举措</p><script>x()</script><p>正文。</p>"
    >>> html_to_text(page)
    '一、主要举措\\n正文。'
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    try:
        visible = "".join(_visible_pieces(soup, _content_flags(soup), plain=False))
    finally:
        # the tree links every node to its parent and siblings: a web of reference cycles,
        # left for the cyclic collector to find unless taken apart here. The root's own
        # decompose() leaves its children linked (bs4 4.15): they go first.
        for child in list(soup.contents):
            child.decompose()
        soup.decompose()
    lines = (line.strip() for line in visible.replace("\u00a0", " ").split("\n"))
    return "\n".join(line for line in lines if line)


def _is_text(node) -> bool:
    """A string shown as text: not a comment, doctype, declaration or processing instruction."""
    from bs4 import CData, NavigableString

    return type(node) in (NavigableString, CData)


def _content_flags(soup) -> dict[int, bool]:
    """For every element (by ``id``), whether what it holds, scripts and styles left out,
    includes a heading h1-h3 or a full stop: one pass from the leaves up, no recursion."""
    from bs4 import Tag

    below: dict[int, bool] = {}  # the element itself is a heading, or holds content
    holds: dict[int, bool] = {}
    stack: list[tuple[Tag, bool]] = [(soup, False)]
    while stack:
        tag, visited = stack.pop()
        if not visited:
            stack.append((tag, True))
            stack.extend((c, False) for c in tag.contents if isinstance(c, Tag))
            continue
        found = False
        for child in tag.contents:
            if isinstance(child, Tag):
                found = found or below.pop(id(child), False)
            elif _is_text(child) and "。" in child:
                found = True
        if tag.name in _DROP_TAGS:
            found = False
        holds[id(tag)] = found
        below[id(tag)] = found or tag.name in ("h1", "h2", "h3")
    return holds


_NEWLINE = object()


def _visible_pieces(root, holds: dict[int, bool], *, plain: bool) -> list[str]:
    """The text pieces of ``root``'s visible content in document order; unless ``plain``
    (the inside of a ``<pre>``), with ``\\n`` for ``<br>`` and around block elements."""
    from bs4 import Tag

    pieces: list[str] = []
    stack: list = list(reversed(root.contents))
    while stack:
        node = stack.pop()
        if node is _NEWLINE:
            pieces.append("\n")
            continue
        if not isinstance(node, Tag):
            if _is_text(node):
                pieces.append(str(node) if plain else _collapse(str(node)))
            continue
        name = node.name
        if name in _DROP_TAGS or (_is_chrome(node) and not holds.get(id(node), False)):
            continue
        if plain:
            stack.extend(reversed(node.contents))
        elif name == "br":
            pieces.append("\n")
        elif name == "pre":
            inner = "".join(_visible_pieces(node, holds, plain=True))
            pieces.append(_collapse("\n" + inner.replace(" ", "\u00a0") + "\n"))
        elif name in _BLOCK_TAGS:
            stack.append(_NEWLINE)
            stack.extend(reversed(node.contents))
            stack.append(_NEWLINE)
        else:
            stack.extend(reversed(node.contents))
    return pieces


def _is_chrome(tag) -> bool:
    """A menu, header, footer...: by its name, or its class or id."""
    if tag.name in ("body", "html"):
        return False
    if tag.name in _CHROME_TAGS:
        return True
    names = " ".join([*tag.get("class", []), tag.get("id", "") or ""])
    return bool(names and _CHROME_ATTR.search(names))


def _collapse(text: str) -> str:
    return _HTML_SPACE.sub(" ", _CJK_GAP.sub("", text))
