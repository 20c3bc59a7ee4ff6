"""The report as one self-contained HTML file: styles inline, charts embedded as data URIs,
no scripts and nothing fetched from the network."""

from __future__ import annotations

import base64
import html
from pathlib import Path

import pandas as pd

from .content import ReportContent
from .text import INTRO, PROGRAMME_END, READING, TYPOLOGY

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
    css = f' class="{VERDICT_CLASS[text]}"' if tag == "td" and text in VERDICT_CLASS else ""
    return f"<{tag}{css}>" + "<br>".join(html.escape(line) for line in text.split("\n")) + f"</{tag}>"


def _table(df: pd.DataFrame) -> str:
    head = "".join(_cell("th", c) for c in df.columns)
    rows = "".join("<tr>" + "".join(_cell("td", v) for v in row) + "</tr>" for row in df.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _image(path: Path, alt: str) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


def render_html(content: ReportContent, extra_charts: dict[str, Path]) -> str:
    c = content
    e = html.escape
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{e(c.question)}</title>"
             f"<style>{STYLE}</style></head><body>",
             "<h1>Comparing interventions for a rural territory</h1>",
             f"<p class='question'>{e(c.question)}</p>",
             f"<p class='note'>Simulated {c.years[0]}-{c.years[1]}, {len(c.seeds)} runs per scenario with the same "
             f"seeds, territory_abm {e(c.version)}.</p>",
             "<h2>Main findings</h2>", "<ul>", *[f"<li>{e(x)}</li>" for x in c.findings], "</ul>",
             "<h2>What this report is based on</h2>", *[f"<p>{e(p)}</p>" for p in INTRO],
             "<h2>The scenarios and their costs</h2>"]
    rows = []
    for s in c.scenarios:
        mean, low, high = s["cost"]
        rows.append({"Scenario": s["name"], "What it does": s["description"],
                     "Policies": "; ".join(s["policies"]) or "none",
                     "Programme cost over the run (USD)": f"{mean:,.0f} [{low:,.0f}, {high:,.0f}]"})
    parts.append(_table(pd.DataFrame(rows)))
    parts += ["<h2>Headline results</h2>", f"<p>{e(READING)}</p>",
              f"<h3>At the horizon ({c.years[1]})</h3>", _table(c.headline),
              "<h3>At the end of each programme</h3>"]
    if len(c.programme_end):
        parts += [f"<p>{e(PROGRAMME_END)}</p>", _table(c.programme_end)]
    else:
        parts.append("<p>Every intervention's programmes run to the horizon: the table above is also their "
                     "end-of-programme result.</p>")
    parts += ["<h2>Cost-effectiveness</h2>", _table(c.cost_effectiveness),
              "<h2>Who gains beyond the people the programme pays?</h2>",
              "<p>Income gained in the territory per USD of programme cost over the run, split into the "
              "households the programme reached and everybody else (spillovers through local markets, jobs "
              "and prices). 90 % intervals over seeds in brackets.</p>", _table(c.multipliers),
              "<h2>Outcomes over time, with uncertainty</h2>"]
    for title, path in {**c.charts, **extra_charts}.items():
        if path.name != "typology.png":
            parts += [f"<h3>{e(title)}</h3>", _image(path, title)]
    parts += ["<h2>Types of municipality under each scenario</h2>", f"<p>{e(TYPOLOGY)}</p>"]
    for label, table in c.typology.items():
        parts += [f"<h3>{e(label[0].upper() + label[1:])}</h3>", _table(table)]
    parts += ["<h3>Rural municipalities: improved / no change / worsened</h3>", _table(c.typology_changes)]
    if "typology.png" in {p.name for p in extra_charts.values()}:
        path = next(p for p in extra_charts.values() if p.name == "typology.png")
        parts.append(_image(path, "typology shares"))
    parts.append("<h2>Municipalities that gain and lose</h2>")
    for name, table in c.municipalities.items():
        parts += [f"<h3>{e(name)} compared with {e(c.reference)}</h3>",
                  f"<p class='note'>At the horizon ({c.years[1]}), difference with the reference run of the same seed; "
                  "90 % interval in brackets. 'gains' or 'loses' only where the whole interval is on one "
                  "side of zero.</p>", _table(table)]
    parts += ["<h2>Caveats</h2><ul>", *[f"<li>{e(x)}</li>" for x in c.caveats], "</ul>",
              f"<footer>territory_abm {e(c.version)}; seeds {', '.join(map(str, c.seeds))}. "
              "Intervals: 5th to 95th percentile over seeds.</footer></body></html>"]
    return "\n".join(parts)
