from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """Project-wide pieces: home and search pages, template tags, API access and caching."""

    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        # Webhooks announce the saves of every write path: connected here, before the record
        # apps connect their departures (tombstones), whose stored values they read.
        from .webhooks.signals import connect

        connect()
