"""The criteria profile: published defaults, overrides that stay traceable, and green/amber/red bands."""

from __future__ import annotations

from assets.criteria import DEFAULT_CRITERIA, band, criteria_with


def test_default_profile_carries_the_exchange_limits_and_a_version():
    assert DEFAULT_CRITERIA["version"] == "2026.1"
    assert DEFAULT_CRITERIA["pool"]["max_single_obligor_share"] == 0.50
    assert DEFAULT_CRITERIA["pool"]["max_top5_share"] == 0.70
    assert DEFAULT_CRITERIA["pool"]["min_obligor_groups"] == 10
    assert DEFAULT_CRITERIA["pool"]["significant_obligor_share"] == 0.15
    assert DEFAULT_CRITERIA["tape"]["history_min_months"] == 24


def test_override_changes_one_key_and_marks_the_profile_custom():
    profile = criteria_with({"asset": {"max_days_past_due": 30}, "stability": {"revenue_cv": {"green": 0.2}}})

    assert profile["asset"]["max_days_past_due"] == 30
    assert profile["asset"]["allowed_currencies"] == ["CNY"]  # untouched keys stay
    assert profile["stability"]["revenue_cv"] == {"direction": "lower", "green": 0.2, "red": 0.30}
    assert profile["version"] == "2026.1+custom"
    assert DEFAULT_CRITERIA["asset"]["max_days_past_due"] == 0  # the default itself is not changed


def test_override_may_name_its_own_version():
    assert criteria_with({"version": "issuer-X-2026"})["version"] == "issuer-X-2026"


def test_lower_is_better_bands_include_their_boundaries():
    rule = {"direction": "lower", "green": 0.15, "red": 0.30}

    assert [band(v, rule) for v in (0.10, 0.15, 0.2, 0.30, 0.31)] == [
        "green",
        "green",
        "amber",
        "amber",
        "red",
    ]


def test_higher_is_better_bands_include_their_boundaries():
    rule = {"direction": "higher", "green": 1.30, "red": 1.20}

    assert [band(v, rule) for v in (1.5, 1.30, 1.25, 1.20, 1.19)] == [
        "green",
        "green",
        "amber",
        "amber",
        "red",
    ]
    assert band(None, rule) is None
