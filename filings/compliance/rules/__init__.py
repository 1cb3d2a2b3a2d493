"""The rule catalogue, one module per concern; importing this package registers every rule."""

from . import assets, attestations, consistency, documents, entity, income, structure, token  # noqa: F401
