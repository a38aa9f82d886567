"""A conference's outcomes: Decision, Award and Quote."""

import pytest
from django.core.exceptions import ValidationError

from conferences.models import Award, Decision, Quote
from tests.conferences.model_support import conference
from tests.constraints import violates
from tests.factories import (
    AwardFactory,
    DecisionFactory,
    OrganisationFactory,
    PersonFactory,
    QuoteFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


# Decision


@pytest.mark.parametrize("missing", [{"host_city": ""}, {"host_country": ""}, {"host_year": None}])
def test_decision_next_host_incomplete_refused(missing):
    decision = DecisionFactory(kind=Decision.Kind.NEXT_HOST)
    with violates("decision_next_host_complete"):
        Decision.objects.filter(pk=decision.pk).update(**missing)


def test_decision_other_kind_without_host_accepted():
    decision = DecisionFactory(
        kind=Decision.Kind.OTHER, host_city="", host_country="", host_year=None
    )
    decision.full_clean()
    assert Decision.objects.get() == decision


@pytest.mark.parametrize("year", [1949, 2201])
def test_decision_host_year_out_of_range_refused(year):
    decision = DecisionFactory()
    with violates("decision_host_year_range"):
        Decision.objects.filter(pk=decision.pk).update(host_year=year)


@pytest.mark.parametrize("year", [1950, 2200])
def test_decision_host_year_at_the_bounds_accepted(year):
    decision = DecisionFactory(host_year=year)
    decision.refresh_from_db()
    assert decision.host_year == year


@pytest.mark.parametrize("field", ["host_city", "host_country", "host_year"])
def test_decision_full_clean_next_host_needs_city_country_year(field):
    decision = DecisionFactory.build(conference=conference(), kind=Decision.Kind.NEXT_HOST)
    setattr(decision, field, None if field == "host_year" else "")
    with pytest.raises(ValidationError) as info:
        decision.full_clean()
    assert info.value.message_dict == {field: ["Needed when the decision chooses the next host."]}


def test_decision_resulting_conference_delete_leaves_the_decision():
    decision = DecisionFactory(resulting_conference=conference())
    decision.resulting_conference.delete()
    decision.refresh_from_db()
    assert decision.resulting_conference is None


# Award


def test_award_two_recipients_refused():
    award = AwardFactory(recipient_person=PersonFactory())
    with violates("award_single_recipient"):
        Award.objects.filter(pk=award.pk).update(recipient_organisation=OrganisationFactory())


@pytest.mark.parametrize("recipient", ["person", "organisation", None])
def test_award_one_or_no_recipient_accepted(recipient):
    award = AwardFactory(
        recipient_person=PersonFactory() if recipient == "person" else None,
        recipient_organisation=OrganisationFactory() if recipient == "organisation" else None,
    )
    award.refresh_from_db()
    assert (award.recipient is None) == (recipient is None)


def test_award_full_clean_refuses_two_recipients():
    award = AwardFactory.build(
        conference=conference(),
        recipient_person=PersonFactory(),
        recipient_organisation=OrganisationFactory(),
    )
    with pytest.raises(ValidationError) as info:
        award.full_clean()
    assert info.value.messages == ["An award goes to a person or to an organisation, not both."]


def test_award_name_blank_refused():
    award = AwardFactory()
    with violates("award_name_not_blank"):
        Award.objects.filter(pk=award.pk).update(name="")


# Quote


def test_quote_text_blank_refused():
    quote = QuoteFactory()
    with violates("quote_text_not_blank"):
        Quote.objects.filter(pk=quote.pk).update(text="")


def test_quote_full_clean_refuses_session_of_another_conference():
    quote = QuoteFactory.build(
        conference=conference(), person=PersonFactory(), session=SessionFactory()
    )
    with pytest.raises(ValidationError) as info:
        quote.full_clean()
    assert info.value.message_dict == {"session": ["Choose a session of this conference."]}


def test_quote_full_clean_accepts_session_of_its_conference():
    session = SessionFactory()
    QuoteFactory.build(
        conference=session.conference, person=PersonFactory(), session=session
    ).full_clean()
