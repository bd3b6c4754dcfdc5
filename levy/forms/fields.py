"""WTForms field types and validators built on ``levy.domain.fields``.

Every form in ``levy/forms`` uses these, so the web takes exactly what the
workbook importers and ``flask levy`` options take:

- ``LevyForm``: the base of every form; every text input (nested rows included) is
  checked for control, hidden (bidi) and XML-illegal characters (U+FFFE, U+FFFF, lone
  surrogates) and for a sane length, whatever else it declares.
- ``IntegerField``: a whole number within a database integer (``1e309``, ``NaN``
  and twenty-digit numbers are a message, not a 500).
- ``GovDateField``: the GOV.UK day/month/year input, any number of posted parts,
  within a plausible range for its meaning (``PROGRAMME_DATES`` and so on).
- ``DayField``: a date typed in one box (``2021-03-31``, ``31/03/2021``, ...).
- ``HoursField`` / ``Number``: plain decimals; ``Money``: pounds in the one spelling.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovTextInput
from wtforms import (
    DateField,
    Field,
    FieldList,
    FormField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms import IntegerField as _IntegerField
from wtforms.validators import Length

from levy import clock
from levy.domain.fields import (
    ANY_DATES,
    EVERY_DATE,
    MONEY_MAX,
    DateRange,
    FieldError,
    birth_dates,
    parse_amount,
    parse_day,
    parse_decimal,
    parse_int,
    parse_text,
)

#: The longest text any single box takes when the form declares no shorter ``Length``.
MAX_TEXT = 10_000


def _label(field: Field) -> str:
    return str(field.label.text) if field.label is not None else field.name


def _longest(field: Field) -> int:
    """The most characters ``field`` takes: its own ``Length`` if longer than ``MAX_TEXT``."""
    declared = [v.max for v in field.validators if isinstance(v, Length) and v.max > 0]
    return max([MAX_TEXT, *declared])


def check_text(form: Any, field: Field) -> None:
    """No control, hidden or XML-illegal characters (the message names the field), and at
    most ``MAX_TEXT`` characters (or the field's own longer ``Length``)."""
    if isinstance(field.data, str):
        try:
            parse_text(
                field.data,
                label=_label(field),
                max_length=_longest(field),
                multiline=isinstance(field, TextAreaField),
            )
        except FieldError as exc:
            raise ValidationError(str(exc)) from None


def _text_fields(fields: Iterable[Field], nested: bool = False) -> Iterator[tuple[Field, bool]]:
    """Every text field of a form, with the ones inside a ``FieldList`` or ``FormField``."""
    for field in fields:
        if isinstance(field, FormField):
            yield from _text_fields(field.form, True)
        elif isinstance(field, FieldList):
            yield from _text_fields(field.entries, True)
        elif isinstance(field, StringField) and field.type != "CSRFTokenField":
            yield field, nested


class LevyForm(FlaskForm):
    """``FlaskForm`` whose every text field, nested ones included, also passes
    ``check_text``: no form can forget the character check."""

    def validate(self, extra_validators: dict[str, list[Any]] | None = None) -> bool:
        extra = {name: list(v) for name, v in (extra_validators or {}).items()}
        for field, nested in _text_fields(self._fields.values()):
            if not nested:
                extra.setdefault(field.name, []).append(check_text)
            elif check_text not in field.validators:  # this instance's own list
                field.validators = [*field.validators, check_text]
        return super().validate(extra_validators=extra)


class IntegerField(_IntegerField):
    """A whole number (``12``, ``1,200``) that always fits a database integer."""

    def __init__(
        self, *args: Any, minimum: int | None = None, maximum: int | None = None, **kw: Any
    ):
        super().__init__(*args, **kw)
        self.minimum, self.maximum = minimum, maximum

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = None
        if not valuelist or not str(valuelist[0]).strip():
            return
        try:
            self.data = parse_int(valuelist[0], minimum=self.minimum, maximum=self.maximum)
        except FieldError as exc:
            raise ValueError(f"{_label(self)}: {exc}") from None


class GovDateField(DateField):
    """A GOV.UK day/month/year date within ``within``. Posts with fewer or more than three
    parts, text, or a date out of range give a message naming the field (never a 500)."""

    widget = GovDateInput()
    raw_data: list[str] | None

    def __init__(
        self, *args: Any, within: DateRange | Callable[[], DateRange] = ANY_DATES, **kw: Any
    ) -> None:
        kw.setdefault("format", "%d %m %Y")
        super().__init__(*args, **kw)
        self.within = within

    def process(self, formdata: Any, data: Any = None, extra_filters: Any = None) -> None:
        super().process(formdata, data, extra_filters)
        if self.raw_data is not None and len(self.raw_data) != 3:
            self.raw_data = [*self.raw_data, "", "", ""][:3]

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = None
        parts = [str(v).strip() for v in valuelist]
        if not any(parts):
            return
        example = "like 31 3 2021"
        if len(parts) != 3 or not all(p.isdigit() and len(p) <= 4 for p in parts):
            raise ValueError(f"Enter the {_label(self).lower()} as a real date, {example}")
        within = self.within() if callable(self.within) else self.within
        try:
            day = parse_day(" ".join(parts), within=EVERY_DATE)
        except FieldError:  # 31 2 2021: three numbers, but no such day
            raise ValueError(
                f"Enter the {_label(self).lower()} as a real date, {example}"
            ) from None
        try:
            self.data = within.check(day, _label(self))
        except FieldError as exc:
            raise ValueError(str(exc)) from None


def born() -> DateRange:
    """A date of birth in the last 100 years, from the service's today."""
    return birth_dates(clock.today())


class DayField(StringField):
    """A date typed in one box: ``2021-03-31``, ``31/03/2021``, ``31 March 2021``, within
    ``within`` (or a range worked out when the form is checked, like a date of birth)."""

    widget = GovTextInput()

    def __init__(
        self,
        *args: Any,
        within: DateRange | Callable[[], DateRange] = ANY_DATES,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.within = within

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = str(valuelist[0]).strip() if valuelist else ""
        self.data = None
        if not text:
            return
        within = self.within() if callable(self.within) else self.within
        try:
            self.data = parse_day(text, label=_label(self), within=within)
        except FieldError as exc:
            raise ValueError(str(exc)) from None

    def _value(self) -> str:
        if isinstance(self.data, date):
            return self.data.isoformat()
        return self.raw_data[0] if self.raw_data else ""


class HoursField(StringField):
    """Hours to two decimal places, like 1 or 37.5."""

    widget = GovTextInput()

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = str(valuelist[0]).strip() if valuelist else ""
        self.data = None
        if not text:
            return
        try:
            self.data = parse_decimal(text, label=_label(self), maximum=Decimal(100_000))
        except FieldError as exc:
            raise ValueError(str(exc)) from None

    def _value(self) -> str:
        if isinstance(self.data, Decimal):
            return f"{self.data.normalize():f}"
        return self.raw_data[0] if self.raw_data else ""


class Money:
    """Validator: the text is pounds in the one accepted spelling, within a range.
    The amount is left on ``field.amount``."""

    def __init__(
        self,
        minimum: Decimal | None = Decimal(0),
        maximum: Decimal = MONEY_MAX,
        allow_zero: bool = True,
    ) -> None:
        self.minimum, self.maximum, self.allow_zero = minimum, maximum, allow_zero

    def __call__(self, form: Any, field: Field) -> None:
        field.amount = None
        if field.data in (None, ""):
            return
        try:
            field.amount = parse_amount(
                field.data,
                label=_label(field),
                minimum=self.minimum,
                maximum=self.maximum,
                allow_zero=self.allow_zero,
            )
        except FieldError as exc:
            raise ValidationError(str(exc)) from None


class Number:
    """Validator: a plain decimal (like a percentage, ``25`` or ``25%``) within a range."""

    def __init__(self, minimum: Decimal, maximum: Decimal, places: int = 2, example: str = "25"):
        self.minimum, self.maximum, self.places, self.example = minimum, maximum, places, example

    def __call__(self, form: Any, field: Field) -> None:
        if field.data in (None, ""):
            return
        try:
            parse_decimal(
                field.data,
                label=_label(field),
                minimum=self.minimum,
                maximum=self.maximum,
                places=self.places,
                example=self.example,
            )
        except FieldError as exc:
            raise ValidationError(str(exc)) from None
