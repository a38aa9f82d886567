from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """Project-wide pieces: home and search pages, template tags, API access and caching."""

    name = "portal"
    verbose_name = _("Portal")
