"""The report as a PDF, laid out with matplotlib (text pages, tables and the charts)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.image as mpimg  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.backends.backend_pdf import PdfPages  # noqa: E402

from .content import ReportContent  # noqa: E402
from .text import INTRO, PROGRAMME_END, READING, TYPOLOGY  # noqa: E402

A4 = (8.27, 11.69)


class _Page:
    """A4 page filled top to bottom with headings, paragraphs and tables."""

    def __init__(self, pdf: PdfPages):
        self.pdf = pdf
        self.fig = None
        self.y = 0.0

    def _new(self):
        self.close()
        self.fig = plt.figure(figsize=A4)
        self.y = 0.95

    def _need(self, height: float):
        if self.fig is None or self.y - height < 0.05:
            self._new()

    def heading(self, text: str, size: int = 14):
        self._need(0.06)
        self.fig.text(0.07, self.y, text, fontsize=size, weight="bold", va="top")
        self.y -= 0.035 if size < 14 else 0.045

    def paragraph(self, text: str, size: float = 9.5, width: int = 100):
        lines = textwrap.wrap(text, width)
        height = 0.016 * len(lines) + 0.01
        self._need(height)
        self.fig.text(0.07, self.y, "\n".join(lines), fontsize=size, va="top", linespacing=1.35)
        self.y -= height

    def table(self, df: pd.DataFrame, size: float = 7.0, wrap: int = 28):
        cells = [[textwrap.fill(str(v), wrap) for v in row] for row in df.itertuples(index=False)]
        header = [textwrap.fill(str(c), wrap) for c in df.columns]
        line_rows = [max(c.count("\n") + 1 for c in row) for row in cells]
        height = 0.013 * (sum(line_rows) + max(h.count("\n") + 1 for h in header)) + 0.02
        self._need(min(height, 0.9))
        ax = self.fig.add_axes([0.07, self.y - height, 0.86, height])
        ax.axis("off")
        table = ax.table(cellText=cells, colLabels=header, loc="upper left", cellLoc="left")
        table.auto_set_font_size(False)
        table.set_fontsize(size)
        for (row, _), cell in table.get_celld().items():
            lines = header[0].count("\n") + 1 if row == 0 else line_rows[row - 1]
            cell.set_height(lines * 0.013 / height * 0.98)
            if row == 0:
                cell.set_facecolor("#eef2f5")
        self.y -= height + 0.02

    def image(self, path: Path, title: str):
        img = mpimg.imread(path)
        h, w = img.shape[:2]
        height = min(0.86 * A4[0] / A4[1] * h / w, 0.8)
        self._need(height + 0.04)
        self.heading(title, size=11)
        ax = self.fig.add_axes([0.07, self.y - height, 0.86, height])
        ax.imshow(img)
        ax.axis("off")
        self.y -= height + 0.02

    def close(self):
        if self.fig is not None:
            self.pdf.savefig(self.fig)
            plt.close(self.fig)
            self.fig = None


def render_pdf(content: ReportContent, extra_charts: dict[str, Path], path: Path) -> None:
    c = content
    with PdfPages(path, metadata={"Title": c.question, "Creator": f"territory_abm {c.version}"}) as pdf:
        page = _Page(pdf)
        page.heading("Comparing interventions for a rural territory", size=16)
        page.paragraph(c.question, size=11, width=85)
        page.paragraph(f"Simulated {c.years[0]}-{c.years[1]}, {len(c.seeds)} runs per scenario with the same seeds.")
        page.heading("What this report is based on", size=12)
        for text in INTRO:
            page.paragraph(text)
        page.heading("The scenarios and their costs", size=12)
        page.table(pd.DataFrame([{"Scenario": s["name"], "What it does": s["description"],
                                  "Cost over the run (USD)": f"{s['cost'][0]:,.0f}"} for s in c.scenarios]), wrap=40)
        page.heading("Headline results", size=12)
        page.paragraph(READING)
        page.paragraph(f"At the horizon ({c.years[1]}):", size=10)
        page.table(c.headline, wrap=30)
        if len(c.programme_end):
            page.paragraph(PROGRAMME_END)
            page.table(c.programme_end, wrap=30)
        else:
            page.paragraph("Every intervention's programmes run to the horizon.")
        page.heading("Cost-effectiveness", size=12)
        page.table(c.cost_effectiveness)
        page.heading("Who gains beyond the people the programme pays?", size=12)
        page.table(c.multipliers, wrap=22)
        for title, chart in c.charts.items():
            page.image(chart, title)
        page.heading("Types of municipality under each scenario", size=12)
        page.paragraph(TYPOLOGY)
        for label, table in c.typology.items():
            page.paragraph(label[0].upper() + label[1:] + ":", size=10)
            page.table(table)
        page.paragraph("Rural municipalities: improved / no change / worsened", size=10)
        page.table(c.typology_changes)
        for title, chart in extra_charts.items():
            page.image(chart, title)
        page.heading("Municipalities that gain and lose", size=12)
        for name, table in c.municipalities.items():
            page.paragraph(f"{name} compared with {c.reference} (at the horizon, {c.years[1]}; 90 % interval):",
                           size=10)
            page.table(table, wrap=32)
        page.heading("Caveats", size=12)
        for text in c.caveats:
            page.paragraph("- " + text)
        page.close()
