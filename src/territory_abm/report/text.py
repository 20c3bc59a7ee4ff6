"""Fixed text of the report: what the model is, in words for a reader who never saw it."""

INTRO = (
    "The numbers come from an agent-based simulation of the territory: every household, firm and "
    "municipality is represented. Each simulated year, households split their working adults between "
    "their own farm and wage jobs within commuting reach, farm with their land and the local natural "
    "capital (forests, soils, water), may clear forest, spend and save, and decide whether a member or "
    "the whole household migrates. Firms hire, pay wages, sell to local households or to distant markets, "
    "and enter or leave. Municipalities collect national transfers and taxes, and spend on roads, services "
    "and environmental enforcement. Roads link municipalities, intermediate cities and outside markets.",
    "A scenario switches on one or more public programmes (cash transfers, roads, land redistribution, "
    "technical assistance, market linkage, environmental governance...) with a budget, a period and a "
    "target. Each scenario is simulated over the same seeds (the number of runs per scenario is given at the "
    "top), each seed giving every scenario the same sequence of chance events (which household is hit by "
    "what), so that differences between scenarios come from the policy, not from luck; the spread over the "
    "seeds measures chance.",
)

READING = (
    "Each cell gives the value at the horizon (the last simulated year) under the scenario; for interventions "
    "also the difference to the reference scenario in the same year, with the 90 % interval in brackets (5th to "
    "95th percentile over the runs). A difference whose interval includes zero is not distinguishable from "
    "chance in this comparison."
)
ONE_RUN_READING = (
    "Each cell gives the value at the horizon (the last simulated year) under the scenario; for interventions "
    "also, below it, the difference to the reference scenario in the same year. With one run per scenario there "
    "is no interval: no difference in this comparison can be told from chance."
)


def reading(seeds: int) -> str:
    """How to read the headline tables with ``seeds`` runs per scenario (one has no intervals)."""
    return ONE_RUN_READING if seeds == 1 else READING


OVERVIEW = (
    "One line per intervention: the years its programmes run and their mean cost per programme year (thousand "
    "USD, whole territory); its difference in the poverty headcount to the reference, in percentage points with "
    "the 90 % interval (5th to 95th percentile over the runs), in the last year of its programmes and at the "
    "horizon (a programme that stopped before the horizon is judged while it ran as well); and the person-years "
    "out of poverty it brings over the whole run. An interval that includes zero is not distinguishable from "
    "chance."
)
OVERVIEW_TITLE = "The interventions at a glance"
PAIRWISE_TITLE = "The interventions compared with each other"
PAIRWISE = (
    "Each pair of interventions on the same seeds (common random numbers: a seed gives every scenario the same "
    "context path and chance events): the first minus the second at the horizon, and in person-years out of "
    "poverty over the run (whole territory); the mean over seeds and the 90 % interval of the seeds' paired "
    "differences. A pair is told apart from chance where that interval lies on one side of zero: this, not "
    "whether each differs from the reference, says whether one does better than the other.")
READ_FIRST = "Read with care"
"""Page one's heading over the calibration status and the changes in the number of residents."""

PROGRAMME_END = (
    "A programme that stops before the horizon can look weaker there than while it ran. For each intervention "
    "whose programmes all end before the horizon, this table gives the same outcomes in the last year any of its "
    "programmes runs, and the difference to the reference in that same year."
)

TYPOLOGY = (
    "Share of municipalities on each path from the start to the horizon: win-win-win means income per person "
    "grew, and poverty and inequality fell, each by more than a tolerance standing for survey error; "
    "sustainable adds that forest was kept (lost no more than its tolerance). Changes within the tolerance "
    "count as no change, so a municipality that barely moved is 'none'. Rural municipalities and intermediate "
    "cities are shown apart, and both together weighted by population. Means over seeds; in brackets, for "
    "rural municipalities and cities, the 5-95 % range over seeds: a difference between scenarios smaller "
    "than these ranges may be chance. Where a group has fewer than 10 units, shares of them say little (with 2 "
    "cities every share is 0, 50 or 100 %), so the table gives how many units are of each type instead: '1 of 2 "
    "[0-2]' is one of the two on average over the seeds, none in some seeds and both in others (the range over "
    "seeds as counts some seed had)."
)

NOT_ONLY_POLICIES = "Not only the policies differ"
"""Page one's heading over the interventions that differ from the reference in more than their policies."""

DIFFERENCES_TITLE = "Difference to the reference, with 90 % intervals"
DIFFERENCES_OVER_TIME_TITLE = ("Difference to the reference each year, paired by seed (90 % band): when each "
                               "intervention's effect appears, grows or fades")
def map_title(interventions: int) -> str:
    """The heading over the report's map of ``interventions`` interventions' differences (one
    panel each, on one colour scale: an adviser trial, session 27, found the first alone)."""
    what = ("the intervention minus the reference" if interventions == 1 else
            "each intervention minus the reference, one panel per intervention on one colour scale")
    return (f"{'Map' if interventions == 1 else 'Maps'}: poverty headcount at the horizon by municipality, {what} "
            "(mean over seeds; hatched where the 5-95 % interval over seeds includes no change); roads and "
            "external markets on top")


SCENARIOS_EXPLAINED = ("Each scenario year by year: the line is the mean over the runs, the shaded band the 5th to "
                       "95th percentile over them.")
TYPOLOGY_TITLE = "Type shares under each scenario"
MULTIPLIERS = ("Income gained in the territory per USD of programme cost, in three parts that add up to it: the "
               "households the programme reached (counted among the households there at the start), from the "
               "year it first reached them, in the years they live in the territory both with and without the "
               "programme; the households it had not reached, in the same years (the spillover through local markets, jobs and prices, as local-economy studies "
               "of a fixed population count it); and the rest, mostly the change of who lives where (composition: "
               "households, reached or not, in the years they live in the territory in one run only, having left, "
               "died out or stayed, and households formed or arrived during the runs, including what migrants took "
               "from the households they left in the year they left). Cumulative: over all "
               "the years of the run per USD spent over them. Annual: during the programme's years, per USD spent in "
               "those years, as local-economy (LEWIE) studies report it; nominal in current USD, real with incomes "
               "deflated by local consumer prices (extra local demand that raises prices makes the real multiplier "
               "smaller). Per USD transferred: the same annual income gain per USD the programmes paid to households "
               "in cash (transfers, payments for ecosystem services; administration left out), the figure "
               "cash-transfer evaluations report (where cash is mixed with other programmes, it sets the gains of all of "
               "them against the cash alone: read the rows per USD of cost). 90 % intervals over seeds in brackets.")
COST_EFFECTIVENESS = (
    "Programme cost and person-years out of poverty: each intervention's difference to the reference over the "
    "run, for the whole territory: the mean over seeds and, in brackets, its 90 % interval over seeds (5th to 95th "
    "percentile of the seeds' paired differences). Cost per person-year out of poverty: the mean cost over the mean "
    "person-years; in brackets, the mean cost over the two ends of the person-years' interval, so that both come "
    "from the same seeds and agree (the cost's own range over seeds is in its column). Where the person-years' "
    "interval includes zero, the seeds do not rule out that the intervention avoids no poverty: no finite cost per "
    "person-year follows, and the table says 'not established'. Rough with few seeds.")
MUNICIPALITIES = ("At the horizon ({year}), difference with the reference run of the same seed; 90 % interval in "
                  "brackets. A municipality 'gains' where its income per person rises or its poverty falls with the "
                  "whole interval on that side of zero and neither clearly worsens, 'loses' in the mirror case, is "
                  "'mixed' where one clearly improves and the other clearly worsens, and shows 'no clear change' "
                  "where both intervals include zero. An intervention whose programmes end before the horizon "
                  "has a second table in the last year they run.")
