"""What the public register shows of a signatory: only what they agreed to publish, never how to contact them."""

from dataclasses import dataclass
from datetime import date

from . import yearly

__all__ = ["PublicSignatory", "public_signatory", "on_register"]


@dataclass(frozen=True)
class PublicSignatory:
    id: str
    organisation: str
    size: str
    sector: str
    website: str
    commitments: tuple[str, ...]
    joined_on: date
    statement: str | None  # None unless they agreed to publish it
    signed_by: tuple[str, str] | None  # (name, role), likewise
    latest_update: dict | None  # {"on": date, "progress": {commitment id: text}, "report": address or ""}


def on_register(record: dict, updates: list[dict], today: date, charter) -> bool:
    """Approved, not left or removed, and not lapsed by missing updates."""
    if record.get("status") != "approved" or not record.get("joined_on"):
        return False
    joined = date.fromisoformat(record["joined_on"])
    return not yearly.standing(joined, [date.fromisoformat(u["on"]) for u in updates], today, charter.yearly_update).lapsed


def public_signatory(record: dict, updates: list[dict]) -> PublicSignatory:
    """The register's entry for a signatory's newest record and their updates (oldest first)."""
    details, publish = record["details"], set(record["details"].get("publish", ()))
    latest = updates[-1] if updates else None
    return PublicSignatory(
        id=record["id"],
        organisation=details["organisation"],
        size=details["size"],
        sector=details["sector"],
        website=details.get("website", ""),
        commitments=tuple(details["commitments"]),
        joined_on=date.fromisoformat(record["joined_on"]),
        statement=(details.get("statement") or None) if "statement" in publish else None,
        signed_by=(details["name"], details["role"]) if "signatory" in publish else None,
        latest_update={"on": date.fromisoformat(latest["on"]), "progress": latest["progress"], "report": latest.get("report", "")}
        if latest
        else None,
    )
