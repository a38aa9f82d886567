import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet

from agreements.sitemaps import AgreementSitemap
from conferences.models import Session
from conferences.sitemaps import ConferenceSitemap
from members.sitemaps import DivisionSitemap, OrganisationSitemap, PersonSitemap, TopicSitemap

from .models import Page


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
    "sessions": SessionSitemap,
    "organisations": OrganisationSitemap,
    "people": PersonSitemap,
    "divisions": DivisionSitemap,
    "topics": TopicSitemap,
    "agreements": AgreementSitemap,
    "pages": PageSitemap,
}
