"""The report as an A4 PDF, laid out with matplotlib: one figure per page, filled top to
bottom by a small flow layout.

- Headings keep with what they introduce: a heading is placed only together with the
  start of the block after it (a paragraph's first lines, a table's header and first
  rows, a whole chart); when that does not fit, both move to the next page.
- Tables fit their cells: text is measured with the font it is drawn in, columns get the
  width of their content (shrunk in proportion to what wrapping can save when the table
  is wider than the page), headers and cells wrap within their column, rows take the
  height of their tallest cell, and a long table continues on the next page under a
  repeated header.
- Charts are drawn at the full text width (scaled down only when taller than a page).

Lengths are in points (1/72 inch) from the top left corner of the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.image as mpimg  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.backends.backend_pdf import PdfPages  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402
from matplotlib.textpath import TextToPath  # noqa: E402

from .content import ReportContent, scale_note  # noqa: E402
from .findings import runs_note  # noqa: E402
from .html import compared_heading, simulated_note  # noqa: E402
from ..language import say, speaking, tr  # noqa: E402
from .text import (  # noqa: E402
    DIFFERENCES_OVER_TIME_TITLE,
    COST_EFFECTIVENESS,
    DIFFERENCES_TITLE,
    INTRO,
    MULTIPLIERS,
    MUNICIPALITIES,
    NOT_ONLY_POLICIES,
    OVERVIEW,
    OVERVIEW_TITLE,
    PAIRWISE,
    ALL_TO_HORIZON,
    PAIRWISE_TITLE,
    PROGRAMME_END,
    READ_FIRST,
    SCENARIOS_EXPLAINED,
    TYPOLOGY,
    TYPOLOGY_TITLE,
    map_title,
    no_map_title,
    reading,
)

PAGE = (595.3, 841.9)
"""A4 in points."""
MARGIN = (52.0, 50.0, 52.0)
"""Left and right, top, bottom margins (points)."""
WIDTH = PAGE[0] - 2 * MARGIN[0]
"""Width of the text column (points)."""


@dataclass(frozen=True)
class Style:
    size: float
    weight: str = "normal"
    before: float = 0.0
    after: float = 4.0
    colour: str = "#222222"

    @property
    def line(self) -> float:
        return 1.32 * self.size

    def font(self) -> FontProperties:
        return FontProperties(size=self.size, weight=self.weight)


TITLE = Style(17, "bold", 0, 8)
H2 = Style(12.5, "bold", 12, 6, "#1f3a5f")
H3 = Style(10, "bold", 6, 4)
BODY = Style(9.3, after=6)
NOTE = Style(8.3, after=6, colour="#555555")
WARNING = Style(9.3, "bold", after=6, colour="#b42318")
"""Page one's statement that scenarios differ in more than their policies."""
TABLE = Style(7.4)
CELL_PAD = (3.5, 2.5)
"""Horizontal and vertical padding inside a table cell (points)."""
VERDICT_COLOURS = {"gains": "#1a7f37", "loses": "#b42318", "gana": "#1a7f37", "pierde": "#b42318"}

_MEASURE = TextToPath()
SAFETY = 1.02
"""Measured widths are taken 2 % wider than the font's outlines, for the PDF's own rounding."""


def text_width(text: str, style: Style) -> float:
    """Width of one line of ``text`` drawn in ``style`` (points, from the unhinted outlines
    of the font the PDF embeds)."""
    if not text:
        return 0.0
    return SAFETY * _MEASURE.get_text_width_height_descent(text, style.font(), ismath=False)[0]


def pieces(word: str) -> list[str]:
    """Where ``word`` may break when it is longer than a line: after each underscore
    (``assistance_`` ``market_`` ``linkage``: scenario names and other identifiers), so that
    numbers and words are never cut."""
    return re.findall(r"[^_]*_|[^_]+", word) or [word]


def wrap(text: str, width: float, style: Style) -> list[str]:
    """``text`` broken into lines no wider than ``width`` points (at spaces; a word longer
    than a line after an underscore, :func:`pieces`, and only where even a piece is too
    long, cut); line breaks in ``text`` are kept."""
    lines = []
    for paragraph in str(text).split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if text_width(candidate, style) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            while text_width(word, style) > width and len(word) > 1:
                fits = [e for e in list(accumulate(len(p) for p in pieces(word)))[:-1]
                        if text_width(word[:e], style) <= width]
                if fits:
                    cut = fits[-1]
                else:
                    cut = max(1, int(len(word) * width / text_width(word, style)))
                    while cut > 1 and text_width(word[:cut], style) > width:
                        cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


def column_widths(cells: list[list[str]], style: Style, width: float = WIDTH) -> list[float]:
    """Widths (points) of the columns of ``cells`` (header row first, measured in bold) that fill ``width``.

    Each column needs its widest unwrapped line (``natural``) and can wrap down to its
    longest word, or for an identifier its longest piece (:func:`pieces`) (``least``).
    When the natural widths fit, they are stretched to ``width``. Otherwise headers wrap
    first: when each column's widest cell below the header (and its header's longest word)
    fit, those are stretched to ``width``. Otherwise the widest columns are capped at one
    common width, the largest that fits (narrow columns of numbers keep their width; long
    labels and descriptions wrap), never below a column's longest word; if even the longest
    words do not fit, all shrink in proportion (words are then cut)."""
    pad = 2 * CELL_PAD[0] + 1
    bold = Style(style.size, "bold")
    columns = [[(str(v), bold if k == 0 else style) for k, v in enumerate(col)] for col in zip(*cells)]

    def widest(col) -> float:
        return max([text_width(line, s) for v, s in col for line in v.split("\n")] or [0.0]) + pad

    natural = [widest(col) for col in columns]
    least = [max([text_width(p, s) for v, s in col for w in re.split(r"[ \n]+", v) for p in pieces(w)] or [0.0])
             + pad for col in columns]  # words as ``wrap`` breaks them: at spaces, not at non-breaking ones
    if sum(natural) <= width:
        return [n * width / sum(natural) for n in natural]
    # headers wrap before cells do: a column needs its widest cell, and its header's longest word
    natural = [max(widest(col[1:]), m) for col, m in zip(columns, least)]
    if sum(natural) <= width:
        return [n * width / sum(natural) for n in natural]
    if sum(least) >= width:
        return [m * width / sum(least) for m in least]

    def fitted(cap: float) -> list[float]:
        return [min(n, max(cap, m)) for n, m in zip(natural, least)]

    low, high = 0.0, max(natural)
    for _ in range(60):
        mid = (low + high) / 2
        low, high = (mid, high) if sum(fitted(mid)) <= width else (low, mid)
    widths = fitted(low)
    spare = width - sum(widths)
    capped = [k for k, (w, n) in enumerate(zip(widths, natural)) if w < n] or list(range(len(widths)))
    return [w + (spare / len(capped) if k in capped else 0.0) for k, w in enumerate(widths)]


class Layout:
    """Pages filled top to bottom; headings wait for the block they introduce."""

    def __init__(self, pdf: PdfPages, footer: str):
        self.pdf, self.footer = pdf, footer
        self.fig = None
        self.y = 0.0
        self.pages = 0
        self.pending: list[tuple[str, Style]] = []

    # ------------------------------------------------------------ pages
    @property
    def room(self) -> float:
        """Height left on the current page (0 before the first page)."""
        return PAGE[1] - MARGIN[2] - self.y if self.fig is not None else 0.0

    def new_page(self) -> None:
        self.close()
        self.fig = plt.figure(figsize=(PAGE[0] / 72, PAGE[1] / 72))
        self.pages += 1
        self.y = MARGIN[1]
        self._text(PAGE[0] - MARGIN[0], PAGE[1] - MARGIN[2] / 2,
                   f"{self.footer} · {say('page', 'página')} {self.pages}", NOTE, ha="right")

    def close(self) -> None:
        if self.fig is not None:
            self.pdf.savefig(self.fig)
            plt.close(self.fig)
            self.fig = None

    def _text(self, x: float, y: float, text: str, style: Style, ha: str = "left", colour: str | None = None):
        self.fig.text(x / PAGE[0], 1 - y / PAGE[1], text, fontsize=style.size, weight=style.weight, va="top",
                      ha=ha, color=colour or style.colour, parse_math=False)

    def _start(self, needed: float) -> None:
        """Make room for ``needed`` points of a block plus the headings waiting for it, and draw those."""
        headings = [(wrap(text, WIDTH, style), style) for text, style in self.pending]
        total = needed + sum(s.before + len(lines) * s.line + s.after for lines, s in headings)
        if total > self.room:
            self.new_page()
        for lines, style in headings:
            if self.y > MARGIN[1]:
                self.y += style.before
            for line in lines:
                self._text(MARGIN[0], self.y, line, style)
                self.y += style.line
            self.y += style.after
        self.pending = []

    # ------------------------------------------------------------ blocks
    def heading(self, text: str, style: Style = H2) -> None:
        """A heading, drawn with (and only with) the start of the next block."""
        self.pending.append((text, style))

    def paragraph(self, text: str, style: Style = BODY, bullet: bool = False, keep: bool = False) -> None:
        """Wrapped text; a long paragraph continues on the next page (at least two lines
        kept together). With ``keep``, it is placed with the next block, as a heading is
        (an introduction to a table)."""
        if keep:
            self.pending.append((text, style))
            return
        indent = 10.0 if bullet else 0.0
        lines = wrap(text, WIDTH - indent, style)
        self._start(min(2, len(lines)) * style.line)
        for k, line in enumerate(lines):
            if self.room < style.line:
                self.new_page()
            if bullet and k == 0:
                self._text(MARGIN[0], self.y, "•", style)
            self._text(MARGIN[0] + indent, self.y, line, style)
            self.y += style.line
        self.y += style.after

    def table(self, df: pd.DataFrame, style: Style = TABLE, first_rows: int = 2) -> None:
        """``df`` as a ruled table at the full text width (header shaded). A table up to
        half a page long is kept whole; a longer one starts where its header and
        ``first_rows`` rows fit and continues under a repeated header."""
        header = [str(c) for c in df.columns]
        rows = [[str(v) for v in row] for row in df.itertuples(index=False)]
        widths = column_widths([header, *rows], style)

        def lay(cells: list[str], bold: bool = False) -> tuple[list[list[str]], float]:
            s = Style(style.size, "bold" if bold else "normal")
            wrapped = [wrap(c, w - 2 * CELL_PAD[0], s) for c, w in zip(cells, widths)]
            return wrapped, max(len(w) for w in wrapped) * style.line + 2 * CELL_PAD[1]

        head = lay(header, bold=True)
        body = [lay(r) for r in rows]
        whole = head[1] + sum(h for _, h in body)
        body_height = PAGE[1] - MARGIN[1] - MARGIN[2]
        self._start(whole if whole <= body_height / 2 else head[1] + sum(h for _, h in body[:first_rows]))
        self._table_header(head, widths, style)
        for wrapped, height in body:
            if height > self.room:
                self.new_page()
                self._table_header(head, widths, style)
            self._row(wrapped, height, widths, style)
        self.y += 10

    def _table_header(self, head, widths, style) -> None:
        wrapped, height = head
        self.fig.add_artist(Rectangle((MARGIN[0] / PAGE[0], 1 - (self.y + height) / PAGE[1]), WIDTH / PAGE[0],
                                      height / PAGE[1], transform=self.fig.transFigure, facecolor="#e8eef4",
                                      edgecolor="none", zorder=0))
        self._row(wrapped, height, widths, Style(style.size, "bold"), rule="#555555")

    def _row(self, wrapped, height, widths, style, rule: str = "#c8ced6") -> None:
        x = MARGIN[0]
        for lines, w in zip(wrapped, widths):
            colour = VERDICT_COLOURS.get(lines[0].split(" (")[0]) if len(lines) == 1 else None
            for k, line in enumerate(lines):
                self._text(x + CELL_PAD[0], self.y + CELL_PAD[1] + k * style.line, line, style, colour=colour)
            x += w
        self.y += height
        y = 1 - self.y / PAGE[1]
        self.fig.add_artist(Line2D([MARGIN[0] / PAGE[0], (MARGIN[0] + WIDTH) / PAGE[0]], [y, y], lw=0.6,
                                   color=rule, transform=self.fig.transFigure))

    def image(self, path: Path) -> None:
        """A chart at the full text width (smaller only if taller than a page)."""
        img = mpimg.imread(path)
        h, w = img.shape[:2]
        width = WIDTH
        height = width * h / w
        tallest = PAGE[1] - MARGIN[1] - MARGIN[2] - 60
        if height > tallest:
            width, height = width * tallest / height, tallest
        self._start(height)
        left = MARGIN[0] + (WIDTH - width) / 2
        ax = self.fig.add_axes([left / PAGE[0], 1 - (self.y + height) / PAGE[1], width / PAGE[0], height / PAGE[1]])
        ax.imshow(img, interpolation="none", aspect="auto")
        ax.axis("off")
        self.y += height + 10


def render_pdf(content: ReportContent, charts: dict[str, Path], path: Path) -> None:
    """Write the report to ``path``; ``charts`` maps each chart's role (``"differences"``,
    ``"scenarios"``, ``"typology"``) to its PNG, drawn where the text refers to it."""
    c = content
    # the language in the document's information (Keywords: PDF's information dictionary has no
    # language entry of its own; the HTML's is its ``lang``)
    with PdfPages(path, metadata={"Title": c.question, "Creator": f"territory_abm {c.version}",
                                  "Keywords": f"language={c.language}"}) as pdf:
        lay_out(content, charts, pdf)


def lay_out(content: ReportContent, charts: dict[str, Path], pdf) -> int:
    """Lay the report out page by page into ``pdf`` (anything with ``savefig(figure)``,
    such as :class:`PdfPages`), in the content's language; returns the number of pages."""
    with speaking(content.language):
        return _lay_out(content, charts, pdf)


def _lay_out(content: ReportContent, charts: dict[str, Path], pdf) -> int:
    c = content
    page = Layout(pdf, f"territory_abm {c.version} · {c.years[0]}-{c.years[1]}")
    page.heading(tr("Comparing interventions for a rural territory"), TITLE)
    page.paragraph(c.question, Style(11.5, after=4))
    page.paragraph(simulated_note(c, ";"), NOTE)
    if c.households_scale != 1:
        page.paragraph(scale_note(c.households_scale), NOTE)
    if c.not_only_policies:
        page.heading(tr(NOT_ONLY_POLICIES))
        for text in c.not_only_policies:
            page.paragraph(text, WARNING, bullet=True)
    if len(c.overview):
        page.heading(tr(OVERVIEW_TITLE))
        page.paragraph(tr(OVERVIEW), NOTE, keep=True)
        page.table(c.overview)
    page.heading(tr(READ_FIRST))
    for text in c.read_first:
        page.paragraph(text, bullet=True)
    page.heading(tr("Main findings"))
    for text in c.findings:
        page.paragraph(text, bullet=True)
    if len(c.pairwise):  # right after the findings, where the best is named (an adviser trial, session 27)
        page.heading(tr(PAIRWISE_TITLE))
        page.paragraph(tr(PAIRWISE), NOTE, keep=True)
        page.table(c.pairwise)
    page.heading(tr("The scenarios and their costs"))
    page.table(pd.DataFrame([{say("Scenario", "Escenario"): s["name"], say("What it does", "Qué hace"): s["description"],
                              say("Programme cost over the run (USD)", "Costo del programa en la corrida (USD)"):
                                  s["cost_text"]} for s in c.scenarios]))
    page.heading(tr("What this report is based on"))
    for text in INTRO:
        page.paragraph(tr(text))
    page.heading(tr("Headline results"))
    page.paragraph(reading(len(c.seeds)), keep=True)
    page.heading(say("At the horizon ({year})", "En el horizonte ({year})", year=c.years[1]), H3)
    page.table(c.headline)
    page.heading(tr("At the end of each programme"), H3)
    if len(c.programme_end):
        page.paragraph(tr(PROGRAMME_END), keep=True)
        page.table(c.programme_end)
    else:
        page.paragraph(tr(ALL_TO_HORIZON))
    if "differences" in charts:
        page.heading(tr(DIFFERENCES_TITLE), H3)
        page.image(charts["differences"])
    if "differences_over_time" in charts:
        page.heading(tr(DIFFERENCES_OVER_TIME_TITLE), H3)
        page.image(charts["differences_over_time"])
    page.heading(tr("Cost-effectiveness"))
    page.paragraph(tr(COST_EFFECTIVENESS), NOTE, keep=True)
    page.table(c.cost_effectiveness)
    page.heading(tr("Who gains beyond the people the programme pays?"))
    page.paragraph(tr(MULTIPLIERS), keep=True)
    page.table(c.multipliers)
    for note in c.multiplier_notes:
        page.paragraph(note, NOTE)
    if "map" in charts:
        page.heading(map_title(len(c.scenarios) - 1), H3)
        page.image(charts["map"])
    elif c.map_note:
        page.heading(no_map_title(), H3)
        page.paragraph(f"{c.map_note}.", NOTE)
    if "scenarios" in charts:
        page.heading(tr("Outcomes over time"))
        page.paragraph(tr(SCENARIOS_EXPLAINED), keep=True)
        page.image(charts["scenarios"])
    page.heading(tr("Types of municipality under each scenario"))
    page.paragraph(tr(TYPOLOGY), keep=True)
    for label, table in c.typology.items():
        page.heading(label[0].upper() + label[1:], H3)
        page.table(table)
    page.heading(tr("Rural municipalities: improved / no change / worsened"), H3)
    page.table(c.typology_changes)
    if "typology" in charts:
        page.heading(tr(TYPOLOGY_TITLE), H3)
        page.image(charts["typology"])
    page.heading(tr("Municipalities that gain and lose"))
    page.paragraph(tr(MUNICIPALITIES, year=c.years[1]), NOTE, keep=True)
    if runs_note(len(c.seeds)):  # the verdicts rest on the same few runs' intervals
        page.paragraph(runs_note(len(c.seeds)), NOTE, keep=True)
    for name, table in c.municipalities.items():
        page.heading(compared_heading(name, c.reference), H3)
        page.table(table)
        if name in c.municipalities_end:
            year, at_end = c.municipalities_end[name]
            page.heading(compared_heading(name, c.reference, year), H3)
            page.table(at_end)
    page.heading(tr("Caveats"))
    for text in c.caveats:
        page.paragraph(text, bullet=True)
    page.close()
    return page.pages
