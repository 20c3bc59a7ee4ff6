"""``territory-abm report DIR``: the adviser report of a finished comparison."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from ..outcomes import TYPE_COLOURS, UNCLASSIFIED_COLOUR
from .content import ReportContent, build_content
from .html import render_html
from .pdf import render_pdf


def plot_typology(content: ReportContent, path: Path) -> None:
    """Stacked bars: share of municipalities of each type under each scenario."""
    table = content.typology.set_index("Type")
    shares = table.apply(lambda col: col.str.rstrip(" %").astype(float))
    fig, ax = plt.subplots(figsize=(7, 0.6 * len(shares.columns) + 1.4), constrained_layout=True)
    left = np.zeros(len(shares.columns))
    for kind, row in shares.iterrows():
        ax.barh(list(shares.columns), row.to_numpy(), left=left, color=TYPE_COLOURS.get(kind, UNCLASSIFIED_COLOUR), label=kind)
        left += row.to_numpy()
    ax.set_xlabel("% of municipalities")
    ax.set_xlim(0, 100)
    ax.invert_yaxis()
    ax.legend(fontsize=7, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.25))
    fig.savefig(path, dpi=110)
    plt.close(fig)


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
