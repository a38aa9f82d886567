"""The members' area, at /account/ beside django-allauth's sign-in pages."""

from django.urls import path

from . import privacy, views

app_name = "account"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("me/", privacy.OwnRecordView.as_view(), name="me"),
    path("me/export.json", privacy.ExportView.as_view(), name="me-export"),
    path("me/remove/", privacy.RemovalRequestView.as_view(), name="me-remove"),
]
