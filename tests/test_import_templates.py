"""Import without guessing: every import page offers a CSV and an XLSX template with an example
row that imports as it is, lists what each column allows, and reads the format from the name."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import Agreement
from agreements.resources import AgreementResource
from conferences.models import Conference
from conferences.resources import ConferenceResource
from members.models import Division, Organisation, Person
from members.resources import OrganisationResource, PersonResource
from portal.roles import EDITORS, VIEWERS
from tests.factories import ConferenceFactory, DivisionFactory, OrganisationFactory, TopicFactory
from tests.test_import_export import CSV_FORMAT, XLSX_FORMAT, confirm, url
from tests.test_roles import staff_in

pytestmark = pytest.mark.django_db

MODELS = [Organisation, Person, Conference, Agreement]
EXAMPLE_SLUGS = {
    Organisation: "example-science-park",
    Person: "example-person",
    Conference: "example-conference",
    Agreement: "example-cooperation-agreement",
}
RESOURCES = {
    Organisation: OrganisationResource,
    Person: PersonResource,
    Conference: ConferenceResource,
    Agreement: AgreementResource,
}
# The agreements' import page: session and user; the example's free slug, parties and topic;
# the organisations, conferences, topics and agreements (the one it amends or renews) the
# columns allow.
IMPORT_PAGE_QUERIES = 9
model_ids = [model._meta.model_name for model in MODELS]


@pytest.fixture
def vocabulary():
    DivisionFactory(slug="asia-pacific", name="Asia Pacific")
    TopicFactory(slug="biotech", name="Biotechnology")
    TopicFactory(slug="energy", name="Energy")
    OrganisationFactory(slug="cmu-step", name="CMU STeP", country="TH")
    OrganisationFactory(slug="tsp", name="Thailand Science Park", country="TH")


def download(client, model: type, extension: str):
    opts = model._meta
    return client.get(
        reverse(
            f"admin:{opts.app_label}_{opts.model_name}_import_template",
            kwargs={"extension": extension},
        )
    )


def upload(client, model: type, name: str, content: bytes, file_format: str = ""):
    return client.post(
        url(model, "import"),
        {
            "format": file_format,
            "resource": "0",
            "import_file": SimpleUploadedFile(name, content),
        },
    )


def preview_rows(response) -> list[tuple[str, list[str]]]:
    result = response.context["result"]
    return [(row.import_type, [str(value) for value in row.diff]) for row in result.valid_rows()]


@pytest.mark.parametrize("model", MODELS, ids=model_ids)
def test_csv_template_has_the_import_columns_and_an_example_row(staff_client, vocabulary, model):
    response = download(staff_client, model, "csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{model._meta.model_name}-import-template.csv"'
    )
    header, example = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    resource = RESOURCES[model]()
    assert header == [field.column_name for field in resource.get_import_fields()]
    assert dict(zip(header, example, strict=True))["slug"] == EXAMPLE_SLUGS[model]


@pytest.mark.parametrize("model", MODELS, ids=model_ids)
@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_template_uploaded_unchanged_imports_its_example_row(
    staff_client, vocabulary, model, extension
):
    template = download(staff_client, model, extension).content

    # No format chosen: the file's name says it.
    preview = upload(staff_client, model, f"filled-in.{extension}", template)

    assert preview.status_code == 200
    result = preview.context["result"]
    assert not result.has_errors()
    assert not result.has_validation_errors()
    rows = preview_rows(preview)
    assert len(rows) == 1
    assert rows[0][0] == "new"
    assert f">{EXAMPLE_SLUGS[model]}</ins>" in rows[0][1][0]  # the slug column, as new
    assert not model.objects.filter(slug=EXAMPLE_SLUGS[model]).exists()

    response = confirm(staff_client, model, preview)

    assert response.status_code == 302
    assert model.objects.filter(slug=EXAMPLE_SLUGS[model]).exists()


def test_imported_template_example_agreement_has_its_parties(staff_client, vocabulary):
    template = download(staff_client, Agreement, "csv").content

    confirm(staff_client, Agreement, upload(staff_client, Agreement, "a.csv", template))

    agreement = Agreement.objects.get(slug="example-cooperation-agreement")
    assert [party.organisation.slug for party in agreement.parties.all()] == ["cmu-step", "tsp"]
    assert agreement.status == Agreement.Status.SIGNED
    assert agreement.signed_country.code == "FI"


def test_template_example_slug_is_one_no_record_has(staff_client, vocabulary):
    OrganisationFactory(slug="example-science-park")

    template = download(staff_client, Organisation, "csv")

    _header, example = list(csv.reader(io.StringIO(template.content.decode("utf-8-sig"))))
    assert example[0] == "example-science-park-2"


def test_xlsx_template_lists_the_allowed_values_and_offers_them(staff_client, vocabulary):
    response = download(staff_client, Conference, "xlsx")

    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Conferences", "Allowed values"]
    data, allowed = book["Conferences"], book["Allowed values"]
    header = [cell.value for cell in data[1]]
    assert header[:3] == ["slug", "title", "kind"]
    assert "Required." in data.cell(row=1, column=2).comment.text
    columns = {
        allowed.cell(row=1, column=index).value: [
            row[0]
            for row in allowed.iter_rows(
                min_row=2, min_col=index, max_col=index + 1, values_only=True
            )
            if row[0] is not None
        ]
        for index in range(1, allowed.max_column + 1)
        if allowed.cell(row=1, column=index).value not in (None, "meaning")
    }
    assert columns["kind"] == ["world", "division", "other"]
    assert columns["division"] == sorted(Division.objects.values_list("slug", flat=True))
    assert "asia-pacific" in columns["division"]
    assert columns["topics"] == ["biotech", "energy"]
    assert "TH" in columns["country"]
    assert "Asia/Bangkok" in columns["time_zone"]
    validated = {
        str(rule.sqref).split(":")[0][:-1]: rule.formula1
        for rule in data.data_validations.dataValidation
    }
    kind_column = openpyxl.utils.get_column_letter(header.index("kind") + 1)
    assert validated[kind_column].startswith("'Allowed values'!$")
    # Topics take several slugs, which a list in a cell cannot offer.
    topics_column = openpyxl.utils.get_column_letter(header.index("topics") + 1)
    assert topics_column not in validated


def test_import_page_links_the_templates_and_lists_the_allowed_values(staff_client, vocabulary):
    response = staff_client.get(url(Organisation, "import"))

    text = response.text
    assert 'href="/admin/members/organisation/import/template.csv"' in text
    assert 'href="/admin/members/organisation/import/template.xlsx"' in text
    assert "<code>science_park</code> – Science park" in text
    assert "<code>asia-pacific</code> – Asia Pacific" in text
    assert "<code>biotech</code> – Biotechnology" in text
    assert "<code>TH</code> – Thailand" in text
    assert "<code>example-science-park</code>" in text
    assert "The 9 values “kind” allows" in text
    assert "The 2 values “topics” allows" not in text  # two are listed without a summary


def test_templates_are_for_those_who_may_import(client, vocabulary):
    client.force_login(staff_in(VIEWERS))
    assert download(client, Organisation, "csv").status_code == 403
    assert download(client, Organisation, "xlsx").status_code == 403

    client.force_login(staff_in(EDITORS))
    response = download(client, Organisation, "xlsx")
    assert response.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames[1] == "Allowed values"


def test_template_of_an_unknown_format_is_not_found(staff_client):
    assert download(staff_client, Organisation, "ods").status_code == 404


# The format from the file's name


def test_xlsx_file_is_read_as_xlsx_whatever_format_is_chosen(staff_client, vocabulary):
    template = download(staff_client, Organisation, "xlsx").content

    response = upload(staff_client, Organisation, "parks.XLSX", template, CSV_FORMAT)

    assert response.context["confirm_form"].initial["format"] == XLSX_FORMAT
    assert preview_rows(response)[0][0] == "new"


def test_csv_file_is_read_as_csv_without_a_chosen_format(staff_client, vocabulary):
    template = download(staff_client, Organisation, "csv").content

    response = upload(staff_client, Organisation, "parks.csv", template)

    assert response.context["confirm_form"].initial["format"] == CSV_FORMAT


def test_file_of_another_name_needs_a_chosen_format(staff_client, vocabulary):
    template = download(staff_client, Organisation, "csv").content

    response = upload(staff_client, Organisation, "parks.txt", template)

    assert response.status_code == 200
    assert response.context["form"].errors["format"] == [
        "Choose the file's format: its name ends in neither .csv nor .xlsx."
    ]
    chosen = upload(staff_client, Organisation, "parks.txt", template, CSV_FORMAT)
    assert preview_rows(chosen)[0][0] == "new"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("parks.xlsx", b"slug,name\nnot,a spreadsheet\n"),
        ("parks.csv", b"\x00\xff\xfe garbage"),
        ("parks.xlsx", b""),
    ],
    ids=["csv-named-xlsx", "binary-named-csv", "empty"],
)
def test_unreadable_file_is_a_field_error(staff_client, name, content):
    response = upload(staff_client, Organisation, name, content)

    assert response.status_code == 200
    assert response.context["form"].errors["import_file"]
    assert not Organisation.objects.exists()


def test_imported_agreement_signed_at_a_conference_takes_its_place(staff_client, vocabulary):
    ConferenceFactory(slug="wc-42", city="Beijing", country="CN")
    header = ["slug", "title", "kind", "status", "parties", "signed_on", "signed_at_conference"]
    row = ["pact", "Pact", "mou", "signed", "cmu-step, tsp", "2025-09-18", "wc-42"]
    content = "\n".join(",".join(f'"{value}"' for value in line) for line in [header, row])

    preview = upload(staff_client, Agreement, "pact.csv", content.encode())
    assert ">Beijing</ins>" in " ".join(preview_rows(preview)[0][1])
    confirm(staff_client, Agreement, preview)

    agreement = Agreement.objects.get(slug="pact")
    assert (agreement.signed_city, agreement.signed_country.code) == ("Beijing", "CN")


@pytest.mark.parametrize("count", [1, 5])
def test_import_page_lists_the_allowed_values_in_a_fixed_number_of_queries(
    staff_client, django_assert_num_queries, count
):
    for _ in range(count):
        OrganisationFactory()
        TopicFactory()
        ConferenceFactory()

    with django_assert_num_queries(IMPORT_PAGE_QUERIES):
        response = staff_client.get(url(Agreement, "import"))

    # Each party, topic and conference is listed: in the parties', topics' and conferences'
    # columns, and the organisations' divisions as well (the factory makes one each).
    assert response.text.count("<li><code>") >= 3 * count
