"""In a real browser: a Ukrainian user reading a meeting of a NATO-only body sees the meeting
and a "restricted" body, nothing more, in both languages and at desktop and phone widths."""

import pytest
from playwright.sync_api import Page, expect

from partnership.core.models import Marking
from partnership.framework.models import Body, Meeting, MeetingLevel
from tests.browser.conftest import screenshot
from tests.browser.test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_ukrainian_user_sees_the_meeting_and_a_restricted_body(page: Page, site: str) -> None:
    body = Body.objects.create(
        slug="nato-only-steering-group",
        kind="committee",
        name_en="Steering Group Sigma",
        name_uk="Керівна група Сигма",
        marking=Marking.NATO,
    )
    meeting = Meeting.objects.create(
        body=body,
        level=MeetingLevel.EXPERTS,
        title_en="Joint review of reform",
        title_uk="Спільний огляд реформи",
        date="2026-11-02",
        marking=Marking.PARTNERSHIP,
    )
    log_in(page, site, "ua-viewer")
    for language, title, placeholder in (
        ("en", "Joint review of reform", "Restricted record"),
        ("uk", "Спільний огляд реформи", "Запис з обмеженим доступом"),
    ):
        for width, height in ((1366, 900), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            page.goto(f"{site}/{language}/framework/meetings/{meeting.pk}/")
            expect(page.get_by_role("heading", name=title)).to_be_visible()
            expect(page.locator("[data-restricted]")).to_have_text(placeholder)
            content = page.content()
            assert "Steering Group Sigma" not in content
            assert "Керівна група Сигма" not in content
            assert "nato-only-steering-group" not in content
            screenshot(page, f"meeting-restricted-body-{language}-{width}")
