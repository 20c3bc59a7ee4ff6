"""User-facing input errors.

Every problem with a scenario, data file or parameter value raises :class:`InputError`
naming the file, the field and what was expected. The command line turns it into one
line on standard error and exit status 2, without a traceback.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path


class InputError(ValueError):
    """A user input (file, field or value) is invalid.

    Parameters
    ----------
    source : str or Path
        The file (or other source such as ``"--seed"``) the problem was found in.
    field : str
        The field, column or key at fault.
    expected : str
        What was expected, in words a user understands.
    """

    def __init__(self, source: str | Path, field: str, expected: str) -> None:
        self.source = str(source)
        self.field = field
        self.expected = expected
        super().__init__(self.describe())

    def __reduce__(self):
        # rebuilt from its parts, so that an error raised in a worker process reaches the parent
        # as itself (the default pickling calls __init__ with the message alone and fails)
        return type(self), (self.source, self.field, self.expected)

    def describe(self, source: str | None = None) -> str:
        """The problem in one line, naming ``source`` (default: the error's own) as its file."""
        return f"{self.source if source is None else source}: {self.field}: {self.expected}"

    @property
    def each(self) -> list[InputError]:
        """Each problem on its own (this one; several for :class:`InputErrors`)."""
        return [self]


class InputErrors(InputError):
    """Several problems found in one reading of a file (all a user would otherwise find one
    run at a time); the first names the source, field and expectation, as a single error does.

    Parameters
    ----------
    errors : list of InputError
        The problems, in the order found.
    """

    def __init__(self, errors: list[InputError]) -> None:
        self.errors = [problem for error in errors for problem in error.each]
        first = self.errors[0]
        super().__init__(first.source, first.field, first.expected)
        self.args = (self.describe(),)

    def __reduce__(self):
        return type(self), (self.errors,)

    def describe(self, source: str | None = None) -> str:
        """One line per problem (``source`` replaces each one's file where given)."""
        return "\n".join(error.describe(source) for error in self.errors)

    @property
    def each(self) -> list[InputError]:
        return list(self.errors)


class ErrorCollector:
    """Collects the input errors of independent checks so that one reading reports them all::

        errors = ErrorCollector()
        with errors.collect():
            check_one()
        with errors.collect():
            check_another()
        errors.raise_any()
    """

    def __init__(self) -> None:
        self.errors: list[InputError] = []

    def add(self, error: InputError) -> None:
        """Keep ``error`` (a problem found without raising it)."""
        self.errors.extend(error.each)

    @contextmanager
    def collect(self):
        """Run the block; an :class:`InputError` it raises is kept rather than raised."""
        try:
            yield
        except InputError as exc:
            self.add(exc)

    def raise_any(self) -> None:
        """Raise what was collected: the one error, or :class:`InputErrors` for several."""
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise InputErrors(self.errors)
