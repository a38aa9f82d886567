from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    """Django's admin, on the portal's site (`portal.admin_site.StaffAdminSite`)."""

    default_site = "portal.admin_site.StaffAdminSite"
