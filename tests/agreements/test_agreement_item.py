"""An agreement in its two forms: the agreement lists' (`{% agreement_item %}`) and the short
one that pages about a conference, an organisation or a topic show (`{% agreement_entry %}`)."""

import datetime
import re
from html import unescape

import pytest
from django.template import Context, Template

from agreements.models import Agreement
from tests.factories import OrganisationFactory, TopicFactory, agreement_between

pytestmark = pytest.mark.django_db


def entry(agreement: Agreement, **options) -> str:
    """The short form, `{% agreement_entry %}` (agreements/templatetags/agreement_tags.py)."""
    arguments = " ".join(f"{name}={name}" for name in options)
    return Template(
        "{% load agreement_tags %}{% agreement_entry agreement " + arguments + " %}"
    ).render(Context({"agreement": agreement, **options}))


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
    html = entry(agreement, parties_label="Between", organisations=agreement.party_organisations)

    assert text(html) == (
        "Three-way Memorandum of understanding · signed 19 September 2025 "
        "Between Kista Science City, Third Park"
    )
    assert '<p class="card__meta">' in html
    assert '<time datetime="2025-09-19">19 September 2025</time>' in html
    assert '<a href="/organisations/kista/">Kista Science City</a>' in html


def test_agreement_item_short_form_options(agreement):
    html = entry(
        agreement,
        parties_label="Parties:",
        organisations=agreement.party_organisations,
        separator="; ",
        short_names=True,
        meta_class="muted",
        signed_label="signed on",
    )

    assert text(html) == (
        "Three-way Memorandum of understanding · signed on 19 September 2025 "
        "Parties: Kista Science City (KSC); Third Park"
    )
    assert '<p class="muted">' in html


def test_agreement_item_short_form_without_organisations_has_no_party_line(agreement):
    html = entry(agreement, parties_label="With", organisations=[])

    assert "With" not in html


def html_text(html: str) -> str:
    """The text a reader sees, entities decoded."""
    return unescape(text(html))


def list_item(agreement: Agreement) -> str:
    """The list form, `{% agreement_item %}` (agreements/templatetags/agreement_tags.py)."""
    return Template("{% load agreement_tags %}{% agreement_item agreement %}").render(
        Context({"agreement": agreement})
    )


def test_agreement_item_list_form_dates_in_the_same_format(agreement):
    html = list_item(agreement)

    assert '<time datetime="2025-09-19">19 September 2025</time>' in html
    assert 'aria-label="Parties"' in html


def test_agreement_item_list_form_says_status_kind_date_place_parties_and_topics():
    agreement_between(
        OrganisationFactory(name="Kista & Co", slug="kista"),
        OrganisationFactory(name="Third Park", slug="third"),
        title="Kista <Third>",
        kind=Agreement.Kind.MOU,
        status=Agreement.Status.TERMINATED,
        signed_on=datetime.date(2025, 9, 19),
        signed_city="Lisbon",
        signed_country="PT",
        topics=[TopicFactory(name="Smart cities", slug="smart-cities")],
    )
    agreement = Agreement.objects.for_list().get()

    html = list_item(agreement)

    assert html_text(html) == (
        "Kista <Third> Terminated Memorandum of understanding · signed 19 September 2025 "
        "· in Lisbon, Portugal Kista & Co Third Park Smart cities"
    )
    assert f'<h3><a href="{agreement.get_absolute_url()}">Kista &lt;Third&gt;</a></h3>' in html
    assert '<span class="badge badge--accent">Terminated</span>' in html
    assert '<a href="/organisations/kista/">Kista &amp; Co</a>' in html
    assert '<a href="/topics/smart-cities/"><span class="badge badge--muted">' in html


@pytest.mark.parametrize(
    ("status", "badge"),
    [
        (Agreement.Status.ACTIVE, '<span class="badge">Active</span>'),
        (Agreement.Status.SIGNED, '<span class="badge">Signed</span>'),
        (Agreement.Status.EXPIRED, '<span class="badge badge--muted">Expired</span>'),
    ],
)
def test_agreement_item_list_form_badge_follows_the_status(agreement, status, badge):
    Agreement.objects.update(status=status)

    assert badge in list_item(Agreement.objects.for_list().get())


def test_agreement_item_list_form_without_place_or_topics_says_neither(agreement):
    html = list_item(agreement)

    assert "· in" not in text(html)
    assert 'class="tags"' not in html


def test_agreement_item_list_form_reads_only_what_was_prefetched(
    agreement, django_assert_num_queries
):
    with django_assert_num_queries(0):
        list_item(agreement)


def test_agreement_item_short_form_reads_only_what_was_prefetched(
    agreement, django_assert_num_queries
):
    with django_assert_num_queries(0):
        entry(agreement, parties_label="Between", organisations=agreement.party_organisations)


def test_agreement_entry_escapes_what_staff_typed(agreement):
    agreement.title = "<b>Three</b> & way"
    html = entry(
        agreement, parties_label="<i>With</i>", organisations=agreement.party_organisations
    )

    assert "<b>" not in html and "<i>" not in html
    assert "&lt;b&gt;Three&lt;/b&gt; &amp; way" in html
    assert "<p>&lt;i&gt;With&lt;/i&gt; <a " in html
