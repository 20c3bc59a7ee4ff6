"""Bad input is rejected before anything runs, naming the file and field."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE, SCENARIOS
from territory_abm import InputError, load_scenario
from territory_abm.cli import main
from territory_abm.data import load_territory
from territory_abm.params import REGISTRY
from territory_abm.scenarios import LEVERS


def write(tmp_path: Path, text: str, name="s.toml") -> Path:
    path = tmp_path / name
    path.write_text(f'territory = "{EXAMPLE.as_posix()}"\n' + text)
    return path


@pytest.mark.parametrize("body, field", [
    ("[parameters]\nnot_a_parameter = 1\n", "parameters.not_a_parameter"),
    ("[parameters]\nbirth_rate = 0.9\n", "parameters.birth_rate"),
    ("[parameters]\nbirth_rate = 'high'\n", "parameters.birth_rate"),
    ('[[policies]]\nlever = "teleport"\n', "policies[0].lever"),
    ('[[policies]]\nlever = "cash_transfer"\ncoverage = 2\n', "policies[0].coverage"),
    ('[[policies]]\nlever = "cash_transfer"\nstart = 2020\nend = 2015\n', "policies[0].end"),
    ('[[policies]]\nlever = "cash_transfer"\ncolour = 1\n', "policies[0].colour"),
    ('[[policies]]\nlever = "roads"\ntarget = 5\n', "policies[0].target"),
    ('extends = "missing.toml"\n', "extends"),
    ("steps = -3\n", "steps"),
    ("unknown_key = 1\n", "unknown_key"),
    ("steps = [1\n", "syntax"),
])
def test_bad_scenarios_are_rejected_with_file_and_field(tmp_path, body, field):
    path = write(tmp_path, body)
    with pytest.raises(InputError) as err:
        load_scenario(path)
    assert err.value.field == field
    assert str(path) in str(err.value) or path.name in str(err.value)


def test_extends_merges_parameters_and_adds_policies():
    mix = load_scenario(SCENARIOS / "policy_mix.toml")
    assert [p.label for p in mix.policies][0] == "cct"  # from cash_transfers.toml
    assert len(mix.policies) == 6
    assert mix.steps == 20 and mix.seed == 42


def copy_example(tmp_path: Path) -> Path:
    target = tmp_path / "territory"
    shutil.copytree(EXAMPLE, target)
    return target


def edit_csv(path: Path, row: int, column: str, value: str) -> None:
    lines = path.read_text().splitlines()
    header = lines[0].split(",")
    cells = lines[row].split(",")
    cells[header.index(column)] = value
    lines[row] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize("table, row, column, value, field", [
    ("municipalities.csv", 1, "population", "-5", "row 2 (M01), column population"),
    ("municipalities.csv", 2, "income_gini", "1.5", "row 3 (M02), column income_gini"),
    ("municipalities.csv", 1, "kind", "village", "row 2 (M01), column kind"),
    ("municipalities.csv", 1, "mean_income", "abc", "row 2 (M01), column mean_income"),
    ("edges.csv", 1, "to", "NOWHERE", "row 2, column to"),
    ("edges.csv", 1, "travel_time", "-1", "row 2, column travel_time"),
])
def test_bad_territory_values(tmp_path, table, row, column, value, field):
    d = copy_example(tmp_path)
    edit_csv(d / table, row, column, value)
    with pytest.raises(InputError) as err:
        load_territory(d)
    assert err.value.field == field and table in err.value.source


def test_missing_column(tmp_path):
    d = copy_example(tmp_path)
    lines = (d / "municipalities.csv").read_text().splitlines()
    drop = lines[0].split(",").index("land_gini")
    (d / "municipalities.csv").write_text("\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != drop)
                                                    for line in lines) + "\n")
    with pytest.raises(InputError, match="column land_gini"):
        load_territory(d)


def test_unknown_target_node_is_rejected_before_running(tmp_path, capsys):
    path = write(tmp_path, '[[policies]]\nlever = "roads"\ntarget = ["M01", "ATLANTIS"]\n')
    assert main(["run", str(path), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "policies[0].target" in err and "ATLANTIS" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_cli_user_error_has_exit_2_and_no_traceback(tmp_path):
    path = write(tmp_path, "[parameters]\nbirth_rate = 7\n")
    proc = subprocess.run([sys.executable, "-m", "territory_abm.cli", "run", str(path)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1 and "parameters.birth_rate" in proc.stderr


def test_validate_reports_each_file(tmp_path, capsys):
    bad = write(tmp_path, "steps = 0\n")
    assert main(["validate", str(SCENARIOS / "baseline.toml"), str(bad)]) == 2
    out = capsys.readouterr()
    assert "ok:" in out.out and "steps" in out.err


# --- property-based: random broken scenarios never crash the loader --------------------------------
scalars = st.one_of(st.integers(-10**6, 10**6), st.floats(allow_nan=True), st.text(max_size=5), st.booleans(),
                    st.lists(st.integers(), max_size=2))
param_names = st.sampled_from(sorted(REGISTRY) + ["bogus", ""])
lever_names = st.sampled_from(sorted(LEVERS) + ["bogus"])


def toml_value(v):
    import json
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return "nan" if v != v else ("inf" if v == float("inf") else "-inf" if v == float("-inf") else repr(v))
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(str(x) for x in v) + "]"
    return str(v)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(param_names, scalars, max_size=3),
       policies=st.lists(st.tuples(lever_names, st.dictionaries(st.sampled_from(
           ["start", "end", "coverage", "amount", "target", "share", "years", "zzz"]), scalars, max_size=3)), max_size=2),
       top=st.dictionaries(st.sampled_from(["steps", "seed", "poverty_line", "households_scale", "start_year"]),
                           scalars, max_size=2))
def test_loader_never_crashes_on_broken_scenarios(tmp_path, params, policies, top):
    lines = [f"{k} = {toml_value(v)}" for k, v in top.items()]
    lines.append("[parameters]")
    lines += [f'"{k}" = {toml_value(v)}' for k, v in params.items()]
    for lever, fields in policies:
        lines.append("[[policies]]")
        lines.append(f'lever = "{lever}"')
        lines += [f"{k} = {toml_value(v)}" for k, v in fields.items()]
    path = write(tmp_path, "\n".join(lines) + "\n")
    try:
        scenario = load_scenario(path)
    except InputError as exc:
        assert exc.field and str(path) in exc.source or path.name in exc.source
        return
    # anything accepted must be within the registry's ranges
    for name, value in scenario.parameters.items():
        assert REGISTRY[name].low <= value <= REGISTRY[name].high
    assert scenario.steps >= 1


def test_readme_parameter_table_is_the_registry():
    """The README's parameter table is the registry's own table (regenerate it with
    ``territory-abm parameters`` when a parameter changes)."""
    from territory_abm.params import markdown_table

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    assert markdown_table().strip() in readme


def test_parameters_read_as_attributes_and_items_alike():
    """Parameter values are instance attributes (a plain lookup for the model's reads): no
    name may shadow the mapping's own methods, and attribute, item and override agree."""
    import pickle

    from territory_abm.params import Parameters

    assert not [name for name in REGISTRY if hasattr(Parameters, name)]
    params = Parameters().with_overrides({"migration_stay_preference": 5.0})
    for copy in (params, pickle.loads(pickle.dumps(params))):
        assert copy.migration_stay_preference == copy["migration_stay_preference"] == 5.0
        assert all(getattr(copy, name) == copy[name] for name in REGISTRY)
        assert dict(copy) == params.as_dict() and sorted(copy) == sorted(REGISTRY)
    with pytest.raises(AttributeError):
        params.birth_rate = 0.1
    with pytest.raises(AttributeError):
        params.no_such_parameter  # noqa: B018


def test_a_range_beyond_the_registry_names_it_without_a_unit_of_one():
    """``[0, 1] 1`` read oddly for a dimensionless parameter (researcher trial): its unit is
    left out; a parameter with a unit keeps it."""
    from territory_abm.design_files import parameter_bounds

    with pytest.raises(InputError) as error:
        parameter_bounds("d.toml", ["outside_sales_pass_on"], {"outside_sales_pass_on": [0.0, 2.0]})
    assert str(error.value).endswith("within the registry range [0, 1], got [0, 2]")
    with pytest.raises(InputError) as error:
        parameter_bounds("d.toml", ["own_account_entry"], {"own_account_entry": [0.0, 2.0]})
    assert "[0, 1] 1/yr, got [0, 2]" in str(error.value)


def test_input_errors_cross_process_boundaries_as_themselves(tmp_path):
    """An input error raised in a worker process (a parameter out of range in a run of a pool)
    reaches the parent with its file, field and expectation, not as a TypeError of unpickling
    (``benchmarks/stationarity.py --set enterprise_labour_elasticity=0`` showed the latter)."""
    import pickle
    from concurrent.futures import ProcessPoolExecutor

    from territory_abm.errors import InputErrors

    one = InputError("scenario.toml", "parameters.birth_rate", "a number in [0, 0.05]")
    several = InputErrors([one, InputError("t.csv", "land_gini", "a number in [0, 1]")])
    for error in (one, several):
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is type(error) and str(back) == str(error) and back.field == error.field
    bad = tmp_path / "bad.toml"
    bad.write_text(f'extends = "{(SCENARIOS / "baseline.toml").as_posix()}"\n[parameters]\nbirth_rate = 9.0\n')
    with ProcessPoolExecutor(1) as pool:
        with pytest.raises(InputError, match="birth_rate") as raised:
            pool.submit(load_scenario, bad).result()
    assert raised.value.source.endswith("bad.toml")
