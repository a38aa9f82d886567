"""The members' area, at /account/ beside django-allauth's sign-in pages."""

from django.urls import path

from . import privacy, profiles, views

app_name = "account"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path(
        "organisations/<slug:slug>/",
        profiles.OrganisationAreaView.as_view(),
        name="organisation",
    ),
    path(
        "organisations/<slug:slug>/edit/",
        profiles.OrganisationEditView.as_view(),
        name="organisation-edit",
    ),
    path("profile/edit/", profiles.ProfileEditView.as_view(), name="profile-edit"),
    path("proposals/<int:pk>/", profiles.ProposalDetailView.as_view(), name="proposal-detail"),
    path(
        "proposals/<int:pk>/withdraw/",
        profiles.ProposalWithdrawView.as_view(),
        name="proposal-withdraw",
    ),
    path("proposals/<int:pk>/image/", profiles.ProposalImageView.as_view(), name="proposal-image"),
    path("me/", privacy.OwnRecordView.as_view(), name="me"),
    path("me/export.json", privacy.ExportView.as_view(), name="me-export"),
    path("me/remove/", privacy.RemovalRequestView.as_view(), name="me-remove"),
]
