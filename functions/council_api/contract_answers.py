"""What the council API answers about contracts, shaped for contract_schemas: read from the list's index and
the kept summaries (decision 14) for contracts, and from the records for returns and their reviews."""

import re

from portal.clock import uk_today
from portal.questionnaire.numbers import stored_number

from ..contracts import summaries
from ..contracts.records import Contracts, sent_records, serialise_review
from ..storage import Store
from .contract_schemas import CONTRACT_ID

_ID = re.compile(CONTRACT_ID)


FIELDS = ("title", "reference", "supplier_name", "value", "start", "end")


def entries_by_title(store: Store) -> list[dict]:
    return sorted(summaries.listed(store), key=lambda e: (e["title"].casefold(), e["contract_id"]))


def listed(entry: dict, url: str) -> dict:
    return {
        "id": entry["contract_id"],
        "version": entry["version"],
        **{k: entry[k] for k in FIELDS},
        "commitments": entry["commitments"],
        "url": url,
    }


def _fields(summary: dict) -> dict:
    contract = summary["contract"]
    return {"id": summary["contract_id"], "version": summary["version"], **{k: contract[k] for k in FIELDS}}


def contract(store: Store, contract_id: str, content, returns_url: str) -> dict | None:
    if not _ID.match(contract_id):
        return None
    summary, today = summaries.summary(store, contract_id, content, uk_today()), uk_today()
    if summary is None:
        return None
    stored = summary["contract"]
    commitments = []
    for kept, figures in zip(stored["commitments"], summaries.commitment_summaries(summary, today)):
        commitments.append(
            {
                **kept,
                "unit": figures.unit,
                "combine": figures.combine,
                "committed_to_date": stored_number(figures.committed_to_date),
                "claimed_to_date": stored_number(figures.claimed_to_date),
                "verified_to_date": stored_number(figures.verified_to_date),
                "periods": [
                    {
                        "period_id": f.period.id,
                        "start": f.period.start.isoformat(),
                        "end": f.period.end.isoformat(),
                        "due": f.period.due.isoformat(),
                        "committed": stored_number(f.committed),
                        "claimed": None if f.claimed is None else stored_number(f.claimed),
                        "verified": None if f.verified is None else stored_number(f.verified),
                        "status": f.status,
                    }
                    for f in figures.periods
                ],
            }
        )
    schedule = [
        {
            "period_id": row["period"].id,
            "start": row["period"].start.isoformat(),
            "end": row["period"].end.isoformat(),
            "due": row["period"].due.isoformat(),
            "status": row["status"],
            "returns_url": returns_url if row["sent_version"] else None,
        }
        for row in summaries.schedule(summary, today)
    ]
    return {
        **_fields(summary),
        "notice_id": stored.get("notice_id"),
        "ppon": stored.get("ppon"),
        "contract_manager": stored["contract_manager"],
        "supplier_contacts": stored["supplier_contacts"],
        "commitments": commitments,
        "schedule": schedule,
    }


def returns(store: Store, contract_id: str) -> list[dict] | None:
    if not _ID.match(contract_id) or Contracts(store).get(contract_id) is None:
        return None
    decisions = {}
    for made in Contracts(store).review_records(contract_id):  # in the order made: the last on a version stands
        review = made["review"]
        decisions[(review.period_id, review.version)] = {**serialise_review(review), "at": made["at"]}
    answer = []
    for sent in sent_records(store, contract_id):
        ret = sent["return"]
        answer.append(
            {
                "period_id": ret.period_id,
                "version": ret.version,
                "sent_at": sent["at"] or None,
                "declared_by_name": ret.declared_by_name,
                "declared_by_role": ret.declared_by_role,
                "correction_reason": ret.correction_reason,
                "review": decisions.get((ret.period_id, ret.version)),
                "lines": [
                    {
                        "measure_code": line.measure_code,
                        "quantity": stored_number(line.quantity),
                        "method": line.method,
                        "narrative": line.narrative,
                        "postcode_districts": list(line.postcode_districts),
                        "attributable": line.attributable,
                    }
                    for line in ret.lines
                ],
            }
        )
    return answer
