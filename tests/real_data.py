"""Where the real public files live (shared/data/real, beside the checkout) and what happens without them.

Locally a missing folder skips the tests that read it, with the reason; on CI (``CI=true``) it fails
them, so a run that silently lost its real-data tests cannot pass.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REAL_DATA = (Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "real").resolve()

ON_CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")

MISSING_REASON = "the real public files are not in ../shared/data/real beside the checkout"


def require_real_data(folder: Path = REAL_DATA, *, on_ci: bool = ON_CI) -> Path:
    """The folder of real files; on CI its absence is a failure, elsewhere a skip."""
    if not folder.is_dir():
        if on_ci:
            pytest.fail(f"{MISSING_REASON}; CI must run the real-data tests")
        pytest.skip(MISSING_REASON)
    return folder


@pytest.fixture
def real_data() -> Path:
    return require_real_data()


# Mark a test or module (``pytestmark = needs_real_files``) that reads the real files.
needs_real_files = pytest.mark.usefixtures("real_data")
