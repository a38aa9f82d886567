from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """Project-wide pieces: home and search pages, template tags, API access and caching."""

    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.db.models import signals

        from .aggregates import record_changed as recount_aggregates
        from .downloads import record_changed
        from .webhooks.signals import connect

        # The same signals as the change clock (core/apps.py): any saved record.
        for signal in (signals.post_save, signals.post_delete, signals.m2m_changed):
            signal.connect(record_changed, dispatch_uid=f"downloads-rebuild-{signal!r}")
            signal.connect(recount_aggregates, dispatch_uid=f"aggregates-refresh-{signal!r}")
        # Webhooks announce the saves of every write path: connected here, before the record
        # apps connect their departures (tombstones), whose stored values they read.
        connect()
