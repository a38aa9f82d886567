import datetime

import factory
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory

from agreements.models import Agreement, AgreementDocument, AgreementParty
from conferences.models import (
    Appearance,
    Award,
    Conference,
    ConferenceHost,
    Decision,
    Quote,
    Session,
)
from members.models import Division, Membership, Office, Organisation, Person, Topic
from tests.upload_support import pdf_bytes


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class StaffUserFactory(UserFactory):
    is_staff = True
    is_superuser = True


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class DivisionFactory(DjangoModelFactory):
    class Meta:
        model = Division

    name = factory.Sequence(lambda n: f"Division {n}")
    slug = factory.Sequence(lambda n: f"division-{n}")


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Science Park {n}")
    slug = factory.Sequence(lambda n: f"science-park-{n}")
    kind = Organisation.Kind.SCIENCE_PARK
    country = "SE"
    city = "Linköping"
    division = factory.SubFactory(DivisionFactory)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    category = Membership.Category.FULL
    status = Membership.Status.ACTIVE
    started_on = datetime.date(2020, 1, 1)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    slug = factory.Sequence(lambda n: f"person-{n}")
    job_title = "Director"
    affiliation = factory.SubFactory(OrganisationFactory)
    country = "SE"
    display_consent = True


class OfficeFactory(DjangoModelFactory):
    class Meta:
        model = Office

    person = factory.SubFactory(PersonFactory)
    title = "President"
    body = Office.Body.DIVISION
    division = factory.SubFactory(DivisionFactory)


class ConferenceFactory(DjangoModelFactory):
    class Meta:
        model = Conference

    kind = Conference.Kind.WORLD
    is_published = True
    edition = factory.Sequence(lambda n: n + 1)
    title = factory.LazyAttribute(lambda o: f"World Conference {o.edition}")
    slug = factory.LazyAttribute(lambda o: f"world-conference-{o.edition}")
    start_date = datetime.date(2025, 9, 15)
    end_date = datetime.date(2025, 9, 19)
    city = "Beijing"
    country = "CN"
    time_zone = "Asia/Shanghai"
    status = Conference.Status.HELD


class ConferenceHostFactory(DjangoModelFactory):
    class Meta:
        model = ConferenceHost

    conference = factory.SubFactory(ConferenceFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = Session

    conference = factory.SubFactory(ConferenceFactory)
    kind = Session.Kind.PLENARY
    title = factory.Sequence(lambda n: f"Plenary {n}")
    day = factory.LazyAttribute(lambda o: o.conference.start_date)
    start_time = datetime.time(9, 0)
    end_time = datetime.time(10, 30)


class AppearanceFactory(DjangoModelFactory):
    class Meta:
        model = Appearance

    session = factory.SubFactory(SessionFactory)
    person = factory.SubFactory(PersonFactory)
    role = Appearance.Role.SPEAKER


class DecisionFactory(DjangoModelFactory):
    class Meta:
        model = Decision

    conference = factory.SubFactory(ConferenceFactory)
    kind = Decision.Kind.NEXT_HOST
    title = "Next host chosen"
    host_city = "Dhahran"
    host_country = "SA"
    host_year = 2027


class AwardFactory(DjangoModelFactory):
    class Meta:
        model = Award

    conference = factory.SubFactory(ConferenceFactory)
    name = "Presidential Medal"


class QuoteFactory(DjangoModelFactory):
    class Meta:
        model = Quote

    conference = factory.SubFactory(ConferenceFactory)
    person = factory.SubFactory(PersonFactory)
    text = "We are the solution, but only if we work together."


class AgreementFactory(DjangoModelFactory):
    class Meta:
        model = Agreement

    kind = Agreement.Kind.COOPERATION
    title = factory.Sequence(lambda n: f"Cooperation agreement {n}")
    slug = factory.Sequence(lambda n: f"cooperation-agreement-{n}")
    status = Agreement.Status.SIGNED
    signed_on = datetime.date(2025, 9, 19)


class AgreementPartyFactory(DjangoModelFactory):
    class Meta:
        model = AgreementParty

    agreement = factory.SubFactory(AgreementFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class AgreementDocumentFactory(DjangoModelFactory):
    """A PDF of an agreement, private unless `is_public=True`."""

    class Meta:
        model = AgreementDocument

    agreement = factory.SubFactory(AgreementFactory)
    kind = AgreementDocument.Kind.SIGNED_TEXT
    language = "en"
    file = factory.LazyFunction(lambda: ContentFile(pdf_bytes(), name="signed.pdf"))


def bilateral_agreement(**kwargs) -> Agreement:
    """An agreement with its two parties, the normal case."""
    agreement = AgreementFactory(**kwargs)
    AgreementPartyFactory(agreement=agreement, order=0)
    AgreementPartyFactory(agreement=agreement, order=1)
    return agreement


def organisation_with_logo(**kwargs) -> Organisation:
    return OrganisationFactory(
        logo=factory.django.ImageField(width=200, height=100, format="PNG"), **kwargs
    )


def person_with_photo(**kwargs) -> Person:
    return PersonFactory(
        photo=factory.django.ImageField(width=300, height=400, format="JPEG"), **kwargs
    )


def api_token(**kwargs):
    """A partner's read token, made as the admin makes it (only the key's hash is stored)."""
    from portal.services import issue_api_token

    kwargs.setdefault("name", "Partner website")
    kwargs.setdefault("organisation", OrganisationFactory())
    token, _key = issue_api_token(**kwargs)
    return token


# A public address: a subscription's host must not resolve to an internal one.
WEBHOOK_URL = "https://93.184.215.14/hooks/portal"


def webhook_subscription(**kwargs):
    """A subscription made as the admin and the API make it (with its secret)."""
    from portal.webhooks.services import create_subscription

    kwargs.setdefault("token", api_token())
    kwargs.setdefault("url", WEBHOOK_URL)
    kwargs.setdefault("events", ["agreement.published", "agreement.withdrawn"])
    kwargs.setdefault("description", "Partner website mirror")
    return create_subscription(**kwargs)


def webhook_delivery(**kwargs):
    """A delivery of an agreement's publication, tried once and answered 500."""
    from portal.webhooks.events import payload
    from portal.webhooks.models import WebhookDelivery

    subscription = kwargs.pop("subscription", None) or webhook_subscription()
    event_id, body = payload(
        "agreement.published", {"resource": "agreements", "id": 1, "slug": "x", "url": ""}
    )
    kwargs.setdefault(
        "attempts",
        [{"at": "2026-01-05T10:00:00+00:00", "status": 500, "error": "", "duration_ms": 12}],
    )
    kwargs.setdefault("attempt_count", len(kwargs["attempts"]))
    return WebhookDelivery.objects.create(
        subscription=subscription,
        event="agreement.published",
        event_id=event_id,
        payload=body,
        **kwargs,
    )


def agreement_between(*organisations, topics=(), **kwargs) -> Agreement:
    """An agreement signed by `organisations`, in that order, on `topics`."""
    agreement = AgreementFactory(**kwargs)
    for order, organisation in enumerate(organisations):
        AgreementPartyFactory(agreement=agreement, organisation=organisation, order=order)
    if topics:
        agreement.topics.set(topics)
    return agreement


class PageFactory(DjangoModelFactory):
    """A published page, saved through the service as staff save it."""

    class Meta:
        model = "portal.Page"

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.Sequence(lambda n: f"page-{n}")
    summary = "What the page is about."
    body = "Some *text*."
    is_published = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from portal.services import create_page

        return create_page(**kwargs)


def member_invitation(**kwargs):
    """An open invitation of a new address to be a contact of a new organisation."""
    from members.services import invite_member

    kwargs.setdefault("email", f"invited{Organisation.objects.count()}@example.org")
    kwargs.setdefault("organisation", OrganisationFactory())
    invitation, _token = invite_member(**kwargs)
    return invitation


def member_contact(**kwargs):
    """A contact of an organisation, made as the members' area makes one: by an invitation."""
    from members.services import accept_invitation

    user = kwargs.pop("user", None) or UserFactory()
    invitation = member_invitation(email=user.email, **kwargs)
    accept_invitation(invitation=invitation, user=user)
    return user.member_contacts.get(organisation=invitation.organisation)


def member_proposal(**kwargs):
    """A contact's proposal of a new description for their organisation, waiting for review."""
    from members.services import propose_organisation_change

    contact = member_contact(**kwargs)
    return propose_organisation_change(
        organisation=contact.organisation,
        proposed_by=contact.user,
        changes={"description": "A park by the sea, proposed by its contact."},
    )
