"""How a measure's figures combine, as its content declares (`returns: combine:`), so that nothing adds what does
not add up. Every sum over periods or across contracts in portal/contracts goes through here.

- `add` (the default): counts of things done in a period (hours, tonnes, pounds spent, people trained) add over
  periods and across contracts.
- `level`: how many there are during a period (FTE jobs, staff): over time, the latest period's figure stands
  (four quarters of 5 FTE are 5 FTE, not 20); across contracts levels add (5 FTE here and 3 there are 8).
- `rate`: a share (% of invoices paid in 30 days): over time the latest period's figure stands, and rates are
  never added across contracts.
"""

from decimal import Decimal

__all__ = ["COMBINE", "adds_across_contracts", "combine_of", "over_time"]

COMBINE = ("add", "level", "rate")


def combine_of(measure) -> str:
    """The measure's way of combining; `add` for a measure no longer in content (its figures were counts then)."""
    returns = getattr(measure, "returns", None)
    return getattr(returns, "combine", "add") if returns is not None else "add"


def over_time(values, how: str) -> Decimal:
    """The figures of successive periods (oldest first; None for a period with none) as one figure."""
    values = [value for value in values if value is not None]
    if not values:
        return Decimal(0)
    return sum(values, Decimal(0)) if how == "add" else values[-1]


def adds_across_contracts(how: str) -> bool:
    return how != "rate"
