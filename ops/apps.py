from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations: backup and restore, the demo and the generated dataset, accounts and groups."""

    name = "ops"
    verbose_name = _("Operations")
