"""Spreadsheet import and export in the admin (django-import-export).

Records are identified by their slugs, and so are the records they refer to: a division, an
affiliation, topics. Every row is checked with the model's own validation, as the admin form
checks it, and an import is written in one transaction: one bad row and nothing is written.
"""

from import_export import fields

from core.resources import CountryWidget, PortalResource, SlugListWidget, SlugWidget

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

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("affiliation")
