"""Which agreements the API lists, and when they leave its view (core/departures.py)."""

from core import departures
from core.models import Tombstone

from .models import Agreement


def shown(values) -> bool:
    return values["is_public"] and values["status"] != Agreement.Status.DRAFT


def reason(old, new) -> str:
    if old["is_public"] and not new["is_public"]:
        return Tombstone.Reason.MADE_PRIVATE
    return Tombstone.Reason.UNPUBLISHED


def watch() -> None:
    departures.watch(
        Agreement, resource="agreements", fields=["is_public", "status"], shown=shown, reason=reason
    )
