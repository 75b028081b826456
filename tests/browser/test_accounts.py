"""A person in a real browser: sets up an authenticator under production settings and logs in
with it; and every page works under the Content-Security-Policy (no console error)."""

import base64
import time
from urllib.parse import urlsplit

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import ConsoleMessage, Page, expect

from partnership.site.management.commands.demo_users import (
    DEMO_MFA_USER,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
)
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def totp_code(secret: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for this base32 secret (`steps_ahead` 30-s steps on:
    the server accepts one step of drift, and never the same step twice)."""
    totp = TOTP(base64.b32decode(secret))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def password_step(page: Page, site: str, username: str, lang: str = "en") -> None:
    page.goto(f"{site}/{lang}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form.form button[type=submit]").click()


def test_an_editor_sets_up_totp_under_production_settings_and_logs_in_with_it(
    page: Page, site: str, settings: object
) -> None:
    settings.MFA_REQUIRED = True  # type: ignore[attr-defined]
    password_step(page, site, "us-lead")

    # Given production settings, an editor without a second factor goes to set one up.
    expect(page.get_by_test_id("mfa-required")).to_be_visible()
    screenshot(page, "mfa-required")
    page.get_by_role("link", name="Set up an authenticator app").click()
    secret = page.get_by_test_id("totp-secret").inner_text()
    screenshot(page, "mfa-totp-setup")
    page.get_by_label("Code").fill("123")
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".errorlist")).to_contain_text("That code is not right")
    time.sleep(1.1)  # django-otp's throttle after a wrong code
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Confirm").click()

    # Then the recovery codes are shown once, and the site opens.
    expect(page.get_by_test_id("recovery-codes").locator("code")).to_have_count(10)
    screenshot(page, "mfa-recovery-codes")
    page.goto(f"{site}/en/trust-funds/")
    expect(page.get_by_test_id("who")).to_contain_text("us-lead")

    # When they log in again, the password alone is not enough; the app's code is.
    page.get_by_role("button", name="Log out").click()
    password_step(page, site, "us-lead")
    expect(page).to_have_url(f"{site}/en/accounts/second-factor/verify/?next=%2Fen%2F")
    page.goto(f"{site}/en/trust-funds/")
    expect(page).to_have_url(
        f"{site}/en/accounts/second-factor/verify/?next=%2Fen%2Ftrust-funds%2F"
    )
    page.get_by_label("Code").fill(totp_code(secret, steps_ahead=1))
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(f"{site}/en/trust-funds/")
    expect(page.get_by_test_id("who")).to_contain_text("us-lead")


def test_the_demo_mfa_user_logs_in_with_the_printed_secret_in_ukrainian(
    page: Page, site: str
) -> None:
    password_step(page, site, DEMO_MFA_USER, lang="uk")
    expect(page.get_by_role("heading", name="Другий фактор")).to_be_visible()
    screenshot(page, "mfa-verify-uk")
    page.locator("input[name=code]").fill(totp_code(DEMO_TOTP_SECRET))
    page.locator("form.form button[type=submit]").click()
    expect(page.get_by_test_id("who")).to_contain_text(DEMO_MFA_USER)


class Console:
    """Console errors and CSP violations of every page visited."""

    def __init__(self, page: Page) -> None:
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"{page.url}: {exc}"))
        self.page = page

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"{self.page.url}: {message.text}")


SKIP = (".pdf", ".xlsx", ".xml", ".yaml", ".geojson", "/logout/", "/admin/", "/i18n/")


def crawl(page: Page, site: str, start: list[str], limit: int) -> list[str]:
    """Visits the start pages and every same-site page they link to, up to `limit` pages."""
    seen: list[str] = []
    queue = [f"{site}{path}" for path in start]
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.append(url)
        response = page.goto(url)
        assert response is not None and response.status < 500, url
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            parts = urlsplit(href)
            if f"{parts.scheme}://{parts.netloc}" != site or href.endswith(SKIP):
                continue
            if any(s in parts.path for s in SKIP) or not parts.path.startswith(("/en/", "/uk/")):
                continue
            target = f"{site}{parts.path}"
            if target not in seen and target not in queue:
                queue.append(target)
    return seen


def test_every_page_works_under_the_csp_without_console_errors(page: Page, site: str) -> None:
    console = Console(page)
    public = crawl(page, site, ["/en/", "/uk/", "/en/accounts/login/"], limit=25)

    password_step(page, site, "nato-editor")
    signed_in = crawl(
        page,
        site,
        [
            "/en/anp/", "/en/anp/2015/", "/en/framework/action-items/", "/en/trust-funds/",
            "/en/programmes/", "/en/accounts/second-factor/",
            "/en/accounts/second-factor/authenticator/", "/en/anp/2015/report.html",
        ],
        limit=60,
    )  # fmt: skip
    screenshot(page, "csp-last-page")

    assert len(public) + len(signed_in) >= 40
    assert console.errors == []


def test_an_administrator_resets_a_second_factor_from_the_people_page(
    page: Page, site: str
) -> None:
    console = Console(page)
    password_step(page, site, "nato-admin")
    page.goto(f"{site}/en/organization/people/")
    row = page.get_by_role("row", name=DEMO_MFA_USER)
    row.get_by_role("button", name="Reset second factor").click()
    expect(page.locator(".messages")).to_contain_text(f"{DEMO_MFA_USER}'s second factors were")
    screenshot(page, "people-reset")

    page.get_by_role("button", name="Log out").click()
    password_step(page, site, DEMO_MFA_USER)
    expect(page.get_by_test_id("who")).to_contain_text(DEMO_MFA_USER)
    assert console.errors == []


def test_a_passkey_is_registered_and_then_passes_the_second_step(
    page: Page, site: str, settings: object
) -> None:
    # Given a browser with a platform authenticator (Chromium's virtual one, through CDP).
    settings.OTP_WEBAUTHN_RP_ID = "localhost"  # type: ignore[attr-defined]
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [site]  # type: ignore[attr-defined]
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    console = Console(page)
    password_step(page, site, "ua-coordinator")

    # When the person registers a passkey on the second-factor page,
    page.goto(f"{site}/en/accounts/second-factor/")
    page.locator("#passkey-register-button").click()
    expect(page.locator("#passkey-register-status-message")).to_contain_text("successful")
    page.reload()
    expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
    screenshot(page, "mfa-passkey-registered")

    # then the next login asks for it, and the passkey passes.
    page.get_by_role("button", name="Log out").click()
    password_step(page, site, "ua-coordinator")
    expect(page).to_have_url(f"{site}/en/accounts/second-factor/verify/?next=%2Fen%2F")
    # The button answers once the page's passkey script has loaded: on a loaded machine (three
    # test workers on two cores) a click before that did nothing.
    page.wait_for_load_state("networkidle")
    page.locator("#passkey-verification-button").click()
    # (The header names the person already on the verify page: wait for the redirect, which
    # follows the browser's assertion and the server's check of it: slow on a loaded machine.)
    expect(page).to_have_url(f"{site}/en/", timeout=60_000)
    page.goto(f"{site}/en/anp/")
    expect(page).to_have_url(f"{site}/en/anp/")
    assert console.errors == []
