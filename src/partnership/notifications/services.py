"""Writes: telling people (once each), marking read, their choices, and the e-mails' delivery."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from partnership.core.exceptions import ApplicationError
from partnership.core.models import Releasable, User
from partnership.core.selectors import can_see
from partnership.notifications import selectors
from partnership.notifications.models import (
    Channel,
    EmailState,
    Kind,
    Notification,
    Preference,
    Recipient,
)

log = logging.getLogger(__name__)

MSG_BAD_CHANNEL = _("“%(value)s” is not a way of being told (at once, daily digest or off).")
MSG_BAD_KIND = _("“%(value)s” is not a kind of notification.")
MSG_BAD_LANGUAGE = _("“%(value)s” is not a language of the site (English or Ukrainian).")
MSG_NOT_YOURS = _("This notification is not yours.")

# A failed e-mail waits this long before its next try, then twice as long each time, at most
# a day; it is never given up: the notice stays in the database until the server takes it.
RETRY_FIRST = dt.timedelta(minutes=1)
RETRY_MOST = dt.timedelta(days=1)


@dataclass(frozen=True)
class Message:
    """What a notice says: its subject, an optional body, and where the record is."""

    subject: str
    body: str = ""


def _record_key(record: models.Model | None) -> str:
    return f"{record._meta.label_lower}:{record.pk}" if record is not None else ""


def notify(
    *,
    kind: str,
    recipients: Iterable[User],
    record: models.Model | None,
    occasion: str,
    message: Callable[[User], Message],
    path: str = "",
) -> list[Notification]:
    """Tells each recipient once (per kind, record and occasion), in both languages.

    A recipient who may not see the record is never told, not even that it exists; one who
    turned the kind off is not told either. `message(recipient)` is called with each language
    active in turn, so it writes what that person may know in that language. Nothing is sent
    here: e-mails go from the worker (`deliver_pending`), so a page never waits for a mail
    server.
    """
    made: list[Notification] = []
    key = _record_key(record)
    record_type = None
    if record is not None:
        from django.contrib.contenttypes.models import ContentType

        record_type = ContentType.objects.get_for_model(record)
    for user in {u.pk: u for u in recipients if u.is_active}.values():
        if isinstance(record, Releasable) and not can_see(user, record):
            continue
        channel = selectors.channels_of(user)[kind]
        if channel == Channel.OFF:
            continue
        if Notification.objects.filter(
            recipient=user, kind=kind, record_key=key, occasion=occasion
        ).exists():
            continue
        texts = {}
        for language in ("en", "uk"):
            with translation.override(language):
                written = message(user)
                texts[language] = (str(written.subject)[:300], str(written.body))
        state = EmailState.NONE
        if user.email:
            state = EmailState.PENDING if channel == Channel.IMMEDIATE else EmailState.DIGEST
        try:
            # A savepoint: two evaluations at once meet at the unique constraint, not twice.
            with transaction.atomic():
                made.append(
                    Notification.objects.create(
                        recipient=user,
                        kind=kind,
                        record_type=record_type,
                        record_id=record.pk if record is not None else None,
                        record_key=key,
                        occasion=occasion,
                        subject_en=texts["en"][0],
                        subject_uk=texts["uk"][0],
                        body_en=texts["en"][1],
                        body_uk=texts["uk"][1],
                        path=path,
                        email_state=state,
                        email_next_at=timezone.now(),
                    )
                )
        except IntegrityError:
            continue
    if any(n.email_state == EmailState.PENDING for n in made):
        transaction.on_commit(_wake_delivery)
    return made


def _wake_delivery() -> None:
    # The worker sends it; enqueueing is one insert, so the page that made the notice does not
    # wait for the mail server (and a server that is down only delays the message).
    from partnership.notifications.tasks import deliver

    deliver.enqueue()


def notification_mark_read(*, by: User, notification: Notification) -> Notification:
    if notification.recipient_id != by.pk:
        raise ApplicationError(MSG_NOT_YOURS)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, by: User) -> int:
    return Notification.objects.filter(recipient=by, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preferences_set(*, by: User, channels: dict[str, str], language: str) -> None:
    """The person's choice per kind, and the language of their messages; all or nothing."""
    if language not in dict(settings.LANGUAGES):
        raise ApplicationError(MSG_BAD_LANGUAGE % {"value": language}, field="language")
    for kind, channel in channels.items():
        if kind not in Kind.values:
            raise ApplicationError(MSG_BAD_KIND % {"value": kind})
        if channel not in Channel.values:
            raise ApplicationError(MSG_BAD_CHANNEL % {"value": channel}, field=kind)
    Recipient.objects.update_or_create(user=by, defaults={"language": language})
    for kind, channel in channels.items():
        Preference.objects.update_or_create(user=by, kind=kind, defaults={"channel": channel})


def _link(notification: Notification, language: str) -> str:
    if not notification.path:
        return ""
    return f"{settings.SITE_URL}/{language}{notification.path}"


def _email(user: User, notices: list[Notification], *, digest: bool) -> EmailMessage:
    language = selectors.language_of(user)
    with translation.override(language):
        items = [
            {
                "subject": n.subject_in(language),
                "body": n.body_in(language),
                "link": _link(n, language),
            }
            for n in notices
        ]
        if digest:
            subject = str(_("Your daily digest: %(count)s notifications")) % {"count": len(items)}
        else:
            subject = items[0]["subject"]
        text = render_to_string(
            "notifications/email.txt",
            {
                "user": user,
                "items": items,
                "digest": digest,
                "settings_link": f"{settings.SITE_URL}/{language}/notifications/settings/",
            },
        )
    message = EmailMessage(subject=subject, body=text, to=[user.email])
    message.extra_headers["Content-Language"] = language
    return message


def _failed(notices: list[Notification], error: Exception, now: dt.datetime) -> None:
    for notice in notices:
        notice.email_attempts += 1
        wait = min(RETRY_FIRST * 2 ** (notice.email_attempts - 1), RETRY_MOST)
        notice.email_next_at = now + wait
        notice.email_error = f"{type(error).__name__}: {error}"[:300]
        notice.save(update_fields=["email_attempts", "email_next_at", "email_error"])


def _visible_or_withheld(notices: Iterable[Notification]) -> list[Notification]:
    """Asks again at send time: a record re-marked since the notice was made is not mailed."""
    kept = []
    for notice in notices:
        if selectors.still_visible(notice.recipient, notice):
            kept.append(notice)
        else:
            notice.email_state = EmailState.WITHHELD
            notice.save(update_fields=["email_state"])
    return kept


def deliver_pending(*, now: dt.datetime | None = None) -> int:
    """Sends the e-mails due now, one per notice; what fails is retried later, never dropped."""
    now = now or timezone.now()
    due = list(
        Notification.objects.filter(email_state=EmailState.PENDING, email_next_at__lte=now)
        .select_related("recipient")
        .order_by("id")[:500]
    )
    sent = 0
    connection = get_connection(timeout=settings.EMAIL_TIMEOUT)
    try:
        for notice in _visible_or_withheld(due):
            try:
                connection.send_messages([_email(notice.recipient, [notice], digest=False)])
            except Exception as error:  # any failure of the mail server: keep it for later
                log.warning("e-mail of notification %s not sent: %s", notice.pk, error)
                _failed([notice], error, now)
                continue
            notice.email_state, notice.emailed_at, notice.email_error = EmailState.SENT, now, ""
            notice.save(update_fields=["email_state", "emailed_at", "email_error"])
            sent += 1
    finally:
        try:
            connection.close()
        except Exception:  # closing a connection that never opened
            log.debug("mail connection not closed", exc_info=True)
    return sent


def send_digests(*, now: dt.datetime | None = None) -> int:
    """Once a day from NOTIFICATION_DIGEST_HOUR, one e-mail per person with what waited."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.hour < settings.NOTIFICATION_DIGEST_HOUR:
        return 0
    today = local.date()
    waiting: dict[int, list[Notification]] = defaultdict(list)
    for notice in (
        Notification.objects.filter(email_state=EmailState.DIGEST, email_next_at__lte=now)
        .select_related("recipient")
        .order_by("id")
    ):
        waiting[notice.recipient_id].append(notice)
    sent = 0
    connection = get_connection(timeout=settings.EMAIL_TIMEOUT)
    for notices in waiting.values():
        user = notices[0].recipient
        settings_row, _created = Recipient.objects.get_or_create(
            user=user, defaults={"language": selectors.language_of(user)}
        )
        if settings_row.digest_sent_on == today:
            continue
        notices = _visible_or_withheld(notices)
        if not notices:
            continue
        try:
            connection.send_messages([_email(user, notices, digest=True)])
        except Exception as error:  # the mail server: the digest goes at the next try
            log.warning("digest of %s not sent: %s", user, error)
            _failed(notices, error, now)
            continue
        Notification.objects.filter(pk__in=[n.pk for n in notices]).update(
            email_state=EmailState.SENT, emailed_at=now, email_error=""
        )
        settings_row.digest_sent_on = today
        settings_row.save(update_fields=["digest_sent_on"])
        sent += 1
    return sent
