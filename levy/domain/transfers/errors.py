"""The transfers area's named exceptions: each message is fit to show to a person."""

from __future__ import annotations

from levy.domain import errors
from levy.domain.errors import DomainError


class TransferError(DomainError):
    """A transfer rule was broken; the message is fit to show to a person."""


class TransitionNotAllowed(errors.TransitionNotAllowed, TransferError):
    """A lifecycle move that the application's state does not allow."""


class AllowanceExceeded(TransferError):
    """An approval would take the year's remaining allowance below zero."""
