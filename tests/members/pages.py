"""Helpers shared by the tests of the members pages: directory, profiles, divisions, topics."""

import datetime
import io
import json
import re
from html.parser import HTMLParser

from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from agreements.models import Agreement
from members.models import Membership, Organisation
from tests.factories import (
    AgreementFactory,
    AgreementPartyFactory,
    MembershipFactory,
    OrganisationFactory,
)

PEOPLE = reverse("members:person-list")


class SelectOptions(HTMLParser):
    """The options of one <select>, as {value: text}, in page order."""

    def __init__(self, name: str):
        super().__init__()
        self.name = name
        self.inside = False
        self.value = None
        self.options: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self.inside = attrs.get("name") == self.name
        elif tag == "option" and self.inside:
            self.value = attrs.get("value", "")
            self.options[self.value] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self.inside = False
        elif tag == "option":
            self.value = None

    def handle_data(self, data):
        if self.value is not None:
            self.options[self.value] += data


def options(response, name: str) -> dict[str, str]:
    parser = SelectOptions(name)
    parser.feed(response.content.decode())
    return {value: text.strip() for value, text in parser.options.items()}


def json_ld(response) -> dict:
    found = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    assert len(found) == 1
    return json.loads(found[0])


def member(**kwargs) -> Organisation:
    """An organisation with a current membership."""
    category = kwargs.pop("category", Membership.Category.FULL)
    organisation = OrganisationFactory(**kwargs)
    MembershipFactory(organisation=organisation, category=category)
    return organisation


def png(width: int, height: int) -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (11, 85, 99)).save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="logo.png")


def cmu_step(**kwargs) -> Organisation:
    return member(
        name="Chiang Mai University Science and Technology Park",
        short_name="CMU STeP",
        slug="cmu-step",
        country="TH",
        city="Chiang Mai",
        **kwargs,
    )


def zstip_and_fengtai() -> tuple[Organisation, Organisation, Agreement]:
    zstip = member(
        name="Zhongguancun Science and Technology Innovation Park",
        short_name="ZSTIP",
        slug="zstip",
        country="CN",
        city="Beijing",
    )
    fengtai = OrganisationFactory(
        name="Zhongguancun Fengtai Science Park", slug="zhongguancun-fengtai", country="CN"
    )
    agreement = AgreementFactory(
        title="Strategic cooperation between ZSTIP and Fengtai",
        slug="zstip-fengtai",
        signed_on=datetime.date(2025, 9, 17),
    )
    AgreementPartyFactory(agreement=agreement, organisation=zstip, order=0)
    AgreementPartyFactory(agreement=agreement, organisation=fengtai, order=1)
    return zstip, fengtai, agreement
