"""Development settings: the embedded default (SQLite, in-process tasks)."""

from .base import *  # noqa: F403

DEBUG = True
WHITENOISE_AUTOREFRESH = True
