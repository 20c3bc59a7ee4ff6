"""The report as one self-contained HTML file: styles inline, charts embedded as data URIs,
no scripts and nothing fetched from the network."""

from __future__ import annotations

import base64
import html
from pathlib import Path

import pandas as pd

from .content import ReportContent, scale_note
from .findings import runs_note
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
    PAIRWISE_TITLE,
    PROGRAMME_END,
    READ_FIRST,
    SCENARIOS_EXPLAINED,
    TYPOLOGY,
    TYPOLOGY_TITLE,
    map_title,
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


VERDICT_CLASS = {"gains": "gains", "loses": "loses"}


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
    """The whole report as one HTML page, in the PDF's order; ``charts`` maps each chart's
    role (``"differences"``, ``"scenarios"``, ``"typology"``) to its PNG (embedded)."""
    c = content
    e = html.escape
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{e(c.question)}</title>"
             f"<style>{STYLE}</style></head><body>",
             "<h1>Comparing interventions for a rural territory</h1>",
             f"<p class='question'>{e(c.question)}</p>",
             f"<p class='note'>Simulated {c.years[0]}-{c.years[1]}, {len(c.seeds)} run{'s' if len(c.seeds) != 1 else ''} per scenario with the same "
             f"seeds, territory_abm {e(c.version)}.</p>",
             *([f"<p class='note'>{e(scale_note(c.households_scale))}</p>"] if c.households_scale != 1 else []),
             *([f"<h2>{e(NOT_ONLY_POLICIES)}</h2>", "<ul>", *[f"<li><strong>{e(x)}</strong></li>"
                                                             for x in c.not_only_policies], "</ul>"]
               if c.not_only_policies else []),
             *([f"<h2>{e(OVERVIEW_TITLE)}</h2>", f"<p class='note'>{e(OVERVIEW)}</p>", _table(c.overview)]
               if len(c.overview) else []),
             f"<h2>{e(READ_FIRST)}</h2>", "<ul>", *[f"<li>{e(x)}</li>" for x in c.read_first], "</ul>",
             "<h2>Main findings</h2>", "<ul>", *[f"<li>{e(x)}</li>" for x in c.findings], "</ul>",
             *([f"<h2>{e(PAIRWISE_TITLE)}</h2>", f"<p class='note'>{e(PAIRWISE)}</p>", _table(c.pairwise)]
               if len(c.pairwise) else []),
             "<h2>The scenarios and their costs</h2>"]
    rows = [{"Scenario": s["name"], "What it does": s["description"], "Policies": "; ".join(s["policies"]) or "none",
             "Programme cost over the run (USD)": s["cost_text"]} for s in c.scenarios]
    parts.append(_table(pd.DataFrame(rows)))
    parts += ["<h2>What this report is based on</h2>", *[f"<p>{e(p)}</p>" for p in INTRO]]
    parts += ["<h2>Headline results</h2>", f"<p>{e(reading(len(c.seeds)))}</p>",
              f"<h3>At the horizon ({c.years[1]})</h3>", _table(c.headline),
              "<h3>At the end of each programme</h3>"]
    if len(c.programme_end):
        parts += [f"<p>{e(PROGRAMME_END)}</p>", _table(c.programme_end)]
    else:
        parts.append("<p>Every intervention's programmes run to the horizon: the table above is also their "
                     "end-of-programme result.</p>")
    if "differences" in charts:
        parts += [f"<h3>{e(DIFFERENCES_TITLE)}</h3>", _image(charts["differences"], DIFFERENCES_TITLE)]
    if "differences_over_time" in charts:
        parts += [f"<h3>{e(DIFFERENCES_OVER_TIME_TITLE)}</h3>",
                  _image(charts["differences_over_time"], DIFFERENCES_OVER_TIME_TITLE)]
    parts += ["<h2>Cost-effectiveness</h2>", f"<p class='note'>{e(COST_EFFECTIVENESS)}</p>", _table(c.cost_effectiveness),
              "<h2>Who gains beyond the people the programme pays?</h2>", f"<p>{e(MULTIPLIERS)}</p>",
              _table(c.multipliers), *[f"<p class='note'>{e(note)}</p>" for note in c.multiplier_notes]]
    if "map" in charts:
        title = map_title(len(c.scenarios) - 1)
        parts += [f"<h3>{e(title)}</h3>", _image(charts["map"], title)]
    elif c.map_note:
        parts.append(f"<p class='note'>{e(c.map_note)}.</p>")
    if "scenarios" in charts:
        parts += ["<h2>Outcomes over time</h2>", f"<p>{e(SCENARIOS_EXPLAINED)}</p>",
                  _image(charts["scenarios"], SCENARIOS_EXPLAINED)]
    parts += [
              "<h2>Types of municipality under each scenario</h2>", f"<p>{e(TYPOLOGY)}</p>"]
    for label, table in c.typology.items():
        parts += [f"<h3>{e(label[0].upper() + label[1:])}</h3>", _table(table)]
    parts += ["<h3>Rural municipalities: improved / no change / worsened</h3>", _table(c.typology_changes)]
    if "typology" in charts:
        parts += [f"<h3>{e(TYPOLOGY_TITLE)}</h3>", _image(charts["typology"], TYPOLOGY_TITLE)]
    parts += ["<h2>Municipalities that gain and lose</h2>",
              f"<p class='note'>{e(MUNICIPALITIES.format(year=c.years[1]))}</p>"]
    if runs_note(len(c.seeds)):  # the verdicts rest on the same few runs' intervals
        parts.append(f"<p class='note'>{e(runs_note(len(c.seeds)))}</p>")
    for name, table in c.municipalities.items():
        parts += [f"<h3>{e(name)} compared with {e(c.reference)}</h3>", _table(table)]
        if name in c.municipalities_end:
            year, at_end = c.municipalities_end[name]
            parts += [f"<h3>{e(name)} compared with {e(c.reference)}, at the end of its programme ({year})</h3>",
                      _table(at_end)]
    parts += ["<h2>Caveats</h2><ul>", *[f"<li>{e(x)}</li>" for x in c.caveats], "</ul>",
              f"<footer>territory_abm {e(c.version)}; seeds {', '.join(map(str, c.seeds))}. "
              "Intervals: 5th to 95th percentile over seeds.</footer></body></html>"]
    return "\n".join(parts)
