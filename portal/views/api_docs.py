"""The API's documentation: the reference and the guide, server-rendered from the OpenAPI
schema, and the interactive console (Swagger UI) as an extra for those who want it."""

from functools import lru_cache
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularSwaggerSplitView

from ..api.reference import reference


@lru_cache(maxsize=16)
def reference_body(origin: str, language: str) -> str:
    """The reference's content: the same for every visitor of one address, so rendered once."""
    return render_to_string(
        "api_docs/_reference_body.html", {"reference": reference(), "origin": origin}
    )


def origin_of(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


class ApiReferenceView(TemplateView):
    template_name = "api_docs/reference.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["body"] = reference_body(origin_of(self.request), get_language())
        return context


class ApiGuideView(TemplateView):
    template_name = "api_docs/guide.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["reference"] = document = reference()
        context["guide"] = document.guide
        context["reference_url"] = reverse("api:docs")
        return context


class ApiRecordsView(TemplateView):
    template_name = "api_docs/records.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["reference"] = reference()
        context["reference_url"] = reverse("api:docs")
        return context


class ApiConsoleView(SpectacularSwaggerSplitView):
    """Swagger UI, which needs JavaScript: a way to try requests, linked from the reference."""

    url_name = "api:schema"
    title = "API console"
