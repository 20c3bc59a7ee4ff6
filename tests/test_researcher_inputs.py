"""A researcher's trial from a fresh clone (session 17): policies outside the simulated years,
stale outputs of an earlier run, calibration verdicts that follow their reason, "did you mean"
for context drivers and statistics, a quiet broken pipe, the Mesa-native notes and run.json's
record of the command line."""

import json
import os
import subprocess
import sys
import warnings
from types import SimpleNamespace

import numpy as np
import pytest

from territory_abm import TerritoryModel
from territory_abm.cli import main
from territory_abm.errors import InputError
from territory_abm.scenarios.loader import PolicyYearsWarning, load_scenario
from territory_abm.suggest import close_path

from conftest import EXAMPLE, ROOT, SCENARIOS

SMALL = ["--steps", "2", "--households-scale", "0.02", "--quiet"]


def _scenario(tmp_path, body: str, name: str = "s.toml"):
    path = tmp_path / name
    path.write_text(f'territory = "{os.path.relpath(EXAMPLE, tmp_path)}"\nsteps = 5\n{body}\n')
    return path


CASH = '[[policies]]\nlever = "cash_transfer"\nlabel = "ct"\nstart = {start}\nend = {end}\n'


# ---------------------------------------------------------------- policy years
def test_a_policy_wholly_outside_the_simulated_years_is_an_input_error(tmp_path):
    """Simulated years 2011-2015 (start 2010, 5 steps): a policy of 2020-2025 or 2000-2010 is
    refused naming the file, the policy, the field and the years; 2015-2020 acts in 2015."""
    for start, end, field in ((2020, 2025, "start"), (2000, 2010, "end")):
        path = _scenario(tmp_path, CASH.format(start=start, end=end))
        with pytest.raises(InputError) as err:
            load_scenario(path)
        assert err.value.source == str(path) and err.value.field == f"policies[0].{field}"
        assert "'ct'" in err.value.expected and "2011-2015" in err.value.expected
    with pytest.warns(PolicyYearsWarning, match=r"policies\[0\] \('ct'\) runs to 2020.*2016-2020"):
        assert load_scenario(_scenario(tmp_path, CASH.format(start=2015, end=2020))).policies[0].end == 2020
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a policy inside the years: no warning
        load_scenario(_scenario(tmp_path, CASH.format(start=2011, end=2015)))


def test_a_shorter_horizon_from_the_command_line_only_warns(tmp_path, capsys):
    """cash_transfers starts in 2012: ``--steps 1`` (2011 only) runs with a warning that
    names the policy, and ``validate`` of a file with such a policy exits 2."""
    with pytest.warns(PolicyYearsWarning, match=r"'cct'\) runs 2012-2029, outside the simulated years 2011-2011"):
        load_scenario(SCENARIOS / "cash_transfers.toml").with_command_line(steps=1)
    assert main(["run", str(SCENARIOS / "cash_transfers.toml"), "--steps", "1", "--households-scale", "0.02",
                 "--quiet", "--no-plots", "--out", str(tmp_path / "r")]) == 0
    assert "warning:" in capsys.readouterr().err
    assert main(["validate", str(_scenario(tmp_path, CASH.format(start=2035, end=2040)))]) == 2
    assert "outside the simulated years 2011-2015" in capsys.readouterr().err


# ---------------------------------------------------------------- stale outputs
def test_a_run_removes_an_earlier_runs_outputs_it_does_not_write(tmp_path):
    """An earlier run's households.csv and PNGs go; a file of another name stays."""
    out = tmp_path / "o"
    out.mkdir()
    for name in ("households.csv", "territory.png", "network.png", "map.png", "notes.txt"):
        (out / name).write_text("earlier")
    assert main(["run", str(SCENARIOS / "baseline.toml"), *SMALL, "--no-plots", "--out", str(out)]) == 0
    meta = json.loads((out / "run.json").read_text())
    assert sorted(p.name for p in out.iterdir()) == sorted(meta["outputs"] + ["notes.txt"])


# ---------------------------------------------------------------- run.json, command line
def test_run_json_records_the_command_line_overrides_as_given(tmp_path):
    assert main(["run", str(SCENARIOS / "baseline.toml"), *SMALL, "--no-plots", "--seed", "3",
                 "--set", "migration_stay_preference=7", "--out", str(tmp_path / "r")]) == 0
    meta = json.loads((tmp_path / "r" / "run.json").read_text())
    assert meta["command_line"] == {"--seed": 3, "--steps": 2, "--households-scale": 0.02,
                                    "--set": {"migration_stay_preference": 7.0}}


def test_a_parameter_set_twice_is_refused_not_silently_the_last(tmp_path, capsys):
    """``--set x=1 --set x=2`` is an input error naming x (the last value won silently before;
    trial 19), for every command that takes --set; one --set per name runs."""
    with pytest.raises(SystemExit) as stop:
        main(["run", str(SCENARIOS / "baseline.toml"), *SMALL, "--no-plots", "--set", "birth_rate=0.01",
              "--set", "death_rate=0.006", "--set", "birth_rate=0.02", "--out", str(tmp_path / "r")])
    assert stop.value.code == 2
    assert "birth_rate given more than once" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()
    with pytest.raises(SystemExit) as stop:
        main(["compare", str(SCENARIOS / "baseline.toml"), "--set", "birth_rate=0.01", "--set", "birth_rate=0.01",
              "--out", str(tmp_path / "c")])
    assert stop.value.code == 2


# ---------------------------------------------------------------- calibration verdicts
def _design(seeds=(1, 2, 3, 4)):
    return SimpleNamespace(parameters=("migration_stay_preference", "clearing_propensity"),
                           bounds=((2.0, 10.0), (0.0, 1.0)), confidence_level=0.9, identification_factor=2.0,
                           seeds=seeds, name="cal", source="cal.toml", method="smm", fitted_to="observations",
                           scenario=SimpleNamespace(source=str(SCENARIOS / "baseline.toml"), name="baseline",
                                                    households_scale=0.1))


def _fit(draws):
    draws = np.asarray(draws, dtype=float)
    return SimpleNamespace(draws=draws, weights=np.full(len(draws), 1 / len(draws)), estimate=draws.mean(axis=0),
                           notes=[])


def test_identified_is_false_where_the_interval_cannot_be_read_and_says_why(tmp_path):
    """Three distinct narrow vectors (narrowing far above 2) are not identified: too few
    vectors; one vector gives zero width; a spread posterior is identified, a wide one is close
    to the prior. calibrated.toml's comment gives the same reason."""
    from territory_abm.calibration.report import calibrated_scenario, estimate_table

    design = _design()
    few = estimate_table(design, _fit(np.repeat([[6.7, 0.05], [6.8, 0.051], [6.9, 0.052]], 20, axis=0)))
    assert not few["identified"].any() and (few["narrowing"] > 2).all()
    assert few["identification"].str.contains("only 3 distinct vectors").all()
    text = calibrated_scenario(design, few, tmp_path)
    assert "only 3 distinct vectors" in text and "close to the prior" not in text
    point = estimate_table(design, _fit(np.tile([7.8, 0.02], (50, 1))))
    assert not point["identified"].any() and point["identification"].str.contains("zero width").all()
    assert "close to the prior" not in calibrated_scenario(design, point, tmp_path)
    rng = np.random.default_rng(0)
    spread = estimate_table(design, _fit(np.column_stack([rng.normal(6.8, 0.3, 200), rng.uniform(0, 1, 200)])))
    assert list(spread["identified"]) == [True, False]
    assert spread["identification"].iloc[1].startswith("interval close to the prior's")


# ---------------------------------------------------------------- did you mean, wrong table, paths
def test_context_drivers_and_statistics_get_did_you_mean_and_the_right_table(tmp_path):
    from territory_abm.calibration import load_calibration

    with pytest.raises(InputError, match="did you mean 'national_income_growth'"):
        load_scenario(_scenario(tmp_path, "[context]\nnational_income_growht = 0.02"))
    with pytest.raises(InputError, match="migration_stay_preference is a behavioural parameter: set it in the "
                                         r"\[parameters\] table"):
        load_scenario(_scenario(tmp_path, "[context]\nmigration_stay_preference = 5.0"))
    path = tmp_path / "cal.toml"
    path.write_text(f'scenario = "{os.path.relpath(SCENARIOS / "baseline.toml", tmp_path)}"\n'
                    f'observations = "{os.path.relpath(EXAMPLE / "observations.csv", tmp_path)}"\n'
                    'method = "smm"\nseeds = 2\nparameters = ["migration_stay_preference"]\n'
                    '[statistics]\nnet_migration_rat = 1.0\n')
    with pytest.raises(InputError, match=r"statistics\.net_migration_rat: .*did you mean 'net_migration_rate'"):
        load_calibration(path)


@pytest.mark.parametrize("body, field, meant", [
    ('statistic = "slop"\nx = "grew"\ny = "grew"\n', "statistic", "slope"),
    ('statistic = "share"\nvariable = "grew"\nstatus = "publishd"\n', "status", "published"),
    ('statistic = "share"\nvariable = "grew"\nunits = "municipalty"\n', "units", "municipality"),
])
def test_a_patterns_files_choices_get_did_you_mean(tmp_path, body, field, meant):
    """The ensemble's patterns: a misspelt statistic, status or units gets "did you mean"
    after its "one of" list, as a misspelt key or variable does."""
    from territory_abm.ensemble.patterns import load_patterns

    path = tmp_path / "patterns.toml"
    path.write_text('[[patterns]]\nname = "x"\nobserved = 0.1\ntolerance = 0.05\nsource = "s"\n' + body
                    + ('' if field == "status" else 'status = "assumption"\n'))
    with pytest.raises(InputError) as err:
        load_patterns(path)
    assert err.value.field == f"patterns[0].{field}"
    assert err.value.expected.startswith("one of ") and err.value.expected.endswith(f"(did you mean {meant!r}?)")


def test_a_distributions_kind_and_a_designs_method_get_did_you_mean():
    from territory_abm.design_files import one_of
    from territory_abm.ensemble.distributions import parse_distribution

    with pytest.raises(InputError, match=r"one of .*, got 'unifrom' \(did you mean 'uniform'\?\)"):
        parse_distribution({"kind": "unifrom", "low": 0.1, "high": 0.2}, "d.toml", "distributions.x", 0.0, 1.0)
    with pytest.raises(InputError, match=r"got 'sobl' \(did you mean 'sobol'\?\)"):
        one_of("d.toml", "method", "sobl", ["morris", "sobol"])


def test_errors_name_files_as_typed_and_a_missing_extends_gets_no_unrelated_suggestion(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _scenario(tmp_path, "[context]\nnational_income_growth = nan")
    with pytest.raises(InputError) as err:
        load_scenario("s.toml")
    assert err.value.source == "s.toml"
    (tmp_path / "rec.toml").write_text("")
    with pytest.raises(InputError) as err:
        load_scenario(_scenario(tmp_path, 'extends = "nothere.toml"'))
    assert "not found" in err.value.expected and "did you mean" not in err.value.expected
    assert close_path(tmp_path / "rec.tmol") == tmp_path / "rec.toml"  # a misspelt suffix is still found


def test_the_summarys_pointer_to_the_docs_names_a_section_that_is_there():
    """The run summary's line on the starting wage jobs names its section of
    docs/model_choices.md (it named the 2,000-line file alone)."""
    from territory_abm.runner import START_JOBS_SECTION

    headings = [line for line in (ROOT / "docs" / "model_choices.md").read_text().splitlines() if line.startswith("#")]
    assert [h for h in headings if h.lstrip("# ").startswith(START_JOBS_SECTION)]


# ---------------------------------------------------------------- a reader that stops early
def test_a_closed_pipe_ends_without_a_traceback_and_with_sigpipes_status():
    """The reader's end is closed before the command writes (as ``| head`` does early): no
    traceback, and status 141 (128 + SIGPIPE), what a shell reports for ``seq``, ``cat`` or
    ``git`` in the same pipe (1 is this command line's "some runs failed")."""
    proc = subprocess.Popen([sys.executable, "-m", "territory_abm.cli", "parameters"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait()
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert proc.returncode == 141


# ---------------------------------------------------------------- Mesa-native notes
def test_step_after_running_turns_false_simulates_another_year_as_the_readme_says():
    model = TerritoryModel(SCENARIOS / "baseline.toml", households_scale=0.02, steps=2, seed=5)
    model.run_model()
    assert not model.running and model.year == 2012
    model.step()
    assert model.year == 2013 and not model.running


def test_batch_run_with_seeds_as_a_parameter_list_repeats_the_seeded_model():
    """The README's reproducible batch: each row carries its seed and matches, year by year,
    the model made with that seed (Mesa's rows stop a year before the last, as README says)."""
    import mesa
    import pandas as pd

    runs = pd.DataFrame(mesa.batch_run(
        TerritoryModel, parameters={"scenario": str(SCENARIOS / "baseline.toml"), "households_scale": 0.02,
                                    "steps": 2, "seed": [11, 12]},
        iterations=1, number_processes=1, data_collection_period=1, display_progress=False))
    assert sorted(set(runs["seed"])) == [11, 12]
    alone = TerritoryModel(SCENARIOS / "baseline.toml", households_scale=0.02, steps=2, seed=12)
    alone.run_model()
    columns = ["year", "poverty_headcount", "population", "mean_income_pc"]
    rows = runs.loc[runs["seed"] == 12, columns].reset_index(drop=True)
    expected = alone.datacollector.get_model_vars_dataframe()[columns].iloc[:len(rows)].reset_index(drop=True)
    assert list(rows["year"]) == [2010, 2011]
    pd.testing.assert_frame_equal(rows, expected, check_exact=True, check_dtype=False)


def test_a_sensitivity_design_takes_the_scenario_files_households_scale_range(tmp_path):
    """A design's ``households_scale`` is checked as a scenario file's (0.0001 to 1000; the
    design said 'strictly between 0 and 1000' and accepted 1e-9)."""
    from territory_abm.sensitivity import load_design

    path = tmp_path / "tiny.toml"
    for scale in ("0", "1e-9"):
        path.write_text(f'name = "tiny"\nscenario = "{SCENARIOS / "baseline.toml"}"\nmethod = "morris"\nsamples = 2\n'
                        f'seeds = 1\nsteps = 2\nhouseholds_scale = {scale}\nparameters = ["wage_adjustment"]\n'
                        'outcomes = ["poverty_headcount"]\n')
        with pytest.raises(InputError, match=r"households_scale: a number in \[0.0001, 1000\]"):
            load_design(path)


# ---------------------------------------------------------------- a programme past the horizon
def test_compare_notes_a_programme_that_runs_past_the_last_simulated_year(tmp_path, capsys):
    """A researcher's trial (session 23): ``compare`` with a ``--steps`` that ends before a
    programme does printed its final-year differences with no word that the programme was
    still running; now a note says so, and nothing is said of one that ends in time."""
    from territory_abm.experiments.commands import outlasting_notes

    roads = load_scenario(SCENARIOS / "roads.toml")  # its programme: 2012-2016
    assert outlasting_notes([roads.replace(steps=10)]) == []
    (note,) = outlasting_notes([roads.replace(steps=3)])
    assert "runs to 2016, past the last simulated year 2013" in note and "2014-2016" in note
    assert main(["compare", str(SCENARIOS / "baseline.toml"), str(SCENARIOS / "roads.toml"), "--seeds", "2",
                 "--steps", "2", "--households-scale", "0.02", "--workers", "1", "--no-plots",
                 "--out", str(tmp_path / "c")]) == 0
    out = capsys.readouterr().out
    assert "the programme of roads runs to 2016, past the last simulated year 2012" in out, out
    assert "programme of baseline" not in out


# ---------------------------------------------------------------- every problem of a file at once
def test_validate_names_every_problem_of_a_scenario_file_in_one_reading(tmp_path, capsys):
    """A researcher's trial (session 23): ``validate`` stopped at a scenario file's first
    problem, so a file with three took three rounds. Its fields, parameters, context drivers
    and policies are now checked each on its own and every problem is printed, one line each,
    with exit status 2; a file with one problem still gets one line."""
    from territory_abm.errors import InputErrors

    body = ('steps = -3\n[parameters]\nmigration_stay_preference = 70\nnot_a_parameter = 1\n'
            '[context]\nbirth_rate = "high"\n'
            '[[policies]]\nlever = "cash_transfr"\nstart = 2012\nend = 2015\ntarget = "all"\n'
            '[[policies]]\nlever = "cash_transfer"\nstart = 2040\nend = 2045\ntarget = "all"\n')
    path = tmp_path / "s.toml"
    path.write_text(f'territory = "{os.path.relpath(EXAMPLE, tmp_path)}"\n{body}')
    with pytest.raises(InputErrors) as caught:
        load_scenario(path)
    fields = [problem.field for problem in caught.value.each]
    assert fields == ["steps", "parameters.migration_stay_preference", "parameters.not_a_parameter",
                      "context.birth_rate", "policies[0].lever", "policies[1].start"], fields  # years too (review 24)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 6 and all(line.startswith("error: ") and "s.toml" in line for line in err), err
    assert "Traceback" not in "\n".join(err)
    one = _scenario(tmp_path, "[parameters]\nnot_a_parameter = 1\n", name="one.toml")
    with pytest.raises(InputError) as caught:
        load_scenario(one)
    assert not isinstance(caught.value, InputErrors) and caught.value.field == "parameters.not_a_parameter"
    assert main(["run", str(path), "--quiet"]) == 2  # the other commands print every problem too
    assert len(capsys.readouterr().err.splitlines()) == 6


def test_compare_shows_what_a_land_reform_buys_the_land_gini(tmp_path, capsys):
    """An adviser's trial (session 24): land redistribution's clearest effect, the land Gini's
    fall, was in summary.csv but in neither compare's printed table nor the report's headline."""
    assert main(["compare", str(SCENARIOS / "baseline.toml"), str(SCENARIOS / "land_redistribution.toml"),
                 "--seeds", "2", "--steps", "3", "--households-scale", "0.02", "--workers", "1", "--no-plots",
                 "--out", str(tmp_path / "c")]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("gini_land")]
    assert rows and "-0." in rows[0], rows  # the reform lowers it


def test_a_run_that_empties_its_territory_says_so(tmp_path, capsys):
    """A researcher's trial (session 24): at migration_network_weight 1.3, inside its registry
    range, the territory lost most of its people and its poverty fell to 0 with no word."""
    from territory_abm.runner import emptied_lines

    assert emptied_lines(14_760, 1_042)[0].startswith("note: the territory lost 93% of its people (14,760 -> 1,042)")
    assert emptied_lines(100, 60) == [] and emptied_lines(0, 0) == []
    assert main(["run", str(SCENARIOS / "baseline.toml"), "--steps", "20", "--households-scale", "0.02", "--no-plots",
                 "--set", "migration_network_weight=1.4", "--out", str(tmp_path / "r")]) == 0
    assert "note: the territory lost" in capsys.readouterr().out


def test_a_policy_that_starts_before_the_first_simulated_year_is_warned_of(tmp_path):
    """A researcher's trial (session 24): a policy from 2005 in a run simulating 2011 on was
    accepted without a word; its years before the start are not simulated."""
    with pytest.warns(PolicyYearsWarning, match=r"starts in 2005, before the run's start year 2010: its years "
                                                 r"2005-2010 are not simulated \(it acts from 2011\)"):
        load_scenario(_scenario(tmp_path, CASH.format(start=2005, end=2013)))
    with warnings.catch_warnings():  # from the start year (a policy's default start) or later: nothing to say
        warnings.simplefilter("error", PolicyYearsWarning)
        load_scenario(_scenario(tmp_path, CASH.format(start=2010, end=2013), name="ok.toml"))
        load_scenario(_scenario(tmp_path, CASH.format(start=2011, end=2013), name="ok2.toml"))


def test_a_policys_years_and_target_errors_say_what_to_write(tmp_path):
    """A researcher's trial (session 24): start 2035 with end 2029 blamed end alone, and
    target = "San Isidro" (a string) got no hint that one node is written as a list."""
    body = '[[policies]]\nlever = "cash_transfer"\nstart = 2035\nend = 2029\n'
    with pytest.raises(InputError, match=r"start 2035 is itself after the last simulated year 2015"):
        load_scenario(_scenario(tmp_path, body))
    body = '[[policies]]\nlever = "cash_transfer"\ntarget = "San Isidro"\n'
    with pytest.raises(InputError, match=r'one node is a list of one: target = \["San Isidro"\]'):
        load_scenario(_scenario(tmp_path, body, name="t.toml"))
