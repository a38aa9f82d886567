from import_export import fields

from core.resources import CountryWidget, PortalResource, SlugListWidget, SlugWidget
from members.models import Division, Organisation, Topic

from .models import Conference


class ConferenceResource(PortalResource):
    country = fields.Field(attribute="country", column_name="country", widget=CountryWidget())
    division = fields.Field(
        attribute="division", column_name="division", widget=SlugWidget(Division)
    )
    topics = fields.Field(attribute="topics", column_name="topics", widget=SlugListWidget(Topic))
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

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("division").prefetch_related(
            "topics", "participating_organisations"
        )
