"""Filing models, split by sub-domain; import from here."""

from .attestations import PROHIBITED_CIRCUMSTANCES, Attestation
from .consultations import (
    Consultation,
    ConsultationExchange,
    ConsultationStatus,
    ConsultationTopic,
    ExchangeStatus,
)
from .delegation import Delegation, DelegationScope
from .documents import Document, DocumentRequirement
from .dossiers import DossierCopy, DossierLanguage, DossierRender, DossierStage
from .eligibility import VenueEligibility
from .filing import CHANGE_KINDS, Filing, FilingQuerySet, ReasonCode
from .pauses import ClockPause, PauseKind, PauseOutcome
from .preflight import PreflightRun
from .sections import (
    Account,
    ControlLink,
    EntitySection,
    ImportantDebtor,
    Lawyer,
    OfferingSection,
    Officer,
    Party,
    Registration,
    StructureSection,
    TokenSection,
    Tranche,
    Trigger,
    Venue,
    WaterfallStep,
)
from .snapshots import CalendarOverride, MaterialEvent, RegulatorySetting, ReportStatus, Snapshot
from .waivers import Waiver, WaiverStatus

__all__ = [
    "CHANGE_KINDS",
    "PROHIBITED_CIRCUMSTANCES",
    "Account",
    "Attestation",
    "CalendarOverride",
    "ClockPause",
    "Consultation",
    "ConsultationExchange",
    "ConsultationStatus",
    "ConsultationTopic",
    "ControlLink",
    "Delegation",
    "DelegationScope",
    "Document",
    "DocumentRequirement",
    "DossierCopy",
    "DossierLanguage",
    "DossierRender",
    "DossierStage",
    "EntitySection",
    "ExchangeStatus",
    "Filing",
    "FilingQuerySet",
    "ImportantDebtor",
    "Lawyer",
    "MaterialEvent",
    "OfferingSection",
    "Officer",
    "Party",
    "PauseKind",
    "PauseOutcome",
    "PreflightRun",
    "ReasonCode",
    "Registration",
    "RegulatorySetting",
    "ReportStatus",
    "Snapshot",
    "StructureSection",
    "TokenSection",
    "Tranche",
    "Trigger",
    "Venue",
    "VenueEligibility",
    "Waiver",
    "WaiverStatus",
    "WaterfallStep",
]
