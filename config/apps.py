from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """Project-wide pieces: home and search pages, template tags, API access and caching."""

    name = "config"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.db.models import signals

        from .changes import records_changed

        for signal in (signals.post_save, signals.post_delete, signals.m2m_changed):
            signal.connect(records_changed, dispatch_uid=f"records-changed-{signal!r}")
