"""Demo data: organisations, one user per role, and filings in every interesting state."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from accounts.models import Organisation, OrganisationKind, Role, User
from filings import services as filing_services
from filings.models import Filing
from filings.validators import uscc_check_char
from filings.workflow import AssetClass

DEMO_PASSWORD = "FilingDesk-2026"


def uscc(first17: str) -> str:
    return first17 + uscc_check_char(first17)


ORGANISATIONS = [
    (
        "hz",
        "浙江某交通投资集团有限公司",
        "Zhejiang Demo Transport Investment Group Co., Ltd.",
        uscc("91330000MA27U0001"),
    ),
    (
        "sz",
        "深圳某供应链管理有限公司",
        "Shenzhen Demo Supply Chain Management Co., Ltd.",
        uscc("91440300MA5G00021"),
    ),
]
REGULATOR = ("中国证券监督管理委员会（演示）", "China Securities Regulatory Commission (demo)")
STAFF = [
    ("reviewer1", "王审核", Role.REVIEWER),
    ("reviewer2", "李审核", Role.REVIEWER),
    ("lead", "张组长", Role.LEAD_REVIEWER),
    ("admin", "赵管理", Role.ADMINISTRATOR),
]


def _user(username: str, full_name: str, role: str, organisation: Organisation) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "full_name": full_name,
            "role": role,
            "organisation": organisation,
            "email": f"{username}@demo.filingdesk.local",
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def seed_people() -> dict[str, User]:
    people: dict[str, User] = {}
    for key, name_zh, name_en, code in ORGANISATIONS:
        org, _ = Organisation.objects.get_or_create(
            name_zh=name_zh, defaults={"name_en": name_en, "kind": OrganisationKind.ISSUER, "uscc": code}
        )
        people[f"{key}-preparer"] = _user(f"{key}-preparer", f"{key.upper()} 经办人", Role.PREPARER, org)
        people[f"{key}-signatory"] = _user(f"{key}-signatory", f"{key.upper()} 授权代表", Role.SIGNATORY, org)
    regulator, _ = Organisation.objects.get_or_create(
        name_zh=REGULATOR[0], defaults={"name_en": REGULATOR[1], "kind": OrganisationKind.REGULATOR}
    )
    for username, full_name, role in STAFF:
        people[username] = _user(username, full_name, role, regulator)
    return people


def fill_filing(filing: Filing, preparer: User, signatory: User, *, name_zh: str, code: str) -> None:
    """Complete every section so the filing passes pre-flight."""
    filing_services.update_section(
        filing_id=filing.pk,
        section="entity",
        by=preparer,
        expected_version=filing.entity.version,
        fields={
            "uscc": code,
            "name_zh": name_zh,
            "legal_representative": "陈某",
            "registered_capital": Decimal("500000000"),
            "paid_in_capital": Decimal("500000000"),
            "establishment_date": date(2008, 6, 18),
            "registered_address": "浙江省杭州市西湖区文三路 1 号",
            "business_scope": "高速公路投资、建设、经营管理；供应链管理服务。",
            "controlling_shareholder": "某省国有资本运营有限公司",
            "actual_controller": "某省人民政府国有资产监督管理委员会",
            "actual_controller_type": "state",
        },
        rows={
            "control_links": [
                {
                    "level": 1,
                    "holder_name": "某省国有资本运营有限公司",
                    "holder_identifier": "",
                    "holds_in": name_zh,
                    "percentage": Decimal("100"),
                }
            ],
            "officers": [
                {
                    "name": "陈某",
                    "role": "director",
                    "position": "董事长",
                    "nationality": "CN",
                    "overseas_residence": "",
                }
            ],
        },
    )
    filing_services.update_section(
        filing_id=filing.pk,
        section="structure",
        by=preparer,
        expected_version=0,
        fields={
            "spv_name": "Demo ABS Token Issuer Limited",
            "spv_jurisdiction": "HK",
            "spv_registration_no": "3210987",
            "spv_lei": "",
            "spv_orphan": True,
            "subordination_pct": Decimal("10"),
            "overcollateralisation_pct": Decimal("12"),
            "reserve_amount": Decimal("20000000"),
            "guarantee": "差额支付承诺",
            "guarantor": name_zh,
        },
        rows={
            "parties": [
                {"role": "originator", "name": name_zh, "jurisdiction": "CN", "licence_no": ""},
                {"role": "servicer", "name": name_zh, "jurisdiction": "CN", "licence_no": ""},
                {
                    "role": "backup_servicer",
                    "name": "某资产服务有限公司",
                    "jurisdiction": "CN",
                    "licence_no": "",
                },
                {
                    "role": "trustee",
                    "name": "Demo Trustee (HK) Limited",
                    "jurisdiction": "HK",
                    "licence_no": "TCSP-001",
                },
                {
                    "role": "custodian",
                    "name": "某银行股份有限公司香港分行",
                    "jurisdiction": "HK",
                    "licence_no": "AAB-123",
                },
                {
                    "role": "token_platform",
                    "name": "Demo Tokenisation Platform Ltd",
                    "jurisdiction": "HK",
                    "licence_no": "BJF-778",
                },
                {
                    "role": "prc_counsel",
                    "name": "某律师事务所",
                    "jurisdiction": "CN",
                    "licence_no": "31110000E0000001",
                },
                {
                    "role": "offshore_counsel",
                    "name": "Demo & Partners",
                    "jurisdiction": "HK",
                    "licence_no": "LS-2020",
                },
            ],
            "tranches": [
                {
                    "name": "A",
                    "size": Decimal("90000000"),
                    "currency": "USD",
                    "seniority": 1,
                    "coupon": "4.20%",
                    "legal_final_maturity": date(2030, 12, 31),
                    "rating": "AAA",
                },
                {
                    "name": "B",
                    "size": Decimal("10000000"),
                    "currency": "USD",
                    "seniority": 2,
                    "coupon": "—",
                    "legal_final_maturity": date(2030, 12, 31),
                    "rating": "",
                },
            ],
            "accounts": [
                {
                    "role": "collection",
                    "bank": "某银行杭州分行",
                    "segregated": True,
                    "control_arrangement": "账户监管协议",
                    "sweep_frequency": "daily",
                },
                {
                    "role": "spv",
                    "bank": "某银行香港分行",
                    "segregated": True,
                    "control_arrangement": "受托人控制",
                    "sweep_frequency": "none",
                },
                {
                    "role": "reserve",
                    "bank": "某银行香港分行",
                    "segregated": True,
                    "control_arrangement": "受托人控制",
                    "sweep_frequency": "none",
                },
            ],
            "triggers": [
                {
                    "kind": "servicer_termination",
                    "condition": "资产服务机构丧失清偿能力",
                    "consequence": "更换为后备资产服务机构",
                },
                {"kind": "acceleration", "condition": "A 档本息未按期支付", "consequence": "加速清偿"},
            ],
            "waterfall": [
                {"order": 1, "payee": "税费及受托人", "description": "税费及服务报酬"},
                {"order": 2, "payee": "A 档持有人", "description": "A 档利息"},
                {"order": 3, "payee": "A 档持有人", "description": "A 档本金"},
                {"order": 4, "payee": "B 档持有人", "description": "剩余收益"},
            ],
        },
    )
    filing_services.update_section(
        filing_id=filing.pk,
        section="token",
        by=preparer,
        expected_version=0,
        fields={
            "instrument_type": "abs",
            "ledger_type": "permissioned",
            "network": "Demo Permissioned Ledger",
            "token_standard": "ERC-3643",
            "smart_contract_addresses": "0x7a3b000000000000000000000000000000000001",
            "contract_auditor": "Demo Audit Ltd",
            "contract_audit_date": date(2026, 9, 30),
            "transfer_restriction": "whitelist",
            "admin_powers": "3/5 多签，受托人持有 2 把密钥",
            "can_freeze": True,
            "can_force_transfer": True,
            "custody_provider": "Demo Custody Ltd",
            "settlement_asset": "fiat",
            "settlement_currency": "USD",
            "stablecoin_issuer": "",
            "stablecoin_peg_currency": "",
            "stablecoin_approval_ref": "",
        },
        rows={},
    )
    filing_services.update_section(
        filing_id=filing.pk,
        section="offering",
        by=preparer,
        expected_version=0,
        fields={
            "total_size": Decimal("100000000"),
            "currency": "USD",
            "use_of_proceeds": "补充营运资金及偿还存量债务",
            "repatriation_plan": "募集资金经 ODI 路径按计划调回境内",
            "fx_route": "odi",
            "fx_approval_ref": "ODI-2026-0001",
            "other_approvals": "省国资委批复（2026）12 号",
            "prc_exclusion_mechanism": "KYC 核验居住地与国籍，白名单排除境内居民",
        },
        rows={
            "venues": [
                {
                    "jurisdiction": "HK",
                    "name": "Demo Digital Exchange (HK)",
                    "regulator": "SFC",
                    "intermediary": "Demo Securities (HK) Ltd",
                    "intermediary_licence": "BXX123",
                    "investor_eligibility": "hk_pi",
                }
            ]
        },
    )
    filing_services.sign_attestations(
        filing_id=filing.pk,
        by=signatory,
        answers={
            code: ("no", "经核查，不存在该情形，见境内法律意见书第 3 节。")
            for code in ["G26-1", "G26-2", "G26-3", "G26-4", "G26-5", "G26-6"]
        },
    )


DEMO_FILINGS: list[dict[str, Any]] = [
    {
        "key": "hz",
        "title": "某高速公路收费收益权资产支持代币 2026-1",
        "asset_class": AssetClass.TOLL_INCOME,
        "to": "submitted",
    },
    {
        "key": "sz",
        "title": "某供应链应收账款资产支持代币 2026-1（草稿）",
        "asset_class": AssetClass.TRADE_RECEIVABLE,
        "to": "draft",
    },
    {
        "key": "sz",
        "title": "某融资租赁债权资产支持代币 2026-1",
        "asset_class": AssetClass.FINANCE_LEASE,
        "to": "under_review",
    },
    {
        "key": "hz",
        "title": "某高速公路收费收益权资产支持代币 2025-2",
        "asset_class": AssetClass.TOLL_INCOME,
        "to": "filed",
    },
    {
        "key": "sz",
        "title": "某应收账款资产支持代币 2026-2（已撤回）",
        "asset_class": AssetClass.TRADE_RECEIVABLE,
        "to": "withdrawn",
    },
]


def seed_filings(people: dict[str, User]) -> list[Filing]:
    filings = []
    org_names = {key: (name_zh, code) for key, name_zh, _en, code in ORGANISATIONS}
    for spec in DEMO_FILINGS:
        preparer, signatory = people[f"{spec['key']}-preparer"], people[f"{spec['key']}-signatory"]
        existing = Filing.objects.filter(title=spec["title"]).first()
        if existing is not None:
            filings.append(existing)
            continue
        with transaction.atomic():
            filing = filing_services.create_filing(
                organisation=preparer.organisation,
                title=spec["title"],
                asset_class=spec["asset_class"],
                by=preparer,
            )
            name_zh, code = org_names[spec["key"]]
            fill_filing(filing, preparer, signatory, name_zh=name_zh, code=code)
            advance(filing, spec["to"], people, signatory)
        filings.append(Filing.objects.get(pk=filing.pk))
    return filings


def advance(filing: Filing, target: str, people: dict[str, User], signatory: User) -> None:
    lead = people["lead"]
    if target == "draft":
        return
    if target == "withdrawn":
        filing_services.transition_filing(
            filing_id=filing.pk,
            name="withdraw",
            by=signatory,
            reason_code="plan_changed",
            reason="演示：发行计划调整",
        )
        return
    filing_services.submit_filing(filing_id=filing.pk, by=signatory)
    if target == "submitted":
        return
    filing_services.transition_filing(filing_id=filing.pk, name="accept", by=lead)
    if target == "under_review":
        return
    filing_services.transition_filing(filing_id=filing.pk, name="decide_file", by=lead)


def seed_demo() -> tuple[dict[str, User], list[Filing]]:
    people = seed_people()
    return people, seed_filings(people)
