"""The council's published content, as plain objects the templates read."""

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from markupsafe import Markup


# How often a measure is reported, as written in content and as shown to readers.
REPORTING_LABELS = {
    "monthly": "Every month",
    "quarterly": "Every quarter",
    "six-monthly": "Every 6 months",
    "annually": "Every year",
    "end-of-contract": "Once, at the end of the contract",
}


@dataclass(frozen=True)
class Chasing:
    """When reminders about a return go out (UK days), and when the contract manager is told it is late."""

    first_reminder_days_before_due: int
    on_the_day: bool
    weekly_while_overdue: bool
    tell_contract_manager_after_days_overdue: int


@dataclass(frozen=True)
class RatingThresholds:
    """The least verified-to-date / committed-to-date ratio for each band of a Contract Performance Notice;
    below `requires_improvement` is inadequate."""

    good: Decimal
    approaching_target: Decimal
    requires_improvement: Decimal


@dataclass(frozen=True)
class MoneyProxy:
    """A council's own money value for one unit of a measure, shown only beside the quantity, with its source."""

    measure: str  # the measure's code, like WB06
    pounds_per_unit: Decimal
    source: str


@dataclass(frozen=True)
class Council:
    name: str
    logo_text: str
    contact_email: str
    contact_phone: str | None = None
    postal_address: str | None = None


@dataclass(frozen=True)
class Site:
    council: Council
    service_name: str
    base_url: str
    brand_colour: str


@dataclass(frozen=True)
class Principle:
    title: str
    description: Markup


@dataclass(frozen=True)
class Outcome:
    id: str
    title: str
    description: str


@dataclass(frozen=True)
class Priority:
    id: str
    title: str
    summary: str
    outcomes: list[Outcome]


@dataclass(frozen=True)
class Framework:
    title: str
    introduction: Markup
    principles: list[Principle]
    priorities: list[Priority]


@dataclass(frozen=True)
class ReportingNeeds:
    """What a supplier's return needs for a measure: where it happened (local), whole numbers, plausible bounds."""

    local: bool
    whole_numbers: bool
    per_period_min: Decimal
    per_period_max: Decimal
    combine: str = "add"  # how figures combine over periods and contracts: portal/contracts/combining.py


@dataclass(frozen=True)
class CouncilArea:
    """The council's area as postcode districts (EX1) or whole postcode areas (EX)."""

    name: str
    postcode_districts: tuple[str, ...]

    def covers(self, district: str) -> bool:
        """Whether a postcode district (already upper case, like EX4) lies in the area."""
        letters = district[: len(district) - len(district.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))]
        return district in self.postcode_districts or letters in self.postcode_districts


@dataclass(frozen=True)
class ContractSettings:
    """content/contracts.yaml: how returns are scheduled and checked."""

    return_due_days: int
    council_area: CouncilArea
    chasing: Chasing
    ratings: RatingThresholds
    money_proxies: dict = field(default_factory=dict)  # measure code -> MoneyProxy; none unless declared (decision 16)


@dataclass(frozen=True)
class Measure:
    code: str
    title: str
    priority: str
    outcome: str
    summary: Markup
    unit: str
    counts: list[str]
    does_not_count: list[str]
    evidence: list[str]
    reporting: str
    returns: ReportingNeeds | None = None  # always set for loaded content; optional for older callers

    @property
    def slug(self) -> str:
        return self.code.lower()

    @property
    def reporting_label(self) -> str:
        return REPORTING_LABELS[self.reporting]


@dataclass(frozen=True)
class Commitment:
    id: str
    title: str
    description: Markup


@dataclass(frozen=True)
class FieldText:
    label: str
    hint: str | None = None


@dataclass(frozen=True)
class CharterSignUp:
    """The sign-up form's words and choices (portal/charter/ reads the form against them)."""

    what_is_published: Markup
    sizes: dict  # value -> label
    sectors: dict
    labels: dict  # field name -> FieldText
    publish_choices: dict


@dataclass(frozen=True)
class CharterRegister:
    title: str
    introduction: Markup
    nobody_yet: str
    concern: Markup


@dataclass(frozen=True)
class YearlyUpdate:
    missed_before_lapsing: int
    due_within_days: int


@dataclass(frozen=True)
class Charter:
    title: str
    introduction: Markup
    commitments: list[Commitment]
    how_to_sign_up: Markup
    sign_up: CharterSignUp
    register: CharterRegister
    yearly_update: YearlyUpdate

    def commitment(self, commitment_id: str) -> Commitment | None:
        return next((c for c in self.commitments if c.id == commitment_id), None)


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    description: str
    section: str
    order: int
    body: Markup


@dataclass(frozen=True)
class Content:
    """Everything in content/, validated and cross-checked."""

    site: Site
    framework: Framework
    measures: list[Measure]
    charter: Charter
    pages: list[Page]
    assessments: dict = field(default_factory=dict)  # id -> portal.questionnaire.model.Assessment
    events: list = field(default_factory=list)  # portal.events.model.Event, soonest first
    contracts: ContractSettings | None = None

    @cached_property
    def _index(self) -> dict:
        """Lookups by id, built once: the site asks for each measure, priority and page by name."""
        return {
            "priorities": {p.id: p for p in self.framework.priorities},
            "outcomes": {o.id: o for p in self.framework.priorities for o in p.outcomes},
            "measures": {m.slug: m for m in self.measures},
            "pages": {p.slug: p for p in self.pages},
            "events": {e.slug: e for e in self.events},
        }

    def priority(self, priority_id: str) -> Priority | None:
        return self._index["priorities"].get(priority_id)

    def outcome(self, outcome_id: str) -> Outcome | None:
        return self._index["outcomes"].get(outcome_id)

    def measures_for(self, priority_id: str) -> list[Measure]:
        return [m for m in self.measures if m.priority == priority_id]

    def measure(self, slug: str) -> Measure | None:
        return self._index["measures"].get(slug)

    def pages_in(self, section: str) -> list[Page]:
        return sorted((p for p in self.pages if p.section == section), key=lambda p: (p.order, p.title))

    def page(self, slug: str) -> Page | None:
        return self._index["pages"].get(slug)

    def assessment(self, assessment_id: str):
        return self.assessments.get(assessment_id)

    def event(self, slug: str):
        return self._index["events"].get(slug)

    def upcoming_events(self, now) -> list:
        """Events not yet over, soonest first."""
        return [e for e in self.events if not e.has_ended(now)]

    def past_events(self, now) -> list:
        """Events that have ended, most recent first."""
        return [e for e in reversed(self.events) if e.has_ended(now)]
