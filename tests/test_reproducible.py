"""Same scenario and seed give byte-identical outputs, across processes; seeds differ."""

import os
import re
import subprocess
from pathlib import Path
import sys

import numpy as np
import pytest

from conftest import EXAMPLE, SCENARIOS
from territory_abm import TerritoryModel
from territory_abm.data.synthetic import draw_population
from territory_abm.data.territory import load_territory
from territory_abm.model.stats import grouped_gini

CSV = ("territory.csv", "municipalities.csv", "typology.csv")


def run_cli(out, seed):
    cmd = [sys.executable, "-m", "territory_abm.cli", "run", str(SCENARIOS / "policy_mix.toml"), "--steps", "5",
           "--households-scale", "0.05", "--seed", str(seed), "--out", str(out), "--quiet", "--no-plots"]
    subprocess.run(cmd, check=True)
    return {name: (out / name).read_bytes() for name in CSV}


@pytest.mark.slow
def test_byte_identical_across_processes_and_seeds_differ(tmp_path):
    a = run_cli(tmp_path / "a", 7)
    b = run_cli(tmp_path / "b", 7)
    c = run_cli(tmp_path / "c", 8)
    assert a == b
    assert a["territory.csv"] != c["territory.csv"]
    assert (tmp_path / "a" / "run.json").exists()


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="OpenBLAS runs one thread on one CPU: nothing to compare")
def test_results_do_not_depend_on_the_blas_threads(tmp_path):
    """A machine's cores must not move a seeded run: OpenBLAS splits a long dot product over its
    threads, so a BLAS call in the model gave other last bits with another thread count (the
    baseline's skill shift, a dot over the ~18,000 households of scale 0.5, until session 52)."""

    def run(threads, out):
        env = {**os.environ, "OPENBLAS_NUM_THREADS": str(threads), "OMP_NUM_THREADS": str(threads)}
        cmd = [sys.executable, "-m", "territory_abm.cli", "run", str(SCENARIOS / "baseline.toml"), "--steps", "3",
               "--households-scale", "0.5", "--seed", "3", "--out", str(out), "--quiet", "--no-plots"]
        subprocess.run(cmd, check=True, env=env)
        return {name: (out / name).read_bytes() for name in CSV}

    assert run(1, tmp_path / "one") == run(4, tmp_path / "four")


BLAS_CALL = re.compile(r"np\.(dot|matmul|inner|vdot|tensordot|einsum)\b|np\.linalg|scipy\.linalg|\.dot\(|[\w)\]] @ [\w(]")
"""A call numpy or scipy hands to BLAS or LAPACK (a matrix product ``a @ b`` among them)."""


def test_the_model_makes_no_blas_call():
    """The model's code (the start, the years, the levers and the territory's data) computes
    with numpy's own sums and compiled loops: a BLAS call's last bits follow the machine's
    threads (above). The bundled example's geography writer, run only to make its files, is
    left out (its product is of whole numbers, exact on any machine)."""
    root = Path(__file__).resolve().parents[1] / "src" / "territory_abm"
    found = []
    for folder in ("model", "scenarios", "data"):
        for path in sorted((root / folder).rglob("*.py")):
            if path.name == "example_geography.py":
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                code = line.split("#", 1)[0]
                if BLAS_CALL.search(code) and not code.lstrip().startswith(("\"\"\"", "``")):
                    found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert not found, "BLAS calls in the model:\n" + "\n".join(found)


def test_run_json_records_provenance(tmp_path):
    """Through ``main`` in this process (the command line's own process is the byte-identity
    test's above)."""
    import json

    from territory_abm.cli import main

    assert main(["run", str(SCENARIOS / "policy_mix.toml"), "--steps", "5", "--households-scale", "0.05", "--seed",
                 "11", "--out", str(tmp_path / "r"), "--quiet", "--no-plots"]) == 0
    meta = json.loads((tmp_path / "r" / "run.json").read_text())
    assert meta["complete"] and meta["seed"] == 11 and meta["scenario"]["name"] == "policy_mix"
    assert meta["version"] and "birth_rate" in meta["parameters"] and len(meta["scenario"]["policies"]) == 6
    # the commit of the checkout the package runs from (None only outside one)
    from territory_abm.output import tables

    root = Path(tables.__file__).resolve().parents[3]
    if (root / ".git").exists():
        assert len(meta["commit"].rstrip("+")) == 40
    else:
        assert meta["commit"] is None


def test_synthetic_population_matches_marginals():
    territory = load_territory(EXAMPLE)
    pop = draw_population(territory, 1.0, np.random.default_rng(0))
    c = pop.columns
    t = territory.table
    income_pc = c["income"] / c["members"]
    n = territory.n_nodes
    gini = grouped_gini(income_pc, c["node"], n, c["members"])
    land_gini = grouped_gini(c["land"], c["node"], n)
    for i in np.flatnonzero(territory.populated):
        sel = c["node"] == i
        assert sel.sum() == t["households"][i]
        assert c["members"][sel].sum() == pytest.approx(t["population"][i], rel=0.05)
        assert np.average(income_pc[sel], weights=c["members"][sel]) == pytest.approx(t["mean_income"][i], rel=1e-9)
        assert gini[i] == pytest.approx(t["income_gini"][i], abs=0.03)
        assert land_gini[i] == pytest.approx(t["land_gini"][i], abs=0.05)
        assert c["land"][sel].sum() == pytest.approx(t["households"][i] * t["mean_farm_ha"][i], rel=1e-9)
        assert pop.forest_ha[i] == pytest.approx(t["forest_cover"][i] * t["area_ha"][i])


def test_model_start_matches_data(baseline):
    m = TerritoryModel(baseline.replace(households_scale=1.0))
    start = m.node_stats
    t = m.territory.table
    for i in np.flatnonzero(m.populated):
        assert start["forest_cover"][i] == pytest.approx(t["forest_cover"][i])
        assert start["mean_income_pc"][i] == pytest.approx(t["mean_income"][i], rel=0.1)
