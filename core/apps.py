from django.apps import AppConfig
from django.conf import settings
from django.db.models import signals
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The kernel every app uses: REST plumbing, page cache and change clock, admin mixins."""

    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import dependencies, i18n
        from .changes import records_changed

        i18n.install()

        for signal in (signals.post_save, signals.post_delete, signals.m2m_changed):
            signal.connect(records_changed, dispatch_uid=f"records-changed-{signal!r}")
        if settings.PAGE_CACHE_SECONDS > 0:
            # Only an answer being cached collects the records it loaded: without the cache,
            # a signal per record loaded would be spent for nothing.
            dependencies.connect_loading()
        dependencies.connect_changes()
