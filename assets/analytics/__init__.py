"""Pool analytics: overview, stratifications, historical performance, income-right metrics, eligibility.

Pure functions over canonical row dicts (as produced by assets.tape.run_import); results are
JSON-serialisable (conventions in assets.analytics.common).
"""

from .eligibility import eligible_assets, evaluate_eligibility, income_right_eligibility, pool_checks
from .income import income_right_metrics, income_stability_checks
from .pool import Assets, PoolData, concentration, performance_by_cutoff, pool_data, pool_overview
from .report import pool_report, pool_stability_checks
from .strata import stratifications

__all__ = [
    "Assets",
    "PoolData",
    "concentration",
    "eligible_assets",
    "evaluate_eligibility",
    "income_right_eligibility",
    "income_right_metrics",
    "income_stability_checks",
    "performance_by_cutoff",
    "pool_checks",
    "pool_data",
    "pool_overview",
    "pool_report",
    "pool_stability_checks",
    "stratifications",
]
