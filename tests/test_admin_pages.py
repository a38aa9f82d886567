"""Every admin page of every model: it renders, shows the record, costs a fixed number of
queries whatever the number of rows, and is closed to anyone but staff."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from simple_history.models import HistoricalChanges

from tests.admin_support import ADMIN_PAGES, admin_url
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGES = list(ADMIN_PAGES)
PAGE_IDS = [f"{app_label}.{model_name}" for app_label, model_name in PAGES]
pages = pytest.mark.parametrize(("app_label", "model_name"), PAGES, ids=PAGE_IDS)


@pages
def test_changelist_shows_the_object_to_staff(staff_client, app_label, model_name):
    page = ADMIN_PAGES[app_label, model_name]
    obj = page.make()

    response = staff_client.get(admin_url(app_label, model_name, "changelist"))

    assert response.status_code == 200
    assert page.shown(obj) in response.text


@pages
def test_add_form_renders_for_staff(staff_client, app_label, model_name):
    response = staff_client.get(admin_url(app_label, model_name, "add"))

    if not ADMIN_PAGES[app_label, model_name].addable:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert 'type="submit"' in response.text


@pages
def test_change_form_shows_the_object_to_staff(staff_client, app_label, model_name):
    page = ADMIN_PAGES[app_label, model_name]
    obj = page.make()

    response = staff_client.get(admin_url(app_label, model_name, "change", obj.pk))

    assert response.status_code == 200
    assert page.shown(obj) in response.text


@pytest.mark.parametrize("rows", [1, 5])
@pages
def test_changelist_query_count_is_fixed(
    staff_client, django_assert_num_queries, app_label, model_name, rows
):
    page = ADMIN_PAGES[app_label, model_name]
    for _ in range(rows):
        page.make()

    with django_assert_num_queries(page.changelist_queries):
        response = staff_client.get(admin_url(app_label, model_name, "changelist"))

    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 5])
@pages
def test_change_form_query_count_is_fixed(
    staff_client, django_assert_num_queries, app_label, model_name, rows
):
    page = ADMIN_PAGES[app_label, model_name]
    objects = [page.make() for _ in range(rows)]
    ContentType.objects.clear_cache()  # the form looks its content type up once per process

    with django_assert_num_queries(page.change_form_queries):
        response = staff_client.get(admin_url(app_label, model_name, "change", objects[0].pk))

    assert response.status_code == 200


@pages
def test_changelist_anonymous_is_redirected_to_login(client, app_label, model_name):
    url = admin_url(app_label, model_name, "changelist")

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('admin:login')}?next={url}"


@pages
def test_changelist_non_staff_is_redirected_to_login(client, app_label, model_name):
    client.force_login(UserFactory())
    url = admin_url(app_label, model_name, "changelist")

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('admin:login')}?next={url}"


# Records kept on another record's page, with no admin of their own.
SHOWN_ELSEWHERE = {
    # Parties answer in the members' area; staff read the answers on the agreement's page.
    ("agreements", "agreementconfirmation"),
    # Uploaded and published in the agreement's page (an inline).
    ("agreements", "agreementdocument"),
    # Sent by the daily run; listed on the agreement's page.
    ("agreements", "agreementreminder"),
}


@pytest.mark.parametrize("app_label", ["members", "conferences", "agreements", "portal"])
def test_every_model_is_registered_and_covered_here(app_label):
    for model in apps.get_app_config(app_label).get_models():
        if issubclass(model, HistoricalChanges):
            continue  # a record's history is shown from its own change form
        if (app_label, model._meta.model_name) in SHOWN_ELSEWHERE:
            assert not admin.site.is_registered(model), model
            continue
        assert admin.site.is_registered(model), model
        assert (app_label, model._meta.model_name) in ADMIN_PAGES, model
