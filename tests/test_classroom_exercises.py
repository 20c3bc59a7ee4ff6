"""What the classroom guides promise students happens in their exercises (trial 16): each guide
states, with the seeds it was measured on, what the model does; these tests keep the claims a
change of the model or of an exercise's file could break."""

import re

import numpy as np
import pytest
from conftest import SCENARIOS

from territory_abm.dashboard import app
from territory_abm.dashboard.app import exercise
from territory_abm.dashboard.game import Game
from territory_abm.dashboard.groups import GroupStore

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


@pytest.mark.slow
def test_with_the_transfer_for_all_municipalities_non_recipients_gain_in_its_first_year():
    """Its guide, seeds 1-9, the same households compared in both runs: non-recipients gain 2-5 USD
    a person in the transfer's first year in every seed (1.8-4.8); after 5 years -39 to +23 USD,
    above in 5 of 9, +0.2 on average: within the runs' noise, 17.2; the territory's poverty lower
    in every seed in the first year (-0.46 to -0.98 points) and in 7 of 9 in the fifth (-0.17 to
    -1.45; +0.37 and +0.09 at seeds 8 and 9), 0.53 lower on average, beyond the noise bound of
    0.48 (Session 53 (own-account entrants at a quarter of the node's mean enterprise scale): the
    first year's gains 1.8-4.8, within this test's bounds of 1.5-5.5; the fifth year's gains by
    seed -17.5, 8.4, 22.6, -10.0, 22.0, -39.2, -19.0, 12.1, 22.2, their standard deviation 22.4;
    the count above stays 5, the mean within the noise (+2.8 became +0.2, the noise bound 23.7
    became 17.2); the count below in poverty in the fifth year moved from 8 to 7 (seed 8 at +0.37,
    seed 9 at +0.09), and this test's count with it; the fifth year's poverty mean stays beyond
    its noise, though closer to it (0.86 lower became 0.53, its noise bound 0.73 became 0.48).
    Session 51
    (the table's non-farm share read as earned income): the first year's gains 1.8-4.7, within
    this test's bounds of 1.5-5.5; the fifth year's gains by seed -45.9, 26.6, 32.5, 33.5, 21.2,
    20.5, -31.9, -28.2, -3.3, their standard deviation 30.9; the count above moved from 6 to 5 and
    the count below in poverty from 9 to 8 (seed 9 at +1.34), and this test's counts with them;
    the mean gain stays within the noise (+17.4 became +2.8) and the fifth year's poverty mean
    beyond it (0.89 lower became 0.86, its noise bound 0.40 became 0.73). Session 51 (town farms
    capped, movers at their destination's level): 2.0-4.1 in the first year, -35 to +56 after 5,
    above in 6 of 9, +17.4 on average, within the noise, 23.2; the territory's poverty -0.21 to
    -1.08 points in the first year and lower in every seed in the fifth, -0.35 to -1.87, 0.89
    lower on average, beyond the noise bound of 0.40; the first year's lowest gain 2.0 at seed 4, below this test's
    bound of 2.5, which became 1.5; the fifth year's count above moved from 4 to 6 and the count
    below in poverty from 8 to 9, and this test's counts with them. Session 47 (dying
    workers' and whole households' jobs open; the runs take other paths): the fifth year's gains
    by seed 31.6, 9.8, -7.9, 56.7, 46.4, -20.3, -32.8, -57.7, -36.2, their standard deviation
    39.8; the count above moved from 9 to 4 with it, and this test's count with it, and the mean
    from beyond the noise to within it, which this test now asserts. Session 46,
    the single mover takes its job; the runs take other paths: 3.0-5.3 in the first year, +3.5 to
    +54 after 5, above in every seed, +26.1 on average, well beyond the noise, 13.7: the fifth
    year's gains by seed 14.4, 54.0, 18.4, 27.6, 5.4, 3.5, 26.2, 35.9, 49.2, their standard
    deviation 17.8; the count above moved from 7 to 9 with it, and this test's count with it.
    Session 45: 3.0-5.2 in the first
    year, -14 to +44 after 5, above in 7 of 9, +17.3 on average, only just larger than the noise,
    16.4, the start backing out no negative farm income: the fifth year's gains by seed 42.1, -10.6,
    28.8, 11.0, -14.2, 34.0, 7.8, 13.1, 44.0, their standard deviation 21.4; the same change
    turned the count above from 3 to 7 and the mean from within the noise to just beyond it:
    read the guide's figure as one set of seeds' draw. Session 43, a farm's
    management shared by movers and added in unions: the fifth year's gains by seed 40.9, -10.6,
    -16.0, -43.2, 9.1, -7.2, -5.1, -25.4, 18.3, their standard deviation 24.7, the noise bound
    19.0; session 41, af8e131: 3.0-5.0 in the first year, -52 to +45 after 5, above in 4, +2.2 on
    average,
    the starting firms' markets drawn once per node and sector: the fifth year's gains by seed
    -51.9, -5.3, 40.9, -12.9, 7.3, 31.2, -27.7, 44.9, -6.9; session 39, e2e167b and 71c07cf, the
    start's rounds pay dividends and public income and plan the estates' profits at each round's
    drawn jobs: 3.3-5.3 in the first year, -51 to +51 after 5, above in 8, +13.2 on average, the
    fifth year's gains by seed 10.8, 33.9, 17.9,
    11.0, 31.6, 51.4, 12.4, 1.1, -51.0; session 38, referral weight 0.5: -27 to +59, above in 4,
    +6.1 on average, hiring_referral_weight 1 -> 0.5 and the start's solver damped; the fifth
    year's gains by seed 27.8, -27.2, 58.8, -6.6, -1.6, 10.9, 22.5, -26.2, -3.8; session 37,
    672c6cd, the start's own-account enterprises mended: 3.0-5.2 in the first year, -14 to +58
    after 5, above in 7, +15 on average; at bbd82ab, own-account enterprises close
    at own_account_exit 0.3 a year: 3.0-5.1 in the first year, -31 to +26 after 5, above in 4,
    +1.5 on average; session 36, main 905a3c9, unions: adults living alone join households of one
    adult: 3.1-5.0 in the first year, -35 to +23 after 5, above in 5, +1.3 on average; session 35,
    the candidate setting as the defaults: job turnover, moving costs, livelihood rules: 2.9-5.0
    in the first year, above in 4, -1.5 on average; session 34: 5-6 in the first year, -41 to +50
    after 5, above in 4, +2 on average; session 22: -10 to +50, above in 6, +10 on average; before
    it -14 to +28, +5 on average, and this test bounded the mean by 10). The mean is bounded by
    that noise rather than by a fixed number: the 9 seeds' fifth-year gains had a standard
    deviation of 32.4 USD in session 41, so their mean has a standard error of 10.8 and +2.2 is
    0.2 of them, under 2.31 (Student's t, two-sided 5 %, 8 degrees of freedom; the noise bound
    is 24.9 USD); 28.6 in session 39, when +13.2 was 1.4 standard errors of 9.5 (bound 22.0);
    27.4 in session 38 (23.6 at 672c6cd, 18.3 at bbd82ab, 18.5 in session 36, 18
    in session 35, 27 in session 34, 18 in session 22), when their mean had a standard error of 9.1
    and +6.1 was 0.7 of them, under 2.31 (Student's t, two-sided 5 %, 8 degrees of freedom; the
    noise bound is 21.1 USD; at 672c6cd +15.3 was 1.9 standard errors of 7.9, bound 18.1). The
    test fails if the first year's gain vanished or grew, if the fifth year's count of seeds above
    moved from 5 (6 with the town farms capped in session 51, 4 in session 47, 9 in session 46,
    7 in session 45, 4 in session 41, 8 in session 39, 4 in session 38, 7 at 672c6cd), or if its mean moved beyond
    what the noise explains either way (session 34 required a mean above 0; since session 35 the
    guide says the gain is no larger than the noise, not that it is positive; in session 39 it
    said the gain is above in 8 of 9 seeds but its mean within the noise; in sessions 45 and 46
    it said the mean is beyond the noise, and this test required it). The territory's
    poverty is lower in every seed in the first year (-0.22 to -0.93 points) and in 8 of 9 in the
    fifth (-0.48 to -1.93; +0.59 at seed 7), 1.01 lower on average, beyond the noise bound of 0.62
    (Session 47 (dying workers' and whole households' jobs open; the runs take other paths): the
    fifth year's count below moved from 9 to 8, and this test's count with it; this test asserts
    that mean beyond its noise bound since then; in session 46, the single
    mover takes its job, the runs taking other paths, -0.39 to -0.74 in the first year and in the
    fifth lower in every seed, -0.49 to -2.14, 1.27 lower on average, beyond the noise bound of
    0.44: the fifth year's count below moved from 6 to 9, and this test's count with it; in
    session 45 -0.32 to -0.97 in the first year
    and in the fifth lower in 6 of 9 (-0.44 to -1.50; +0.54, +0.39 and +0.46 at seeds 1, 6 and
    8), 0.34 lower on average, within the noise bound of 0.52; in session 43 -0.32 to -0.85 in the
    first year and in the fifth lower in 7 of 9, -0.03 to -2.08, +0.52 and +0.50 at seeds 1 and
    8, 0.36 lower on average, within 0.63; in session 41 -0.46 to -0.85 in the first year
    and in the fifth lower in 7 of 9, -0.15 to -1.59, 0.67 lower on average, beyond the noise
    bound of 0.55; in session 39 -0.4 to -0.8 in the first year and
    in the fifth lower in only 5 of 9, -1.2 to -1.6, +0.2 to +1.5 at seeds 1, 3, 8 and 9; in
    session 38 -0.3 to -1.1 in the
    first year and in the fifth lower in 8 of 9, -0.06 to -2.0, +0.5 at seed 9; at 672c6cd lower
    in every seed in both, -0.4 to -1.0 in the first year and -0.02 to -2.0 in the fifth; at
    bbd82ab -0.4 to -0.9 in the first year and -1.9 to +0.8, lower in 8 of 9, in the fifth; -0.4
    to -0.8 in the first year, -1.9 to +0.3 and lower in 7 in the fifth in session 36; lower in 8
    and -0.4 to -0.9 in the first year in session 35; -1.8 to +0.9 and lower in 7 in session 34;
    -1.5 to +0.4 in session 22; lower in every seed before it, -0.3 to -1.6). At
    hiring_referral_weight 10 the gain after 5 years was above in 8 of 9 seeds, and this test
    asserted it per seed for seeds 1-3; at 1 seed 1's is -5 USD (session 20). Counting households
    living in one run only showed losses after 5 years (trial 16)."""
    factory, _ = exercise(CLASSROOM / "poverty_and_transfers.toml")
    gain, poverty = [], []
    for seed in range(1, 10):
        store = GroupStore(factory, seed=seed, twins=True)
        with store.use("A") as group:
            for _ in range(5):
                group.step()
            app.apply(group, "cash_transfer", True)
            for _ in range(5):
                group.step()
            gain.append([row["income_others"] - row["twin_income_others"] for row in group.track[-5:]])
            poverty.append([row["poverty_headcount"] - row["twin_poverty_headcount"] for row in group.track[-5:]])
        store.clear()
    gain, poverty = np.array(gain), np.array(poverty)
    assert np.all((gain[:, 0] > 1.5) & (gain[:, 0] < 5.5)), f"first year's gains {gain[:, 0]}"
    fifth = gain[:, -1]
    noise = 2.306 * fifth.std(ddof=1) / np.sqrt(fifth.size)  # t(0.975, 8 df) standard errors
    assert (fifth > 0).sum() == 5 and abs(fifth.mean()) < noise, f"fifth year's gains {fifth}, noise {noise:.1f}"
    assert np.all(poverty[:, 0] < 0), poverty
    last = poverty[:, -1]
    assert (last < 0).sum() == 7, poverty
    assert -last.mean() > 2.306 * last.std(ddof=1) / np.sqrt(last.size), poverty  # beyond the noise, t 8 df


@pytest.mark.slow
def test_with_the_transfer_for_cerro_azul_its_table_and_its_non_recipients_read_as_the_guide_says():
    """Its guide, at the exercise's seed: the table under Municipality details, Cerro Azul chosen,
    reads -0.3 points (54.1 % against 54.3 %, each rate rounded on its own) and +1 USD for its
    non-recipients in the transfer's first year, and the policy cost this year is within the
    guide's about 17,000-22,000 USD (19,845; Session 53 (own-account entrants at a quarter of the
    node's mean enterprise scale): the table reads -0.3 to -0.8 in 3 of 9 seeds (4, 5 and 7) and
    0 in the other 6 (7 of 9 read -0.2 to -0.9 before), the exercise's seed 7 still at -0.3; its
    non-recipients' row still reads +1 to +8 over the seeds and +1 at seed 7; the costs
    18,270-21,735 in the first year, 17,325-21,420 in the fifth, so the guide's range moved from
    17,500-22,000 to 17,000-22,000, and this test's with it. Session 51 (the table's non-farm share read as earned
    income): the table reads -0.2 to -0.9 in 7 of 9 seeds (all but 2 and 6) and 0 in those 2, the
    exercise's seed 7 still at -0.3; its non-recipients' row reads +1 to +8 over the seeds and +1
    at seed 7 (+4 before), so this test's 4-6 became 1-3; the costs 18,900-21,735 in the first
    year, 17,640-21,105 in the fifth, so the guide's range moved from 18,000-22,000 to
    17,500-22,000, and this test's with it. Session 51 (town farms capped, movers at their
    destination's level): -0.3 points, 61.0 % against 61.3 %, +4 USD, cost 20,160; the table reads
    -0.3 to -1.4 in 4 of 9 seeds (4, 5, 7 and 8) and 0 in the other 5, so this test's -0.5 became
    -0.3; the costs 18,585-21,105 in the first year, 18,270-21,735 in the fifth, so the guide's
    range moved from 17,000-21,500 to 18,000-22,000, and this test's with it. Session 47 (dying workers' and whole households' jobs open; the runs take other
    paths): the table reads -0.3 to -0.5 in 3 of 9 seeds (3, 5 and 7) and 0 in the other 6, the
    exercise's seed 7 among the 3, so this test's 0 became -0.5; the costs
    18,900-21,420 in the first year, 17,010-20,160 in the fifth, so the guide's range widened from
    18,000-21,000 to 17,000-21,500, and this test's with it; session 46, 0 points, 59.3 % against
    59.4 % (the two rates differ by less than 0.05 points, each rounded on its own), +5 USD, cost
    20,160, the single mover takes its job; the runs take other paths: the table reads -0.1 to
    -0.4 in 3 of 9 seeds (2, 3 and 4) and 0 in the other 6, the exercise's seed 7 among them, so
    this test's -0.1 became 0; the costs 17,955-21,105 in the first year, 17,640-20,790 in the
    fifth;
    session 45, -0.1 points, 58.3 % against 58.3 %, +4 USD, cost 18,900, the start backing out
    no negative farm income: the table reads -0.1 to
    -1.2 in 6 of 9 seeds and 0 in seeds 2, 4 and 6, the costs 18,270-21,105 in the fifth year;
    session 43, -0.8 points, 57.1 % against 57.8 %, cost 20,790, a farm's management shared by movers and added in unions: the table
    reads -0.4 to -1.2 in 7 of 9 seeds and 0 in seeds 2 and 8, the costs 17,955-21,105 in the
    fifth year; session 41, af8e131, 57.0 % against 57.8 %, the starting firms' markets drawn once per node and sector:
    the table reads -0.3 to -1.2 in 7 of 9 seeds and 0 only in seeds 2 and 8, which the guide
    now says; the costs 17,955-21,105 in the first year, 18,585-21,105 in the fifth, so the
    guide's range widened from 18,500-21,000, and this test's with it; session 39, 0 points,
    59.3 % against 59.3 %, +5 USD, cost 20,475, e2e167b and 71c07cf, the start's rounds at each
    round's drawn jobs: the table
    reads -0.2 to -0.5 in seeds 2, 5, 6, 8 and 9 and 0 in the other 4, the exercise's seed 7
    among them, which the guide then said; the costs 18,585-20,790 in the first year, 18,900-20,160
    in the fifth, so the guide's range narrowed from 17,500-21,500, and this test's with it;
    session 38, -0.8 points, 53.8 % against 54.6 %, +4 USD, cost 19,215, referral weight 0.5:
    hiring_referral_weight 1 -> 0.5 and the start's solver damped: the table reads 0 in 7 of 9
    seeds, all but 5 (-1.1) and 7, which the guide then said;
    session 37, 672c6cd, the start's own-account enterprises mended: -0.3 points, 57.0 % against
    57.3 %, +5 USD, cost 20,475, the table reading 0 in seeds 3, 6 and 9; at bbd82ab, own-account
    enterprises close, -0.3 points, 57.9 % against 58.2 %, cost 19,845; session 36 read -0.1 points, 59.3 % against 59.4 %, and the
    guide's range was 17,500-20,500; session 35, the candidate setting as the defaults: the table
    reads 0 in seeds 2, 3 and 6 instead, which the guide then said; session 34: 0 points, 59.5 %
    against 59.5 %, +3 USD, cost 17,000-20,000; the start recorded net of its single emigrants'
    shares: -0.3 before it, 59.5 % against 59.7 %; session 22: -1.3 before it; trial 18: the page
    showed only the territory's "poverty +0.0 points ... +0 USD"; the guide had "about 25,000" for
    the cost)."""
    factory, seed = exercise(CLASSROOM / "poverty_and_transfers.toml")
    store = GroupStore(factory, seed=seed, twins=True)
    with store.use("A") as group:
        for _ in range(5):
            group.step()
        group.selected = "C"
        app.set_field(group, "cash_transfer", "amount", 300.0)
        app.set_field(group, "cash_transfer", "coverage", 0.3)
        app.set_target(group, "cash_transfer", "C")
        app.apply(group, "cash_transfer", True)
        group.step()
        view = app.read_view(group)
    store.clear()
    poverty, _, others = (float(cells[3]) for cells in view.compared)
    cost = float(dict(view.details)["Policy cost this year (USD)"].replace(",", ""))
    assert poverty == -0.3 and 1 <= others <= 3 and 17_000 <= cost <= 22_000, (view.compared, cost)


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "budget", "commuters"), [(1, None, (0, 0.5)), (1, 2e6, (500, 650)), (7, 2e6, (0, 0.5))])
def test_the_road_for_cerro_azul_brings_commuters_only_with_the_largest_budget_and_a_town_that_pays_for_the_trip(
        seed, budget, commuters):
    """Its guide: with the budget as given nobody commutes in any seed (Alto Verde's trip to the
    town, road quality counted, is still 1.6 hours at the works' end, over the 1.5 hours of
    ``commute_limit``); with 2,000,000 USD a year it is 1.1 hours, and the town draws Alto Verde's
    workers only where it pays about a fifth more for the same skill: seed 1 (27 % more), where 542
    commute 4 years after the road is switched on (245 from Alto Verde to the town, 298 the other
    way; Session 53 (own-account entrants at a quarter of the node's mean enterprise scale):
    505-549 a year from the works' second year, the fewest, 505, ten years after the switch; 542
    four years after, above this test's bounds of 350-500, so the bounds moved from 350-500 to
    500-650; the other seeds still at most 8 % more and nobody commuting.
    Session 51 (the table's non-farm share read as earned income): 408-587 a year from the
    works' second year, the fewest, 408, four years after the switch, below this test's bounds of
    500-650, so the bounds moved from 500-650 to 350-500; Session 51 (town farms capped, movers at
    their destination's level): 27 % more, 541, 262 and 279, 512-576 a year from
    the works' second year, within this test's bounds of 500-650; session 47, 551, 270 and 281
    (dying workers' and whole households' jobs open; the runs take other paths):
    376-551 a year from the works' second year, still within this test's bounds of 500-650;
    session 46, 513, 237 and
    277, the single mover takes its job; the runs take other paths: 386-554 a year from the
    works' second year, within the same bounds; session 45, 28 %
    more, 607, 315 and 292, the start backing out no negative farm income: the bounds moved from 350-500
    to 500-650 with it, 439-637 a year from the works' second year; session 43, 431, 287 and 144, a farm's management shared by movers and added in unions: the bounds moved
    from 500-650 to 350-500 with it, 431-619 a year from the works' second year; session 41,
    af8e131, 27 % more, 565, 284 and 281, the starting firms' markets drawn once per node and
    sector: the bounds moved from 350-500 to 500-650 with it, 526-567 a year from the works' second year;
    session 39, 29 % more, 428, 311 and 117, e2e167b and 71c07cf, the start's rounds at each
    round's drawn jobs: the bounds moved from 450-600 to 350-500 with it, 405-708 a year from the
    works' second year;
    session 38, 27 % more, 533, 255 and 278, referral weight 0.5; 551, 257 and 293 at 672c6cd;
    552, 259 and 293 at bbd82ab; session 36: 528, 250 and 277), and none of seeds
    2-5, 7 and 8 (at most 8 % more; the exercise's seed 7 nothing more). Session 35, the candidate
    setting as the defaults; before it the road at the largest budget brought 923-1,218 commuters
    in all of those seeds, 1,188 at seed 1 (927-1,195 in the guide since session 22, 944-1,200 and
    972 before it, 888 at hiring_referral_weight 10), and trial 16 saw 0 with the budget as given
    where the guide promised commuters. Nobody from Cerro Azul either way (2.6 hours at best)."""
    factory, _ = exercise(CLASSROOM / "remote_roads.toml")
    store = GroupStore(factory, seed=seed, twins=True)
    with store.use("A") as group:
        for _ in range(5):
            group.step()
        app.set_target(group, "roads", "C")
        if budget is not None:
            app.set_field(group, "roads", "budget", budget)
        app.apply(group, "roads", True)
        for _ in range(4):
            group.step()
        model = group.model
        low, high = commuters
        assert low <= model.territory_stats["commuters"] <= high
        assert model.node_stats["commuters"][list(model.territory.ids).index("C")] == 0
    store.clear()


@pytest.mark.slow
def test_in_the_shared_territory_nobody_clears_forest_whatever_the_groups_choose():
    """Exercise 4's guide: the territory declares no frontier pull, so every municipality's
    forest stays as it started (within 0.001 points), also where a government asks for
    environmental governance: its guide said only that enforcement protects the forest where
    it is enforced, which students could not see here (session 20: at most 0.0002 points in
    any game of 8 years with one government choosing, seeds 1-9; at most 0.0004 points in session
    38, referral weight 0.5; at most 0.0023 points in session 39, e2e167b and 71c07cf, in seed 5's
    run without any choice, at Dos Puentes, so the guide then said "within about 0.002 points"; at
    most 0.0008 points from the no-choice run and 0.0000 in the no-choice run itself in session 41,
    af8e131, the starting firms' markets drawn once per node and sector, so the guide now says
    "within 0.001 points"; Session 47 (dying workers' and whole households' jobs open; the runs
    take other paths): at most 0.0007 points from the no-choice run, with Bajo Rio spending on
    services, and 0.0000 in the no-choice run itself; this test's seed 7 stays as it started within 0.001 points, the bound
    it keeps; Session 53 (own-account entrants at a quarter of the node's mean enterprise scale):
    at most 0.0005 points from the no-choice run, with Alto Verde asking for road works at seed 1,
    and 0.0005 in the no-choice run itself from the start, at seed 1: within the same bound)."""
    factory, seed = exercise(CLASSROOM / "shared_territory.toml")
    game = Game(factory, seed)
    for node in game.municipalities():
        game.join(node)
    game.choose("A", programme="environmental_governance")
    game.choose("B", programme="roads")
    start = game.model.node_stats["forest_cover"].copy()
    for _ in range(8):
        game.advance()
    for run in (game.model, game.twin):
        np.testing.assert_allclose(run.node_stats["forest_cover"], start, rtol=0, atol=1e-5)


def test_every_guide_starts_the_classroom_server_and_its_addresses_carry_the_join_code():
    """Trial 16: guides 1-3 started `territory-abm dashboard` (this computer only, no join code)
    and gave `?group=` addresses that classroom mode refuses without `&code=`."""
    for guide in sorted(CLASSROOM.glob("*.md")):
        text = guide.read_text(encoding="utf-8")
        for start in re.findall(r"\*\*(?:Start|Inicio):\*\* `([^`]*)`", text):
            assert start.startswith(f"territory-abm classroom scenarios/classroom/{guide.stem}.toml"), guide.name
        for address in re.findall(r"`[^`]*\?group=[^`]*`", text):
            assert "&code=" in address, f"{guide.name}: {address}"
