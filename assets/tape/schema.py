"""Canonical tape columns per asset class and kind (abs-data.md §6.2–6.3), with Chinese and English headers.

Each column: name, type, required, Chinese header, English header, further header aliases, then limits.
A required column must be filled (an ND code counts where `nd` allows it); `derived_from` says how a blank
optional column is filled by the importer.
"""

from __future__ import annotations

from typing import Final

from .fields import (
    ACCOUNT_STATUSES,
    ALL_ND,
    ASSET_CLASSES,
    ESCROW_FREQUENCIES,
    GUARANTEE_TYPES,
    LEASE_TYPES,
    LEASED_ASSET_TYPES,
    NO_ND,
    OBLIGOR_TYPES,
    PAYMENT_FREQUENCIES,
    POOL_CLASSES,
    RISK_CLASSES,
    TOLL_ASSET_CATEGORIES,
    TOLL_KINDS,
    Column,
    ColumnType,
    Schema,
    header_key,
)  # fmt: skip

__all__ = ["ASSET_CLASSES", "KIND_SHEET_NAMES", "POOL_CLASSES", "SCHEMAS", "TOLL_KINDS", "Column", "Schema",
           "get_schema", "header_key", "kinds_for"]  # fmt: skip


def _c(name: str, type_: ColumnType, required: bool, zh: str, en: str, *aliases: str, **kw: object) -> Column:
    return Column(name, type_, required, zh, en, aliases, **kw)  # type: ignore[arg-type]


_POSITIVE: Final = {"min_value": 0, "min_exclusive": True}
_NON_NEGATIVE: Final = {"min_value": 0}
_TOLL_MONEY: Final = {"nd": ALL_ND, "min_value": 0}

# The tables below are kept one column per line (or two), like the template they describe.
# fmt: off
COMMON_HEAD: Final = (
    _c("asset_id", "id", True, "资产编号", "Asset ID", "资产代码", "基础资产编号", "asset number",
       "asset no", max_length=64, example="A0001"),
    _c("cutoff_date", "date", True, "基准日", "Cut-off date", "封包日", "数据基准日", "cutoff",
       example="2025-12-31"),
    _c("originator_id", "text", False, "原始权益人编号", "Originator ID", "originator", max_length=200,
       example="ORIG01"),
    _c("obligor_id", "id", True, "债务人编号", "Obligor ID", "承租人编号", "借款人编号", "customer id",
       "lessee id", "borrower id", max_length=64, example="OB0001"),
    _c("obligor_name", "text", False, "债务人名称", "Obligor name", "承租人名称", "借款人名称",
       "客户名称", "customer name", max_length=200, example="上海示例机械有限公司"),
    _c("obligor_uscc", "uscc", False, "统一社会信用代码", "Obligor USCC", "债务人统一社会信用代码",
       "uscc", "credit code", nd=ALL_ND, example="91310000MA1FL0000N"),
    _c("obligor_group_id", "id", False, "关联方集团编号", "Obligor group ID", "集团编号", "所属集团",
       "group id", max_length=64, example="G001", derived_from="obligor_id"),
    _c("obligor_type", "choice", True, "债务人类型", "Obligor type", "客户类型", "主体类型",
       choices=OBLIGOR_TYPES, example="corporate"),
    _c("related_party", "boolean", True, "是否关联方", "Related party", "关联方", example="否"),
    _c("industry_code", "industry", True, "行业代码", "Industry code", "所属行业", "国民经济行业分类",
       "industry", nd=ALL_ND, example="C34"),
    _c("region_code", "region", True, "行政区划代码", "Region code", "地区代码", "所在地区代码",
       "region", nd=ALL_ND, example="310115"),
    _c("currency", "currency", False, "币种", "Currency", "货币", "currency code", example="CNY",
       derived_from="CNY"),
)
_COMMON_TERMS: Final = (
    _c("original_amount", "money", True, "合同金额", "Original amount", "原始本金", "原始金额",
       "初始本金", "original principal", "original balance", example="1200000.00", **_POSITIVE),
    _c("outstanding_amount", "money", True, "未偿本金余额", "Outstanding amount", "未偿余额",
       "应收余额", "剩余本金", "current balance", "outstanding balance", "outstanding principal",
       example="800000.00", **_NON_NEGATIVE),
)
_COMMON_PERFORMANCE: Final = (
    _c("next_due_date", "date", False, "下一还款日", "Next due date", nd=ALL_ND),
    _c("days_past_due", "integer", True, "逾期天数", "Days past due", "dpd", "days in arrears",
       min_value=0, max_value=36500, example="0"),
    _c("arrears_amount", "money", False, "逾期金额", "Arrears amount", "arrears balance", example="0",
       derived_from="days_past_due", **_NON_NEGATIVE),
    _c("account_status", "choice", False, "资产状态", "Account status", "账户状态", "合同状态",
       "status", choices=ACCOUNT_STATUSES, example="performing", derived_from="days_past_due"),
    _c("risk_class_5", "choice", False, "五级分类", "Five-tier classification", "风险分类",
       choices=RISK_CLASSES, nd=ALL_ND, example="正常"),
    _c("default_date", "date", False, "违约日", "Default date", nd=ALL_ND),
    _c("default_amount", "money", False, "违约金额", "Default amount", nd=ALL_ND, **_NON_NEGATIVE),
    _c("recoveries", "money", False, "回收金额", "Recoveries", nd=ALL_ND, **_NON_NEGATIVE),
    _c("guarantee_type", "choice", False, "担保方式", "Guarantee type", choices=GUARANTEE_TYPES,
       nd=ALL_ND, example="none"),
)
_TRANSFER: Final = (
    _c("encumbered", "boolean", True, "是否存在权利负担", "Encumbered", "权利负担", example="否"),
    _c("release_at_transfer", "boolean", False, "转让时解除负担", "Released at transfer",
       "设立时解除负担"),
    _c("transferable", "boolean", True, "是否可转让", "Transferable", "可转让", example="是"),
)


def _rate(required: bool) -> Column:
    return _c("interest_rate", "rate", required, "利率", "Interest rate", "年利率", "执行利率",
              "租赁利率", "rate", nd=NO_ND if required else ALL_ND, min_value=0, example="5.5%")


def _frequency(required: bool, example: str) -> Column:
    return _c("payment_frequency", "choice", required, "还款频率", "Payment frequency", "付款频率",
              "付租频率", "frequency", choices=PAYMENT_FREQUENCIES, example=example,
              derived_from="" if required else "bullet")


def _disputed(required: bool) -> Column:
    return _c("disputed", "boolean", required, "是否存在争议", "Disputed", "争议", "有无争议",
              example="否")


def _dates(origination_required: bool, origination_example: str, maturity_example: str) -> tuple[Column, ...]:
    derived = not origination_required  # receivables: from the invoice and due dates
    return (
        _c("origination_date", "date", origination_required, "起始日", "Origination date", "合同起始日",
           "放款日", "start date", example=origination_example,
           derived_from="invoice_date" if derived else ""),
        _c("maturity_date", "date", origination_required, "到期日", "Maturity date", "合同到期日",
           "maturity", example=maturity_example, derived_from="due_date" if derived else ""),
    )


RECEIVABLE: Final = Schema("trade_receivable", "assets", (
    *COMMON_HEAD,
    *_dates(False, "2025-10-15", "2026-01-13"),
    *_COMMON_TERMS,
    _rate(False),
    _frequency(False, "bullet"),
    *_COMMON_PERFORMANCE,
    _disputed(True),
    *_TRANSFER,
    _c("invoice_no", "id", True, "发票号码", "Invoice number", "发票号", "invoice no", max_length=64,
       example="044001900111"),
    _c("contract_no", "text", True, "合同编号", "Contract number", "合同号", "基础合同编号",
       "contract no", max_length=100, example="HT-2025-001"),
    _c("invoice_date", "date", True, "开票日期", "Invoice date", "发票日期", example="2025-10-15"),
    _c("due_date", "date", True, "应收账款到期日", "Due date", "付款到期日", example="2026-01-13"),
    _c("payment_terms_days", "integer", False, "账期天数", "Payment terms (days)", "付款期限",
       "payment terms", min_value=0, example="90", derived_from="due_date - invoice_date"),
    _c("goods_delivered", "boolean", True, "是否已履约", "Goods delivered", "货物已交付", "已履行完毕",
       "performance complete", example="是"),
    _c("obligor_confirmed", "boolean", True, "债务人是否确权", "Obligor confirmed", "已确权", "确权",
       example="是"),
    _c("core_enterprise_id", "text", False, "核心企业编号", "Core enterprise ID", "核心企业",
       max_length=64),
    _c("dilution_amount", "money", False, "稀释金额", "Dilution amount", "折让金额", "退货金额",
       nd=ALL_ND, example="0", **_NON_NEGATIVE),
    _c("settled_date", "date", False, "结清日期", "Settled date", "回款日期", nd=ALL_ND),
))

LEASE: Final = Schema("finance_lease", "assets", (
    *COMMON_HEAD,
    *_dates(True, "2024-03-01", "2027-02-28"),
    *_COMMON_TERMS,
    _rate(True),
    _frequency(True, "monthly"),
    *_COMMON_PERFORMANCE,
    _disputed(False),
    *_TRANSFER,
    _c("lease_type", "choice", True, "租赁方式", "Lease type", "租赁类型", choices=LEASE_TYPES,
       example="sale_leaseback"),
    _c("leased_asset_type", "choice", True, "租赁物类型", "Leased asset type",
       choices=LEASED_ASSET_TYPES, example="machinery"),
    _c("leased_asset_description", "text", False, "租赁物描述", "Leased asset description",
       "租赁物名称", max_length=500, example="数控机床 20 台"),
    _c("asset_value", "money", False, "租赁物价值", "Leased asset value", "租赁物评估值", nd=ALL_ND,
       example="1500000.00", **_NON_NEGATIVE),
    _c("registration_no", "text", False, "中登网登记编号", "Registration number", "登记编号",
       "登记证明编号", max_length=100, nd=ALL_ND, example="0123456789012345678"),
    _c("commencement_date", "date", True, "起租日", "Commencement date", example="2024-03-01"),
    _c("total_instalments", "integer", True, "总期数", "Total instalments", "租赁总期数", min_value=1,
       max_value=600, example="36"),
    _c("instalments_paid", "integer", True, "已还期数", "Instalments paid", "已付期数",
       "已付租金期数", min_value=0, max_value=600, example="21"),
    _c("remaining_rent_total", "money", True, "未收租金总额", "Remaining rent total", "剩余租金",
       example="850000.00", **_NON_NEGATIVE),
    _c("deposit_amount", "money", False, "保证金", "Deposit amount", "保证金金额", nd=ALL_ND,
       example="0", **_NON_NEGATIVE),
    _c("purchase_option_price", "money", False, "留购价", "Purchase option price", nd=ALL_ND,
       example="100", **_NON_NEGATIVE),
    _c("residual_value", "money", False, "残值", "Residual value", nd=ALL_ND, **_NON_NEGATIVE),
    _c("internal_rating", "text", False, "内部评级", "Internal rating", max_length=20, nd=ALL_ND),
))

LOAN: Final = Schema("loan", "assets", (
    *COMMON_HEAD,
    *_dates(True, "2024-03-01", "2027-02-28"),
    *_COMMON_TERMS,
    _rate(True),
    _frequency(True, "monthly"),
    *_COMMON_PERFORMANCE,
    _disputed(False),
    *_TRANSFER,
))

_TOLL_ASSET_ID: Final = _c("asset_id", "id", False, "资产编号", "Asset ID", "资产代码", max_length=64)
_PERIOD: Final = _c("period", "month", True, "月份", "Period", "期间", "年月", "month", example="2023-01")

TOLL_ASSETS: Final = Schema("toll_income", "assets", (
    _c("asset_id", "id", True, "资产编号", "Asset ID", "资产代码", max_length=64, example="R001"),
    _c("asset_name", "text", True, "资产名称", "Asset name", "收费公路名称", "项目名称",
       max_length=200, example="示例高速公路"),
    _c("asset_category", "choice", True, "资产类别", "Asset category",
       choices=TOLL_ASSET_CATEGORIES, example="expressway"),
    _c("region_code", "region", True, "行政区划代码", "Region code", "地区代码", example="510100"),
    _c("length_km", "decimal", False, "里程(公里)", "Length (km)", "收费里程", "里程", nd=ALL_ND,
       min_value=0, example="86.5"),
    _c("toll_approval_ref", "text", False, "收费批复文号", "Toll approval reference", "收费许可",
       max_length=200, nd=ALL_ND, example="川府函〔2010〕100号"),
    _c("toll_period_start", "date", True, "收费期限起始日", "Toll period start", example="2010-06-30"),
    _c("toll_period_end", "date", True, "收费期限届满日", "Toll period end", "收费期限到期日",
       example="2040-06-29"),
    _c("operator_name", "text", True, "运营单位", "Operator name", "经营管理单位", max_length=200,
       example="示例高速公路有限公司"),
    _c("pledged", "boolean", True, "是否已质押", "Pledged", "质押", example="否"),
    _c("pledge_release_at_transfer", "boolean", False, "设立时解除质押",
       "Pledge released at transfer"),
    _c("escrow_frequency", "choice", False, "归集频率", "Escrow collection frequency",
       choices=ESCROW_FREQUENCIES, example="monthly"),
    _c("operating_since", "date", False, "开始运营日期", "Operating since", "通车日期", nd=ALL_ND,
       example="2010-06-30"),
))

TOLL_HISTORY: Final = Schema("toll_income", "history", (
    _TOLL_ASSET_ID,
    _PERIOD,
    _c("gross_revenue", "money", True, "通行费收入", "Gross revenue", "营业收入", "收入", "revenue",
       example="52000000.00", **_NON_NEGATIVE),
    _c("traffic_volume", "integer", False, "车流量", "Traffic volume", "交通量", "traffic", nd=ALL_ND,
       min_value=0, example="1250000"),
    _c("etc_share", "rate", False, "ETC占比", "ETC share", nd=ALL_ND, min_value=0, max_value=1,
       example="65%"),
    _c("opex", "money", False, "运营成本", "Operating expenses", "营业成本", "operating costs",
       example="9000000.00", **_TOLL_MONEY),
    _c("taxes", "money", False, "税费", "Taxes", "tax", example="2600000.00", **_TOLL_MONEY),
    _c("maintenance_capex", "money", False, "养护支出", "Maintenance capex", "大修支出",
       example="1500000.00", **_TOLL_MONEY),
    _c("net_cash_flow", "money", False, "净现金流", "Net cash flow", "ncf", nd=ALL_ND,
       derived_from="gross_revenue - opex - taxes - maintenance_capex"),
    _c("collected_to_escrow", "money", False, "归集金额", "Collected to escrow",
       example="52000000.00", **_TOLL_MONEY),
    _c("data_source", "text", False, "数据来源", "Data source", max_length=200, example="收费系统"),
))

TOLL_FORECAST: Final = Schema("toll_income", "forecast", (
    _TOLL_ASSET_ID,
    _PERIOD,
    _c("forecast_revenue", "money", True, "预测收入", "Forecast revenue", example="54000000.00",
       **_NON_NEGATIVE),
    _c("forecast_opex", "money", False, "预测运营成本", "Forecast opex", example="13500000.00",
       **_TOLL_MONEY),
    _c("forecast_ncf", "money", False, "预测净现金流", "Forecast net cash flow", nd=ALL_ND,
       derived_from="forecast_revenue - forecast_opex"),
    _c("assumption_note", "text", False, "预测假设", "Assumption note", max_length=500,
       example="车流量年增 3%"),
))

TOLL_DEBT_SERVICE: Final = Schema("toll_income", "debt_service", (
    _c("payment_date", "date", True, "兑付日", "Payment date", "支付日", "偿付日", example="2026-06-30"),
    _c("senior_interest_due", "money", True, "优先级应付利息", "Senior interest due",
       example="6000000.00", **_NON_NEGATIVE),
    _c("senior_principal_due", "money", True, "优先级应付本金", "Senior principal due",
       example="100000000.00", **_NON_NEGATIVE),
    _c("junior_interest_due", "money", False, "次级应付利息", "Junior interest due", example="0",
       **_TOLL_MONEY),
    _c("junior_principal_due", "money", False, "次级应付本金", "Junior principal due", example="0",
       **_TOLL_MONEY),
))


def _performance(asset_class: str) -> Schema:
    """Monthly pool performance (动态池, abs-data.md §2.2 C and §3) for receivable and lease pools."""
    return Schema(asset_class, "performance", (
        _PERIOD,
        _c("opening_balance", "money", True, "期初余额", "Opening balance", "月初余额", "期初资产余额",
           "beginning balance", example="500000000.00", **_NON_NEGATIVE),
        _c("scheduled_due", "money", True, "当期应收", "Scheduled due", "应收金额", "当期应收金额",
           "scheduled amount", "amount due", example="60000000.00", **_NON_NEGATIVE),
        _c("collected", "money", True, "当期实收", "Collected", "实收金额", "当期回款", "回款金额",
           "collections", example="59000000.00", **_NON_NEGATIVE),
        _c("dq30_balance", "money", True, "逾期30天以上余额", "DQ30+ balance", "逾期30天以上",
           "dq30", example="5000000.00", **_NON_NEGATIVE),
        _c("dq60_balance", "money", True, "逾期60天以上余额", "DQ60+ balance", "逾期60天以上",
           "dq60", example="2500000.00", **_NON_NEGATIVE),
        _c("dq90_balance", "money", True, "逾期90天以上余额", "DQ90+ balance", "逾期90天以上",
           "dq90", example="1000000.00", **_NON_NEGATIVE),
        _c("defaulted_amount", "money", True, "当期新增违约", "Defaulted amount", "新增违约金额",
           "违约金额", "defaults", example="300000.00", **_NON_NEGATIVE),
        _c("recoveries", "money", True, "当期回收", "Recoveries", "回收金额", "违约回收",
           example="100000.00", **_NON_NEGATIVE),
        _c("dilution_amount", "money", True, "当期稀释", "Dilution amount", "稀释金额", "折让退货抵销",
           "dilution", example="400000.00", **_NON_NEGATIVE),
        _c("originated_amount", "money", True, "当期新增", "Originated amount", "新增金额",
           "当期新增资产", "originations", example="65000000.00", **_NON_NEGATIVE),
        _c("prepaid_amount", "money", False, "当期提前还款", "Prepaid amount", "提前还款金额",
           "prepayments", example="0", **_NON_NEGATIVE),
    ))


RECEIVABLE_PERFORMANCE: Final = _performance("trade_receivable")
LEASE_PERFORMANCE: Final = _performance("finance_lease")
# fmt: on

SCHEMAS: Final[dict[tuple[str, str], Schema]] = {
    (s.asset_class, s.kind): s
    for s in (RECEIVABLE, LEASE, LOAN, TOLL_ASSETS, TOLL_HISTORY, TOLL_FORECAST, TOLL_DEBT_SERVICE,
              RECEIVABLE_PERFORMANCE, LEASE_PERFORMANCE)
}  # fmt: skip

# Receivable and lease pools may add their monthly performance (动态池) to the asset table.
PERFORMANCE_CLASSES: Final = ("trade_receivable", "finance_lease")

# Sheet names a toll workbook may use for each kind (compared with header_key).
KIND_SHEET_NAMES: Final = {
    "assets": ("assets", "asset", "资产", "资产信息", "基础资产", "资产清单"),
    "history": ("history", "历史", "历史数据", "历史现金流", "历史运营数据"),
    "forecast": ("forecast", "预测", "现金流预测", "预测现金流"),
    "debt_service": ("debt_service", "debt service", "偿债计划", "本息偿付", "兑付计划", "本息兑付计划"),
    "performance": ("performance", "历史表现", "动态池", "历史表现（动态池）", "动态池数据"),
}


def get_schema(asset_class: str, kind: str = "assets") -> Schema:
    """The schema for an asset class ('trade_receivable', 'finance_lease', 'loan', 'toll_income') and kind."""
    try:
        return SCHEMAS[(asset_class, kind)]
    except KeyError:
        raise ValueError(f"unknown asset class/kind {asset_class!r}/{kind!r}") from None


def kinds_for(asset_class: str) -> tuple[str, ...]:
    """The tables an asset class uploads: toll income has four, receivable and lease pools two, loans one."""
    if asset_class == "toll_income":
        return TOLL_KINDS
    return ("assets", "performance") if asset_class in PERFORMANCE_CLASSES else ("assets",)
