"""Charter signatories and their yearly updates for officers, as CSV or XLSX (written as registrations' are)."""

from datetime import date, datetime

from portal.dates import LONDON

from .cells import neutralise

SIGNATORY_COLUMNS = [
    "Organisation",
    "Status",
    "Signed up",
    "Joined",
    "Size",
    "Sector",
    "Website",
    "Signed by",
    "Role",
    "Contact email",
    "Commitments",
    "Statement",
    "Agreed to publish",
    "Last changed",
    "Reason",
]
UPDATE_COLUMNS = ["Organisation", "Given on", "Commitment", "Progress", "Report"]


def _local(iso: str | None):
    """A stored UTC timestamp as UK wall-clock time, without a zone (spreadsheets cannot hold one); a date as a date."""
    if not iso:
        return None
    if len(iso) == 10:
        return date.fromisoformat(iso)
    return datetime.fromisoformat(iso).astimezone(LONDON).replace(tzinfo=None, microsecond=0)


def signatory_rows(records: list[dict], charter) -> list[list]:
    def title(commitment_id):
        found = charter.commitment(commitment_id)
        return found.title if found else commitment_id

    table = []
    for record in records:
        d = record["details"]
        table.append(
            [
                d["organisation"],
                record["status"],
                _local(record["created_at"]),
                _local(record.get("joined_on")),
                charter.sign_up.sizes.get(d["size"], d["size"]),
                charter.sign_up.sectors.get(d["sector"], d["sector"]),
                d.get("website", ""),
                d["name"],
                d["role"],
                d["email"],
                "; ".join(title(c) for c in d["commitments"]),
                d.get("statement", ""),
                "; ".join(charter.sign_up.publish_choices.get(p, p) for p in d.get("publish", [])),
                _local(record["at"]),
                record.get("reason", ""),
            ]
        )
    return [[neutralise(cell) for cell in row] for row in table]


def update_rows(records_and_updates: list[tuple[dict, list[dict]]], charter) -> list[list]:
    """One row per commitment per update, the commitments in the Charter's order."""
    order = {c.id: n for n, c in enumerate(charter.commitments)}
    table = []
    for record, updates in records_and_updates:
        for update in updates:
            for commitment_id, text in sorted(update["progress"].items(), key=lambda item: order.get(item[0], len(order))):
                found = charter.commitment(commitment_id)
                table.append(
                    [
                        record["details"]["organisation"],
                        _local(update["on"]),
                        found.title if found else commitment_id,
                        text,
                        update.get("report", ""),
                    ]
                )
    return [[neutralise(cell) for cell in row] for row in table]
