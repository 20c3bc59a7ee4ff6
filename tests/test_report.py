"""The adviser report: one self-contained HTML file (nothing fetched from the network) and a
PDF from a finished comparison; municipality verdicts follow the paired intervals."""

import re
import subprocess
import sys

import pandas as pd
import pytest

from territory_abm.report.content import municipality_changes

from conftest import SCENARIOS


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "territory_abm.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=600)


@pytest.fixture(scope="module")
def comparison(tmp_path_factory):
    out = tmp_path_factory.mktemp("compare")
    done = _cli("compare", SCENARIOS / "baseline.toml", SCENARIOS / "cash_transfers.toml", SCENARIOS / "roads.toml",
                "--seeds", "3", "--workers", "1", "--households-scale", "0.05", "--steps", "5", "--quiet",
                "--no-plots", "--out", out)  # the report draws its own charts
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def english_report(comparison, tmp_path_factory):
    """The comparison's English report, written once through the command line for the tests
    that read it (the Spanish report's test compares the two)."""
    out = tmp_path_factory.mktemp("report_en")
    done = _cli("report", comparison, "--out", out, "--question", "Cash or roads for the example territory?")
    assert done.returncode == 0, done.stderr
    return out


@pytest.mark.slow
def test_report_writes_a_self_contained_html_and_a_pdf(english_report):
    tmp_path = english_report
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Cash or roads for the example territory?" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page), "the report fetches something"
    assert "<script" not in page
    assert page.count("data:image/png;base64,") >= 3
    for text in ("baseline", "cash_transfers", "roads", "Poverty headcount", "difference", "Municipalities that gain",
                 "Caveats", "Calibration", "(spillover)", "(composition)", "win-win-win",
                 "The interventions at a glance", "Read with care", "Person-years out of poverty over the run"):
        assert text in page, text
    pdf = (tmp_path / "report.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 3


def test_report_of_a_directory_without_a_finished_comparison_is_a_clear_error(tmp_path, capsys):
    from territory_abm.cli import main

    assert main(["report", str(tmp_path)]) == 2  # in this process: the status the entry point exits with
    err = capsys.readouterr().err
    assert "comparison.json" in err and "Traceback" not in err
    assert main(["report", str(tmp_path / "cmq")]) == 2  # a misspelt directory: not found, not "unfinished"
    err = capsys.readouterr().err
    assert "not found" in err and "Traceback" not in err


def test_a_comparison_of_one_scenario_is_noted_and_its_report_refused_clearly(tmp_path, capsys):
    """An adviser trial (session 26): compare with the interventions but no reference ran without
    a word and report then ended in a pandas traceback (an empty impact.csv). Compare now says the
    scenario is compared with nothing, and report refuses with status 2 naming what to run."""
    from territory_abm.cli import main

    out = tmp_path / "one"
    assert main(["compare", str(SCENARIOS / "roads.toml"), "--seeds", "2", "--households-scale", "0.02", "--steps",
                 "2", "--workers", "1", "--quiet", "--out", str(out)]) == 0
    assert "roads is compared with nothing: give the reference first" in capsys.readouterr().err
    assert main(["report", str(out)]) == 2
    err = capsys.readouterr().err
    assert "ran roads alone (run compare with the reference first" in err and "Traceback" not in err


def test_a_reference_with_policies_beside_a_scenario_without_is_noted(tmp_path, capsys):
    """An adviser trial (session 26) gave the baseline second and read 'baseline lowers the mean
    income per person ... compared with cash_transfers' with no word about the order."""
    from territory_abm.cli import main

    assert main(["compare", str(SCENARIOS / "cash_transfers.toml"), str(SCENARIOS / "baseline.toml"), "--seeds", "2",
                 "--households-scale", "0.02", "--steps", "2", "--workers", "1", "--quiet", "--no-plots",
                 "--out", str(tmp_path / "order")]) == 0
    assert ("the reference cash_transfers (the first scenario) has policies and baseline has none"
            in capsys.readouterr().err)


def test_municipalities_gain_or_lose_only_when_the_whole_interval_says_so():
    rows = []
    for seed, (a_gain, b_gain) in enumerate([(100.0, 50.0), (120.0, -40.0), (90.0, 10.0)], start=1):
        for scenario, shift in (("policy", 1.0), ("baseline", 0.0)):
            for node, gain in (("A", a_gain), ("B", b_gain), ("C", -30.0 - seed)):
                rows.append({"scenario": scenario, "seed": seed, "year": 2020, "kind": "municipality",
                             "node_id": node, "name": node, "mean_income_pc": 1000 + shift * gain,
                             "poverty_headcount": 0.3 - shift * gain / 1000})
    table = municipality_changes(pd.DataFrame(rows), "policy", "baseline").set_index("Municipality")
    assert table.loc["A (A)", "Verdict"] == "gains (income up, poverty down)"
    assert table.loc["B (B)", "Verdict"] == "no clear change"
    assert table.loc["C (C)", "Verdict"] == "loses (income down, poverty up)"
    assert table.index[0] == "A (A)" and table.index[-1] == "C (C)"  # ordered by mean income change


# ---------------------------------------------------------------- PDF layout
class _Pages:
    """Stands in for PdfPages: keeps each page's figure."""

    def __init__(self):
        self.figures = []

    def savefig(self, fig):
        self.figures.append(fig)


def _page_texts(fig) -> list[str]:
    return [t.get_text() for t in fig.texts]


def test_column_widths_fill_the_text_width_and_keep_short_columns_whole():
    from territory_abm.report.pdf import TABLE, WIDTH, column_widths, text_width

    header = ["Scenario", "What it does", "Cost (USD)"]
    rows = [["cash_transfers", "Conditional cash transfers to the poorest 30 % of households (proxy means test) " * 2,
             "2,220,000 [2,210,000, 2,230,000]"]]
    widths = column_widths([header, *rows], TABLE)
    assert sum(widths) == pytest.approx(WIDTH)
    assert widths[2] >= text_width("2,220,000 [2,210,000, 2,230,000]", TABLE)  # numbers not wrapped
    assert widths[0] >= text_width("cash_transfers", TABLE)
    assert widths[1] < text_width(rows[0][1], TABLE)  # the description wraps instead


def test_wrapped_lines_fit_their_width():
    from territory_abm.report.pdf import BODY, text_width, wrap

    text = "Poverty gap: mean shortfall below the line as a share of it (FGT1) (%; differences in points) " * 3
    for width in (60.0, 120.0, 300.0):
        lines = wrap(text + " averyveryverylongwordwithoutanyspaceinsideit", width, BODY)
        assert all(text_width(line, BODY) <= width for line in lines)
        assert " ".join(lines).replace(" ", "") == (text + " averyveryverylongwordwithoutanyspaceinsideit").replace(" ", "")


def test_narrow_columns_break_names_after_underscores_and_never_inside_a_number():
    """Seven scenarios beside the outcome labels (trial 18: the headline table printed
    "157,4 / 64", "[-1,47 / 1" and "baseli / ne" in the roads and baseline columns)."""
    from territory_abm.report.pdf import CELL_PAD, TABLE, Style, column_widths, wrap

    names = ["baseline", "cash_transfers", "roads", "land_redistribution", "assistance_market_linkage",
             "environmental_governance", "policy_mix"]
    header = ["Outcome", *names]
    rows = [["Gini of per-capita income (person-weighted)", *["157,464\n-518 [-1,471, +88]"] * 7],
            ["Mean income per person (USD/person/yr)", *["3,241\n+28 [+7, +53]"] * 7]]
    widths = column_widths([header, *rows], TABLE)
    bold = Style(TABLE.size, "bold")
    for name, w in zip(names, widths[1:]):
        lines = wrap(name, w - 2 * CELL_PAD[0], bold)
        assert "".join(lines) == name and all(line.endswith("_") for line in lines[:-1]), lines
    for row in rows:
        for cell, w in zip(row[1:], widths[1:]):
            words = cell.split()
            for line in wrap(cell, w - 2 * CELL_PAD[0], TABLE):
                assert all(word in words for word in line.split()), (cell, line)


def test_a_percent_sign_stays_with_its_number_in_the_typology_change_table():
    """An adviser trial (session 26): the PDF's 'improved / no change / worsened' cells read
    '100 % / 0 % / 0' and '%' alone on the next line; the cells join number and sign with a
    non-breaking space, and the columns are at least as wide as such a pair."""
    from territory_abm.report.content import typology_change_table
    from territory_abm.report.pdf import CELL_PAD, TABLE, column_widths, wrap

    NAMES = ["base", "cash_transfers", "roads", "land_redistribution", "policy_mix", "assistance_market_linkage",
             "environmental_governance", "cct_poor_munis"]  # enough columns that the cells wrap
    shares = pd.DataFrame([{"group": "rural", "period": "horizon", "scenario": n, "measure": m, "category": c,
                            "share_of_units": v}
                           for n in NAMES for m in ("income", "poverty", "inequality", "forest")
                           for c, v in (("improved", 1.0), ("no change", 0.0), ("worsened", 0.0))])
    table = typology_change_table(shares, NAMES)
    cells = [list(table.columns), *table.astype(str).to_numpy().tolist()]
    widths = column_widths(cells, TABLE)
    for row in cells[1:]:
        for cell, w in zip(row[1:], widths[1:]):
            assert "100\u00a0%" in cell
            lines = wrap(cell, w - 2 * CELL_PAD[0], TABLE)
            assert len(lines) > 1 and not any(line.lstrip().startswith("%") for line in lines), lines


def test_long_headers_wrap_before_the_numbers_below_them():
    """Page one's table: headers of several words over short intervals. The cells are kept on
    one line (its first layout wrapped '2029: +0.4 [-0.3, / +1.2]' under a long header)."""
    from territory_abm.report.pdf import CELL_PAD, TABLE, column_widths, wrap

    header = ["Scenario", "Programme years", "Cost per programme year (thousand USD)",
              "Poverty headcount at the end of the programmes (points)", "Poverty headcount in 2030 (points)",
              "Person-years out of poverty over the run"]
    row = ["assistance_market_linkage", "2012-2021", "13,000", "2029: +0.4 [-0.3, +1.2]", "+1.3 [+0.5, +2.3]",
           "-10,700 [-20,200, 6,200]"]
    widths = column_widths([header, row], TABLE)
    lines = [len(wrap(cell, w - 2 * CELL_PAD[0], TABLE)) for cell, w in zip(row, widths)]
    assert lines[1:] == [1] * 5  # the name may break after an underscore; the numbers do not wrap


def test_a_heading_keeps_with_the_table_it_introduces_and_tables_do_not_overprint():
    from territory_abm.output.figure_check import figure_problems
    from territory_abm.report.pdf import H2, Layout

    pages = _Pages()
    layout = Layout(pages, "test")
    while layout.room == 0 or layout.room > 90:  # fill the first page to near its foot
        layout.paragraph("Filler text that takes one line of the page.")
    layout.heading("Headline results", H2)
    layout.paragraph("This paragraph introduces the table below.", keep=True)
    table = pd.DataFrame({"Outcome (a long two-line header that must wrap inside its cell)": [f"row {k}" for k in range(8)],
                          "baseline value of the reference scenario": ["3,228"] * 8,
                          "cash_transfers with a long name": ["3,249\n+20 [-5, +40]"] * 8})
    layout.table(table)
    layout.close()
    assert len(pages.figures) == 2
    first, second = (_page_texts(f) for f in pages.figures)
    assert "Headline results" not in first and "Headline results" in second
    assert "row 0" in second and "row 7" in second  # a short table is kept whole with its heading
    for fig in pages.figures:
        problems = figure_problems(fig)
        assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_every_report_page_has_readable_text_and_sentences_from_the_numbers(comparison, tmp_path):
    from territory_abm.output.figure_check import figure_problems
    from territory_abm.report.command import draw_charts
    from territory_abm.report.content import build_content
    from territory_abm.report.pdf import lay_out

    content = build_content(comparison)
    pages = _Pages()
    assert lay_out(content, draw_charts(comparison, content, tmp_path), pages) == len(pages.figures) >= 4
    for number, fig in enumerate(pages.figures, start=1):
        problems = figure_problems(fig)
        assert not problems, f"page {number}:\n" + "\n".join(problems)
        texts = _page_texts(fig)
        assert not any(re.search(r"[-+]0(\.0+)?(?![.\d])", t) for t in texts), number  # no -0, +0.0
    first = " ".join(_page_texts(pages.figures[0]))  # page one: the table, the calibration status, the findings
    for text in ("The interventions at a glance", "Read with care", "Calibration: none of these scenarios",
                 "Main findings"):
        assert text in first, text
    headings = {"Main findings", "Headline results", "Cost-effectiveness", "Caveats"}
    for fig in pages.figures:  # no heading is the last text of a page
        body = [t for t in fig.texts if "· page" not in t.get_text()]
        last = min(body, key=lambda t: t.get_position()[1])
        assert last.get_text() not in headings
    findings = " ".join(content.findings)
    assert "cash_transfers" in findings and "roads" in findings and "poverty headcount" in findings
    # the two interventions compared with each other on the same seeds (an adviser trial, session 27): the table
    # right after the findings, whose last sentence says whether the pair is told apart
    assert list(content.pairwise["Pair (first minus second)"]) == ["cash_transfers minus roads"]
    assert "cash_transfers and roads" in content.findings[-1] and "apart from chance" in content.findings[-1]
    texts = [" ".join(_page_texts(fig)) for fig in pages.figures]
    table_page = next(k for k, text in enumerate(texts) if "The interventions compared with each other" in text)
    assert table_page == next(k for k, text in enumerate(texts) if "Main findings" in text) or \
        table_page == next(k for k, text in enumerate(texts) if "apart from chance in any" in text
                           or "told apart from chance in" in text)
    assert not any("strongly in the first years" in c for c in content.caveats)


def test_without_the_geo_extra_compare_and_the_report_say_why_there_is_no_map(tmp_path, monkeypatch, capsys):
    """The adviser's trial (session 24, finding 10): with the README's install (no geo extra)
    compare and report left the map out and said nothing, where run says why."""
    from territory_abm.experiments.commands import compare
    from territory_abm.report import write_report
    from territory_abm.report.content import build_content

    monkeypatch.setitem(sys.modules, "geopandas", None)  # as without the extra: importing it fails
    note = 'no map.png: the territory has boundaries (geometry.gpkg) but the geo extra is not installed ' \
           '(pip install -e ".[geo]")'
    out = tmp_path / "cmp"
    assert compare([SCENARIOS / "baseline.toml", SCENARIOS / "roads.toml"], 2, out, workers=1, progress=True,
                   households_scale=0.02, steps=1).complete
    assert note in capsys.readouterr().out.splitlines() and not (out / "map.png").exists()
    content = build_content(out)
    assert content.map_note == "No map" + note.removeprefix("no map.png")
    write_report(out, tmp_path / "report")
    page = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    # under a heading of its own, not read as a note on the multipliers' table above it (a user's trial, session 53)
    assert "<h3>Map of the differences by municipality</h3>\n<p class='note'>No map: the territory has boundaries" in page
    monkeypatch.undo()  # geopandas as the test session has it (the geo extra is installed for the tests)
    assert build_content(out).map_note == ""  # with the extra: the map is drawn, nothing to say


# ---------------------------------------------------------------- the report in Spanish
ENGLISH_WORDS = re.compile(r"\b(the|and|with|which|of|is|are|under|over|to|from|per|each|not|only|than)\b")
"""English words that no Spanish sentence of the report has (scenario descriptions, the user's text, aside)."""


def _visible_texts(page: str) -> list[str]:
    """The text nodes of a report page, without styles and images."""
    import html

    page = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    page = re.sub(r"<img[^>]*>", "", page)
    return [html.unescape(t).strip() for t in re.findall(r">([^<]+)<", page) if t.strip()]


def _english_left(texts: list[str], descriptions: set[str]) -> list[str]:
    """Pieces of ``texts`` that read as English: an English word outside the scenarios'
    descriptions and outside quoted titles of English documents («...»)."""
    left = []
    for text in texts:
        if any(text in d for d in descriptions):  # a description, or a line of one wrapped in a PDF cell
            continue
        text = re.sub(r"«[^»]*»", "", text)
        left += [text[max(0, m.start() - 30):m.end() + 30] for m in ENGLISH_WORDS.finditer(text)]
    return left


@pytest.mark.slow
def test_the_report_in_spanish_has_no_english_sentence_and_spanish_numbers(comparison, english_report, tmp_path):
    """Advisers hand the report to Latin American ministries (session 28): ``--language es``
    writes every heading, sentence, table and chart in Spanish, numbers with a decimal comma
    (the dashboard's rule) and intervals as [a; b]; the English report of the same comparison
    shares no text with it but the scenarios' own descriptions."""
    from territory_abm.report.content import build_content
    from territory_abm.report.text import SPANISH

    done = _cli("report", comparison, "--out", tmp_path / "es", "--language", "es")
    assert done.returncode == 0, done.stderr
    spanish = (tmp_path / "es" / "report.html").read_text(encoding="utf-8")
    english = (english_report / "report.html").read_text(encoding="utf-8")
    assert "<html lang='es'>" in spanish and "<html lang='en'>" in english  # the language recorded
    assert b"language=es" in (tmp_path / "es" / "report.pdf").read_bytes()
    es, en = _visible_texts(spanish), _visible_texts(english)
    descriptions = {s["description"] for s in build_content(comparison).scenarios}
    shared = [t for t in set(es) & set(en) - descriptions if len(re.findall(r"[A-Za-z]{2,}", t)) >= 3]
    assert not shared, shared  # numbers and names (municipalities, scenarios) alone are shared
    assert not _english_left(es, descriptions)
    # the English template's headings and paragraphs are absent, their Spanish present
    page = " ".join(t for t in es if t not in descriptions)
    from territory_abm.report import text as fixed

    content = build_content(comparison)
    conditional = {fixed.NOT_ONLY_POLICIES, fixed.PROGRAMME_END, fixed.ONE_RUN_READING}  # not said of this comparison
    for english_text, spanish_text in SPANISH.items():
        said = english_text not in conditional
        english_text, spanish_text = (t.format(year=content.years[1]) for t in (english_text, spanish_text))
        assert english_text not in page, english_text
        assert spanish_text in page or not said, spanish_text
    for text in ("Comparación de intervenciones para un territorio rural", "Las intervenciones de un vistazo",
                 "Leer con cuidado", "Principales resultados", "Resultados principales", "Costo-efectividad",
                 "Advertencias", "Municipios que ganan y que pierden", "Tasa de pobreza", "Años-persona fuera de la "
                 "pobreza en la corrida", "triple ganancia", "(derrame)", "(composición)", "Calibración: ninguno"):
        assert text in page, text
    for text in ("Main findings", "Read with care", "Caveats", "Poverty headcount", "compared with",
                 "90 % interval", "not distinguishable from chance", "win-win-win", "Person-years"):
        assert text not in page, text
    # numbers: a decimal comma, never a decimal point (the package's version aside); intervals as [a; b]
    assert re.search(r"[-+]\d+,\d+ \[[-+]\d+,\d+; [-+]?\d+,\d+\]", page)
    assert not re.findall(r"\d\.\d", page.replace(f"territory_abm {content.version}", ""))
    assert re.search(r"\d\.\d", " ".join(en))  # the English report keeps its decimal points


@pytest.mark.slow
def test_the_spanish_pdf_pages_are_readable_and_in_spanish(comparison, tmp_path):
    from territory_abm.output.figure_check import figure_problems
    from territory_abm.report.command import draw_charts
    from territory_abm.report.content import build_content
    from territory_abm.report.pdf import lay_out

    content = build_content(comparison, language="es")
    assert content.language == "es"
    pages = _Pages()
    assert lay_out(content, draw_charts(comparison, content, tmp_path), pages) == len(pages.figures) >= 4
    for number, fig in enumerate(pages.figures, start=1):
        problems = figure_problems(fig)
        assert not problems, f"page {number}:\n" + "\n".join(problems)
    texts = [t for fig in pages.figures for t in _page_texts(fig)]
    first = " ".join(_page_texts(pages.figures[0]))
    for text in ("Comparación de intervenciones", "Las intervenciones de un vistazo", "Leer con cuidado",
                 "Principales resultados", "página 1"):
        assert text in first, text
    descriptions = {s["description"] for s in content.scenarios}
    ours = [t for t in texts if not any(t in d for d in descriptions)]  # the descriptions' wrapped lines out
    assert not _english_left([" ".join(ours)], set())  # joined: a quoted title may wrap over lines
    assert list(content.pairwise["Par (primera menos segunda)"]) == ["cash_transfers menos roads"]


def test_an_unknown_report_language_is_refused_naming_the_option_and_the_languages(comparison, tmp_path, capsys):
    from territory_abm.cli import main
    from territory_abm.errors import InputError
    from territory_abm.report import write_report

    with pytest.raises(SystemExit) as exit_:
        main(["report", str(comparison), "--out", str(tmp_path), "--language", "fr"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "--language" in err and "en (English)" in err and "es (Spanish)" in err and "'fr'" in err
    assert "Traceback" not in err and not list(tmp_path.iterdir())  # nothing written
    with pytest.raises(InputError, match="language.*en \\(English\\), es \\(Spanish\\), got 'pt'"):
        write_report(comparison, tmp_path, language="pt")
