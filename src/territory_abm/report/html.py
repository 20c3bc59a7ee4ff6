"""The report as one self-contained HTML file: styles inline, charts embedded as data URIs,
no scripts and nothing fetched from the network."""

from __future__ import annotations

import base64
import html
from pathlib import Path

import pandas as pd

from .content import ReportContent, scale_note
from .findings import runs_note
from ..language import say, speaking, tr
from .text import (
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

STYLE = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       color: #222; line-height: 1.45; }
h1 { font-size: 1.7rem; margin-bottom: 0.2rem; } h2 { font-size: 1.25rem; margin-top: 2rem;
     border-bottom: 1px solid #ccc; } .question { font-size: 1.15rem; font-style: italic; }
table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.85rem; }
th, td { border: 1px solid #bbb; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #eef2f5; } img { max-width: 100%; } .note { color: #555; font-size: 0.85rem; }
.gains { color: #1a7f37; } .loses { color: #b42318; } footer { margin-top: 3rem; color: #777; font-size: 0.8rem; }
"""


VERDICT_CLASS = {"gains": "gains", "loses": "loses", "gana": "gains", "pierde": "loses"}


def _cell(tag: str, value) -> str:
    """One escaped cell; line breaks in the text (value over difference) become ``<br>``."""
    text = str(value)
    word = text.split(" (")[0]
    css = f' class="{VERDICT_CLASS[word]}"' if tag == "td" and word in VERDICT_CLASS else ""
    return f"<{tag}{css}>" + "<br>".join(html.escape(line) for line in text.split("\n")) + f"</{tag}>"


def _table(df: pd.DataFrame) -> str:
    head = "".join(_cell("th", c) for c in df.columns)
    rows = "".join("<tr>" + "".join(_cell("td", v) for v in row) + "</tr>" for row in df.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _image(path: Path, alt: str) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


def render_html(content: ReportContent, charts: dict[str, Path]) -> str:
    """The whole report as one HTML page, in the PDF's order and in the content's language
    (recorded in the page's ``lang``); ``charts`` maps each chart's role (``"differences"``,
    ``"scenarios"``, ``"typology"``) to its PNG (embedded)."""
    with speaking(content.language):
        return _render_html(content, charts)


def simulated_note(c: ReportContent, sep: str = ",") -> str:
    """The note under the question: years, runs per scenario, the package's version (after ``sep``)."""
    runs = len(c.seeds)
    return say("Simulated {y0}-{y1}, {runs} run{s} per scenario with the same seeds{sep} territory_abm {version}.",
               "Simulado {y0}-{y1}, {runs} corrida{s} por escenario con las mismas semillas{sep} territory_abm "
               "{version}.", y0=c.years[0], y1=c.years[1], runs=runs, s="s" if runs != 1 else "", version=c.version,
               sep=sep)


def _render_html(content: ReportContent, charts: dict[str, Path]) -> str:
    c = content
    e = html.escape
    parts = [f"<!DOCTYPE html><html lang='{c.language}'><head><meta charset='utf-8'><title>{e(c.question)}</title>"
             f"<style>{STYLE}</style></head><body>",
             f"<h1>{e(tr('Comparing interventions for a rural territory'))}</h1>",
             f"<p class='question'>{e(c.question)}</p>",
             f"<p class='note'>{e(simulated_note(c))}</p>",
             *([f"<p class='note'>{e(scale_note(c.households_scale))}</p>"] if c.households_scale != 1 else []),
             *([f"<h2>{e(tr(NOT_ONLY_POLICIES))}</h2>", "<ul>", *[f"<li><strong>{e(x)}</strong></li>"
                                                             for x in c.not_only_policies], "</ul>"]
               if c.not_only_policies else []),
             *([f"<h2>{e(tr(OVERVIEW_TITLE))}</h2>", f"<p class='note'>{e(tr(OVERVIEW))}</p>", _table(c.overview)]
               if len(c.overview) else []),
             f"<h2>{e(tr(READ_FIRST))}</h2>", "<ul>", *[f"<li>{e(x)}</li>" for x in c.read_first], "</ul>",
             f"<h2>{e(tr('Main findings'))}</h2>", "<ul>", *[f"<li>{e(x)}</li>" for x in c.findings], "</ul>",
             *([f"<h2>{e(tr(PAIRWISE_TITLE))}</h2>", f"<p class='note'>{e(tr(PAIRWISE))}</p>", _table(c.pairwise)]
               if len(c.pairwise) else []),
             f"<h2>{e(tr('The scenarios and their costs'))}</h2>"]
    rows = [{say("Scenario", "Escenario"): s["name"], say("What it does", "Qué hace"): s["description"],
             say("Policies", "Políticas"): "; ".join(s["policies"]) or say("none", "ninguna"),
             say("Programme cost over the run (USD)", "Costo del programa en la corrida (USD)"): s["cost_text"]}
            for s in c.scenarios]
    parts.append(_table(pd.DataFrame(rows)))
    parts += [f"<h2>{e(tr('What this report is based on'))}</h2>", *[f"<p>{e(tr(p))}</p>" for p in INTRO]]
    parts += [f"<h2>{e(tr('Headline results'))}</h2>", f"<p>{e(reading(len(c.seeds)))}</p>",
              f"<h3>{e(say('At the horizon ({year})', 'En el horizonte ({year})', year=c.years[1]))}</h3>",
              _table(c.headline), f"<h3>{e(tr('At the end of each programme'))}</h3>"]
    if len(c.programme_end):
        parts += [f"<p>{e(tr(PROGRAMME_END))}</p>", _table(c.programme_end)]
    else:
        parts.append(f"<p>{html.escape(tr(ALL_TO_HORIZON), quote=False)}</p>")
    if "differences" in charts:
        parts += [f"<h3>{e(tr(DIFFERENCES_TITLE))}</h3>", _image(charts["differences"], tr(DIFFERENCES_TITLE))]
    if "differences_over_time" in charts:
        parts += [f"<h3>{e(tr(DIFFERENCES_OVER_TIME_TITLE))}</h3>",
                  _image(charts["differences_over_time"], tr(DIFFERENCES_OVER_TIME_TITLE))]
    parts += [f"<h2>{e(tr('Cost-effectiveness'))}</h2>", f"<p class='note'>{e(tr(COST_EFFECTIVENESS))}</p>", _table(c.cost_effectiveness),
              f"<h2>{e(tr('Who gains beyond the people the programme pays?'))}</h2>", f"<p>{e(tr(MULTIPLIERS))}</p>",
              _table(c.multipliers), *[f"<p class='note'>{e(note)}</p>" for note in c.multiplier_notes]]
    if "map" in charts:
        title = map_title(len(c.scenarios) - 1)
        parts += [f"<h3>{e(title)}</h3>", _image(charts["map"], title)]
    elif c.map_note:
        parts += [f"<h3>{e(no_map_title())}</h3>", f"<p class='note'>{e(c.map_note)}.</p>"]
    if "scenarios" in charts:
        parts += [f"<h2>{e(tr('Outcomes over time'))}</h2>", f"<p>{e(tr(SCENARIOS_EXPLAINED))}</p>",
                  _image(charts["scenarios"], tr(SCENARIOS_EXPLAINED))]
    parts += [
              f"<h2>{e(tr('Types of municipality under each scenario'))}</h2>", f"<p>{e(tr(TYPOLOGY))}</p>"]
    for label, table in c.typology.items():
        parts += [f"<h3>{e(label[0].upper() + label[1:])}</h3>", _table(table)]
    parts += [f"<h3>{e(tr('Rural municipalities: improved / no change / worsened'))}</h3>",
              _table(c.typology_changes)]
    if "typology" in charts:
        parts += [f"<h3>{e(tr(TYPOLOGY_TITLE))}</h3>", _image(charts["typology"], tr(TYPOLOGY_TITLE))]
    parts += [f"<h2>{e(tr('Municipalities that gain and lose'))}</h2>",
              f"<p class='note'>{e(tr(MUNICIPALITIES, year=c.years[1]))}</p>"]
    if runs_note(len(c.seeds)):  # the verdicts rest on the same few runs' intervals
        parts.append(f"<p class='note'>{e(runs_note(len(c.seeds)))}</p>")
    for name, table in c.municipalities.items():
        parts += [f"<h3>{e(compared_heading(name, c.reference))}</h3>", _table(table)]
        if name in c.municipalities_end:
            year, at_end = c.municipalities_end[name]
            parts += [f"<h3>{e(compared_heading(name, c.reference, year))}</h3>", _table(at_end)]
    parts += [f"<h2>{e(tr('Caveats'))}</h2><ul>", *[f"<li>{e(x)}</li>" for x in c.caveats], "</ul>",
              f"<footer>territory_abm {e(c.version)}; {say('seeds', 'semillas')} {', '.join(map(str, c.seeds))}. "
              f"{e(tr('Intervals: 5th to 95th percentile over seeds.'))}</footer></body></html>"]
    return "\n".join(parts)


def compared_heading(name: str, reference: str, year: int | None = None) -> str:
    """The heading over an intervention's municipalities table (``year``: the last year of its
    programme, for the table at its end)."""
    if year is None:
        return say("{name} compared with {reference}", "{name} comparado con {reference}", name=name,
                   reference=reference)
    return say("{name} compared with {reference}, at the end of its programme ({year})",
               "{name} comparado con {reference}, al final de su programa ({year})", name=name, reference=reference,
               year=year)
