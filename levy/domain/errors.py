"""Named exceptions the web layer turns into messages, never into a 500."""


class DomainError(ValueError):
    """A rule said no; ``str(error)`` is a sentence fit to show to the user."""


class TransitionNotAllowed(DomainError):
    """A workflow move that the transition table does not allow."""
