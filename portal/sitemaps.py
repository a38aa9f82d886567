import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet

from agreements.sitemaps import AgreementSitemap
from conferences.sitemaps import ConferenceSitemap
from members.sitemaps import DivisionSitemap, OrganisationSitemap, PersonSitemap, TopicSitemap

from .models import Page


class PageSitemap(Sitemap):
    """The published pages staff write (drafts are not listed)."""

    changefreq = "monthly"
    priority = 0.6

    def items(self) -> QuerySet[Page]:
        return Page.objects.published().only("slug", "modified").order_by("slug")

    def lastmod(self, page: Page) -> datetime.datetime:
        return page.modified


# /sitemap.xml: every public page of every app, one section each.
SITEMAPS = {
    "conferences": ConferenceSitemap,
    "organisations": OrganisationSitemap,
    "people": PersonSitemap,
    "divisions": DivisionSitemap,
    "topics": TopicSitemap,
    "agreements": AgreementSitemap,
    "pages": PageSitemap,
}
