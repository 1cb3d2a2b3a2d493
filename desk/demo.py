"""Demo data: organisations, one user per role, and filings in every interesting state."""

from __future__ import annotations

import io
from collections.abc import Collection
from datetime import date, timedelta
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
# A law firm an issuer can delegate a filing to (an agent organisation), with its two administrators.
LAW_FIRM = ("北京某律师事务所（演示）", "Beijing Demo Law Firm")
LAWYERS = [("law-partner", "孙律师"), ("law-associate", "周律师")]
STAFF = [
    ("reviewer1", "王审核", Role.REVIEWER),
    ("reviewer2", "李审核", Role.REVIEWER),
    ("lead", "张组长", Role.LEAD_REVIEWER),
    ("admin", "赵管理", Role.ADMINISTRATOR),
]


def _user(
    username: str, full_name: str, role: str, organisation: Organisation, *, org_admin: bool = False
) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "full_name": full_name,
            "role": role,
            "organisation": organisation,
            "email": f"{username}@demo.filingdesk.local",
            "is_org_admin": org_admin,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    elif org_admin and not user.is_org_admin:  # a demo database seeded before organisations had two
        user.is_org_admin = True
        user.save(update_fields=["is_org_admin"])
    return user


def seed_people() -> dict[str, User]:
    people: dict[str, User] = {}
    for key, name_zh, name_en, code in ORGANISATIONS:
        org, _ = Organisation.objects.get_or_create(
            name_zh=name_zh, defaults={"name_en": name_en, "kind": OrganisationKind.ISSUER, "uscc": code}
        )
        # Every issuer organisation has two administrators: here its preparer and its signatory.
        people[f"{key}-preparer"] = _user(
            f"{key}-preparer", f"{key.upper()} 经办人", Role.PREPARER, org, org_admin=True
        )
        people[f"{key}-signatory"] = _user(
            f"{key}-signatory", f"{key.upper()} 授权代表", Role.SIGNATORY, org, org_admin=True
        )
    law_firm, _ = Organisation.objects.get_or_create(
        name_zh=LAW_FIRM[0], defaults={"name_en": LAW_FIRM[1], "kind": OrganisationKind.AGENT}
    )
    for username, full_name in LAWYERS:
        people[username] = _user(username, full_name, Role.AGENT, law_firm, org_admin=True)
    regulator, _ = Organisation.objects.get_or_create(
        name_zh=REGULATOR[0], defaults={"name_en": REGULATOR[1], "kind": OrganisationKind.REGULATOR}
    )
    for username, full_name, role in STAFF:
        people[username] = _user(username, full_name, role, regulator)
    return people


def fill_filing(
    filing: Filing,
    preparer: User,
    signatory: User,
    *,
    name_zh: str,
    code: str,
    documents: bool = True,
    pool: bool = True,
) -> None:
    """Complete every section so the filing passes pre-flight; without ``documents`` or ``pool`` the
    documents and the tapes are left for the caller to upload (as a browser test does)."""
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
    if documents:
        upload_demo_documents(filing, preparer)
    if pool:
        import_demo_pool(filing, preparer)
    fill_regulatory_facts(filing, preparer)


def fill_regulatory_facts(filing: Filing, preparer: User) -> None:
    """The facts pre-flight checks rather than declarations: the two lawyers of the PRC counsel who sign
    its opinion and attest the prohibited circumstances, and (receivable and lease pools) the
    central-registry registration of the transfer, made after the pool's cut-off date."""
    current = Filing.objects.get(pk=filing.pk)
    kind = {"trade_receivable": "transfer", "finance_lease": "lease"}.get(current.asset_class)
    registered_on = (current.cutoff_date or date(2026, 9, 30)) + timedelta(days=10)
    filing_services.update_section(
        filing_id=filing.pk,
        section="structure",
        by=preparer,
        expected_version=current.structure.version,
        fields={},
        rows={
            "lawyers": [
                {"name": name, "licence_no": licence, "firm": "某律师事务所"}
                for name, licence in (("王某", "11101200910000001"), ("李某", "11101201510000002"))
            ],
            "registrations": [
                {
                    "kind": kind,
                    "registration_no": f"0452137600{filing.pk:010d}",
                    "registered_on": registered_on,
                    "term_months": 60,
                    "registrant": "Demo ABS Token Issuer Limited",
                }
            ]
            if kind
            else [],
        },
    )


def import_demo_pool(filing: Filing, preparer: User, *, skip: Collection[str] = ()) -> None:
    """Import the demo tapes of the filing's asset class (but the ``skip`` kinds) through the real
    import service and set the filing's cut-off date to theirs; the resulting pool passes every
    pre-flight pool rule."""
    from assets import services as pool_services
    from desk.demo_pool import demo_cutoff, demo_tapes
    from filings.pool_views import legal_final_maturity, pool_of

    filing = Filing.objects.get(pk=filing.pk)
    cutoff = demo_cutoff()
    Filing.objects.filter(pk=filing.pk).update(cutoff_date=cutoff)
    pool = pool_of(filing)
    for kind, content in demo_tapes(filing.asset_class, cutoff).items():
        if kind in skip:
            continue
        job = pool_services.start_tape_import(
            pool_id=pool.pk,
            upload=io.BytesIO(content),
            kind=kind,
            mapping=None,
            by=preparer,
            cutoff_date=cutoff,
            criteria=filing.criteria_profile or None,
            legal_final_maturity=legal_final_maturity(filing),
            file_name=f"{filing.reference}-{kind}.csv",
            enqueue=False,
        )
        pool_services.run_tape_import(job.pk)
        job.refresh_from_db()
        if job.outcome != "accepted":
            raise RuntimeError(
                f"the demo {kind} tape was not accepted: {job.result.get('errors') or job.error}"
            )


OPINION_CONCLUSION = "本所律师认为，本次发行符合《证券法》及相关法律法规和监管指引的规定。"


def demo_pdf(title: str) -> bytes:
    """A small, valid one-page PDF standing in for a real document."""
    text = title.encode("ascii", "replace")
    stream = b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += str(number).encode() + b" 0 obj\n" + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 " + str(len(objects) + 1).encode() + b"\n0000000000 65535 f \n"
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += b"trailer << /Size " + str(len(objects) + 1).encode() + b" /Root 1 0 R >>\nstartxref\n"
    out += str(xref).encode() + b"\n%%EOF\n"
    return out


def upload_demo_documents(filing: Filing, preparer: User) -> None:
    """One current document for every checklist item that applies to the filing."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from filings.selectors import requirements_for

    for requirement in requirements_for(filing):
        if filing.documents.filter(requirement=requirement, is_current=True).exists():
            continue
        opinion = requirement.is_legal_opinion
        filing_services.upload_document(
            filing_id=filing.pk,
            requirement_code=requirement.code,
            by=preparer,
            upload=SimpleUploadedFile(
                f"{requirement.code}.pdf", demo_pdf(f"{filing.reference} {requirement.code}")
            ),
            signer_count=2 if opinion else None,
            conclusion_text=OPINION_CONCLUSION if opinion else "",
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
        "title": "某城投应收账款资产支持代币 2026-3（预检未通过示例）",
        "asset_class": AssetClass.TRADE_RECEIVABLE,
        "to": "draft_failing",
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
    # The review states (reviews app): one filing waiting in each.
    {
        "key": "hz",
        "title": "某高速公路收费收益权资产支持代币 2026-2（补充材料中）",
        "asset_class": AssetClass.TOLL_INCOME,
        "to": "supplement_requested",
    },
    {
        "key": "sz",
        "title": "某供应链应收账款资产支持代币 2026-3（已答复）",
        "asset_class": AssetClass.TRADE_RECEIVABLE,
        "to": "resubmitted",
    },
    {
        "key": "sz",
        "title": "某融资租赁债权资产支持代币 2026-2（待复核）",
        "asset_class": AssetClass.FINANCE_LEASE,
        "to": "decision_drafted",
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


def spoil_filing(filing: Filing, preparer: User) -> None:
    """Give a complete draft the three problems pre-flight must name: a business scope that
    mentions stablecoins, a financing-platform obligor in the pool, and settlement in an
    offshore-RMB stablecoin without approval."""
    from assets import services as pool_services
    from desk.demo_pool import demo_cutoff, receivable_tape
    from filings.pool_views import legal_final_maturity, pool_of

    filing = Filing.objects.get(pk=filing.pk)
    entity = filing.entity
    filing_services.update_section(
        filing_id=filing.pk,
        section="entity",
        by=preparer,
        expected_version=entity.version,
        fields={"business_scope": entity.business_scope + "稳定币发行与兑换咨询服务。"},
        rows={},
    )
    token = filing.token
    filing_services.update_section(
        filing_id=filing.pk,
        section="token",
        by=preparer,
        expected_version=token.version,
        fields={
            "settlement_asset": "stablecoin",
            "settlement_currency": "CNH",
            "stablecoin_issuer": "Demo CNH Coin Ltd",
            "stablecoin_peg_currency": "CNH",
            "stablecoin_approval_ref": "",
        },
        rows={},
    )
    cutoff = demo_cutoff()
    lines = receivable_tape(cutoff).decode("utf-8").split("\r\n")
    spoiled = [line.replace(",corporate,", ",lgfv,") if ",OB001," in line else line for line in lines]
    job = pool_services.start_tape_import(
        pool_id=pool_of(filing).pk,
        upload=io.BytesIO("\r\n".join(spoiled).encode("utf-8")),
        kind="assets",
        mapping=None,
        by=preparer,
        cutoff_date=cutoff,
        criteria=filing.criteria_profile or None,
        legal_final_maturity=legal_final_maturity(filing),
        file_name=f"{filing.reference}-assets.csv",
        enqueue=False,
    )
    pool_services.run_tape_import(job.pk)


def advance(filing: Filing, target: str, people: dict[str, User], signatory: User) -> None:
    if target == "draft":
        # The passing draft is handed to its signatory: the demo shows the hand-off and the inbox.
        from desk.services import mark_ready_for_signature

        mark_ready_for_signature(
            filing_id=filing.pk, by=filing.created_by, note="预检无阻断性问题，请审阅后签署提交。"
        )
        return
    if target == "draft_failing":
        spoil_filing(filing, people[f"{'sz'}-preparer"])
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
    advance_review(filing, target, people, signatory)


# (question, anchor path, citation) of the demo's deficiency items, as a CSRC reviewer would word them.
DEMO_ITEMS = [
    (
        "请说明特殊目的载体的注册编号，并提供香港公司注册处出具的注册证书。",
        "structure.spv_registration_no",
        "证监会公告〔2026〕1号·代币发行方案",
    ),
    (
        "请说明募集资金调回境内的路径、比例及时间安排，并就是否符合外汇管理规定出具明确结论性意见。",
        "offering.repatriation_plan",
        "银发〔2026〕42号; 外汇管理规定",
    ),
    (
        "请补充控股股东及实际控制人的股权控制链条，穿透至最终控制人。",
        "control_links",
        "监管规则适用指引—境外发行上市类第2号",
    ),
]
# The snapshot field each checklist group's demo answers cite.
DEMO_EVIDENCE = {
    "eligibility": "attestations",
    "authenticity": "parties[0].name",
    "structure": "structure.spv_name",
    "risk_isolation": "accounts",
    "disclosure": "offering.use_of_proceeds",
    "responsibility": "control_links",
    "data": "offering.prc_exclusion_mechanism",
}


def _answer_checklist(filing: Filing, reviewer: User, *, limit: int | None = None) -> None:
    from reviews import services as review_services
    from reviews.selectors import applicable_items, current_round

    round_ = current_round(filing)
    assert round_ is not None, "the round opens when the lead accepts the filing"
    for item in applicable_items(round_)[:limit]:
        review_services.answer_checklist_item(
            filing_id=filing.pk,
            item_id=item.pk,
            verdict="satisfied",
            by=reviewer,
            note="经核查，符合要求。",
            evidence_path=DEMO_EVIDENCE[item.group],
        )


def advance_review(filing: Filing, target: str, people: dict[str, User], signatory: User) -> None:
    """Walk a submitted filing through the review services to ``target``: assignment with a
    declaration (reviewer2 declares a conflict), acceptance, checklist, items, answers, decision."""
    from reviews import services as review_services
    from reviews.checklists import ensure_checklist_in_force

    ensure_checklist_in_force()
    lead, reviewer, conflicted = people["lead"], people["reviewer1"], people["reviewer2"]
    issuer_key = next(key for key, user in people.items() if user == signatory).split("-")[0]
    preparer = people[f"{issuer_key}-preparer"]
    assignment = review_services.assign_reviewer(filing_id=filing.pk, reviewer_id=reviewer.pk, by=lead)
    review_services.declare_conflicts(assignment_id=assignment.pk, by=reviewer, conflict=False)
    if target == "supplement_requested":
        other = review_services.assign_reviewer(filing_id=filing.pk, reviewer_id=conflicted.pk, by=lead)
        review_services.declare_conflicts(
            assignment_id=other.pk, by=conflicted, conflict=True, note="本人配偶任职于本项目境内律师事务所。"
        )
    review_services.accept_filing(filing_id=filing.pk, by=lead)
    if target == "under_review":
        _answer_checklist(filing, reviewer, limit=12)
        return
    if target in ("supplement_requested", "resubmitted"):
        _answer_checklist(filing, reviewer, limit=8)
        items = [
            review_services.draft_deficiency_item(
                filing_id=filing.pk, by=reviewer, question=question, anchor_path=path, citation=citation
            )
            for question, path, citation in DEMO_ITEMS
        ]
        review_services.send_supplement_request(
            filing_id=filing.pk, by=reviewer, message="请于答复期限内逐项答复并重新提交。"
        )
        if target == "supplement_requested":
            return
        current = Filing.objects.get(pk=filing.pk)
        filing_services.update_section(
            filing_id=filing.pk,
            section="structure",
            fields={"spv_registration_no": "HK-3210988"},
            rows={},
            expected_version=current.structure.version,
            by=preparer,
        )
        review_services.answer_deficiency_item(
            item_id=items[0].pk, by=preparer, text="已补充注册编号 HK-3210988，注册证书见备案材料。"
        )
        review_services.answer_deficiency_item(
            item_id=items[1].pk, by=preparer, text="募集资金经 ODI 路径于发行后 6 个月内全额调回境内。"
        )
        review_services.resubmit_answers(filing_id=filing.pk, by=signatory)
        return
    _answer_checklist(filing, reviewer)
    decision = review_services.draft_decision(filing_id=filing.pk, by=reviewer, kind="file")
    if target == "decision_drafted":
        return
    review_services.confirm_decision(decision_id=decision.pk, by=lead)


# Demo only: every demo account whose role needs a second factor has an authenticator app with this
# secret (add it to any TOTP app, or compute codes with `oathtool --totp -b SECRET`). Never reuse it.
DEMO_TOTP_SECRET = "FILINGDESKDEMOTOTPSECRETDEMOONLY"


def enrol_demo_mfa(people: dict[str, User]) -> None:
    """Enrol the demo's reviewers, lead, administrator and signatories with the demo TOTP secret."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    from accounts.security import requires_mfa

    for user in people.values():
        if (
            requires_mfa(user)
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            TOTP.activate(user, DEMO_TOTP_SECRET)


def seed_demo() -> tuple[dict[str, User], list[Filing]]:
    from django.test.utils import override_settings

    people = seed_people()
    enrol_demo_mfa(people)
    # The demo's emails go to an in-memory mailbox (the outbox page lists them), so the console
    # backend does not interleave them with the list of filings this prints.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        filings = seed_filings(people)
    return people, filings
