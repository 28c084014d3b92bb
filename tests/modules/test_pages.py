"""Reading pages for anyone: every page in every language, the language gate, right to left,
404s, the language switcher, the helpline directory, caching and query counts."""

import re
import time

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from modules.services import content_retire, program_touch
from tests.factories import FIRST, PLAN, VALUES, WAVES, WELCOME, WHY, Course, course, refresh

LANGUAGES = [code for code, _name in settings.LANGUAGES]
PAGES = [
    "/{lang}/",
    "/{lang}/program/course/",
    "/{lang}/program/course/first/",
    "/{lang}/program/course/first/welcome/",
    "/{lang}/program/course/first/why/",
    "/{lang}/program/course/second/help/",
    "/{lang}/help/",
    "/{lang}/help/?country=FI",
]


@pytest.fixture
def translated(db: None) -> Course:
    """The course in English and Finnish, published in both."""
    return course(languages=("en", "fi"))


def _html_attributes(content: bytes) -> tuple[str, str]:
    match = re.search(rb'<html lang="([^"]+)" dir="([^"]+)">', content)
    assert match, "no <html lang dir>"
    return match.group(1).decode(), match.group(2).decode()


def _notice(language: str, name: str) -> str:
    with translation.override(language):
        notice = translation.gettext("This program is not yet available in %(language)s. It is shown in English.")
    assert notice != "This program is not yet available in %(language)s. It is shown in English."
    return notice % {"language": name}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.django_db
def test_every_page_renders_in_every_language(client: Client, translated: Course, language: str) -> None:
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
def test_landing_page_links_the_program_by_its_title(client: Client, translated: Course) -> None:
    html = client.get("/fi/").content.decode()

    assert '<a href="/fi/program/course/" lang="fi" dir="ltr">FI Finding a way</a>' in html


@pytest.mark.django_db
def test_step_page_shows_its_blocks_numbers_and_neighbours(client: Client, program: Course) -> None:
    html = client.get(program.step_url(WHY)).content.decode()

    assert "<h1>Why change?</h1>" in html
    assert "Step 2 of 4" in html
    assert 'name="importance" value="10" aria-describedby="scale-max-importance" disabled' in html
    assert "0 = Not at all" in html
    assert f'rel="prev" href="{program.step_url(WELCOME)}"' in html
    assert f'rel="next" href="{program.step_url(VALUES)}"' in html


@pytest.mark.django_db
def test_next_link_crosses_into_the_next_module(client: Client, program: Course) -> None:
    html = client.get(program.step_url(PLAN)).content.decode()

    assert f'rel="next" href="{program.step_url(WAVES)}"' in html


@pytest.mark.django_db
def test_markdown_of_a_block_is_rendered_and_sanitised(client: Client, program: Course) -> None:
    html = client.get(program.step_url(WELCOME)).content.decode()

    assert "You are <strong>welcome</strong> here." in html


@pytest.mark.django_db
def test_unpublished_language_falls_back_to_english_and_says_so_in_the_readers_language(client: Client) -> None:
    # given a course translated into Swedish but not published in it
    course(languages=("en", "sv"), published=("en",))

    html = client.get("/sv/program/course/first/welcome/").content.decode()

    assert _notice("sv", "svenska") in html
    assert '<article lang="en" dir="ltr">' in html
    assert "<h1>Welcome</h1>" in html
    assert "SV Welcome" not in html


@pytest.mark.django_db
def test_english_fallback_inside_arabic_pages_runs_left_to_right(client: Client, translated: Course) -> None:
    html = client.get("/ar/program/course/first/welcome/").content.decode()

    assert '<html lang="ar" dir="rtl">' in html
    assert '<article lang="en" dir="ltr">' in html


@pytest.mark.django_db
def test_published_language_shows_its_own_content_without_a_notice(client: Client, translated: Course) -> None:
    html = client.get("/fi/program/course/first/welcome/").content.decode()

    assert '<article lang="fi" dir="ltr">' in html
    assert "<h1>FI Welcome</h1>" in html
    assert "It is shown in English" not in html


@pytest.mark.parametrize(
    "url",
    [
        "/fi/program/nope/",
        "/fi/program/course/nope/",
        "/fi/program/course/first/nope/",
        "/fi/program/course/nope/welcome/",
        "/xx/program/course/",
    ],
)
@pytest.mark.django_db
def test_unknown_slug_or_language_is_a_404_page_in_the_readers_language(
    client: Client, program: Course, url: str
) -> None:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="fi")

    assert response.status_code == 404
    with translation.override("fi"):
        heading = translation.gettext("Page not found")
    assert heading != "Page not found"
    assert heading in response.content.decode()


@pytest.mark.django_db
def test_an_unpublished_program_is_a_404(client: Client, program: Course) -> None:
    program.program.is_published = False
    program.program.save(update_fields=["is_published"])

    assert client.get("/en/program/course/").status_code == 404
    assert client.get(program.step_url(WELCOME)).status_code == 404


@pytest.mark.django_db
def test_language_switcher_is_plain_links_to_the_same_page(client: Client, program: Course) -> None:
    html = client.get("/en/program/course/first/").content.decode()

    for code in LANGUAGES:
        assert f'<a lang="{code}" hreflang="{code}" href="/{code}/program/course/first/"' in html
    assert 'href="/ar/program/course/first/">العربيّة</a>' in html
    assert 'href="/en/program/course/first/" aria-current="page">English</a>' in html


@pytest.mark.django_db
def test_helpline_directory_filters_by_country_with_international_services_listed_too(
    client: Client, program: Course
) -> None:
    html = client.get("/en/help/?country=FI").content.decode()

    assert "Finnish line" in html
    assert "Line for everyone" in html
    assert "German line" not in html
    assert 'href="?country=DE"' in html
    assert "If you are about to act" in html


@pytest.mark.django_db
def test_unknown_country_shows_every_helpline(client: Client, program: Course) -> None:
    html = client.get("/en/help/?country=<script>").content.decode()

    assert "German line" in html
    assert "Finnish line" in html
    assert "<script>" not in html


# Query counts: cold (nothing cached) and warm (content cached, and the program lookup kept
# for PROGRAM_LOOKUP_SECONDS: no query at all). Cold: the program (1), its outline (program,
# modules, steps: 3) and, for a step, the step, its siblings, blocks and options (4). The
# language gate reads the program row: no query. The landing page lists programs (1); the
# helpline page reads the countries, the languages and the helplines, and counts the view
# in one upsert (4).
@pytest.mark.parametrize(
    ("url", "cold", "warm"),
    [
        ("/en/", 4, 1),
        ("/fi/program/course/", 4, 0),
        ("/fi/program/course/first/", 4, 0),
        ("/fi/program/course/first/welcome/", 8, 0),
        ("/en/help/", 4, 4),
    ],
)
@pytest.mark.django_db
def test_pages_make_a_fixed_number_of_queries(
    client: Client, translated: Course, django_assert_num_queries, url: str, cold: int, warm: int
) -> None:
    with django_assert_num_queries(cold):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(warm):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_publishing_a_change_shows_at_once_on_a_cached_step_page(client: Client, program: Course) -> None:
    url = program.step_url(WELCOME)
    assert "<h1>Welcome</h1>" in client.get(url).content.decode()
    type(program.steps[WELCOME]).objects.filter(pk=program.steps[WELCOME].pk).update(title_en="Welcome back")

    assert "<h1>Welcome</h1>" in client.get(url).content.decode(), "unpublished edits stay invisible"
    program_touch(program=program.program)

    assert "<h1>Welcome back</h1>" in client.get(url).content.decode()


@pytest.mark.django_db
def test_another_process_sees_a_publish_within_the_program_lookup_time(
    client: Client, program: Course, settings
) -> None:
    settings.PROGRAM_LOOKUP_SECONDS = 0.2
    url = program.step_url(WELCOME)
    assert "<h1>Welcome</h1>" in client.get(url).content.decode()
    # another web process publishes: the title and the version change in the database only
    type(program.steps[WELCOME]).objects.filter(pk=program.steps[WELCOME].pk).update(title_en="Welcome back")
    type(program.program).objects.filter(pk=program.program.pk).update(content_version=99)

    assert "<h1>Welcome</h1>" in client.get(url).content.decode(), "this process keeps its lookup a moment"
    time.sleep(0.3)

    assert "<h1>Welcome back</h1>" in client.get(url).content.decode()


@pytest.mark.django_db
def test_a_retired_step_is_gone_from_the_pages_and_the_numbers_close_up(client: Client, program: Course) -> None:
    content_retire(rows=[program.steps[WHY]])

    assert client.get(program.step_url(WHY)).status_code == 404
    module = client.get(f"/en/program/course/{FIRST}/").content.decode()
    assert "Why change?" not in module
    values = client.get(program.step_url(VALUES)).content.decode()
    assert "Step 2 of 3" in values
    assert f'rel="prev" href="{program.step_url(WELCOME)}"' in values
    assert refresh(program.steps[WHY]).retired_on is not None  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_cached_step_page_never_carries_one_readers_query_string_or_message_to_another(
    client: Client, program: Course
) -> None:
    url = program.step_url(WELCOME)
    waiting = Client()
    waiting.get("/en/me/")  # not signed in: sent to resume, and a message waits
    assert waiting.get(url + "?utm_source=marker&country=FI").status_code == 200  # renders, and caches, the page

    html = client.get(url).content.decode()

    assert "marker" not in html
    assert "country=FI" not in html
    assert "Resume with your codename, or start the program, to see this page." not in html


@pytest.mark.django_db
def test_helpline_language_links_keep_the_country(client: Client, program: Course) -> None:
    html = client.get("/en/help/?country=FI&other=marker").content.decode()

    assert 'href="/fi/help/?country=FI"' in html
    assert "marker" not in html
