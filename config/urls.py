from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from agreements.sitemaps import AgreementSitemap
from conferences.sitemaps import ConferenceSitemap
from members.sitemaps import DivisionSitemap, OrganisationSitemap, PersonSitemap, TopicSitemap

from . import figures, search, views

SITEMAPS = {
    "conferences": ConferenceSitemap,
    "organisations": OrganisationSitemap,
    "people": PersonSitemap,
    "divisions": DivisionSitemap,
    "topics": TopicSitemap,
    "agreements": AgreementSitemap,
}

admin.site.site_header = f"{settings.ASSOCIATION_SHORT_NAME} · {settings.SITE_NAME}"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "Records"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("search/", search.SearchView.as_view(), name="search"),
    path("figures/", figures.FiguresView.as_view(), name="figures"),
    path("figures/<slug:name>.csv", figures.figure_csv, name="figure-csv"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("healthz", views.healthz, name="healthz"),
    path("bench/ceiling.json", views.ceiling, name="bench-ceiling"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(("config.api", "api"))),
    path("", include("conferences.urls")),
    path("", include("members.urls")),
    path("agreements/", include("agreements.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
