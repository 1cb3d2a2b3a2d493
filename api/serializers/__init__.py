"""Request and response shapes of the API, one module per area (they also make the OpenAPI schema)."""
