"""Request-to-recruit screening: the log form (L&D team) and the counts (readers)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from levy.auth import roles
from levy.domain.accounts import Actor
from levy.forms.cohorts import ScreeningForm
from levy.services import cohorts as service
from levy.services.organisations import directorates_for
from levy.transaction import transaction
from levy.views.cohorts import EDITORS, READERS, bp, scope


@bp.route("/screening", methods=["GET", "POST"])
@roles(*READERS)
def screening() -> Response | str:
    form = ScreeningForm()
    form.directorate_id.choices = [(0, "Choose…")] + [
        (d.id, d.label) for d in directorates_for(current_user)
    ]
    can_log = current_user.role in EDITORS
    if request.method == "POST":
        if not can_log:
            abort(403)
        if form.validate_on_submit():
            with transaction(form, field="reason") as tx:
                service.log_screening(
                    form.directorate_id.data or 0,
                    form.job_title.data or "",
                    form.received_on.data,  # type: ignore[arg-type]  # required: validated above
                    form.outcome.data or "",
                    form.reason.data or "",
                    Actor.of(current_user),
                    social_worker=bool(form.social_worker.data),
                )
            if tx.ok:
                flash("Request to recruit logged", "success")
                return redirect(url_for("cohorts.screening"))
    directorate_ids = scope()
    return render_template(
        "cohorts/screening.html",
        form=form if can_log else None,
        counts=service.screening_counts(directorate_ids),
        recent=service.recent_requests(directorate_ids),
    )
