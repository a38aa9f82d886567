"""The members' area, at /account/ beside django-allauth's sign-in pages."""

from django.urls import path

from . import invitations, views

app_name = "account"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("invitation/<str:token>/", invitations.InvitationView.as_view(), name="invitation"),
]
