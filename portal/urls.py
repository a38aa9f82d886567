from django.contrib.sitemaps.views import sitemap
from django.urls import path
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
]
