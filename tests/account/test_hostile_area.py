"""The members' area, walked signed in with what an attacker or a broken client sends: every
route of the area and of the sign-in pages, its path parameters and query strings, and every
form on its pages posted with hostile values. Nothing may answer with a server error.

The anonymous walk (tests/test_hostile_walk.py) reaches these routes only as a visitor; here a
contact of an organisation, linked to a person, with a proposal and an agreement to confirm,
sends the same corpus (tests/hostile_support.py; `HOSTILE_WALK_ALL=1` sends all of it).
"""

import datetime
import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import resolve
from django.urls.exceptions import Resolver404

from agreements.models import Agreement
from agreements.services import propose_agreement
from members.services import invite_member, propose_organisation_change
from tests.factories import OrganisationFactory, PersonFactory, member_contact
from tests.hostile_support import CORPUS, PATH_CORPUS, Walk, encode, parse_page, query, sample
from tests.test_hostile_walk import CONVERTER, PAGE_ROUTES

pytestmark = pytest.mark.django_db

AREA_ROUTES = [route for route in PAGE_ROUTES if route.startswith("account/")]


@pytest.fixture
def member(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    contact = member_contact()
    user, park = contact.user, contact.organisation
    PersonFactory(user=user, name="Marta Lindqvist")
    proposal = propose_organisation_change(
        organisation=park, proposed_by=user, changes={"description": "By the river."}
    )
    partner = OrganisationFactory()
    agreement = propose_agreement(
        proposed_by=user,
        organisation=park,
        other_parties=[partner],
        kind=Agreement.Kind.MOU,
        title="River and harbour parks cooperate",
        signed_on=datetime.date(2026, 5, 4),
    )
    _invitation, token = invite_member(email="new@park.example", organisation=park, invited_by=None)
    real = {"slug": {"organisations": park.slug, "agreements": agreement.slug}}
    return user, {"pk": proposal.pk, "token": token, **real}


def real_path(route: str, values: dict) -> str:
    def one(match):
        value = values[match["name"]]
        if isinstance(value, dict):  # a slug: of an organisation or of an agreement
            value = next(v for prefix, v in value.items() if f"{prefix}/<" in route)
        return encode(value)

    return "/" + CONVERTER.sub(one, route)


def hostile_path(route: str, values: dict, name: str, value) -> str:
    def one(match):
        if match["name"] == name:
            return encode(value)
        return real_path(match[0], values).lstrip("/")

    return "/" + CONVERTER.sub(one, route)


def forms_on(content: bytes, url: str):
    """The forms of a page that post back into the area, with their field names."""
    for action, names in parse_page(content, methods=("post",)).forms:
        target = urlsplit(urljoin(url, action or url)).path
        try:
            resolve(target)
        except Resolver404:
            continue
        if target.startswith("/account/"):
            yield target, sorted(names)


@pytest.mark.parametrize("route", AREA_ROUTES, ids=AREA_ROUTES)
def test_area_page_never_answers_5xx_to_a_signed_in_member(member, route):
    user, values = member
    client, walk = Client(), Walk()
    client.force_login(user)
    url = real_path(route, values)
    page = client.get(url)
    assert page.status_code < 500, url
    walk.send(client, "HEAD", url)
    for value in sample(CORPUS, f"{route}?q"):
        walk.send(client, "GET", f"{url}?{query([('next', value), ('page', value)])}")
    for match in CONVERTER.finditer(route):
        for value in sample(PATH_CORPUS, f"{route}<{match['name']}>"):
            walk.send(client, "GET", hostile_path(route, values, match["name"], value))
    if page.status_code == 200 and "html" in page.get("Content-Type", ""):
        for target, names in forms_on(page.content, url):
            for value in sample(CORPUS, f"{route}>{target}"):
                body = query([(name, value) for name in names])
                walk.send(
                    client,
                    "POST",
                    target,
                    data=body,
                    content_type="application/x-www-form-urlencoded",
                )
                client.force_login(user)  # a hostile sign-out form signs the member out
    # No form at all: the route is still posted to, in case it takes one.
    walk.send(
        client,
        "POST",
        url,
        data=query([(name, sample(CORPUS, route, 1)[0]) for name in ("email", "password")]),
        content_type="application/x-www-form-urlencoded",
    )
    print(f"\n{walk.report(route)}")
    assert not walk.failures, "\n\n".join(walk.failures)


def test_every_area_route_is_walked_signed_in():
    assert {re.sub(r"<[^>]+>", "<>", route) for route in AREA_ROUTES} >= {
        "account/",
        "account/organisations/<>/edit/",
        "account/proposals/<>/",
        "account/agreements/<>/",
        "account/me/",
        "account/invitation/<>/",
        "account/login/",
    }
