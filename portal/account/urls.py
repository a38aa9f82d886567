"""The members' area, at /account/ beside django-allauth's sign-in pages."""

from django.urls import path

from . import views

app_name = "account"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
]
