from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members and people")

    def ready(self):
        from . import (  # noqa: F401  (register the counts and points they keep)
            directory,
            map_points,
        )
        from .departures import watch

        watch()
