"""Which saves announce which events: connected in the portal's AppConfig.ready(), so that
every write path (the API, the admin and its bulk actions, imports, the members' area)
announces alike.

Only what the API shows is announced: a draft conference or a private agreement never is,
and a record leaving the API's view is `<thing>.withdrawn` (the removed-records feed lists it
too). Whether a record was shown before the save is read from the stored row by
core/departures.py, whose handlers run after these (the portal's app is ready before the
record apps); a membership's earlier status is read here.
"""

from django.db.models import signals

from agreements.models import Agreement
from conferences.models import Conference
from core import departures
from members.models import Membership, Organisation

from .events import announce, record_data
from .models import Event

PREVIOUS = "_webhooks_previous"


class Announced:
    """A model whose records are published, changed and withdrawn."""

    def __init__(self, model, *, resource, view_name, published, changed, withdrawn):
        self.model = model
        self.resource = resource
        self.view_name = view_name
        self.published, self.changed, self.withdrawn = published, changed, withdrawn

    def data(self, instance, **extra) -> dict:
        return {
            **record_data(instance, resource=self.resource, view_name=self.view_name),
            **extra,
        }

    def saved(self, sender, instance, created=False, raw=False, **kwargs) -> None:
        if raw:
            return
        watched = departures.watch_of(sender)
        now = watched.is_public(watched.values(instance))
        stored = instance.__dict__.get(departures.STORED)
        # A save without a stored row to compare (created, or read elsewhere): as it is now.
        was = watched.is_public(stored) if stored is not None and not created else None
        if (now and was is False) or (now and was is None and created):
            announce(self.published, self.data(instance))
        elif now:
            announce(self.changed, self.data(instance))
        elif was:
            reason = watched.reason(stored, watched.values(instance))
            announce(self.withdrawn, self.data(instance, reason=str(reason)))

    def deleted(self, sender, instance, **kwargs) -> None:
        watched = departures.watch_of(sender)
        if watched.is_public(watched.values(instance)):
            announce(self.withdrawn, self.data(instance, reason="deleted"))

    def connect(self) -> None:
        # Signals hold their receivers weakly: the models' announcers are kept here.
        ANNOUNCERS[self.resource] = self
        uid = f"webhooks-{self.resource}"
        signals.post_save.connect(self.saved, sender=self.model, dispatch_uid=f"{uid}-save")
        signals.post_delete.connect(self.deleted, sender=self.model, dispatch_uid=f"{uid}-delete")


ANNOUNCERS: dict[str, Announced] = {}


def membership_data(membership: Membership) -> dict:
    data = record_data(
        membership, resource="memberships", view_name="api:membership-detail", lookup="pk"
    )
    organisation = membership.organisation
    return {
        **data,
        "organisation": {
            "id": organisation.pk,
            "slug": organisation.slug,
            "url": record_data(
                organisation, resource="organisations", view_name="api:organisation-detail"
            )["url"],
        },
        "category": membership.category,
        "status": membership.status,
        "started_on": membership.started_on.isoformat() if membership.started_on else None,
        "ended_on": membership.ended_on.isoformat() if membership.ended_on else None,
    }


def membership_saving(sender, instance, raw=False, **kwargs) -> None:
    if raw or instance._state.adding or instance.pk is None:
        return
    instance.__dict__[PREVIOUS] = (
        Membership._base_manager.filter(pk=instance.pk).values_list("status", flat=True).first()
    )


def membership_saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    """Started: a membership becomes active. Ended: an active one no longer is."""
    previous = instance.__dict__.pop(PREVIOUS, None)
    if raw:
        return
    active = Membership.Status.ACTIVE
    if instance.status == active and (created or previous != active):
        announce(Event.MEMBERSHIP_STARTED, membership_data(instance))
    elif previous == active and instance.status != active:
        announce(Event.MEMBERSHIP_ENDED, membership_data(instance))


def membership_deleted(sender, instance, **kwargs) -> None:
    if instance.status == Membership.Status.ACTIVE:
        announce(Event.MEMBERSHIP_ENDED, {**membership_data(instance), "reason": "deleted"})


def organisation_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        announce(
            Event.ORGANISATION_CHANGED,
            record_data(instance, resource="organisations", view_name="api:organisation-detail"),
        )


def connect() -> None:
    Announced(
        Conference,
        resource="conferences",
        view_name="api:conference-detail",
        published=Event.CONFERENCE_PUBLISHED,
        changed=Event.CONFERENCE_CHANGED,
        withdrawn=Event.CONFERENCE_WITHDRAWN,
    ).connect()
    Announced(
        Agreement,
        resource="agreements",
        view_name="api:agreement-detail",
        published=Event.AGREEMENT_PUBLISHED,
        changed=Event.AGREEMENT_CHANGED,
        withdrawn=Event.AGREEMENT_WITHDRAWN,
    ).connect()
    uid = "webhooks-memberships"
    signals.pre_save.connect(membership_saving, sender=Membership, dispatch_uid=f"{uid}-pre")
    signals.post_save.connect(membership_saved, sender=Membership, dispatch_uid=f"{uid}-save")
    signals.post_delete.connect(membership_deleted, sender=Membership, dispatch_uid=f"{uid}-delete")
    signals.post_save.connect(
        organisation_saved, sender=Organisation, dispatch_uid="webhooks-organisations-save"
    )
