"""Spreadsheet import and export in the admin (django-import-export).

Records are identified by their slugs, and so are the records they refer to: a division, an
affiliation, topics. Every row is checked with the model's own validation, as the admin form
checks it, and an import is written in one transaction: one bad row and nothing is written.
"""

from import_export import fields

from core.resources import (
    CountryWidget,
    PortalResource,
    SlugListWidget,
    SlugWidget,
    first_slugs,
)

from .models import Division, Organisation, Person, Topic


class OrganisationResource(PortalResource):
    country = fields.Field(attribute="country", column_name="country", widget=CountryWidget())
    division = fields.Field(
        attribute="division", column_name="division", widget=SlugWidget(Division)
    )
    topics = fields.Field(attribute="topics", column_name="topics", widget=SlugListWidget(Topic))

    class Meta(PortalResource.Meta):
        model = Organisation
        fields = [
            "slug",
            "name",
            "short_name",
            "kind",
            "country",
            "city",
            "latitude",
            "longitude",
            "website",
            "contact_email",
            "description",
            "division",
            "topics",
            "ror_id",
            "wikidata_id",
        ]

    template_examples = {
        "slug": "example-science-park",
        "name": "Example Science Park",
        "short_name": "ESP",
        "kind": Organisation.Kind.SCIENCE_PARK,
        "country": "FI",
        "city": "Espoo",
        "latitude": "60.1841",
        "longitude": "24.8301",
        "website": "https://www.example.org/",
    }

    def template_example(self) -> dict[str, str]:
        return {
            **super().template_example(),
            "division": ", ".join(first_slugs(Division)),
            "topics": ", ".join(first_slugs(Topic, 2)),
        }

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("division").prefetch_related("topics")


class PersonResource(PortalResource):
    affiliation = fields.Field(
        attribute="affiliation", column_name="affiliation", widget=SlugWidget(Organisation)
    )
    country = fields.Field(attribute="country", column_name="country", widget=CountryWidget())

    class Meta(PortalResource.Meta):
        model = Person
        fields = [
            "slug",
            "honorific",
            "name",
            "job_title",
            "affiliation",
            "country",
            "bio",
            "email",
            "website",
        ]

    template_examples = {
        "slug": "example-person",
        "honorific": "Dr",
        "name": "Alex Example",
        "job_title": "Director",
        "country": "FI",
    }

    def template_example(self) -> dict[str, str]:
        return {**super().template_example(), "affiliation": ", ".join(first_slugs(Organisation))}

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("affiliation")
