"""Contracts, returns and reviews written with the app's own record layer, and their summaries kept, as the
officer's and the supplier's pages would leave them: set-up for the pages that read them, not under test."""

from datetime import date
from decimal import Decimal

from functions.contracts import summaries
from functions.contracts.records import Contracts, contract_prefix, serialise_return
from functions.storage import versions
from portal.contracts import Commitment, Contract, Return, ReturnLine, Review

ANN, BOB = "ann@roadworks.example", "bob@roadworks.example"


def contract(
    title="Highways maintenance",
    reference="EXC-2026-014",
    manager="admin@exampleshire.gov.uk",
    supplier="Roadworks Ltd",
    start=date(2026, 4, 1),
    end=date(2027, 3, 31),
    commitments=(("LE01", "4.5", "quarterly"),),
) -> Contract:
    return Contract(
        title,
        reference,
        supplier,
        Decimal("1250000"),
        start,
        end,
        manager,
        (ANN, BOB),
        tuple(
            Commitment(code, Decimal(quantity), "per_period", frequency, f"{code} as agreed", ())
            for code, quantity, frequency in commitments
        ),
    )


def record(app, store, made: Contract, today=date(2026, 12, 5)) -> str:
    contract_id = Contracts(store).create(made, made.contract_manager)
    refresh(app, store, contract_id, today)
    return contract_id


def refresh(app, store, contract_id, today=date(2026, 12, 5)):
    with app.app_context():
        summaries.refresh(store, contract_id, app.extensions["portal.content"], today)


def send(app, store, contract_id, period_id, figures: dict, version=1, today=date(2026, 12, 5)):
    sent = Return(
        period_id,
        tuple(ReturnLine(code, Decimal(q), "Payroll", "", ("EX1",)) for code, q in figures.items()),
        "Ann Smith",
        "Director",
        version,
        None if version == 1 else "Counted twice",
    )
    versions.append(
        store,
        f"{contract_prefix(contract_id)}returns/{period_id}/sent/",
        {"return": serialise_return(sent), "by": ANN, "at": "2026-07-02T10:00:00+00:00"},
    )
    refresh(app, store, contract_id, today)


def review(app, store, contract_id, period_id, outcome, verified: dict | None = None, version=1, today=date(2026, 12, 5)):
    made = Review(
        period_id,
        version,
        outcome,
        "" if outcome == "accepted" else "Please check",
        {code: Decimal(q) for code, q in (verified or {}).items()},
        {},
    )
    Contracts(store).review(contract_id, made, "admin@exampleshire.gov.uk")
    refresh(app, store, contract_id, today)
