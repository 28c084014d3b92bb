"""Help-seeker reading pages: every page in every language, fallback, RTL, 404s, query counts."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from modules.models import Program

LANGUAGES = [code for code, _name in settings.LANGUAGES]
PAGES = [
    "/{lang}/",
    "/{lang}/program/sample/",
    "/{lang}/program/sample/getting-started/",
    "/{lang}/program/sample/getting-started/welcome/",
    "/{lang}/program/sample/feelings-that-drive-use/meeting-my-needs/",
    "/{lang}/program/sample/urges-and-risky-situations/a-line-not-to-cross/",
    "/{lang}/help/",
    "/{lang}/help/?country=FI",
]


def _html_attributes(content: bytes) -> tuple[str, str]:
    match = re.search(rb'<html lang="([^"]+)" dir="([^"]+)">', content)
    assert match, "no <html lang dir>"
    return match.group(1).decode(), match.group(2).decode()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.django_db
def test_every_page_renders_in_every_language(client: Client, sample_program: Program, language: str) -> None:
    for page in PAGES:
        response = client.get(page.format(lang=language))

        assert response.status_code == 200, page
        lang, direction = _html_attributes(response.content)
        assert lang == language
        assert direction == ("rtl" if language == "ar" else "ltr")
        assert b"<script" not in response.content
        assert b'src="http' not in response.content
        assert b'href="http' not in response.content.replace(b'<a href="http', b"")  # no remote stylesheets


@pytest.mark.django_db
def test_landing_page_links_the_program_by_its_title(client: Client, sample_program: Program) -> None:
    html = client.get("/fi/").content.decode()

    assert '<a href="/fi/program/sample/" lang="fi">' in html
    assert '<a href="/fi/program/sample/" lang="fi"></a>' not in html


@pytest.mark.django_db
def test_step_page_shows_blocks_every_exercise_kind_and_neighbours(client: Client, sample_program: Program) -> None:
    response = client.get("/en/program/sample/the-harm-is-real/cannot-control-it/")

    html = response.content.decode()
    assert "<h1>&quot;I cannot control it&quot;</h1>" in html
    assert 'type="radio" name="contact-with-users" value="want-to-leave"' in html
    assert 'name="leaving-step"' in html
    assert 'rel="prev" href="/en/program/sample/the-harm-is-real/not-real-only-looking/"' in html
    assert 'rel="next" href="/en/program/sample/the-harm-is-real/answering-the-excuses/"' in html
    assert "Step 4 of 5" in html


@pytest.mark.django_db
def test_next_link_crosses_into_the_next_module(client: Client, sample_program: Program) -> None:
    html = client.get("/en/program/sample/getting-started/this-program/").content.decode()

    assert 'rel="next" href="/en/program/sample/understanding-my-use/patterns/"' in html


@pytest.mark.django_db
def test_incomplete_language_falls_back_to_english_and_says_so_in_the_readers_language(
    client: Client, sample_program: Program
) -> None:
    # Swedish has a full interface catalogue but no translation of the sample program.
    response = client.get("/sv/program/sample/getting-started/welcome/")

    html = response.content.decode()
    with translation.override("sv"):
        notice = translation.gettext("This program is not yet available in %(language)s. It is shown in English.")
    assert notice != "This program is not yet available in %(language)s. It is shown in English."
    assert notice % {"language": "svenska"} in html
    assert '<article lang="en" dir="ltr">' in html
    assert "<h1>Welcome</h1>" in html


@pytest.mark.django_db
def test_english_fallback_inside_arabic_pages_runs_left_to_right(client: Client, sample_program: Program) -> None:
    html = client.get("/ar/program/sample/getting-started/welcome/").content.decode()

    assert '<html lang="ar" dir="rtl">' in html
    assert '<article lang="en" dir="ltr">' in html


@pytest.mark.django_db
def test_complete_language_shows_its_own_content_without_a_notice(client: Client, sample_program: Program) -> None:
    response = client.get("/fi/program/sample/getting-started/welcome/")

    html = response.content.decode()
    assert '<article lang="fi" dir="ltr">' in html
    assert "<h1>Welcome</h1>" not in html
    assert "It is shown in English" not in html


@pytest.mark.parametrize(
    "url",
    [
        "/fi/program/nope/",
        "/fi/program/sample/nope/",
        "/fi/program/sample/getting-started/nope/",
        "/fi/program/sample/nope/welcome/",
        "/xx/program/sample/",
    ],
)
@pytest.mark.django_db
def test_unknown_slug_or_language_is_a_404_page_in_the_readers_language(
    client: Client, sample_program: Program, url: str
) -> None:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="fi")

    assert response.status_code == 404
    with translation.override("fi"):
        heading = translation.gettext("Page not found")
    assert heading != "Page not found"
    assert heading in response.content.decode()


@pytest.mark.django_db
def test_language_switcher_is_plain_links_to_the_same_page(client: Client, sample_program: Program) -> None:
    html = client.get("/en/program/sample/getting-started/").content.decode()

    for code in LANGUAGES:
        assert f'<a lang="{code}" hreflang="{code}" href="/{code}/program/sample/getting-started/"' in html
    assert 'href="/ar/program/sample/getting-started/">العربيّة</a>' in html
    assert 'href="/en/program/sample/getting-started/" aria-current="page">English</a>' in html


@pytest.mark.django_db
def test_helpline_directory_filters_by_country_with_international_services_listed_too(
    client: Client, sample_program: Program
) -> None:
    html = client.get("/en/help/?country=FI").content.decode()

    assert "Suojellaan Lapsia" in html
    assert "Troubled Desire" in html
    assert "Kein Täter werden" not in html
    assert 'href="?country=DE"' in html
    assert "Sample directory" in html
    assert "If you are about to act" in html


@pytest.mark.django_db
def test_unknown_country_shows_every_helpline(client: Client, sample_program: Program) -> None:
    html = client.get("/en/help/?country=<script>").content.decode()

    assert "Kein Täter werden" in html
    assert "Suojellaan Lapsia" in html
    assert "<script>" not in html


# Query counts: cold (nothing cached: one aggregate per content model for the language
# check, then the content) and warm (content cached, only the program lookup).
@pytest.mark.parametrize(
    ("url", "cold", "warm"),
    [
        ("/en/", 14, 1),
        ("/fi/program/sample/", 14, 1),
        ("/fi/program/sample/getting-started/", 14, 1),
        ("/fi/program/sample/getting-started/welcome/", 17, 1),
        ("/en/help/", 2, 2),
    ],
)
@pytest.mark.django_db
def test_pages_make_a_fixed_number_of_queries(
    client: Client, sample_program: Program, django_assert_num_queries, url: str, cold: int, warm: int
) -> None:
    with django_assert_num_queries(cold):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(warm):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_publishing_a_change_shows_at_once_on_a_cached_step_page(client: Client, sample_program: Program) -> None:
    from modules.models import Step
    from modules.services import program_touch

    url = "/en/program/sample/getting-started/welcome/"
    assert "<h1>Welcome</h1>" in client.get(url).content.decode()
    Step.objects.filter(module__program=sample_program, slug="welcome").update(title_en="Welcome back")

    assert "<h1>Welcome</h1>" in client.get(url).content.decode(), "unpublished edits stay invisible"
    program_touch(program=sample_program)

    assert "<h1>Welcome back</h1>" in client.get(url).content.decode()


@pytest.mark.django_db
def test_cached_step_page_never_carries_one_readers_query_string_to_another(
    client: Client, sample_program: Program
) -> None:
    url = "/en/program/sample/getting-started/welcome/"
    client.get(url + "?utm_source=marker&country=FI")

    html = client.get(url).content.decode()

    assert "marker" not in html
    assert "country=FI" not in html


@pytest.mark.django_db
def test_helpline_language_links_keep_the_country(client: Client, sample_program: Program) -> None:
    html = client.get("/en/help/?country=FI&other=marker").content.decode()

    assert 'href="/fi/help/?country=FI"' in html
    assert "marker" not in html
