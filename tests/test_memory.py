"""Models are garbage-collected after a run (Mesa 3.3 keeps each model in a class-level
id counter of ``mesa.Agent``; a worker of a long experiment was killed for lack of memory)."""

import gc
import weakref

from territory_abm import TerritoryModel
from territory_abm.experiments.runs import RunSpec, execute_run


def _models_alive() -> int:
    gc.collect()
    return sum(isinstance(o, TerritoryModel) for o in gc.get_objects())


def test_a_released_model_is_collected(baseline):
    model = TerritoryModel(baseline.replace(steps=2))
    model.run(2)
    ref = weakref.ref(model)
    model.release()
    del model
    gc.collect()
    assert ref() is None


def test_experiment_runs_leave_no_model_behind(baseline):
    before = _models_alive()
    for seed in range(3):
        execute_run(RunSpec(f"run/{seed}", baseline.replace(steps=2), seed))
    assert _models_alive() == before
