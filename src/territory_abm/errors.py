"""User-facing input errors.

Every problem with a scenario, data file or parameter value raises :class:`InputError`
naming the file, the field and what was expected. The command line turns it into one
line on standard error and exit status 2, without a traceback.
"""

from __future__ import annotations

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

    def describe(self, source: str | None = None) -> str:
        """The problem in one line, naming ``source`` (default: the error's own) as its file."""
        return f"{self.source if source is None else source}: {self.field}: {self.expected}"
