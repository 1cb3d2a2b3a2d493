"""The asset-pool screens of a filing, one module per screen: upload (templates, upload, import progress),
mapping, figures (the pool page) and assets. Thin: the filing comes from the user's scope, the work from
assets.services and filings.pools."""

from __future__ import annotations

from .assets import pool_assets
from .common import legal_final_maturity, pool_of
from .figures import pool_detail, pool_recompute
from .mapping import pool_mapping, pool_mapping_check
from .upload import (
    pool_guide,
    pool_import,
    pool_import_errors,
    pool_import_status,
    pool_tape_file,
    pool_template,
    pool_upload,
)

__all__ = [
    "legal_final_maturity",
    "pool_assets",
    "pool_detail",
    "pool_guide",
    "pool_import",
    "pool_import_errors",
    "pool_import_status",
    "pool_mapping",
    "pool_mapping_check",
    "pool_of",
    "pool_recompute",
    "pool_tape_file",
    "pool_template",
    "pool_upload",
]
