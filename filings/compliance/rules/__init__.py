"""The rule catalogue, one module per concern; importing this package registers every rule."""

from . import (  # noqa: F401
    assets,
    attestations,
    consistency,
    counsel,
    debtors,
    documents,
    entity,
    income,
    registrations,
    structure,
    token,
    venues,
)
