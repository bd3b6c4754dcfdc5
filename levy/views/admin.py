"""Administrators manage users and roles."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from levy.auth import roles
from levy.domain.errors import DomainError
from levy.extensions import db
from levy.forms.account import UserForm
from levy.models import Directorate, Organisation, User
from levy.services.audit import Actor
from levy.services.users import create_user, update_user
from levy.views import nav

bp = Blueprint("admin", __name__, url_prefix="/admin")
nav("Users", "admin.users", order=90)


def _form(user: User | None = None) -> UserForm:
    form = UserForm(obj=user) if user else UserForm()
    directorates = db.session.execute(
        db.select(Directorate).join(Organisation).order_by(Organisation.name, Directorate.name)
    ).scalars()
    form.directorates.choices = [(d.id, d.label) for d in directorates]
    orgs = db.session.execute(db.select(Organisation).order_by(Organisation.name)).scalars()
    form.organisation.choices = [(o.id, o.name) for o in orgs]
    if user and not form.is_submitted():
        form.directorates.data = [d.id for d in user.directorates]
        form.organisation.data = user.organisation_id
    return form


def _scope(form: UserForm) -> tuple[list[Directorate], Organisation | None]:
    ids = form.directorates.data or []
    directorates = (
        list(db.session.execute(db.select(Directorate).where(Directorate.id.in_(ids))).scalars())
        if ids
        else []
    )
    org = db.session.get(Organisation, form.organisation.data) if form.organisation.data else None
    return directorates, org


@bp.route("/users")
@roles("admin")
def users() -> str:
    rows = db.session.execute(db.select(User).order_by(User.role, User.email)).scalars().all()
    return render_template("admin/users.html", users=rows)


@bp.route("/users/new", methods=["GET", "POST"])
@roles("admin")
def new_user() -> str | Response:
    form = _form()
    if form.validate_on_submit():
        directorates, org = _scope(form)
        try:
            user = create_user(
                form.email.data or "",
                form.role.data or "",
                form.password.data or "",
                Actor.of(current_user),
                name=form.name.data or "",
                directorates=directorates,
                organisation=org,
            )
        except DomainError as exc:
            db.session.rollback()
            form.email.errors = [*form.email.errors, str(exc)]
        else:
            db.session.commit()
            flash(f"User {user.email} created", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles("admin")
def edit_user(user_id: int) -> str | Response:
    user = db.get_or_404(User, user_id)
    form = _form(user)
    if form.validate_on_submit():
        directorates, org = _scope(form)
        try:
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
        except DomainError as exc:
            db.session.rollback()
            form.role.errors = [*form.role.errors, str(exc)]
        else:
            db.session.commit()
            flash(f"User {user.email} saved", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user)
