"""Markdown for content: rendered by markdown-it-py, then sanitised by nh3 with an allow-list.

Raw HTML in Markdown is escaped by the parser (``html`` off), and nh3 then removes anything
outside the allow-list as a second line of defence: no scripts, iframes, SVG, styles, event
handlers, ``javascript:`` or ``data:`` URLs, and no images from other origins. Links to other
sites open with ``rel="noopener noreferrer"``.
"""

from __future__ import annotations

from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "blockquote", "ul", "ol", "li",
    "a", "code", "pre", "img", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "rel"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
EXTERNAL_REL = "noopener noreferrer"


def _is_external(url: str) -> bool:
    return url.startswith(("http://", "https://", "//"))


def _same_origin_path(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//")


def _link_open(
    self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:  # pragma: no cover - exercised through render_markdown
    token = tokens[idx]
    if _is_external(str(token.attrGet("href") or "")):
        token.attrSet("rel", EXTERNAL_REL)
    return self.renderToken(tokens, idx, options, env)


_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
_parser.add_render_rule("link_open", _link_open)


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if _same_origin_path(value) else None
    if tag == "a" and attribute == "rel":
        # Only the parser's own rel survives; anything else is dropped.
        return value if value == EXTERNAL_REL else None
    return value


def sanitise_html(html: str) -> str:
    """Clean HTML with the content allow-list."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        attribute_filter=_filter_attribute,
        link_rel=None,
        strip_comments=True,
    )


def render_markdown(text: str, **_: Any) -> str:
    """Render Markdown to sanitised HTML, safe to mark safe in a template."""
    return sanitise_html(_parser.render(text or ""))
