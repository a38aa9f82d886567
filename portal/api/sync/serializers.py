from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.models import Tombstone
from core.rest.serializers import ColumnsRead


class TombstoneSerializer(ColumnsRead, serializers.ModelSerializer):
    id = serializers.IntegerField(
        source="object_id", help_text=_("The record's id, as its list gives it.")
    )
    slug = serializers.CharField(
        help_text=_("The record's slug when it left; empty for records addressed by id.")
    )
    resource = serializers.CharField(
        help_text=_("The list the record was in: its name in the address, e.g. conferences.")
    )
    reason = serializers.ChoiceField(
        choices=Tombstone.Reason.choices,
        help_text=_(
            "deleted; unpublished (a conference or session made a draft again, a session "
            "with its conference, an agreement back to draft); made_private (an agreement); "
            "removed (a person removed at their request); merged (into another record)."
        ),
    )
    removed_at = serializers.DateTimeField(help_text=_("When the record left."))

    class Meta:
        model = Tombstone
        fields = ["id", "slug", "resource", "reason", "removed_at"]
