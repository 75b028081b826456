"""The map's words fit what ASDE raises: every rule named, every piece of evidence it gives shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation

from asde.alerts import AlertEngine, Rule, evaluate_picture
from asde.sim import load_scenario, simulate
from partnership.airpicture import vocabulary

SCENARIOS = Path(__file__).resolve().parents[3] / "src" / "asde" / "data" / "scenarios"


@pytest.fixture(scope="module")
def raised() -> list[dict]:
    """What the renegade scenario raises, as the centre's API gives each alert."""
    scenario = load_scenario(SCENARIOS / "renegade-lviv.yaml")
    alerts = evaluate_picture(simulate(scenario), AlertEngine(scenario.alert_settings))
    return [alert.to_json() for alert in alerts]


@pytest.mark.parametrize("language", ["en", "uk"])
def test_every_piece_of_evidence_fills_its_rules_sentence(
    raised: list[dict], language: str
) -> None:
    with translation.override(language):
        words = vocabulary.words()
    shown = set()
    for alert in raised:
        template = words["evidence"].get(alert["rule"])  # type: ignore[attr-defined]
        if template is None or not alert["evidence"]:
            continue
        evidence = {
            k: ", ".join(v) if isinstance(v, list) else v for k, v in alert["evidence"].items()
        }
        sentence = template % evidence  # a missing key is a KeyError: the words drifted from ASDE
        assert "%(" not in sentence
        shown.add(alert["rule"])
    # The scenario shows most kinds; those it raises are all put into words.
    assert {"code_change", "route_deviation", "renegade", "restricted_area"} <= shown


def test_every_rule_has_a_name_in_both_languages() -> None:
    english = vocabulary.rules()
    with translation.override("uk"):
        ukrainian = vocabulary.rules()

    assert set(english) == {str(rule) for rule in Rule}
    assert all(ukrainian[rule] != english[rule] for rule in english)
