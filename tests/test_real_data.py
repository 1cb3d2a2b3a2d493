"""The real-data tests find ../shared/data/real beside the checkout; without it CI fails, a laptop skips."""

from __future__ import annotations

from pathlib import Path

import pytest
from _pytest.outcomes import Failed, Skipped

from tests.real_data import REAL_DATA, require_real_data


def test_the_folder_is_found_relative_to_the_checkout():
    checkout = Path(__file__).resolve().parents[1]
    assert (checkout.parent / "shared" / "data" / "real").resolve() == REAL_DATA


def test_a_missing_folder_fails_on_ci(tmp_path):
    with pytest.raises(Failed, match="CI must run the real-data tests"):
        require_real_data(tmp_path / "absent", on_ci=True)


def test_a_missing_folder_skips_locally_with_the_reason(tmp_path):
    with pytest.raises(Skipped, match=r"not in \.\./shared/data/real beside the checkout"):
        require_real_data(tmp_path / "absent", on_ci=False)


def test_a_present_folder_is_returned(tmp_path):
    assert require_real_data(tmp_path, on_ci=True) == tmp_path
