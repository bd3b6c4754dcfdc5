"""Applying for a scheme: the application's status and the window left to apply."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from levy.domain.fields import FieldError, parse_text
from levy.domain.incentives.base import (
    APPLICATION_MOVES,
    APPLIED,
    MISSED,
    NOT_APPLIED,
    ApplicationRefused,
    check_move,
    day_text,
)
from levy.domain.incentives.eligibility import Eligibility
from levy.domain.schemes import SCHEME_NAMES

# --- applications -------------------------------------------------------------------


@dataclass(frozen=True)
class Application:
    """The recorded application (or date the provider was told); empty when not applied."""

    applied_on: date | None = None
    reference: str = ""


def application_status(e: Eligibility, application: Application | None, as_of: date) -> str:
    """``applied`` once recorded; ``missed`` once the window closed first; else ``not applied``."""
    if application is not None and application.applied_on is not None:
        return APPLIED
    if e.claim_to is not None and as_of > e.claim_to:
        return MISSED
    return NOT_APPLIED


def days_left_to_apply(e: Eligibility, as_of: date) -> int | None:
    """Days you can still apply on, today included (None without a window, 0 once closed)."""
    if e.claim_to is None:
        return None
    return max(0, (e.claim_to - as_of).days + 1)


def apply(
    e: Eligibility,
    application: Application | None,
    on: date,
    reference: str,
    as_of: date | None = None,
) -> Application:
    """Record the application (``not applied -> applied``) or refuse with a reason.

    The organisation applies for a new-hire phase inside its application window and gives
    the claim reference; for provider-claimed schemes ``on`` is the day the provider was
    told and the reference is optional.
    """
    name = SCHEME_NAMES[e.scheme]
    if not e.eligible:
        raise ApplicationRefused(f"not eligible for the {name}: {e.reason}")
    current = application_status(e, application, on)  # the window is judged on the date applied
    if current == APPLIED:
        assert application is not None
        assert application.applied_on is not None
        ref = f" (reference {application.reference})" if application.reference else ""
        raise ApplicationRefused(
            f"the {name} was already applied for on {day_text(application.applied_on)}{ref}"
        )
    if as_of is not None and on > as_of:
        raise ApplicationRefused(f"the application date {day_text(on)} is in the future")
    if e.claim_from is not None and on < e.claim_from:
        raise ApplicationRefused(
            f"applications for the {name} open on {day_text(e.claim_from)}, not {day_text(on)}"
        )
    if current == MISSED or (e.claim_to is not None and on > e.claim_to):
        assert e.claim_to is not None
        raise ApplicationRefused(
            f"the application window for the {name} closed on {day_text(e.claim_to)}: "
            "the claim is missed"
        )
    try:
        reference = parse_text(reference, label="The claim reference", max_length=100)
    except FieldError as exc:
        raise ApplicationRefused(str(exc)) from None
    if e.claimed_by == "organisation" and not reference:
        raise ApplicationRefused("enter the claim reference from the apprenticeship service")
    check_move(APPLICATION_MOVES, NOT_APPLIED, APPLIED, f"the application for the {name}")
    return Application(applied_on=on, reference=reference)
