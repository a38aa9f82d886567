"""The pages of the live mode and the write token of its writer, from the bench database.

Run by bench/live.py in the server's environment (`python -m bench.live_pages N SEED`) before
the server starts. Prints one JSON document:

- `pages`: N distinct requests in order of popularity (rank 1 first): the lists, search,
  figures and the network first, as visitors mostly arrive there, then a fixed shuffle of
  organisation, person, conference and agreement pages and their API answers;
- `records`: for each kind the writer changes, records that have a page among them: the API
  path it sends its change to, the field it changes and the page that shows the field;
- `token`: the key of a staff write token made for the run (the token is revoked at the next
  run's start: each run makes its own).
"""

import json
import os
import random
import sys

import django

# Share of the detail requests that go to the API rather than to a page.
API_SHARE = 0.2
# Of the detail requests: the kinds, by weight (there are more people and agreements).
KINDS = {"organisation": 3, "person": 3, "conference": 1, "agreement": 3}
# The field each kind's change touches, shown on the record's page.
FIELDS = {
    "organisation": "description",
    "person": "job_title",
    "conference": "theme",
    "agreement": "title",
}
TOKEN_NAME = "Bench writer"


def hub_pages() -> list[str]:
    return [
        "/",
        "/conferences/",
        "/members/",
        "/agreements/",
        "/people/",
        "/search/?q=energy",
        "/figures/",
        "/agreements/network/",
        "/divisions/",
        "/topics/",
        "/search/?q=innovation",
        "/api/v1/conferences/",
        "/api/v1/organisations/",
        "/api/v1/agreements/",
        "/agreements/?page=2",
        "/members/?page=2",
    ]


def details(count: int, rng: random.Random) -> tuple[list[str], dict[str, list[dict]]]:
    from agreements.models import Agreement
    from conferences.models import Conference
    from members.models import Organisation, Person

    querysets = {
        "organisation": (Organisation.objects.order_by("pk"), "organisations"),
        "person": (Person.objects.public().order_by("pk"), "people"),
        "conference": (Conference.objects.published().order_by("pk"), "conferences"),
        "agreement": (Agreement.objects.public().order_by("pk"), "agreements"),
    }
    total = sum(KINDS.values())
    pages: list[str] = []
    records: dict[str, list[dict]] = {}
    for kind, weight in KINDS.items():
        queryset, resource = querysets[kind]
        wanted = max(1, count * weight // total)
        ids = list(queryset.values_list("pk", flat=True))
        chosen = rng.sample(ids, min(wanted, len(ids)))
        objects = queryset.model.objects.in_bulk(chosen)
        records[kind] = []
        for pk in chosen:
            record = objects[pk]
            api = f"/api/v1/{resource}/{record.slug}/"
            page = record.get_absolute_url()
            pages.append(api if rng.random() < API_SHARE else page)
            records[kind].append(
                {
                    "api": api,
                    "page": page,
                    "field": FIELDS[kind],
                    "value": getattr(record, FIELDS[kind]) or "",
                }
            )
    rng.shuffle(pages)
    return pages, records


def write_token() -> str:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from portal.models import ApiToken
    from portal.services import issue_api_token, revoke_api_token

    for old in ApiToken.objects.filter(name=TOKEN_NAME, revoked_at__isnull=True):
        revoke_api_token(token=old)
    user, _ = get_user_model().objects.get_or_create(
        username="bench-writer", defaults={"is_staff": True, "is_superuser": True}
    )
    _token, key = issue_api_token(
        name=TOKEN_NAME,
        access=ApiToken.Access.WRITE,
        user=user,
        expires_at=timezone.now() + timezone.timedelta(days=1),
    )
    return key


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    django.setup()
    count, seed = int(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    hubs = hub_pages()
    detail_pages, records = details(count - len(hubs), rng)
    json.dump(
        {"pages": hubs + detail_pages, "records": records, "token": write_token()},
        sys.stdout,
    )


if __name__ == "__main__":
    main()
