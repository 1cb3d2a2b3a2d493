"""Seed the materials checklist (administrators edit it afterwards)."""

from django.db import migrations

ALL = []
TR, FL, TOLL = "trade_receivable", "finance_lease", "toll_income"

ITEMS = [
    # code, zh, en, classes, required, legal opinion
    ("FILING-REPORT", "备案报告", "Filing report", ALL, True, False),
    ("COMMITMENTS", "境内备案主体及相关方承诺函", "Commitments of the filing entity and related parties", ALL, True, False),
    ("RESOLUTIONS", "股东会/董事会决议", "Shareholder and board resolutions", ALL, True, False),
    ("STRUCTURE-CHART", "股权及控制结构图", "Ownership and control structure chart", ALL, True, False),
    ("TEAM-LIST", "项目人员名单及联系方式", "Project team lists and contacts", ALL, True, False),
    ("OFFERING-DOCS", "境外发行全套文件（含中文译本）", "Full offshore offering documents (with Chinese translation)", ALL, True, False),
    ("PRC-OPINION", "境内法律意见书", "PRC legal opinion", ALL, True, True),
    ("OFFSHORE-OPINION", "境外法律意见书", "Offshore legal opinion", ALL, True, True),
    ("TRUE-SALE-OPINION", "真实出售及破产隔离法律意见", "True-sale and bankruptcy-remoteness opinion", ALL, True, True),
    ("REGULATORY-OPINIONS", "行业主管部门监管意见或说明", "Industry regulators' opinions (or explanation)", ALL, False, False),
    ("SECURITY-REVIEW", "安全审查意见或说明", "Security review opinion (or explanation)", ALL, False, False),
    ("SMART-CONTRACT-AUDIT", "智能合约审计报告", "Smart-contract audit report", ALL, True, False),
    ("REGISTRY-SEARCH", "中登网登记及查询报告", "Registry (Zhongdeng) registrations and search report", ALL, True, False),
    ("CONFIDENTIALITY", "保密和档案管理合规说明", "Confidentiality and archives compliance statement", ALL, True, False),
    ("RECEIVABLE-CONTRACTS", "基础交易合同及发票样本", "Underlying contracts and invoice samples", [TR], True, False),
    ("DEBTOR-CONFIRMATION", "债务人确权文件", "Debtor confirmations", [TR], False, False),
    ("LEASE-CONTRACTS", "租赁合同及租赁物权属证明", "Lease contracts and proof of leased-asset ownership", [FL], True, False),
    ("LESSOR-LICENCE", "融资租赁经营资质", "Lessor's finance-lease licence", [FL], True, False),
    ("TOLL-APPROVALS", "收费许可及收费期限批复", "Toll collection approvals and toll period", [TOLL], True, False),
    ("CONCESSION", "特许经营协议", "Concession agreement", [TOLL], True, False),
    ("TRAFFIC-STUDY", "交通量及收入预测报告", "Traffic and revenue study", [TOLL], True, False),
]


def seed(apps, schema_editor):
    requirement = apps.get_model("filings", "DocumentRequirement")
    for order, (code, zh, en, classes, required, opinion) in enumerate(ITEMS, start=1):
        requirement.objects.update_or_create(
            code=code,
            defaults={"name_zh": zh, "name_en": en, "asset_classes": classes, "required": required,
                      "is_legal_opinion": opinion, "order": order * 10},
        )


class Migration(migrations.Migration):
    dependencies = [("filings", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
