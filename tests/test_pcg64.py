"""``pcg64.uniforms`` and ``HouseholdPopulation.uniforms``: numpy's ``Generator.random`` draws
at the households' ids and the generator's state after, to the bit, whatever rows were dropped."""

import numpy as np
import pytest

from territory_abm.model import pcg64
from territory_abm.model.households import HouseholdPopulation


@pytest.mark.parametrize("ever, kept, k", [(0, 0, 1), (1, 1, 2), (10, 10, 1), (255, 100, 3), (256, 256, 1),
                                           (1000, 700, 3), (4099, 1, 2), (54_295, 47_142, 1), (54_295, 54_295, 2)])
def test_uniforms_are_numpys_at_the_ids(ever, kept, k):
    meta = np.random.default_rng(ever + kept)
    ids = np.sort(meta.choice(ever, kept, replace=False)) if kept else np.zeros(0, np.int64)
    ours, theirs = np.random.default_rng(ever), np.random.default_rng(ever)
    ours.random(3), theirs.random(3)
    theirs.standard_normal(1), ours.standard_normal(1)
    drawn = pcg64.uniforms(ours, ids, ever, k)
    expected = np.stack([theirs.random(ever)[ids] for _ in range(k)])
    assert drawn.shape == expected.shape and np.array_equal(drawn.view(np.uint64), expected.view(np.uint64))
    assert ours.bit_generator.state == theirs.bit_generator.state
    assert np.array_equal(ours.random(5), theirs.random(5))


def test_the_buffered_half_word_stays():
    """A 32-bit draw leaves half a word in the generator, which ``random`` does not touch."""
    ours, theirs = np.random.default_rng(5), np.random.default_rng(5)
    ours.integers(0, 10, 3, dtype=np.int32), theirs.integers(0, 10, 3, dtype=np.int32)
    assert ours.bit_generator.state["has_uint32"] == 1
    pcg64.uniforms(ours, np.arange(0, 500, 3), 500, 2)
    theirs.random(1000)
    assert ours.bit_generator.state == theirs.bit_generator.state
    assert np.array_equal(ours.integers(0, 10, 5, dtype=np.int32), theirs.integers(0, 10, 5, dtype=np.int32))


def test_other_bit_generators_use_numpys_draw():
    assert pcg64.uniforms(np.random.Generator(np.random.MT19937(3)), np.arange(4), 4) is None
    population = HouseholdPopulation({"node": np.zeros(6, np.int32), "alive": np.ones(6, bool)})
    ours, theirs = np.random.Generator(np.random.Philox(1)), np.random.Generator(np.random.Philox(1))
    assert np.array_equal(population.uniforms(ours, 2), np.stack([theirs.random(6), theirs.random(6)]))


def test_household_uniforms_after_dropped_rows():
    population = HouseholdPopulation({"node": np.zeros(300, np.int32), "alive": np.ones(300, bool)})
    population.keep(np.flatnonzero(np.arange(300) % 7 != 3))
    ours, theirs = np.random.default_rng(9), np.random.default_rng(9)
    drawn = population.uniforms(ours, 3)
    expected = np.stack([population.draw(theirs.random) for _ in range(3)])
    assert np.array_equal(drawn, expected) and ours.bit_generator.state == theirs.bit_generator.state
