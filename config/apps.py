from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """Project-wide pieces: the home and search pages, template tags, site context."""

    name = "config"
    label = "portal"
    verbose_name = _("Portal")
