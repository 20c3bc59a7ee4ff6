"""The report's generated sentences, each computed from the numbers it describes.

Three kinds of sentence:

- **effects**: what an intervention changes at a date compared with the reference, and
  whether the 90 % interval of the paired difference excludes zero (distinguishable from
  chance) or not;
- **persistence**: for a programme that ends before the horizon, its effect in the last year
  of its programmes first, then at the horizon and whether it lasts, fades, grows or appears
  only later;
- **drift**: how the reference run moves by itself (rise or fall, judged with the
  typology's tolerance for survey error; whether the change comes early or late, or
  reverses after the first year).

Words such as "raises", "falls" or "most of the change in the first years" are chosen by
the functions here from the values passed in; nothing describing results is fixed text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ..experiments.compare import HORIZON, PERSON_YEARS, PROGRAMME_END, STEADY_SEEDS, interval
from ..outcomes import DIMENSIONS, STATISTICS, Tolerances, outcome
from . import numbers
from ..language import label, say, spanish

KEY_OUTCOMES = ("mean_income_pc", "poverty_headcount")
"""Outcomes of the findings on page one (income and poverty, as in the typology)."""

CLEAR_OUTCOMES = ("poverty_gap", "gini_income", "forest_cover")
"""Outcomes of the headline table that page one's findings name too, where an intervention
moves them by an amount told from chance and, for those a typology dimension judges (Gini,
forest), beyond its tolerance (the depth of poverty, inequality, forest): a change the
typology's tables count as 'no change' is not a finding (the headline table shows it)."""

DRIFT_OUTCOMES = ("mean_income_pc", "poverty_headcount", "gini_income")
"""Outcomes whose course under the reference run the caveats describe."""

_JUDGED = {STATISTICS[d.statistic].needs[0]: d for d in DIMENSIONS.values()}
"""Yearly outcome -> typology dimension judging it (statistic, tolerance, better direction)."""


def short_label(name: str) -> str:
    """The registry label up to its first explanation, in the language in force: ``"poverty
    headcount"`` (``"tasa de pobreza"``)."""
    return label(name).split(":")[0].split(" (")[0]


ARTICLES_ES = {"tasa de pobreza": "la", "brecha de pobreza": "la", "Gini del ingreso por persona": "el",
               "Gini de la tierra de los hogares": "el", "ingreso medio por persona": "el",
               "ingreso mediano por persona": "el", "bosque como proporción de la superficie": "el",
               "residentes": "los", "empresas activas": "las"}
"""The Spanish article of the short labels the findings name (``"la tasa de pobreza"``)."""


def the_label(name: str) -> str:
    """Outcome ``name``'s short label with its article: ``"the poverty headcount"`` (``"la tasa
    de pobreza"``)."""
    text = short_label(name)
    if spanish():
        return f"{ARTICLES_ES.get(text, 'el indicador')} {text}"
    return f"the {text}"


def side(low: float, high: float) -> int:
    """Which side of zero a 90 % interval [``low``, ``high``] lies on: +1 or -1 when all of it
    lies on that side and it has a width (one seed gives an interval of one value, which tells
    nothing from chance), 0 otherwise: the one rule by which the report tells an effect from
    chance."""
    if not low < high:
        return 0
    return 1 if low > 0 else -1 if high < 0 else 0


def judged_change(name: str, start: float, end: float, years: float, tolerances: Tolerances) -> int:
    """+1, -1 or 0: whether outcome ``name`` went from ``start`` to ``end`` (``years`` apart)
    by more than the tolerance of the typology dimension judging it, as the typology judges a
    municipality (that dimension's statistic, e.g. the relative change of forest cover); the
    sign of ``end - start`` for an outcome no dimension judges; 0 where either is missing."""
    dim = _JUDGED.get(name)
    if dim is None:
        stat, tolerance = end - start, 0.0
    else:
        stat = STATISTICS[dim.statistic].formula({name: np.array([start])}, {name: np.array([end])}, np.zeros(1),
                                                 years)[0]
        tolerance = tolerances.of(dim.statistic)
    return int(np.sign(stat)) if abs(stat) > tolerance else 0


@dataclass(frozen=True)
class Effect:
    """A paired difference to the reference (intervention minus reference, same seed).

    Attributes
    ----------
    scenario, outcome : str
        The intervention and the yearly outcome.
    year : int
        The year the difference is taken in.
    mean, low, high : float
        Mean over seeds and the 5th and 95th percentiles, in the outcome's unit.
    level : float
        The reference's mean in ``year``, in the outcome's unit (NaN where not known: then
        :meth:`beyond` judges no change).
    table_places : int
        Places the report's table of this outcome and date writes it with (its row's
        :func:`numbers.shared_places`): a sentence uses at least as many, so that it never
        reads coarser than the table beside it.
    runs : int or None
        Seeds per scenario (None where not known): with one there is no interval, with fewer
        than ``STEADY_SEEDS`` it is rough, and the sentences say so.
    """

    scenario: str
    outcome: str
    year: int
    mean: float
    low: float
    high: float
    level: float = np.nan
    table_places: int = 0
    runs: int | None = None

    @property
    def distinguishable(self) -> bool:
        """True when the 90 % interval lies on one side of zero (:func:`side`)."""
        return side(self.low, self.high) != 0

    @property
    def one_run(self) -> bool:
        """True with one seed per scenario: the difference of one run, with no interval."""
        return self.runs == 1

    @property
    def places(self) -> int:
        """Places the mean and interval are written with (:func:`numbers.interval_places`, at
        least the table's ``table_places``)."""
        return max(numbers.interval_places(self.outcome, self.mean, self.low, self.high), self.table_places)

    def mean_text(self, *, signed: bool = False, absolute: bool = False) -> str:
        """The mean (its size with ``absolute``) as written: at :attr:`places`, and where the
        interval lies on one side of zero never as 0 (:func:`numbers.interval_end`)."""
        x = numbers.scaled(outcome(self.outcome), abs(self.mean) if absolute else self.mean)
        write = numbers.interval_end if self.distinguishable else numbers.rounded
        return write(x, self.places, signed=signed)

    @property
    def direction(self) -> int:
        """+1 or -1 by the sign of the mean as displayed, 0 when it rounds to zero."""
        return 0 if self.mean_text() in ("0", numbers.MISSING) else int(np.sign(self.mean))

    @property
    def rough(self) -> bool:
        """True where fewer than ``STEADY_SEEDS`` seeds (but more than one) make the interval
        rough."""
        return self.runs is not None and 1 < self.runs < STEADY_SEEDS

    def beyond(self, tolerances: Tolerances) -> bool:
        """True when going from the reference (``level``) to the intervention (``level +
        mean``) is a change beyond the typology's tolerance for the outcome, judged as the
        typology judges a municipality's change (:func:`judged_change`: forest's 1 % is of the
        reference's cover); for an outcome no dimension judges, when the mean is not 0. (The
        dimensions' statistics do not depend on the period's length, given as 1 year.)"""
        return judged_change(self.outcome, self.level, self.level + self.mean, 1.0, tolerances) != 0


def effects(summary: pd.DataFrame, scenario: str, name: str, period: str = HORIZON) -> Effect | None:
    """The effect of ``scenario`` on outcome ``name`` at ``period`` in a compare summary
    (None when the summary has no such row)."""
    rows = summary[(summary["scenario"] == scenario) & (summary["outcome"] == name)]
    if "period" in rows:
        rows = rows[rows["period"] == period]
    elif period != HORIZON:
        return None
    if not len(rows):
        return None
    r = rows.iloc[0]
    return Effect(scenario, name, int(r["year"]), float(r["diff_to_reference"]), float(r["diff_q05"]),
                  float(r["diff_q95"]), float(r["mean"] - r["diff_to_reference"]))


def _interval(e: Effect) -> str:
    """``"-3.5 to -0.1 points"``: the interval with the unit once, a nonzero end never
    written as 0 (:func:`numbers.interval_texts`)."""
    _, low, high = numbers.interval_texts(e.outcome, e.mean, e.low, e.high, e.places)
    unit = numbers.unit(e.outcome, difference=True)
    return f"{numbers.between(low, high)} {unit}".rstrip()


ONE_RUN = "the difference of one run per scenario: with one run there is no interval, so it cannot be told from chance"
ONE_RUN_ES = ("la diferencia de una corrida por escenario: con una corrida no hay intervalo, así que no se puede "
              "distinguir del azar")
"""Said of an effect where each scenario ran once (instead of its interval and whether it
includes zero, which one run cannot say)."""


def effect_sentence(e: Effect, reference: str, ending: bool = False) -> str:
    """One sentence: what ``e.scenario`` does to the outcome in ``e.year`` compared with
    ``reference``, and whether that can be told from chance (with one run per scenario, that
    it is one run's difference and cannot be); with ``ending``, ``e.year`` is named as the
    last year of its programmes. (With few runs, :func:`runs_note` before the findings says
    that their intervals are rough.)"""
    what = the_label(e.outcome)
    when = (say("in {year}, the last year of its programmes,", "en {year}, el último año de sus programas,",
                year=e.year) if ending else say("in {year}", "en {year}", year=e.year))
    size = numbers.with_unit(e.outcome, e.mean_text(absolute=True), difference=True)
    if e.direction == 0:
        head = say("{scenario} leaves {what} {when} where it is under {reference}",
                   "{scenario} deja {what} {when} donde está con {reference}",
                   scenario=e.scenario, what=what, when=when, reference=reference)
    else:
        verb = say("raises", "aumenta") if e.direction > 0 else say("lowers", "reduce")
        head = say("{scenario} {verb} {what} {when} by {size} compared with {reference}",
                   "{scenario} {verb} {what} {when} en {size} respecto de {reference}",
                   scenario=e.scenario, verb=verb, what=what, when=when, size=size, reference=reference)
    if e.one_run:
        return f"{head} ({say(ONE_RUN, ONE_RUN_ES)})."
    if e.distinguishable:
        return say("{head} (90 % interval {interval}).", "{head} (intervalo del 90 % {interval}).", head=head,
                   interval=_interval(e))
    return say("{head}, but the 90 % interval ({interval}) includes zero: not distinguishable from chance.",
               "{head}, pero el intervalo del 90 % ({interval}) incluye el cero: no se distingue del azar.",
               head=head, interval=_interval(e))


def persistence_verdict(at_end: Effect, at_horizon: Effect) -> str:
    """Whether an effect seen when the programmes end lasts to the horizon, fades, grows,
    reverses, or shows only at one date (``at_end`` and ``at_horizon`` of one scenario and
    outcome); with one run per scenario, that this cannot be told; with few, a verdict that
    an effect lasts, fades, grows, reverses or shows at one date marked as rough (the verdict
    of a 2-seed comparison can turn with more seeds)."""
    if at_end.one_run:
        return say("with one run per scenario, whether the effect lasts cannot be told from chance",
                   "con una corrida por escenario, no se puede distinguir del azar si el efecto perdura")
    verdict = _persistence(at_end, at_horizon)
    claims = at_end.distinguishable or at_horizon.distinguishable
    return verdict + (say(" (rough: {runs} runs per scenario)", " (aproximado: {runs} corridas por escenario)",
                          runs=at_end.runs) if at_end.rough and claims else "")


def _persistence(at_end: Effect, at_horizon: Effect) -> str:
    if at_end.distinguishable and at_horizon.distinguishable:
        ratio = at_horizon.mean / at_end.mean
        if ratio <= 0:
            return say("the effect reverses after the programmes stop",
                       "el efecto se invierte después de que terminan los programas")
        if ratio < 0.5:
            return say("the effect fades to less than half after the programmes stop",
                       "el efecto se reduce a menos de la mitad después de que terminan los programas")
        if ratio > 1.5:
            return say("the effect keeps growing after the programmes stop",
                       "el efecto sigue creciendo después de que terminan los programas")
        return say("the effect lasts after the programmes stop",
                   "el efecto perdura después de que terminan los programas")
    if at_end.distinguishable:
        if at_horizon.mean * at_end.mean > 0 and abs(at_horizon.mean) >= abs(at_end.mean):
            # a researcher's trial (session 28) read "no longer distinguishable" as fading where the mean grew
            return say("the mean effect is as large or larger at the horizon, but there its interval includes 0 "
                       "(the seeds spread more with the years)",
                       "el efecto medio es igual o mayor en el horizonte, pero allí su intervalo incluye el 0 "
                       "(las semillas se dispersan más con los años)")
        return say("the effect is no longer distinguishable from chance at the horizon",
                   "el efecto ya no se distingue del azar en el horizonte")
    if at_horizon.distinguishable:
        return say("the effect becomes distinguishable from chance only after the programmes stop",
                   "el efecto se distingue del azar solo después de que terminan los programas")
    return say("neither difference is distinguishable from chance", "ninguna de las dos diferencias se distingue del azar")


def lasting_sentence(at_end: Effect, at_horizon: Effect, reference: str) -> str:
    """For a programme that ends before the horizon: its effect in the last year of its
    programmes first (what it does while it runs), then the difference at the horizon and
    whether the effect lasts (:func:`persistence_verdict`)."""
    h = at_horizon
    size = numbers.with_unit(h.outcome, h.mean_text(signed=True), difference=True)
    interval = (say("one run, no interval", "una corrida, sin intervalo") if h.one_run
                else say("90 % interval {i}", "intervalo del 90 % {i}", i=_interval(h)))
    return say("{first} At the horizon ({year}) the difference is {size} ({interval}): {verdict}.",
               "{first} En el horizonte ({year}) la diferencia es {size} ({interval}): {verdict}.",
               first=effect_sentence(at_end, reference, ending=True), year=h.year, size=size, interval=interval,
               verdict=persistence_verdict(at_end, at_horizon))


def residents_sentence(found: list[Effect], reference: str, scale: float = 1.0) -> str | None:
    """Where interventions (``found``: their effects on the number of residents) change the
    number of residents by an amount told from chance, one sentence saying by how much under
    each (whole territory: ``scale`` simulated households per real one) and that income per
    person then also reflects who stays and who arrives; None where none does."""
    clear = [e for e in found if e.distinguishable and e.direction != 0]
    if not clear:
        return None

    def change(e: Effect) -> str:
        whole = numbers.whole_territory_factor(e.outcome, scale)  # the headline table's numbers, as it rounds them
        low, high = (numbers.value(e.outcome, x * whole, signed=True) for x in (e.low, e.high))
        more = say("more", "más") if e.mean > 0 else say("fewer", "menos")
        return say("{n} {more} residents under {scenario} (90 % interval {low} to {high} persons)",
                   "{n} residentes {more} con {scenario} (intervalo del 90 % {low} a {high} personas)",
                   n=numbers.value(e.outcome, abs(e.mean) * whole), more=more, scenario=e.scenario, low=low, high=high)

    years = sorted({e.year for e in clear})
    dated = len(years) > 1  # effects of different years (a programme's end, the horizon): each says its own
    in_year = say(" in {year}", " en {year}")
    return (say("Residents: compared with {reference}", "Residentes: respecto de {reference}", reference=reference)
            + ("" if dated else in_year.format(year=years[0])) + say(" the territory has ", " el territorio tiene ")
            + ", ".join(change(e) + (in_year.format(year=e.year) if dated else "") for e in clear)
            + say(": income per person, the poverty headcount and the person-years out of poverty then also reflect "
                  "who stays and who arrives, not only what the households who were there earn; the multipliers give "
                  "the income that comes with who lives where apart (composition).",
                  ": el ingreso por persona, la tasa de pobreza y los años-persona fuera de la pobreza reflejan "
                  "entonces también quién se queda y quién llega, no solo lo que ganan los hogares que ya estaban; los "
                  "multiplicadores dan aparte el ingreso que viene con quién vive dónde (composición)."))


def dated_effects(summary: pd.DataFrame, scenario: str, name: str) -> tuple[Effect | None, Effect | None]:
    """The effect of ``scenario`` on outcome ``name`` in the last year of its programmes
    when they end before the horizon (else None), and at the horizon."""
    end, horizon = effects(summary, scenario, name, PROGRAMME_END), effects(summary, scenario, name)
    return (end if end is not None and horizon is not None and end.year < horizon.year else None), horizon


def runs_note(seeds: int | None) -> str | None:
    """Said before the findings when the seeds per scenario make their intervals absent (one)
    or rough (fewer than ``STEADY_SEEDS``); None otherwise."""
    if seeds == 1:
        return say("One run per scenario: each difference below is that of a single run, with no interval, so none "
                   "can be told from chance, nor whether an effect lasts (run compare with {steady} or more seeds).",
                   "Una corrida por escenario: cada diferencia a continuación es la de una sola corrida, sin "
                   "intervalo, así que ninguna se puede distinguir del azar, ni si un efecto perdura (ejecute compare "
                   "con {steady} o más semillas).", steady=STEADY_SEEDS)
    if seeds is not None and seeds < STEADY_SEEDS:
        return say("Only {seeds} runs per scenario: the 90 % intervals below lie close to the smallest and largest of "
                   "{seeds} paired differences, so read them, and whether an effect can be told from chance or lasts, "
                   "as rough ({steady} or more seeds give steadier ones).",
                   "Solo {seeds} corridas por escenario: los intervalos del 90 % a continuación quedan cerca de la "
                   "menor y la mayor de {seeds} diferencias pareadas, así que léalos, y si un efecto se distingue del "
                   "azar o perdura, como aproximados ({steady} o más semillas dan intervalos más estables).",
                   seeds=seeds, steady=STEADY_SEEDS)
    return None


def table_places(summary: pd.DataFrame, interventions: list[str], name: str, period: str) -> int:
    """Places the report's table writes outcome ``name``'s differences at ``period`` with: its
    row across the ``interventions`` (:func:`numbers.shared_places`)."""
    found = [e for e in (effects(summary, n, name, period) for n in interventions) if e is not None]
    return numbers.shared_places(name, [(e.mean, e.low, e.high) for e in found])


def key_findings(summary: pd.DataFrame, reference: str, interventions: list[str],
                 tolerances: Tolerances | None = None, scale: float = 1.0, seeds: int | None = None,
                 node_income: dict[str, pd.DataFrame] | None = None,
                 node_labels: dict[str, str] | None = None, pairs: pd.DataFrame | None = None) -> list[str]:
    """Page one: each intervention's effect on income and poverty, led by the effect in the
    last year of its programmes where they end before the horizon, then at the horizon and
    whether it lasts (a programme that stopped is not judged by the horizon alone); its
    effect on the depth of poverty, inequality and forest where told from chance at either
    date (for inequality and forest, beyond the typology's ``tolerances`` too); which lowers
    poverty most, and in which year; which brings the most person-years out of poverty over
    the run (whole territory: ``scale`` simulated households per real one), and which at the
    least cost. First, with one or few ``seeds`` per scenario, what that does to the intervals
    (:func:`runs_note`); each effect is written with at least its table's places. Where
    ``node_income`` gives an intervention's extra income per seed and node over the run
    (``experiments.compare.node_income_changes``), the municipalities (``node_labels``: node ->
    name written) whose change is told from chance against the territory's direction
    (:func:`municipal_income_sentence`). Where ``pairs`` gives the interventions compared with
    each other on the same seeds (``experiments.compare.pairwise_differences``), the one named
    for the largest fall in poverty at the horizon and the one with the most person-years are
    set against every other intervention directly (:func:`against_the_others`)."""
    tolerances = tolerances or Tolerances()
    out = list(filter(None, [runs_note(seeds)]))
    places = {(key, period): table_places(summary, interventions, key, period)
              for key in KEY_OUTCOMES + CLEAR_OUTCOMES for period in (PROGRAMME_END, HORIZON)}

    def dated(name: str, key: str) -> tuple[Effect | None, Effect | None]:
        return tuple(None if e is None else replace(e, table_places=places[key, period], runs=seeds)
                     for e, period in zip(dated_effects(summary, name, key), (PROGRAMME_END, HORIZON)))

    def sentence(end: Effect | None, horizon: Effect) -> str:
        return lasting_sentence(end, horizon, reference) if end is not None else effect_sentence(horizon, reference)

    for name in interventions:
        for key in KEY_OUTCOMES:
            end, horizon = dated(name, key)
            if horizon is not None:
                out.append(sentence(end, horizon))
        out.extend(poor_persons_sentence(summary, name, reference, scale))
        for key in CLEAR_OUTCOMES:
            end, horizon = dated(name, key)
            # a visible size (not "where it is") that the typology would not call "no change"
            if horizon is not None and any(e is not None and e.distinguishable and e.direction != 0
                                           and e.beyond(tolerances) for e in (end, horizon)):
                out.append(sentence(end, horizon) + (forest_hectares_sentence(summary, name, scale)
                                                     if key == "forest_cover" else ""))
        if node_income is not None and name in node_income:
            out.extend(filter(None, [municipal_income_sentence(node_income[name], name, reference, scale,
                                                               node_labels)]))
    dated = [e for n in interventions for e in dated_effects(summary, n, "poverty_headcount") if e is not None]
    if len(interventions) > 1 and dated:
        falls = [e for e in dated if e.distinguishable and e.mean < 0]
        horizon_year = max(e.year for e in dated)
        if falls:
            best = min(falls, key=lambda e: e.mean)
            ended = best.year < horizon_year
            when = say("in {year}", "en {year}", year=best.year) + (
                say(", the last year of its programmes", ", el último año de sus programas") if ended else "")
            # at its table's places, never as 0 (review 24: a fall of 0.03 points read "0 points")
            best = replace(best, table_places=places["poverty_headcount", PROGRAMME_END if ended else HORIZON])
            out.append(say("The largest fall in poverty that can be told from chance is under {scenario} ({size} {unit} "
                           "{when}).",
                           "La mayor caída de la pobreza que se distingue del azar se da con {scenario} ({size} {unit} "
                           "{when}).", scenario=best.scenario, size=best.mean_text(signed=True),
                           unit=numbers.unit(best.outcome, difference=True), when=when))
            if pairs is not None and not pairs.empty and int(pairs["year"].iloc[0]) == best.year:
                out.append(against_the_others(pairs, best.scenario, interventions, "poverty_headcount"))
        else:
            ends = say(" or in the last year of its programmes", " ni en el último año de sus programas") \
                if any(e.year < horizon_year for e in dated) else ""
            out.append(say("No intervention lowers the poverty headcount in {year}{ends} by an amount that can be told "
                           "from chance.",
                           "Ninguna intervención reduce la tasa de pobreza en {year}{ends} en una magnitud que se "
                           "distinga del azar.", year=horizon_year, ends=ends))
    gains = {n: _person_years(summary, n) for n in interventions}
    gains = {n: row for n, row in gains.items() if row is not None and side(row["diff_q05"], row["diff_q95"]) > 0}
    if len(interventions) > 1 and gains:
        most = max(gains, key=lambda n: gains[n]["diff_to_reference"])
        mean, low, high = numbers.significant_interval(*(gains[most][c] / scale for c in ("diff_to_reference",
                                                                                           "diff_q05", "diff_q95")))
        out.append(say("Over the run, the most person-years out of poverty that can be told from chance come under "
                       "{most} ({mean} {interval} person-years, whole territory).",
                       "En la corrida, la mayor cantidad de años-persona fuera de la pobreza que se distingue del azar "
                       "se da con {most} ({mean} {interval} años-persona, todo el territorio).",
                       most=most, mean=mean, interval=numbers.bracket(low, high)))
        out.extend(filter(None, [close_person_years_sentence(summary, interventions, most, scale, pairs)]))
    with_range = {n: _cost_per_person_year_with_range(summary, n) for n in gains}  # (mean, low, high)
    costs = {k: v[0] for k, v in with_range.items() if np.isfinite(v[0]) and v[0] > 0}
    if len(interventions) > 1 and costs:
        cheapest = min(costs, key=costs.get)
        if len(costs) > 1:
            # with the ranges over seeds: a ranking by the means alone read as firm where the cheapest's
            # range reached 900 times its mean (an adviser's trial, session 53: roads 1,250 USD
            # [400, 362,000] "cheapest" against cash transfers' 1,970 [1,670, 2,280])
            ranges = {n: with_range[n][1:] for n in costs}
            told = all(ranges[cheapest][1] < ranges[n][0] for n in costs if n != cheapest)
            others = ", ".join(say("{cost} USD for {name}", "{cost} USD de {name}", cost=_cost_with_range(costs[k], ranges[k]),
                                   name=k) for k in costs if k != cheapest)
            if told:
                out.append(say("Among interventions that bring person-years out of poverty over the run by an amount "
                               "told from chance, the cheapest per person-year out of poverty is {cheapest} ({cost} "
                               "USD, against {others}).",
                               "Entre las intervenciones que aportan años-persona fuera de la pobreza en la corrida en "
                               "una magnitud que se distingue del azar, la más barata por año-persona fuera de la "
                               "pobreza es {cheapest} ({cost} USD, frente a {others}).", cheapest=cheapest,
                               cost=_cost_with_range(costs[cheapest], ranges[cheapest]), others=others))
            else:
                out.append(say("Among interventions that bring person-years out of poverty over the run by an amount "
                               "told from chance, {cheapest} has the lowest mean cost per person-year out of poverty "
                               "({cost} USD, against {others}), but the ranges over seeds overlap: which is cheapest "
                               "cannot be told from chance at these seeds.",
                               "Entre las intervenciones que aportan años-persona fuera de la pobreza en la corrida en "
                               "una magnitud que se distingue del azar, {cheapest} tiene el menor costo medio por "
                               "año-persona fuera de la pobreza ({cost} USD, frente a {others}), pero los rangos entre "
                               "semillas se superponen: cuál es la más barata no se distingue del azar con estas "
                               "semillas.", cheapest=cheapest, cost=_cost_with_range(costs[cheapest], ranges[cheapest]),
                               others=others))
        # an intervention cheaper at the mean but left out because its person-years' range reaches
        # zero: said, or the ranking reads as firmer than the seeds make it (an adviser's trial:
        # roads, 639 USD, was left out for one seed of eight below zero; session 26: also when
        # only one intervention's person-years are told from chance, against that one's cost)
        unsure = {n: _cost_per_person_year(summary, n) for n in interventions if n not in gains}
        unsure = {n: v for n, v in unsure.items() if np.isfinite(v) and 0 < v < costs[cheapest]}
        for name, value in sorted(unsure.items(), key=lambda item: item[1]):
            row = _person_years(summary, name)
            mean, low, high = numbers.significant_interval(*(row[c] / scale for c in ("diff_to_reference",
                                                                                       "diff_q05", "diff_q95")))
            # its cost per person-year is 'not established' in the cost table (its person-years' interval
            # reaches 0): the mean ratio is said as such, not as a cost (an adviser trial, session 27)
            out.append(say("For {name}, the person-years out of poverty ({mean} {interval}) cannot be told from chance, "
                           "so its cost per person-year is not established; the ratio of its mean cost to its mean "
                           "person-years is lower ({value} USD, against {cost} USD for {cheapest}): with more seeds "
                           "the ranking may change.",
                           "Para {name}, los años-persona fuera de la pobreza ({mean} {interval}) no se distinguen del "
                           "azar, así que su costo por año-persona no está establecido; la razón entre su costo medio y "
                           "sus años-persona medios es menor ({value} USD, frente a {cost} USD de {cheapest}): con más "
                           "semillas el orden puede cambiar.", name=name, mean=mean,
                           interval=numbers.bracket(low, high), value=numbers.significant(value),
                           cost=numbers.significant(costs[cheapest]), cheapest=cheapest))
    return out


def close_person_years_sentence(summary: pd.DataFrame, interventions: list[str], most: str, scale: float,
                                pairs: pd.DataFrame | None = None) -> str:
    """The interventions whose mean person-years out of poverty lie within the range over seeds of
    ``most``'s (the intervention that brings the most told from chance), told from chance or not:
    these seeds do not rank them, and a comparison with ``most`` as the reference (paired by seed)
    would (an adviser trial, session 26: the report named assistance_market_linkage, 16,000
    [1,930, 26,800], and said nothing of roads, 15,700 [-3,560, 28,100], cheaper per person-year)."""
    best = _person_years(summary, most)
    names, close = [], []
    for name in interventions:
        row = _person_years(summary, name) if name != most else None
        if row is not None and best["diff_q05"] <= row["diff_to_reference"] <= best["diff_to_reference"]:
            mean, low, high = numbers.significant_interval(*(row[c] / scale for c in ("diff_to_reference",
                                                                                       "diff_q05", "diff_q95")))
            names.append(name)
            close.append(f"{name} ({mean} {numbers.bracket(low, high)})")
    if not close:
        return ""
    if spanish():
        head = (f"{', '.join(close)} {'queda' if len(close) == 1 else 'quedan'} dentro de ese rango: estas semillas no "
                f"ponen a {most} por encima de {' ni de '.join(names)}")
    else:
        head = (f"{', '.join(close)} {'lies' if len(close) == 1 else 'lie'} within that range: these seeds do not rank "
                f"{most} above {' or '.join(names)}")
    if pairs is not None and not pairs.empty:  # the direct comparison on the same seeds settles it (session 27)
        return f"{head}. {against_the_others(pairs, most, [most, *names], PERSON_YEARS, scale)}"
    return say("{head}; to test the difference, run compare with {most} first (as the reference) and {others} after "
               "it, paired by seed.",
               "{head}; para probar la diferencia, ejecute compare con {most} primero (como referencia) y {others} "
               "después, pareados por semilla.", head=head, most=most,
               others=say(" and ", " y ").join(names))


def pair_difference(pairs: pd.DataFrame, a: str, b: str, name: str) -> tuple[float, float, float]:
    """``a`` minus ``b`` in outcome ``name`` on the same seeds, mean and 90 % interval, from
    ``pairs`` (``experiments.compare.pairwise_differences``, which holds each pair once, in
    either order); NaN where the pair or outcome is missing."""
    for first, second, sign in ((a, b, 1.0), (b, a, -1.0)):
        rows = pairs[(pairs["first"] == first) & (pairs["second"] == second) & (pairs["outcome"] == name)]
        if len(rows):
            r = rows.iloc[0]
            mean, low, high = sign * r["diff"], sign * r["diff_q05"], sign * r["diff_q95"]
            return float(mean), float(min(low, high)), float(max(low, high))
    return np.nan, np.nan, np.nan


def against_the_others(pairs: pd.DataFrame, best: str, interventions: list[str], name: str,
                       scale: float = 1.0) -> str:
    """One sentence setting ``best`` against each other intervention directly, on the same seeds
    (common random numbers): its difference in outcome ``name`` (the poverty headcount in the
    pairs' year, or the person-years out of poverty over the run, whole territory with ``scale``)
    with the 90 % interval over seeds, and whether it is told from chance: the test a ranking by
    each one's difference to the reference cannot give (an adviser trial, session 27)."""
    year = int(pairs["year"].iloc[0])
    parts = []
    for other in interventions:
        if other == best:
            continue
        mean, low, high = pair_difference(pairs, best, other, name)
        if not np.isfinite(mean):
            continue
        if name == PERSON_YEARS:
            whole = numbers.whole_territory(scale)
            size = say("{mean} person-years (90 % interval {range})", "{mean} años-persona (intervalo del 90 % {range})",
                       mean=numbers.significant(whole * mean, signed=True),
                       range=numbers.between(numbers.significant(whole * low, signed=True),
                                             numbers.significant(whole * high, signed=True)))
        else:
            places = numbers.interval_places(name, mean, low, high)
            mean_text, low_text, high_text = numbers.interval_texts(name, mean, low, high, places)
            size = say("{mean} in {year} (90 % interval {range})", "{mean} en {year} (intervalo del 90 % {range})",
                       mean=numbers.with_unit(name, mean_text, difference=True), year=year,
                       range=numbers.between(low_text, numbers.with_unit(name, high_text, difference=True)))
        told = say("told from chance", "se distingue del azar") if side(low, high) else \
            say("not told from chance", "no se distingue del azar")
        parts.append(f"{other} {size}, {told}")
    if not parts:
        return ""
    what = say("person-years out of poverty over the run", "años-persona fuera de la pobreza en la corrida") \
        if name == PERSON_YEARS else the_label(name)
    return say("Compared directly on the same seeds (the table of the interventions compared with each other, after "
               "these findings), {best} minus each other intervention in {what}: ",
               "Comparadas directamente con las mismas semillas (la tabla de las intervenciones comparadas entre sí, "
               "después de estos resultados), {best} menos cada una de las otras intervenciones en {what}: ",
               best=best, what=what) + "; ".join(parts) + "."


FOREST_HA = "natural_capital"
"""The forest in hectares (summary.csv's outcome, the simulated territory's: the report divides it by
``households_scale``), shown after the forest's share of area (an adviser trial, session 27: forest
effects were given in share points alone)."""


def forest_hectares_sentence(summary: pd.DataFrame, scenario: str, scale: float = 1.0) -> str:
    """The forest effect of ``scenario`` in hectares, for the whole territory (``scale`` simulated
    households per real one), in the last year of its programmes where they end before the
    horizon and at the horizon, each with its 90 % interval over seeds: a sentence to follow the
    effect in share points (an adviser trial, session 27: forest was given in points alone); ''
    where summary.csv has no hectares (or one run: the difference alone)."""
    whole = numbers.whole_territory(scale)
    parts = []
    for e in dated_effects(summary, scenario, FOREST_HA):
        if e is None:
            continue
        mean, low, high = (numbers.hectares(x * whole, signed=True) for x in (e.mean, e.low, e.high))
        parts.append(say("{mean} ha in {year}", "{mean} ha en {year}", mean=mean, year=e.year)
                     + ("" if e.low == e.high else say(" (90 % interval {range} ha)", " (intervalo del 90 % {range} ha)",
                                                       range=numbers.between(low, high))))
    if not parts:
        return ""
    return say(" In hectares of forest standing (whole territory) the difference is {parts}.",
               " En hectáreas de bosque en pie (todo el territorio) la diferencia es {parts}.",
               parts=say(" and ", " y ").join(parts))


def poor_persons_sentence(summary: pd.DataFrame, scenario: str, reference: str, scale: float) -> list[str]:
    """Where the number of poor persons at the horizon differs from the reference's by an
    amount told from chance but the poverty headcount (a share) does not: the count, and that
    the residents differ (an adviser's trial, session 24: policy_mix had more poor persons than
    the baseline in 2030 in all 8 seeds, the year after its programmes stopped, while the report
    called its headcount's difference 'no longer distinguishable from chance'). Whole territory."""
    rows = summary[summary["scenario"] == scenario]
    if "period" in rows:  # a summary without periods is all at the horizon (as ``effects`` reads it)
        rows = rows[rows["period"] == HORIZON]
    rows = rows.set_index("outcome")
    if not {"persons_out_of_poverty_final_year", "poverty_headcount"} <= set(rows.index):
        return []
    lifted, share = rows.loc["persons_out_of_poverty_final_year"], rows.loc["poverty_headcount"]
    count_side, share_side = side(lifted["diff_q05"], lifted["diff_q95"]), side(share["diff_q05"], share["diff_q95"])
    if count_side == 0 or share_side != 0:
        return []
    # the count's difference in the direction said (persons_out_of_poverty_final_year: the reference's poor less the scenario's)
    sign, ends = (-1.0, ("diff_to_reference", "diff_q95", "diff_q05")) if count_side < 0 else \
        (1.0, ("diff_to_reference", "diff_q05", "diff_q95"))
    mean, low, high = numbers.significant_interval(*(sign * lifted[c] / scale for c in ends))
    more = say("more", "más") if count_side < 0 else say("fewer", "menos")
    return [say("In {year} {scenario} has {more} poor persons than {reference} by an amount told from chance ({mean} "
                "{interval} persons, whole territory), while its poverty headcount, a share, is not told from chance: "
                "the two runs differ in their number of residents too.",
                "En {year} {scenario} tiene {more} personas pobres que {reference} en una magnitud que se distingue "
                "del azar ({mean} {interval} personas, todo el territorio), mientras que su tasa de pobreza, una "
                "proporción, no se distingue del azar: las dos corridas difieren también en su número de residentes.",
                year=int(share['year']), scenario=scenario, more=more, reference=reference, mean=mean,
                interval=numbers.bracket(low, high))]


MUNICIPALITIES_NAMED = 5
"""Most municipalities :func:`municipal_income_sentence` names (the rest counted)."""


def municipal_income_sentence(changes: pd.DataFrame, scenario: str, reference: str, scale: float = 1.0,
                              labels: dict[str, str] | None = None) -> str | None:
    """Where the extra income of a municipality's residents over the run is told from chance
    (90 % interval on one side of zero, :func:`side`) but not in the territory's direction
    (the territory's is told from chance in the other direction, or not at all), one sentence
    naming those municipalities, losses first, each with its amount and interval, after the
    territory's: a loss in one municipality that the territory's figures hide (a user's trial:
    the city lost income in all 4 seeds while no finding on page one said so). ``changes``: per
    seed (rows) and node (columns) the extra income over the run, USD of the simulated
    territory (``experiments.compare.node_income_changes``; a row sums to the territory's);
    ``scale`` simulated households per real one (the sentence is for the whole territory);
    ``labels`` the name written for each node that may be named (default: every column, by
    its id). None where no municipality qualifies."""
    if changes.empty:
        return None
    labels = labels if labels is not None else {c: str(c) for c in changes.columns}
    whole = numbers.whole_territory(scale)
    territory = interval(changes.sum(axis=1).to_numpy(float))
    territory_side = side(*territory[1:])
    found = []
    for node, column in changes.items():
        if node not in labels:
            continue
        mean, low, high = interval(column.to_numpy(float))
        if side(low, high) not in (0, territory_side):
            found.append((labels[node], mean, low, high))
    if not found:
        return None
    found.sort(key=lambda f: (f[1] > 0, -abs(f[1])))

    def usd(x: float, signed: bool = True) -> str:
        return numbers.significant(x * whole, signed=signed)

    def interval_text(low: float, high: float) -> str:
        return say("90 % interval {range}", "intervalo del 90 % {range}", range=numbers.between(usd(low), usd(high)))

    mean = territory[0]
    summed = say("Summed over the years after the start (whole territory; impact_by_municipality.csv has it per "
                 "municipality in simulated units)",
                 "Sumado sobre los años posteriores al inicio (todo el territorio; impact_by_municipality.csv lo da por "
                 "municipio en unidades simuladas)")
    if territory_side == 0:
        head = say("{summed}, the income of the territory's residents under {scenario} differs from that under "
                   "{reference} by {amount} USD ({interval}), an amount that cannot be told from chance, but in some "
                   "municipalities it can",
                   "{summed}, el ingreso de los residentes del territorio con {scenario} difiere del que tienen con "
                   "{reference} en {amount} USD ({interval}), una magnitud que no se distingue del azar, pero en "
                   "algunos municipios sí", summed=summed, scenario=scenario, reference=reference, amount=usd(mean),
                   interval=interval_text(*territory[1:]))
    else:
        verb = say("raises", "aumenta") if territory_side > 0 else say("lowers", "reduce")
        head = say("{summed}, {scenario} {verb} the income of the territory's residents by {amount} USD ({interval}) "
                   "compared with {reference}, but not in every municipality",
                   "{summed}, {scenario} {verb} el ingreso de los residentes del territorio en {amount} USD "
                   "({interval}) respecto de {reference}, pero no en todos los municipios", summed=summed,
                   scenario=scenario, verb=verb, amount=usd(abs(mean), False), interval=interval_text(*territory[1:]),
                   reference=reference)
    named = [f"{label} {say('gains', 'gana') if m > 0 else say('loses', 'pierde')} {usd(abs(m), False)} USD "
             f"({interval_text(lo, hi)})" for label, m, lo, hi in found[:MUNICIPALITIES_NAMED]]
    more = len(found) - MUNICIPALITIES_NAMED
    rest = say("; and {more} more", "; y {more} más", more=more) if more > 0 else ""
    return f"{head}: " + "; ".join(named) + rest + "."


def _person_years(summary: pd.DataFrame, scenario: str) -> pd.Series | None:
    """The summary row of ``scenario``'s person-years out of poverty over the run (simulated
    households; None where the summary has none)."""
    rows = summary[(summary["scenario"] == scenario) & (summary["outcome"] == "poverty_person_years_avoided")]
    return rows.iloc[0] if len(rows) else None


def _cost_per_person_year(summary: pd.DataFrame, scenario: str) -> float:
    return _cost_per_person_year_with_range(summary, scenario)[0]


def _cost_per_person_year_with_range(summary: pd.DataFrame, scenario: str) -> tuple[float, float, float]:
    """``scenario``'s cost per person-year out of poverty and its 5-95 % range over seeds (NaN
    where the summary has none)."""
    rows = summary[(summary["scenario"] == scenario) & (summary["outcome"] == "cost_per_poverty_person_year_avoided")]
    if not len(rows):
        return np.nan, np.nan, np.nan
    return tuple(float(rows[c].iloc[0]) for c in ("mean", "diff_q05", "diff_q95"))


def _cost_with_range(cost: float, bounds: tuple[float, float]) -> str:
    """A cost per person-year with its range over seeds where it has one."""
    if not all(np.isfinite(bounds)) or bounds[0] == bounds[1]:
        return numbers.significant(cost)
    return numbers.significant_with_interval(cost, *bounds)


# ---------------------------------------------------------------- drift of the reference run
@dataclass(frozen=True)
class Course:
    """The course of one outcome under one scenario, mean over seeds each year.

    Attributes
    ----------
    outcome : str
        The yearly outcome.
    years : ndarray of int
        Years from the start to the horizon.
    values : ndarray of float
        Mean over seeds in each year, in the outcome's unit.
    tolerances : Tolerances
        The typology's tolerances (a change within them is "no change").
    """

    outcome: str
    years: np.ndarray
    values: np.ndarray
    tolerances: Tolerances = Tolerances()

    def change(self, start: int, end: int) -> int:
        """+1, -1 or 0: whether the outcome rose, fell or stayed within its tolerance
        between positions ``start`` and ``end``, judged as the typology judges it."""
        return judged_change(self.outcome, self.values[start], self.values[end],
                             float(self.years[end] - self.years[start]), self.tolerances)

    @property
    def early(self) -> int:
        """Years counted as the first years of the run: a quarter of it, at least one."""
        return max(1, (len(self.years) - 1) // 4)

    def shape(self) -> str:
        """``"flat"``, ``"reversal"`` (the first year goes one way, the rest the other),
        ``"early"`` (half of the change or more within the first years, ``early``),
        ``"late"`` (under half the pace of a steady change in those years) or ``"steady"``."""
        last, k = len(self.values) - 1, self.early
        total = self.change(0, last)
        first, rest = self.change(0, 1), self.change(1, last)
        if first != 0 and rest != 0 and first != rest:
            return "reversal"
        if total == 0:
            return "flat"
        share_early = (self.values[k] - self.values[0]) / (self.values[last] - self.values[0])
        if share_early >= 0.5:
            return "early"
        if share_early <= 0.5 * k / last:
            return "late"
        return "steady"


def course_of(territory: pd.DataFrame, scenario: str, name: str, tolerances: Tolerances | None = None) -> Course:
    """The course of outcome ``name`` under ``scenario`` from a compare territory table."""
    by_year = territory[territory["scenario"] == scenario].groupby("year")[name].mean()
    return Course(name, by_year.index.to_numpy(int), by_year.to_numpy(float), tolerances or Tolerances())


def course_sentence(c: Course, scenario: str | None) -> str:
    """How outcome ``c.outcome`` moves under ``scenario`` (not named when None, for a
    sentence that follows one naming it), in the words its numbers call for."""
    last = len(c.values) - 1
    what = the_label(c.outcome)
    if scenario:
        under = say("Under {scenario}, {what}", "Con {scenario}, {what}", scenario=scenario, what=what)
    else:
        under = what[0].upper() + what[1:]

    def v(i: int) -> str:
        return say("{value} in {year}", "{value} en {year}", value=numbers.quantity(c.outcome, c.values[i]),
                   year=c.years[i])

    rises, falls = say("rises", "sube"), say("falls", "baja")
    shape = c.shape()
    if shape == "flat":
        return say("{under} stays within survey error of its start ({a}; {b}).",
                   "{under} se mantiene dentro del error de las encuestas respecto de su inicio ({a}; {b}).",
                   under=under, a=v(0), b=v(last))
    if shape == "reversal":
        up = c.change(0, 1) > 0
        first, then = (rises, falls) if up else (falls, rises)
        return say("{under} {first} in the first year ({a}, {b}), then {then} ({c}).",
                   "{under} {first} el primer año ({a}, {b}) y luego {then} ({c}).",
                   under=under, first=first, then=then, a=v(0), b=v(1), c=v(last))
    verb = rises if c.change(0, last) > 0 else falls
    k = c.early
    when = {"early": say("most of the change comes in the first {years}", "la mayor parte del cambio ocurre en {years}",
                         years=_years(k)),
            "late": say("little of it comes in the first {years}", "poco del cambio ocurre en {years}", years=_years(k)),
            "steady": say("the change is spread over the period", "el cambio se reparte a lo largo del período")}[shape]
    return say("{under} {verb} from {a} to {b}; {when} ({c}).", "{under} {verb} de {a} a {b}; {when} ({c}).",
               under=under, verb=verb, a=v(0), b=v(last), when=when, c=v(k))


def _years(k: int) -> str:
    if spanish():
        return "el primer año" if k == 1 else f"los primeros {k} años"
    return "year" if k == 1 else f"{k} years"


def drift_caveat(territory: pd.DataFrame, reference: str, tolerances: Tolerances | None = None) -> str:
    """The caveat on how the reference run moves by itself, from its yearly means."""
    courses = [course_of(territory, reference, name, tolerances) for name in DRIFT_OUTCOMES
               if name in territory]
    sentences = [course_sentence(c, reference if k == 0 else None) for k, c in enumerate(courses)]
    if all(c.shape() == "flat" for c in courses):
        tail = say("The reference run is stationary within survey error: differences come from the interventions.",
                   "La corrida de referencia es estacionaria dentro del error de las encuestas: las diferencias "
                   "provienen de las intervenciones.")
    else:
        tail = say("The reference run moves by itself; compare interventions with it (every table does), since it "
                   "shares this drift.",
                   "La corrida de referencia se mueve por sí sola; compare las intervenciones con ella (todas las "
                   "tablas lo hacen), ya que comparten esta deriva.")
    return say("Course of the reference run: ", "Trayectoria de la corrida de referencia: ") + " ".join(sentences) \
        + " " + tail
