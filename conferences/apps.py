from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferencesConfig(AppConfig):
    name = "conferences"
    verbose_name = _("Conferences")

    def ready(self):
        from . import aggregates  # noqa: F401  (registers the filter choices it keeps)
        from .departures import watch

        watch()
