"""The strict CSP in a real browser: the public pages log no violation, and the admin (with its
own, looser policy) still logs in and opens the page editor; an editor's user bar on a public
page lives with the strict policy."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Records what the browser blocked, whether or not it also logs it to the console.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def watch(page):
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(RECORD_VIOLATIONS)
    return console


def violations(page, console):
    return [text for text in console if "Content Security Policy" in text] + page.evaluate("window.__cspViolations")


def test_public_pages_log_no_csp_violation(page, case_factory, guide_factory):
    case = case_factory(title="Moldova bot network tied to Russia", countries=("MD",))
    guide = guide_factory(title="Checklist for election officials")
    console = watch(page)
    urls = ["/", "/cases/", case.url, "/countries/", "/countries/moldova/", "/guides/", guide.url, "/api/"]
    urls.append("/search/?q=russia")
    for url in urls:
        response = page.goto(page.base + url)
        assert response.status == 200, url
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("load")
        assert violations(page, console) == [], url
    assert "Moldova bot network tied to" in page.locator("ol.results").inner_text()


def test_the_admin_logs_in_and_opens_the_editor_under_its_own_policy(page, case_factory, django_user_model):
    case = case_factory(title="Russian bot network in Moldova", countries=("MD",))
    django_user_model.objects.create_superuser("editor", "editor@example.org", "a-long-password-1")
    console = watch(page)
    page.goto(page.base + "/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a-long-password-1")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")
    page.goto(page.base + f"/admin/pages/{case.pk}/edit/")
    title = page.locator("#id_title")
    title.wait_for()
    assert title.input_value() == "Russian bot network in Moldova"
    # Wagtail's editor is a JavaScript application: the tabs only work if its scripts ran.
    page.get_by_role("tab", name="Promote").click()
    assert page.get_by_label("Slug").first.is_visible()
    assert violations(page, console) == []
    # A signed-in editor on a public page gets Wagtail's user bar, under the strict policy.
    page.goto(page.base + case.url)
    page.locator("wagtail-userbar").wait_for(state="attached")
    page.wait_for_load_state("load")
    assert violations(page, console) == []
