"""The ``--output FILE`` of every command that writes a file (``OUTPUT``).

A file in a folder that does not exist (or a "folder" that is a file) is one line
naming the folder and exit 1, before the command reads the database or works anything
out; never a traceback after the work is done."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click


class OutputPath(click.Path):
    """``click.Path(dir_okay=False)`` whose folder must already exist."""

    name = "file"

    def __init__(self) -> None:
        super().__init__(dir_okay=False)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        path = os.fsdecode(super().convert(value, param, ctx))
        folder = Path(path).parent
        if not folder.is_dir():
            problem = "is not a folder" if folder.exists() else "does not exist"
            raise click.ClickException(  # exit 1 with one line, "Error: ..."
                f"cannot write {path}: the folder {folder} {problem}; "
                "create it first or choose another --output"
            )
        return path


#: ``@click.option("--output", type=OUTPUT, ...)``.
OUTPUT = OutputPath()
