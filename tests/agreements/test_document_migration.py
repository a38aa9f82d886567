"""agreements 0011: each agreement's one document becomes its signed text, and back."""

import importlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.upload_support import pdf_bytes

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("agreements", "0010_lifecycle")]
AFTER = [("agreements", "0011_documents")]
PDF = pdf_bytes()


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def before_documents():
    """The database as it was before agreements had several documents; put back after."""
    apps = migrate(BEFORE)
    yield apps
    migrate(executor_leaf_nodes())


def executor_leaf_nodes():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def old_agreement(apps, slug: str, **fields):
    Agreement = apps.get_model("agreements", "Agreement")
    return Agreement.objects.create(
        kind="cooperation", title=slug, slug=slug, status="signed", signed_on="2025-09-19", **fields
    )


def test_each_document_becomes_the_signed_text_with_the_same_file(before_documents):
    name = storages["documents"].save("agreements/documents/step-ab12cd34.pdf", ContentFile(PDF))
    old_agreement(before_documents, "public", document=name, document_is_public=True)
    old_agreement(before_documents, "private", document="agreements/documents/b-1.pdf")
    old_agreement(before_documents, "none")

    apps = migrate(AFTER)

    AgreementDocument = apps.get_model("agreements", "AgreementDocument")
    rows = AgreementDocument.objects.order_by("agreement__slug").values_list(
        "agreement__slug", "kind", "language", "file", "is_public", "order"
    )
    assert list(rows) == [
        ("private", "signed_text", "en", "agreements/documents/b-1.pdf", False, 0),
        ("public", "signed_text", "en", name, True, 0),
    ]
    Agreement = apps.get_model("agreements", "Agreement")
    assert not hasattr(Agreement.objects.get(slug="public"), "document")
    assert storages["documents"].open(name).read() == PDF


def test_going_back_keeps_the_first_signed_text(before_documents):
    apps = migrate(AFTER)
    Agreement = apps.get_model("agreements", "Agreement")
    AgreementDocument = apps.get_model("agreements", "AgreementDocument")
    agreement = old_agreement(apps, "three-documents")
    for order, (kind, name, public) in enumerate(
        [
            ("annex", "agreements/documents/annex.pdf", True),
            ("signed_text", "agreements/documents/text.pdf", True),
            ("signed_text", "agreements/documents/text-fr.pdf", False),
        ]
    ):
        AgreementDocument.objects.create(
            agreement=agreement, kind=kind, file=name, is_public=public, order=order
        )

    apps = migrate(BEFORE)

    Agreement = apps.get_model("agreements", "Agreement")
    agreement = Agreement.objects.get(slug="three-documents")
    assert (agreement.document.name, agreement.document_is_public) == (
        "agreements/documents/text.pdf",
        True,
    )


def test_earlier_uploads_still_move_out_of_the_media_folder(before_documents):
    """agreements 0003 moved documents uploaded under MEDIA_ROOT to the private storage."""
    agreement = old_agreement(before_documents, "earlier")
    name = "agreements/documents/earlier-upload.pdf"
    default_storage.save(name, ContentFile(PDF))
    type(agreement).objects.filter(pk=agreement.pk).update(document=name)
    migration = importlib.import_module("agreements.migrations.0003_document_storage")

    migration.move_documents_out_of_media(before_documents, None)

    assert not default_storage.exists(name)
    assert storages["documents"].open(name).read() == PDF
