"""Which member records the API lists, and when they leave its view (core/departures.py)."""

from core import departures
from core.models import Tombstone

from .models import Division, Membership, Organisation, Person, Topic


def watch() -> None:
    departures.watch(Organisation, resource="organisations")
    departures.watch(Membership, resource="memberships")
    departures.watch(Topic, resource="topics")
    departures.watch(Division, resource="divisions")
    departures.watch(
        Person,
        resource="people",
        fields=["removed_at"],
        shown=lambda values: values["removed_at"] is None,
        reason=lambda old, new: Tombstone.Reason.REMOVED,
    )
