"""What the issuer files, section by section: entity, structure, token, offering."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..validators import validate_uscc

PCT = [MinValueValidator(0), MaxValueValidator(100)]


class Section(models.Model):
    """A single-row section; ``version`` is the optimistic lock shared with its rows."""

    filing = models.OneToOneField("filings.Filing", on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class EntitySection(Section):
    """The domestic filing entity: the onshore enterprise that actually controls the assets."""

    filing = models.OneToOneField("filings.Filing", on_delete=models.CASCADE, related_name="entity")
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, validators=[validate_uscc]
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=100, blank=True)
    registered_capital = models.DecimalField(
        _("registered capital (yuan)"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    paid_in_capital = models.DecimalField(
        _("paid-in capital (yuan)"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    establishment_date = models.DateField(_("date of establishment"), null=True, blank=True)
    registered_address = models.CharField(_("registered address"), max_length=300, blank=True)
    business_scope = models.TextField(_("business scope"), blank=True)
    controlling_shareholder = models.CharField(_("controlling shareholder"), max_length=200, blank=True)
    actual_controller = models.CharField(_("actual controller"), max_length=200, blank=True)
    actual_controller_type = models.CharField(
        _("actual controller type"),
        max_length=30,
        blank=True,
        choices=[
            ("state", _("State-owned body")),
            ("collective", _("Collective")),
            ("natural_person", _("Natural person")),
            ("none", _("No actual controller")),
        ],
    )

    class Meta:
        verbose_name = _("filing entity")


class ControlLink(models.Model):
    """One link of the shareholding chain from the entity up to its actual controller."""

    filing = models.ForeignKey("filings.Filing", on_delete=models.CASCADE, related_name="control_links")
    level = models.PositiveSmallIntegerField(_("level"), default=1, validators=[MinValueValidator(1)])
    holder_name = models.CharField(_("holder"), max_length=200)
    holder_identifier = models.CharField(_("code or ID"), max_length=40, blank=True)
    holds_in = models.CharField(_("holds shares in"), max_length=200)
    percentage = models.DecimalField(_("holding %"), max_digits=6, decimal_places=3, validators=PCT)

    class Meta:
        ordering = ["level", "id"]
        verbose_name = _("control chain link")


class Officer(models.Model):
    """A director, supervisor or senior manager of the filing entity."""

    ROLE_CHOICES = [
        ("director", _("Director")),
        ("supervisor", _("Supervisor")),
        ("senior_manager", _("Senior manager")),
    ]
    filing = models.ForeignKey("filings.Filing", on_delete=models.CASCADE, related_name="officers")
    name = models.CharField(_("name"), max_length=100)
    role = models.CharField(_("role"), max_length=20, choices=ROLE_CHOICES)
    position = models.CharField(_("position"), max_length=100, blank=True)
    nationality = models.CharField(_("nationality"), max_length=60, default="CN")
    overseas_residence = models.CharField(_("overseas permanent residence"), max_length=60, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("director or officer")


class StructureSection(Section):
    """The offshore SPV and the credit enhancement of the transaction."""

    filing = models.OneToOneField("filings.Filing", on_delete=models.CASCADE, related_name="structure")
    spv_name = models.CharField(_("SPV / issuer name"), max_length=200, blank=True)
    spv_jurisdiction = models.CharField(_("SPV jurisdiction"), max_length=60, blank=True)
    spv_registration_no = models.CharField(_("SPV registration number"), max_length=60, blank=True)
    spv_lei = models.CharField(_("SPV LEI"), max_length=20, blank=True)
    spv_orphan = models.BooleanField(_("orphan SPV (not owned by the originator)"), default=False)
    subordination_pct = models.DecimalField(
        _("subordination %"), max_digits=6, decimal_places=3, null=True, blank=True, validators=PCT
    )
    overcollateralisation_pct = models.DecimalField(
        _("over-collateralisation %"), max_digits=6, decimal_places=3, null=True, blank=True, validators=PCT
    )
    reserve_amount = models.DecimalField(
        _("cash reserve (yuan)"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    guarantee = models.CharField(_("guarantee or shortfall support"), max_length=300, blank=True)
    guarantor = models.CharField(_("guarantor"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("transaction structure")


class Party(models.Model):
    ROLE_CHOICES = [
        ("originator", _("Originator")),
        ("servicer", _("Servicer")),
        ("backup_servicer", _("Backup servicer")),
        ("trustee", _("Trustee")),
        ("custodian", _("Custodian")),
        ("token_platform", _("Token platform operator")),
        ("prc_counsel", _("PRC counsel")),
        ("offshore_counsel", _("Offshore counsel")),
        ("arranger", _("Arranger")),
        ("other", _("Other")),
    ]
    filing = models.ForeignKey("filings.Filing", on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("role"), max_length=30, choices=ROLE_CHOICES)
    name = models.CharField(_("name"), max_length=200)
    jurisdiction = models.CharField(_("jurisdiction"), max_length=60, default="CN")
    licence_no = models.CharField(_("licence number"), max_length=80, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("party")


class Tranche(models.Model):
    filing = models.ForeignKey("filings.Filing", on_delete=models.CASCADE, related_name="tranches")
    name = models.CharField(_("tranche"), max_length=60)
    size = models.DecimalField(_("size"), max_digits=18, decimal_places=2, validators=[MinValueValidator(0)])
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    seniority = models.PositiveSmallIntegerField(_("seniority (1 = most senior)"), default=1)
    coupon = models.CharField(_("coupon"), max_length=60, blank=True)
    legal_final_maturity = models.DateField(_("legal final maturity"))
    rating = models.CharField(_("rating"), max_length=30, blank=True)

    class Meta:
        ordering = ["seniority", "id"]
        verbose_name = _("tranche")


class Account(models.Model):
    ROLE_CHOICES = [
        ("collection", _("Collection account")),
        ("spv", _("SPV account")),
        ("reserve", _("Reserve account")),
        ("other", _("Other")),
    ]
    SWEEP_CHOICES = [
        ("daily", _("Daily")),
        ("weekly", _("Weekly")),
        ("monthly", _("Monthly")),
        ("quarterly", _("Quarterly")),
        ("none", _("No sweep")),
    ]
    filing = models.ForeignKey("filings.Filing", on_delete=models.CASCADE, related_name="accounts")
    role = models.CharField(_("role"), max_length=20, choices=ROLE_CHOICES)
    bank = models.CharField(_("bank"), max_length=200)
    segregated = models.BooleanField(_("segregated from the originator"), default=True)
    control_arrangement = models.CharField(_("control arrangement"), max_length=300, blank=True)
    sweep_frequency = models.CharField(
        _("sweep frequency"), max_length=20, choices=SWEEP_CHOICES, default="none"
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("account")


class Trigger(models.Model):
    KIND_CHOICES = [
        ("servicer_termination", _("Servicer termination")),
        ("perfection", _("Perfection event")),
        ("acceleration", _("Acceleration")),
        ("event_of_default", _("Event of default")),
        ("downgrade", _("Rating downgrade")),
        ("other", _("Other")),
    ]
    filing = models.ForeignKey("filings.Filing", on_delete=models.CASCADE, related_name="triggers")
    kind = models.CharField(_("kind"), max_length=30, choices=KIND_CHOICES)
    condition = models.CharField(_("condition"), max_length=300)
    consequence = models.CharField(_("consequence"), max_length=300)

    class Meta:
        ordering = ["id"]
        verbose_name = _("trigger")


class WaterfallStep(models.Model):
    filing = models.ForeignKey("filings.Filing", on_delete=models.CASCADE, related_name="waterfall")
    order = models.PositiveSmallIntegerField(_("order"), validators=[MinValueValidator(1)])
    payee = models.CharField(_("payee"), max_length=200)
    description = models.CharField(_("what is paid"), max_length=300)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("waterfall step")


class TokenSection(Section):
    """The token: what ledger it lives on, who can move or freeze it, what it settles in."""

    LEDGER_CHOICES = [
        ("permissioned", _("Permissioned")),
        ("consortium", _("Consortium")),
        ("public", _("Public")),
    ]
    INSTRUMENT_CHOICES = [
        ("abs", _("Asset-backed security token")),
        ("equity", _("Equity token")),
        ("virtual_currency", _("Virtual currency")),
        ("stablecoin", _("Stablecoin")),
        ("payment", _("Payment token")),
    ]
    RESTRICTION_CHOICES = [
        ("whitelist", _("Enforced transfer whitelist")),
        ("permissioned_only", _("Permissioned ledger only")),
        ("none", _("No transfer restriction")),
    ]
    SETTLEMENT_CHOICES = [
        ("fiat", _("Fiat money")),
        ("tokenised_deposit", _("Tokenised deposit")),
        ("stablecoin", _("Stablecoin")),
    ]
    filing = models.OneToOneField("filings.Filing", on_delete=models.CASCADE, related_name="token")
    instrument_type = models.CharField(
        _("instrument type"), max_length=20, choices=INSTRUMENT_CHOICES, default="abs"
    )
    ledger_type = models.CharField(_("ledger type"), max_length=20, choices=LEDGER_CHOICES, blank=True)
    network = models.CharField(_("network"), max_length=100, blank=True)
    token_standard = models.CharField(_("token standard"), max_length=60, blank=True)
    smart_contract_addresses = models.TextField(_("smart-contract addresses"), blank=True)
    contract_auditor = models.CharField(_("smart-contract auditor"), max_length=200, blank=True)
    contract_audit_date = models.DateField(_("audit report date"), null=True, blank=True)
    transfer_restriction = models.CharField(
        _("transfer-restriction mechanism"), max_length=20, choices=RESTRICTION_CHOICES, blank=True
    )
    admin_powers = models.TextField(_("administrator keys and powers"), blank=True)
    can_freeze = models.BooleanField(_("issuer can freeze tokens"), default=False)
    can_force_transfer = models.BooleanField(_("issuer can force transfers"), default=False)
    custody_provider = models.CharField(_("custody provider"), max_length=200, blank=True)
    settlement_asset = models.CharField(
        _("settlement asset"), max_length=20, choices=SETTLEMENT_CHOICES, blank=True
    )
    settlement_currency = models.CharField(_("settlement currency"), max_length=3, blank=True)
    stablecoin_issuer = models.CharField(_("stablecoin issuer"), max_length=200, blank=True)
    stablecoin_peg_currency = models.CharField(_("stablecoin peg currency"), max_length=3, blank=True)
    stablecoin_approval_ref = models.CharField(_("stablecoin approval reference"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("token")


class OfferingSection(Section):
    """The offshore offering: size, proceeds, FX route and approvals."""

    FX_CHOICES = [
        ("odi", _("Outbound direct investment (ODI)")),
        ("foreign_debt", _("Foreign debt registration")),
        ("other", _("Other")),
        ("none", _("None recorded")),
    ]
    filing = models.OneToOneField("filings.Filing", on_delete=models.CASCADE, related_name="offering")
    total_size = models.DecimalField(
        _("offering size"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    # When the tokens are planned to be issued: the pool's transfer must be registered by then (REG-TRANSFER).
    planned_issue_date = models.DateField(_("planned issue date"), null=True, blank=True)
    use_of_proceeds = models.TextField(_("use of proceeds"), blank=True)
    repatriation_plan = models.TextField(_("repatriation plan"), blank=True)
    fx_route = models.CharField(_("FX route"), max_length=20, choices=FX_CHOICES, blank=True)
    fx_approval_ref = models.CharField(_("FX registration or approval reference"), max_length=100, blank=True)
    other_approvals = models.TextField(_("other approvals (NDRC, SASAC, industry)"), blank=True)
    prc_exclusion_mechanism = models.TextField(_("how PRC-resident investors are excluded"), blank=True)
    # Screened for notice 42 wording (N42-COPY): what investors and the public are told.
    marketing_copy = models.TextField(_("marketing copy and project description"), blank=True)

    class Meta:
        verbose_name = _("offering")


class Venue(models.Model):
    ELIGIBILITY_CHOICES = [
        ("hk_pi", _("Hong Kong professional investors")),
        ("sg_ai", _("Singapore accredited investors")),
        ("qualified", _("Other qualified investors")),
        ("retail", _("Retail investors")),
    ]
    filing = models.ForeignKey("filings.Filing", on_delete=models.CASCADE, related_name="venues")
    jurisdiction = models.CharField(_("jurisdiction"), max_length=60)
    name = models.CharField(_("venue"), max_length=200)
    regulator = models.CharField(_("venue regulator"), max_length=200, blank=True)
    intermediary = models.CharField(_("licensed intermediary"), max_length=200, blank=True)
    intermediary_licence = models.CharField(_("intermediary licence"), max_length=80, blank=True)
    investor_eligibility = models.CharField(
        _("investor eligibility"), max_length=20, choices=ELIGIBILITY_CHOICES
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("venue")


class Lawyer(models.Model):
    """A named practising lawyer of the domestic law firm: who signs the PRC legal opinion and who
    attests the six prohibited circumstances (checked as facts, not as a typed count)."""

    filing = models.ForeignKey("filings.Filing", on_delete=models.CASCADE, related_name="lawyers")
    name = models.CharField(_("name"), max_length=100)
    licence_no = models.CharField(_("practising certificate number"), max_length=30)
    firm = models.CharField(_("law firm"), max_length=200)
    signs_prc_opinion = models.BooleanField(_("signs the PRC legal opinion"), default=True)
    attests_prohibited = models.BooleanField(_("attests the prohibited circumstances"), default=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("lawyer")


class Registration(models.Model):
    """A registration with the central registry for movable-property financing (中登网) that perfects
    the pool's transfer (receivables) or the lessor's title (leases)."""

    KIND_CHOICES = [
        ("transfer", _("Transfer of receivables (factoring)")),
        ("lease", _("Finance lease")),
        ("pledge", _("Pledge")),
    ]
    filing = models.ForeignKey("filings.Filing", on_delete=models.CASCADE, related_name="registrations")
    kind = models.CharField(_("kind"), max_length=20, choices=KIND_CHOICES, default="transfer")
    registration_no = models.CharField(_("registration number"), max_length=40)
    registered_on = models.DateField(_("registered on"))
    term_months = models.PositiveSmallIntegerField(
        _("term (months)"), validators=[MinValueValidator(1), MaxValueValidator(360)]
    )
    registrant = models.CharField(_("registrant"), max_length=200, blank=True)

    class Meta:
        ordering = ["registered_on", "id"]
        verbose_name = _("central-registry registration")


class ImportantDebtor(models.Model):
    """An obligor group over the disclosure threshold (an "important debtor"): its latest financial
    figures and its enforcement and dishonesty status, checked against the public records."""

    filing = models.ForeignKey("filings.Filing", on_delete=models.CASCADE, related_name="important_debtors")
    name = models.CharField(_("name (as in the tape)"), max_length=200)
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    financial_year = models.PositiveSmallIntegerField(_("financial year"))
    total_assets = models.DecimalField(_("total assets (yuan)"), max_digits=18, decimal_places=2)
    net_assets = models.DecimalField(_("net assets (yuan)"), max_digits=18, decimal_places=2)
    revenue = models.DecimalField(_("revenue (yuan)"), max_digits=18, decimal_places=2)
    net_profit = models.DecimalField(_("net profit (yuan)"), max_digits=18, decimal_places=2)
    dishonest_listed = models.BooleanField(
        _("listed as a dishonest judgement debtor (失信被执行人)"), default=False
    )
    enforcement_pending = models.BooleanField(_("enforcement proceedings pending (被执行人)"), default=False)
    checked_on = models.DateField(_("public records checked on"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("important debtor")
