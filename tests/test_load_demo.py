import datetime
import re
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from PIL import Image

from agreements.models import Agreement
from conferences.models import Appearance, Conference, Decision, Quote, Session
from members.models import Organisation, Person
from members.placeholders import LOGO_SIZE, PHOTO_SIZE
from portal.models import Page
from portal.navigation import navigation
from portal.services import update_page

pytestmark = pytest.mark.django_db

DEMO_APPS = {"members", "conferences", "agreements", "portal"}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo() -> str:
    return load_demo()


def database_snapshot() -> dict[str, dict]:
    """Every row of every demo table, M2M tables included, keyed by primary key."""
    snapshot = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label not in DEMO_APPS:
            continue
        columns = [field.attname for field in model._meta.concrete_fields]
        snapshot[model._meta.label] = {
            row[0]: row for row in model.objects.values_list("pk", *columns)
        }
    return snapshot


def media_files(root: Path) -> list[Path]:
    return sorted(path.relative_to(root) for path in root.rglob("*") if path.is_file())


def test_load_demo_beijing_world_conference(demo):
    beijing = Conference.objects.get(kind=Conference.Kind.WORLD, edition=42)

    assert (beijing.start_date, beijing.end_date) == (
        datetime.date(2025, 9, 15),
        datetime.date(2025, 9, 19),
    )
    assert (beijing.city, beijing.country.code, beijing.time_zone) == (
        "Beijing",
        "CN",
        "Asia/Shanghai",
    )
    assert beijing.status == Conference.Status.HELD
    assert beijing.theme
    assert beijing.report
    kinds = set(beijing.sessions.values_list("kind", flat=True))
    assert kinds >= {"technical_visit", "training", "opening", "plenary", "parallel"}
    assert kinds >= {"general_assembly", "closing"}
    assert not beijing.sessions.filter(start_time__isnull=False).exists()
    assert beijing.sessions.order_by("day").first().kind == Session.Kind.TECHNICAL_VISIT
    assert beijing.sessions.order_by("day", "order").last().kind == Session.Kind.CLOSING
    assert beijing.awards.get().name == "Presidential Medal"
    assert beijing.awards.get().recipient is None


def test_load_demo_beijing_decision_chooses_dhahran_for_2027(demo):
    decision = Decision.objects.get(conference__edition=42, kind=Decision.Kind.NEXT_HOST)

    assert decision.host_city == "Dhahran"
    assert decision.host_country.code == "SA"
    assert decision.host_year == 2027
    assert decision.host_organisation.name == "Dhahran Techno Valley"
    dhahran = decision.resulting_conference
    assert (dhahran.edition, dhahran.city, dhahran.country.code) == (44, "Dhahran", "SA")
    assert (dhahran.start_date, dhahran.end_date) == (
        datetime.date(2027, 1, 1),
        datetime.date(2027, 12, 31),
    )
    assert dhahran.date_precision == Conference.DatePrecision.YEAR
    assert dhahran.status == Conference.Status.PLANNED
    assert dhahran.host_links.get().organisation == decision.host_organisation


def test_load_demo_france_2026_is_known_to_the_month(demo):
    france = Conference.objects.get(kind=Conference.Kind.WORLD, edition=43)

    assert (france.country.code, france.city, france.time_zone) == ("FR", "", "Europe/Paris")
    assert france.date_precision == Conference.DatePrecision.MONTH
    assert (france.start_date, france.end_date) == (
        datetime.date(2026, 10, 1),
        datetime.date(2026, 10, 31),
    )


def test_load_demo_agreement_between_zstip_and_fengtai(demo):
    agreement = Agreement.objects.get()

    parties = [party.organisation for party in agreement.parties.order_by("order")]
    assert [party.name for party in parties] == [
        "Zsámbék Future Industry Science and Innovation Park",
        "Zhongguancun Fengtai Science Park",
    ]
    assert parties[0].short_name == "ZSTIP"
    assert sorted(agreement.topics.values_list("name", flat=True)) == [
        "Energy efficiency",
        "Environmental protection",
        "Intelligent transportation",
        "New materials",
    ]
    assert agreement.signed_on == datetime.date(2025, 9, 19)
    assert agreement.signed_at_conference.edition == 42
    assert (agreement.signed_city, agreement.signed_country.code) == ("Beijing", "CN")
    assert agreement.status == Agreement.Status.SIGNED


def test_load_demo_chiang_mai_division_conference(demo):
    chiang_mai = Conference.objects.get(kind=Conference.Kind.DIVISION, city="Chiang Mai")

    assert (chiang_mai.start_date, chiang_mai.end_date) == (
        datetime.date(2026, 6, 2),
        datetime.date(2026, 6, 4),
    )
    assert chiang_mai.division.name == "Asia Pacific"
    assert (chiang_mai.participant_count, chiang_mai.participant_count_is_minimum) == (150, True)
    assert chiang_mai.time_zone == "Asia/Bangkok"
    assert chiang_mai.theme == (
        "From Asia Pacific to the Global Ecosystems: Empowering Sustainable and Inclusive "
        "Growth through Innovation"
    )
    host = chiang_mai.host_links.get()
    assert (host.organisation.short_name, host.role) == ("CMU STeP", "host")
    assert set(chiang_mai.topics.values_list("name", flat=True)) >= {
        "Artificial intelligence",
        "Climate adaptation",
        "Circular economy",
        "Clean energy",
    }


def test_load_demo_chiang_mai_opening_speakers(demo):
    appearances = Appearance.objects.filter(
        session__conference__city="Chiang Mai", session__kind=Session.Kind.OPENING
    ).select_related("person")

    assert [(a.person.name, a.role, a.capacity) for a in appearances] == [
        ("Hao Tang", "opening_address", "President, Asia Pacific Division, IASP"),
        (
            "Tanyanuparb Anantana",
            "opening_address",
            "Vice President, Chiang Mai University; Director, Regional Science Park North",
        ),
        ("Pitiwat Wattanachai", "opening_address", "Director, CMU STeP"),
        ("Ebba Lund", "opening_address", "CEO, IASP"),
    ]


def test_load_demo_chiang_mai_quotes_are_verbatim(demo):
    quotes = {quote.person.name: quote.text for quote in Quote.objects.select_related("person")}

    assert quotes == {
        "Hao Tang": "we are the solution, but only if we work together",
        "Pitiwat Wattanachai": "technology has value only when it improves human life",
    }


def test_load_demo_chiang_mai_technical_visits(demo):
    visits = Session.objects.filter(
        conference__city="Chiang Mai", kind=Session.Kind.TECHNICAL_VISIT
    )

    visited = Organisation.objects.filter(visits__in=visits)
    assert sorted(visited.values_list("name", flat=True)) == [
        "National Astronomical Research Institute of Thailand",
        "Regional Science Park North",
    ]
    assert visited.get(short_name="NARIT").country.code == "TH"


def test_load_demo_chiang_mai_organisations_taking_part(demo):
    conference = Conference.objects.get(city="Chiang Mai")
    assert sorted(conference.participating_organisations.values_list("name", "country")) == [
        ("Andhra Pradesh MedTech Zone", "IN"),
        ("Innovation Area Development Partnership", "NL"),
        ("Melbourne Innovation District – RMIT University", "AU"),
        ("Prince of Songkla University Science Park", "TH"),
        ("Thai-BISPA", "TH"),
        ("Thailand Science Park", "TH"),
        ("Zhongguancun Science Park", "CN"),
    ]


def test_load_demo_offices(demo):
    offices = {
        (office.person.name, office.full_title)
        for office in Person.objects.get(name="Tanyanuparb Anantana").offices.all()
    }

    assert offices == {
        ("Tanyanuparb Anantana", "Vice President, Chiang Mai University"),
        ("Tanyanuparb Anantana", "Director, Regional Science Park North"),
    }
    assert Person.objects.get(name="Ebba Lund").offices.get().body == "association"
    hao_tang = Person.objects.get(name="Hao Tang").offices.get()
    assert (hao_tang.title, hao_tang.division.name) == ("President", "Asia Pacific")
    assert not Person.objects.filter(offices__started_on__isnull=False).exists()


def test_load_demo_member_organisations_spelled_and_placed(demo):
    linkoping = Organisation.objects.get(slug="linkoping-science-park")
    assert (linkoping.name, linkoping.country.code, linkoping.city) == (
        "Linköping Science Park",
        "SE",
        "Linköping",
    )
    sao_jose = Organisation.objects.get(city="São José dos Campos")
    assert (sao_jose.name, sao_jose.country.code, sao_jose.division.name) == (
        "Parque Tecnológico São José dos Campos",
        "BR",
        "Latin America",
    )
    assert Organisation.objects.get(short_name="MRANTI").country.code == "MY"
    noviotech = Organisation.objects.get(name="Noviotech Campus")
    assert (noviotech.country.code, noviotech.city) == ("NL", "Nijmegen")


def test_load_demo_current_members(demo):
    members = set(Organisation.objects.current_members().values_list("name", flat=True))

    assert {
        "Linköping Science Park",
        "Coventry Science Park",
        "Magurele Science Park",
        "Science and Technology Park, Chiang Mai University",
        "Zsámbék Future Industry Science and Innovation Park",
        "Zhongguancun Science Park",
    } <= members
    assert not members & {
        "Zhongguancun Fengtai Science Park",
        "National Astronomical Research Institute of Thailand",
        "Regional Science Park North",
    }


def test_load_demo_logos_and_photos_are_small_generated_images(demo):
    organisations = Organisation.objects.all()
    assert organisations.filter(logo="").count() == 0
    # Stored, so that loading a row never has to open its image to learn the size.
    assert set(organisations.values_list("logo_width", "logo_height")) == {(LOGO_SIZE, LOGO_SIZE)}
    people = Person.objects.all()
    assert set(people.values_list("photo_width", "photo_height")) == {(PHOTO_SIZE, PHOTO_SIZE)}
    for organisation in organisations:
        with organisation.logo.open() as file, Image.open(file) as image:
            image.verify()
            assert (image.format, image.size) == ("PNG", (LOGO_SIZE, LOGO_SIZE))
    for person in Person.objects.all():
        with person.photo.open() as file, Image.open(file) as image:
            assert image.size == (PHOTO_SIZE, PHOTO_SIZE)


def test_load_demo_second_run_changes_nothing(media_root):
    load_demo()
    rows_before, files_before = database_snapshot(), media_files(media_root)

    output = load_demo()

    assert database_snapshot() == rows_before
    assert media_files(media_root) == files_before
    assert "nothing written" in output


def test_load_demo_restores_an_edited_fact_without_touching_the_rest(demo):
    Organisation.objects.filter(slug="linkoping-science-park").update(city="Linkoping")
    untouched = Organisation.objects.get(slug="coventry-science-park").modified

    output = load_demo()

    assert Organisation.objects.get(slug="linkoping-science-park").city == "Linköping"
    assert Organisation.objects.get(slug="coventry-science-park").modified == untouched
    assert "1 updated" in output


def test_load_demo_pages_are_published_and_linked(demo):
    assert list(Page.objects.published().values_list("slug", flat=True)) == [
        "about",
        "join",
        "contact",
        "privacy",
    ]
    links = navigation()
    assert [(link.label, link.url) for link in links.menu] == [
        ("About", "/pages/about/"),
        ("Join", "/pages/join/"),
    ]
    assert [link.label for link in links.footer] == ["About", "Join", "Contact", "Privacy"]
    assert all("@example.org" in address for address in _addresses())
    assert Page.history.filter(history_type="+").count() == 4


def _addresses() -> list[str]:
    return [
        address
        for body in Page.objects.values_list("body", flat=True)
        for address in re.findall(r"[\w.+-]+@[\w.-]+", body)
    ]


def test_load_demo_restores_an_edited_page(demo):
    update_page(page=Page.objects.get(slug="privacy"), link_text="Data")

    output = load_demo()

    assert Page.objects.get(slug="privacy").link_text == "Privacy"
    assert [link.label for link in navigation().footer][-1] == "Privacy"
    assert "1 updated" in output
