"""Which parameters act only at the start (``params.STARTING_STATE``): no run reads them after
its start, so a running model refuses a new value for them (``TerritoryModel.set_parameters``)
rather than take one that does nothing."""

import pytest

from conftest import RULES_OFF, SCENARIOS
from territory_abm import TerritoryModel, load_scenario
from territory_abm import params as registry
from territory_abm.errors import InputError
from territory_abm.model import context

OTHER_RULES = {"urbanisation_pull": 0.5, "city_birth_ratio": 0.7, "enterprise_exit_outside_shelter": 1.0,
               "outside_sales_entrant_cap": 1.0}
"""Rules still off by default, switched on beside the defaults up to session 34 (``RULES_OFF``),
so that between the two settings the runs read every parameter."""


class ReadsRecorded:
    """Records the registry names read from every ``Parameters`` made while it is in use, by
    phase ("start" while a model is built, "run" while it steps)."""

    def __init__(self, monkeypatch):
        self.phase, self.reads = "start", {"start": set(), "run": set()}
        made = registry.Parameters.__init__
        recorder = self

        def init(params, overrides=None, source="parameters"):
            made(params, overrides, source)
            for name in params._values:  # no plain attributes: every read goes through __getattr__
                params.__dict__.pop(name, None)

        def read(params, name):
            if name.startswith("_") or name not in params._values:
                raise AttributeError(name)
            recorder.reads[recorder.phase].add(name)
            return params._values[name]

        def item(params, name):
            recorder.reads[recorder.phase].add(name)
            return params._values[name]

        monkeypatch.setattr(registry.Parameters, "__init__", init)
        monkeypatch.setattr(registry.Parameters, "__getattr__", read)
        monkeypatch.setattr(registry.Parameters, "__getitem__", item)


def test_the_parameters_no_run_reads_after_its_start_are_the_starting_state(monkeypatch):
    """Every shipped scenario (8 years at scale 0.05), with and without the rules that are off
    by default (and with the defaults up to session 34): the parameters read while a model is built and never while it steps, less
    those of the context's path (``set_parameters`` draws the path again), are exactly
    ``STARTING_STATE``; none of those is read in a run."""
    recorded = ReadsRecorded(monkeypatch)
    files = sorted(SCENARIOS.glob("*.toml")) + sorted((SCENARIOS / "classroom").glob("*.toml"))
    for path in files:
        for overrides in ({}, RULES_OFF | OTHER_RULES):
            scenario = load_scenario(path)
            scenario = scenario.replace(households_scale=0.05, steps=min(scenario.steps, 8), seed=3)
            recorded.phase = "start"
            model = TerritoryModel(scenario.replace(parameters=scenario.parameters.with_overrides(overrides)))
            recorded.phase = "run"
            for _ in range(scenario.steps):
                model.step()
            model.release()
    recorded.phase = "path"
    recorded.reads["path"] = set()
    context.path_from(registry.Parameters(), context.draw_path(registry.Parameters(), 3, model.streams["context"])[1])
    start_only = recorded.reads["start"] - recorded.reads["run"] - recorded.reads["path"]
    assert start_only == registry.STARTING_STATE
    assert not registry.STARTING_STATE & recorded.reads["run"]
    assert recorded.reads["start"] | recorded.reads["run"] == set(registry.REGISTRY)  # every parameter is read


@pytest.mark.parametrize("name", sorted(registry.STARTING_STATE))
def test_a_running_model_refuses_a_new_value_for_a_parameter_read_only_at_its_start(baseline, name):
    model = TerritoryModel(baseline.replace(households_scale=0.05, steps=2, seed=1))
    model.step()
    entry, old = registry.REGISTRY[name], model.params[name]
    new = entry.low if old != entry.low else entry.high
    with pytest.raises(InputError, match=f"parameters.{name}.*only while it builds its start"):
        model.set_parameters({name: new, "clearing_propensity": 0.0})
    assert model.params[name] == old and model.params["clearing_propensity"] != 0.0  # nothing changed
    model.set_parameters({name: old, "clearing_propensity": 0.0})  # its value as it is: accepted
    assert model.params["clearing_propensity"] == 0.0
    model.step()
