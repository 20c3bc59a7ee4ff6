"""Per-household histories on request (``record_households = true``): one row per household
row and year, consistent with the aggregate outcomes of the same run."""

import subprocess
import sys

import pandas as pd

from conftest import SCENARIOS


def test_households_csv_matches_the_territory_table(tmp_path):
    scenario = tmp_path / "recorded.toml"
    scenario.write_text(f'extends = "{SCENARIOS / "cash_transfers.toml"}"\nname = "recorded"\n'
                        "record_households = true\nsteps = 3\nhouseholds_scale = 0.03\nstart_year = 2010\n")
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "territory_abm.cli", "run", str(scenario), "--out", str(out),
                           "--quiet", "--no-plots"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    households = pd.read_csv(out / "households.csv")
    territory = pd.read_csv(out / "territory.csv")
    assert set(households["year"]) == set(territory["year"]) == {2010, 2011, 2012, 2013}
    alive = households[households["alive"]]
    people = alive.groupby("year")["members"].sum()
    income = alive.groupby("year")["income"].sum()
    for row in territory.itertuples(index=False):
        assert people[row.year] == row.population
        assert abs(income[row.year] / people[row.year] - row.mean_income_pc) < 1e-6 * row.mean_income_pc
    # the transfer programme (from 2012) marks the households it reached
    reached = alive[alive["programmes"] != 0]
    assert reached["year"].min() == 2012 and len(reached) > 0
