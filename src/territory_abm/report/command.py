"""``territory-abm report DIR``: the adviser report of a finished comparison."""

from __future__ import annotations

from pathlib import Path

from ..experiments.plots import plot_typology_shares
from .content import ReportContent, build_content
from .html import render_html
from .pdf import render_pdf


def plot_typology(content: ReportContent, path: Path) -> None:
    """Stacked bars of type shares at the horizon under each scenario: rural municipalities,
    intermediate cities, both, and both weighted by population (the comparison's own plot)."""
    plot_typology_shares(content.typology_shares, path)


def write_report(directory: Path, out: Path | None = None, question: str | None = None) -> list[Path]:
    """Write ``report.html`` and ``report.pdf`` (default: into the comparison directory)."""
    directory = Path(directory)
    content = build_content(directory, question)
    out = Path(out) if out is not None else directory
    out.mkdir(parents=True, exist_ok=True)
    typology_png = out / "typology.png"
    plot_typology(content, typology_png)
    extra = {"Types of municipality under each scenario": typology_png}
    html_path, pdf_path = out / "report.html", out / "report.pdf"
    tmp = html_path.with_name(html_path.name + ".tmp")
    tmp.write_text(render_html(content, extra), encoding="utf-8")
    tmp.replace(html_path)
    tmp_pdf = pdf_path.with_name("report.tmp.pdf")
    render_pdf(content, extra, tmp_pdf)
    tmp_pdf.replace(pdf_path)
    return [html_path, pdf_path]
