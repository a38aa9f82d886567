from django.conf import settings
from django.http import Http404
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _
from rest_framework import mixins, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core import dependencies, page_cache
from core.changes import last_modified

from .filters import check_parameters
from .grouping import GroupByMixin
from .permissions import is_staff_caller, may_read_private
from .renderers import CSVRenderer, JSONRenderer
from .rows import ListRows


class Answered(Exception):
    """Raised while checking a request, to answer it at once (304, or a cached answer)."""

    def __init__(self, response):
        super().__init__()
        self.response = response


class ConditionalMixin:
    """Conditional requests and cached answers, checked before any query is run.

    `Last-Modified` comes from the portal's change clock, so `If-Modified-Since` is answered
    with a 304 without building anything. `ETag` (a hash of the body) and `If-None-Match`
    are handled for every GET by Django's ConditionalGetMiddleware. Answers that are the same
    for every anonymous or partner caller are kept in the cache with what they depend on, so
    a change to a record they show makes them stale at once (core/page_cache.py).
    """

    # Actions whose answer depends only on the records it loads and on every record of the
    # models in `cache_depends_on` (core/dependencies.py); the others on every change. A
    # list (and its counts by a field) with `cache_list_depends_on` depends on those kinds.
    cache_precise_actions: tuple[str, ...] = ()
    cache_depends_on: tuple = ()
    cache_list_depends_on: tuple = ()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.cache_slot = None
        self.last_modified = None
        if request.method not in ("GET", "HEAD"):
            return
        self.last_modified = last_modified()
        if self.last_modified is not None and "HTTP_IF_NONE_MATCH" not in request.META:
            response = get_conditional_response(
                request._request, last_modified=int(self.last_modified.timestamp())
            )
            if response is not None:
                raise Answered(response)
        if settings.PAGE_CACHE_SECONDS and not is_staff_caller(request):
            # The renderer's parameters shape the body too (`application/json; indent=4`).
            cached, self.cache_slot = page_cache.lookup(
                request._request,
                variant=f"{request.accepted_renderer.format}\n{request.accepted_media_type}",
            )
            if cached is not None:
                raise Answered(cached)
            if self.action in self.cache_precise_actions:
                dependencies.precise()
                dependencies.depends_on(*self.cache_depends_on)
            elif self.action == "list" and self.cache_list_depends_on:
                dependencies.precise()
                dependencies.depends_on(*self.cache_list_depends_on)

    def handle_exception(self, exc):
        if isinstance(exc, Answered):
            return exc.response
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code >= 400 and getattr(response, "accepted_renderer", None):
            # Errors are JSON whatever format was asked for: a CSV of an error helps nobody.
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = response.accepted_renderer.media_type
        if getattr(self, "last_modified", None) is not None and response.status_code == 200:
            response.headers.setdefault("Last-Modified", http_date(self.last_modified.timestamp()))
        patch_vary_headers(response, ["Accept", "Authorization"])
        # Stored copies are checked with the server before reuse: cheap with the validators.
        response.headers.setdefault("Cache-Control", "no-cache")
        if getattr(self, "cache_slot", None) and "X-Cache" not in response:
            response = page_cache.store_response(self.cache_slot, response, request._request)
        return response


class StrictRequestMixin:
    """Parameters the endpoint does not take, and formats it does not offer, are 400s."""

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force)
        except Http404:
            formats = ", ".join(renderer.format for renderer in self.get_renderers())
            raise ValidationError(
                {"format": [_("Choose one of: %(formats)s.") % {"formats": formats}]},
                code="invalid_choice",
            ) from None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        check_parameters(request, self)


class PortalViewSet(
    GroupByMixin, StrictRequestMixin, ConditionalMixin, viewsets.ReadOnlyModelViewSet
):
    """A read endpoint: list and detail by slug, with expansion and audience-aware fields.

    Subclasses set `serializer_class` (the list shape), optionally `detail_serializer_class`,
    and `get_queryset()` returning the model's `for_api()`-style QuerySet.
    """

    lookup_field = "slug"
    # Any path segment reaches the view, so that a malformed slug gets the API's JSON 404.
    lookup_value_regex = "[^/]+"
    detail_serializer_class = None
    write_serializer_class = None
    # Formats besides JSON: lists also come as CSV; calendars add iCalendar.
    list_renderer_classes = (CSVRenderer,)
    detail_renderer_classes = ()
    # A class writing the plain JSON list from rows (core/rest/rows.py), or None.
    list_rows: type[ListRows] | None = None

    def get_renderers(self):
        extra = self.list_renderer_classes if self.action == "list" else ()
        if self.action == "retrieve":
            extra = self.detail_renderer_classes
        return [JSONRenderer(), *(renderer() for renderer in extra)]

    @property
    def expansions(self):
        return self.get_serializer_class().expansions()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.expand = self.parse_expand(request)
        self.grouping = self.parse_group_by(request)

    def parse_expand(self, request) -> tuple[str, ...]:
        raw = request.query_params.get("expand")
        if raw is None:
            return ()
        names = tuple(dict.fromkeys(name.strip() for name in raw.split(",") if name.strip()))
        allowed = self.expansions
        wrong = [name for name in names if name not in allowed]
        if wrong or not names:
            raise ValidationError(
                {
                    "expand": [
                        _("Expand one or more of: %(names)s.")
                        % {"names": ", ".join(sorted(allowed)) or _("nothing here")}
                    ]
                },
                code="invalid_choice",
            )
        return names

    @property
    def staff(self) -> bool:
        """Whether the caller reads as staff: private fields shown, as in the admin."""
        meta = getattr(self.get_serializer_class(), "Meta", None)
        model = getattr(meta, "model", None) or self.get_queryset().model
        return may_read_private(self.request, model)

    def get_object(self):
        if "\x00" in str(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, "")):
            # PostgreSQL refuses a NUL in a query; no record has one in its slug.
            raise Http404
        return super().get_object()

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update") and self.write_serializer_class:
            return self.write_serializer_class
        if self.action != "list" and self.detail_serializer_class is not None:
            return self.detail_serializer_class
        return self.serializer_class

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["expand"] = getattr(self, "expand", ())
        context["staff"] = self.staff
        return context

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        for name in getattr(self, "expand", ()):
            queryset = self.expansions[name].load(queryset)
        return queryset

    def rows_writer(self) -> ListRows | None:
        """The writer of this list from rows, when the answer is the plain JSON list of
        `serializer_class`: not CSV, not counts by a field, no expansion but those it writes."""
        renderer = getattr(self.request, "accepted_renderer", None)
        if (
            self.list_rows is None
            or self.action != "list"
            or renderer is None
            or renderer.format != "json"
            or getattr(self, "grouping", None) is not None
            or self.get_serializer_class() is not self.serializer_class
            or not set(getattr(self, "expand", ())) <= self.list_rows.expansions
        ):
            return None
        return self.list_rows(self)

    def list(self, request, *args, **kwargs):
        rows = self.rows_writer()
        if rows is not None:
            # The filters and order, without the expansions' loads (the rows read their own).
            records = super().filter_queryset(rows.queryset())
            page = self.paginator.paginate_queryset(records, request, view=self, read=rows.read)
            return self.get_paginated_response(rows.write(page))
        response = super().list(request, *args, **kwargs)
        if (
            getattr(request, "accepted_renderer", None)
            and request.accepted_renderer.format == "csv"
        ):
            filename = f"{self.basename}.csv"
            # Counts by group_by name their own file.
            response.setdefault("Content-Disposition", f'attachment; filename="{filename}"')
        return response


class PortalWriteViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, PortalViewSet):
    """A read endpoint that staff tokens may also create and update records through.

    Responses to writes use the detail shape.
    """

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = self.perform_create(serializer)
        return self.detail_response(instance, status=201)

    def perform_create(self, serializer):
        return serializer.save()

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        instance = self.perform_update(serializer)
        return self.detail_response(instance, status=200)

    def perform_update(self, serializer):
        return serializer.save()

    def detail_response(self, instance, *, status: int):
        fresh = self.get_queryset().get(pk=instance.pk)
        self.complete_detail(fresh)
        serializer_class = self.detail_serializer_class or self.serializer_class
        data = serializer_class(fresh, context=self.get_serializer_context()).data
        return Response(data, status=status)

    def complete_detail(self, record) -> None:
        """Read what the detail shape shows besides what `get_queryset()` loads (nothing
        here; a conference's outcomes where it has any)."""
