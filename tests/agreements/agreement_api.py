"""Helpers shared by the /api/v1/agreements/ read tests."""

from django.core.files.base import ContentFile
from django.urls import reverse

from agreements.models import Agreement

LIST_URL = reverse("api:agreement-list")
BASE = "http://testserver"


def detail_url(agreement: Agreement) -> str:
    return reverse("api:agreement-detail", kwargs={"slug": agreement.slug})


def pdf(name: str = "signed.pdf") -> ContentFile:
    return ContentFile(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n", name=name)


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


def error_attrs(response) -> list[str]:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["type"] == "validation_error"
    return [error["attr"] for error in body["errors"]]


def reference(path: str, obj, name: str) -> dict:
    return {"id": obj.pk, "slug": obj.slug, "name": name, "url": f"{BASE}{path}{obj.slug}/"}
