"""Forms of the insight pages (issue 15): the download upload and the commentary."""

from __future__ import annotations

from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSubmitInput, GovTextArea
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length

from levy.forms.fields import LevyForm
from levy.services.insight import MAX_COMMENTARY


class ReconcileForm(LevyForm):
    file = FileField(
        "The apprenticeship service's transaction download",
        widget=GovFileInput(),
        validators=[
            FileRequired("Choose the download to compare"),
            FileAllowed(["xlsx", "csv"], "The file must be the .csv or .xlsx download"),
        ],
    )
    submit = SubmitField("Compare with our records", widget=GovSubmitInput())


class CommentaryForm(LevyForm):
    text = TextAreaField(
        "Commentary for the quarter",
        widget=GovTextArea(),
        validators=[
            Length(
                max=MAX_COMMENTARY,
                message=f"The commentary must be {MAX_COMMENTARY:,} characters or fewer",
            )
        ],
        description="What the figures mean, risks and actions. "
        "Leave a blank line between paragraphs.",
    )
    submit = SubmitField("Save the commentary", widget=GovSubmitInput())
