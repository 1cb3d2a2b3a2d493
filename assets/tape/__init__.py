"""Asset-tape engine: templates, readers, mapping, parsing and validation of uploaded asset files.

Pure Python; the Django job layer calls `run_import` and stores what the sink receives.
"""

from .errors import MESSAGES, ErrorCollector, TapeError, errors_to_csv, errors_to_xlsx
from .mapping import ColumnMapping, MappingError, MappingSuggestion, suggest_mapping
from .pipeline import FilePreview, ImportOptions, ImportResult, Progress, preview_file, run_import
from .readers import TapeReadError
from .schema import ASSET_CLASSES, POOL_CLASSES, SCHEMAS, TOLL_KINDS, Column, Schema, get_schema, kinds_for
from .templates import column_guide, template_csv, template_xlsx

__all__ = [
    "ASSET_CLASSES",
    "MESSAGES",
    "POOL_CLASSES",
    "SCHEMAS",
    "TOLL_KINDS",
    "Column",
    "ColumnMapping",
    "ErrorCollector",
    "FilePreview",
    "ImportOptions",
    "ImportResult",
    "MappingError",
    "MappingSuggestion",
    "Progress",
    "Schema",
    "TapeError",
    "TapeReadError",
    "column_guide",
    "errors_to_csv",
    "errors_to_xlsx",
    "get_schema",
    "kinds_for",
    "preview_file",
    "run_import",
    "suggest_mapping",
    "template_csv",
    "template_xlsx",
]
