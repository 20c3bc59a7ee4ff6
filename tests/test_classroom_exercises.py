"""What the classroom guides promise students happens in their exercises (trial 16): each guide
states, with the seeds it was measured on, what the model does; these tests keep the claims a
change of the model or of an exercise's file could break."""

import numpy as np
from conftest import SCENARIOS

from territory_abm.dashboard.app import exercise

CLASSROOM = SCENARIOS / "classroom"


def test_in_the_forest_exercise_the_forest_shrinks_every_year_without_policy():
    """Its guide: "without policy the forest shrinks every year". Without a declared frontier
    pull the start was the clearing rule's rest point: 0.0 points a year (trial 16, seeds 7, 8)."""
    factory, seed = exercise(CLASSROOM / "forest_frontier.toml")
    model = factory(seed)
    cover = [model.territory_stats["forest_cover"]]
    for _ in range(3):
        model.step()
        cover.append(model.territory_stats["forest_cover"])
    model.release()
    assert np.all(-np.diff(cover) > 0.001), f"forest cover by year {cover}"  # over 0.1 points a year
