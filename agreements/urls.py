from django.urls import path

from . import feeds, views

app_name = "agreements"

urlpatterns = [
    path("", views.AgreementListView.as_view(), name="agreement-list"),
    path("feed.atom", feeds.AgreementFeed(), name="agreement-feed"),
    path("network/", views.AgreementNetworkView.as_view(), name="network"),
    path(
        "documents/<str:filename>",
        views.agreement_document,
        name="agreement-document",
    ),
    path("<slug:slug>/", views.AgreementDetailView.as_view(), name="agreement-detail"),
]
