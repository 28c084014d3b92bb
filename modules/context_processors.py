"""Template context every help-seeker page needs: the language switcher."""

from __future__ import annotations

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.http import HttpRequest
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

LANGUAGE_LINK_QUERY = "language_link_query"
CURRENT = ' aria-current="page"'
# (code, the link's opening up to the path, the link's closing), escaped once at start-up.
_LINKS = [
    (code, f'<li><a lang="{code}" hreflang="{code}" href="/{code}/', escape(LANG_INFO[code]["name_local"]))
    for code, _name in settings.LANGUAGES
]


def language_links(request: HttpRequest) -> dict[str, SafeString]:
    """Plain links to this page in every configured language, named in that language.

    Every help-seeker URL is ``/<language>/<rest>``, so the same page in another language
    is the same rest under another prefix; outside that shape, each language's start page.
    Built as one string: it is on every page, and a template loop costs more than the view.
    """
    current = get_language()
    prefix = f"/{current}/"
    rest = request.path[len(prefix) :] if request.path.startswith(prefix) else ""
    # A view that filters by a parameter says which query the other languages keep
    # (``LANGUAGE_LINK_QUERY``); nothing else from the address travels, so a page cached
    # whole never carries one reader's query string to the next.
    query = getattr(request, LANGUAGE_LINK_QUERY, "")
    suffix = f"{rest}?{query}" if query and rest else rest
    path = escape(suffix)
    items = "".join(
        f'{opening}{path}"{CURRENT if code == current else ""}>{name}</a></li>' for code, opening, name in _LINKS
    )
    return {"language_links": mark_safe(items)}  # noqa: S308 - every part is escaped above
