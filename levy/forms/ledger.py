"""Forms for the levy pot screens (issue 4 rules 10-11)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    Field,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from levy.domain.fields import (
    PROGRAMME_DATES,
    FieldError,
    parse_amount,
    parse_int,
    parse_month,
)
from levy.forms.fields import IntegerField, LevyForm, Money


def month_value(field: Field) -> date | None:
    try:
        return parse_month(field.data, within=PROGRAMME_DATES) if field.data else None
    except FieldError:
        return None


def money_value(field: Field) -> Decimal | None:
    try:
        return parse_amount(field.data) if field.data not in (None, "") else None
    except FieldError:
        return None


def check_month(form: Any, field: Field) -> None:
    if field.data:
        try:
            parse_month(field.data, within=PROGRAMME_DATES)
        except FieldError as exc:
            raise ValidationError(str(exc)) from exc


#: A money box of £0 or more (``levy.forms.fields.Money``).
check_money = Money()


FUNDS_IN_SOURCES = [
    ("mean", "The amount above, or the mean of the last 3 months"),
    ("pay_bill", "Levy worked out from the pay bill, where one is imported"),
]


def funds_in_source() -> RadioField:
    return RadioField(
        "Where the forecast's funds in come from",
        widget=GovRadioInput(),
        choices=FUNDS_IN_SOURCES,
        default="mean",
        validators=[Optional()],
    )


def forecast_months() -> IntegerField:
    return IntegerField(
        "Forecast months",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter the number of months to forecast"),
            NumberRange(1, 120, "Enter between 1 and 120 months"),
        ],
    )


class ImportForm(LevyForm):
    file = FileField(
        "Workbook or download",
        widget=GovFileInput(),
        validators=[
            FileRequired("Choose a file to upload"),
            FileAllowed(["xlsx", "csv"], "The file must be an .xlsx workbook or a .csv download"),
        ],
    )
    submit = SubmitField("Check the file", widget=GovSubmitInput())


class ConfirmImportForm(LevyForm):
    token = HiddenField(validators=[InputRequired()])
    submit = SubmitField("Import these transactions", widget=GovSubmitInput())


class WhatIfForm(LevyForm):
    start = StringField(
        "First month of the extra starts",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the first month, like 2021-04"), check_month],
    )
    months = forecast_months()
    # choices are the standards, set by the view; the template draws the select
    standard = SelectField("Standard (optional)", choices=[], validate_choice=False)
    price = StringField(
        "Price of each extra start",
        widget=GovTextInput(),
        validators=[Optional(), check_money],
    )
    duration = IntegerField(
        "Planned duration in months",
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(1, 120, "Enter between 1 and 120 months")],
    )
    funds_in = StringField(
        "Funds in each month (optional)",
        widget=GovTextInput(),
        validators=[Optional(), check_money],
    )
    funds_in_source = funds_in_source()
    submit = SubmitField("Find the number of starts", widget=GovSubmitInput())

    def validate_price(self, field: Field) -> None:
        value = money_value(field)
        if value is not None and value <= 0:
            raise ValidationError("Enter a price of more than £0")


class ScenarioForm(LevyForm):
    start = StringField(
        "Forecast from",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the first forecast month, like 2021-04"), check_month],
    )
    months = forecast_months()
    starts = TextAreaField(
        "Extra starts per month",
        widget=GovTextArea(),
        validators=[Optional()],
        description="One month a line: 2021-04 3",
    )
    price = StringField(
        "Price of each extra start", widget=GovTextInput(), validators=[Optional(), check_money]
    )
    duration = IntegerField(
        "Planned duration in months",
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(1, 120, "Enter between 1 and 120 months")],
    )
    funds_in = StringField(
        "Changed monthly funds in (optional)",
        widget=GovTextInput(),
        validators=[Optional(), check_money],
    )
    pledge = StringField(
        "New pledge: transfer payments each month (optional)",
        widget=GovTextInput(),
        validators=[Optional(), check_money],
    )
    pledge_months = IntegerField(
        "Pledge months",
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(0, 120, "Enter between 0 and 120 months")],
    )
    funds_in_source = funds_in_source()
    submit = SubmitField("Compare with the forecast", widget=GovSubmitInput())

    def parsed_starts(self) -> dict[date, int]:
        out: dict[date, int] = {}
        for line in (self.starts.data or "").splitlines():
            parts = line.replace(",", " ").replace(":", " ").split()
            if not parts:
                continue
            month = parse_month(parts[0])
            out[month] = out.get(month, 0) + int(parts[1])
        return out

    def validate_starts(self, field: Field) -> None:
        for number, line in enumerate((field.data or "").splitlines(), start=1):
            parts = line.replace(",", " ").replace(":", " ").split()
            if not parts:
                continue
            if len(parts) != 2 or not parts[1].isdigit():
                raise ValidationError(
                    f"Line {number}: write a month and a number of starts, like 2021-04 3"
                )
            try:
                parse_month(parts[0], within=PROGRAMME_DATES)
                parse_int(parts[1], label="Starts", minimum=0, maximum=10_000)
            except FieldError as exc:
                raise ValidationError(f"Line {number}: {exc}") from exc
        if self.parsed_starts() and not (self.price.data and self.duration.data):
            raise ValidationError("Enter the price and duration of the extra starts")
