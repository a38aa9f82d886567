"""One save, one entry in a record's history.

django-simple-history adds an entry when a record is saved and another for each change of
its tracked links (`m2m_fields`): setting a record's topics removes and adds, so one save
would leave three entries. Between `hold_link_history()` and `record_link_history()` the link
changes add none; the entry of the save is then given the links as they are.
"""

from contextlib import contextmanager

from django.db import models
from simple_history.utils import get_m2m_field_name


def hold_link_history(instance: models.Model) -> None:
    instance.skip_history_when_saving = True


def record_link_history(instance: models.Model) -> None:
    """End a hold: the latest entry of `instance` records its links as they are now."""
    if instance.__dict__.pop("skip_history_when_saving", None) is None:
        return
    manager_name = getattr(instance._meta, "simple_history_manager_attribute", None)
    if manager_name is None:
        return
    history = getattr(instance, manager_name)
    link_fields = getattr(history.model, "_history_m2m_fields", [])
    if not link_fields:
        return
    entry = history.order_by("-history_date", "-history_id").first()
    if entry is None:
        return
    for field in link_fields:
        through = field.remote_field.through
        names = [through_field.name for through_field in through._meta.fields]
        rows = getattr(entry, field.name)
        rows.all().delete()
        rows.model.objects.bulk_create(
            rows.model(history=entry, **{name: getattr(row, name) for name in names})
            for row in through.objects.filter(**{get_m2m_field_name(field): instance})
        )


@contextmanager
def links_in_one_entry(instance: models.Model):
    """Links set inside belong to the history entry of the save just before."""
    hold_link_history(instance)
    try:
        yield
    finally:
        record_link_history(instance)
