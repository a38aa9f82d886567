from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("members/", views.OrganisationListView.as_view(), name="organisation-list"),
    path("members/map/", views.MemberMapView.as_view(), name="member-map"),
    path("members/map.json", views.MemberMapDataView.as_view(), name="member-map-data"),
    path(
        "organisations/<slug:slug>/",
        views.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
    path(
        "organisations/<slug:slug>/badge.svg",
        views.OrganisationBadgeView.as_view(),
        name="organisation-badge",
    ),
    path("people/", views.PersonListView.as_view(), name="person-list"),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("divisions/", views.DivisionListView.as_view(), name="division-list"),
    path("divisions/<slug:slug>/", views.DivisionDetailView.as_view(), name="division-detail"),
    path("topics/", views.TopicListView.as_view(), name="topic-list"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic-detail"),
]
