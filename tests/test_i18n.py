"""Both catalogues are complete: every string the code marks has a Chinese and an English text."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[1] / "locale"


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
@pytest.mark.parametrize("flag", ["--untranslated", "--only-fuzzy"])
def test_catalogue_has_no_untranslated_or_fuzzy_entry(language, flag):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"

    result = subprocess.run(["msgattrib", flag, str(po)], capture_output=True, text=True, check=True)

    entries = [line for line in result.stdout.splitlines() if line.startswith("msgid ")]
    assert entries in ([], ['msgid ""']), entries[:10]


def test_catalogues_compile_cleanly():
    po = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
