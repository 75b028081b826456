"""The demo's deadlines: demo users get e-mail addresses, and a few things fall due now, so that
the bell rings and the demo's mail folder (var/mail) holds the e-mails at once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from partnership.core.models import Marking, Organization, User
from partnership.framework import services as framework
from partnership.framework.models import ActionItem, Decision
from partnership.notifications import deadlines, services

DEMO_DOMAIN = "demo.partnership.example"


class Command(BaseCommand):
    help = "Give the demo users addresses and create a few deadlines that are due now."

    def handle(self, *args: Any, **options: Any) -> None:
        for person in User.objects.filter(email=""):
            person.email = f"{person.username}@{DEMO_DOMAIN}"
            person.save(update_fields=["email"])
        if not ActionItem.objects.filter(title_en__startswith="Demo reminder:").exists():
            editor = User.objects.get(username="nato-editor")
            today = timezone.localdate()
            framework.action_item_create(
                by=editor, title_en="Demo reminder: send the JWG DTC work plan",
                title_uk="Демонстраційне нагадування: надіслати робочий план Спільної робочої групи "
                "з питань оборонно-технічного співробітництва",
                owner=Organization.objects.get(slug="ua-mod"),
                deadline=today + dt.timedelta(days=2), marking=Marking.PARTNERSHIP,
            )  # fmt: skip
            framework.action_item_create(
                by=editor, title_en="Demo reminder: report the flood exercise lessons",
                title_uk="Демонстраційне нагадування: звітувати про уроки навчань з паводків",
                owner=Organization.objects.get(slug="ua-ses"),
                deadline=today - dt.timedelta(days=5), marking=Marking.PARTNERSHIP,
            )  # fmt: skip
        if not Decision.objects.filter(title_en__startswith="Demo reminder:").exists():
            framework.decision_create(
                by=User.objects.get(username="nato-editor"), meeting=None, reference="",
                title_en="Demo reminder: statement on the cyber defence trust fund",
                title_uk="Демонстраційне нагадування: заява щодо трастового фонду з кібероборони",
                marking=Marking.PARTNERSHIP,
                silence_deadline=timezone.now() + dt.timedelta(hours=20),
            )  # fmt: skip
        made = deadlines.deadlines_evaluate()
        sent = services.deliver_pending()
        self.stdout.write(
            f"Notifications: {made} reminders due now, {sent} e-mails written to "
            f"{settings.EMAIL_FILE_PATH if 'filebased' in settings.EMAIL_BACKEND else 'the mail server'}."
        )
