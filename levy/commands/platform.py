"""Platform commands: users, directorates, demo data."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click
from flask import current_app

from levy.cli import import_group, levy_group, run_import
from levy.commands.text import TEXT
from levy.domain.accounts import ROLES, Actor
from levy.transaction import transaction

if TYPE_CHECKING:
    from levy.models import Directorate

from levy import demo, mail
from levy.extensions import db
from levy.importers import directorates as directorate_workbook
from levy.services import organisations, users


@levy_group.command("create-user")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(list(ROLES)), help="The user's role.")
@click.option(
    "--directorate",
    "directorates",
    multiple=True,
    help="A directorate the manager may see (repeat for more); "
    "'Organisation: Directorate' when the name is not unique.",
)
@click.option("--organisation", help="The business an employer user belongs to.")
@click.option("--name", default="", type=TEXT, help="The person's name.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user_command(
    email: str,
    role: str,
    directorates: tuple[str, ...],
    organisation: str | None,
    name: str,
    password_stdin: bool,
) -> None:
    """Create a user who can sign in."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    scope: list[Directorate] = []
    for text in directorates:
        found = _directorate(text)
        if found is None:
            raise click.BadParameter(f"no directorate called '{text}'", param_hint="--directorate")
        scope.append(found)
    org = None
    if organisation:
        org = organisations.find_organisation(organisation)
        if org is None:
            raise click.BadParameter(
                f"no organisation called '{organisation}'", param_hint="--organisation"
            )
    with transaction(catch=True) as tx:
        user = users.create_user(
            email, role, password, Actor.cli(), name=name, directorates=scope, organisation=org
        )
    if tx.error:
        click.echo(f"Error: {tx.error}", err=True)
        sys.exit(1)
    click.echo(f"Created {user.email} ({user.role_label})")


def _switch(email: str, active: bool) -> None:
    user = users.find_user(email)
    if user is None:
        click.echo(f"Error: there is no user with the email address {email.strip()}", err=True)
        sys.exit(1)
    with transaction(catch=True) as tx:
        users.set_active(user, active, Actor.cli())
    if tx.error:
        click.echo(f"Error: {tx.error}", err=True)
        sys.exit(1)
    if active:
        click.echo(f"Switched on {user.email}: they can sign in again")
    else:
        click.echo(f"Switched off {user.email}: signed out everywhere, cannot sign in")


@levy_group.command("deactivate-user")
@click.argument("email")
def deactivate_user_command(email: str) -> None:
    """Switch a user off: every session ends and they cannot sign in (audited)."""
    _switch(email, False)


@levy_group.command("activate-user")
@click.argument("email")
def activate_user_command(email: str) -> None:
    """Switch a user back on (audited)."""
    _switch(email, True)


@levy_group.command("send-mail")
def send_mail_command() -> None:
    """Send every outbox message not sent yet (needs MAIL_SERVER)."""
    if not current_app.config.get("MAIL_SERVER"):
        click.echo("Error: MAIL_SERVER is not set, so no message can be sent", err=True)
        sys.exit(1)
    ids = mail.unsent_ids()
    db.session.rollback()  # no transaction is open while the mail server is talking
    sent = sum(mail.deliver(message_id) for message_id in ids)
    click.echo(f"Sent {sent} of {len(ids)} unsent messages")
    if sent < len(ids):
        sys.exit(1)


def _directorate(text: str) -> Directorate | None:
    if ":" in text:
        org_name, name = (part.strip() for part in text.split(":", 1))
        org = organisations.find_organisation(org_name)
        return organisations.find_directorate(org, name) if org else None
    matches = organisations.directorates_called(text)
    return matches[0] if len(matches) == 1 else None


@import_group.command("directorates")
@click.argument("path", type=click.Path(dir_okay=False))
def import_directorates_command(path: str) -> None:
    """Organisations, directorates, headcount and pay bill by financial year."""
    summary = run_import(
        directorate_workbook.read,
        lambda parsed: organisations.import_directorates(parsed[0], parsed[1], Actor.cli()),
        path,
    )
    click.echo(f"Imported directorates: {summary}")


@levy_group.command("seed-demo")
def seed_demo_command() -> None:
    """Load the demo workbooks in imports/demo/ and the demo users (safe to run twice)."""
    for line in demo.seed_demo(Actor.cli()):
        click.echo(line)
