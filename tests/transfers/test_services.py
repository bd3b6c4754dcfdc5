"""Transfers services on a real database: allowance, lifecycle, reservations, timers,
payments into the ledger, reports, registration (issue 6)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from levy.domain import transfers as dom
from levy.domain.errors import DomainError
from levy.extensions import db as _db
from levy.models import AuditEvent, LevyTransaction, User
from levy.models.transfers import BusinessProfile, OutboxMessage
from levy.services import transfers as svc
from tests import factories
from tests.factories import (
    BUSINESS,
    OFFICER,
    create_application,
    create_business,
    levy_for_year,
)

D = Decimal


def _actions(prefix: str = "transfers.") -> list[str]:
    return [
        e.action
        for e in _db.session.execute(
            _db.select(AuditEvent)
            .where(AuditEvent.action.like(f"{prefix}%"))
            .order_by(AuditEvent.id)
        ).scalars()
    ]


def test_allowance_from_the_ledger(db: Any) -> None:
    levy_for_year(2021)  # £1,320,000 base
    factories.create_transaction(date(2021, 3, 1), "transfer", "5000")  # 2020-21: not counted
    factories.create_transaction(date(2021, 4, 1), "transfer", "15000")
    factories.create_transaction(date(2022, 3, 1), "transfer", "25000")
    allowance = svc.year_allowance(2021)
    assert allowance.as_dict() == {
        "year": "2021-22",
        "base": "1320000.00",
        "statutory_percent": "25.00",
        "local_percent": "25.00",
        "cap": "330000.00",
        "paid": "40000.00",
        "committed": "0.00",
        "remaining": "290000.00",
    }


def test_submit_screens_scores_and_prices(db: Any, standard: Any) -> None:
    org, _ = create_business(employees=8)
    app = create_application(org, standard)
    assert app.status == "submitted"
    assert app.submitted_on == date(2021, 4, 1)
    assert app.eligible is True
    assert app.reserved == D("12000.00")  # 15,000 × 2 × 0.8 ÷ 24 × 12
    assert app.cost_total == D("30000.00")
    assert app.cost_shares == {"2021": "12000.00", "2022": "18000.00"}
    # micro 30 + care leavers 15 + level 3 10 + sector 10 + provider 10 + first time 10
    assert app.score == 85
    assert app.score_version == 1
    assert [e.to_status for e in app.events] == ["submitted"]
    assert _actions() == ["transfers.application_created", "transfers.submit"]


def test_approval_reserves_and_committed_counts_it(db: Any, standard: Any) -> None:
    levy_for_year(2021)
    org, _ = create_business()
    app = create_application(org, standard)
    svc.approve(app.id, OFFICER, date(2021, 4, 10))
    assert app.status == "approved"
    assert app.approved_on == date(2021, 4, 10)
    allowance = svc.year_allowance(2021)
    assert allowance.committed == D("12000.00")
    assert allowance.remaining == D("318000.00")  # 330,000 − 12,000
    assert svc.year_allowance(2022).committed == D("18000.00")  # the later year's share
    outbox = _db.session.execute(_db.select(OutboxMessage)).scalars().all()
    assert any("approved" in m.body for m in outbox)


def test_approval_never_goes_past_the_allowance(db: Any, standard: Any) -> None:
    # base 12 × 4,000 = 48,000; 25% cap = 12,000: exactly one application's first year
    levy_for_year(2021, levy="4000", top_up="0")
    org, _ = create_business()
    first = create_application(org, standard)
    second = create_application(org, standard)
    svc.approve(first.id, OFFICER, date(2021, 4, 10))
    assert svc.year_allowance(2021).remaining == D("0.00")
    with pytest.raises(dom.AllowanceExceeded) as err:
        svc.approve(second.id, OFFICER, date(2021, 4, 10))
    assert "£12,000.00" in str(err.value)
    assert "£0.00" in str(err.value)


def test_a_penny_short_is_refused(db: Any, standard: Any) -> None:
    levy_for_year(2021, levy="4000", top_up="0")  # cap 12,000
    factories.create_transaction(date(2021, 4, 1), "transfer", "0.01")
    org, _ = create_business()
    app = create_application(org, standard)
    with pytest.raises(dom.AllowanceExceeded):
        svc.approve(app.id, OFFICER, date(2021, 4, 10))


@pytest.mark.parametrize("action", ["decline", "withdraw"])
def test_reservations_return_when_declined_or_withdrawn(
    db: Any, standard: Any, action: str
) -> None:
    levy_for_year(2021)
    org, _ = create_business()
    app = create_application(org, standard)
    svc.approve(app.id, OFFICER, date(2021, 4, 10))
    getattr(svc, action)(app, BUSINESS, date(2021, 4, 12))
    assert svc.year_allowance(2021).committed == D("0.00")


def test_withdrawing_after_acceptance_returns_the_reservation(db: Any, standard: Any) -> None:
    levy_for_year(2021)
    org, _ = create_business()
    app = create_application(org, standard)
    svc.approve(app.id, OFFICER, date(2021, 4, 10))
    svc.accept(app, BUSINESS, date(2021, 4, 11))
    assert svc.year_allowance(2021).committed == D("12000.00")
    svc.withdraw(app, BUSINESS, date(2021, 4, 12))
    assert app.status == "withdrawn after acceptance"
    assert svc.year_allowance(2021).committed == D("0.00")


def test_wrong_state_is_refused_with_a_message(db: Any, standard: Any) -> None:
    org, _ = create_business()
    app = create_application(org, standard)
    with pytest.raises(
        dom.TransitionNotAllowed, match="cannot accept an application that is submitted"
    ):
        svc.accept(app, BUSINESS, date(2021, 4, 2))
    svc.reject(app, "Not in a growth sector", OFFICER, date(2021, 4, 3))
    with pytest.raises(DomainError):
        svc.approve(app.id, OFFICER, date(2021, 4, 4))
    assert app.decision_reason == "Not in a growth sector"


def test_request_and_respond_to_information(db: Any, standard: Any) -> None:
    org, _ = create_business()
    app = create_application(org, standard)
    with pytest.raises(DomainError, match="no request"):
        svc.respond_info(app, "Answer", BUSINESS, date(2021, 4, 2))
    svc.request_info(app, "Which provider?", OFFICER, date(2021, 4, 2))
    svc.respond_info(app, "Heart of Worcestershire College", BUSINESS, date(2021, 4, 3))
    assert app.status == "submitted"
    assert app.info_response == "Heart of Worcestershire College"
    assert [e.action for e in app.events] == ["submit", "request_info", "respond_info"]


def test_tick_runs_the_timers_once(db: Any, standard: Any) -> None:
    levy_for_year(2021)
    org, _ = create_business()
    waiting = create_application(org, standard, submit_on=date(2021, 4, 1))
    offered = create_application(org, standard, submit_on=date(2021, 4, 1))
    svc.approve(offered.id, OFFICER, date(2021, 4, 1))
    # 41 days after approval, under 3 months after submission: nothing
    assert svc.tick(date(2021, 5, 12), OFFICER).moves == []
    # day 42: the offer is declined
    moves = svc.tick(date(2021, 5, 13), OFFICER).moves
    assert [(m.ref, m.to_status) for m in moves] == [(offered.reference, "declined")]
    # 3 months after submission: rejected automatically, with the reason shown
    moves = svc.tick(date(2021, 7, 1), OFFICER).moves
    assert [(m.ref, m.to_status) for m in moves] == [(waiting.reference, "rejected")]
    assert waiting.decision_reason == "No decision within 3 months of submission."
    assert svc.tick(date(2021, 7, 1), OFFICER).lines() == ["Nothing due."]
    assert svc.year_allowance(2021).committed == D("0.00")


def test_accepted_funds_expire_3_months_after_the_planned_start(db: Any, standard: Any) -> None:
    # issue 14: the 3 months count from the planned start (1 May), not from the
    # acceptance (30 April): the funds expire on 1 August, not on 30 July
    levy_for_year(2021)
    org, _ = create_business()
    app = create_application(org, standard)
    svc.approve(app.id, OFFICER, date(2021, 4, 2))
    svc.accept(app, BUSINESS, date(2021, 4, 30))
    assert svc.tick(date(2021, 7, 31), OFFICER).moves == []
    assert [m.to_status for m in svc.tick(date(2021, 8, 1), OFFICER).moves] == ["funds expired"]
    assert svc.year_allowance(2021).committed == D("0.00")


def test_payments_go_into_the_ledger_as_transfer_rows(db: Any, short_standard: Any) -> None:
    levy_for_year(2021)
    org, _ = create_business()
    app = create_application(org, short_standard, apprentices=1, start=date(2021, 5, 1))
    assert app.reserved == D("9000.00")  # 12 months: band × apprentices
    svc.approve(app.id, OFFICER, date(2021, 4, 2))
    svc.accept(app, BUSINESS, date(2021, 4, 3))
    svc.record_apprentices(app, 1, date(2021, 5, 4), OFFICER, date(2021, 5, 4))
    assert app.status == "funds used"
    # 80% of 9,000 over 12 months = 600 a month; May to July have ended by 31 July
    written = svc.tick(date(2021, 7, 31), OFFICER).payments
    assert [(m, a) for _, m, a in written] == [
        (date(2021, 5, 1), D("600.00")),
        (date(2021, 6, 1), D("600.00")),
        (date(2021, 7, 1), D("600.00")),
    ]
    rows = (
        _db.session.execute(_db.select(LevyTransaction).where(LevyTransaction.type == "transfer"))
        .scalars()
        .all()
    )
    assert {r.reference for r in rows} == {app.reference}
    allowance = svc.year_allowance(2021)
    assert allowance.paid == D("1800.00")
    assert allowance.committed == D("7200.00")  # 9,000 − 1,800 not yet paid
    assert allowance.remaining == D("321000.00")  # 330,000 − 1,800 − 7,200
    assert svc.tick(date(2021, 7, 31), OFFICER).payments == []  # idempotent
    # the whole course: 11 × 600 + (600 + 1,800) = 9,000, never more
    svc.tick(date(2023, 1, 31), OFFICER)
    total = _db.session.execute(
        _db.select(_db.func.sum(LevyTransaction.amount)).where(LevyTransaction.type == "transfer")
    ).scalar_one()
    assert total == D("9000.00")
    report = svc.report(2021)
    # May 2021 to March 2022: 11 × 600 = 6,600; April 2022's 2,400 is in 2022-23
    assert (report.transferred, report.businesses, report.apprenticeships) == (D("6600.00"), 1, 1)
    assert report.by_district == {"Worcester": D("6600.00")}
    assert svc.report(2022).transferred == D("2400.00")


def test_recording_more_apprentices_than_offered_is_refused(db: Any, standard: Any) -> None:
    levy_for_year(2021)
    org, _ = create_business()
    app = create_application(org, standard, apprentices=2)
    svc.approve(app.id, OFFICER, date(2021, 4, 2))
    svc.accept(app, BUSINESS, date(2021, 4, 3))
    with pytest.raises(DomainError, match="offer was for 2"):
        svc.record_apprentices(app, 3, date(2021, 5, 1), OFFICER, date(2021, 5, 1))


def test_queue_ranks_by_score_then_submission(db: Any, standard: Any) -> None:
    micro, _ = create_business(employees=5)
    medium, _ = create_business(employees=120)
    later_micro = create_application(micro, standard, submit_on=date(2021, 4, 5))
    medium_app = create_application(medium, standard, submit_on=date(2021, 4, 1))
    early_micro = create_application(micro, standard, submit_on=date(2021, 4, 2))
    assert [r.app.reference for r in svc.queue()] == [
        early_micro.reference,
        later_micro.reference,
        medium_app.reference,
    ]


def test_the_yearly_limit_counts_live_applications(db: Any, standard: Any) -> None:
    org, _ = create_business()
    for _ in range(3):
        assert create_application(org, standard).eligible is True
    fourth = create_application(org, standard)
    assert fourth.eligible is False
    assert [c for c, passed, _ in fourth.screening if not passed] == ["receiver.yearly_limit"]


def test_new_weights_are_a_new_version_used_for_later_scores(db: Any, standard: Any) -> None:
    org, _ = create_business(employees=5)
    first = create_application(org, standard)
    row = svc.save_weights({**dom.DEFAULT_WEIGHTS, "size.micro": 50}, OFFICER)
    assert row.version == 2
    second = create_application(org, standard)
    assert (first.score_version, second.score_version) == (1, 2)
    # the second is no longer a first-time applicant? only accepted ones count: still first
    assert second.score - first.score == 20
    assert "transfers.weights" in _actions()


def test_local_share_change_is_audited_and_used(db: Any) -> None:
    levy_for_year(2021)
    svc.set_local_share(D("10"), OFFICER)
    allowance = svc.year_allowance(2021)
    assert allowance.as_dict()["local_percent"] == "10.00"
    assert allowance.cap == D("132000.00")
    event = _db.session.execute(
        _db.select(AuditEvent).where(AuditEvent.action == "transfers.local_share")
    ).scalar_one()
    assert (event.before, event.after) == ({"local_percent": "25.00"}, {"local_percent": "10.00"})
    with pytest.raises(DomainError):
        svc.set_local_share(D("101"), OFFICER)


def _registration(**kw: Any) -> svc.Registration:
    values = {
        "contact_name": "Jo Turner",
        "email": "jo@joinery.example",
        "password": "a-long-password",
        "legal_name": "Pershore Joinery Ltd",
        "company_number": "07654321",
        "charity_number": "",
        "address": "1 High Street, Pershore",
        "postcode": "wr10 1aa",
        "employees": 7,
        "pays_levy": False,
        "is_vcse": False,
        "sector": "Construction",
        "pays_rates_in_county": True,
    }
    values.update(kw)
    return svc.Registration(**values)


def test_registration_and_email_confirmation(app: Any, db: Any) -> None:
    with app.test_request_context():
        user, token = svc.register_business(_registration())
    assert user.role == "employer"
    assert user.email_confirmed is False
    profile = _db.session.execute(_db.select(BusinessProfile)).scalar_one()
    assert (profile.postcode, profile.district) == ("WR10 1AA", "Wychavon")
    message = _db.session.execute(_db.select(OutboxMessage)).scalar_one()
    assert token in message.body
    assert message.to == "jo@joinery.example"
    confirmed = svc.confirm_email(token)
    assert confirmed.id == user.id
    assert _db.session.get(User, user.id).email_confirmed is True
    with pytest.raises(DomainError, match="not valid"):
        svc.confirm_email(token + "x")


def test_registration_refuses_duplicates_and_bad_postcodes(app: Any, db: Any) -> None:
    with app.test_request_context():
        svc.register_business(_registration())
        with pytest.raises(DomainError, match="already registered"):
            svc.register_business(_registration(email="other@example.org"))
        with pytest.raises(DomainError, match="not a UK postcode"):
            svc.register_business(_registration(legal_name="Other", postcode="nowhere"))
        user, _ = svc.register_business(
            _registration(legal_name="Brum Ltd", email="b@example.org", postcode="B1 1AA")
        )
    assert svc.get_profile(user.organisation).district is None


def test_an_officer_overrides_the_district_with_a_reason(db: Any) -> None:
    org, _ = create_business(postcode="B96 6AA", district="Redditch")
    profile = svc.get_profile(org)
    with pytest.raises(DomainError, match="reason"):
        svc.override_district(profile, "Wychavon", " ", OFFICER)
    svc.override_district(profile, "Wychavon", "Inkberrow is in Wychavon", OFFICER)
    assert profile.district == "Wychavon"
    assert "transfers.district_override" in _actions()


def test_allowance_years_follow_the_ledger(db: Any) -> None:
    factories.create_transaction(date(2019, 5, 1), "levy", "1000")  # base of 2020-21
    factories.create_transaction(date(2020, 4, 1), "levy", "1000")  # also 2020-21's base
    factories.create_transaction(date(2021, 3, 1), "transfer", "10")  # paid in 2020-21
    assert svc.allowance_years(date(2026, 11, 26)) == [2027, 2026, 2020]


def test_taking_on_fewer_apprentices_gives_back_part_of_the_reservation(
    db: Any, standard: Any
) -> None:
    levy_for_year(2021)
    org, _ = create_business()
    app = create_application(org, standard, apprentices=2)
    svc.approve(app.id, OFFICER, date(2021, 4, 2))
    svc.accept(app, BUSINESS, date(2021, 4, 3))
    assert svc.year_allowance(2021).committed == D("12000.00")
    svc.record_apprentices(app, 1, date(2021, 5, 1), OFFICER, date(2021, 5, 1))
    # one apprentice: 15,000 × 0.8 ÷ 24 × 12 = 6,000
    assert svc.year_allowance(2021).committed == D("6000.00")
    assert app.cost_total == D("15000.00")


def _draft_data(standard: Any, start: date) -> Any:
    return svc.ApplicationData(
        standard=standard,
        apprentices=1,
        planned_start=start,
        provider_name="Heart of Worcestershire College",
        provider_in_county=True,
    )


def test_a_draft_must_start_today_or_later_whoever_saves_it(db: Any, standard: Any) -> None:
    # the rule sits in the service, so the web form and any command apply it alike
    org, _ = create_business()
    with pytest.raises(DomainError, match="today or in the future") as refused:
        svc.create_draft(
            org, None, _draft_data(standard, date(2021, 3, 31)), BUSINESS, date(2021, 4, 1)
        )
    assert refused.value.field == "planned_start"
    draft = svc.create_draft(
        org, None, _draft_data(standard, date(2021, 4, 1)), BUSINESS, date(2021, 4, 1)
    )
    assert draft.planned_start == date(2021, 4, 1)
    with pytest.raises(DomainError, match="today or in the future"):
        svc.update_draft(
            draft, _draft_data(standard, date(2021, 4, 30)), BUSINESS, date(2021, 5, 1)
        )
    assert draft.planned_start == date(2021, 4, 1)
    svc.update_draft(draft, _draft_data(standard, date(2021, 6, 1)), BUSINESS, date(2021, 5, 1))
    assert draft.planned_start == date(2021, 6, 1)
