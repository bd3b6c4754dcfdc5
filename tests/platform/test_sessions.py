"""Sessions end on sign-out, on a new password and when a user is switched off."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from levy.extensions import db as _db
from levy.models import AuditEvent, User
from tests.factories import PASSWORD, create_user


def _sign_in(client: FlaskClient, email: str, password: str = PASSWORD) -> None:
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)


def _copy_session(source: FlaskClient, target: FlaskClient) -> None:
    cookie = source.get_cookie("session")
    assert cookie is not None
    target.set_cookie("session", cookie.value)


def test_a_cookie_copied_before_sign_out_stops_working(app: Any, client: Any, db: Any) -> None:
    create_user(role="finance", email="fran@example.org")
    _db.session.commit()
    _sign_in(client, "fran@example.org")
    thief = app.test_client()
    _copy_session(client, thief)
    assert thief.get("/").status_code == 200  # the copy works while signed in
    assert client.post("/logout").status_code == 302
    after = thief.get("/")
    assert after.status_code == 302 and "/login" in after.location
    # signing in again gives a new session; the old copy stays dead
    _sign_in(client, "fran@example.org")
    assert client.get("/").status_code == 200
    assert thief.get("/").status_code == 302


def test_changing_your_password_ends_your_other_sessions(app: Any, client: Any, db: Any) -> None:
    user = create_user(role="ld_team", email="lee@example.org")
    _db.session.commit()
    _sign_in(client, "lee@example.org")
    other = app.test_client()
    _sign_in(other, "lee@example.org")
    wrong = client.post(
        "/account/password",
        data={"current_password": "nope", "password": "x" * 3, "password_again": "x" * 3},
    )
    assert wrong.status_code == 400
    assert "Your current password is not correct" in wrong.get_data(as_text=True)
    common = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "password": "password1234",
            "password_again": "password1234",
        },
    )
    assert "most commonly used" in common.get_data(as_text=True)
    changed = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "password": "plum-ferry-lantern",
            "password_again": "plum-ferry-lantern",
        },
    )
    assert changed.status_code == 302
    assert client.get("/").status_code == 200  # this browser carries on
    assert other.get("/").status_code == 302  # every other session has ended
    assert user.check_password("plum-ferry-lantern")


def test_an_admin_setting_a_password_ends_the_users_sessions(
    app: Any, client: Any, login_as: Any
) -> None:
    user = create_user(role="finance", email="fin@example.org", name="Fin")
    _db.session.commit()
    theirs = app.test_client()
    _sign_in(theirs, "fin@example.org")
    login_as("admin")
    response = client.post(
        f"/admin/users/{user.id}",
        data={
            "email": "fin@example.org",
            "name": "Fin",
            "role": "finance",
            "password": "tangerine-harbour-9",
        },
    )
    assert response.status_code == 302
    assert theirs.get("/").status_code == 302


def test_admin_switches_a_user_off_and_on(app: Any, client: Any, login_as: Any) -> None:
    user = create_user(role="ld_team", email="off@example.org")
    _db.session.commit()
    theirs = app.test_client()
    _sign_in(theirs, "off@example.org")
    admin = login_as("admin")
    page = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert "Switch off this user" in page
    assert client.post(f"/admin/users/{user.id}/deactivate").status_code == 302
    assert user.active is False
    assert theirs.get("/").status_code == 302  # signed out at once
    refused = app.test_client().post(
        "/login", data={"email": "off@example.org", "password": PASSWORD}
    )
    assert "switched off" in refused.get_data(as_text=True)
    assert "Switch this user back on" in client.get(f"/admin/users/{user.id}").get_data(
        as_text=True
    )
    # editing the user keeps them switched off
    client.post(
        f"/admin/users/{user.id}",
        data={"email": "off@example.org", "name": "Off", "role": "ld_team"},
    )
    assert user.active is False
    assert client.post(f"/admin/users/{user.id}/activate").status_code == 302
    assert user.active is True
    _sign_in(app.test_client(), "off@example.org")
    rows = _db.session.execute(
        _db.select(AuditEvent.action, AuditEvent.actor_label).where(
            AuditEvent.object_type == "User", AuditEvent.object_id == str(user.id)
        )
    ).all()
    actions = [tuple(row) for row in rows]
    assert ("user.deactivated", admin.email) in actions
    assert ("user.activated", admin.email) in actions
    # an admin cannot lock themselves out
    client.post(f"/admin/users/{admin.id}/deactivate", follow_redirects=True)
    assert admin.active is True


def test_only_admins_switch_users(client: Any, login_as: Any) -> None:
    user = create_user(role="ld_team")
    login_as("finance")
    assert client.post(f"/admin/users/{user.id}/deactivate").status_code == 403
    assert user.active is True


def test_deactivate_and_activate_from_the_command_line(app: Any, runner: Any) -> None:
    user = create_user(role="finance", email="cli@example.org")
    _db.session.commit()
    theirs = app.test_client()
    _sign_in(theirs, "cli@example.org")
    result = runner.invoke(args=["levy", "deactivate-user", "CLI@example.org"])
    assert result.exit_code == 0, result.output
    assert "Switched off cli@example.org" in result.output
    assert _db.session.get(User, user.id).active is False
    assert theirs.get("/").status_code == 302
    result = runner.invoke(args=["levy", "activate-user", "cli@example.org"])
    assert result.exit_code == 0, result.output
    assert _db.session.get(User, user.id).active is True
    events = (
        _db.session.execute(
            _db.select(AuditEvent)
            .where(AuditEvent.action.in_(["user.deactivated", "user.activated"]))
            .order_by(AuditEvent.id)
        )
        .scalars()
        .all()
    )
    assert [e.action for e in events] == ["user.deactivated", "user.activated"]
    assert events[0].actor_label.startswith("cli:")
    missing = runner.invoke(args=["levy", "deactivate-user", "nobody@example.org"])
    assert missing.exit_code == 1
    assert "no user with the email address nobody@example.org" in missing.output
