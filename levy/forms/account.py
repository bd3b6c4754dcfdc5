from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovPasswordInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    EmailField,
    PasswordField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import Email, EqualTo, InputRequired, Length, Optional

from levy.forms.fields import LevyForm
from levy.models.user import ROLES


class LoginForm(LevyForm):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[InputRequired("Enter your email address")],
    )
    password = PasswordField(
        "Password", widget=GovPasswordInput(), validators=[InputRequired("Enter your password")]
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class UserForm(LevyForm):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter an email address"),
            Email("Enter an email address in the correct format, like name@example.com"),
        ],
    )
    name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the person's name"), Length(max=200)],
    )
    role = RadioField(
        "Role",
        widget=GovRadioInput(),
        choices=list(ROLES.items()),
        validators=[InputRequired("Select a role")],
    )
    directorates = SelectMultipleField(
        "Directorates (directorate managers only)",
        widget=GovCheckboxesInput(),
        coerce=int,
        choices=[],
        validators=[Optional()],
    )
    organisation = RadioField(
        "Organisation (local businesses only)",
        widget=GovRadioInput(),
        coerce=int,
        choices=[],
        validators=[Optional()],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[Optional(), Length(min=12, message="Password must be 12 characters or more")],
    )
    submit = SubmitField("Save user", widget=GovSubmitInput())


class ChangePasswordForm(LevyForm):
    current_password = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your current password")],
    )
    password = PasswordField(
        "New password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter a new password")],
    )
    password_again = PasswordField(
        "Confirm the new password",
        widget=GovPasswordInput(),
        validators=[
            InputRequired("Confirm the new password"),
            EqualTo("password", message="The two passwords do not match"),
        ],
    )
    submit = SubmitField("Change password", widget=GovSubmitInput())
