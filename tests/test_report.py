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
                "--out", out)
    assert done.returncode == 0, done.stderr
    return out


@pytest.mark.slow
def test_report_writes_a_self_contained_html_and_a_pdf(comparison, tmp_path):
    done = _cli("report", comparison, "--out", tmp_path, "--question", "Cash or roads for the example territory?")
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Cash or roads for the example territory?" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page), "the report fetches something"
    assert "<script" not in page
    assert page.count("data:image/png;base64,") >= 3
    for text in ("baseline", "cash_transfers", "roads", "Poverty headcount", "difference", "Municipalities that gain",
                 "Caveats", "Calibration", "spillovers", "win-win-win"):
        assert text in page, text
    pdf = (tmp_path / "report.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 3


def test_report_of_a_directory_without_a_finished_comparison_is_a_clear_error(tmp_path):
    done = _cli("report", tmp_path)
    assert done.returncode == 2 and "comparison.json" in done.stderr and "Traceback" not in done.stderr


def test_municipalities_gain_or_lose_only_when_the_whole_interval_says_so():
    rows = []
    for seed, (a_gain, b_gain) in enumerate([(100.0, 50.0), (120.0, -40.0), (90.0, 10.0)], start=1):
        for scenario, shift in (("policy", 1.0), ("baseline", 0.0)):
            for node, gain in (("A", a_gain), ("B", b_gain), ("C", -30.0 - seed)):
                rows.append({"scenario": scenario, "seed": seed, "year": 2020, "kind": "municipality",
                             "node_id": node, "name": node, "mean_income_pc": 1000 + shift * gain,
                             "poverty_headcount": 0.3 - shift * gain / 1000})
    table = municipality_changes(pd.DataFrame(rows), "policy", "baseline").set_index("Municipality")
    assert table.loc["A (A)", "Verdict"] == "gains"
    assert table.loc["B (B)", "Verdict"] == "no clear change"
    assert table.loc["C (C)", "Verdict"] == "loses"
    assert table.index[0] == "A (A)" and table.index[-1] == "C (C)"  # ordered by mean income change
