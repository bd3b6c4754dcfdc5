"""Sign in, sign out, change your password."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from levy.auth import ANY_ROLE, public, roles, start_session
from levy.forms.account import ChangePasswordForm, LoginForm
from levy.models.base import utcnow
from levy.services.users import attempt_sign_in, change_own_password, sign_out
from levy.transaction import transaction

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
def login() -> str | Response | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        # a refused attempt is committed too: it counts towards the throttle
        with transaction(form, field="email") as tx:
            user, problem = attempt_sign_in(
                form.email.data or "",
                form.password.data or "",
                request.remote_addr or "unknown",
                utcnow(),
            )
        if tx.ok and user is not None:
            login_user(user)  # no "remember me": the sign-in ends with its session limits
            start_session()
            return redirect(_safe_next(request.args.get("next")))
        if problem:
            form.email.errors = [*form.email.errors, problem]
    status = 400 if request.method == "POST" else 200
    return render_template("account/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@roles(*ANY_ROLE)
def logout() -> Response:
    user = current_user._get_current_object()
    with transaction():
        sign_out(user)  # every session of this user ends, not only this browser's
    logout_user()
    flash("You have signed out", "success")
    return redirect(url_for("account.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@roles(*ANY_ROLE)
def change_password() -> str | Response | tuple[str, int]:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        with transaction(form, field="password") as tx:
            change_own_password(user, form.current_password.data or "", form.password.data or "")
        if tx.ok:
            login_user(user)  # this browser carries on; every other session has ended
            flash("Your password has been changed: you are signed out everywhere else", "success")
            return redirect(url_for("main.home"))
    status = 400 if request.method == "POST" else 200
    return render_template("account/password.html", form=form), status
