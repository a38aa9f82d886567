"""Conferences as the API's list writes them (`ConferenceSerializer`), from rows
(core/rest/rows.py), with their hosts and division expanded when asked: a page of fifty
conferences with `?expand=hosts,division` built some five hundred model instances."""

from conferences.models import Conference, ConferenceHost
from core.countries import country_name
from core.db.prepared import PreparedRows
from core.dependencies import depends_on_record
from core.rest.rows import ListRows, ManyReferences, RowShape, grouped
from core.rest.serializers import absolute
from core.routes import path_maker
from members.models import Division, Organisation
from portal import selectors
from portal.api.members.rows import OrganisationRows
from portal.api.members.serializers import DivisionSerializer

from .serializers import ConferenceSerializer

RELATED_COLUMNS = (
    "division_id",
    "division__slug",
    "division__name",
    "cover_image",
    "cover_width",
    "cover_height",
)

_HOSTS = PreparedRows(
    lambda ids: (
        ConferenceHost.objects.filter(conference_id__in=ids)
        .order_by("order", "pk")
        .values(
            "id",
            "conference_id",
            "organisation_id",
            "organisation__slug",
            "organisation__name",
            "role",
        )
    )
)
COVER = Conference._meta.get_field("cover_image")
_TOPICS = ManyReferences(Conference, "topics", "api:topic-detail")


class ConferenceRows(ListRows):
    expansions = frozenset({"hosts", "division"})

    def __init__(self, view) -> None:
        super().__init__(view)
        self.expand = set(self.context.get("expand", ()))
        serializer = ConferenceSerializer(context=self.context)
        self.role = serializer.fields["hosts"].child.fields["role"].to_representation
        self.api_path = path_maker("api:conference-detail", "slug")
        self.web_path = path_maker("conferences:conference-detail", "slug")
        self.division_path = path_maker("api:division-detail", "slug")
        self.organisation_path = path_maker("api:organisation-detail", "slug")
        self.hosts: dict[int, list[dict]] = {}
        self.topics: dict[int, list[dict]] = {}
        self.organisations: dict[int, dict] = {}
        self.divisions: dict[int, dict] = {}
        self.shape = RowShape(
            serializer,
            {
                "country_name": lambda row: country_name(row["country"] or ""),
                "division": self._division,
                "hosts": lambda row: [self._host(host) for host in self.hosts.get(row["id"], ())],
                "topics": lambda row: self.topics.get(row["id"], []),
                "cover_image": lambda row: self.image(row, COVER),
                "url": lambda row: absolute(self.context, self.api_path(row["slug"])),
                "web_url": lambda row: absolute(self.context, self.web_path(row["slug"])),
                "ics_url": lambda row: absolute(
                    self.context, f"{self.api_path(row['slug'])}?format=ics"
                ),
            },
        )

    def read(self, page):
        return page.values(*self.shape.columns, *RELATED_COLUMNS)

    def write(self, rows: list[dict]) -> list[dict]:
        ids = [row["id"] for row in rows]
        if not ids:
            return []
        self.hosts = grouped(_HOSTS.rows(ids=ids), "conference_id", ConferenceHost)
        self.topics = _TOPICS.read(ids, self)
        if "hosts" in self.expand:
            self.organisations = self._organisations(
                {host["organisation_id"] for hosts in self.hosts.values() for host in hosts}
            )
        if "division" in self.expand:
            self.divisions = self._divisions({row["division_id"] for row in rows} - {None})
        answers = [self.shape.write(row) for row in rows]
        for row in rows:
            depends_on_record(Conference, row["id"])
        return answers

    def _organisations(self, ids: set[int]) -> dict[int, dict]:
        """The hosts' organisations as /organisations/ writes them, by key."""
        if not ids:
            return {}
        writer = OrganisationRows(self.view, nested=True)
        rows = writer.read(Organisation.objects.with_membership().filter(pk__in=sorted(ids)))
        rows = list(rows)
        return {row["id"]: answer for row, answer in zip(rows, writer.write(rows), strict=True)}

    def _divisions(self, ids: set[int]) -> dict[int, dict]:
        """The divisions as /divisions/ writes them: a handful, through the serializer."""
        if not ids:
            return {}
        divisions = list(selectors.divisions_with_counts().filter(pk__in=sorted(ids)))
        data = DivisionSerializer(divisions, many=True, nested=True, context=self.context).data
        return {division.pk: answer for division, answer in zip(divisions, data, strict=True)}

    def _host(self, host: dict) -> dict:
        pk = host["organisation_id"]
        depends_on_record(Organisation, pk)
        if "hosts" in self.expand:
            organisation = self.organisations[pk]
        else:
            organisation = self.reference(
                self.organisation_path, pk, host["organisation__slug"], host["organisation__name"]
            )
        return {"organisation": organisation, "role": self.role(host["role"])}

    def _division(self, row) -> dict | None:
        if "division" in self.expand and row["division_id"] is not None:
            depends_on_record(Division, row["division_id"])
            return self.divisions[row["division_id"]]
        return self.joined_reference(row, "division", Division, self.division_path)
