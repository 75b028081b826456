"""E-mail through a real SMTP server on loopback (aiosmtpd): received, and retried when down."""

import email
import socket
from collections.abc import Iterator
from email.message import Message as EmailMessage

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings
from django.utils import timezone

from partnership.core.models import Marking, Organization, User
from partnership.framework import services as framework
from partnership.notifications import services
from partnership.notifications.models import EmailState, Kind, Notification

pytestmark = pytest.mark.django_db


class Inbox:
    """What the loopback server received, as parsed messages."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))  # type: ignore[attr-defined]
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def smtp_settings(port: int) -> Iterator[None]:
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1", EMAIL_PORT=port, EMAIL_USE_TLS=False, EMAIL_TIMEOUT=2,
    ):  # fmt: skip
        yield


def assign(title: str, capture: object) -> Notification:
    reporter = User.objects.get(username="ua-reporter")
    reporter.email = "ua-reporter@example.org"
    reporter.save(update_fields=["email"])
    with capture(execute=True):  # type: ignore[operator]
        framework.action_item_create(
            by=User.objects.get(username="nato-editor"), title_en=title,
            owner=Organization.objects.get(slug="ua-mod"), deadline=None,
            marking=Marking.PARTNERSHIP,
        )  # fmt: skip
    return Notification.objects.get(recipient=reporter, kind=Kind.ACTION_ASSIGNED,
                                    subject_en__contains=title)  # fmt: skip


def test_the_e_mail_reaches_a_real_smtp_server_in_the_recipients_language(
    smtp_settings: None, port: int, django_capture_on_commit_callbacks: object
) -> None:
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        notice = assign("Name the cyber liaison officer", django_capture_on_commit_callbacks)
        assert services.deliver_pending() >= 1
    finally:
        server.stop()

    received = [m for m in inbox.messages if m["To"] == "ua-reporter@example.org"]
    assert len(received) == 1
    message = received[0]
    assert message["Content-Language"] == "uk"
    body = message.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert "Name the cyber liaison officer" in body
    assert "/uk/framework/action-items/" in body
    notice.refresh_from_db()
    assert notice.email_state == EmailState.SENT and notice.email_attempts == 0


def test_a_mail_server_that_is_down_delays_the_e_mail_and_never_loses_it(
    smtp_settings: None, port: int, django_capture_on_commit_callbacks: object
) -> None:
    # Given no server on the port: the try fails fast and the notice stays, to retry
    notice = assign("Confirm the JWG DTC dates", django_capture_on_commit_callbacks)
    services.deliver_pending()
    notice.refresh_from_db()
    assert notice.email_state == EmailState.PENDING
    assert notice.email_attempts == 1 and "Connection" in notice.email_error
    assert notice.email_next_at > timezone.now()

    # When the server is back and the retry is due
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        assert services.deliver_pending() == 0, "not before its next try"
        services.deliver_pending(now=notice.email_next_at)
    finally:
        server.stop()

    # Then it arrives, once
    notice.refresh_from_db()
    assert notice.email_state == EmailState.SENT
    assert [m["To"] for m in inbox.messages].count("ua-reporter@example.org") == 1
