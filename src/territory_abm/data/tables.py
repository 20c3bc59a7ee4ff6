"""One reader for every CSV table a user supplies, and one error listing every problem.

Files come from spreadsheets and statistics offices, so :func:`read_table` accepts

* UTF-8 with or without a byte-order mark, UTF-16 with a byte-order mark, and otherwise
  Windows-1252 / Latin-1 (tried in that order with the standard codecs);
* comma-, semicolon- or tab-separated values (:class:`csv.Sniffer` on the header line);
* decimal commas (``0,45``) in semicolon- or tab-separated files.

What it cannot read (a binary file, a NUL byte, a row with more cells than the header, a
repeated column name) raises :class:`~territory_abm.errors.InputError` saying so.
:class:`Problems` collects the problems found in one file and raises them together as one
:class:`TableErrors`.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..suggest import not_found

TEXT_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
"""Encodings tried in order when a file has no UTF-16 byte-order mark (Latin-1 reads any byte)."""
DELIMITERS = ",;\t"
"""Accepted separators."""
MAX_LISTED = 20
"""Most problems an error lists; the rest are counted."""

_DECIMAL_COMMA = re.compile(r"[+-]?(\d+,\d*|,\d+)([eE][+-]?\d+)?")
_THOUSANDS_POINT = re.compile(r"[+-]?[1-9]\d{0,2}(\.\d{3})+")
"""A number written with points between groups of three digits (5.200, 1.234.567)."""


@dataclass(frozen=True)
class Table:
    """A CSV table as read: stripped strings, numbers with decimal points.

    Attributes
    ----------
    header : list of str
        Column names in file order.
    rows : list of dict of str to str
        One dict per non-blank data row (absent trailing cells are ``""``).
    lines : list of int
        Line number in the file of each row (the header is line 1), for error messages.
    encoding, delimiter : str
        What the file was read as.
    """

    header: list[str]
    rows: list[dict[str, str]]
    lines: list[int]
    encoding: str
    delimiter: str


class TableErrors(InputError):
    """Several problems with one file, listed in one message.

    ``problems`` holds every ``(field, expected)`` pair found, including those beyond the
    :data:`MAX_LISTED` named in the message.
    """

    def __init__(self, source: str | Path, problems: list[tuple[str, str]]) -> None:
        self.problems = list(problems)
        listed = "".join(f"\n  {field}: {expected}" for field, expected in problems[:MAX_LISTED])
        rest = len(problems) - MAX_LISTED
        more = f"\n  ... and {rest} more" if rest > 0 else ""
        super().__init__(source, f"{len(problems)} problems", f"each listed below{listed}{more}")


class Problems:
    """Problems found in one file, raised together by :meth:`raise_if_any`."""

    def __init__(self, source: str | Path) -> None:
        self.source = source
        self.items: list[tuple[str, str]] = []

    def __bool__(self) -> bool:
        return bool(self.items)

    def add(self, field: str, expected: str) -> None:
        self.items.append((field, expected))

    def parse(self, spec, text: str, field: str, empty=None):
        """``spec.parse(text)``, or None with the problem recorded."""
        try:
            return spec.parse(text, self.source, field, empty)
        except InputError as exc:
            self.add(exc.field, exc.expected)
            return None

    def raise_if_any(self) -> None:
        """One :class:`InputError` (a :class:`TableErrors` when there are several)."""
        if len(self.items) == 1:
            raise InputError(self.source, *self.items[0])
        if self.items:
            raise TableErrors(self.source, self.items)


def decode(data: bytes, path: str | Path) -> tuple[str, str]:
    """Text and encoding of a file's bytes; InputError for binary data."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text, encoding = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise InputError(path, "encoding", f"UTF-16 text after its byte-order mark; byte {exc.start} is not") from None
    else:
        for encoding in TEXT_ENCODINGS:
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    if "\0" in text:
        raise InputError(path, "encoding", f"a text file (UTF-8, UTF-16 with byte-order mark, Windows-1252 or Latin-1); "
                         f"character {text.index(chr(0)) + 1} is a NUL byte, as in a binary or spreadsheet file "
                         "(save it as CSV)")
    return text, encoding


def sniff_delimiter(header_line: str) -> str:
    """The separator of a header line: comma, semicolon or tab (comma if there is none)."""
    try:
        return csv.Sniffer().sniff(header_line, delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ","


def read_table(path: str | Path) -> Table:
    """Read a CSV table in any accepted encoding and dialect (see the module docstring).

    Raises
    ------
    InputError
        If the file is missing or unreadable, not text, has no header, repeats a column
        name, or has rows with more (non-empty) cells than the header.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "file", not_found(path, "an existing CSV file"))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, "file", f"a readable file ({exc.strerror})") from None
    text, encoding = decode(data, path)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = sniff_delimiter(first)
    try:
        records = list(_records(text, delimiter))
    except csv.Error as exc:
        raise InputError(path, "file", f"a CSV file ({exc})") from None
    if not records or not any(records[0][1]):
        raise InputError(path, "header", "a header row with column names")
    header = [h.strip() for h in records[0][1]]
    problems = Problems(path)
    seen = set()
    for name in header:
        if name in seen:
            problems.add(f"column {name}" if name else "header", f"each column named once; {name!r} repeats")
        seen.add(name)
    comma_decimals = delimiter != ","
    rows, lines = [], []
    points, commas = [], False  # cells written as thousands with points; the first cell with a decimal comma
    for line_no, cells in records[1:]:
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue
        if len(cells) > len(header) and any(cells[len(header):]):
            problems.add(f"row {line_no}", f"at most {len(header)} cells (the header's columns), got {len(cells)}")
            continue
        if comma_decimals:
            points += [(line_no, name, c) for name, c in zip(header, cells) if _THOUSANDS_POINT.fullmatch(c)]
            commas = commas or next((c for c in cells if _DECIMAL_COMMA.fullmatch(c)), False)
            cells = [c.replace(",", ".") if _DECIMAL_COMMA.fullmatch(c) else c for c in cells]
        cells += [""] * (len(header) - len(cells))
        rows.append(dict(zip(header, cells)))
        lines.append(line_no)
    if commas:  # the file writes decimals with commas: a point in a number is a thousands separator
        for line_no, name, cell in points:
            problems.add(f"row {line_no}, column {name}", f"a number without a point: the file writes decimals with "
                         f"commas (e.g. {commas!r}), so the point in {cell!r} would be a thousands separator, which "
                         "is not read; write the number without it (or with a decimal comma)")
    problems.raise_if_any()
    return Table(header, rows, lines, encoding, delimiter)


def _records(text: str, delimiter: str):
    """``(line number, cells)`` of every record of ``text``."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    for cells in reader:
        yield start, cells
        start = reader.line_num + 1


def read_csv_table(path: str | Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows (stripped strings) of a CSV file: :func:`read_table` without the metadata."""
    table = read_table(path)
    return table.header, table.rows
