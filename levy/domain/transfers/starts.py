"""Apprentices' starts a business reports for an accepted offer (issue 14): who started,
when, and their ULN where known. Reporting moves the application to funds used."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from levy.domain.errors import Problems
from levy.domain.months import format_day


@dataclass(frozen=True)
class ApprenticeStart:
    name: str
    start: date | None
    uln: str = ""  # 10 digits, or empty when not known yet


def clean_uln(text: str) -> str:
    return (text or "").replace(" ", "").strip()


def check_starts(
    starts: Sequence[ApprenticeStart],
    funded: int,
    earliest: date,
    latest: date,
) -> list[ApprenticeStart]:
    """The reported starts, tidied; raises ``Problems`` naming each row's field
    (``starts-<row>-name|start|uln``) or ``starts`` for the list as a whole.

    * one apprentice at least, and no more than were funded;
    * each with a name and a start date from ``earliest`` (the submission: transfers fund
      new starts) to ``latest`` (the last day before the funds expire);
    * a ULN, when given, is 10 digits and appears once.
    """
    problems: list[tuple[str | None, str]] = []
    rows = [(i, s) for i, s in enumerate(starts) if s.name.strip() or s.start or clean_uln(s.uln)]
    if not rows:
        problems.append(("starts", "Enter the name and start date of at least one apprentice"))
    if len(rows) > funded:
        problems.append(
            (
                "starts",
                f"The offer funds {funded} apprentice(s); you entered {len(rows)}. "
                "Remove the extra rows",
            )
        )
    clean: list[ApprenticeStart] = []
    seen: set[str] = set()
    for i, s in rows:
        n = i + 1
        name = " ".join(s.name.split())
        if not name:
            problems.append((f"starts-{i}-name", f"Enter the full name of apprentice {n}"))
        elif len(name) > 200:
            problems.append(
                (f"starts-{i}-name", f"Apprentice {n}'s name must be 200 characters or fewer")
            )
        if s.start is None:
            problems.append(
                (f"starts-{i}-start", f"Enter apprentice {n}'s start date, like 1 9 2021")
            )
        elif not earliest <= s.start <= latest:
            problems.append(
                (
                    f"starts-{i}-start",
                    f"Apprentice {n}'s start date must be from {format_day(earliest)} (when "
                    f"you applied: transfers fund new starts) to {format_day(latest)} (the "
                    "last day before the funds expire)",
                )
            )
        uln = clean_uln(s.uln)
        if uln and (len(uln) != 10 or not uln.isdigit()):
            problems.append(
                (
                    f"starts-{i}-uln",
                    f"Apprentice {n}'s ULN must be 10 digits, like 1234567890, "
                    "or leave it blank if you do not know it yet",
                )
            )
        elif uln and uln in seen:
            problems.append((f"starts-{i}-uln", f"Apprentice {n}'s ULN is given twice"))
        seen.add(uln)
        clean.append(ApprenticeStart(name, s.start, uln))
    if problems:
        raise Problems(problems)
    return clean
