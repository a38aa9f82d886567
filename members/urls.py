from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path(
        "organisations/<slug:slug>/",
        views.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("divisions/<slug:slug>/", views.DivisionDetailView.as_view(), name="division-detail"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic-detail"),
]
