"""A carbon reduction plan as typed facts, read from a supplier's stored answers.

The answers are the questionnaire's (content/assessments/readiness.yaml); `QUESTIONS` names the question that
holds each fact, and the rule sets' loader checks that every one is declared there with the right type.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from ..questionnaire.numbers import write_number

TONNES = "tCO2e"
YEARS = ("baseline", "reporting")

# The GHG Protocol's 15 Scope 3 categories. Every plan must report 4, 5, 6, 7 and 9, so each has its own question.
SCOPE_3_CATEGORIES = {
    1: "Purchased goods and services",
    2: "Capital goods",
    3: "Fuel- and energy-related activities",
    4: "Upstream transportation and distribution",
    5: "Waste generated in operations",
    6: "Business travel",
    7: "Employee commuting",
    8: "Upstream leased assets",
    9: "Downstream transportation and distribution",
    10: "Processing of sold products",
    11: "Use of sold products",
    12: "End-of-life treatment of sold products",
    13: "Downstream leased assets",
    14: "Franchises",
    15: "Investments",
}
ASKED_CATEGORIES = (4, 5, 6, 7, 9)
SIGNED_OFF_BY = ("director", "senior-leader", "other", "not-signed")


def _year_questions(year: str) -> dict:
    figures = {f"crp_{year}_scope1": "quantity", f"crp_{year}_scope2": "quantity", f"crp_{year}_scope3_other": "quantity"}
    figures.update({f"crp_{year}_scope3_cat{n}": "quantity" for n in ASKED_CATEGORIES})
    return {**figures, f"crp_{year}_start": "date", f"crp_{year}_end": "date", f"crp_{year}_explanation": "long_text"}


# Question id -> its type: what the plan reads from the answers.
QUESTIONS = {
    "has_crp": "choice",
    "crp_web_address": "url",
    "crp_reporting_standard": "yes_no",
    "crp_baseline_year": "whole_number",
    "crp_other_scope3_categories": "choices",
    **_year_questions("baseline"),
    **_year_questions("reporting"),
    "net_zero_target_year": "whole_number",
    "crp_interim_targets": "long_text",
    "crp_completed_projects": "long_text",
    "crp_planned_projects": "long_text",
    "crp_environmental_measures": "choices",
    "crp_signed_off_by": "choice",
    "crp_signatory_name": "text",
    "crp_signed_off_date": "date",
}
HAS_PLAN = ("published", "unpublished")  # the answers to has_crp that mean there is a plan to check


@dataclass(frozen=True, order=True)
class Quantity:
    """An amount with its unit; sums and differences keep the unit, and never pass through a float."""

    amount: Decimal
    unit: str = TONNES

    def __add__(self, other: "Quantity") -> "Quantity":
        self._same_unit(other)
        return Quantity(self.amount + other.amount, self.unit)

    def __sub__(self, other: "Quantity") -> "Quantity":
        self._same_unit(other)
        return Quantity(self.amount - other.amount, self.unit)

    def _same_unit(self, other):
        if other.unit != self.unit:
            raise ValueError(f"cannot combine {self.unit} with {other.unit}")

    def __str__(self) -> str:
        return f"{write_number(self.amount)} {self.unit}"


ZERO = Quantity(Decimal(0))


def _quantity(value) -> Quantity | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    return Quantity(amount) if amount.is_finite() else None


def _date(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _text(value) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _whole(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class Emissions:
    """One year of the plan: its period and its figures, each None when the plan does not give it."""

    start: date | None
    end: date | None
    scope_1: Quantity | None
    scope_2: Quantity | None
    scope_3: dict = field(default_factory=dict)  # category number -> Quantity | None, for ASKED_CATEGORIES
    other_scope_3: Quantity | None = None
    explanation: str | None = None

    def figures(self) -> list[tuple[str, Quantity | None]]:
        """Every figure, named as a reader would name it."""
        named = [("Scope 1", self.scope_1), ("Scope 2", self.scope_2)]
        named += [(f"Scope 3 category {n} ({SCOPE_3_CATEGORIES[n].lower()})", self.scope_3.get(n)) for n in ASKED_CATEGORIES]
        if self.other_scope_3 is not None:
            named.append(("Scope 3, other categories", self.other_scope_3))
        return named

    @property
    def given(self) -> bool:
        return any(value is not None for _, value in self.figures())

    @property
    def scope_3_total(self) -> Quantity:
        return sum((v for v in [*self.scope_3.values(), self.other_scope_3] if v is not None), ZERO)

    @property
    def total(self) -> Quantity:
        return sum((v for v in (self.scope_1, self.scope_2) if v is not None), self.scope_3_total)


def _emissions(answers: dict, year: str) -> Emissions:
    return Emissions(
        start=_date(answers.get(f"crp_{year}_start")),
        end=_date(answers.get(f"crp_{year}_end")),
        scope_1=_quantity(answers.get(f"crp_{year}_scope1")),
        scope_2=_quantity(answers.get(f"crp_{year}_scope2")),
        scope_3={n: _quantity(answers.get(f"crp_{year}_scope3_cat{n}")) for n in ASKED_CATEGORIES},
        other_scope_3=_quantity(answers.get(f"crp_{year}_scope3_other")),
        explanation=_text(answers.get(f"crp_{year}_explanation")),
    )


def _categories(values) -> tuple[int, ...]:
    picked = values if isinstance(values, list) else []
    return tuple(
        sorted(int(v.removeprefix("category-")) for v in picked if isinstance(v, str) and v.removeprefix("category-").isdigit())
    )


@dataclass(frozen=True)
class Plan:
    """What a supplier told us its carbon reduction plan says."""

    has_plan: str | None
    web_address: str | None
    reporting_standard: str | None
    baseline_year: int | None
    baseline: Emissions
    reporting: Emissions
    other_scope_3_categories: tuple[int, ...]
    net_zero_year: int | None
    interim_targets: str | None
    completed_projects: str | None
    planned_projects: str | None
    environmental_measures: tuple[str, ...]
    signed_off_by: str | None
    signatory_name: str | None
    signed_off_on: date | None

    @classmethod
    def from_answers(cls, answers: dict) -> "Plan":
        measures = answers.get("crp_environmental_measures")
        return cls(
            has_plan=answers.get("has_crp"),
            web_address=_text(answers.get("crp_web_address")),
            reporting_standard=answers.get("crp_reporting_standard"),
            baseline_year=_whole(answers.get("crp_baseline_year")),
            baseline=_emissions(answers, "baseline"),
            reporting=_emissions(answers, "reporting"),
            other_scope_3_categories=_categories(answers.get("crp_other_scope3_categories")),
            net_zero_year=_whole(answers.get("net_zero_target_year")),
            interim_targets=_text(answers.get("crp_interim_targets")),
            completed_projects=_text(answers.get("crp_completed_projects")),
            planned_projects=_text(answers.get("crp_planned_projects")),
            environmental_measures=tuple(m for m in measures if m != "none") if isinstance(measures, list) else (),
            signed_off_by=answers.get("crp_signed_off_by"),
            signatory_name=_text(answers.get("crp_signatory_name")),
            signed_off_on=_date(answers.get("crp_signed_off_date")),
        )

    def year(self, name: str) -> Emissions:
        return self.baseline if name == "baseline" else self.reporting

    @property
    def other_scope_3_names(self) -> list[str]:
        """The other Scope 3 categories the plan reports, as 'category 1 (purchased goods and services)'."""
        return [
            f"category {n} ({SCOPE_3_CATEGORIES[n].lower()})" for n in self.other_scope_3_categories if n in SCOPE_3_CATEGORIES
        ]

    @property
    def reported_categories(self) -> set[int]:
        """Scope 3 categories the plan reports: an asked category counts when both years give a figure."""
        asked = {n for n in ASKED_CATEGORIES if all(self.year(y).scope_3.get(n) is not None for y in YEARS)}
        return asked | set(self.other_scope_3_categories)


PLAN_QUESTION = "has_crp"  # the question that says whether there is a plan: where a questionnaire holds one


def has_plan(answers: dict) -> bool:
    """Whether the supplier told us it has a plan, so that there is one to check and print."""
    return answers.get(PLAN_QUESTION) in HAS_PLAN
