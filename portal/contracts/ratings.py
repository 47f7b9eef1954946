"""KPI ratings in a Contract Performance Notice's bands (Procurement Act 2023, s.71), from verified delivery.

A KPI is one commitment. Its rating compares what the council verified with what was committed, over the
*settled* periods: those whose return was accepted or rejected, or is overdue (nothing sent by its due day).
Periods not yet due, and returns sent but still awaiting the council's decision, are left out and said so in
the reason: a supplier is neither punished for a return not yet due nor for the council's own review queue.
Thresholds come from content/contracts.yaml (`ratings:`); an officer may override a rating with a reason.
"""

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal, localcontext

from ..questionnaire.numbers import write_number
from .combining import over_time
from .form import Invalid, raw_text, text_field

__all__ = [
    "BANDS",
    "Override",
    "Rating",
    "effective_rating",
    "rate_commitment",
    "rate_contract",
    "read_override",
    "settled_periods",
]

# The notice's bands, as the Act words them; the order is best to worst, then "other" (nothing to rate).
BANDS = {
    "good": "Good",
    "approaching_target": "Approaching target",
    "requires_improvement": "Requires improvement",
    "inadequate": "Inadequate",
    "other": "Other",
}
SETTLED = frozenset({"accepted", "rejected", "overdue"})
AWAITING_REVIEW = frozenset({"sent", "queried"})
MAX_REASON = 1_000


@dataclass(frozen=True)
class Rating:
    band: str  # a key of BANDS
    ratio: Decimal | None  # verified / committed over the settled periods; None when there is nothing to divide
    reason: str  # one sentence a reader of the notice (or the officer) can check
    calculated: str | None = None  # set when an officer overrode the rating: the band the figures gave


@dataclass(frozen=True)
class Override:
    """An officer's rating in place of the calculated one. The pages keep it as a write-once record (with who and
    when); it holds only while the figures still give the band the officer saw (`calculated`)."""

    band: str
    reason: str
    calculated: str


def settled_periods(summary) -> list:
    """The summary's PeriodFigures that a rating counts (see the module's docstring)."""
    return [f for f in summary.periods if f.status in SETTLED]


def _band(verified: Decimal, committed: Decimal, thresholds) -> str:
    # Compared by multiplying, never dividing, so a ratio exactly on a threshold is never rounded across it.
    with localcontext() as exact:
        exact.prec = 60
        for band in ("good", "approaching_target", "requires_improvement"):
            if verified >= getattr(thresholds, band) * committed:
                return band
    return "inadequate"


def _percent(ratio: Decimal) -> str:
    return write_number((ratio * 100).quantize(Decimal(1), rounding=ROUND_FLOOR))


def rate_commitment(summary, thresholds) -> Rating:
    """The rating of one KPI from its CommitmentSummary; `thresholds` is content.contracts.ratings."""
    settled = settled_periods(summary)
    awaiting = sum(1 for f in summary.periods if f.status in AWAITING_REVIEW)
    waiting = (
        (f" {awaiting} return{'s' if awaiting != 1 else ''} awaiting review {'is' if awaiting == 1 else 'are'} not counted yet.")
        if awaiting
        else ""
    )
    how = getattr(summary, "combine", "add")
    committed = over_time([f.committed for f in settled], how)
    # A settled period with nothing verified counts as nothing delivered (for a level or a rate too).
    verified = over_time([f.verified or Decimal(0) for f in settled], how)
    if not settled:
        return Rating("other", None, "No return is settled yet, so there is nothing to rate." + waiting)
    if committed == 0:
        return Rating("other", None, "Nothing was committed for the periods settled so far." + waiting)
    with localcontext() as context:
        context.prec = 28
        ratio = verified / committed
    count = len(settled)
    reason = (
        f"{write_number(verified)} verified of {write_number(committed)} committed ({_percent(ratio)}%) "
        f"over {count} settled period{'s' if count != 1 else ''}.{waiting}"
    )
    return Rating(_band(verified, committed, thresholds), ratio, reason)


def rate_contract(summaries, thresholds, overrides=None) -> Rating:
    """A contract's rating: the worst band of its KPIs, each as an officer may have overridden it
    (`overrides`: measure code -> Override). The worst, not an average, because KPIs are counted in different
    units and a failing one must not be hidden by others going well; "other" when no KPI can be rated yet."""
    overrides = overrides or {}
    rated = [
        (s.commitment.measure_code, effective_rating(rate_commitment(s, thresholds), overrides.get(s.commitment.measure_code)))
        for s in summaries
    ]
    order = list(BANDS)
    banded = [(code, r) for code, r in rated if r.band != "other"]
    if not banded:
        return Rating("other", None, "No KPI can be rated yet.")
    code, worst = max(banded, key=lambda item: order.index(item[1].band))
    count = len(rated)
    return Rating(
        worst.band,
        None,
        f"The lowest rating of its {count} KPI{'s' if count != 1 else ''}: {code} is {BANDS[worst.band].lower()}.",
    )


def effective_rating(computed: Rating, override: Override | None) -> Rating:
    """The rating to show and publish: the officer's while the figures still give the band they overrode."""
    if override is None or override.calculated != computed.band:
        return computed
    return Rating(override.band, computed.ratio, f"Set by an officer: {override.reason}", calculated=computed.band)


def read_override(form, computed: Rating) -> tuple[Override | None, dict]:
    """An officer's override from a posted form: `band` (radios, a key of BANDS) and `reason` (textarea)."""
    errors = {}
    band = raw_text(form, "band")
    if band not in BANDS:
        errors["band"] = "Select a rating"
    try:
        reason = text_field(
            form,
            "reason",
            missing="Enter why you are changing the rating",
            max_length=MAX_REASON,
            too_long=f"Reason must be {MAX_REASON:,} characters or fewer",
        )
    except Invalid as invalid:
        errors["reason"] = invalid.message
    if errors:
        return None, errors
    return Override(band, reason, computed.band), {}
