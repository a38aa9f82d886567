from django.contrib.sitemaps import Sitemap

from agreements.sitemaps import AgreementSitemap
from conferences.models import Session
from conferences.sitemaps import ConferenceSitemap
from members.sitemaps import DivisionSitemap, OrganisationSitemap, PersonSitemap, TopicSitemap


class SessionSitemap(Sitemap):
    """The page of every published session of a published conference."""

    def items(self):
        return (
            Session.objects.published()
            .select_related("conference")
            .only("pk", "modified", "conference__slug")
            .order_by("-conference__start_date", "conference", "day", "pk")
        )

    def lastmod(self, item: Session):
        return item.modified


# /sitemap.xml: every public page of every app, one section each.
SITEMAPS = {
    "conferences": ConferenceSitemap,
    "sessions": SessionSitemap,
    "organisations": OrganisationSitemap,
    "people": PersonSitemap,
    "divisions": DivisionSitemap,
    "topics": TopicSitemap,
    "agreements": AgreementSitemap,
}
