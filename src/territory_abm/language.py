"""The language the adviser report (text, tables, charts, maps) is written in: English (the
source text) or Spanish.

A generated sentence is written in both languages where it is made, as two templates side by
side (:func:`say`: ``say("{scenario} raises the {label}", "{scenario} aumenta {label}",
scenario=..., label=...)``), so that a change to one is seen beside the other. The report's
fixed paragraphs and headings (:mod:`.report.text`) have their Spanish in ``text.SPANISH``, keyed by
the English (as gettext keys a catalogue by its source text); :func:`tr` looks them up.
Outcome labels come from the outcome registry (``Outcome.label_in``, :func:`label`), the
names of types, groups and typology verdicts from ``outcomes.LABELS_ES`` and the dashboard's
Spanish types (:func:`word`).

The language is in force for a block of code (:func:`speaking`): ``report`` sets it once, for
building the content, drawing the charts and laying out both documents, so that the many
functions between them need no language argument; numbers follow it as well
(:func:`.report.numbers.rounded` writes them as the dashboard does, ``dashboard.text.written``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

LANGUAGES = ("en", "es")
"""The languages the report is written in (``--language``), English first (the default)."""

_CURRENT: ContextVar[str] = ContextVar("report_language", default="en")


def current() -> str:
    """The language in force (``"en"`` outside :func:`speaking`)."""
    return _CURRENT.get()


def spanish() -> bool:
    """True where the report is being written in Spanish."""
    return _CURRENT.get() == "es"


@contextmanager
def speaking(language: str) -> Iterator[str]:
    """Write the report's text and numbers in ``language`` (one of :data:`LANGUAGES`) within
    the block; the language before it comes back after."""
    if language not in LANGUAGES:
        raise ValueError(f"language {language!r}: one of {', '.join(LANGUAGES)}")
    token = _CURRENT.set(language)
    try:
        yield language
    finally:
        _CURRENT.reset(token)


def say(en: str, es: str, /, **fields) -> str:
    """The template of the language in force (``en`` or ``es``) with ``fields`` filled in
    (``str.format``; without fields the template as it is)."""
    template = es if spanish() else en
    return template.format(**fields) if fields else template


def tr(text: str, /, **fields) -> str:
    """A fixed text of the report (:mod:`.text`, English) in the language in force, with
    ``fields`` filled in; English where ``text.SPANISH`` has no entry for it."""
    if spanish():
        from .report.text import SPANISH

        text = SPANISH.get(text, text)
    return text.format(**fields) if fields else text


def label(name: str) -> str:
    """Outcome ``name``'s registry label in the language in force."""
    from .outcomes import outcome

    return outcome(name).label_in(current())


def word(text: str) -> str:
    """A type, group, typology dimension or verdict (``"win-win-win"``, ``"rural
    municipalities"``, ``"improved"``) in the language in force."""
    if not spanish():
        return text
    from .dashboard.text import TEXT
    from .outcomes import LABELS_ES, TYPES

    return TEXT["es"][text] if text in TYPES else LABELS_ES.get(text, text)
