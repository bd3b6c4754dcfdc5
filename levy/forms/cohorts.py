"""Apprentice add/edit, status move, upload, screening and quota method forms."""

from __future__ import annotations

from typing import Any

from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovDateInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from levy.domain.fields import ANY_DATES, PROGRAMME_DATES, FieldError, parse_amount
from levy.domain.quotas import QuotaMethod
from levy.domain.screening import ScreeningOutcome
from levy.forms.fields import GovDateField, IntegerField, LevyForm, born


def _date(
    label: str, required: bool = True, hint: str = "", within: Any = PROGRAMME_DATES
) -> GovDateField:
    validators: list[Any] = (
        [InputRequired(f"Enter the {label.lower()} as a real date, like 31 3 2021")]
        if required
        else [Optional()]
    )
    return GovDateField(
        label, widget=GovDateInput(), within=within, validators=validators, description=hint
    )


class ApprenticeForm(LevyForm):
    reference = StringField(
        "Reference",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the reference"), Length(max=30)],
    )
    first_name = StringField(
        "First name",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the first name"), Length(max=100)],
    )
    last_name = StringField(
        "Last name",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the last name"), Length(max=100)],
    )
    date_of_birth = _date("Date of birth", hint="For example, 27 3 2003", within=born)
    uln = StringField(
        "ULN (optional)",
        widget=GovTextInput(),
        filters=[lambda v: (v or "").replace(" ", "") or None],
        validators=[
            Optional(),
            Regexp(r"^\d{10}$", message="Enter the ULN as 10 digits, like 1234567890"),
        ],
        description="The unique learner number: 10 digits, from the provider",
    )
    directorate_id = SelectField(
        "Organisation and directorate",
        widget=GovSelect(),
        coerce=int,
        validators=[InputRequired("Select the directorate")],
    )
    manager = StringField(
        "Manager", widget=GovTextInput(), validators=[Optional(), Length(max=200)]
    )
    job_title = StringField(
        "Job title", widget=GovTextInput(), validators=[Optional(), Length(max=200)]
    )
    standard_id = SelectField(
        "Standard",
        widget=GovSelect(),
        coerce=int,
        validators=[InputRequired("Select the standard")],
    )
    provider_id = SelectField(
        "Provider",
        widget=GovSelect(),
        coerce=int,
        validators=[InputRequired("Select the provider")],
    )
    agreed_price = StringField(
        "Agreed price",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the agreed price")],
        description="In pounds, like 5000 or £5,000.00",
    )
    employment_start = _date("Employment start", required=False, within=ANY_DATES)
    start = _date("Start date", hint="The actual start; for a future start, the planned one")
    planned_end = _date("Planned end date")
    left_employment_on = _date(
        "Left employment on",
        required=False,
        hint="Only if the apprentice has left the organisation's employment",
        within=ANY_DATES,
    )
    new_hire = BooleanField(
        "Recruited as a new hire for the apprenticeship", widget=GovCheckboxInput()
    )
    care_leaver = BooleanField(
        "Care leaver (consent to tell the employer recorded)", widget=GovCheckboxInput()
    )
    ehc_plan = BooleanField("Has an education, health and care plan", widget=GovCheckboxInput())
    weekly_hours = IntegerField(
        "Contracted hours a week",
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(1, 48)],
    )
    otj_hours_planned = IntegerField(
        "Off-the-job hours planned",
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(0, 5000)],
    )
    otj_hours_logged = IntegerField(
        "Off-the-job hours logged",
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(0, 5000)],
    )
    submit = SubmitField("Save apprentice", widget=GovSubmitInput())

    def validate_agreed_price(self, field: StringField) -> None:
        try:
            value = parse_amount(field.data, minimum=None)
        except FieldError as exc:
            raise ValidationError(str(exc)) from exc
        if value <= 0:
            raise ValidationError("Enter an agreed price more than £0")
        self.price = value

    def _chosen(self, field: SelectField) -> None:
        if not field.data:  # 0 is the "Choose…" line
            raise ValidationError(f"Select the {field.label.text.lower()}")

    validate_directorate_id = validate_standard_id = validate_provider_id = _chosen


class StatusForm(LevyForm):
    status = RadioField(
        "New status",
        widget=GovRadioInput(),
        choices=[],
        validators=[InputRequired("Select the new status")],
    )
    on = _date("Date of the change")
    reason = TextAreaField(
        "Reason",
        widget=GovTextArea(),
        validators=[InputRequired("Give a reason for the change"), Length(max=2000)],
    )
    submit = SubmitField("Change status", widget=GovSubmitInput())


class UploadForm(LevyForm):
    workbook = FileField(
        "Apprentices workbook (.xlsx)",
        widget=GovFileInput(),
        validators=[
            FileRequired("Choose the workbook to import"),
            FileAllowed(["xlsx"], "The file must be an Excel workbook (.xlsx)"),
        ],
    )
    submit = SubmitField("Check the workbook", widget=GovSubmitInput())


class ConfirmImportForm(LevyForm):
    token = StringField(validators=[InputRequired()])
    submit = SubmitField("Import these apprentices", widget=GovSubmitInput())


class ScreeningForm(LevyForm):
    directorate_id = SelectField(
        "Directorate",
        widget=GovSelect(),
        coerce=int,
        validators=[InputRequired("Select the directorate")],
    )
    job_title = StringField(
        "Job title",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the job title"), Length(max=200)],
    )
    received_on = _date("Date received")
    social_worker = BooleanField(
        "This is a social worker post (not screened)", widget=GovCheckboxInput()
    )
    outcome = RadioField(
        "Screening outcome",
        widget=GovRadioInput(),
        choices=[(o.value, o.label) for o in ScreeningOutcome],
        validators=[InputRequired("Select the screening outcome")],
    )
    reason = TextAreaField(
        "Reason (needed for neither)",
        widget=GovTextArea(),
        validators=[Length(max=2000)],
    )
    submit = SubmitField("Log the request", widget=GovSubmitInput())

    def validate_reason(self, field: TextAreaField) -> None:
        if self.outcome.data == ScreeningOutcome.NEITHER.value and not (field.data or "").strip():
            raise ValidationError("Give the reason the post is neither")


class QuotaMethodForm(LevyForm):
    method = RadioField(
        "How to share the council's target",
        widget=GovRadioInput(),
        choices=[
            (QuotaMethod.HEADCOUNT.value, "2.3% of each directorate's headcount"),
            (
                QuotaMethod.PAY_BILL.value,
                "The council's target × each directorate's share of the pay bill",
            ),
        ],
        validators=[InputRequired("Select a method")],
    )
    submit = SubmitField("Save method", widget=GovSubmitInput())
