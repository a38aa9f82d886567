"""Helpers shared by the tests of the conference pages."""

from django.urls import reverse

from conferences.models import Conference


def detail_url(conference: Conference) -> str:
    return reverse("conferences:conference-detail", kwargs={"slug": conference.slug})


def page_body(response) -> str:
    """The visible page, without the head (where JSON-LD repeats titles)."""
    html = response.content.decode()
    return html[html.index("<main") :]
