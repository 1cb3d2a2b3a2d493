"""Issuance dossier: gather one snapshot (context), fill templates/dossier, typeset to PDF/A-3 with
attachments (pdf), SVG charts, PAdES seal (signing), and run it all as a job (jobs)."""
