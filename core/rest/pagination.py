from django.conf import settings
from django.core.paginator import InvalidPage
from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from core.pagination import CappedPaginator, DeepPaginator


def positive_int(request, name: str, *, maximum: int | None = None) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({name: [_("Enter a whole number.")]}, code="invalid") from None
    if value < 1 or (maximum is not None and value > maximum):
        message = _("Enter a number from 1 to %(maximum)s.") % {"maximum": maximum}
        if maximum is None:
            message = _("Enter a number of 1 or more.")
        raise ValidationError({name: [message]}, code="out_of_range")
    return value


class PagePagination(pagination.PageNumberPagination):
    """`?page=` and `?page_size=` (at most API_MAX_PAGE_SIZE), with count, next and previous.

    A malformed page or page size is a 400 naming the parameter; a page past the end is a 404.
    The count stops at COUNT_CAP (`count_capped` then says so); every page is still served and
    `next` is there while rows remain.
    """

    django_paginator_class = CappedPaginator
    page_size_query_param = "page_size"

    @property
    def max_page_size(self) -> int:
        return settings.API_MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None, *, read=None):
        """As DRF's, with `read`: what the page's rows are read as (`CappedPaginator`)."""
        self.request = request
        page_size = self.get_page_size(request)
        if not page_size:
            return None
        paginator = self.django_paginator_class(queryset, page_size, read=read)
        page_number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(page_number)
        except InvalidPage as error:
            raise NotFound(
                self.invalid_page_message.format(page_number=page_number, message=str(error))
            ) from None
        return list(self.page)

    def get_page_size(self, request):
        return positive_int(request, self.page_size_query_param, maximum=self.max_page_size) or (
            self.page_size
        )

    def get_page_number(self, request, paginator):
        return positive_int(request, self.page_query_param) or 1

    def get_paginated_response(self, data):
        paginator = self.page.paginator
        response = Response(
            {
                "count": paginator.shown_count,
                "count_capped": paginator.count_is_capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )
        links = [
            f'<{url}>; rel="{rel}"'
            for rel, url in (("next", self.get_next_link()), ("prev", self.get_previous_link()))
            if url
        ]
        if links:
            response["Link"] = ", ".join(links)
        return response

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        properties = paginated["properties"]
        properties["count"]["description"] = _(
            "The number of matching records, counted up to %(cap)s."
        ) % {"cap": f"{CappedPaginator.count_cap:,}"}
        properties = {
            "count": properties["count"],
            "count_capped": {
                "type": "boolean",
                "description": _(
                    "True when more records match than were counted: follow `next` to the end."
                ),
                "example": False,
            },
            **{key: value for key, value in properties.items() if key != "count"},
        }
        paginated["properties"] = properties
        paginated["required"] = [*paginated.get("required", []), "count_capped"]
        return paginated


class DeepPagePagination(PagePagination):
    """As PagePagination, for lists whose deep pages partners ask for: a page is read through
    its keys (see `core.pagination`), so its cost grows with the index entries skipped only."""

    django_paginator_class = DeepPaginator
