from django.contrib.sitemaps import Sitemap

from .models import Conference


class ConferenceSitemap(Sitemap):
    def items(self):
        return (
            Conference.objects.published()
            .order_by("-start_date", "pk")
            .only("slug", "modified", "end_date", "start_date")
        )

    def lastmod(self, item: Conference):
        return item.modified
