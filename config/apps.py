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
        # After every migrate, the staff groups also cover models added since.
        signals.post_migrate.connect(ensure_groups, sender=self, dispatch_uid="ensure-groups")


def ensure_groups(using, **kwargs):
    from .roles import ensure_staff_groups

    ensure_staff_groups(using=using)
