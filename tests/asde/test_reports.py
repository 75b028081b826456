"""The time window a centre believes around its wall clock."""

import pytest

from asde.reports import TimeWindow


@pytest.mark.parametrize(
    ("offset", "reason"),
    [(0.0, None), (5.0, None), (5.01, "future"), (11 * 3600, "future"), (-60.0, None),
     (-60.01, "too_old"), (-11 * 3600, "too_old")],
)  # fmt: skip
def test_a_report_outside_the_window_is_refused_with_its_reason(
    offset: float, reason: str | None
) -> None:
    window = TimeWindow(ahead_s=5.0, max_age_s=60.0)

    assert window.refusal(1_800_000_000.0 + offset, 1_800_000_000.0) == reason
