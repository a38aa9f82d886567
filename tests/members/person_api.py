"""Helpers shared by the /api/v1/people/ tests."""

LIST = "/api/v1/people/"


def slugs(response) -> list[str]:
    return [row["slug"] for row in response.json()["results"]]
