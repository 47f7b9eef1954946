"""Chasing returns, with a moved clock: each reminder (due soon, due today, weekly while overdue, the contract
manager told) is emailed once, on the right UK day, to the right people, through the outbox; a return sent stops it."""

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from functions import handlers
from functions.contracts import summaries
from functions.contracts.records import Contracts, contract_prefix, serialise_return
from functions.storage import open_store, versions
from portal.contracts import Commitment, Contract, Return, ReturnLine
from tests.conftest import CONTENT
from tests.officer import ADMIN, Clock, council_app_with_officers, emails_to

ANN, BOB = "ann@roadworks.example", "bob@roadworks.example"
Q1 = "2026-04-01--2026-06-30"  # due 30 July 2026 (30 days after it ends)
CONTRACT = Contract(
    "Highways maintenance",
    "EXC-2026-014",
    "Roadworks Ltd",
    Decimal("1250000"),
    date(2026, 4, 1),
    date(2027, 3, 31),
    ADMIN,
    (ANN, BOB),
    (Commitment("LE01", Decimal("4.5"), "per_period", "quarterly", "Local apprentices", ()),),
)


@pytest.fixture
def clock():
    return Clock(datetime(2026, 7, 1, 9, tzinfo=timezone.utc))


@pytest.fixture
def app(built, storage_url, tmp_path, clock):
    return council_app_with_officers(built[1], storage_url, tmp_path / "outbox", clock, "https://portal.example")


@pytest.fixture
def contract_id(app, store):
    with app.app_context():
        contract_id = Contracts(store).create(CONTRACT, ADMIN)
        summaries.refresh(store, contract_id, app.extensions["portal.content"], date(2026, 7, 1))
    return contract_id


def chase(app, clock, when: datetime) -> str:
    clock.now = when
    result = app.test_cli_runner().invoke(args=["chase-returns"])
    assert result.exit_code == 0, result.output
    return result.output


def subjects(outbox, address) -> list[str]:
    return [message["Subject"] for message in emails_to(outbox, address)]


def at(day: str, hour: int = 9) -> datetime:
    return datetime.fromisoformat(f"{day}T{hour:02d}:00:00+00:00")


def test_each_reminder_is_sent_once_on_its_day_to_the_right_people(app, clock, store, contract_id, tmp_path):
    outbox = tmp_path / "outbox"
    assert "sent 0 reminder emails" in chase(app, clock, at("2026-07-15", 22))  # 11pm in the UK: still the 15th
    assert subjects(outbox, ANN) == []
    # Half past midnight on the 16th in the UK (BST) is still the 15th in UTC: 14 days before the due day.
    assert "sent 2 reminder emails" in chase(app, clock, at("2026-07-15", 23) + timedelta(minutes=30))
    soon = "Return due soon: Highways maintenance (EXC-2026-014)"
    assert subjects(outbox, ANN) == subjects(outbox, BOB) == [soon]
    body = emails_to(outbox, ANN)[0].get_content()
    assert "1 April 2026 to 30 June 2026 is due on 30 July 2026" in body
    assert f"https://portal.example/supplier/contracts/{contract_id}/" in body
    assert "2 already sent" in chase(app, clock, at("2026-07-16", 15))  # run again the same day: nothing new
    chase(app, clock, at("2026-07-29"))
    assert subjects(outbox, ANN) == [soon]

    chase(app, clock, at("2026-07-30"))
    chase(app, clock, at("2026-07-30", 12))
    assert subjects(outbox, BOB) == [soon, "Return due today: Highways maintenance (EXC-2026-014)"]
    chase(app, clock, at("2026-07-31"))
    overdue = "Return overdue: Highways maintenance (EXC-2026-014)"
    assert subjects(outbox, ANN)[2:] == [overdue]
    assert "It is 1 day overdue." in emails_to(outbox, ANN)[-1].get_content()
    for day in ("2026-08-01", "2026-08-06"):  # the rest of the first week overdue
        chase(app, clock, at(day))
    assert len(subjects(outbox, ANN)) == 3
    chase(app, clock, at("2026-08-07"))  # a week on
    assert subjects(outbox, ANN)[3:] == [overdue]
    assert "It is 8 days overdue." in emails_to(outbox, ANN)[-1].get_content()
    assert subjects(outbox, ADMIN) == []  # the contract manager only once it is 14 days overdue

    chase(app, clock, at("2026-08-13"))
    assert subjects(outbox, ADMIN) == ["Overdue return: contract manager told: Highways maintenance (EXC-2026-014)"]
    told = emails_to(outbox, ADMIN)[0].get_content()
    assert "Roadworks Ltd has not sent" in told and "14 days overdue" in told
    assert f"https://portal.example/council/contracts/{contract_id}/" in told
    assert len(subjects(outbox, ANN)) == 4  # the escalation goes to the manager, not to the supplier
    chase(app, clock, at("2026-08-20"))
    assert len(subjects(outbox, ADMIN)) == 1 and len(subjects(outbox, ANN)) == 5


def test_a_missed_run_is_caught_up_but_due_today_is_never_sent_late(app, clock, contract_id, tmp_path):
    chase(app, clock, at("2026-08-02"))  # no run since before the first reminder's day
    assert subjects(tmp_path / "outbox", ANN) == ["Return overdue: Highways maintenance (EXC-2026-014)"]


def test_a_sent_return_stops_the_reminders(app, clock, store, contract_id, tmp_path):
    chase(app, clock, at("2026-07-31"))
    sent = Return(Q1, (ReturnLine("LE01", Decimal(5), "Payroll", "", ("EX1",)),), "Ann Smith", "Director", 1, None)
    versions.append(
        store,
        f"{contract_prefix(contract_id)}returns/{Q1}/sent/",
        {"return": serialise_return(sent), "by": ANN, "at": "2026-08-01T10:00:00+00:00"},
    )
    with app.app_context():
        summaries.refresh(store, contract_id, app.extensions["portal.content"], date(2026, 8, 1))
    for day in ("2026-08-07", "2026-08-13", "2026-08-20"):
        chase(app, clock, at(day))
    assert len(subjects(tmp_path / "outbox", ANN)) == 1 and subjects(tmp_path / "outbox", ADMIN) == []


def test_the_scheduled_lambda_entry_chases_once(built, tmp_path, monkeypatch):
    storage = tmp_path / "storage"
    for name, value in {
        "PORTAL_STORAGE": str(storage),
        "PORTAL_ASSETS": str(built[1]),
        "PORTAL_CONTENT": str(CONTENT),
        "PORTAL_EMAIL": f"outbox:{tmp_path / 'outbox'}",
        "PORTAL_BASE_URL": "https://portal.example",
        "PORTAL_SECRET_KEY": "a-test-key-that-is-long-enough-to-sign-cookies",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(handlers, "_handlers", {})
    store = open_store(str(storage))
    from portal import create_app
    from portal.clock import uk_today

    with create_app({"PORTAL_CONTENT": CONTENT}).app_context() as context:
        today = uk_today()
        start = date(today.year - 1, today.month, 1)  # its first quarter's return is long overdue
        contract = Contract(
            "Cleaning",
            "EXC-1",
            "Clean Ltd",
            Decimal(1000),
            start,
            date(today.year + 1, 12, 31),
            ADMIN,
            (ANN,),
            (Commitment("LE01", Decimal(1), "per_period", "quarterly", "Apprentices", ()),),
        )
        contract_id = Contracts(store).create(contract, ADMIN)
        summaries.refresh(store, contract_id, context.app.extensions["portal.content"], today)
    first = handlers.contract_chasing({}, None)
    assert first["contracts"] == 1 and first["failed"] == 0 and first["sent"] >= 1
    assert handlers.contract_chasing({}, None)["sent"] == 0
    assert len(emails_to(tmp_path / "outbox", ANN)) + len(emails_to(tmp_path / "outbox", ADMIN)) == first["sent"]


def test_a_reminder_whose_email_could_not_be_stored_is_sent_by_the_next_run(built, tmp_path, clock):
    from functions.storage import StorageUnavailable
    from functions.storage.file_store import FileStore

    class OutboxDown(FileStore):
        """The real file store, with the outbox refusing writes while `down` is set."""

        down = True

        def create(self, key, *args, **kwargs):
            if self.down and key.startswith("outbox/"):
                raise StorageUnavailable("the outbox is down")
            return super().create(key, *args, **kwargs)

    store = OutboxDown(tmp_path / "storage")
    app = council_app_with_officers(built[1], str(tmp_path / "storage"), tmp_path / "outbox", clock, "https://portal.example")
    app.extensions["portal.store"] = store
    with app.app_context():
        contract_id = Contracts(store).create(CONTRACT, ADMIN)
        summaries.refresh(store, contract_id, app.extensions["portal.content"], date(2026, 7, 1))
    assert "0 already sent, 2 failed" in chase(app, clock, at("2026-07-31"))
    assert store.keys("chasing/") == [] and subjects(tmp_path / "outbox", ANN) == []  # nothing half-done
    store.down = False
    assert "sent 2 reminder emails" in chase(app, clock, at("2026-07-31", 15))
    assert subjects(tmp_path / "outbox", ANN) == ["Return overdue: Highways maintenance (EXC-2026-014)"]


def test_when_one_recipients_email_fails_only_that_one_is_sent_again(built, tmp_path, clock):
    from functions.storage import StorageUnavailable
    from functions.storage.file_store import FileStore

    class SecondEmailFails(FileStore):
        """The real file store, refusing the second email stored into the outbox, once."""

        emails = 0

        def create(self, key, *args, **kwargs):
            if key.startswith("outbox/pending/"):
                self.emails += 1
                if self.emails == 2:
                    raise StorageUnavailable("the outbox is down")
            return super().create(key, *args, **kwargs)

    store = SecondEmailFails(tmp_path / "storage")
    app = council_app_with_officers(built[1], str(tmp_path / "storage"), tmp_path / "outbox", clock, "https://portal.example")
    app.extensions["portal.store"] = store
    with app.app_context():
        contract_id = Contracts(store).create(CONTRACT, ADMIN)
        summaries.refresh(store, contract_id, app.extensions["portal.content"], date(2026, 7, 1))
    assert "sent 1 reminder emails, 0 already sent, 1 failed" in chase(app, clock, at("2026-07-31"))
    assert "sent 1 reminder emails, 1 already sent, 0 failed" in chase(app, clock, at("2026-07-31", 15))
    overdue = ["Return overdue: Highways maintenance (EXC-2026-014)"]
    assert subjects(tmp_path / "outbox", ANN) == subjects(tmp_path / "outbox", BOB) == overdue  # each once
