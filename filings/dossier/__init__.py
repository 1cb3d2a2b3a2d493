"""Issuance dossier engine: HTML to PDF/A-3 with attachments, SVG charts, PAdES signing."""
