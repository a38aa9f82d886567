from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members and people")

    def ready(self):
        from . import directory  # noqa: F401  (registers the directory counts it keeps)
        from .departures import watch

        watch()
