"""Reading TOML input files with errors that name the file."""

from __future__ import annotations

import tomllib
from pathlib import Path

from .errors import InputError
from .suggest import not_found


def read_toml(path: Path, what: str) -> dict:
    """The parsed TOML file at ``path``; ``what`` names the kind of file in errors."""
    if not path.is_file():
        raise InputError(path, "file", not_found(path, f"an existing {what} TOML file"))
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(path, "syntax", f"valid TOML ({exc})") from None
    except UnicodeDecodeError:
        raise InputError(path, "encoding", "UTF-8 text") from None
