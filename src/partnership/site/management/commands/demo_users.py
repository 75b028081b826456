"""Creates one demo user per role and a few marked records, so each role sees something different."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnership.accounts.services import totp_install
from partnership.core.models import Marking, Organization, Role, User
from partnership.core.services import user_create
from partnership.framework import services
from partnership.framework.models import Body, Decision, Meeting, MeetingLevel

DEMO_PASSWORD = "partnership-demo-2026"
# The demo user with an authenticator already set up: any TOTP app (or `oathtool --totp -b`)
# given this secret shows the code the second login step asks for.
DEMO_MFA_USER = "nato-mfa"
DEMO_TOTP_SECRET = "NATOUKRAINEPARTNERSHIPDEMOTOTPKE"
DEMO_USERS = [
    # username, organization, roles
    ("nato-editor", "nato-is", [Role.EDITOR, Role.VIEWER]),
    ("nato-approver", "nato-is", [Role.APPROVER, Role.VIEWER]),
    ("nato-admin", "nato-is", [Role.ADMINISTRATOR]),
    ("ally-assessor", "us", [Role.ASSESSOR, Role.VIEWER]),
    ("lt-viewer", "lt-embassy-kyiv", [Role.VIEWER]),
    ("ua-reporter", "ua-mod", [Role.REPORTER, Role.VIEWER]),
    ("ua-viewer", "ua-mfa", [Role.VIEWER]),
    # The ANP: the Cabinet's national coordinator drafts and submits, its approver approves;
    # the State Emergency Service reports on its own measures beside the Ministry of Defence.
    ("ua-coordinator", "ua-cabinet", [Role.EDITOR, Role.VIEWER]),
    ("ua-approver", "ua-cabinet", [Role.APPROVER, Role.VIEWER]),
    ("ua-ses-reporter", "ua-ses", [Role.REPORTER, Role.VIEWER]),
    # Trust funds: the lead nation of the demilitarization project records its money;
    # Canada, a donor, sees its own contributions and the fund totals.
    ("us-lead", "us", [Role.EDITOR, Role.VIEWER]),
    ("ca-donor", "ca", [Role.VIEWER]),
    ("ge-viewer", "ge", [Role.VIEWER]),
    ("nato-airops", "nato-is", [Role.AIR_OPERATIONS, Role.APPROVER, Role.VIEWER]),
    ("ua-airops", "ua-armed-forces", [Role.AIR_OPERATIONS, Role.APPROVER, Role.VIEWER]),
    (DEMO_MFA_USER, "nato-is", [Role.EDITOR, Role.VIEWER]),
]


class Command(BaseCommand):
    help = "Create the demo users (one per role) and demo records with every marking."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        for username, org_key, roles in DEMO_USERS:
            if not User.objects.filter(username=username).exists():
                user_create(
                    by=None,  # the operator at the server: see user_create
                    username=username,
                    password=DEMO_PASSWORD,
                    organization=Organization.objects.get(slug=org_key),
                    roles=roles,
                )
        mfa_user = User.objects.get(username=DEMO_MFA_USER)
        if not TOTPDevice.objects.filter(user=mfa_user, confirmed=True).exists():
            totp_install(user=mfa_user, secret=DEMO_TOTP_SECRET)
        editor = User.objects.get(username="nato-editor")
        nuc = Body.objects.get(slug="nuc")
        demo = [
            ("Demo: NUC ambassadors review the ANP (partnership)", Marking.PARTNERSHIP, []),
            ("Demo: Allied assessors prepare the ANP assessment (NATO only)", Marking.NATO, []),
            (
                "Demo: Trilateral expert talks (releasable to Lithuania, Ukraine)",
                Marking.NATIONS,
                ["LT", "UA"],
            ),
        ]
        for title, marking, nations in demo:
            if Meeting.objects.filter(title_en=title).exists():
                continue
            meeting = services.meeting_create(
                by=editor,
                body=nuc,
                level=MeetingLevel.AMBASSADORS
                if marking != Marking.NATIONS
                else MeetingLevel.EXPERTS,
                title_en=title,
                date="2026-10-14",
                place_en="NATO Headquarters, Brussels",
                marking=marking,
                nations=nations,
                participants=Organization.objects.filter(slug__in=["nato", "ua"]),
                agenda=["Opening", "Progress report", "Next steps"],
            )
            services.action_item_create(
                by=editor,
                title_en=f"Follow up: {title.removeprefix('Demo: ')}",
                owner=Organization.objects.get(slug="ua-mod"),
                deadline=dt.date(2026, 12, 15),
                meeting=meeting,
                marking=marking,
                nations=nations,
            )
        if not Decision.objects.filter(reference="C-M(2026)0042").exists():
            services.decision_create(
                by=editor,
                meeting=Meeting.objects.filter(title_en=demo[0][0]).first(),
                reference="C-M(2026)0042",
                title_en="Demo: Action sheet on the review of the ANP",
                marking=Marking.PARTNERSHIP,
            )
        if options["verbosity"] > 0:
            self.stdout.write(self.style.SUCCESS(f"{len(DEMO_USERS)} demo users ready."))
