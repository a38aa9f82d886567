"""make audit: the Nu HTML checker on every page type, Lighthouse on a chosen few.

    python audit/run.py [--max-pages N] [--lighthouse PATH ...] [--no-lighthouse]
                        [--min-score 0.9] [--strict]

Migrates a throwaway SQLite database, loads the demo data, collects the static files and serves
the portal with the production settings (DEBUG off, plain HTTP on 127.0.0.1) under gunicorn.
Crawls same-site links breadth first from the home page and SEEDS, keeping a few pages of each
page type, saves their HTML and checks it with vnu (one Java run for all of them). Lighthouse
(mobile, the four categories) runs on LIGHTHOUSE_PAGES through Debian's Chromium. Writes
audit/results/latest.json and latest.md. Exits 1 with --strict when vnu reports an error or a
score is under --min-score; without it, reports only. No project module is imported.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter, deque
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
AUDIT = ROOT / "audit"
RESULTS = AUDIT / "results"
NODE_MODULES = AUDIT / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = NODE_MODULES / ".bin" / "lighthouse"
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

# Pages the links from the home page may not reach: a search, the error page, the sign-in
# pages, the members' area (which sends a visitor to its sign-in), the API guide, the filters.
SEEDS = [
    "/",
    "/search/?q=park",
    "/search/?q=no-such-word",
    "/no-such-page/",
    "/account/login/",
    "/account/",
    "/api/v1/docs/",
    "/agreements/network/",
    "/members/map/",
    "/figures/",
    "/divisions/",
    "/topics/",
    "/people/",
    "/conferences/?country=TH",
    "/members/?member=true",
    "/agreements/?year=2025",
]
# Lighthouse's pages: `{first:<prefix>}` is the first crawled page whose path starts there.
LIGHTHOUSE_PAGES = [
    "/",
    "/conferences/",
    "{first:/conferences/}",
    "/members/",
    "{first:/organisations/}",
    "/agreements/",
    "/agreements/network/",
    "/members/map/",
    "/figures/",
    "/api/v1/docs/",
]
SKIPPED_PREFIXES = ("/admin/", "/static/", "/media/", "/api/v1/schema")
SKIPPED = re.compile(r"log-?out|sign-?out|\.(atom|csv|ics|json|xml|txt|pdf|png|jpe?g|svg)$", re.I)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def say(message: str) -> None:
    print(f"[audit] {message}", flush=True)


def run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, cwd=ROOT, env=env, text=True, capture_output=True)
    if result.returncode:
        raise SystemExit(
            f"Failed ({result.returncode}): {' '.join(command)}\n{result.stdout}{result.stderr}"
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(tmp: Path, port: int, media_port: int) -> dict:
    """The production settings, made to serve plain HTTP on localhost (as `make bench` does);
    uploads on an origin of their own, as from object storage (Django serves none with DEBUG
    off, and each missing image would be an error in Lighthouse's console)."""
    cleared = {"REDIS_URL", "PAGE_CACHE", "DEBUG", "DATABASE_URL", "PYTHONPATH", "SITE_URL"}
    env = {name: value for name, value in os.environ.items() if name not in cleared}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        API_ANON_RATE="none",
        DATABASE_URL=f"sqlite:///{tmp / 'audit.sqlite3'}",
        STATIC_ROOT=str(tmp / "static"),
        MEDIA_ROOT=str(tmp / "media"),
        MEDIA_URL=f"http://127.0.0.1:{media_port}/",
        MEDIA_ORIGIN=f"http://127.0.0.1:{media_port}",
        SITE_URL=f"http://127.0.0.1:{port}",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        PYTHONUNBUFFERED="1",
    )
    return env


def start_server(env: dict, log: Path, base_url: str) -> subprocess.Popen:
    command = [GUNICORN, "-c", "config/gunicorn.py", "config.wsgi"]
    with log.open("w") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped:\n" + log.read_text(errors="replace")[-3000:])
        try:
            with urllib.request.urlopen(base_url + "/healthz", timeout=5):
                return process
        except OSError:
            time.sleep(0.5)
    stop(process)
    raise SystemExit("gunicorn did not answer within 60 s:\n" + log.read_text()[-3000:])


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def page_type(path: str, query: str) -> str:
    """A page's kind from its address: `/conferences/*/sessions/*/`, `/members/?…`."""
    parts = [part for part in path.split("/") if part]
    kept = [
        part if index == 0 or part in {"sessions", "map"} else "*"
        for index, part in enumerate(parts)
    ]
    return (
        "/"
        + "/".join(kept)
        + ("/" if path.endswith("/") and kept else "")
        + ("?…" if query else "")
    )


def crawl(base_url: str, out: Path, max_pages: int, per_type: int) -> list[dict]:
    """Breadth first over same-site HTML links; a few pages of each page type."""
    queue = deque(SEEDS)
    seen = set(SEEDS)
    counts: Counter = Counter()
    pages = []
    while queue and len(pages) < max_pages:
        address = queue.popleft()
        split = urlsplit(address)
        kind = page_type(split.path, split.query)
        if address not in SEEDS and counts[kind] >= per_type:
            continue
        request = urllib.request.Request(base_url + address, headers={"Accept": "text/html"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, body, final = response.status, response.read(), response.url
                content_type = response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as error:
            status, body, final = error.code, error.read(), error.url
            content_type = error.headers.get("Content-Type", "")
        if "text/html" not in content_type:
            continue
        counts[kind] += 1
        name = f"page-{len(pages):03d}.html"
        (out / name).write_bytes(body)
        final_path = urlsplit(final).path + (
            f"?{urlsplit(final).query}" if urlsplit(final).query else ""
        )
        pages.append(
            {"url": address, "final": final_path, "status": status, "type": kind, "file": name}
        )
        if status >= 500:
            say(f"  {status} on {address}")
        parser = Links()
        parser.feed(body.decode("utf-8", errors="replace"))
        for href in parser.hrefs:
            target = urlsplit(urljoin(base_url + split.path, href))
            if (
                target.scheme not in {"http", "https"}
                or f"{target.scheme}://{target.netloc}" != base_url
            ):
                continue
            link = target.path + (f"?{target.query}" if target.query else "")
            if link in seen or link.startswith(SKIPPED_PREFIXES) or SKIPPED.search(target.path):
                continue
            seen.add(link)
            queue.append(link)
    return pages


def java() -> str:
    """Java for vnu: Debian's headless runtime, installed when missing and running as root."""
    found = shutil.which("java")
    if not found and os.geteuid() == 0 and shutil.which("apt-get"):
        say("Installing Debian's default-jre-headless for the Nu HTML checker")
        quiet = {"stdout": subprocess.DEVNULL, "check": True}
        subprocess.run(["apt-get", "update", "-qq"], **quiet)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "default-jre-headless"],
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            **quiet,
        )
        found = shutil.which("java")
    if not found:
        raise SystemExit(
            "make audit needs Java for the Nu HTML checker: apt-get install default-jre-headless"
        )
    return found


def check_html(pages: list[dict], out: Path) -> list[dict]:
    """vnu over every saved page in one run; its errors (not its warnings), with page and line."""
    by_file = {page["file"]: page for page in pages}
    command = [java(), "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always"]
    result = subprocess.run(
        [*command, *(str(out / name) for name in by_file)], text=True, capture_output=True
    )
    try:
        messages = json.loads(result.stderr or result.stdout)["messages"]
    except (ValueError, KeyError):
        raise SystemExit(
            f"The Nu checker did not run under {command[0]} (it needs Java 11 or newer):\n"
            + (result.stderr or result.stdout)[-2000:]
        ) from None
    errors = []
    for message in messages:
        if message.get("type") != "error":
            continue
        page = by_file[Path(urlsplit(message["url"]).path).name]
        errors.append(
            {
                "page": page["url"],
                "line": message.get("lastLine"),
                "message": message["message"],
                "extract": message.get("extract", "").strip(),
            }
        )
    return errors


def error_kind(message: str) -> str:
    """vnu's message without what is particular to one page (quoted names and values)."""
    return re.sub(r"“[^”]*”", "“…”", message)


def lighthouse(base_url: str, paths: list[str], out: Path) -> list[dict]:
    scores = []
    for path in paths:
        say(f"  lighthouse {path}")
        report = out / f"lighthouse-{len(scores)}.json"
        command = [
            str(LIGHTHOUSE),
            base_url + path,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-path={CHROMIUM}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
        ]
        env = {**os.environ, "CHROME_PATH": CHROMIUM}
        # A trace lost on a busy machine (NO_NAVSTART...): Lighthouse asks to be run again.
        for _attempt in range(2):
            report.unlink(missing_ok=True)
            result = subprocess.run(command, env=env, text=True, capture_output=True)
            if not result.returncode and report.exists():
                break
        row = {"page": path}
        if result.returncode or not report.exists():
            row["error"] = (result.stderr or result.stdout).strip()[-500:]
        else:
            data = json.loads(report.read_text())
            for category in CATEGORIES:
                score = data["categories"][category]["score"]
                row[category] = None if score is None else round(score * 100)
            row["failed_audits"] = failed_audits(data)
            console = data["audits"].get("errors-in-console", {}).get("details", {})
            row["console_errors"] = [
                item.get("description", "") for item in console.get("items", [])
            ]
        scores.append(row)
    return scores


def failed_audits(data: dict) -> dict[str, list[str]]:
    """The audits that pulled each category under 100, by id."""
    failed = {}
    for category in CATEGORIES:
        ids = []
        for ref in data["categories"][category]["auditRefs"]:
            audit = data["audits"].get(ref["id"], {})
            if ref.get("weight") and audit.get("score") is not None and audit["score"] < 1:
                ids.append(ref["id"])
        failed[category] = ids
    return failed


def resolve(paths: list[str], pages: list[dict]) -> list[str]:
    resolved = []
    for path in paths:
        match = re.fullmatch(r"\{first:(.+)\}", path)
        if not match:
            resolved.append(path)
            continue
        prefix = match.group(1)
        found = next(
            (
                page["url"]
                for page in pages
                if page["url"].startswith(prefix)
                and page["url"].rstrip("/") != prefix.rstrip("/")
                and "?" not in page["url"]
                and page["status"] == 200
            ),
            None,
        )
        if found:
            resolved.append(found)
    return resolved


def markdown(report: dict) -> str:
    lines = [f"# Audit, {report['when']}", ""]
    lines.append(
        f"Nu HTML checker: {len(report['vnu_errors'])} errors on {len(report['pages'])} pages."
    )
    lines.append("")
    if report["vnu_errors"]:
        lines += ["| page | line | error |", "|---|---:|---|"]
        for error in report["vnu_errors"]:
            text = error["message"].replace("|", "\\|")
            lines.append(f"| {error['page']} | {error['line']} | {text} |")
        lines.append("")
    if report["lighthouse"]:
        lines += ["Lighthouse (mobile):", ""]
        lines += ["| page | " + " | ".join(CATEGORIES) + " |", "|---|" + "---:|" * len(CATEGORIES)]
        for row in report["lighthouse"]:
            cells = [str(row.get(category, "failed")) for category in CATEGORIES]
            lines.append(f"| {row['page']} | " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-pages", type=int, default=150, help="pages crawled at most")
    parser.add_argument("--per-type", type=int, default=3, help="pages kept of each page type")
    parser.add_argument("--lighthouse", nargs="*", metavar="PATH", help="pages for Lighthouse")
    parser.add_argument("--no-lighthouse", action="store_true", help="only the Nu checker")
    parser.add_argument("--min-score", type=float, default=0.9, help="lowest score, 0 to 1")
    parser.add_argument("--strict", action="store_true", help="exit 1 on an error or low score")
    args = parser.parse_args()
    if not VNU_JAR.exists() or not LIGHTHOUSE.exists():
        raise SystemExit("The audit tools are missing: npm ci --prefix audit")

    RESULTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sciparks-audit-") as directory:
        tmp = Path(directory)
        port, media_port = free_port(), free_port()
        base_url = f"http://127.0.0.1:{port}"
        env = server_env(tmp, port, media_port)
        manage = [PYTHON, "manage.py"]
        say("Preparing a throwaway database with the demo data")
        run([*manage, "migrate", "--noinput", "--verbosity", "0"], env)
        run([*manage, "load_demo"], env)
        run([*manage, "collectstatic", "--noinput", "--verbosity", "0"], env)
        say(f"Serving the portal on {base_url}")
        server = start_server(env, tmp / "gunicorn.log", base_url)
        media = subprocess.Popen(
            [PYTHON, "-m", "http.server", str(media_port), "--bind", "127.0.0.1"],
            cwd=tmp / "media",
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            pages_dir = RESULTS / "pages"
            shutil.rmtree(pages_dir, ignore_errors=True)
            pages_dir.mkdir()
            pages = crawl(base_url, pages_dir, args.max_pages, args.per_type)
            say(f"Crawled {len(pages)} pages of {len({page['type'] for page in pages})} types")
            say("Checking the HTML with the Nu checker")
            errors = check_html(pages, pages_dir)
            scores = []
            if not args.no_lighthouse:
                say("Running Lighthouse (mobile)")
                wanted = LIGHTHOUSE_PAGES if args.lighthouse is None else args.lighthouse
                scores = lighthouse(base_url, resolve(wanted, pages), tmp)
        finally:
            stop(server)
            stop(media)

    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "pages": [{key: page[key] for key in ("url", "final", "status", "type")} for page in pages],
        "vnu_errors": errors,
        "vnu_error_kinds": dict(Counter(error_kind(e["message"]) for e in errors).most_common()),
        "lighthouse": scores,
        "min_score": args.min_score,
    }
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / "latest.md").write_text(markdown(report))
    print(markdown(report))

    low = [
        (row["page"], category, row[category])
        for row in scores
        for category in CATEGORIES
        if row.get(category) is not None and row[category] < args.min_score * 100
    ]
    broken = [row["page"] for row in scores if "error" in row]
    say(f"{len(errors)} HTML errors; {len(low)} scores under {args.min_score * 100:.0f}")
    for page in broken:
        say(f"Lighthouse failed on {page}")
    say(f"Written {RESULTS.relative_to(ROOT)}/latest.json and latest.md")
    if args.strict and (errors or low or broken):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
