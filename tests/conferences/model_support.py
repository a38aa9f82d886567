"""Conferences for the conferences model tests, each with a slug of its own."""

import itertools

from conferences.models import Conference
from tests.factories import ConferenceFactory, DivisionFactory

_slugs = itertools.count(1)


def conference(**kwargs) -> Conference:
    """A conference with a slug of its own, so explicit editions never collide on the slug."""
    kwargs.setdefault("slug", f"conference-{next(_slugs)}")
    if kwargs.get("kind") == Conference.Kind.DIVISION:
        kwargs.setdefault("division", DivisionFactory())
    return ConferenceFactory(**kwargs)


def unsaved_conference(**kwargs) -> Conference:
    kwargs.setdefault("slug", f"conference-{next(_slugs)}")
    return ConferenceFactory.build(**kwargs)
