"""The core models' rules that every app's records share, as the database holds them."""

from typing import Any

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone

from partnership.core.models import User, Withdrawable

pytestmark = pytest.mark.django_db

# Every concrete model that takes the core's withdrawal (the framework's records, the trust
# funds' results …), found rather than listed so that a model converted later is checked too.
WITHDRAWABLE = sorted(
    (m for m in apps.get_models() if issubclass(m, Withdrawable)), key=lambda m: m._meta.label
)


def test_the_framework_records_and_results_use_the_core_withdrawal() -> None:
    labels = {m._meta.label for m in WITHDRAWABLE}

    assert {
        "framework.Body",
        "framework.Meeting",
        "framework.Decision",
        "framework.ActionItem",
        "framework.Agreement",
        "framework.Milestone",
        "core.Measurement",
    } <= labels


def _withdraw_in_database(model: type[Any], **values: Any) -> int:
    """Writes round the services (a script, a raw update), as the constraint must meet them."""
    row = model._default_manager.filter(withdrawn_at__isnull=True).order_by("pk").first()
    assert row is not None, f"the test data hold no current {model._meta.label}"
    with transaction.atomic():
        model._default_manager.filter(pk=row.pk).update(**values)
    return int(row.pk)


@pytest.mark.parametrize("model", WITHDRAWABLE, ids=lambda m: m._meta.label)
def test_the_database_refuses_a_withdrawal_without_reason(model: type[Any]) -> None:
    # Given a current record, when it is marked withdrawn with an empty reason, then no.
    by = User.objects.get(username="nato-editor")
    with pytest.raises(IntegrityError):
        _withdraw_in_database(model, withdrawn_at=timezone.now(), withdrawn_by=by)


@pytest.mark.parametrize("model", WITHDRAWABLE, ids=lambda m: m._meta.label)
def test_the_database_refuses_a_withdrawal_without_who_or_a_reason_without_withdrawal(
    model: type[Any],
) -> None:
    with pytest.raises(IntegrityError):
        _withdraw_in_database(model, withdrawn_at=timezone.now(), withdrawal_reason="Twice")
    with pytest.raises(IntegrityError):
        _withdraw_in_database(model, withdrawal_reason="Twice")


@pytest.mark.parametrize("model", WITHDRAWABLE, ids=lambda m: m._meta.label)
def test_the_database_keeps_a_withdrawal_that_says_when_who_and_why(model: type[Any]) -> None:
    by = User.objects.get(username="nato-editor")

    pk = _withdraw_in_database(
        model, withdrawn_at=timezone.now(), withdrawn_by=by, withdrawal_reason="Entered twice"
    )

    kept = model._default_manager.get(pk=pk)
    assert kept.withdrawn and kept.withdrawn_by == by and kept.withdrawal_reason == "Entered twice"
