""""Did you mean ...?" for misspelt names and paths (:func:`difflib.get_close_matches`)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path

CUTOFF = 0.6
"""Similarity (difflib's ratio, 0-1) a known name needs to be suggested."""


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """``" (did you mean 'x'?)"`` naming the known name closest to ``word``, or ``""``: the
    one name ``word`` begins, if only one does (a name cut short: ``migration_stay``), else
    the closest by difflib's ratio."""
    if not isinstance(word, str):
        return ""
    names = [str(k) for k in known]
    begun = [k for k in names if word and k.startswith(word) and k != word]
    close = begun if len(begun) == 1 else difflib.get_close_matches(word, names, n=1, cutoff=CUTOFF)
    return f" (did you mean {close[0]!r}?)" if close else ""


def close_path(path: str | Path) -> Path | None:
    """An existing file or directory whose name is closest to ``path``'s, in the nearest
    existing parent directory (one misspelt component is found); ``None`` if none is close.
    Names of ``path``'s suffix are compared by their stems, so a shared ``.toml`` makes no
    name close."""
    path = Path(path)
    parent = path.parent
    if not parent.is_dir():
        found = close_path(parent)
        if found is None:
            return None
        parent = found
    try:
        names = [p.name for p in parent.iterdir()]
    except OSError:
        return None
    # a name of the same suffix by its stem ("nothere.toml" is not close to "rec.toml" for
    # their common ".toml"), else one of another suffix by its whole name ("baseline.tmol")
    stems = {Path(n).stem: n for n in names if Path(n).suffix == path.suffix}
    close = [stems[s] for s in difflib.get_close_matches(path.stem, stems, n=1, cutoff=CUTOFF)]
    others = [n for n in names if Path(n).suffix != path.suffix]
    close = close or difflib.get_close_matches(path.name, others, n=1, cutoff=CUTOFF)
    return parent / close[0] if close else None


def not_found(path: str | Path, expected: str) -> str:
    """The ``expected`` text of an error about a missing path: "not found", what was
    expected, and the closest existing path if one is close."""
    if Path(path).is_dir():  # it exists: a directory where a file was expected (not "did you mean" itself)
        return f"a directory; expected {expected}"
    close = close_path(path)
    hint = f" (did you mean {str(close)!r}?)" if close is not None and Path(close) != Path(path) else ""
    return f"not found{hint}; expected {expected}"
