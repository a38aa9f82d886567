"""Pages staff write themselves: About, Join the association, Contact, Privacy…"""

from typing import Any

from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView

from ..models import Page
from ..rendering import render_markdown
from .preview import may_preview


class PageDetailView(DetailView):
    template_name = "pages/page_detail.html"
    context_object_name = "page"

    def get_queryset(self):
        if may_preview(self.request.user, Page):
            return Page.objects.all()
        return Page.objects.published()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["body"] = render_markdown(self.object.body)
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if not self.object.is_published:
            add_never_cache_headers(response)  # a preview is never kept by anyone
        return response
