"""The site's pages. Pages that compose several apps are built here and added to the namespace
of the record they show (`members:organisation-detail`), so that every name and address stays
what the app's own URLs would make it."""

from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from agreements import urls as agreement_urls
from conferences import urls as conference_urls
from core import views as machine_views
from members import urls as member_urls

from . import figures, search
from .sitemaps import SITEMAPS
from .views import conferences, home, members, pages

conference_pages = [
    *conference_urls.urlpatterns,
    path(
        "conferences/<slug:slug>/",
        conferences.ConferenceDetailView.as_view(),
        name="conference-detail",
    ),
    path(
        "conferences/<slug:slug>/sessions/<int:pk>/",
        conferences.SessionDetailView.as_view(),
        name="session-detail",
    ),
]

member_pages = [
    *member_urls.urlpatterns,
    path(
        "organisations/<slug:slug>/",
        members.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
    path("people/", members.PersonListView.as_view(), name="person-list"),
    path("people/<slug:slug>/", members.PersonDetailView.as_view(), name="person-detail"),
    path("divisions/", members.DivisionListView.as_view(), name="division-list"),
    path("divisions/<slug:slug>/", members.DivisionDetailView.as_view(), name="division-detail"),
    path("topics/", members.TopicListView.as_view(), name="topic-list"),
    path("topics/<slug:slug>/", members.TopicDetailView.as_view(), name="topic-detail"),
]

urlpatterns = [
    path("", home.HomeView.as_view(), name="home"),
    path("search/", search.SearchView.as_view(), name="search"),
    path("pages/<slug:slug>/", pages.PageDetailView.as_view(), name="page-detail"),
    path("figures/", figures.FiguresView.as_view(), name="figures"),
    path("figures/<slug:name>.csv", figures.figure_csv, name="figure-csv"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("healthz", machine_views.healthz, name="healthz"),
    path("bench/ceiling.json", machine_views.ceiling, name="bench-ceiling"),
    path("", include((conference_pages, conference_urls.app_name))),
    path("", include((member_pages, member_urls.app_name))),
    path("agreements/", include(agreement_urls)),
    # The members' area and, beside it, django-allauth's sign-in, code and password pages.
    path("account/", include("portal.account.urls")),
    path("account/", include("allauth.urls")),
]
