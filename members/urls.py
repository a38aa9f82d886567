from django.urls import path

from . import views

app_name = "members"

# The members' own pages. Pages of members' records that also show conferences and
# agreements (an organisation's profile, people, divisions, topics) are added to this
# namespace by portal/urls.py.
urlpatterns = [
    path("members/", views.OrganisationListView.as_view(), name="organisation-list"),
    path("members/map/", views.MemberMapView.as_view(), name="member-map"),
    path("members/map.json", views.MemberMapDataView.as_view(), name="member-map-data"),
    path("members/map/outline.svg", views.world_outline_svg, name="member-map-outline"),
    path(
        "organisations/<slug:slug>/badge.svg",
        views.OrganisationBadgeView.as_view(),
        name="organisation-badge",
    ),
]
