"""Organisations as the API's list writes them (`OrganisationSerializer`), from rows
(core/rest/rows.py): the list of /organisations/, and the hosts a conference list expands."""

from core.countries import country_name
from core.dependencies import depends_on_record
from core.rest.rows import ListRows, ManyReferences, RowShape
from core.rest.serializers import absolute
from core.routes import path_maker
from members.models import Division, Organisation

from .serializers import OrganisationSerializer

# The columns besides the shape's own: the division's reference, the logo's size, the current
# membership (`Organisation.objects.with_membership()`).
RELATED_COLUMNS = (
    "division_id",
    "division__slug",
    "division__name",
    "logo",
    "logo_width",
    "logo_height",
    "membership_category",
    "member_since",
)

LOGO = Organisation._meta.get_field("logo")
_TOPICS = ManyReferences(Organisation, "topics", "api:topic-detail")


class OrganisationRows(ListRows):
    """Writes organisations as `OrganisationSerializer` does, `nested` as in an expansion."""

    def __init__(self, view, *, nested: bool = False) -> None:
        super().__init__(view)
        serializer = OrganisationSerializer(context=self.context, nested=nested)
        membership = serializer.fields["membership"].fields
        self.category = membership["category"].to_representation
        self.since = membership["member_since"].to_representation
        self.api_path = path_maker("api:organisation-detail", "slug")
        self.web_path = path_maker("members:organisation-detail", "slug")
        self.division_path = path_maker("api:division-detail", "slug")
        self.topics: dict[int, list[dict]] = {}
        self.shape = RowShape(
            serializer,
            {
                "country_name": lambda row: country_name(row["country"] or ""),
                "logo": lambda row: self.image(row, LOGO),
                "division": lambda row: self.joined_reference(
                    row, "division", Division, self.division_path
                ),
                "topics": lambda row: self.topics.get(row["id"], []),
                "is_member": lambda row: row["membership_category"] is not None,
                "membership": self._membership,
                "url": lambda row: absolute(self.context, self.api_path(row["slug"])),
                "web_url": lambda row: absolute(self.context, self.web_path(row["slug"])),
            },
        )

    @property
    def columns(self) -> list[str]:
        return [*self.shape.columns, *RELATED_COLUMNS]

    def read(self, page):
        return page.values(*self.columns)

    def write(self, rows: list[dict]) -> list[dict]:
        ids = [row["id"] for row in rows]
        if not ids:
            return []
        self.topics = _TOPICS.read(ids, self)
        answers = [self.shape.write(row) for row in rows]
        for row in rows:
            depends_on_record(Organisation, row["id"])
        return answers

    def _membership(self, row) -> dict | None:
        # As CurrentMembershipSerializer.
        if row["membership_category"] is None:
            return None
        since = row["member_since"]
        return {
            "category": self.category(row["membership_category"]),
            "member_since": None if since is None else self.since(since),
        }
