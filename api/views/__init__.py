"""API endpoints, one module per area; each is thin: scope in, one service or selector call, JSON out."""
