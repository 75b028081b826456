"""Django's admin, for system administrators (superusers) only.

The admin lists every row, so it would bypass the releasability selector; it is therefore
closed to everyone but superusers, who may see everything anyway.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from partnership.core.models import ApiToken, Figure, Organization, RoleGrant, User


def _superusers_only(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_superuser)


admin.site.has_permission = _superusers_only  # type: ignore[method-assign]


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name_en", "abbreviation", "kind", "country_code", "parent"]
    list_filter = ["kind"]
    search_fields = ["name_en", "name_uk", "abbreviation", "slug"]


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0


@admin.register(User)
class PersonAdmin(UserAdmin, SimpleHistoryAdmin):
    fieldsets = (*UserAdmin.fieldsets, (None, {"fields": ["organization"]}))  # type: ignore[misc]
    list_display = ["username", "organization", "is_active", "is_superuser"]
    inlines = [RoleGrantInline]


@admin.register(Figure)
class FigureAdmin(SimpleHistoryAdmin):
    list_display = ["key", "value", "unit", "label_en"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at"]
    readonly_fields = ["digest", "prefix"]
