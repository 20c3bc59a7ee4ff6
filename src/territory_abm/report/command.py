"""``territory-abm report DIR``: the adviser report of a finished comparison."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pandas as pd

from ..errors import InputError
from ..experiments.store import ResultStore
from ..output.maps import comparison_map
from ..outcomes.yearly import REGISTRY
from ..experiments.plots import plot_differences, plot_differences_over_time, plot_scenario_bands, plot_typology_shares
from . import numbers
from .content import ReportContent, build_content
from .html import render_html
from ..language import LANGUAGES, speaking
from .pdf import render_pdf

CHART_DPI = 160
"""Resolution of the report's charts: sharp at full text width on an A4 page (about 1,200 px)."""


def whole_territory_results(territory: pd.DataFrame, scale: float) -> pd.DataFrame:
    """``territory`` with the outcomes summed over households (persons, firms, USD totals)
    divided by ``scale``: for the whole territory, as the report's tables show them."""
    territory = territory.copy()
    for column in territory.columns:
        if column in REGISTRY:
            territory[column] = territory[column] * numbers.whole_territory_factor(column, scale)
    return territory


def draw_charts(directory: Path, content: ReportContent, out: Path) -> dict[str, Path]:
    """The report's charts, drawn afresh from the comparison's tables into ``out`` at the
    width of the report's text, in the content's language: ``"differences"`` (to the
    reference, with intervals; only with interventions), ``"scenarios"`` (outcomes over time
    with bands) and ``"typology"`` (type shares under each scenario)."""
    with speaking(content.language):
        return _draw_charts(Path(directory), content, out)


def _draw_charts(directory: Path, content: ReportContent, out: Path) -> dict[str, Path]:
    names = [s["name"] for s in content.scenarios]
    charts = {}
    if len(names) > 1:
        charts["differences"] = out / "differences.png"
        plot_differences(pd.read_csv(directory / "summary.csv"), content.reference, charts["differences"], dpi=CHART_DPI)
        if (directory / "differences_by_year.csv").is_file():  # a comparison written since session 24
            meta = json.loads((directory / "comparison.json").read_text(encoding="utf-8"))
            charts["differences_over_time"] = out / "differences_over_time.png"
            plot_differences_over_time(pd.read_csv(directory / "differences_by_year.csv"), names,
                                       meta.get("programme_end", {}), charts["differences_over_time"], dpi=CHART_DPI)
    charts["scenarios"] = out / "scenarios.png"
    plot_scenario_bands(whole_territory_results(pd.read_csv(directory / "territory_results.csv"), content.households_scale),
                        names, charts["scenarios"], dpi=CHART_DPI)
    charts["typology"] = out / "typology.png"
    plot_typology_shares(content.typology_shares, charts["typology"], dpi=CHART_DPI)
    with ResultStore(directory) as store:
        scenarios = store.manifest()["design"]["scenarios"]
    if comparison_map(pd.read_csv(directory / "results.csv", dtype={"node_id": str}), scenarios, content.reference,
                      content.years[1], out / "map.png") is not None:
        charts["map"] = out / "map.png"
    return charts


LANGUAGE_NAMES = {"en": "English", "es": "Spanish"}
"""The report's languages (:data:`.language.LANGUAGES`) in words, for the message that refuses another."""


def check_language(language: str, source: str = "--language") -> str:
    """``language`` if the report is written in it, else InputError naming ``source`` and the
    accepted values."""
    if language not in LANGUAGES:
        raise InputError(source, "language", "one of " + ", ".join(f"{code} ({LANGUAGE_NAMES[code]})"
                                                                    for code in LANGUAGES) + f", got {language!r}")
    return language


def write_report(directory: Path, out: Path | None = None, question: str | None = None,
                 language: str = "en") -> list[Path]:
    """Write ``report.html`` and ``report.pdf`` (default: into the comparison directory) in
    ``language`` (``"en"`` English, ``"es"`` Spanish: every sentence, heading, table and chart,
    numbers as the dashboard writes them; recorded in the HTML's ``lang`` and the PDF's
    Keywords); the charts are embedded in both, so no other file is written."""
    directory = Path(directory)
    content = build_content(directory, question, check_language(language))
    out = Path(out) if out is not None else directory
    out.mkdir(parents=True, exist_ok=True)
    html_path, pdf_path = out / "report.html", out / "report.pdf"
    with tempfile.TemporaryDirectory(prefix="report-charts-") as tmp:
        charts = draw_charts(directory, content, Path(tmp))
        tmp_html = html_path.with_name(html_path.name + ".tmp")
        tmp_html.write_text(render_html(content, charts), encoding="utf-8")
        tmp_pdf = pdf_path.with_name("report.tmp.pdf")
        render_pdf(content, charts, tmp_pdf)
    tmp_html.replace(html_path)
    tmp_pdf.replace(pdf_path)
    return [html_path, pdf_path]
