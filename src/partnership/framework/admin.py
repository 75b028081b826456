"""Admin for system administrators (see core.admin: superusers only)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from partnership.framework.models import (
    ActionItem,
    AgendaItem,
    Agreement,
    Body,
    Decision,
    Document,
    Meeting,
    Milestone,
)


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


@admin.register(Body)
class BodyAdmin(SimpleHistoryAdmin):
    list_display = ["name_en", "abbreviation", "kind", "marking"]
    list_filter = ["kind", "marking"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["title_en", "body", "level", "date", "marking"]
    list_filter = ["level", "marking", "body"]
    inlines = [AgendaItemInline]


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "title_en", "status", "silence_deadline", "marking"]


@admin.register(ActionItem)
class ActionItemAdmin(SimpleHistoryAdmin):
    list_display = ["title_en", "owner", "deadline", "status", "marking"]


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "title_en", "kind", "marking"]


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = ["title_en", "signed", "ratified", "in_force", "marking"]


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ["number", "date", "theme", "marking"]
    list_filter = ["theme"]
