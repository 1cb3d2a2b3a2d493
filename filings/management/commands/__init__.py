"""Management commands of the filings app."""
