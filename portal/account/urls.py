"""The members' area, at /account/ beside django-allauth's sign-in pages."""

from django.urls import path

from . import agreements, invitations, privacy, profiles, views

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
    path("agreements/", agreements.AgreementListView.as_view(), name="agreement-list"),
    path("agreements/new/", agreements.AgreementCreateView.as_view(), name="agreement-new"),
    path(
        "agreements/<slug:slug>/",
        agreements.AgreementDetailView.as_view(),
        name="agreement-detail",
    ),
    path(
        "agreements/<slug:slug>/renew/",
        agreements.AgreementRenewView.as_view(),
        name="agreement-renew",
    ),
    path(
        "agreements/<slug:slug>/edit/",
        agreements.AgreementUpdateView.as_view(),
        name="agreement-edit",
    ),
    path("invitation/<str:token>/", invitations.InvitationView.as_view(), name="invitation"),
]
