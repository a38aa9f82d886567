"""Facets over growing tables offer a bounded number of choices, counted correctly."""

import pytest

from portal import filters
from tests.factories import (
    AppearanceFactory,
    ConferenceFactory,
    OrganisationFactory,
    PersonFactory,
)
from tests.members.pages import PEOPLE, options

pytestmark = pytest.mark.django_db


@pytest.fixture
def limit_of_two(monkeypatch):
    facets = dict(filters.PersonFilter.facets)
    for name in ("conference", "organisation"):
        facets[name] = filters.Facet(**{**facets[name].__dict__, "limit": 2})
    facets["conference"] = filters.Facet(
        **{
            **facets["conference"].__dict__,
            "offered": lambda: filters.recent_conferences_with_speakers(2),
        }
    )
    monkeypatch.setattr(filters.PersonFilter, "facets", facets)


def test_organisation_facet_offers_the_organisations_with_most_people(client, limit_of_two):
    busy, busier, quiet = (OrganisationFactory(name=name) for name in ("Busy", "Busier", "Quiet"))
    for organisation, people in ((busy, 2), (busier, 3), (quiet, 1)):
        PersonFactory.create_batch(people, affiliation=organisation)

    offered = options(client.get(PEOPLE), "organisation")

    assert list(offered.values()) == ["All organisations", "Busier (3)", "Busy (2)"]


def test_conference_facet_offers_the_latest_conferences_with_speakers(client, limit_of_two):
    years = {}
    for year in (2022, 2023, 2024, 2025):
        years[year] = ConferenceFactory(
            title=f"Conference {year}", start_date=f"{year}-05-01", end_date=f"{year}-05-03"
        )
    ConferenceFactory(title="Conference 2026", start_date="2026-05-01", end_date="2026-05-03")
    speaker = PersonFactory()
    for year in (2022, 2024, 2025):
        AppearanceFactory(person=speaker, session__conference=years[year])
    AppearanceFactory(session__conference=years[2025])

    offered = options(client.get(PEOPLE), "conference")

    assert list(offered.values()) == [
        "All conferences",
        "Conference 2025 (2)",
        "Conference 2024 (1)",
    ]


def test_a_chosen_value_outside_the_offered_ones_stays_selectable(client, limit_of_two):
    for name, people in (("Busy", 2), ("Busier", 3), ("Quiet", 1)):
        PersonFactory.create_batch(people, affiliation=OrganisationFactory(name=name))
    quiet = OrganisationFactory(name="Rare")
    PersonFactory(name="Only One", affiliation=quiet)

    response = client.get(PEOPLE, {"organisation": quiet.slug})

    assert "Only One" in response.content.decode()
    assert options(response, "organisation")[quiet.slug] == "Rare"


def test_counts_are_not_inflated_by_repeated_appearances(client):
    conference = ConferenceFactory(title="World Conference")
    speaker = PersonFactory(country="TH")
    AppearanceFactory.create_batch(3, person=speaker, session__conference=conference)

    response = client.get(PEOPLE, {"conference": conference.slug})

    assert options(response, "country")["TH"] == "Thailand (1)"
    assert options(response, "conference")[conference.slug] == "World Conference (1)"
