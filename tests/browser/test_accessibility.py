"""Every page, read by every demo role and anonymously, in both languages, on a desk and a phone.

The pages come from the URL patterns, filled the way the releasability prober fills them
(`tests/partnership/core/test_prober.py`), so that a new page is walked without being listed
here. On each: axe-core (from node_modules) finds no serious or critical violation, the page is
no wider than the window (wide tables scroll inside their own container), and the console
shows no error (a script the Content-Security-Policy refused is one).

One test per identity (so that a failure names it and pytest-xdist can spread them), each in one
browser context: every page is opened in English at 1366 px, measured again after narrowing the
window to 390 px, then the same in Ukrainian. Every wait on the browser is bounded: a page that
never settles fails with its URL instead of holding the run.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from playwright.async_api import ConsoleMessage as AsyncConsoleMessage
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page as AsyncPage
from playwright.async_api import async_playwright
from playwright.sync_api import Browser, expect

from partnership.core.models import Releasable, User
from partnership.core.selectors import visible_to
from partnership.site.management.commands.demo_users import DEMO_USERS
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, screenshot
from tests.partnership.core.test_prober import NOT_PAGES, Seed, _patterns, page_arguments

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
IDENTITIES = ["anonymous", *(username for username, _org, _roles in DEMO_USERS)]
WIDTHS = (1366, 390)
LANGUAGES = ("en", "uk")
# The air picture's pages are walked too; its endpoints that only take a POST are not pages.
AIR_NOT_PAGES = {"airpicture:acknowledge", "airpicture:escalate", "airpicture:approve"}
# What makes two pages the same to axe-core and to the layout: their elements, classes, roles
# and states, not their words, links or how many rows of one kind they list. A page whose
# structure another identity already brought is walked once (the walk stays within minutes).
PERSONAL = re.compile(
    r'name="csrfmiddlewaretoken" value="[^"]*"|<span class="who"[^>]*>.*?</span>', re.S
)
TEXT = re.compile(r">[^<]*<")
ATTRIBUTE = re.compile(r'\s([\w:-]+)="[^"]*"')
KEPT = {"class", "type", "role", "hidden", "disabled", "multiple"}
REPEATED = re.compile(r"(<(tr|li|option|dt|dd|p|a|span)\b[^>]*>.*?</\2>)\1+", re.S)


def structure(markup: str) -> str:
    markup = TEXT.sub("><", PERSONAL.sub("", markup))
    markup = ATTRIBUTE.sub(
        lambda m: m.group(0) if m.group(1) in KEPT or m.group(1).startswith("aria-") else "",
        markup,
    )
    while True:
        shorter = REPEATED.sub(r"\1", markup)
        if shorter == markup:
            return markup
        markup = shorter


@dataclass
class Finding:
    who: str
    url: str
    width: int
    problems: list[str] = field(default_factory=list)


def _all_patterns() -> Iterator[tuple[str, URLPattern]]:
    """The prober's pages, and the air picture's, which the prober leaves to its own tests."""
    yield from _patterns(get_resolver())
    for p in get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            for inner in p.url_patterns:
                if isinstance(inner, URLResolver) and inner.namespace == "airpicture":
                    yield from _patterns(inner, "airpicture:")


def _seed_for(user: Any) -> Seed:
    """One record of each kind the user may see, for the pages that show one."""
    seed = Seed()
    for model in apps.get_models():
        if model.__name__.startswith("Historical"):
            continue
        rows = model._default_manager.order_by("pk")
        if isinstance(model, type) and issubclass(model, Releasable):
            rows = visible_to(user, rows)
        first = rows.first()
        if first is not None:
            seed.records[model._meta.label] = [first]
    return seed


def _urls_for(user: Any) -> list[tuple[str, str]]:
    from partnership.airpicture.models import ExchangeAgreement

    seed = _seed_for(user)
    fill = page_arguments(seed)
    agreements = seed.visible(ExchangeAgreement)
    fill["airpicture:edit"] = lambda: [{"pk": a.pk} for a in agreements]
    fill["airpicture:export"] = lambda: [{"pk": a.pk} for a in agreements]
    urls = []
    with translation.override("en"):
        for name, pattern in _all_patterns():
            if name in NOT_PAGES or name in AIR_NOT_PAGES:
                continue
            if not pattern.pattern.converters:
                urls.append((name, reverse(name)))
                continue
            assert name in fill, f"the accessibility walk does not know how to fill {name}"
            urls += [(name, reverse(name, kwargs=kwargs)) for kwargs in fill[name]()]
    return urls


def _session_cookie(who: str, site: str) -> list[Any]:
    if who == "anonymous":
        return []
    client = Client()
    client.force_login(User.objects.get(username=who))
    return [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site}]


AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ` +
      v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", "));
}"""
WIDTH = "() => [document.documentElement.scrollWidth, window.innerWidth]"
# After a resize the layout follows on the next frame.
SETTLED = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
# The live map asks the operator's own ASDE centre for alerts and links; none runs here, so the
# platform answers 503 and the page says the centre is unreachable (test_livemap runs centres).
NO_CENTRE = re.compile(r"/airpicture/map/")
PARALLEL = 3  # pages loaded at once: the live server and chromium overlap their waits
# Every wait on the browser is bounded, so that a page that never settles is a finding naming
# its URL instead of a walk that waits for ever.
STEP_S = 30.0
WALK_S = 20 * 60.0
# Structures already walked in this process (by any identity): the same page under another role
# that renders the same elements, classes and states is not walked again (under pytest-xdist,
# each worker walks what it has not yet seen itself).
WALKED: set[str] = set()


class Skipped(Exception):
    """The URL is not a page (a download, an event stream, an error or a redirect)."""


async def _bounded(awaitable: Any, what: str) -> Any:
    try:
        return await asyncio.wait_for(awaitable, STEP_S)
    except TimeoutError:
        raise TimeoutError(f"{what} took more than {STEP_S:.0f} s") from None


async def _check(page: AsyncPage, axe: str, errors: list[str]) -> list[str]:
    """axe-core's serious and critical violations and the page's width, at the current size."""
    await _bounded(page.evaluate(SETTLED), "the layout")
    if not await _bounded(page.evaluate("() => typeof axe !== 'undefined'"), "axe-core"):
        await _bounded(page.evaluate(axe), "loading axe-core")
    problems = list(await _bounded(page.evaluate(AXE_RUN), "axe-core"))
    scroll_width, viewport = await _bounded(page.evaluate(WIDTH), "measuring the width")
    if scroll_width > viewport:
        problems.append(f"{scroll_width} px wide in a {viewport} px window")
    return problems + errors


async def _load(page: AsyncPage, site: str, url: str) -> str:
    """Open the page and return its HTML; `Skipped` if the URL is not an HTML page."""
    for attempt in range(3):
        try:
            # Up to the response's headers only: an event stream or a download never "loads".
            response = await page.goto(site + url, wait_until="commit", timeout=STEP_S * 1000)
            break
        except Exception as exc:
            # A download is no page; nor is an answer without a body (a 405 to a GET, say).
            if "Download is starting" in str(exc) or "ERR_HTTP_RESPONSE_CODE_FAILURE" in str(exc):
                raise Skipped("a download or no body") from None
            # The blank page between two URLs can still be arriving (after a previous error
            # page interrupted it): that navigation is the browser's, not this page's fault.
            if "interrupted by another navigation" in str(exc) and attempt < 2:
                await asyncio.sleep(0.2)
                continue
            raise
    # A redirect (to the login page, say) is not the page asked for; its target is walked itself.
    if response is None:
        raise Skipped("no answer")
    if response.request.redirected_from:
        raise Skipped("a redirect")
    if response.status != 200:
        raise Skipped(response.status)
    if not (await response.all_headers()).get("content-type", "").startswith("text/html"):
        raise Skipped("not HTML")
    await page.wait_for_load_state("load", timeout=STEP_S * 1000)
    return str(await _bounded(response.text(), "reading the page"))


async def _walk_one(
    page: AsyncPage,
    site: str,
    name: str,
    url: str,
    axe: str,
    findings: list[str],
    checked: list[str],
) -> None:
    errors: list[str] = []

    def on_console(message: AsyncConsoleMessage) -> None:
        if message.type != "error":
            return
        if NO_CENTRE.search(page.url) and "status of 503" in message.text:
            return
        where = message.location.get("url", "")
        errors.append(f"console: {message.text} ({where})")

    def on_error(error: Exception) -> None:
        errors.append(f"script error: {error}")

    # The previous URL's last messages (a refused page's own 403, say) come in before the blank
    # page has loaded, so that they are not taken for this page's.
    for _attempt in range(3):
        try:
            await page.goto("about:blank", timeout=STEP_S * 1000)
            break
        except PlaywrightError:  # interrupted by the previous URL's error page: once more
            await asyncio.sleep(0.2)
    page.on("console", on_console)
    page.on("pageerror", on_error)
    try:
        for language in LANGUAGES:
            localized = f"/{language}/{url[4:]}"
            for width in WIDTHS:
                label = f"{localized} at {width} px"
                try:
                    size = {"width": width, "height": 800}
                    await _bounded(page.set_viewport_size(size), "resizing the window")
                    if width == WIDTHS[0]:
                        markup = await _load(page, site, localized)
                        if language == LANGUAGES[0]:
                            digest = hashlib.sha256(f"{name}\n{structure(markup)}".encode())
                            if digest.hexdigest() in WALKED:
                                checked.append("(already walked)")
                                return
                            WALKED.add(digest.hexdigest())
                    problems = await _check(page, axe, errors)
                    checked.append(label)
                    if problems and width != WIDTHS[0]:
                        # Measured after a resize; a phone opens the page at its own width
                        # (scripts may size things on load): what counts is a fresh load.
                        errors.clear()
                        await _load(page, site, localized)
                        problems = await _check(page, axe, errors)
                except Skipped as skipped:
                    checked.append(f"(not a page: {skipped.args[0]})")
                    return
                except Exception as exc:  # a page that does not load is a finding
                    findings.append(f"{label}:\n    {type(exc).__name__}: {exc}")
                    return
                if problems:
                    findings.append(f"{label}:\n    " + "\n    ".join(problems))
                errors.clear()
    finally:
        page.remove_listener("console", on_console)
        page.remove_listener("pageerror", on_error)


async def _walk(
    site: str,
    urls: list[tuple[str, str]],
    cookies: list[Any],
    axe: str,
    busy: set[str],
    checked: list[str],
) -> list[str]:
    findings: list[str] = []
    queue = list(reversed(urls))
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        # One context for the identity: its session, at both widths, in both languages.
        context = await browser.new_context(viewport={"width": WIDTHS[0], "height": 800})
        context.set_default_timeout(STEP_S * 1000)
        await context.add_cookies(cookies)

        async def worker() -> None:
            page = await context.new_page()
            while queue:
                name, url = queue.pop()
                busy.add(url)
                try:
                    await _walk_one(page, site, name, url, axe, findings, checked)
                except PlaywrightError as exc:  # one URL's failure, not the end of the walk
                    findings.append(f"{url}:\n    {type(exc).__name__}: {exc}")
                busy.discard(url)
            await page.close()

        await asyncio.gather(*(worker() for _ in range(PARALLEL)))
        await context.close()
        await browser.close()
    return findings


@pytest.fixture
def walk_site(site: str, settings: Any) -> str:
    """The live server with the demo's data, as `site` gives it (copied back from the run's
    template for each identity), with no ASDE centre."""
    import socket

    # A port nothing listens on: another engineer's (or the demo's) centre on the default ports
    # must not answer the live map, whose event stream would then stay open.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.ASDE_CENTRES = {
        key: {**entry, "url": f"http://127.0.0.1:{port}"}
        for key, entry in settings.ASDE_CENTRES.items()
    }
    return site


# On PostgreSQL the walk is not repeated for all 17 identities (each walk is minutes): the
# pages render from the same templates on both databases, and what PostgreSQL can change is
# what a query returns. So it walks the identities that between them open every page: a URL
# pattern that renders (200, HTML) for some identity renders for one of these. `_urls_for`
# fills every pattern for every signed-in identity alike (pages refuse by role, not by URL),
# so the set was taken from what each identity is actually shown (Django's test client over
# `_urls_for(user)` on the demo, 88 patterns render for someone): nato-editor alone opens 77;
# the others add what only their role opens: nato-admin the people page, ally-assessor the
# assessment form, ua-coordinator the ANP year and import, ua-approver amendments, withdrawal
# and the year's transitions, nato-airops the air picture's pages and a decision's adoption.
# Anonymous is walked for the signed-out layout and the public pages.
POSTGRES_WALKERS = (
    "anonymous",
    "nato-editor",
    "nato-admin",
    "ally-assessor",
    "ua-coordinator",
    "ua-approver",
    "nato-airops",
)
assert set(POSTGRES_WALKERS) <= set(IDENTITIES), "a PostgreSQL walker that is no demo identity"
ON_POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]


@pytest.mark.parametrize(
    "who",
    [
        pytest.param(
            who,
            marks=pytest.mark.skipif(
                ON_POSTGRES and who not in POSTGRES_WALKERS,
                reason="walked on SQLite; on PostgreSQL the identities that open every page",
            ),
        )
        for who in IDENTITIES
    ],
)
def test_every_page_is_accessible_and_fits_a_phone(walk_site: str, who: str) -> None:
    site = walk_site
    started = time.monotonic()
    user: Any = AnonymousUser() if who == "anonymous" else User.objects.get(username=who)
    urls = _urls_for(user)
    findings: list[str] = []
    busy: set[str] = set()
    checked: list[str] = []  # what became of each URL: checked at a width, or why not
    # Playwright's async API in a thread of its own: the sync API of the other browser tests
    # keeps an event loop in this one.
    failed: list[BaseException] = []
    cookies = _session_cookie(who, site)

    def walk() -> None:
        try:
            findings.extend(asyncio.run(_walk(site, urls, cookies, AXE.read_text(), busy, checked)))
        except BaseException as exc:  # the walk's own failure fails the test, not the thread
            failed.append(exc)

    thread = threading.Thread(target=walk, daemon=True)
    thread.start()
    thread.join(WALK_S)
    assert not thread.is_alive(), f"the walk as {who} took over {WALK_S:.0f} s, at {busy}"
    if failed:
        raise failed[0]
    outcomes = Counter(label if label.startswith("(") else "checked" for label in checked)
    summary = f"{who}: {len(urls)} URLs in {time.monotonic() - started:.0f} s, " + ", ".join(
        f"{count} {outcome}" for outcome, count in sorted(outcomes.items())
    )
    SCREENSHOTS.mkdir(exist_ok=True)
    (SCREENSHOTS / f"accessibility-{who}.txt").write_text(
        summary + "\n" + "\n".join(sorted(findings))
    )
    print(summary)
    assert not findings, f"{len(findings)} page loads fail as {who}:\n" + "\n".join(
        sorted(findings)
    )


# Downloads (reports, exports, feeds) are no pages to the walk; printing each PDF takes seconds.
DOWNLOAD = re.compile(r"\.(pdf|xlsx|csv|xml|ics|json)(\?|$)")


def _pages_opened(who: str, urls: list[tuple[str, str]]) -> set[str]:
    """The URL patterns of which some page renders (200, HTML) for the identity."""
    client = Client()
    if who != "anonymous":
        client.force_login(User.objects.get(username=who))
    opened = set()
    for name, url in urls:
        if name in opened or DOWNLOAD.search(url):
            continue
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            opened.add(name)
    return opened


@pytest.mark.skipif(
    ON_POSTGRES, reason="what each identity is shown is the same on both: checked on SQLite"
)
def test_the_postgresql_walkers_open_every_page_that_any_identity_opens(walk_site: str) -> None:
    def user(who: str) -> Any:
        return AnonymousUser() if who == "anonymous" else User.objects.get(username=who)

    # Given the pages the identities walked on PostgreSQL open between them
    opened: set[str] = set()
    for who in POSTGRES_WALKERS:
        opened |= _pages_opened(who, _urls_for(user(who)))
    # When every other identity opens what none of them did
    missing: dict[str, str] = {}
    for who in set(IDENTITIES) - set(POSTGRES_WALKERS):
        rest = [(name, url) for name, url in _urls_for(user(who)) if name not in opened]
        for name in _pages_opened(who, rest):
            missing.setdefault(name, who)
    # Then there is none: a page only another role opens would go unwalked on PostgreSQL
    assert not missing, f"add these identities to POSTGRES_WALKERS for these pages: {missing}"


def test_a_keyboard_user_on_a_phone_skips_the_menu_opens_it_and_scrolls_a_wide_table(
    browser: Browser, site: str
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 800}, locale="uk-UA")
    page = context.new_page()
    page.goto(f"{site}/uk/trust-funds/")
    menu = page.get_by_role("button", name="Меню")
    links = page.get_by_role("navigation", name="Головне меню")

    # Given a phone: the menu is folded behind its button.
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(links).to_be_hidden()

    # When the first Tab lands on the skip link and Enter follows it, the focus is on the content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Перейти до змісту")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    # When the menu button is pressed from the keyboard, the links show; Escape folds them.
    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(links.get_by_role("link", name="Трастові фонди")).to_be_visible()
    page.keyboard.press("Escape")
    expect(links).to_be_hidden()
    expect(menu).to_be_focused()

    # Then the list of funds, wider than the phone, scrolls in a labelled region of its own
    # that takes the focus, and the arrow keys scroll it; the page itself does not widen.
    region = page.get_by_role("region", name="Трастові фонди")
    expect(region).to_have_attribute("tabindex", "0")
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.wide-table').scrollLeft > 0")
    assert page.evaluate(WIDTH) == [390, 390]
    screenshot(page, "accessibility-funds-390-uk")

    # And on a desk the menu is open and its button, out of sight, says so.
    page.set_viewport_size({"width": 1366, "height": 800})
    expect(page.locator("header .menu-button")).to_have_attribute("aria-expanded", "true")
    expect(links.get_by_role("link", name="Трастові фонди")).to_be_visible()
    context.close()
