"""Forms for young people, placements, follow-ups, vacancies and applicants."""

from __future__ import annotations

from typing import Any

from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from levy.domain import placements as rules
from levy.domain.fields import PROGRAMME_DATES
from levy.forms.fields import DayField, GovDateField, HoursField, LevyForm, born

DATE_HINT = "For example, 2021-03-31"
GOV_DATE_HINT = "For example, 31 3 2021"


def _text(label: str, required: str | None = None, length: int = 200) -> StringField:
    validators: list[Any] = [InputRequired(required)] if required else [Optional()]
    return StringField(label, widget=GovTextInput(), validators=[*validators, Length(max=length)])


def _day(label: str, required: str | None = None, within: Any = PROGRAMME_DATES) -> DayField:
    return DayField(
        label,
        within=within,
        validators=[InputRequired(required)] if required else [Optional()],
    )


def _gov_day(label: str, required: str | None = None) -> GovDateField:
    """A GOV.UK day/month/year date within the programme range."""
    return GovDateField(
        label,
        widget=GovDateInput(),
        within=PROGRAMME_DATES,
        validators=[InputRequired(required)] if required else [Optional()],
    )


class YoungPersonForm(LevyForm):
    reference = _text("Reference", "Enter a reference, like YP-023", 30)
    first_name = _text("First name", "Enter the first name", 100)
    last_name = _text("Last name", "Enter the last name", 100)
    date_of_birth = _day("Date of birth", "Enter the date of birth", born)
    care_status = RadioField(
        "Care status",
        widget=GovRadioInput(),
        choices=[(s, s.capitalize()) for s in rules.CARE_STATUSES],
        validators=[InputRequired("Select the care status")],
    )
    personal_adviser = _text("Personal adviser")
    adviser_contact = _text("Personal adviser's contact (email or phone)")
    consent_hosts_on = _day("Consent to share with hosts given on")
    consent_employer_on = _day("Consent to share with the employer given on")
    support_needs = TextAreaField("Support needs", widget=GovTextArea(), validators=[Optional()])
    submit = SubmitField("Save", widget=GovSubmitInput())


class PlacementForm(LevyForm):
    reference = _text("Placement reference", "Enter a reference, like PL-029", 30)
    # Either a council directorate or an outside host: both start unset, and the check
    # below names which to fill (the service checks a host against the directorate's).
    directorate_id = SelectField(
        "Council directorate", widget=GovSelect(), coerce=int, choices=[], validators=[Optional()]
    )
    host_organisation = _text("Outside host organisation")
    service = _text("Service or team")
    supervisor = _text("Supervisor")
    type = RadioField(
        "Type",
        widget=GovRadioInput(),
        choices=[
            (t.name, f"{t.name.capitalize()}: {t.limit_text}")
            for t in rules.PLACEMENT_TYPES.values()
        ],
        validators=[InputRequired("Select the type of placement")],
    )
    planned_start = _gov_day("Planned start", "Enter the planned start date")
    planned_end = _gov_day("Planned end", "Enter the planned end date")
    planned_hours = HoursField("Planned hours in total", validators=[Optional()])
    actual_start = _gov_day("Actual start")
    actual_end = _gov_day("Actual end")
    actual_hours = HoursField("Actual hours in total", validators=[Optional()])
    paid = RadioField(
        "Paid or unpaid",
        widget=GovRadioInput(),
        choices=[("no", "Unpaid"), ("yes", "Paid")],
        validators=[InputRequired("Select paid or unpaid")],
    )
    pay_reason = TextAreaField(
        "Why it is paid or unpaid", widget=GovTextArea(), validators=[Optional()]
    )
    risk_assessed_on = _gov_day("Risk assessment done on")
    risk_assessed_by = _text("Risk assessment done by")
    outcome = SelectField(
        "Outcome",
        widget=GovSelect(),
        choices=[("", "Not known yet"), *[(o, o.capitalize()) for o in rules.OUTCOMES]],
        validators=[Optional()],
    )
    feedback_young_person = TextAreaField(
        "Feedback from the young person", widget=GovTextArea(), validators=[Optional()]
    )
    feedback_host = TextAreaField(
        "Feedback from the host", widget=GovTextArea(), validators=[Optional()]
    )
    submit = SubmitField("Save placement", widget=GovSubmitInput())

    def validate(self, extra_validators: dict[str, list[Any]] | None = None) -> bool:
        ok = super().validate(extra_validators)
        if not self.directorate_id.data and not (self.host_organisation.data or "").strip():
            self.directorate_id.errors = [
                *self.directorate_id.errors,
                "Choose the council directorate, or enter the outside host organisation",
            ]
            return False
        return ok


class FollowUpForm(LevyForm):
    months = RadioField(
        "Follow-up",
        widget=GovRadioInput(),
        coerce=int,
        choices=[(m, f"{m} months after the placement") for m in rules.FOLLOW_UP_MONTHS],
        validators=[InputRequired("Select the 3- or 6-month follow-up")],
    )
    recorded_on = _gov_day("Followed up on", "Enter the date of the follow-up")
    progression = RadioField(
        "Progression",
        widget=GovRadioInput(),
        choices=[(p, p.capitalize()) for p in rules.PROGRESSIONS],
        validators=[InputRequired("Select the progression")],
    )
    apprentice_reference = _text("Apprentice reference (for an apprenticeship)", None, 30)
    note = TextAreaField("Note", widget=GovTextArea(), validators=[Optional()])
    submit = SubmitField("Record the follow-up", widget=GovSubmitInput())


class VacancyForm(LevyForm):
    reference = _text("Vacancy reference", "Enter a reference, like VAC-007", 30)
    title = _text("Job title", "Enter the job title")
    directorate_id = SelectField(
        "Directorate", widget=GovSelect(), coerce=int, choices=[], validators=[Optional()]
    )
    shared_on = _day("Shared with the care leavers team on", "Enter the date it was shared")
    closing_on = _day("Closing date")
    minimum_criteria = TextAreaField(
        "Minimum criteria", widget=GovTextArea(), validators=[Optional()]
    )
    apprenticeship = RadioField(
        "An apprenticeship?",
        widget=GovRadioInput(),
        choices=[("no", "No"), ("yes", "Yes")],
        default="no",
        validators=[Optional()],
    )
    submit = SubmitField("Save vacancy", widget=GovSubmitInput())


class ApplicantForm(LevyForm):
    young_person_id = SelectField(
        "Care leaver",
        widget=GovSelect(),
        coerce=int,
        choices=[],
        validators=[InputRequired("Select the care leaver")],
    )
    applied_on = _day("Applied on", "Enter the date of the application")
    met_minimum_criteria = RadioField(
        "Met the minimum criteria?",
        widget=GovRadioInput(),
        choices=[
            ("", "Not assessed yet"),
            ("yes", "Yes: an interview is guaranteed"),
            ("no", "No"),
        ],
        default="",
        validators=[Optional()],
    )
    interview_on = _day("Interview held on")
    interview_declined = RadioField(
        "Did the care leaver decline the interview?",
        widget=GovRadioInput(),
        choices=[("no", "No"), ("yes", "Yes")],
        default="no",
        validators=[Optional()],
    )
    outcome = _text("Outcome")
    submit = SubmitField("Save applicant", widget=GovSubmitInput())
