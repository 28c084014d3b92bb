"""A helpline page people can use: names in their language, every way of contact labelled,
onion addresses first on the onion site, filters by country and language, crisis lines
marked and first, unverified entries flagged."""

import pytest
from django.test import Client

from tests.factories import Course, HelplineFactory


@pytest.fixture
def every_way(db: None) -> None:
    HelplineFactory(
        slug="every-way",
        country="SE",
        languages=["sv", "en"],
        name_en="Every way line",
        website="https://every.example.org/",
        onion_url="http://everywayexampleonionaddressxxxxxxxxxxxxxxxxxxxxxxxx.onion/",
        phone="+46 20 123 456",
        chat_url="https://every.example.org/chat",
        email="help@every.example.org",
        opening_hours_en="Mon–Fri 9–17",  # noqa: RUF001
        is_sample=True,
    )
    HelplineFactory(slug="despair-line", country="", languages=["en"], kind="crisis", name_en="Despair line",
                    is_sample=False)  # fmt: skip


@pytest.mark.django_db
def test_countries_and_languages_are_named_in_the_readers_language(client: Client, program: Course) -> None:
    english = client.get("/en/help/").content.decode()
    finnish = client.get("/fi/help/").content.decode()

    assert ">Finland</a>" in english
    assert ">Germany</a>" in english
    assert ">Suomi</a>" in finnish
    assert ">Saksa</a>" in finnish
    assert "Languages: Finnish, English" in english
    assert "?country=FI" in english
    assert ">FI<" not in english


@pytest.mark.django_db
def test_every_way_of_contact_is_labelled_and_unverified_entries_are_flagged(client: Client, every_way: None) -> None:
    html = client.get("/en/help/?country=SE").content.decode()
    entry = html.split("Every way line")[1].split("</article>")[0]

    assert 'Website: <a href="https://every.example.org/"' in entry
    assert "Onion address (Tor): <a" in entry
    assert 'Phone: <a href="tel:+4620123456">' in entry
    assert 'Chat: <a href="https://every.example.org/chat"' in entry
    assert 'E-mail: <a href="mailto:help@every.example.org">' in entry
    assert "Opening hours:" in entry
    assert "Not yet checked by the people who run this service." in entry
    assert entry.index("Website:") < entry.index("Onion address (Tor):")


@pytest.mark.django_db
def test_on_the_onion_site_onion_addresses_come_first(client: Client, every_way: None, settings) -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "examplehiddenservice.onion"]

    html = client.get("/en/help/?country=SE", HTTP_HOST="examplehiddenservice.onion").content.decode()
    entry = html.split("Every way line")[1].split("</article>")[0]

    assert entry.index("Onion address (Tor):") < entry.index("Website:")


@pytest.mark.django_db
def test_crisis_lines_are_marked_and_come_first(client: Client, program: Course, every_way: None) -> None:
    html = client.get("/en/help/").content.decode()

    assert html.index("Despair line") < html.index("Finnish line")
    crisis = html.split("Despair line")[1].split("</article>")[0]
    assert "Crisis line" in crisis
    assert "Not yet checked" not in crisis


@pytest.mark.django_db
def test_filters_by_country_and_language_keep_each_other(client: Client, program: Course, every_way: None) -> None:
    swedish = client.get("/en/help/?language=sv").content.decode()
    finnish_in_finland = client.get("/en/help/?country=FI&language=fi").content.decode()

    assert "Every way line" in swedish
    assert "Finnish line" not in swedish
    assert "Finnish line" in finnish_in_finland
    assert "Line for everyone" not in finnish_in_finland, "international, but not in Finnish"
    assert 'href="?country=DE&amp;language=fi"' in finnish_in_finland
    assert 'href="/fi/help/?country=FI&amp;language=fi"' in finnish_in_finland


@pytest.mark.django_db
def test_views_of_the_directory_are_counted_by_day_and_country_only(client, program) -> None:
    from modules.models import HelplineDirectoryView

    for query in ("", "?country=FI", "?country=FI", "?country=FI&language=fi"):
        assert client.get(f"/en/help/{query}").status_code == 200
    counted = {(row.country, row.views) for row in HelplineDirectoryView.objects.all()}
    assert counted == {("", 1), ("FI", 3)}
    assert [field.name for field in HelplineDirectoryView._meta.get_fields()] == ["id", "day", "country", "views"]
