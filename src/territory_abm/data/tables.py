"""One reader for every CSV table a user supplies, and one error listing every problem.

Files come from spreadsheets and statistics offices, so :func:`read_table` accepts

* UTF-8 with or without a byte-order mark, UTF-16 with a byte-order mark, and otherwise
  Windows-1252 / Latin-1 (tried in that order with the standard codecs);
* comma-, semicolon- or tab-separated values (:class:`csv.Sniffer` on the header line);
* decimal commas (``0,45``) in semicolon- or tab-separated files.

What it cannot read (a binary file, a NUL byte, a row with more cells than the header, a
repeated column name) raises :class:`~territory_abm.errors.InputError` saying so.
:class:`Problems` collects the problems found in one file and raises them together as one
:class:`TableErrors`; a reader that checks the rows further passes its own to
:func:`read_table`, so that a row with too many cells is reported with the other problems
of the file rather than alone.
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
_SPLIT_DECIMAL = re.compile(r"[+-]?\d+,\d+")
"""Two neighbouring cells that read as one number split at its decimal comma (0 and 7 of 0,7)."""
_THOUSANDS_POINT = re.compile(r"[+-]?[1-9]\d{0,2}(\.\d{3})+")
"""A number written with points between groups of three digits (5.200, 1.234.567)."""
DECIMAL_COMMA_HINT = ("numbers are written with a decimal point: {example}; a file with decimal commas is read when "
                      "its columns are separated by semicolons")
"""Said once under the problems of a comma-separated file with a number written with a decimal
comma (quoted: "0,48" is not a number there)."""
SPLIT_DECIMAL_HINT = ("row {row} may hold a number written with a decimal comma, which splits it into two cells: "
                      "numbers are written with a decimal point (0.5); a file with decimal commas is read when its "
                      "columns are separated by semicolons")
"""Said once under the problems of a comma-separated file with a row of too many cells, two of
them neighbouring whole numbers (an unquoted 0,7)."""


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

    def __init__(self, source: str | Path, problems: list[tuple[str, str]], notes: tuple[str, ...] = ()) -> None:
        self.problems = list(problems)
        listed = "".join(f"\n  {field}: {expected}" for field, expected in problems[:MAX_LISTED])
        rest = len(problems) - MAX_LISTED
        more = f"\n  ... and {rest} more" if rest > 0 else ""
        said = "".join(f"\n  ({note})" for note in notes)
        super().__init__(source, f"{len(problems)} problems", f"each listed below{listed}{more}{said}")


class Problems:
    """Problems found in one file, raised together by :meth:`raise_if_any`."""

    def __init__(self, source: str | Path) -> None:
        self.source = source
        self.items: list[tuple[str, str]] = []
        self.notes: dict[str, str] = {}  # hint template -> the hint, as first filled in

    def __bool__(self) -> bool:
        return bool(self.items)

    def add(self, field: str, expected: str) -> None:
        self.items.append((field, expected))

    def note(self, template: str, **values) -> None:
        """A hint said once after the problems (however many of them it explains): ``template``
        filled in with the ``values`` of the first problem it explains."""
        self.notes.setdefault(template, template.format(**values))

    def parse(self, spec, text: str, field: str, empty=None):
        """``spec.parse(text)``, or None with the problem recorded (and, for a number written
        with a decimal comma, :data:`DECIMAL_COMMA_HINT` noted)."""
        try:
            return spec.parse(text, self.source, field, empty)
        except InputError as exc:
            self.add(exc.field, exc.expected)
            if _DECIMAL_COMMA.fullmatch(text.strip()):
                self.note(DECIMAL_COMMA_HINT, example=text.strip().replace(",", "."))
            return None

    def raise_if_any(self) -> None:
        """One :class:`InputError` (a :class:`TableErrors` when there are several), its notes after it."""
        if len(self.items) == 1:
            field, expected = self.items[0]
            raise InputError(self.source, field, "".join([expected, *(f" ({n})" for n in self.notes.values())]))
        if self.items:
            raise TableErrors(self.source, self.items, tuple(self.notes.values()))


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


def read_table(path: str | Path, problems: Problems | None = None) -> Table:
    """Read a CSV table in any accepted encoding and dialect (see the module docstring).

    ``problems``: where a row with more cells than the header (left out of the rows) and a
    number with a thousands point go, for the caller to raise with the problems its own
    checks find; by default they are raised here.

    Raises
    ------
    InputError
        If the file is missing or unreadable, not text, has no header or repeats a column
        name; without ``problems``, also if it has rows with more (non-empty) cells than the
        header.
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
    raise_here = problems is None
    problems = Problems(path) if problems is None else problems
    seen, repeated = set(), False
    for name in header:
        if name in seen:
            problems.add(f"column {name}" if name else "header", f"each column named once; {name!r} repeats")
            repeated = True
        seen.add(name)
    comma_decimals = delimiter != ","
    # a unit's row is named by its id, as the loaders name it, where the id is the first column (a
    # row's extra cells, e.g. a number split at its decimal comma, cannot then shift it)
    key = 0 if header[0] == "id" else None
    rows, lines = [], []
    points, commas = [], False  # cells written as thousands with points; the first cell with a decimal comma
    for line_no, cells in records[1:]:
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue
        if len(cells) > len(header) and any(cells[len(header):]):
            label = f"row {line_no} ({cells[key]})" if key is not None and cells[key] else f"row {line_no}"
            problems.add(label, f"at most {len(header)} cells (the header's columns), got {len(cells)}")
            if delimiter == "," and any(_SPLIT_DECIMAL.fullmatch(f"{a},{b}") for a, b in zip(cells, cells[1:])):
                problems.note(SPLIT_DECIMAL_HINT, row=line_no)
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
    if raise_here or repeated:  # with a column named twice, the rows cannot be checked further
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
