"""The one agreement item partial, in its two forms: the agreement lists' and the short one
that pages about a conference, an organisation or a topic show."""

import datetime
import re

import pytest
from django.template.loader import render_to_string

from agreements.models import Agreement
from tests.factories import OrganisationFactory, agreement_between

pytestmark = pytest.mark.django_db

ITEM = "includes/_agreement_item.html"


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


@pytest.fixture
def agreement() -> Agreement:
    agreement_between(
        OrganisationFactory(name="Kista Science City", short_name="KSC", slug="kista"),
        OrganisationFactory(name="Third Park", slug="third"),
        title="Three-way",
        kind=Agreement.Kind.MOU,
        signed_on=datetime.date(2025, 9, 19),
    )
    return Agreement.objects.for_list().get()


def test_agreement_item_short_form_names_the_organisations_after_the_label(agreement):
    html = render_to_string(
        ITEM,
        {
            "agreement": agreement,
            "parties_label": "Between",
            "organisations": agreement.party_organisations,
        },
    )

    assert text(html) == (
        "Three-way Memorandum of understanding · signed 19 September 2025 "
        "Between Kista Science City, Third Park"
    )
    assert '<p class="card__meta">' in html
    assert '<time datetime="2025-09-19">19 September 2025</time>' in html
    assert '<a href="/organisations/kista/">Kista Science City</a>' in html


def test_agreement_item_short_form_options(agreement):
    html = render_to_string(
        ITEM,
        {
            "agreement": agreement,
            "parties_label": "Parties:",
            "organisations": agreement.party_organisations,
            "separator": "; ",
            "short_names": True,
            "meta_class": "muted",
            "signed_label": "signed on",
        },
    )

    assert text(html) == (
        "Three-way Memorandum of understanding · signed on 19 September 2025 "
        "Parties: Kista Science City (KSC); Third Park"
    )
    assert '<p class="muted">' in html


def test_agreement_item_short_form_without_organisations_has_no_party_line(agreement):
    html = render_to_string(
        ITEM, {"agreement": agreement, "parties_label": "With", "organisations": []}
    )

    assert "With" not in html


def test_agreement_item_list_form_dates_in_the_same_format(agreement):
    html = render_to_string(ITEM, {"agreement": agreement})

    assert '<time datetime="2025-09-19">19 September 2025</time>' in html
    assert 'aria-label="Parties"' in html


def test_agreement_item_short_form_reads_only_what_was_prefetched(
    agreement, django_assert_num_queries
):
    with django_assert_num_queries(0):
        render_to_string(
            ITEM,
            {
                "agreement": agreement,
                "parties_label": "Between",
                "organisations": agreement.party_organisations,
            },
        )
