"""The cohorts on a date: every organisation's, and one directorate's."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from levy.auth import roles
from levy.domain.cohorts import AGE_BANDS, LEVELS, age_band
from levy.services import cohorts as service
from levy.services.organisations import directorates_for
from levy.views import as_of_date
from levy.views.cohorts import READERS, bp, directorate_or_404, scope


@bp.route("/cohorts")
@roles(*READERS)
def cohorts() -> str:
    as_of = as_of_date()
    directorate_ids = scope()
    return render_template(
        "cohorts/cohorts.html",
        profiles=service.workforce_profiles(as_of, directorate_ids),
        count=service.cohort(as_of, directorate_ids),
        as_of=as_of,
        directorates=directorates_for(current_user),
        levels=LEVELS,
        bands=AGE_BANDS,
    )


@bp.route("/cohorts/<int:directorate_id>")
@roles(*READERS)
def directorate_cohort(directorate_id: int) -> str:
    directorate = directorate_or_404(directorate_id)
    as_of = as_of_date()
    page = service.directorate_cohort(directorate, as_of)
    return render_template(
        "cohorts/directorate.html",
        directorate=directorate,
        count=page.count,
        as_of=as_of,
        months=page.months,
        peak=page.peak,
        future=page.future,
        levels=LEVELS,
        bands=AGE_BANDS,
        profile=page.profile,
        apprentice_ages=page.apprentice_ages,
        age_band=age_band,
    )
