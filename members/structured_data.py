"""schema.org descriptions of organisations and people, for the pages' JSON-LD."""

from typing import Any

from django.http import HttpRequest

from .models import Organisation, Person


def same_as(organisation: Organisation) -> list[str]:
    links = []
    if organisation.ror_id:
        links.append(f"https://ror.org/{organisation.ror_id}")
    if organisation.wikidata_id:
        links.append(f"https://www.wikidata.org/wiki/{organisation.wikidata_id}")
    return links


def organisation_json_ld(organisation: Organisation, request: HttpRequest) -> dict[str, Any]:
    page = request.build_absolute_uri(organisation.get_absolute_url())
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "@id": page,
        "name": organisation.name,
        "url": organisation.website or page,
    }
    if organisation.short_name:
        data["alternateName"] = organisation.short_name
    if organisation.logo:
        data["logo"] = request.build_absolute_uri(organisation.logo.url)
    address = {"@type": "PostalAddress", "addressCountry": organisation.country.code}
    if organisation.city:
        address["addressLocality"] = organisation.city
    data["address"] = address
    if organisation.description:
        data["description"] = organisation.description
    if links := same_as(organisation):
        data["sameAs"] = links
    return data


def person_json_ld(person: Person, request: HttpRequest) -> dict[str, Any]:
    page = request.build_absolute_uri(person.get_absolute_url())
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Person",
        "@id": page,
        "name": person.name,
        "url": page,
    }
    if person.honorific:
        data["honorificPrefix"] = person.honorific
    if person.job_title:
        data["jobTitle"] = person.job_title
    if person.affiliation:
        data["affiliation"] = {
            "@type": "Organization",
            "name": person.affiliation.name,
            "url": request.build_absolute_uri(person.affiliation.get_absolute_url()),
        }
    if person.public_photo:
        data["image"] = request.build_absolute_uri(person.public_photo.url)
    if person.public_website:
        data["sameAs"] = [person.public_website]
    return data


def organisation_reference(organisation: Organisation, request: HttpRequest) -> dict[str, Any]:
    """An organisation named inside another record's description (a conference's host)."""
    data = {
        "@type": "Organization",
        "name": organisation.name,
        "url": request.build_absolute_uri(organisation.get_absolute_url()),
    }
    if organisation.website:
        data["sameAs"] = organisation.website
    return data
