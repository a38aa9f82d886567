"""A page of the API's agreement list written from rows, as `AgreementSerializer` writes it.

`AgreementSerializer` over `Agreement.objects.for_api()` builds, for a page of fifty agreements,
some four hundred model instances (the agreements, the ones they amend or renew, the parties
with their organisations and signatories, topics, documents) and reads each field through
DRF: about 40 ms of a 50 ms answer, where its six queries take 9. Here the same queries
return plain rows (`values()`), and each agreement is written straight from them.

The serializer stays the description of the shape (the schema is made from it) and writes
every other variant: CSV, `?expand=`, `?group_by=`, the detail and the answers to writes.
`tests/agreements/test_api_agreement_rows.py` holds the two to the same answers, field by
field, for agreements of every kind of content, for visitors and for staff.

What only a model can say is asked of the model: the confirmations, for the few agreements
parties were asked to confirm (a member proposed it, or a party answered), are read as the
serializer reads them, from instances loaded for those agreements only.
"""

import datetime

from rest_framework import serializers

from agreements.confirmations import has_confirmations
from agreements.models import LATER_ONES_ORDER, Agreement, AgreementDocument, AgreementParty
from conferences.models import Conference
from core.countries import country_name
from core.db.prepared import PreparedRows
from core.dependencies import depends_on_record
from core.rest.rows import ListRows, ManyReferences, RowShape, grouped
from core.rest.serializers import absolute
from core.routes import path_maker
from members.models import Organisation, Person

from .serializers import AgreementSerializer, ConfirmationsField

# The columns read besides the shape's own (`RowShape.columns`): the country, the conference's
# reference, the agreement it amends or renews, and whether parties were asked to confirm it.
RELATED_COLUMNS = (
    "signed_country",
    "signed_at_conference_id",
    "signed_at_conference__slug",
    "signed_at_conference__title",
    "follows_id",
    "relation",
    "follows__slug",
    "follows__title",
    "follows__status",
    "follows__is_public",
    "proposed_by_id",
    "proposed_for_id",
)

# The related rows of a page of agreements, each in one query compiled once per page size
# (core/db/prepared.py), in the orders `Agreement.objects.for_api()` reads them in.
_LATER = PreparedRows(
    lambda ids: (
        Agreement.objects.filter(follows_id__in=ids)
        .order_by(*LATER_ONES_ORDER)
        .values("id", "slug", "title", "status", "is_public", "follows_id", "relation")
    )
)
_PARTIES = PreparedRows(
    lambda ids: (
        AgreementParty.objects.filter(agreement_id__in=ids)
        .order_by("order", "pk")
        .with_confirmation()
        .values(
            "id",
            "agreement_id",
            "organisation_id",
            "organisation__slug",
            "organisation__name",
            "reference_number",
            "signatory_id",
            "signatory__slug",
            "signatory__name",
            "signed_on",
            "answer_state",
        )
    )
)
_TOPICS = ManyReferences(Agreement, "topics", "api:topic-detail")
_DOCUMENTS = PreparedRows(
    lambda ids: (
        AgreementDocument.objects.filter(agreement_id__in=ids)
        .order_by("order", "pk")
        .values("id", "agreement_id", "kind", "title", "language", "file", "is_public")
    )
)

IN_FORCE = {Agreement.Status.SIGNED, Agreement.Status.ACTIVE}
DRAFT = Agreement.Status.DRAFT
SIGNED_TEXT = AgreementDocument.Kind.SIGNED_TEXT


def is_in_force(row: dict, today: datetime.date) -> bool:
    """`Agreement.is_in_force`, for a row."""
    return (
        row["status"] in IN_FORCE
        and (row["effective_on"] is None or row["effective_on"] <= today)
        and (row["expires_on"] is None or row["expires_on"] >= today)
        and (row["terminated_on"] is None or row["terminated_on"] > today)
    )


class AgreementRows(ListRows):
    """Writes pages of agreements for one answer."""

    def __init__(self, view):
        super().__init__(view)
        self.staff = bool(self.context.get("staff"))
        self.date = serializers.DateField().to_representation
        self.api_path = path_maker("api:agreement-detail", "slug")
        self.web_path = path_maker("agreements:agreement-detail", "slug")
        self.conference_path = path_maker("api:conference-detail", "slug")
        self.organisation_path = path_maker("api:organisation-detail", "slug")
        self.person_path = path_maker("api:person-detail", "slug")
        self.document_url = AgreementDocument._meta.get_field("file").storage.url
        self.kind_labels = {kind: str(kind.label) for kind in AgreementDocument.Kind}
        self.today = datetime.date.today()
        self.later: dict[int, list[dict]] = {}
        self.parties: dict[int, list[dict]] = {}
        self.topics: dict[int, list[dict]] = {}
        self.documents: dict[int, list[dict]] = {}
        self.confirmations: dict[int, list] = {}
        self.shape = RowShape(
            AgreementSerializer(context=self.context),
            {
                "signed_country": lambda row: row["signed_country"],
                "signed_country_name": lambda row: country_name(row["signed_country"] or ""),
                "signed_at_conference": lambda row: self.joined_reference(
                    row, "signed_at_conference", Conference, self.conference_path, "title"
                ),
                "is_in_force": lambda row: is_in_force(row, self.today),
                "amends": lambda row: self._earlier(row, Agreement.Relation.AMENDS),
                "renews": lambda row: self._earlier(row, Agreement.Relation.RENEWS),
                "amended_by": lambda row: self._later_links(
                    self.later.get(row["id"], ()), Agreement.Relation.AMENDS
                ),
                "renewed_by": lambda row: self._later_links(
                    self.later.get(row["id"], ()), Agreement.Relation.RENEWS
                ),
                "parties": lambda row: [
                    self._party(party) for party in self.parties.get(row["id"], ())
                ],
                "topics": lambda row: self.topics.get(row["id"], []),
                "document": self._signed_text,
                "documents": lambda row: [
                    self._document(document)
                    for document in self.documents.get(row["id"], ())
                    if self.staff or document["is_public"]
                ],
                "confirmations": lambda row: self.confirmations.get(row["id"], []),
                "url": lambda row: absolute(self.context, self.api_path(row["slug"])),
                "web_url": lambda row: absolute(self.context, self.web_path(row["slug"])),
            },
        )

    def read(self, page):
        return page.values(*self.shape.columns, *RELATED_COLUMNS)

    def write(self, rows: list[dict]) -> list[dict]:
        ids = [row["id"] for row in rows]
        if not ids:
            return []
        self.later = grouped(_LATER.rows(ids=ids), "follows_id", Agreement)
        self.parties = self._parties(ids)
        self.topics = _TOPICS.read(ids, self)
        self.documents = grouped(_DOCUMENTS.rows(ids=ids), "agreement_id", AgreementDocument)
        self.confirmations = self._confirmations(rows, self.parties)
        answers = [self.shape.write(row) for row in rows]
        for row in rows:
            depends_on_record(Agreement, row["id"])
        return answers

    # The related rows, each in one query, by agreement.

    def _parties(self, ids: list[int]) -> dict[int, list[dict]]:
        by_agreement = grouped(_PARTIES.rows(ids=ids), "agreement_id", AgreementParty)
        for parties in by_agreement.values():
            for party in parties:
                depends_on_record(Organisation, party["organisation_id"])
                depends_on_record(Person, party["signatory_id"])
        return by_agreement

    def _confirmations(self, rows: list[dict], parties: dict[int, list[dict]]) -> dict:
        """The confirmations of the agreements parties were asked to confirm, read from
        instances as the serializer reads them (`ConfirmationsField`)."""
        asked = [
            row["id"]
            for row in rows
            if row["proposed_by_id"]
            or row["proposed_for_id"]
            or any(party["answer_state"] for party in parties.get(row["id"], ()))
        ]
        if not asked:
            return {}
        # The shape's own field, so that the two can never disagree.
        field = ConfirmationsField()
        return {
            agreement.pk: field.to_representation(agreement)
            for agreement in Agreement.objects.filter(pk__in=asked).for_api()
            if has_confirmations(agreement)
        }

    # The fields of one agreement that are not its columns.

    def _signed_text(self, row) -> str | None:
        """The first public signed text's address (`Agreement.public_signed_text`)."""
        for document in self.documents.get(row["id"], ()):
            if document["is_public"] and document["kind"] == SIGNED_TEXT:
                return absolute(self.context, self.document_url(document["file"]))
        return None

    def _shown(self, is_public: bool, status: str) -> bool:
        return self.staff or (is_public and status != DRAFT)

    def _link(self, pk, slug, title) -> dict:
        return self.reference(self.api_path, pk, slug, title)

    def _earlier(self, row, relation: str) -> dict | None:
        if row["follows_id"] is None:
            return None
        depends_on_record(Agreement, row["follows_id"])
        if row["relation"] != relation:
            return None
        if not self._shown(row["follows__is_public"], row["follows__status"]):
            return None
        return self._link(row["follows_id"], row["follows__slug"], row["follows__title"])

    def _later_links(self, later, relation: str) -> list[dict]:
        return [
            self._link(one["id"], one["slug"], one["title"])
            for one in later
            if one["relation"] == relation and self._shown(one["is_public"], one["status"])
        ]

    def _party(self, party) -> dict:
        signatory = party["signatory_id"]
        return {
            "organisation": self.reference(
                self.organisation_path,
                party["organisation_id"],
                party["organisation__slug"],
                party["organisation__name"],
            ),
            "reference_number": party["reference_number"],
            "signatory": (
                self.reference(
                    self.person_path, signatory, party["signatory__slug"], party["signatory__name"]
                )
                if signatory is not None
                else None
            ),
            "signed_on": self.date(party["signed_on"]) if party["signed_on"] else None,
        }

    def _document(self, document) -> dict:
        return {
            "kind": document["kind"],
            "title": document["title"] or self.kind_labels[document["kind"]],
            "language": document["language"],
            "url": absolute(self.context, self.document_url(document["file"])),
            "is_public": document["is_public"],
        }
