"""The API's interactive documentation works in a browser, from the site's own files only."""

from urllib.parse import urlparse

from tests.e2e.conftest import screenshot


def test_partner_reads_the_docs_and_tries_a_request(demo_site, page, viewport):
    outside: list[str] = []
    host = urlparse(demo_site.url).netloc

    def only_this_site(route):
        if urlparse(route.request.url).netloc != host:
            outside.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/*", only_this_site)
    page.goto(f"{demo_site.url}/api/v1/docs/")

    operation = page.locator("#operations-conferences-conferences_list")
    operation.wait_for()
    assert page.locator(".info .title").inner_text().startswith("Science Parks Portal API")
    assert page.get_by_text("Keeping a copy in sync").is_visible()
    if viewport == "desktop":
        screenshot(page, "api-docs", viewport)

    operation.locator(".opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    status = operation.locator(".live-responses-table .response .response-col_status").first
    status.wait_for()

    assert status.inner_text().strip() == "200"
    assert "Beijing" in operation.locator(".live-responses-table .microlight").first.inner_text()
    assert outside == []
    assert page.console_errors == []
