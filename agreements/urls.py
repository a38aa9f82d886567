from django.urls import path

from . import views

app_name = "agreements"

urlpatterns = [
    path("<slug:slug>/", views.AgreementDetailView.as_view(), name="agreement-detail"),
]
