import datetime

from django.utils import timezone
from import_export import fields

from core.resources import (
    CountryWidget,
    PortalResource,
    SlugListWidget,
    SlugWidget,
    TimeZoneWidget,
    first_slugs,
)
from members.models import Division, Organisation, Topic

from .models import Conference


class ConferenceResource(PortalResource):
    country = fields.Field(attribute="country", column_name="country", widget=CountryWidget())
    division = fields.Field(
        attribute="division", column_name="division", widget=SlugWidget(Division)
    )
    topics = fields.Field(attribute="topics", column_name="topics", widget=SlugListWidget(Topic))
    time_zone = fields.Field(
        attribute="time_zone", column_name="time_zone", widget=TimeZoneWidget()
    )
    participating_organisations = fields.Field(
        attribute="participating_organisations",
        column_name="participating_organisations",
        widget=SlugListWidget(Organisation),
    )

    class Meta(PortalResource.Meta):
        model = Conference
        fields = [
            "slug",
            "title",
            "kind",
            "edition",
            "division",
            "status",
            "theme",
            "description",
            "start_date",
            "end_date",
            "date_precision",
            "time_zone",
            "city",
            "country",
            "venue",
            "website",
            "topics",
            "participating_organisations",
            "participant_count",
            "participant_count_is_minimum",
            "report",
        ]

    template_examples = {
        "slug": "example-conference",
        "title": "Example Conference on Innovation",
        "kind": Conference.Kind.OTHER,
        "status": Conference.Status.PLANNED,
        "date_precision": Conference.DatePrecision.DAY,
        "time_zone": "Europe/Helsinki",
        "city": "Espoo",
        "country": "FI",
        "participant_count_is_minimum": "0",
    }

    def template_example(self) -> dict[str, str]:
        # Next year's dates: a planned conference ahead, as one is entered.
        start = datetime.date(timezone.localdate().year + 1, 6, 9)
        return {
            **super().template_example(),
            "start_date": start.isoformat(),
            "end_date": (start + datetime.timedelta(days=2)).isoformat(),
            "topics": ", ".join(first_slugs(Topic, 2)),
        }

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("division").prefetch_related(
            "topics", "participating_organisations"
        )
