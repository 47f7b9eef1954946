"""When a signatory's yearly update is due, how many they have missed in a row, and whether they have lapsed.

Everything follows from the date they joined and the dates of their updates, so the register (frozen at build time),
the scheduled job and the signatory's own page all apply the same rule to the same facts. An update answers the
latest anniversary reached when it was given; an anniversary is missed once `due_within_days` pass after it with no
update since. `missed_before_lapsing` missed in a row and the signatory has lapsed, until their next update.
"""

from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["Standing", "anniversary", "anniversaries_reached", "standing"]


def anniversary(joined: date, years: int) -> date:
    """The `years`th anniversary of joining; 29 February's falls on 28 February in other years."""
    try:
        return joined.replace(year=joined.year + years)
    except ValueError:
        return joined.replace(year=joined.year + years, day=28)


def anniversaries_reached(joined: date, today: date) -> int:
    years = today.year - joined.year
    return years if years <= 0 or anniversary(joined, years) <= today else years - 1


@dataclass(frozen=True)
class Standing:
    reached: int  # anniversaries reached so far
    answered: int  # the latest anniversary an update has answered (0: none)
    missed: int  # anniversaries missed in a row since then
    lapsed: bool

    @property
    def update_due(self) -> bool:
        """An anniversary has been reached and no update has answered it yet."""
        return self.reached > self.answered


def standing(joined: date, updates: list[date], today: date, settings) -> Standing:
    """Where a signatory stands on `today` (UK dates), under the Charter's `yearly_update` settings."""
    reached = max(anniversaries_reached(joined, today), 0)
    answered = max((anniversaries_reached(joined, on) for on in updates if on <= today), default=0)
    answered = max(answered, 0)
    grace = timedelta(days=settings.due_within_days)
    missed = sum(1 for k in range(answered + 1, reached + 1) if anniversary(joined, k) + grace < today)
    return Standing(reached=reached, answered=answered, missed=missed, lapsed=missed >= settings.missed_before_lapsing)
