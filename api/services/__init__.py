"""Changes the API makes on its own rows: tokens and webhooks (filing changes go through filings/reviews)."""
