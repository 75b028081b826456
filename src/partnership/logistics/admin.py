"""Admin of logistics: movements and lots are shown, never changed there (the services
keep the books and their balances)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from partnership.logistics.models import (
    CodificationBureau,
    CodificationRequest,
    DestructionLot,
    DestructionTarget,
    Location,
    Movement,
    Standard,
    StandardAdoption,
    Supplier,
    SupplyItem,
)

for model in (
    Standard,
    StandardAdoption,
    CodificationBureau,
    Supplier,
    Location,
    DestructionTarget,
):
    admin.site.register(model, SimpleHistoryAdmin)


class ReadOnly(SimpleHistoryAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


for kept in (Movement, DestructionLot, SupplyItem, CodificationRequest):
    admin.site.register(kept, ReadOnly)
