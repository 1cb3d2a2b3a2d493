"""The rule catalogue, one module per concern; importing this package registers every rule."""

from . import (  # noqa: F401
    assets,
    attestations,
    consistency,
    counsel,
    documents,
    entity,
    income,
    structure,
    token,
    venues,
)
