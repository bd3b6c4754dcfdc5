"""Forms for levy transfers: registration, application, officer decisions, policy."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovDateInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    EmailField,
    FieldList,
    Form,
    FormField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    Email,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from levy.domain import transfers as dom
from levy.domain.fields import TRANSFER_DATES, parse_day
from levy.forms.fields import GovDateField, IntegerField, LevyForm, Money, Number

YES_NO = [("yes", "Yes"), ("no", "No")]
DATE_FORMAT = "%d %m %Y"


def yes(value: Any) -> bool:
    return value == "yes"


def _yes_no(label: str, message: str) -> RadioField:
    return RadioField(
        label, widget=GovRadioInput(), choices=YES_NO, validators=[InputRequired(message)]
    )


class RegistrationForm(LevyForm):
    contact_name = StringField(
        "Your full name",
        widget=GovTextInput(),
        validators=[InputRequired("Enter your full name"), Length(max=200)],
    )
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter your email address"),
            Email("Enter an email address in the correct format, like name@example.com"),
        ],
    )
    password = PasswordField(
        "Create a password",
        widget=GovPasswordInput(),
        validators=[
            InputRequired("Create a password"),
            Length(min=12, message="The password must be 12 characters or more"),
        ],
    )
    password_again = PasswordField(
        "Confirm the password",
        widget=GovPasswordInput(),
        validators=[
            InputRequired("Confirm the password"),
            EqualTo("password", "The passwords do not match"),
        ],
    )
    legal_name = StringField(
        "Organisation's legal name",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the organisation's legal name"), Length(max=200)],
    )
    company_number = StringField(
        "Companies House number", widget=GovTextInput(), validators=[Optional(), Length(max=20)]
    )
    charity_number = StringField(
        "Charity number", widget=GovTextInput(), validators=[Optional(), Length(max=20)]
    )
    address = TextAreaField(
        "Address",
        widget=GovTextArea(),
        validators=[InputRequired("Enter the address"), Length(max=500)],
    )
    postcode = StringField(
        "Postcode",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter the postcode"),
            Length(max=20, message="Enter a UK postcode, like WR5 2NP"),
        ],
    )
    employees = IntegerField(
        "Number of employees",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter the number of employees, like 12"),
            NumberRange(min=1, message="Enter the number of employees, 1 or more"),
        ],
    )
    pays_levy = _yes_no(
        "Does the organisation pay the apprenticeship levy?",
        "Select whether the organisation pays the levy",
    )
    is_vcse = _yes_no(
        "Is it a voluntary, community or social enterprise organisation?",
        "Select whether it is a voluntary, community or social enterprise",
    )
    sector = SelectField(
        "Sector", widget=GovSelect(), validators=[InputRequired("Select the sector")]
    )
    pays_rates_in_county = _yes_no(
        "Does it pay business rates or council tax in Worcestershire?",
        "Select whether it pays business rates or council tax in Worcestershire",
    )
    serves_county_residents = _yes_no(
        "Does it serve Worcestershire residents?",
        "Select whether it serves Worcestershire residents",
    )
    submit = SubmitField("Register", widget=GovSubmitInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sector.choices = [("", "Choose a sector")] + [
            (s, s) for s in (*dom.DEFAULT_GROWTH_SECTORS, "Retail", "Other")
        ]

    def validate_postcode(self, field: StringField) -> None:
        try:
            dom.normalise_postcode(field.data or "")
        except dom.PostcodeError as exc:
            raise ValidationError(str(exc)) from exc

    def validate_charity_number(self, field: StringField) -> None:
        if not (self.company_number.data or "").strip() and not (field.data or "").strip():
            raise ValidationError("Enter a Companies House number or a charity number")


class ApplicationForm(LevyForm):
    standard = SelectField(
        "Apprenticeship standard",
        widget=GovSelect(),
        coerce=int,
        validators=[InputRequired("Select the apprenticeship standard")],
    )
    apprentices = IntegerField(
        "Number of apprentices",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter the number of apprentices, like 2"),
            NumberRange(min=1, max=50, message="Enter a number of apprentices from 1 to 50"),
        ],
    )
    planned_start = GovDateField(
        "Planned start date",
        widget=GovDateInput(),
        within=TRANSFER_DATES,
        validators=[InputRequired("Enter the planned start date")],
    )
    new_start = _yes_no(
        "Will they be new apprentices (not already on an apprenticeship)?",
        "Select whether the apprentices will be new starts",
    )
    provider_name = StringField(
        "Training provider",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the training provider"), Length(max=200)],
    )
    provider_in_county = _yes_no(
        "Is the training provider based in Worcestershire?",
        "Select whether the provider is based in Worcestershire",
    )
    target_groups = SelectMultipleField(
        "Who are the roles open to?",
        widget=GovCheckboxesInput(),
        choices=list(dom.TARGET_GROUPS.items()),
        validators=[Optional()],
    )
    social_value = TextAreaField(
        "How do these roles add social value?",
        widget=GovCharacterCount(),
        validators=[InputRequired("Say how the roles add social value")],
    )
    contact_name = StringField(
        "Contact name",
        widget=GovTextInput(),
        validators=[InputRequired("Enter a contact name"), Length(max=200)],
    )
    contact_email = EmailField(
        "Contact email",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter a contact email address"),
            Email("Enter an email address in the correct format, like name@example.com"),
        ],
    )
    contact_phone = StringField(
        "Contact telephone (optional)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=40)],
    )
    submit = SubmitField("Save and continue", widget=GovSubmitInput())

    def validate_social_value(self, field: TextAreaField) -> None:
        words = dom.word_count(field.data or "")
        if words > dom.SOCIAL_VALUE_MAX_WORDS:
            raise ValidationError(
                f"Social value must be {dom.SOCIAL_VALUE_MAX_WORDS} words or "
                f"fewer (you have {words})"
            )


class ConfirmForm(LevyForm):
    """A button that does one thing (submit, accept, withdraw, approve)."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())


class TextForm(LevyForm):
    text = TextAreaField(
        "Details",
        widget=GovTextArea(),
        validators=[InputRequired("Enter the details"), Length(max=5000)],
    )
    submit = SubmitField("Send", widget=GovSubmitInput())


class ApprenticesForm(LevyForm):
    count = IntegerField(
        "Apprentices taken on",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter the number of apprentices taken on"),
            NumberRange(min=1, message="Enter 1 or more"),
        ],
    )
    start = GovDateField(
        "Start date",
        widget=GovDateInput(),
        within=TRANSFER_DATES,
        validators=[InputRequired("Enter the start date")],
    )
    submit = SubmitField("Record apprentices", widget=GovSubmitInput())


class LocalShareForm(LevyForm):
    percent = StringField(
        "Local share (%)",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter the local share, like 25"),
            Number(Decimal(0), Decimal(100), example="25"),
        ],
    )
    submit = SubmitField("Save local share", widget=GovSubmitInput())


class DistrictForm(LevyForm):
    district = SelectField(
        "District",
        widget=GovSelect(),
        choices=[("", "Outside the county")] + [(d, d) for d in dom.COUNTY_DISTRICTS],
        validators=[Optional()],
    )
    reason = TextAreaField(
        "Reason", widget=GovTextArea(), validators=[InputRequired("Give a reason for the change")]
    )
    submit = SubmitField("Change district", widget=GovSubmitInput())


class PolicyForm(LevyForm):
    max_employees = IntegerField(
        "Employee limit (applicants must have fewer)",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the employee limit, like 250"), NumberRange(min=1)],
    )
    max_applications_per_year = IntegerField(
        "Applications per organisation per year (blank: no limit)",
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(min=1)],
    )
    max_amount_per_year = StringField(
        "Amount per organisation per year in pounds (blank: no limit)",
        widget=GovTextInput(),
        validators=[Optional(), Money()],
    )
    refuse_all_levy_payers = _yes_no(
        "Refuse every levy payer (not only those that send transfers)?",
        "Select whether every levy payer is refused",
    )
    alternatives = SelectMultipleField(
        "Local criteria that are alternatives (any one is enough; the others must all hold)",
        widget=GovCheckboxesInput(),
        choices=list(dom.LOCAL_CRITERIA.items()),
        validators=[Optional()],
    )
    growth_sectors = TextAreaField(
        "Growth sectors (one a line)",
        widget=GovTextArea(),
        validators=[InputRequired("List at least one growth sector")],
    )
    windows = TextAreaField(
        "Application windows (one a line, like 2021-04-01 to 2021-06-30; blank: open all year)",
        widget=GovTextArea(),
        validators=[Optional()],
    )
    submit = SubmitField("Save the local rules", widget=GovSubmitInput())

    def validate_windows(self, field: TextAreaField) -> None:
        try:
            parse_windows(field.data or "")
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc


def parse_windows(text: str) -> list[tuple[date, date]]:
    """``2021-04-01 to 2021-06-30``, one a line."""
    windows = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace("–", " to ").split(" to ")]
        try:
            if len(parts) != 2:
                raise ValueError(line)
            opens, closes = (parse_day(p, within=TRANSFER_DATES) for p in parts)
        except ValueError as exc:
            raise ValueError(
                f"'{line.strip()}' is not a window: write it like 2021-04-01 to 2021-06-30"
            ) from exc
        windows.append((opens, closes))
    return windows


class StartRowForm(Form):
    """One apprentice who started (a row of ``StartsForm``; a blank row is ignored)."""

    name = StringField("Full name", widget=GovTextInput(), validators=[Optional(), Length(max=200)])
    start = GovDateField("Start date", within=TRANSFER_DATES, validators=[Optional()])
    uln = StringField(
        "Unique learner number (ULN), if you know it",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=20)],
    )

    def validate_uln(self, field: StringField) -> None:
        uln = dom.clean_uln(field.data or "")
        if uln and (len(uln) != 10 or not uln.isdigit()):
            raise ValidationError(
                "The ULN must be 10 digits, like 1234567890, or leave it blank if you do not "
                "know it yet"
            )


class StartsForm(LevyForm):
    """The apprentices a business reports as started: one row per funded apprentice."""

    starts = FieldList(FormField(StartRowForm), min_entries=1, max_entries=50)
    submit = SubmitField("Report the starts", widget=GovSubmitInput())
