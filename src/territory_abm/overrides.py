"""Quick-try overrides from the command line (``--samples``, ``--seeds``, ``--steps``,
``--households-scale``) of the fields of a design or calibration file.

The values replace the file's fields before validation, so they are checked exactly like the
file's own; an error about an overridden field names the option, not the file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from .errors import InputError

T = TypeVar("T")


def option_name(field: str) -> str:
    """The command-line option of a file field: ``households_scale`` -> ``--households-scale``."""
    return "--" + field.replace("_", "-")


def check_overridable(overrides: Mapping[str, object] | None, allowed) -> dict:
    """The given (not None) ``overrides``, refusing fields the command line may not override
    (a programming error: the command line offers only ``allowed``)."""
    unknown = set(overrides or {}) - set(allowed)
    if unknown:
        raise ValueError(f"not overridable: {sorted(unknown)}")
    return {k: v for k, v in (overrides or {}).items() if v is not None}


def with_overrides(raw: dict, overrides: Mapping[str, object] | None, load: Callable[[dict], T]) -> T:
    """``load(raw with the overrides)``; an :class:`InputError` about an overridden field is
    re-raised naming the command-line option.

    Parameters
    ----------
    raw : dict
        The file's fields as read.
    overrides : mapping of field -> value, optional
        Values given on the command line; ``None`` values are ignored.
    load : callable
        Validates the fields and returns the loaded object.
    """
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    try:
        return load({**raw, **given})
    except InputError as exc:
        field = exc.field.split(".")[0]
        if field in given:
            raise InputError(option_name(field), field, f"{exc.expected} (given on the command line)") from None
        raise
