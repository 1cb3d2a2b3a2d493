"""The review tests' module-wide world (people, a filled draft), reused: filling a filing is slow."""

from tests.reviews.conftest import *  # noqa: F403
from tests.reviews.conftest import _world  # noqa: F401  # private names are not star-imported
