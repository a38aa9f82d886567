"""Every page type of the demo data is well-formed HTML, without Java.

`make audit` runs the Nu HTML checker; this walk catches, in the normal suite, the kinds of
error it reports: a duplicate id, an empty `action`, `href` or `id`, an element closed that was
never opened or left open, a form inside a form, a link or button inside another, a paragraph
ended by a block, a label or ARIA reference to an id that is not on the page, a list whose child is
not an item, an image without `alt`.
"""

import datetime
import io
import json
import re
import shutil
import subprocess
from collections import Counter, deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve

from agreements.models import Agreement
from agreements.services import propose_agreement
from members.services import propose_organisation_change
from tests.factories import OrganisationFactory, PersonFactory, member_contact

VOID = {
    *("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"),
    *("source", "track", "wbr"),
}
# Elements whose end tag HTML lets an author leave out: closed by what follows.
OPTIONAL_END = {"li", "dt", "dd", "p", "option", "optgroup", "tr", "td", "th", "tbody", "thead"}
BLOCK = {
    *("address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset"),
    *("figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header"),
    *("hr", "main", "nav", "ol", "p", "pre", "section", "table", "ul"),
}
# A start tag that closes an open element, unless one of the barriers comes first.
IMPLIED_CLOSE = {
    "li": ({"li"}, {"ul", "ol", "menu"}),
    "dt": ({"dt", "dd"}, {"dl"}),
    "dd": ({"dt", "dd"}, {"dl"}),
    "tr": ({"tr", "td", "th"}, {"table", "tbody", "thead", "tfoot"}),
    "td": ({"td", "th"}, {"tr", "table"}),
    "th": ({"td", "th"}, {"tr", "table"}),
    "tbody": ({"tbody", "thead", "tr", "td", "th"}, {"table"}),
    "option": ({"option"}, {"select", "datalist", "optgroup"}),
}
INTERACTIVE = {"a", "button", "select", "textarea", "details", "label"}
ID_REFERENCES = ("for", "aria-labelledby", "aria-describedby", "aria-controls", "list", "form")
# Pages the links from the home page may not reach.
SEEDS = [
    *("/", "/search/?q=park", "/search/?q=no-such-word", "/no-such-page/"),
    *("/account/login/", "/account/", "/api/v1/docs/", "/agreements/network/"),
    *("/members/map/", "/figures/", "/divisions/", "/topics/", "/people/"),
    *("/conferences/?country=TH", "/members/?member=true", "/agreements/?year=2025"),
]
SKIPPED = ("/admin/", "/static/", "/media/", "/api/v1/schema")
SKIPPED_ENDINGS = (".atom", ".csv", ".ics", ".json", ".xml", ".txt", ".pdf", ".png", ".jpg")
LOGOUT = re.compile(r"log-?out|sign-?out", re.IGNORECASE)
VNU_JAR = Path(__file__).parent.parent / "audit/node_modules/vnu-jar/build/dist/vnu.jar"
PAGES_PER_TYPE = 1
MAX_PAGES = 60


class Checker(HTMLParser):
    """A stack of open elements and the rules above; `problems` lists what breaks them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.ids: Counter = Counter()
        self.references: list[tuple[str, str, int]] = []
        self.problems: list[str] = []

    def problem(self, text: str) -> None:
        self.problems.append(f"line {self.getpos()[0]}: {text}")

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag in BLOCK or tag in {"li", "dt", "dd"}:
            self.close_implied({"p"}, {"button", "table", "td", "th", "template"})
        if tag in IMPLIED_CLOSE:
            self.close_implied(*IMPLIED_CLOSE[tag])
        for name in ("id", "action", "href", "for", "name"):
            if name in values and not (values[name] or "").strip() and name != "name":
                self.problem(f'<{tag} {name}=""> is empty')
        if values.get("id"):
            self.ids[values["id"]] += 1
            if " " in values["id"]:
                self.problem(f"id {values['id']!r} has a space")
        for name in ID_REFERENCES:
            if values.get(name) and not (name == "form" and tag == "form"):
                for target in values[name].split():
                    self.references.append((name, target, self.getpos()[0]))
        if tag == "form" and "form" in self.stack:
            self.problem("a form inside a form")
        if tag in INTERACTIVE and tag != "label":
            inside = [outer for outer in ("a", "button") if outer in self.stack]
            if inside:
                self.problem(f"<{tag}> inside <{inside[-1]}>")
        if tag == "img" and "alt" not in values:
            self.problem(f"<img src={values.get('src')!r}> has no alt")
        if (
            self.stack
            and self.stack[-1] in {"ul", "ol"}
            and tag not in {"li", "script", "template"}
        ):
            self.problem(f"<{tag}> as a child of <{self.stack[-1]}>")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def close_implied(self, closes: set[str], barriers: set[str]) -> None:
        """`<p>` closes an open `<p>`, `<li>` an open `<li>` of the same list, and so on."""
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index] in closes:
                del self.stack[index:]
                return
            if self.stack[index] in barriers:
                return

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if tag not in self.stack:
            self.problem(f"</{tag}> closes nothing open")
            return
        while self.stack[-1] != tag:
            left = self.stack.pop()
            if left not in OPTIONAL_END:
                self.problem(f"<{left}> left open by </{tag}>")
        self.stack.pop()

    def close(self):
        super().close()
        for tag in self.stack:
            if tag not in OPTIONAL_END | {"html", "body", "head"}:
                self.problem(f"<{tag}> never closed")
        for ident, count in self.ids.items():
            if count > 1:
                self.problems.append(f"duplicate id {ident!r} ({count} times)")
        for name, target, line in self.references:
            if target not in self.ids:
                self.problems.append(f"line {line}: {name}={target!r} names no id on the page")


def problems(html: str) -> list[str]:
    checker = Checker()
    checker.feed(html)
    checker.close()
    if not html.lstrip().lower().startswith("<!doctype html>"):
        checker.problems.insert(0, "no <!DOCTYPE html>")
    return checker.problems


def page_type(path: str, query: str) -> str:
    """The URL pattern a page answers to, and whether it has a query (a filtered list)."""
    try:
        route = resolve(path).route
    except Resolver404:
        route = path
    return route + ("?" if query else "")


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def crawl(client: Client, seeds=SEEDS, within: str = "/") -> dict[str, str]:
    """A few pages of each page type, breadth first from the seeds, on paths under `within`."""
    queue, seen, kinds, pages = deque(seeds), set(seeds), Counter(), {}
    while queue and len(pages) < MAX_PAGES:
        address = queue.popleft()
        split = urlsplit(address)
        kind = page_type(split.path, split.query)
        if address not in seeds and kinds[kind] >= PAGES_PER_TYPE:
            continue
        response = client.get(address, follow=True, secure=True)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        kinds[kind] += 1
        pages[address] = response.content.decode()
        parser = Links()
        parser.feed(pages[address])
        for href in parser.hrefs:
            target = urlsplit(urljoin("https://testserver" + split.path, href))
            if target.scheme != "https" or target.netloc != "testserver":
                continue
            link = target.path + (f"?{target.query}" if target.query else "")
            if (
                link in seen
                or not link.startswith(within)
                or link.startswith(SKIPPED)
                or target.path.endswith(SKIPPED_ENDINGS)
                or LOGOUT.search(target.path)
            ):
                continue
            seen.add(link)
            queue.append(link)
    return pages


@pytest.fixture(scope="module")
def pages(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data, crawled once for the module, in a transaction rolled back at its end."""
    from django.conf import settings

    media_root = settings.MEDIA_ROOT
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            call_command("load_demo", stdout=io.StringIO())
            cache.clear()
            yield crawl(Client())
            transaction.set_rollback(True)
    finally:
        settings.MEDIA_ROOT = media_root


@pytest.mark.django_db
def test_html_valid_every_page_type_of_the_demo_data(pages):
    assert len(pages) >= 25, sorted(pages)
    found = {address: problems(html) for address, html in pages.items()}
    assert {address: found for address, found in found.items() if found} == {}


@pytest.mark.django_db
def test_html_valid_nu_checker_when_installed(pages, tmp_path):
    """The Nu checker itself on the same pages, once `make audit` has installed it."""
    java = shutil.which("java")
    if not java or not VNU_JAR.exists():
        pytest.skip("the Nu checker is installed by make audit (audit/node_modules, Java)")
    names = {}
    for index, (address, html) in enumerate(pages.items()):
        (tmp_path / f"{index}.html").write_text(html)
        names[f"{index}.html"] = address
    command = [java, "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always"]
    result = subprocess.run([*command, *map(str, tmp_path.glob("*.html"))], capture_output=True)
    errors = [
        f"{names[Path(message['url']).name]} line {message.get('lastLine')}: {message['message']}"
        for message in json.loads(result.stderr or result.stdout)["messages"]
        if message["type"] == "error"
    ]
    assert errors == []


@pytest.mark.django_db
def test_html_valid_members_area_signed_in(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    contact = member_contact()
    user, park = contact.user, contact.organisation
    PersonFactory(user=user, name="Marta Lindqvist")
    proposal = propose_organisation_change(
        organisation=park, proposed_by=user, changes={"description": "By the river."}
    )
    propose_agreement(
        proposed_by=user,
        organisation=park,
        other_parties=[OrganisationFactory()],
        kind=Agreement.Kind.MOU,
        title="River and harbour parks cooperate",
        signed_on=datetime.date(2026, 5, 4),
    )
    client = Client()
    client.force_login(user)
    seeds = ["/account/", "/account/agreements/new/", f"/account/proposals/{proposal.pk}/"]
    pages = crawl(client, seeds, within="/account/")

    assert len(pages) >= 8, sorted(pages)
    found = {address: problems(html) for address, html in pages.items()}
    assert {address: found for address, found in found.items() if found} == {}


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<div id="a"></div><p id="a"></p>', "duplicate id 'a' (2 times)"),
        ('<form action=""></form>', '<form action=""> is empty'),
        ("<form><form></form></form>", "a form inside a form"),
        ('<a href="/"><button>x</button></a>', "<button> inside <a>"),
        ("<p><div></div></p>", "</p> closes nothing open"),
        ("<div><span></div>", "<span> left open by </div>"),
        ("<div></span></div>", "</span> closes nothing open"),
        ('<label for="missing">x</label>', "for='missing' names no id on the page"),
        ("<ul><div></div></ul>", "<div> as a child of <ul>"),
        ('<img src="x.png">', "<img src='x.png'> has no alt"),
        ("<section>", "<section> left open by </body>"),
    ],
)
def test_html_valid_checker_finds(html, expected):
    found = problems("<!DOCTYPE html><html><body>" + html + "</body></html>")
    assert any(expected in problem for problem in found), found


def test_html_valid_checker_accepts_optional_end_tags():
    html = (
        "<!DOCTYPE html><ul><li>a<li>b</ul><p>one<p>two<dl><dt>t<dd>d</dl><table><tr><td>1</table>"
    )
    assert problems(html) == []
