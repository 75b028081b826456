"""The IATI reader on its own: XML in, plain activities out, and no database touched (these
tests have no database access: pytest-django refuses any query)."""

import datetime as dt
from decimal import Decimal

import pytest

from partnership.core.exceptions import ApplicationError
from partnership.trustfunds.iati_parse import Party, parse

FILE = b"""<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
  <iati-activity default-currency="USD" xml:lang="en">
    <iati-identifier>XI-TEST-1</iati-identifier>
    <title><narrative>Demining</narrative><narrative xml:lang="uk">Rozminuvannia</narrative></title>
    <activity-status code="2"/>
    <activity-date type="2" iso-date="2016-01-01"/>
    <activity-date type="3" iso-date="2018-12-31"/>
    <sector vocabulary="1" code="15250"/>
    <budget><value currency="EUR">1000.50</value></budget>
    <transaction>
      <transaction-type code="11"/><transaction-date iso-date="2016-02-01"/>
      <value>500</value>
      <provider-org ref="XM-DAC-301"><narrative>Canada</narrative></provider-org>
    </transaction>
    <transaction>
      <transaction-type code="99"/><transaction-date iso-date="2016-02-01"/><value>1</value>
    </transaction>
    <result type="1"><indicator measure="1"><title><narrative>Mines cleared</narrative></title>
      <baseline year="2016" value="0"/>
      <period><period-start iso-date="2016-01-01"/><period-end iso-date="2016-12-31"/>
        <target value="100"/><actual value="40"/></period>
    </indicator></result>
  </iati-activity>
</iati-activities>
"""


def test_an_activity_is_read_into_plain_data() -> None:
    [activity] = parse(FILE)
    assert (activity.identifier, activity.title_en, activity.title_uk) == (
        "XI-TEST-1", "Demining", "Rozminuvannia"
    )  # fmt: skip
    assert (activity.period, activity.sector_code, activity.budget_eur) == (
        "2016-01-01/2018-12-31", "15250", Decimal("1000.50")
    )  # fmt: skip
    [commitment] = activity.transactions
    assert (commitment.kind, commitment.date, commitment.currency, commitment.amount) == (
        "commitment", dt.date(2016, 2, 1), "USD", Decimal(500)
    )  # fmt: skip
    assert commitment.party == Party("XM-DAC-301", "Canada")
    # A transaction type a trust fund does not record is a problem of the activity, not a crash.
    assert any("transaction type 99" in p for p in activity.problems)
    [indicator] = activity.indicators
    assert (indicator.level, indicator.target, indicator.actuals) == (
        "output", Decimal(100), (("2016-01-01/2016-12-31", Decimal(40)),)
    )  # fmt: skip


def test_a_value_that_is_no_number_names_the_activity() -> None:
    with pytest.raises(ApplicationError) as info:
        parse(FILE.replace(b"<value>500</value>", b"<value>lots</value>"))
    assert "XI-TEST-1, transaction 1" in str(info.value.message)
