"""``TEXT``: a free-text command option checked as the web form's box is (no control,
hidden or XML-illegal characters, a sane length), or exit 2 naming the option."""

from __future__ import annotations

from typing import Any

import click

from levy.domain.fields import FieldError, parse_text


class TextParam(click.ParamType):
    """Text of at most ``max_length`` characters that any download can write."""

    name = "text"

    def __init__(self, max_length: int = 200) -> None:
        self.max_length = max_length

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return parse_text(value, max_length=self.max_length)
        except FieldError as exc:
            self.fail(str(exc), param, ctx)


#: ``@click.option("--name", type=TEXT, ...)``.
TEXT = TextParam()
