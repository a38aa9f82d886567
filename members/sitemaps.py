import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import Model, QuerySet

from .models import Division, Organisation, Person, Topic


class ProfileSitemap(Sitemap):
    """Every public page of one model, dated by its last edit."""

    model = None
    changefreq = "monthly"

    def items(self) -> QuerySet:
        return self.model.objects.only("slug", "modified").order_by("slug")

    def lastmod(self, item: Model) -> datetime.datetime:
        return item.modified


class OrganisationSitemap(ProfileSitemap):
    model = Organisation
    priority = 0.7


class PersonSitemap(ProfileSitemap):
    model = Person
    priority = 0.5

    def items(self) -> QuerySet:
        return super().items().filter(removed_at__isnull=True)


class DivisionSitemap(ProfileSitemap):
    model = Division
    priority = 0.6


class TopicSitemap(ProfileSitemap):
    model = Topic
    priority = 0.5
