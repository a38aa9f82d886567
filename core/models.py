import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Tombstone(models.Model):
    """A record that left what a reader could see: deleted, unpublished, made private, removed.

    Partners mirror the portal with `modified_since`, which never lists what is gone; the API's
    removed feed lists these, so that a mirror drops them too. Written by core/departures.py at
    the moment a record leaves, keyed by the API's resource name and the record's id.
    """

    class Reason(models.TextChoices):
        DELETED = "deleted", _("Deleted")
        UNPUBLISHED = "unpublished", _("Unpublished")
        MADE_PRIVATE = "made_private", _("Made private")
        REMOVED = "removed", _("Removed at the person's request")
        MERGED = "merged", _("Merged into another record")

    resource = models.CharField(_("resource"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("record id"))
    slug = models.CharField(_("slug"), max_length=255, blank=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    # False for a record only staff could read (a draft deleted): only they are told.
    was_public = models.BooleanField(_("was public"), default=True)
    removed_at = models.DateTimeField(_("removed at"), default=timezone.now)

    class Meta:
        verbose_name = _("tombstone")
        verbose_name_plural = _("tombstones")
        ordering = ["removed_at", "pk"]
        indexes = [
            models.Index(fields=["removed_at", "id"], name="tombstone_time"),
            models.Index(fields=["resource", "object_id"], name="tombstone_record"),
        ]

    def __str__(self) -> str:
        return f"{self.resource} {self.object_id} ({self.reason})"


class Aggregate(models.Model):
    """A count over whole tables (the figures, the network), computed by the worker after
    records change and read by the pages in one query (core/aggregates.py).

    `version` is the change clock (core/changes.py) the payload was computed for: a payload
    whose version is older than the clock lags behind a change the worker has yet to count.
    `revision` is new with each payload stored: what a process makes of a payload (a chart, a
    table) is made once per revision (core/aggregates.py, `derived`).
    """

    key = models.CharField(_("key"), max_length=100, unique=True)
    payload = models.JSONField(_("payload"))
    version = models.FloatField(_("records changed at"))
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)
    revision = models.UUIDField(_("revision"), default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = _("aggregate")
        verbose_name_plural = _("aggregates")

    def __str__(self) -> str:
        return self.key
