from django.contrib.sitemaps import Sitemap

from .models import Agreement


class AgreementSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Agreement.objects.public().order_by("-signed_on", "pk")

    def lastmod(self, item: Agreement):
        return item.modified
