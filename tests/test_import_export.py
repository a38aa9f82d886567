"""Spreadsheet import and export in the admin: CSV and XLSX, a preview before anything is
written, each bad row reported with its line and reason, and nothing written when one fails."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import Agreement, AgreementParty
from agreements.resources import AgreementResource
from conferences.models import Conference
from conferences.resources import ConferenceResource
from members.models import Organisation, Person
from members.resources import OrganisationResource, PersonResource
from tests.factories import (
    ConferenceFactory,
    DivisionFactory,
    OrganisationFactory,
    PersonFactory,
    TopicFactory,
    bilateral_agreement,
)

pytestmark = pytest.mark.django_db

CSV_FORMAT, XLSX_FORMAT = "0", "1"  # the admin offers CSV and XLSX, in this order

ORGANISATION_HEADER = [
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


def url(model: type, view: str) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")


def export(client, model: type, resource: type, file_format: str):
    fields = resource().get_export_order()
    data = {"format": file_format, "resource": "0"}
    data.update({f"{resource.__name__.lower()}_{field}": "on" for field in fields})
    return client.post(url(model, "export"), data)


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [
        ["" if cell is None else cell for cell in row] for row in sheet.iter_rows(values_only=True)
    ]


def csv_file(header: list[str], rows: list[dict], name: str = "import.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode())


def xlsx_file(header: list[str], rows: list[dict]) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(column, "") for column in header])
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("import.xlsx", out.getvalue())


def preview(client, model: type, upload: SimpleUploadedFile, file_format: str = CSV_FORMAT):
    return client.post(
        url(model, "import"), {"format": file_format, "resource": "0", "import_file": upload}
    )


def confirm(client, model: type, preview_response):
    form = preview_response.context["confirm_form"]
    return client.post(url(model, "process_import"), form.initial)


def organisation_row(**fields) -> dict:
    row = dict.fromkeys(ORGANISATION_HEADER, "")
    row.update(
        slug="cmu-step",
        name="CMU Science and Technology Park",
        short_name="CMU STeP",
        kind="science_park",
        country="TH",
        city="Chiang Mai",
    )
    row.update(fields)
    return row


# Export


@pytest.fixture
def organisation():
    division = DivisionFactory(slug="asia-pacific")
    organisation = OrganisationFactory(
        slug="cmu-step",
        name="CMU Science and Technology Park",
        short_name="CMU STeP",
        country="TH",
        city="Chiang Mai",
        contact_email="office@step.example",
        division=division,
    )
    organisation.topics.set([TopicFactory(slug="biotech"), TopicFactory(slug="energy")])
    return organisation


def expected_organisation_row(organisation) -> list[str]:
    return [
        "cmu-step",
        "CMU Science and Technology Park",
        "CMU STeP",
        "science_park",
        "TH",
        "Chiang Mai",
        "",
        "",
        "",
        "office@step.example",
        "",
        "asia-pacific",
        "biotech, energy",
        "",
        "",
    ]


def test_export_organisations_as_csv(staff_client, organisation):
    response = export(staff_client, Organisation, OrganisationResource, CSV_FORMAT)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert csv_rows(response) == [ORGANISATION_HEADER, expected_organisation_row(organisation)]


def test_export_organisations_as_xlsx(staff_client, organisation):
    response = export(staff_client, Organisation, OrganisationResource, XLSX_FORMAT)

    assert response.status_code == 200
    assert xlsx_rows(response) == [ORGANISATION_HEADER, expected_organisation_row(organisation)]


def test_export_people_names_the_affiliation_by_slug(staff_client):
    PersonFactory(slug="ada", name="Ada Example", affiliation=OrganisationFactory(slug="cmu-step"))

    rows = csv_rows(export(staff_client, Person, PersonResource, CSV_FORMAT))

    record = dict(zip(rows[0], rows[1], strict=True))
    assert (record["slug"], record["name"], record["affiliation"]) == (
        "ada",
        "Ada Example",
        "cmu-step",
    )


def test_export_conferences_with_dates_and_topics(staff_client):
    conference = ConferenceFactory(slug="wc-42", title="42nd World Conference")
    conference.topics.set([TopicFactory(slug="ai")])

    rows = xlsx_rows(export(staff_client, Conference, ConferenceResource, XLSX_FORMAT))

    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["slug"] == "wc-42"
    # Spreadsheet cells hold real dates.
    assert record["start_date"] == datetime.datetime(2025, 9, 15)
    assert record["end_date"] == datetime.datetime(2025, 9, 19)
    assert record["topics"] == "ai"


def test_export_agreements_lists_the_parties_in_order(staff_client):
    agreement = bilateral_agreement(slug="step-tsp")
    slugs = [party.organisation.slug for party in agreement.parties.all()]

    rows = csv_rows(export(staff_client, Agreement, AgreementResource, CSV_FORMAT))

    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["slug"] == "step-tsp"
    assert record["parties"] == ", ".join(slugs)


def test_export_page_offers_csv_and_xlsx_only(staff_client):
    response = staff_client.get(url(Organisation, "export"))

    formats = [label for _value, label in response.context["form"].fields["format"].choices]
    assert formats == ["---", "csv", "xlsx"]


# Import


def test_import_csv_shows_a_preview_and_writes_nothing_before_confirming(staff_client):
    DivisionFactory(slug="asia-pacific")
    TopicFactory(slug="biotech")
    upload = csv_file(
        ORGANISATION_HEADER,
        [organisation_row(division="asia-pacific", topics="biotech")],
    )

    response = preview(staff_client, Organisation, upload)

    assert response.status_code == 200
    assert "Preview" in response.text
    assert "Confirm import" in response.text
    assert "CMU Science and Technology Park" in response.text
    assert not Organisation.objects.exists()


def test_import_csv_confirmed_creates_the_records(staff_client, staff_user):
    DivisionFactory(slug="asia-pacific")
    TopicFactory(slug="biotech")
    TopicFactory(slug="energy")
    upload = csv_file(
        ORGANISATION_HEADER,
        [
            organisation_row(division="asia-pacific", topics="biotech, energy"),
            organisation_row(slug="tsp", name="Thailand Science Park", city="Pathum Thani"),
        ],
    )

    response = confirm(staff_client, Organisation, preview(staff_client, Organisation, upload))

    assert response.status_code == 302
    assert response.url == url(Organisation, "changelist")
    step = Organisation.objects.get(slug="cmu-step")
    assert step.division.slug == "asia-pacific"
    assert sorted(step.topics.values_list("slug", flat=True)) == ["biotech", "energy"]
    assert Organisation.objects.get(slug="tsp").city == "Pathum Thani"
    assert step.history.first().history_user == staff_user
    messages = [str(message) for message in response.wsgi_request._messages]
    assert messages == ["Import finished: 2 new, 0 updated, 0 deleted and 0 skipped organisations."]


def test_import_xlsx_confirmed_updates_by_slug(staff_client):
    existing = OrganisationFactory(slug="cmu-step", name="CMU STeP", country="TH", city="Old")
    upload = xlsx_file(ORGANISATION_HEADER, [organisation_row(city="Chiang Mai")])

    preview_response = preview(staff_client, Organisation, upload, XLSX_FORMAT)
    assert "Update" in preview_response.text
    response = confirm(staff_client, Organisation, preview_response)

    assert response.status_code == 302
    existing.refresh_from_db()
    assert (existing.name, existing.city) == ("CMU Science and Technology Park", "Chiang Mai")
    assert Organisation.objects.count() == 1


def test_import_people_finds_the_affiliation_by_slug(staff_client):
    affiliation = OrganisationFactory(slug="cmu-step")
    header = ["slug", "name", "affiliation", "country", "email"]
    upload = csv_file(
        header,
        [
            {
                "slug": "ada",
                "name": "Ada Example",
                "affiliation": "cmu-step",
                "country": "th",
                "email": "ada@example.org",
            }
        ],
    )

    response = confirm(staff_client, Person, preview(staff_client, Person, upload))

    assert response.status_code == 302
    person = Person.objects.get(slug="ada")
    assert (person.affiliation, person.country.code) == (affiliation, "TH")


def test_import_agreement_records_the_parties_in_order(staff_client):
    OrganisationFactory(slug="cmu-step")
    OrganisationFactory(slug="tsp")
    TopicFactory(slug="biotech")
    header = ["slug", "title", "kind", "status", "parties", "signed_on", "topics"]
    upload = csv_file(
        header,
        [
            {
                "slug": "step-tsp",
                "title": "STeP and TSP cooperation",
                "kind": "mou",
                "status": "signed",
                "parties": "tsp, cmu-step",
                "signed_on": "2025-09-18",
                "topics": "biotech",
            }
        ],
    )

    response = confirm(staff_client, Agreement, preview(staff_client, Agreement, upload))

    assert response.status_code == 302
    agreement = Agreement.objects.get(slug="step-tsp")
    assert [party.organisation.slug for party in agreement.parties.all()] == ["tsp", "cmu-step"]
    assert list(agreement.topics.values_list("slug", flat=True)) == ["biotech"]
    assert agreement.signed_on == datetime.date(2025, 9, 18)


def test_import_reimporting_an_export_changes_nothing(staff_client, organisation):
    exported = export(staff_client, Organisation, OrganisationResource, CSV_FORMAT)
    upload = SimpleUploadedFile("export.csv", exported.content)

    response = preview(staff_client, Organisation, upload)

    assert [row.import_type for row in response.context["result"].rows] == ["skip"]


@pytest.mark.parametrize("file_format", [CSV_FORMAT, XLSX_FORMAT], ids=["csv", "xlsx"])
def test_import_reimporting_exported_conferences_and_agreements_changes_nothing(
    staff_client, file_format
):
    conference = ConferenceFactory(slug="wc-42")
    conference.topics.set([TopicFactory(slug="ai")])
    bilateral_agreement(signed_at_conference=conference)

    for model, resource in [(Conference, ConferenceResource), (Agreement, AgreementResource)]:
        exported = export(staff_client, model, resource, file_format)
        name = "export.csv" if file_format == CSV_FORMAT else "export.xlsx"
        upload = SimpleUploadedFile(name, exported.content)

        response = preview(staff_client, model, upload, file_format)

        assert [row.import_type for row in response.context["result"].rows] == ["skip"]


def assert_refused(response, line: int, reason: str) -> None:
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    assert "Nothing was imported" in response.text
    assert f"Line {line}" in response.text
    assert reason in response.text


@pytest.mark.parametrize(
    ("bad_row", "reason"),
    [
        ({"slug": "bad", "country": "XX"}, "Value &#x27;XX&#x27; is not a valid choice."),
        ({"slug": "bad", "division": "nowhere"}, "There is no division with the slug “nowhere”."),
        (
            {"slug": "bad", "topics": "biotech, nothing"},
            "There is no topic with the slug “nothing”.",
        ),
        ({"slug": "bad", "latitude": "91"}, "Ensure this value is less than or equal to 90."),
        ({"slug": ""}, "This field cannot be blank."),
        (
            {"slug": "bad", "name": "Old Park"},
            "An organisation with this name exists in this country.",
        ),
    ],
    ids=[
        "unknown-country",
        "unknown-division",
        "unknown-topic",
        "latitude",
        "no-slug",
        "duplicate",
    ],
)
def test_import_bad_row_is_reported_by_line_and_nothing_is_written(staff_client, bad_row, reason):
    TopicFactory(slug="biotech")
    OrganisationFactory(slug="old-park", name="Old Park", country="TH")
    upload = csv_file(
        ORGANISATION_HEADER,
        [organisation_row(), organisation_row(**{"name": "Second Park", **bad_row})],
    )

    response = preview(staff_client, Organisation, upload)

    assert_refused(response, 3, reason)
    assert list(Organisation.objects.values_list("slug", flat=True)) == ["old-park"]


def test_import_conference_ending_before_it_starts_is_reported(staff_client):
    header = ["slug", "title", "kind", "start_date", "end_date", "country", "time_zone"]
    upload = xlsx_file(
        header,
        [
            {
                "slug": "wc-43",
                "title": "43rd World Conference",
                "kind": "world",
                "start_date": "2026-09-10",
                "end_date": "2026-09-08",
                "country": "SA",
                "time_zone": "Asia/Riyadh",
            }
        ],
    )

    response = preview(staff_client, Conference, upload, XLSX_FORMAT)

    assert_refused(response, 2, "The end date cannot be before the start date.")
    assert not Conference.objects.exists()


def test_import_agreement_with_one_party_is_reported(staff_client):
    OrganisationFactory(slug="cmu-step")
    header = ["slug", "title", "kind", "parties", "signed_on"]
    upload = csv_file(
        header,
        [
            {
                "slug": "alone",
                "title": "One-sided",
                "kind": "mou",
                "parties": "cmu-step",
                "signed_on": "2025-01-01",
            }
        ],
    )

    response = preview(staff_client, Agreement, upload)

    assert_refused(response, 2, "An agreement needs at least 2 parties.")
    assert not Agreement.objects.exists()


def test_import_failing_at_confirmation_writes_nothing(staff_client):
    upload = csv_file(
        ORGANISATION_HEADER,
        [organisation_row(), organisation_row(slug="tsp", name="Thailand Science Park")],
    )
    preview_response = preview(staff_client, Organisation, upload)
    # Between the preview and the confirmation, someone adds the second park by hand.
    OrganisationFactory(slug="tsp-by-hand", name="Thailand Science Park", country="TH")

    response = confirm(staff_client, Organisation, preview_response)

    assert response.status_code == 302
    assert response.url == url(Organisation, "import")
    assert list(Organisation.objects.values_list("slug", flat=True)) == ["tsp-by-hand"]
    messages = [str(message) for message in response.wsgi_request._messages]
    assert messages == ["Nothing was imported: the file has errors on lines 3."]


def test_agreement_life_round_trips_through_csv(staff_client):
    first = bilateral_agreement(slug="first", signed_on=datetime.date(2020, 1, 5))
    renewal = bilateral_agreement(
        slug="renewal",
        signed_on=datetime.date(2024, 1, 9),
        effective_on=datetime.date(2024, 2, 1),
        terminated_on=datetime.date(2025, 6, 30),
        termination_reason="Ended by consent",
        follows=first,
        relation=Agreement.Relation.RENEWS,
    )
    party_a, party_b = renewal.parties.all()
    AgreementParty.objects.filter(pk=party_a.pk).update(signed_on=datetime.date(2024, 1, 2))
    AgreementParty.objects.filter(pk=party_b.pk).update(signed_on=datetime.date(2024, 1, 9))

    rows = csv_rows(export(staff_client, Agreement, AgreementResource, CSV_FORMAT))
    records = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert records["renewal"]["parties_signed_on"] == "2024-01-02, 2024-01-09"
    assert (records["renewal"]["follows"], records["renewal"]["relation"]) == ("first", "renews")
    assert records["renewal"]["terminated_on"] == "2025-06-30"
    assert records["first"]["parties_signed_on"] == ""

    # Lost here, restored from the file.
    AgreementParty.objects.filter(agreement=renewal).update(signed_on=None)
    Agreement.objects.filter(pk=renewal.pk).update(
        follows=None, relation="", terminated_on=None, termination_reason=""
    )
    header = rows[0]
    upload = csv_file(header, [records["renewal"]])
    response = confirm(staff_client, Agreement, preview(staff_client, Agreement, upload))

    assert response.status_code == 302
    renewal.refresh_from_db()
    assert (renewal.follows, renewal.relation, renewal.terminated_on) == (
        first,
        "renews",
        datetime.date(2025, 6, 30),
    )
    assert renewal.status == Agreement.Status.TERMINATED
    assert [party.signed_on for party in renewal.parties.all()] == [
        datetime.date(2024, 1, 2),
        datetime.date(2024, 1, 9),
    ]


def test_import_agreement_with_too_few_party_dates_is_reported(staff_client):
    OrganisationFactory(slug="cmu-step")
    OrganisationFactory(slug="tsp")
    header = ["slug", "title", "kind", "parties", "parties_signed_on", "signed_on"]
    upload = csv_file(
        header,
        [
            {
                "slug": "two",
                "title": "Two parks",
                "kind": "mou",
                "parties": "cmu-step, tsp",
                "parties_signed_on": "2025-01-01",
                "signed_on": "2025-01-01",
            }
        ],
    )

    response = preview(staff_client, Agreement, upload)

    assert_refused(response, 2, "Give one date per party (2), in the parties&#x27; order, or none.")
    assert not Agreement.objects.exists()
