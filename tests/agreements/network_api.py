"""Helpers and fixtures shared by the /api/v1/network/ tests."""

import datetime

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from agreements.models import Agreement
from tests.factories import (
    ConferenceFactory,
    DivisionFactory,
    OrganisationFactory,
    TopicFactory,
    agreement_between,
)

NETWORK_URL = reverse("api:network-list")
BASE = "http://testserver"
EMPTY = {"nodes": [], "edges": [], "organisation_count": 0, "agreement_count": 0}


def edges(response) -> set[tuple[str, str, str]]:
    assert response.status_code == 200, response.content
    return {
        (edge["agreement"], edge["source"], edge["target"]) for edge in response.json()["edges"]
    }


def node_slugs(response) -> list[str]:
    return [node["slug"] for node in response.json()["nodes"]]


@pytest.fixture
def graph():
    """Four agreements that each filter tells apart."""
    energy = TopicFactory(slug="energy")
    europe, asia = DivisionFactory(slug="europe"), DivisionFactory(slug="asia")
    beijing = ConferenceFactory(slug="beijing-2025")
    taguspark = OrganisationFactory(slug="taguspark", country="PT", division=europe)
    tecnopuc = OrganisationFactory(slug="tecnopuc", country="BR", division=None)
    step = OrganisationFactory(slug="cmu-step", country="TH", division=asia)
    zpark = OrganisationFactory(slug="zpark", country="CN", division=asia)
    agreement_between(
        taguspark,
        step,
        slug="smart",
        signed_on=datetime.date(2024, 5, 1),
        topics=[energy],
        signed_at_conference=beijing,
    )
    agreement_between(
        taguspark,
        zpark,
        slug="old",
        signed_on=datetime.date(2019, 5, 1),
        status=Agreement.Status.EXPIRED,
    )
    agreement_between(
        tecnopuc,
        step,
        slug="kind",
        kind=Agreement.Kind.MOU,
        signed_on=datetime.date(2022, 12, 31),
    )
    agreement_between(
        tecnopuc, zpark, slug="latest", signed_on=datetime.date(2025, 9, 19), topics=[energy]
    )


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)
