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
from collections import defaultdict

from rest_framework import serializers

from agreements.confirmations import has_confirmations
from agreements.models import LATER_ONES_ORDER, Agreement, AgreementDocument, AgreementParty
from conferences.models import Conference
from core.countries import country_name
from core.db.prepared import PreparedRows
from core.dependencies import depends_on_record
from core.rest.rows import ListRows, grouped
from core.rest.serializers import absolute
from core.routes import path_maker
from members.models import Organisation, Person, Topic

# The columns of an agreement the list shows, and of the agreement it amends or renews.
COLUMNS = (
    "id",
    "slug",
    "title",
    "kind",
    "status",
    "signed_on",
    "signed_city",
    "signed_country",
    "signed_at_conference_id",
    "signed_at_conference__slug",
    "signed_at_conference__title",
    "effective_on",
    "expires_on",
    "terminated_on",
    "termination_reason",
    "follows_id",
    "relation",
    "follows__slug",
    "follows__title",
    "follows__status",
    "follows__is_public",
    "is_public",
    "source_url",
    "proposed_by_id",
    "proposed_for_id",
    "created",
    "modified",
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
_TOPICS = PreparedRows(
    lambda ids: (
        Agreement.topics.through.objects.filter(agreement_id__in=ids)
        .order_by("topic__name", "topic_id")
        .values("agreement_id", "topic_id", "topic__slug", "topic__name")
    )
)
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
        self.moment = serializers.DateTimeField().to_representation
        self.api_path = path_maker("api:agreement-detail", "slug")
        self.web_path = path_maker("agreements:agreement-detail", "slug")
        self.conference_path = path_maker("api:conference-detail", "slug")
        self.organisation_path = path_maker("api:organisation-detail", "slug")
        self.person_path = path_maker("api:person-detail", "slug")
        self.topic_path = path_maker("api:topic-detail", "slug")
        self.document_url = AgreementDocument._meta.get_field("file").storage.url
        self.kind_labels = {kind: str(kind.label) for kind in AgreementDocument.Kind}

    def read(self, page):
        return page.values(*COLUMNS)

    def write(self, rows: list[dict]) -> list[dict]:
        ids = [row["id"] for row in rows]
        if not ids:
            return []
        later = self._later(ids)
        parties = self._parties(ids)
        topics = self._topics(ids)
        documents = self._documents(ids)
        confirmations = self._confirmations(rows, parties)
        today = datetime.date.today()
        return [
            self._agreement(
                row,
                today=today,
                later=later.get(row["id"], ()),
                parties=parties.get(row["id"], ()),
                topics=topics.get(row["id"], ()),
                documents=documents.get(row["id"], ()),
                confirmations=confirmations.get(row["id"], []),
            )
            for row in rows
        ]

    # The related rows, each in one query, by agreement.

    def _later(self, ids: list[int]) -> dict[int, list[dict]]:
        return grouped(_LATER.rows(ids=ids), "follows_id", Agreement)

    def _parties(self, ids: list[int]) -> dict[int, list[dict]]:
        by_agreement = grouped(_PARTIES.rows(ids=ids), "agreement_id", AgreementParty)
        for parties in by_agreement.values():
            for party in parties:
                depends_on_record(Organisation, party["organisation_id"])
                depends_on_record(Person, party["signatory_id"])
        return by_agreement

    def _topics(self, ids: list[int]) -> dict[int, list[dict]]:
        by_agreement = defaultdict(list)
        for row in _TOPICS.rows(ids=ids):
            depends_on_record(Topic, row["topic_id"])
            by_agreement[row["agreement_id"]].append(row)
        return by_agreement

    def _documents(self, ids: list[int]) -> dict[int, list[dict]]:
        return grouped(_DOCUMENTS.rows(ids=ids), "agreement_id", AgreementDocument)

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
        from .serializers import ConfirmationsField

        field = ConfirmationsField()
        return {
            agreement.pk: field.to_representation(agreement)
            for agreement in Agreement.objects.filter(pk__in=asked).for_api()
            if has_confirmations(agreement)
        }

    # One agreement.

    def _agreement(self, row, *, today, later, parties, topics, documents, confirmations):
        context = self.context
        date = self.date
        shown_documents = documents if self.staff else [d for d in documents if d["is_public"]]
        signed_text = next(
            (d for d in documents if d["is_public"] and d["kind"] == SIGNED_TEXT), None
        )
        answer = {
            "id": row["id"],
            "slug": row["slug"],
            "title": row["title"],
            "kind": row["kind"],
            "status": row["status"],
            "signed_on": date(row["signed_on"]) if row["signed_on"] is not None else None,
            "signed_city": row["signed_city"],
            "signed_country": row["signed_country"],
            "signed_country_name": country_name(row["signed_country"] or ""),
            "signed_at_conference": self._conference(row),
            "effective_on": date(row["effective_on"]) if row["effective_on"] else None,
            "expires_on": date(row["expires_on"]) if row["expires_on"] else None,
            "terminated_on": date(row["terminated_on"]) if row["terminated_on"] else None,
            "termination_reason": row["termination_reason"],
            "is_in_force": is_in_force(row, today),
            "amends": self._earlier(row, Agreement.Relation.AMENDS),
            "renews": self._earlier(row, Agreement.Relation.RENEWS),
            "amended_by": self._later_links(later, Agreement.Relation.AMENDS),
            "renewed_by": self._later_links(later, Agreement.Relation.RENEWS),
            "parties": [self._party(party) for party in parties],
            "topics": [
                self.reference(
                    self.topic_path, topic["topic_id"], topic["topic__slug"], topic["topic__name"]
                )
                for topic in topics
            ],
            "document": (
                absolute(context, self.document_url(signed_text["file"])) if signed_text else None
            ),
            "documents": [self._document(document) for document in shown_documents],
            "is_public": row["is_public"],
            "source_url": row["source_url"],
            "confirmations": confirmations,
            "url": absolute(context, self.api_path(row["slug"])),
            "web_url": absolute(context, self.web_path(row["slug"])),
            "created": self.moment(row["created"]),
            "modified": self.moment(row["modified"]),
        }
        if not self.staff:
            del answer["is_public"]
        depends_on_record(Agreement, row["id"])
        return answer

    def _conference(self, row) -> dict | None:
        pk = row["signed_at_conference_id"]
        if pk is None:
            return None
        depends_on_record(Conference, pk)
        return self.reference(
            self.conference_path,
            pk,
            row["signed_at_conference__slug"],
            row["signed_at_conference__title"],
        )

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
