"""Markdown is rendered and sanitised: hostile input never reaches a page as markup."""

from html.parser import HTMLParser

import pytest

from modules.markdown import ALLOWED_TAGS, render_markdown, sanitise_html


class _Elements(HTMLParser):
    """Collect the real elements and attributes of rendered HTML (escaped text is not markup)."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))


def elements(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Elements()
    parser.feed(html)
    return parser.elements


def assert_safe(html: str) -> None:
    for tag, attributes in elements(html):
        assert tag in ALLOWED_TAGS, html
        for name, value in attributes.items():
            assert not name.startswith("on"), html
            assert name != "style", html
            assert not value.strip().lower().startswith(("javascript:", "data:", "vbscript:")), html
        if tag == "img":
            source = attributes.get("src", "/")
            assert source.startswith("/"), html
            assert not source.startswith("//"), html


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "<iframe src='https://evil.example/'></iframe>",
        "<svg onload=alert(1)><circle/></svg>",
        '<p style="position:fixed">x</p>',
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[data](data:text/html;base64,PHNjcmlwdD4=)",
        "![pixel](https://tracker.example/pixel.png)",
        "![pixel](//tracker.example/pixel.png)",
        '<object data="x"></object><embed src="x">',
        "<form action='https://evil.example'><input></form>",
        '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    ],
)
def test_hostile_markdown_is_never_rendered_as_markup(hostile: str) -> None:
    html = render_markdown(hostile)

    assert_safe(html)
    assert "<script" not in html


@pytest.mark.parametrize(
    ("hostile", "forbidden"),
    [
        ("<script>alert(1)</script><p>ok</p>", "<script"),
        ('<iframe src="https://evil.example"></iframe>', "<iframe"),
        ("<svg><circle/></svg>", "<svg"),
        ('<p style="color:red" onclick="x()">t</p>', "style="),
        ('<p onclick="x()">t</p>', "onclick"),
        ('<a href="javascript:alert(1)">x</a>', "javascript:"),
        ('<a href="data:text/html,x">x</a>', "data:"),
        ('<img src="https://evil.example/x.png">', "evil.example"),
        ('<a href="https://x.example" rel="opener">x</a>', "opener"),
    ],
)
def test_sanitiser_removes_hostile_html_even_when_the_parser_lets_it_through(hostile: str, forbidden: str) -> None:
    html = sanitise_html(hostile)

    assert_safe(html)
    assert forbidden not in html.lower()


def test_links_to_other_sites_get_noopener_noreferrer() -> None:
    html = render_markdown("[help](https://help.example/) and [step](/en/program/sample/)")

    assert '<a href="https://help.example/" rel="noopener noreferrer">help</a>' in html
    assert '<a href="/en/program/sample/">step</a>' in html


def test_same_origin_images_and_ordinary_markdown_survive() -> None:
    html = render_markdown(
        "## Title\n\n**bold** *em*\n\n- a\n- b\n\n![chart](/static/chart.png)\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )

    for expected in (
        "<h2>Title</h2>",
        "<strong>bold</strong>",
        "<em>em</em>",
        "<li>a</li>",
        '<img src="/static/chart.png"',
        "<table>",
        "<td>1</td>",
    ):
        assert expected in html


def test_raw_html_in_markdown_is_shown_as_text() -> None:
    assert render_markdown("<b>hi</b>") == "<p>&lt;b&gt;hi&lt;/b&gt;</p>\n"
