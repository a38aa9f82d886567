"""The README's three API examples, against the demo data, give what the README shows."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = pytest.mark.django_db

README = Path(settings.BASE_DIR) / "README.md"


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", verbosity=0)


def readme_queries() -> list[str]:
    return re.findall(r"curl -s 'http://127\.0\.0\.1:8000(/api/v1/[^']+)'", README.read_text())


def test_readme_has_three_examples():
    assert len(readme_queries()) == 3


def test_next_conference(demo, api_client):
    response = api_client.get(readme_queries()[0])

    result = response.json()["results"][0]
    assert (result["slug"], result["edition"], result["city"]) == (
        "world-conference-2027-dhahran",
        44,
        "Dhahran",
    )


def test_one_parks_agreements_with_the_parties_expanded(demo, api_client):
    response = api_client.get(readme_queries()[1])

    (agreement,) = response.json()["results"]
    assert agreement["signed_on"] == "2025-09-19"
    assert agreement["signed_city"] == "Beijing"
    names = [party["organisation"]["name"] for party in agreement["parties"]]
    assert names == [
        "Zsámbék Future Industry Science and Innovation Park",
        "Zhongguancun Fengtai Science Park",
    ]
    assert agreement["parties"][0]["organisation"]["country"] == "HU"  # a full record


def test_energy_efficiency_agreements_of_2025_as_csv(demo, api_client):
    response = api_client.get(readme_queries()[2])

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(row["signed_on"], row["signed_city"]) for row in rows] == [("2025-09-19", "Beijing")]
    assert "energy-efficiency" in rows[0]["topics"].split("; ")
