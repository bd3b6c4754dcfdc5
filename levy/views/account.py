"""Sign in and sign out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from levy.auth import ANY_ROLE, public, roles
from levy.extensions import db
from levy.forms.account import LoginForm
from levy.models.base import utcnow
from levy.services.users import SignInRefused, authenticate

bp = Blueprint("account", __name__)


def _safe_next(target: str | None) -> str:
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("main.home")


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    problem = None
    if form.validate_on_submit():
        try:
            user = authenticate(
                form.email.data or "",
                form.password.data or "",
                request.remote_addr or "unknown",
                utcnow(),
            )
        except SignInRefused as exc:
            db.session.commit()  # keep the failed attempt for the throttle
            problem = str(exc)
            form.email.errors = [*form.email.errors, problem]
        else:
            login_user(user)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
    status = 200 if not (form.errors or problem) else 400 if request.method == "POST" else 200
    return render_template("account/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@roles(*ANY_ROLE)
def logout() -> Response:
    logout_user()
    flash("You have signed out", "success")
    return redirect(url_for("account.login"))
