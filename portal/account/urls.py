"""The members' area, at /account/ beside django-allauth's sign-in pages."""

from django.urls import path

from . import agreements, views

app_name = "account"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("agreements/", agreements.AgreementListView.as_view(), name="agreement-list"),
    path("agreements/new/", agreements.AgreementCreateView.as_view(), name="agreement-new"),
    path(
        "agreements/<slug:slug>/",
        agreements.AgreementDetailView.as_view(),
        name="agreement-detail",
    ),
    path(
        "agreements/<slug:slug>/edit/",
        agreements.AgreementUpdateView.as_view(),
        name="agreement-edit",
    ),
]
