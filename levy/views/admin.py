"""Administrators manage users and roles, and switch users off and on."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from levy.auth import roles
from levy.domain.accounts import Actor
from levy.forms.account import UserForm
from levy.models import User
from levy.security import no_store
from levy.services.users import (
    all_users,
    create_user,
    directorate_choices,
    get_user,
    organisation_choices,
    scope_for,
    set_active,
    update_user,
)
from levy.transaction import transaction
from levy.views import nav

bp = Blueprint("admin", __name__, url_prefix="/admin")
nav("Users", "admin.users", order=90)


def _form(user: User | None = None) -> UserForm:
    form = UserForm(obj=user) if user else UserForm()
    form.directorates.choices = directorate_choices()
    form.organisation.choices = organisation_choices()
    if user and not form.is_submitted():
        form.directorates.data = [d.id for d in user.directorates]
        form.organisation.data = user.organisation_id
    return form


def _user_or_404(user_id: int) -> User:
    user = get_user(user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/users")
@roles("admin")
def users() -> Response:
    return no_store(render_template("admin/users.html", users=all_users()))


@bp.route("/users/new", methods=["GET", "POST"])
@roles("admin")
def new_user() -> Response:
    form = _form()
    if form.validate_on_submit():
        with transaction(form, field="email") as tx:
            directorates, org = scope_for(form.directorates.data or [], form.organisation.data)
            user = create_user(
                form.email.data or "",
                form.role.data or "",
                form.password.data or "",
                Actor.of(current_user),
                name=form.name.data or "",
                directorates=directorates,
                organisation=org,
            )
        if tx.ok:
            flash(f"User {user.email} created", "success")
            return redirect(url_for("admin.users"))
    return no_store(render_template("admin/user_form.html", form=form, user=None))


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles("admin")
def edit_user(user_id: int) -> Response:
    user = _user_or_404(user_id)
    form = _form(user)
    if form.validate_on_submit():
        with transaction(form, field="role") as tx:
            directorates, org = scope_for(form.directorates.data or [], form.organisation.data)
            update_user(
                user,
                Actor.of(current_user),
                email=form.email.data or "",
                name=form.name.data or "",
                role=form.role.data or "",
                directorates=directorates,
                organisation=org,
                password=form.password.data or None,
            )
        if tx.ok:
            flash(f"User {user.email} saved", "success")
            return redirect(url_for("admin.users"))
    return no_store(render_template("admin/user_form.html", form=form, user=user))


def _switch(user_id: int, active: bool) -> Response:
    user = _user_or_404(user_id)
    with transaction(catch=True) as tx:
        set_active(user, active, Actor.of(current_user))
    if tx.error:
        flash(str(tx.error), "error")
    elif active:
        flash(f"{user.email} is switched on: they can sign in again", "success")
    else:
        flash(f"{user.email} is switched off: they are signed out and cannot sign in", "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@roles("admin")
def deactivate_user(user_id: int) -> Response:
    return _switch(user_id, False)


@bp.route("/users/<int:user_id>/activate", methods=["POST"])
@roles("admin")
def activate_user(user_id: int) -> Response:
    return _switch(user_id, True)
