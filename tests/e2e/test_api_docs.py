"""The API's documentation in a browser: the reference reads without JavaScript, the console
tries requests; both from the site's own files only, both without accessibility violations."""

from urllib.parse import urlparse

from tests.e2e.conftest import SCREENSHOTS, VIEWPORTS, axe_violations


def only_this_site(page, host: str) -> list[str]:
    outside: list[str] = []

    def route(route):
        if urlparse(route.request.url).netloc != host:
            outside.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/*", route)
    return outside


def test_partner_reads_the_reference_without_javascript(demo_site, browser, viewport):
    context = browser.new_context(
        viewport=VIEWPORTS[viewport], locale="en-GB", java_script_enabled=False
    )
    page = context.new_page()
    outside = only_this_site(page, urlparse(demo_site.url).netloc)
    page.goto(f"{demo_site.url}/api/v1/docs/")

    assert page.get_by_role("heading", level=1).inner_text() == "API reference"
    page.get_by_role("link", name="GET /api/v1/conferences/{slug}/").click()
    operation = page.locator("#conferences_retrieve")
    assert operation.is_visible()
    assert "expand" in operation.locator(".api-fields").first.text_content()
    assert "curl -s" in operation.locator("pre").first.text_content()
    assert page.locator("script").count() == 0
    assert outside == []
    context.close()


def test_reference_and_guide_have_no_accessibility_violations(demo_site, page, viewport):
    page.goto(f"{demo_site.url}/api/v1/docs/")
    assert axe_violations(page) == []
    if viewport == "desktop":  # the top of the page: the whole reference is some 70,000 px tall
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "api-docs-desktop.png"))

    page.get_by_role("link", name="Guide: access, paging, filters, sync, webhooks").click()
    page.wait_for_url("**/api/v1/docs/guide/")
    assert page.get_by_role("heading", name="Keeping a copy in sync").is_visible()
    assert axe_violations(page) == []
    assert page.console_errors == []


def test_partner_tries_a_request_in_the_console(demo_site, page, viewport):
    outside = only_this_site(page, urlparse(demo_site.url).netloc)
    page.goto(f"{demo_site.url}/api/v1/docs/console/")

    operation = page.locator("#operations-conferences-conferences_list")
    operation.wait_for()
    assert page.locator(".info .title").inner_text().startswith("Science Parks Portal API")
    assert page.get_by_role("link", name="API reference (no JavaScript needed)").is_visible()
    assert axe_violations(page) == []

    operation.locator(".opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    status = operation.locator(".live-responses-table .response .response-col_status").first
    status.wait_for()

    assert status.inner_text().strip() == "200"
    assert "Beijing" in operation.locator(".live-responses-table .microlight").first.inner_text()
    assert outside == []
    assert page.console_errors == []
