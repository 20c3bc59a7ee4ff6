"""An output directory holds one command's results (trial of session 18): ``compare`` refuses a
run's directory and ``run`` an experiment's, and a directory of another experiment is refused
with the settings that differ named."""

from territory_abm.cli import main

from conftest import SCENARIOS

SMALL = ["--steps", "1", "--households-scale", "0.02"]
COMPARE = ["compare", str(SCENARIOS / "baseline.toml"), str(SCENARIOS / "cash_transfers.toml"), *SMALL,
           "--workers", "1", "--no-plots"]


def test_compare_refuses_a_runs_directory_and_run_an_experiments(tmp_path, capsys):
    ran, compared = tmp_path / "ran", tmp_path / "compared"
    assert main(["run", str(SCENARIOS / "baseline.toml"), *SMALL, "--quiet", "--no-plots", "--out", str(ran)]) == 0
    assert main([*COMPARE, "--seeds", "1", "--out", str(ran)]) == 2
    assert "run.json" in capsys.readouterr().err
    assert not (ran / "results.sqlite").exists()
    assert main([*COMPARE, "--seeds", "1", "--out", str(compared)]) == 0
    capsys.readouterr()
    assert main(["run", str(SCENARIOS / "baseline.toml"), *SMALL, "--quiet", "--no-plots", "--out", str(compared)]) == 2
    assert "results.sqlite" in capsys.readouterr().err
    assert not (compared / "run.json").exists()


def test_another_experiments_directory_is_refused_naming_what_differs(tmp_path, capsys):
    out = tmp_path / "c"
    assert main([*COMPARE, "--seeds", "1", "--out", str(out)]) == 0
    capsys.readouterr()
    assert main([*COMPARE, "--seeds", "2", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "different experiment (its seeds differ" in err, err
