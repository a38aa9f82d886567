"""What the API tests share: reading an error body, and the shapes the API writes."""

import datetime


def error_attrs(response) -> list[str | None]:
    """The parameters or fields a 400 names, in order."""
    assert response.status_code == 400, response.content
    return [error["attr"] for error in response.json()["errors"]]


def errors(response) -> list[tuple[str | None, str]]:
    """Each error of an error answer as (attr, code)."""
    return [(error["attr"], error["code"]) for error in response.json()["errors"]]


def reference(kind: str, record, name: str | None = None) -> dict:
    """A related record as the API writes it, `kind` being its endpoint (organisations...)."""
    return {
        "id": record.pk,
        "slug": record.slug,
        "name": name if name is not None else record.name,
        "url": f"http://testserver/api/v1/{kind}/{record.slug}/",
    }


def stamp(moment: datetime.datetime) -> str:
    """A date-time as the API writes it."""
    return moment.isoformat().replace("+00:00", "Z")
