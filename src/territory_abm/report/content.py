"""What the adviser report says, computed from a finished comparison directory.

Everything here is plain data (tables as DataFrames, text as strings); the HTML and PDF
writers only lay it out, so both documents say the same thing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..data.importer import NOT_OBSERVED, filled_summary
from ..errors import InputError
from ..experiments.compare import (DIFFERENCE, HIGH, HORIZON, LOW, PERSON_YEARS, PROGRAMME_END, STEADY_SEEDS,
                                   cost_per_unit, differences_text, few_units, node_income_changes, pairwise_differences,
                                   setting_differences)
from ..experiments.store import ResultStore
from ..outcomes import CHANGES, DIMENSIONS, GROUPS, TYPES, Tolerances, outcome
from ..output.maps import no_geo_extra_note
from ..outcomes import HEADLINE as HEADLINE_OUTCOMES
from ..params import CONTEXT_GROUP
from ..params import REGISTRY as PARAMETERS
from ..suggest import not_found
from . import numbers
from ..language import label as outcome_label
from ..language import say, speaking, spanish, word
from .findings import (FOREST_HA, Effect, dated_effects, drift_caveat, key_findings, pair_difference,
                       residents_sentence, side)

HEADLINE = {name: outcome(name) for name in HEADLINE_OUTCOMES}
"""Outcomes in the headline table (registry entries: label, unit, display; shares shown as %)."""
ROWS = tuple(name for head in HEADLINE for name in ((head, FOREST_HA) if head == "forest_cover" else (head,)))
"""The headline tables' rows: the registry's headline outcomes, the forest in hectares after its share."""
LABELS = {FOREST_HA: ("forest standing, whole territory", "bosque en pie, todo el territorio")}
"""Row labels of the report's own (English, Spanish) where the registry's would mislead (its
natural_capital is 'forest (simulated scale)'; the report shows the whole territory's)."""

LEFT_OUT = (
    "Prices of tradables are set outside the territory; a shock to world prices is a scenario, not an outcome.",
    ("Households do not borrow (except through the credit lever), insure, or choose their children's "
     "schooling: a new adult has the cohort's "
     "schooling plus the household's gap, and schooling changes only through the education lever and the "
     "attendance a conditional transfer buys."),
    ("Land is let for the year in each municipality's rental market and sold only when households die out or "
     "leave (and through the land lever); there is no credit for buying land, and titles and tenure security "
     "are not represented."),
    ("Social coalitions, institutions and politics are represented only by each municipality's fixed governance "
     "score and budget rules."),
    "Climate, water and soils enter only through one natural capital stock per municipality.",
    ("Migrants abroad are counted by household and send a fixed share of what a migrant earns outside; where "
     "and how they work abroad is not simulated."),
)

NOT_REPRODUCED = (
    ("the falling inequality most of Latin America saw in 2000-2015, at its size: with the national conditional "
     "cash transfer and the falling returns to schooling of its context the shipped baseline's Gini falls only "
     "about 0.001 in 20 years (within seed noise), where most of the region's fell several points in a decade; "
     "minimum wages are not a driver of their own; and across generated territories the share on a "
     "'win-win-win' path is reproduced only by its interval (about 0.21 against the observed 0.12 ± 0.05; about "
     "0.05 without the national transfer and the falling returns when last measured), and the observed periods "
     "span both (README, Where the model stands)."),
    ("a start wholly at rest: with no policy and a flat context poverty and the Gini hold within seed noise, in the "
     "rural municipalities and the intermediate cities too, but income per person slips about 25 USD in 20 years "
     "(about 1 %) as remittances fall (households of one adult grow, single movers forming households faster than "
     "unions pair them, and those left with migrants abroad emigrate whole) and the local market's demand, which "
     "the household enterprises sell to, falls with them (README, Where the model stands)."),
    ("who receives remittances: the start's migrants abroad sit with richer households than the run keeps "
     "them, so remittances spread to poorer households in the first years."),
    ("commuting: the start's wages leave nobody a gain from commuting, and commuters appear only as the towns' "
     "wages grow, in some seeds."),
    ("the towns' farm income: their few land holders farm at the territory's productivity, so about 0.005 of the "
     "intermediate cities' income is farm income where their tables leave about 0.02; their residents' farms in "
     "the hinterland are not modelled."),
    ("how jobs are found, in part: the referrals' part of hiring is within what surveys find, but most of the "
     "year's net job gains go to households that already have a worker."),
    ("what an intermediate city does to its territory: generated territories with one, taken as a whole, see "
     "their inequality change about as those without (-0.001 in a decade, interval -0.006 to +0.004), where the "
     "evidence points to a rise of about 0.01, and their income grow a little slower (-0.004 a year, interval "
     "-0.010 to +0.001), where it points to faster growth: both intervals reach the observed bands, their means "
     "do not; the generated cities grow poorer per person as poor arrivals settle in them."),
    ("income convergence across municipalities for the right reason: generated territories converge even with "
     "nothing to make them, as households that move arrive poorer than the places they move to, so the "
     "convergence the model shows is mostly its start settling."),
)
"""What the model does not yet reproduce (README, "Where the model stands"), said in every report."""

LEFT_OUT_ES = (
    "Los precios de los bienes transables se fijan fuera del territorio; un shock de precios mundiales es un "
    "escenario, no un resultado.",
    ("Los hogares no se endeudan (salvo mediante el instrumento de crédito), no se aseguran ni eligen la educación de "
     "sus hijos: un nuevo adulto tiene la educación de su cohorte más la brecha del hogar, y la educación cambia solo "
     "con el instrumento de educación y la asistencia que compra una transferencia condicionada."),
    ("La tierra se arrienda por un año en el mercado de arriendo de cada municipio y se vende solo cuando los hogares "
     "se extinguen o se van (y mediante el instrumento de tierras); no hay crédito para comprar tierra, y los títulos "
     "y la seguridad de la tenencia no están representados."),
    ("Las coaliciones sociales, las instituciones y la política están representadas solo por el índice fijo de "
     "gobernanza de cada municipio y sus reglas presupuestarias."),
    "El clima, el agua y los suelos entran solo a través de un stock de capital natural por municipio.",
    ("Los migrantes en el exterior se cuentan por hogar y envían una proporción fija de lo que un migrante gana "
     "afuera; dónde y cómo trabajan en el exterior no se simula."),
)
"""The Spanish of :data:`LEFT_OUT`, in its order."""

NOT_REPRODUCED_ES = (
    ("la caída de la desigualdad que vivió la mayor parte de América Latina en 2000-2015, en su magnitud: con la "
     "transferencia condicionada nacional y la caída de los retornos a la escolaridad de su contexto, el Gini de la "
     "línea de base incluida baja solo cerca de 0,001 en 20 años (dentro del ruido entre semillas), mientras el de la "
     "mayor parte de la región bajó varios puntos en una década; los salarios mínimos no son un factor propio; y "
     "entre los territorios generados la proporción en una trayectoria de 'triple ganancia' se reproduce solo por "
     "su intervalo (cerca de 0,21 frente a la observada, 0,12 ± 0,05; cerca de 0,05 sin la transferencia nacional "
     "ni la caída de los retornos la última vez que se midió), y los períodos observados abarcan ambos (README, "
     "sección «Where the model stands»)."),
    ("un inicio del todo en reposo: sin política y con el contexto fijo, la pobreza y el Gini se mantienen dentro "
     "del ruido entre semillas, también en los municipios rurales y en las ciudades intermedias, pero el ingreso por "
     "persona baja cerca de 25 USD en 20 años (cerca de 1 %) a medida que caen las remesas (crecen los hogares de "
     "un adulto: quienes migran solos forman hogares más rápido de lo que las uniones los juntan, y los que quedan "
     "con migrantes en el exterior emigran enteros) y con ellas la demanda del mercado local, al que venden las "
     "empresas de los hogares (README, sección «Where the model stands»)."),
    ("quién recibe remesas: los migrantes en el exterior del inicio están en hogares más ricos de lo que la corrida "
     "los mantiene, de modo que las remesas se extienden a hogares más pobres en los primeros años."),
    ("los desplazamientos diarios al trabajo: los salarios del inicio no dan a nadie una ganancia por trabajar en otro "
     "municipio, y quienes lo hacen aparecen solo cuando crecen los salarios de las ciudades, en algunas semillas."),
    ("el ingreso agrícola de las ciudades: sus pocos propietarios de tierra cultivan con la productividad del "
     "territorio, de modo que cerca de 0,005 del ingreso de las ciudades intermedias es agrícola donde sus tablas "
     "dejan cerca de 0,02; las fincas de sus residentes en el entorno rural no se modelan."),
    ("cómo se encuentran los empleos, en parte: la parte de las referencias en la contratación está dentro de lo que "
     "encuentran las encuestas, pero la mayor parte de la ganancia neta de empleos del año va a hogares que ya tienen "
     "un trabajador."),
    ("lo que una ciudad intermedia hace a su territorio: los territorios generados con una, tomados en su conjunto, "
     "ven cambiar su desigualdad como los que no la tienen (-0,001 en una década, intervalo de -0,006 a +0,004), "
     "mientras la evidencia apunta a un aumento de cerca de 0,01, y su ingreso crecer un poco más lento (-0,004 al "
     "año, intervalo de -0,010 a +0,001), donde apunta a un crecimiento más rápido: ambos intervalos alcanzan las "
     "bandas observadas, sus medias no; las ciudades generadas se empobrecen por persona a medida que llegan "
     "migrantes pobres."),
    ("la convergencia de ingresos entre municipios por la razón correcta: los territorios generados convergen "
     "aun sin nada que los empuje, porque los hogares que migran llegan más pobres que los lugares a los que "
     "llegan, de modo que la convergencia que muestra el modelo es sobre todo su inicio asentándose."),
)
"""The Spanish of :data:`NOT_REPRODUCED`, in its order."""


@dataclass
class ReportContent:
    question: str
    not_only_policies: list[str]  # page one: each intervention that differs from the reference beyond its policies
    overview: pd.DataFrame  # page one: one row per intervention (cost per year, poverty at programme end and horizon)
    read_first: list[str]  # page one's caveats: calibration status, changes in the number of residents
    findings: list[str]  # generated sentences for page one, each from the numbers it describes
    reference: str
    scenarios: list[dict]  # name, description, policies (text), cost (mean, low, high), calibrated, parameters
    seeds: list[int]
    years: tuple[int, int]
    households_scale: float
    headline: pd.DataFrame  # outcome rows x scenario columns (display strings), at the horizon
    programme_end: pd.DataFrame  # the same for interventions whose programmes end before the horizon
    cost_effectiveness: pd.DataFrame
    multipliers: pd.DataFrame
    multiplier_notes: list[str]  # below the multipliers: where the cumulative and the annual ones differ in sign
    typology: dict[str, pd.DataFrame]  # group label -> type rows x scenario columns (display strings)
    typology_changes: pd.DataFrame  # dimension rows x scenario columns: improved / no change / worsened
    typology_shares: pd.DataFrame  # typology_shares.csv as written by compare
    tolerances: dict[str, float]
    municipalities: dict[str, pd.DataFrame]  # scenario -> per municipality difference with interval, verdict
    caveats: list[str]
    version: str
    language: str = "en"  # the language the content is written in (``report --language``)
    map_note: str = ""  # where the map would be: why there is none (the geo extra missing), '' otherwise
    # scenario -> (its programme's last year, the municipalities table then), for programmes ending before the horizon
    municipalities_end: dict[str, tuple[int, pd.DataFrame]] = field(default_factory=dict)
    # after the findings: the interventions compared with each other on the same seeds (the findings end by
    # saying which pairs are told apart)
    pairwise: pd.DataFrame = field(default_factory=pd.DataFrame)


def build_content(directory: Path, question: str | None = None, language: str = "en") -> ReportContent:
    """Read a finished comparison in ``directory``, its text in ``language`` (``"en"`` or
    ``"es"``: :data:`.language.LANGUAGES`); InputError if it is not one."""
    with speaking(language):
        return _build_content(Path(directory), question, language)


def _build_content(directory: Path, question: str | None, language: str) -> ReportContent:
    directory = Path(directory)
    if not directory.is_dir():
        raise InputError(directory, "directory", not_found(directory, "the output directory of a finished "
                                                           "`territory-abm compare`"))
    marker = directory / "comparison.json"
    if not marker.is_file():
        raise InputError(directory, "comparison.json", "the output directory of a finished `territory-abm compare` "
                         "(run compare first, or rerun it to finish)")
    meta = json.loads(marker.read_text(encoding="utf-8"))
    if len(meta.get("scenarios", [])) < 2:
        raise InputError(directory, "comparison.json", f"a comparison of a reference and at least one intervention; "
                         f"this one ran {meta.get('reference', 'one scenario')} alone (run compare with the "
                         "reference first, e.g. scenarios/baseline.toml, then the interventions)")
    with ResultStore(directory) as store:
        design = store.manifest()["design"]
    summary = pd.read_csv(directory / "summary.csv")
    impact = pd.read_csv(directory / "impact.csv")
    shares = pd.read_csv(directory / "typology_shares.csv")
    results = pd.read_csv(directory / "results.csv")
    territory = pd.read_csv(directory / "territory_results.csv")
    reference, names = meta["reference"], meta["scenarios"]
    by_name = {s["name"]: s for s in design["scenarios"]}
    first = by_name[reference]
    years = (int(first["start_year"]), int(first["start_year"]) + int(first["steps"]))
    scale = float(first["households_scale"])
    scenarios = [_scenario_entry(by_name[n], summary, scale) for n in names]
    interventions = [n for n in names if n != reference]
    options = interventions[0] if len(interventions) == 1 else \
        ", ".join(interventions[:-1]) + say(" or ", " o ") + interventions[-1]
    question = question or say("Which intervention ({options}) does most for {territory} over {y0}-{y1}, compared "
                               "with {reference}?",
                               "¿Qué intervención ({options}) hace más por {territory} en {y0}-{y1}, comparada con "
                               "{reference}?", options=options, territory=_territory_name(first), y0=years[0],
                               y1=years[1], reference=reference)
    tolerances = dict(meta.get("typology", first.get("typology", {})))
    seeds = len(meta["seeds"])
    one_run = seeds == 1  # the tables show differences alone: one run has no interval
    unpaid = unpaid_in_some_seeds(summary)
    pairs = pairwise_differences(territory, interventions, years[1]) if len(interventions) > 1 else None
    return ReportContent(
        question=question, not_only_policies=not_only_policies([by_name[n] for n in names]),
        overview=overview_table(summary, impact, interventions, scale, one_run),
        read_first=read_first(scenarios, summary, reference, interventions, scale, territory, first),
        findings=key_findings(summary, reference, interventions, Tolerances(**tolerances), scale, seeds,
                              node_income={n: node_income_changes(results, n, reference) for n in interventions},
                              node_labels=node_labels(results), pairs=pairs)
        + ([pairwise_sentence(pairs)] if pairs is not None else []),
        reference=reference, scenarios=scenarios, seeds=list(meta["seeds"]), years=years,
        households_scale=scale,
        headline=headline_table(summary, names, reference, scale, one_run),
        programme_end=programme_end_table(summary, interventions, scale, one_run),
        cost_effectiveness=cost_table(summary, interventions, scale, one_run),
        multipliers=multiplier_table(impact, unpaid), multiplier_notes=multiplier_sign_notes(impact, unpaid),
        typology=typology_tables(shares, names),
        typology_changes=typology_change_table(shares, names), typology_shares=shares,
        tolerances=tolerances,
        municipalities={n: municipality_changes(results, n, reference, scale=scale) for n in interventions},
        municipalities_end={n: (year, municipality_changes(results, n, reference, year, scale))
                            for n, year in programme_end_years(summary, interventions).items()},
        caveats=caveats(scenarios, len(meta["seeds"]), scale, tolerances,
                        drift=drift_caveat(territory, reference, Tolerances(**tolerances)),
                        noise=typology_noise(results, reference),
                        not_observed=filled_summary(first["territory"])),
        version=str(meta.get("version", "")), language=language,
        map_note=map_note(first["territory"]),
        pairwise=pairwise_table(pairs, scale, one_run) if pairs is not None else pd.DataFrame())


def map_note(territory: str) -> str:
    """Where the report's map would be: why there is none (the geo extra missing), '' otherwise."""
    note = no_geo_extra_note(territory)
    if not note or not spanish():
        return note.replace("no map.png", "No map", 1)
    return ("Sin mapa: el territorio tiene límites (geometry.gpkg) pero no está instalado el extra geo "
            "(pip install -e \".[geo]\")")


SETTING_KINDS_ES = {"parameter": "parámetro de comportamiento", "context": "factor de contexto", "setting": "ajuste"}
"""The Spanish of ``experiments.compare.SETTING_KINDS``."""


def _differences_text(differences: list[dict], reference: str) -> str:
    """:func:`~territory_abm.experiments.compare.differences_text` in the language in force."""
    if not spanish():
        return differences_text(differences, reference)

    def shown(value) -> str:
        return "sin fijar" if value is None else value if isinstance(value, str) else numbers.plain(value)
    return ", ".join(f"{SETTING_KINDS_ES[d['kind']]} {d['name']} {shown(d['value'])} "
                     f"({reference}: {shown(d['reference'])})" for d in differences)


def not_only_policies(scenarios: list[dict]) -> list[str]:
    """Page one: for each scenario (plain data, as in a design; the first the reference) that
    differs from the reference in more than its policies, what differs
    (:func:`~territory_abm.experiments.compare.setting_differences`) and that its differences
    to the reference are therefore not its policies' effect alone."""
    reference = scenarios[0]["name"]
    return [say("{name} differs from {reference} in more than its policies: {what}. Its differences to {reference} in "
                "this report are therefore not the effect of its policies alone: they include the effect of these "
                "changes.",
                "{name} difiere de {reference} en más que sus políticas: {what}. Sus diferencias con {reference} en "
                "este informe no son, por lo tanto, solo el efecto de sus políticas: incluyen el efecto de estos "
                "cambios.", name=name, reference=reference, what=_differences_text(differences, reference))
            for name, differences in setting_differences(scenarios).items() if differences]


EXAMPLE_TERRITORY = Path("calibration") / "data" / "example"
"""The bundled example territory (invented for demonstration), named as such on page one."""


def read_first(scenarios: list[dict], summary: pd.DataFrame, reference: str, interventions: list[str],
               scale: float = 1.0, territory: pd.DataFrame | None = None, first: dict | None = None) -> list[str]:
    """Page one's caveats: what poverty means here and where the reference goes without any
    intervention (:func:`reference_path_caveat`, from the ``territory`` results and the reference
    scenario ``first``), that the bundled example is invented, the calibration status of the
    ``scenarios`` (report entries) and, where interventions change the number of residents at
    the horizon by an amount told from chance, that sentence
    (:func:`~.findings.residents_sentence`). An adviser trial (session 26) found the poverty
    line, the example's being invented and the baseline's own change only on the last pages."""
    # at the horizon, or at the end of the programmes where only that is told from chance (an adviser
    # trial, session 26: +946 residents [+387, +1,405] at a programme's end went unsaid)
    found = []
    for name in interventions:
        end, horizon = dated_effects(summary, name, "population")
        found += [e for e in (horizon, end) if e is not None and e.distinguishable and e.direction != 0][:1]
    head = []
    if territory is not None and first is not None:
        head.append(reference_path_caveat(territory, reference, first))
        if Path(first.get("territory", "")).as_posix().endswith(EXAMPLE_TERRITORY.as_posix()):
            head.append(say("The territory is the package's example, invented for demonstration: the results "
                            "illustrate what the model does, not a real place.",
                            "El territorio es el ejemplo del paquete, inventado para demostración: los resultados "
                            "ilustran lo que hace el modelo, no un lugar real."))
    return [*head, calibration_caveat(scenarios), *filter(None, [residents_sentence(found, reference, scale)])]


def reference_path_caveat(territory: pd.DataFrame, reference: str, first: dict) -> str:
    """Poverty's definition (the scenario's poverty line) and the reference's poverty at the first
    and last years (mean over seeds): every difference is measured against that path."""
    rows = territory[territory["scenario"] == reference].groupby("year")["poverty_headcount"].mean()
    y0, y1 = int(rows.index.min()), int(rows.index.max())
    line = float(first.get("poverty_line", 1200.0))
    return say("Poverty is the share of people living on less than {line} USD a person a year. With no intervention "
               "({reference}) it goes from {start} in {y0} to {end} in {y1} (mean over seeds), under the context its "
               "scenario declares; every difference in this report is measured against that path, and what the model "
               "does not yet reproduce is listed at the end.",
               "La pobreza es la proporción de personas que viven con menos de {line} USD por persona al año. Sin "
               "intervención ({reference}) pasa de {start} en {y0} a {end} en {y1} (media sobre las semillas), bajo "
               "el contexto que declara su escenario; cada diferencia de este informe se mide frente a esa "
               "trayectoria, y lo que el modelo todavía no reproduce se enumera al final.",
               line=numbers.rounded(line), reference=reference, y0=y0, y1=y1,
               start=numbers.quantity('poverty_headcount', rows[y0]), end=numbers.quantity('poverty_headcount', rows[y1]))


def changed_parameters(scenario: dict) -> dict[str, float]:
    """The behavioural parameters (not context drivers) of ``scenario`` (plain data, as in a
    design) whose value is not the registry default, with their values."""
    return {name: value for name, value in scenario.get("parameters", {}).items()
            if name in PARAMETERS and PARAMETERS[name].group != CONTEXT_GROUP and value != PARAMETERS[name].default}


def _territory_name(scenario: dict) -> str:
    return say("the {name} territory", "el territorio {name}", name=Path(scenario['territory']).name)


def scale_note(scale: float) -> str:
    """What the report's counts and costs are, said once near the top ('' at full scale)."""
    if scale == 1:
        return ""
    return say("Simulated with {scale} households per real household; persons, firms, hectares of forest and costs in "
               "this report are for the whole territory (the simulated figures divided by {scale}), shares and ratios "
               "as simulated.",
               "Simulado con {scale} hogares por hogar real; las personas, empresas, hectáreas de bosque y costos de "
               "este informe son de todo el territorio (las cifras simuladas divididas por {scale}), las proporciones "
               "y razones tal como se simularon.", scale=numbers.plain(scale, "g"))


def _scaled(row: pd.Series, factor: float) -> pd.Series:
    """A summary row with its values, differences and intervals times ``factor``."""
    row = row.copy()
    for c in ("mean", "q05", "q95", "diff_to_reference", "diff_q05", "diff_q95"):
        if c in row:
            row[c] = factor * row[c]
    return row


def _scenario_entry(s: dict, summary: pd.DataFrame, scale: float = 1.0) -> dict:
    cost = summary[(summary["scenario"] == s["name"]) & (summary["outcome"] == "policy_cost_total")]
    row = _scaled(cost.iloc[0], numbers.whole_territory(scale)) if len(cost) else None
    source = Path(s.get("source", ""))
    calibrated = source.is_file() and "calibrate" in source.read_text(encoding="utf-8").split("\n", 1)[0]
    return {"name": s["name"], "description": s.get("description", ""),
            "policies": [_policy_text(p) for p in s.get("policies", [])],
            "cost": (row["mean"], row["q05"], row["q95"]) if row is not None else (0.0, 0.0, 0.0),
            "cost_text": _cost_text(row),
            "calibrated": calibrated, "parameters": changed_parameters(s)}


def _cost_text(row) -> str:
    """Programme cost over the run, three significant digits, with the range over seeds when it has one."""
    if row is None:
        return "0"
    mean, low, high = numbers.significant_interval(*(row[c] for c in ("mean", "q05", "q95")))
    return mean if low == high else f"{mean} {numbers.bracket(low, high)}"


def _policy_text(p: dict) -> str:
    """A scenario's policy as the report lists it: lever, years, target and fields, named as the
    classroom pages name them in the report's language where they have a label (an adviser's
    trial, session 53: the Spanish report listed "amount 400, coverage 0,3, target: all")."""
    from ..dashboard.controls import LEVER_FIELDS
    from ..dashboard.text import TEXT

    names = TEXT["es" if spanish() else "en"]
    shown = LEVER_FIELDS.get(p["lever"], ())  # a field's page label is its lever's (a land share is not a budget's)

    def label(key: str, field: bool = True) -> str:  # the English report keeps the scenario's keys
        return names.get(key, key) if spanish() and (not field or key in shown) else key

    fields = ", ".join(f"{label(k)} {_field_text(v)}" for k, v in p.items()
                       if k not in ("lever", "start", "end", "target"))
    target = p.get("target", "all")
    if isinstance(target, dict):  # a target rule, e.g. {poverty_above = 0.3} (it printed as a Python dict)
        target = ", ".join(_target_rule_text(k, v) for k, v in target.items())
    else:
        target = names["all"] if spanish() and target == "all" else _field_text(target)
    return (f"{label(p['lever'], field=False)} {p.get('start')}-{p.get('end')} ({say('target', 'objetivo')}: "
            f"{target}; {fields})")


def _target_rule_text(rule: str, value) -> str:
    """A target rule (``scenarios.loader.TARGET_RULES``) in words."""
    if rule == "poverty_above":
        return say("municipalities whose poverty headcount is above {v}", "municipios con una tasa de pobreza "
                   "mayor que {v}", v=_field_text(value))
    if rule == "kind":
        return say("every {v}", "cada {v}", v={"municipality": say("rural municipality", "municipio rural"),
                                               "city": say("intermediate city", "ciudad intermedia")}.get(value, value))
    return f"{rule} {_field_text(value)}"


def _field_text(value) -> str:
    """A policy field as a reader writes it: lists joined by commas, whole numbers with
    thousands separators and no decimals (budgets are the scenario's, for the whole territory)."""
    if isinstance(value, (list, tuple)):
        return ", ".join(_field_text(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return numbers.rounded(int(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return numbers.rounded(value)
    if isinstance(value, float):
        return numbers.plain(value)
    return str(value)


def _row_label(name: str) -> str:
    """Registry label with the unit the report shows (``%`` for shares, differences in points)."""
    label = say(*LABELS[name]) if name in LABELS else outcome_label(name)
    unit = numbers.unit(name)
    if unit == "%":
        unit = say("%; differences in points", "%; diferencias en puntos")
    text = f"{label} ({unit})" if unit else label
    return text[0].upper() + text[1:]


def _cells(name: str, found: dict[str, pd.Series], one_run: bool = False) -> dict[str, str]:
    """Each column's value of outcome ``name``, and on a second line its difference to the
    reference with the 90 % interval (the difference alone with ``one_run``: one seed has no
    interval), the row's differences at one precision (:func:`numbers.shared_places`)."""
    places = numbers.shared_places(name, [tuple(r[c] for c in DIFFERENCE) for r in found.values()])
    return {column: f"{numbers.value(name, r['mean'])}\n"
                    f"{numbers.with_interval(name, *(r[c] for c in DIFFERENCE), places=places, one_run=one_run)}"
            for column, r in found.items()}


def _period(summary: pd.DataFrame, period: str) -> pd.DataFrame:
    """Rows of ``summary`` for ``period`` (a summary without periods is all at the horizon)."""
    if "period" not in summary:
        return summary if period == HORIZON else summary.iloc[:0]
    return summary[summary["period"] == period]


def headline_table(summary: pd.DataFrame, names: list[str], reference: str, scale: float = 1.0,
                   one_run: bool = False) -> pd.DataFrame:
    """Value of each outcome at the horizon under the reference, and for each intervention
    its value and difference to the reference with the 90 % interval (5th-95th percentile
    of the paired differences over seeds; none with ``one_run``, one seed per scenario);
    counts for the whole territory (``scale``: the simulated households per real household)."""
    summary = _period(summary, HORIZON)
    rows = []
    for key in ROWS:
        found = {}
        for name in names:
            r = summary[(summary["scenario"] == name) & (summary["outcome"] == key)]
            if len(r):
                found[name] = _scaled(r.iloc[0], numbers.whole_territory_factor(key, scale))
        cells = _cells(key, {name: r for name, r in found.items() if name != reference}, one_run)
        rows.append({say("Outcome", "Resultado"): _row_label(key), **{name: numbers.value(key, r["mean"]) if name == reference
                                                   else cells[name] for name, r in found.items()}})
    return pd.DataFrame(rows)


def programme_end_table(summary: pd.DataFrame, interventions: list[str], scale: float = 1.0,
                        one_run: bool = False) -> pd.DataFrame:
    """For each intervention whose programmes end before the horizon: each outcome in the
    last year of its programmes, and the difference to the reference in that same year with
    its 90 % interval (none with ``one_run``). Empty when every programme runs to the horizon."""
    part = _period(summary, PROGRAMME_END)
    ending = [n for n in interventions if (part["scenario"] == n).any()]
    rows = []
    for key in ROWS if ending else ():
        found = {}
        for name in ending:
            r = part[(part["scenario"] == name) & (part["outcome"] == key)]
            if len(r):
                r = _scaled(r.iloc[0], numbers.whole_territory_factor(key, scale))
                found[say("{name} (end {year})", "{name} (fin {year})", name=name, year=int(r['year']))] = r
        rows.append({say("Outcome", "Resultado"): _row_label(key), **_cells(key, found, one_run)})
    return pd.DataFrame(rows)


def overview_table(summary: pd.DataFrame, impact: pd.DataFrame, interventions: list[str],
                   scale: float = 1.0, one_run: bool = False) -> pd.DataFrame:
    """Page one, one row per intervention: the years its programmes run and their mean cost
    per programme year (whole territory); its difference in the poverty headcount to the
    reference with the 90 % interval in the last year of its programmes (where they end
    before the horizon) and at the horizon, each column at one precision
    (:func:`numbers.shared_places`); and its person-years out of poverty over the run
    (differences alone with ``one_run``: one seed has no interval)."""
    dated = {n: dated_effects(summary, n, "poverty_headcount") for n in interventions}
    if all(h is None for _, h in dated.values()):
        return pd.DataFrame()
    end_places, horizon_places = (
        numbers.shared_places("poverty_headcount", [(e.mean, e.low, e.high) for e in column if e is not None])
        for column in zip(*dated.values()))
    by_name = impact.set_index("scenario")
    whole = numbers.whole_territory(scale)

    def poverty(e: Effect, places: int) -> str:
        return numbers.with_interval(e.outcome, e.mean, e.low, e.high, places=places, one_run=one_run)

    rows = []
    for name, (end, horizon) in dated.items():
        if horizon is None:
            continue
        # impact.csv's programme columns (NaN where a comparison has none)
        first, last, per_year = (by_name[c].get(name, np.nan) if c in by_name else np.nan for c in
                                 ("programme_first_year", "programme_last_year", "programme_cost_per_year_mean"))
        avoided = summary[(summary["scenario"] == name) & (summary["outcome"] == "poverty_person_years_avoided")]
        rows.append({
            say("Scenario", "Escenario"): name,
            say("Programme years", "Años de programa"): f"{int(first)}-{int(last)}" if np.isfinite(first)
            else numbers.MISSING,
            say("Cost per programme year (thousand USD)", "Costo por año de programa (miles de USD)"):
                numbers.significant(1e-3 * whole * per_year),
            say("Poverty headcount at the end of the programmes (points)",
                "Tasa de pobreza al final de los programas (puntos)"):
                f"{end.year}: {poverty(end, end_places)}" if end is not None
                else say("runs to {year}", "dura hasta {year}", year=horizon.year) if np.isfinite(first)
                else numbers.MISSING,  # or no programme
            say("Poverty headcount in {year} (points)", "Tasa de pobreza en {year} (puntos)", year=horizon.year):
                poverty(horizon, horizon_places),
            say("Person-years out of poverty over the run", "Años-persona fuera de la pobreza en la corrida"):
                _interval(avoided.iloc[0] if len(avoided) else None, whole, one_run)})
    return pd.DataFrame(rows)


COST_COLUMNS = ("Programme cost over the run (thousand USD): mean [5-95 % over seeds]",
                "Person-years out of poverty: mean [5-95 % over seeds]",
                "Cost per person-year out of poverty (USD): mean cost / mean person-years [mean cost / the ends of "
                "the person-years' interval]",
                "Forest kept at the horizon (ha): mean [5-95 % over seeds]",
                "Cost per hectare of forest kept (USD): mean cost / mean hectares [mean cost / the ends of the "
                "hectares' interval]")
"""The cost-effectiveness table's columns after the scenario's, each saying which interval it gives."""
COST_COLUMNS_ES = ("Costo del programa en la corrida (miles de USD): media [5-95 % sobre las semillas]",
                   "Años-persona fuera de la pobreza: media [5-95 % sobre las semillas]",
                   "Costo por año-persona fuera de la pobreza (USD): costo medio / años-persona medios [costo medio / "
                   "los extremos del intervalo de los años-persona]",
                   "Bosque conservado en el horizonte (ha): media [5-95 % sobre las semillas]",
                   "Costo por hectárea de bosque conservada (USD): costo medio / hectáreas medias [costo medio / los "
                   "extremos del intervalo de las hectáreas]")
"""The Spanish of :data:`COST_COLUMNS`, in its order."""


PAIR_OUTCOMES = (("poverty_headcount", "Poverty headcount (points)"), ("gini_income", "Gini of income"),
                 ("mean_income_pc", "Income per person (USD/person/yr)"),
                 ("forest_cover", "Forest (points of area; hectares, whole territory)"))
"""The key outcomes page one compares the interventions in, pair by pair, with their columns' headings."""
PAIR_HEADINGS_ES = {"Poverty headcount (points)": "Tasa de pobreza (puntos)", "Gini of income": "Gini del ingreso",
                    "Income per person (USD/person/yr)": "Ingreso por persona (USD/persona/año)",
                    "Forest (points of area; hectares, whole territory)":
                        "Bosque (puntos de la superficie; hectáreas, todo el territorio)"}
"""The Spanish of :data:`PAIR_OUTCOMES`' headings."""
TOLD = "Told apart from chance in"
"""The pairwise table's column naming the outcomes whose interval lies on one side of zero."""


def _pair_heading(heading: str, year: int | None = None) -> str:
    """A pairwise column's heading in the language in force (the poverty headcount's with ``year``)."""
    text = PAIR_HEADINGS_ES.get(heading, heading) if spanish() else heading
    if year is None:
        return text
    return text.replace("Poverty headcount", f"Poverty headcount in {year}").replace(
        "Tasa de pobreza", f"Tasa de pobreza en {year}")


def _pair_label(heading: str) -> str:
    """A pairwise column's outcome in words: "poverty headcount", "Gini of income" (in the
    language in force)."""
    return _pair_heading(heading).split(" (")[0].lower().replace("gini", "Gini")


def _pair_names(pairs: pd.DataFrame) -> list[tuple[str, str]]:
    return list(dict.fromkeys(zip(pairs["first"], pairs["second"])))


def pairwise_table(pairs: pd.DataFrame, scale: float = 1.0, one_run: bool = False) -> pd.DataFrame:
    """After page one's findings: each pair of interventions compared directly in its year (``pairs``, from
    :func:`~territory_abm.experiments.compare.pairwise_differences`): the first minus the second
    in the key outcomes (the forest in points and, below, hectares) and the person-years out of
    poverty over the run (whole territory: ``scale`` simulated households per real one), each
    with its 90 % interval over the same seeds, a column at one precision; and the outcomes in
    which the pair is told apart from chance (an adviser trial, session 27: interventions were
    compared with the reference alone)."""
    if pairs is None or pairs.empty:
        return pd.DataFrame()
    whole = numbers.whole_territory(scale)
    by = pairs.set_index(["first", "second", "outcome"])
    names = _pair_names(pairs)
    year = int(pairs["year"].iloc[0])
    places = {o: numbers.shared_places(o, [tuple(by.loc[(a, b, o), c] for c in ("diff", "diff_q05", "diff_q95"))
                                           for a, b in names]) for o, _ in PAIR_OUTCOMES}
    rows = []
    for a, b in names:
        row, told = {say("Pair (first minus second)", "Par (primera menos segunda)"):
                     say("{a} minus {b}", "{a} menos {b}", a=a, b=b)}, []
        for name, heading in PAIR_OUTCOMES:
            mean, low, high = (by.loc[(a, b, name), c] for c in ("diff", "diff_q05", "diff_q95"))
            cell = numbers.with_interval(name, mean, low, high, places=places[name], one_run=one_run)
            if name == "forest_cover" and (a, b, "natural_capital") in by.index:
                ha = [numbers.hectares(whole * by.loc[(a, b, "natural_capital"), c], signed=True)
                      for c in ("diff", "diff_q05", "diff_q95")]
                cell += f"\n{ha[0]} ha" + ("" if one_run else f" {numbers.bracket(ha[1], ha[2])}")
            row[_pair_heading(heading, year)] = cell
            if side(low, high):
                told.append(_pair_label(heading))
        mean, low, high = (whole * by.loc[(a, b, PERSON_YEARS), c] for c in ("diff", "diff_q05", "diff_q95"))
        row[say("Person-years out of poverty over the run", "Años-persona fuera de la pobreza en la corrida")] = \
            numbers.significant(mean, signed=True) if one_run else \
            numbers.significant_with_interval(mean, low, high, signed=True)
        if side(low, high):
            told.append(say("person-years out of poverty", "años-persona fuera de la pobreza"))
        row[say(TOLD, "Se distingue del azar en")] = ", ".join(told) if told else say("none of these", "ninguno de estos")
        rows.append(row)
    return pd.DataFrame(rows)


def pairwise_sentence(pairs: pd.DataFrame) -> str:
    """The findings' last sentence: which pairs of interventions are told apart from chance in the
    pairwise table's outcomes (on the same seeds), and which in none; '' without pairs."""
    if pairs is None or pairs.empty:
        return ""
    labelled = [*((o, _pair_label(h)) for o, h in PAIR_OUTCOMES),
                (PERSON_YEARS, say("person-years out of poverty", "años-persona fuera de la pobreza"))]
    by_pair = {(a, b): [label for name, label in labelled if side(*pair_difference(pairs, a, b, name)[1:])]
               for a, b in _pair_names(pairs)}
    both = say("{a} and {b}", "{a} y {b}")
    told = [f"{both.format(a=a, b=b)} ({', '.join(what)})" for (a, b), what in by_pair.items() if what]
    none = [both.format(a=a, b=b) for (a, b), what in by_pair.items() if not what]
    year = int(pairs["year"].iloc[0])
    parts = []
    if told:
        parts.append(say("On the same seeds, told apart from chance in {year} or over the run: ",
                         "Con las mismas semillas, se distinguen del azar en {year} o en la corrida: ", year=year)
                     + "; ".join(told) + ".")
    if none:
        parts.append((say("Not told apart from chance in any of these outcomes: ",
                          "No se distinguen del azar en ninguno de estos resultados: ") if told else
                      say("No pair of interventions is told apart from chance in any of these outcomes: ",
                          "Ningún par de intervenciones se distingue del azar en ninguno de estos resultados: "))
                     + "; ".join(none) + ".")
    return " ".join(parts)


def cost_table(summary: pd.DataFrame, interventions: list[str], scale: float = 1.0,
               one_run: bool = False) -> pd.DataFrame:
    """Per intervention: its extra cost over the run, the person-years out of poverty it brings
    and the forest it keeps at the horizon (hectares) against the reference, for the whole
    territory, with their 90 % intervals over seeds (none with ``one_run``), and the cost per
    person-year and per hectare kept: the ratio of the means, its
    interval the mean cost over the ends of the person-years' interval
    (:func:`~territory_abm.experiments.compare.cost_per_unit`), so that it is 'not
    established' exactly where the person-years' interval includes 0 (an adviser trial,
    session 27, read a bootstrap interval of the ratio that disagreed with the person-years'
    beside it); the same for the hectares."""
    rows = []
    whole = numbers.whole_territory(scale)
    at_horizon = _period(summary, HORIZON)
    for name in interventions:
        part = at_horizon[at_horizon["scenario"] == name].set_index("outcome")
        cost, avoided, forest = (part.loc[o] if o in part.index else None
                                 for o in ("policy_cost_total", "poverty_person_years_avoided", FOREST_HA))
        rows.append(dict(zip((say("Scenario", "Escenario"), *(COST_COLUMNS_ES if spanish() else COST_COLUMNS)), (
            name, _interval(cost, 1e-3 * whole, one_run), _interval(avoided, whole, one_run),
            cost_per_unit_text(cost, avoided, say("person-years out of poverty", "años-persona fuera de la pobreza"),
                               one_run),
            _interval(forest, whole, one_run, numbers.hectares),
            cost_per_unit_text(cost, forest, say("hectares kept", "hectáreas conservadas"), one_run)))))
    return pd.DataFrame(rows)


NOT_ESTABLISHED = "not established"
"""A cost per unit gained where the seeds do not rule out that nothing was gained."""


def cost_per_unit_text(cost, gained, unit: str, one_run: bool = False) -> str:
    """A cost per unit gained from the summary rows of the extra cost (``cost``) and of the
    gain (``gained``, e.g. person-years out of poverty; ``unit`` names it in the text), both
    differences to the reference (:func:`~territory_abm.experiments.compare.cost_per_unit`):
    ``"464 [325, 815]"``; 'not established' with why where the gain's interval reaches 0 or
    its mean is not above 0; the ratio alone with ``one_run``; '-' without an extra cost. A
    ratio, so the same at any scale."""
    if cost is None or gained is None or not cost["diff_to_reference"] > 0:
        return numbers.MISSING
    ratio, low, high = cost_per_unit(cost["diff_to_reference"], tuple(gained[c] for c in DIFFERENCE))
    if not np.isfinite(ratio):
        return say("{no}: no {unit} on average", "{no}: en promedio no hay {unit}",
                   no=say(NOT_ESTABLISHED, "no establecido"), unit=unit)
    if one_run or not np.isfinite(low):  # one run, or a gain's interval with no width: the ratio alone
        return numbers.significant(ratio)
    if not np.isfinite(high):
        return say("{no}: the interval of the {unit} includes 0", "{no}: el intervalo de {unit} incluye el 0",
                   no=say(NOT_ESTABLISHED, "no establecido"), unit=unit)
    return numbers.significant_with_interval(ratio, low, high)


def _interval(row, factor: float = 1.0, one_run: bool = False, write=numbers.significant) -> str:
    """A summary row's difference to the reference and its interval, three significant digits
    (or as ``write`` writes a number, e.g. :func:`numbers.hectares`; the difference alone with
    ``one_run``: one seed has no interval)."""
    if row is None:
        return numbers.MISSING
    mean, low, high = (factor * row[c] for c in DIFFERENCE)
    if one_run:
        return write(mean)
    if write is numbers.significant:  # the ends at the mean's precision
        return numbers.significant_with_interval(mean, low, high)
    return f"{write(mean)} {numbers.bracket(write(low), write(high))}"


MULTIPLIER_KINDS = (("multiplier", "Per USD of cost: cumulative, all years of the run"),
                    ("annual_multiplier_nominal", "Per USD of cost: annual during the programme, nominal"),
                    ("annual_multiplier_real", "Per USD of cost: annual during the programme, real (at start prices)"),
                    ("transfer_multiplier_nominal", "Per USD transferred: annual during the programme, nominal"),
                    ("transfer_multiplier_real", "Per USD transferred: annual during the programme, real"))
"""The multipliers of ``impact.csv`` the report shows, with their row labels (a scenario
that pays households no cash has no row per USD transferred)."""


MULTIPLIER_PARTS = (("Income gained per USD: all", "total"), ("of which beneficiaries", "beneficiaries"),
                    ("of which others living in both runs (spillover)", "spillover"),
                    ("of which who lives where (composition)", "composition"))
"""The multiplier table's columns and the parts of ``impact.csv`` they show."""

MULTIPLIER_ES = {
    "Per USD of cost: cumulative, all years of the run": "Por USD de costo: acumulado, todos los años de la corrida",
    "Per USD of cost: annual during the programme, nominal": "Por USD de costo: anual durante el programa, nominal",
    "Per USD of cost: annual during the programme, real (at start prices)":
        "Por USD de costo: anual durante el programa, real (a precios iniciales)",
    "Per USD transferred: annual during the programme, nominal": "Por USD transferido: anual durante el programa, nominal",
    "Per USD transferred: annual during the programme, real": "Por USD transferido: anual durante el programa, real",
    "Income gained per USD: all": "Ingreso ganado por USD: total", "of which beneficiaries": "del cual beneficiarios",
    "of which others living in both runs (spillover)": "del cual otros que viven en ambas corridas (derrame)",
    "of which who lives where (composition)": "del cual quién vive dónde (composición)",
}
"""The Spanish of the multiplier table's row labels and columns."""


def _m(text: str) -> str:
    """A multiplier table's label in the language in force."""
    return MULTIPLIER_ES.get(text, text) if spanish() else text


def multiplier_table(impact: pd.DataFrame, unpaid: set[str] | frozenset = frozenset()) -> pd.DataFrame:
    """Per scenario, one row per kind of multiplier: income gained per USD of programme
    cost, or per USD transferred to households, by all households, and its three parts: the
    beneficiaries, the spillover to the households not reached that live in both runs, and the
    change of who lives where (composition)."""
    rows = []
    for r in impact.itertuples(index=False):
        one_run = getattr(r, "seeds", 2) == 1  # impact.csv's seeds: one run has no interval
        if unreadable_multipliers(r, unpaid):
            rows.append({say("Scenario", "Escenario"): r.scenario,
                         say("Households reached", "Hogares alcanzados"): _pct(r.share_of_households_reached),
                         say("Multiplier", "Multiplicador"): say("not shown (see the note below)",
                                                                 "no se muestra (ver la nota abajo)"),
                         **{_m(column): numbers.MISSING for column, _ in MULTIPLIER_PARTS}})
            continue
        for name, label in MULTIPLIER_KINDS:
            if not hasattr(r, f"{name}_total") or (name.startswith("transfer")
                                                   and not np.isfinite(getattr(r, f"{name}_total"))):
                continue
            rows.append({say("Scenario", "Escenario"): r.scenario,
                         say("Households reached", "Hogares alcanzados"): _pct(r.share_of_households_reached),
                         say("Multiplier", "Multiplicador"): _m(label),
                         **{_m(column): _mult(r, part, name, one_run) for column, part in MULTIPLIER_PARTS}})
    return pd.DataFrame(rows)


def unpaid_in_some_seeds(summary: pd.DataFrame) -> set[str]:
    """The scenarios whose programme cost over the run is zero in some seeds (its 5-95 % range
    over seeds reaches 0: summary.csv's ``policy_cost_total``)."""
    rows = summary[summary["outcome"] == "policy_cost_total"]
    return set(rows.loc[(rows["q05"] <= 0) & (rows["mean"] > 0), "scenario"])


def unreadable_multipliers(r, unpaid: set[str] | frozenset = frozenset()) -> bool:
    """Whether an ``impact.csv`` row's multipliers come from too little to be read: with several
    seeds, the programme spent nothing in some of them (``unpaid``, :func:`unpaid_in_some_seeds`)
    and the cumulative multiplier's interval has no width (it comes from one seed; the
    households reached do not say it, since a road reaches none). An adviser trial (session 26):
    a transfer targeted at municipalities above 0.6 poverty reached 0 %, paid in one seed of
    three and showed a multiplier of -721.45 [-721.45, -721.45]."""
    total = [getattr(r, f"multiplier_total{suffix}", np.nan) for suffix in ("", "_q05", "_q95")]
    return bool(r.scenario in unpaid and getattr(r, "seeds", 2) > 1 and np.all(np.isfinite(total))
                and total[1] == total[2])


def multiplier_sign_notes(impact: pd.DataFrame, unpaid: set[str] | frozenset = frozenset()) -> list[str]:
    """A sentence per scenario whose cumulative multiplier (all years of the run) and annual
    one during the programme (nominal) have means of opposite sign: a user's trial (session 25)
    read -1.03 beside +0.50 without a word of why; and one per scenario whose multipliers are
    left out (:func:`unreadable_multipliers`), saying why."""
    notes = []
    for r in impact.itertuples(index=False):
        if unreadable_multipliers(r, unpaid):
            notes.append(say("{scenario}: its multipliers are not shown: their range over seeds has no width, so the "
                             "programme paid out in one seed only (nothing in some) and income gained per USD of cost "
                             "cannot be read (households reached: {reached}); see its cost columns by seed and "
                             "municipality in results.csv, and its target.",
                             "{scenario}: sus multiplicadores no se muestran: su rango sobre las semillas no tiene "
                             "ancho, así que el programa pagó en una sola semilla (nada en algunas) y el ingreso "
                             "ganado por USD de costo no se puede leer (hogares alcanzados: {reached}); vea sus "
                             "columnas de costo por semilla y municipio en results.csv, y su población objetivo.",
                             scenario=r.scenario, reached=_pct(r.share_of_households_reached)))
            continue
        cumulative, annual = getattr(r, "multiplier_total", np.nan), getattr(r, "annual_multiplier_nominal_total", np.nan)
        if not (np.isfinite(cumulative) and np.isfinite(annual)) or cumulative * annual >= 0:
            continue
        ranges = [(getattr(r, f"{name}_q05", np.nan), getattr(r, f"{name}_q95", np.nan))
                  for name in ("multiplier_total", "annual_multiplier_nominal_total")]
        if any(np.isfinite(low) and np.isfinite(high) and low <= 0 <= high for low, high in ranges):
            # a researcher's trial (session 28) read "a loss per USD" into -0.13 [-4.05, 3.06]
            notes.append(say("{scenario}: the cumulative multiplier ({cumulative} [{c_low}, {c_high}]) and the annual "
                             "one during the programme ({annual} [{a_low}, {a_high}]) have means of opposite sign, but "
                             "over these seeds {which} from 0: neither sign is established.",
                             "{scenario}: el multiplicador acumulado ({cumulative} [{c_low}; {c_high}]) y el anual "
                             "durante el programa ({annual} [{a_low}; {a_high}]) tienen medias de signo opuesto, pero "
                             "con estas semillas {which} de 0: ningún signo está establecido.",
                             scenario=r.scenario, cumulative=numbers.rounded(cumulative, 2),
                             annual=numbers.rounded(annual, 2),
                             c_low=numbers.rounded(ranges[0][0], 2), c_high=numbers.rounded(ranges[0][1], 2),
                             a_low=numbers.rounded(ranges[1][0], 2), a_high=numbers.rounded(ranges[1][1], 2),
                             which=_undetermined(ranges)))
            continue
        during = say("rose", "subió") if annual > 0 else say("fell", "bajó")
        overall = say("a loss", "una pérdida") if cumulative < 0 else say("a gain", "una ganancia")
        notes.append(say("{scenario}: the cumulative multiplier ({cumulative}) and the annual one during the programme "
                         "({annual}) differ in sign: income {during} in the programme's years, but over the whole run, "
                         "the years before and after it included, the territory's income shows {overall} per USD "
                         "spent (read the effect's path year by year in differences_by_year.csv and its chart).",
                         "{scenario}: el multiplicador acumulado ({cumulative}) y el anual durante el programa "
                         "({annual}) difieren en signo: el ingreso {during} en los años del programa, pero en toda la "
                         "corrida, incluidos los años antes y después, el ingreso del territorio muestra {overall} "
                         "por USD gastado (lea la trayectoria del efecto año por año en differences_by_year.csv y su "
                         "gráfico).", scenario=r.scenario, cumulative=numbers.rounded(cumulative, 2),
                         annual=numbers.rounded(annual, 2), during=during, overall=overall))
    return notes


def _undetermined(ranges: list[tuple[float, float]]) -> str:
    """Which of the (cumulative, annual) multipliers' intervals include 0, in words."""
    zero = [low <= 0 <= high for low, high in ranges]
    if all(zero):
        return say("neither can be told", "ninguno se distingue")
    return say("the cumulative one cannot be told", "el acumulado no se distingue") if zero[0] else \
        say("the annual one cannot be told", "el anual no se distingue")


def _mult(r, part: str, name: str = "multiplier", one_run: bool = False) -> str:
    """A multiplier and its interval at two places, a nonzero end never printed as 0
    (:func:`numbers.interval_end`); the multiplier alone with ``one_run``."""
    mean, low, high = (getattr(r, f"{name}_{part}{suffix}") for suffix in ("", "_q05", "_q95"))
    if not np.isfinite(mean):
        return numbers.MISSING
    if one_run:
        return numbers.rounded(mean, 2)
    return f"{numbers.rounded(mean, 2)} {numbers.bracket(numbers.interval_end(low, 2), numbers.interval_end(high, 2))}"


def _pct(value: float) -> str:
    return f"{numbers.rounded(100 * value)} %" if np.isfinite(value) else numbers.MISSING


def typology_tables(shares: pd.DataFrame, names: list[str], period: str = HORIZON) -> dict[str, pd.DataFrame]:
    """Type shares at ``period``, one table per view: over rural municipalities, over
    intermediate cities (each a share of their number, with its 5-95 % range over seeds
    where the seeds differ: an adviser's trial read differences of a few points between
    scenarios beside seed ranges of twenty), and over both weighted by population (types as
    rows, scenarios as columns, means over seeds)."""
    types = shares[(shares["measure"] == "type") & (shares["period"] == period)]
    views = [(word(GROUPS["rural"]), "rural", "share_of_units"), (word(GROUPS["cities"]), "cities", "share_of_units"),
             (say("{group}, weighted by population", "{group}, ponderados por población", group=word(GROUPS['all'])),
              "all", "share_of_population")]
    out = {}
    for label, group, column in views:
        part = types[types["group"] == group]
        if not len(part) or part[column].isna().all():
            continue
        few = few_units(part) if column == "share_of_units" else None
        if few is not None:  # a handful of units: counts, not shares (an adviser trial, session 27)
            label = say("{label} ({few}): how many of the {few} are of each type, mean over seeds [range over seeds]",
                        "{label} ({few}): cuántas de las {few} son de cada tipo, media sobre las semillas [rango sobre "
                        "las semillas]", label=label, few=few)
            part = part.assign(cell=[_count_range(*x, few) for x in zip(part["count_mean"], part["count_low"],
                                                                         part["count_high"])])
        elif column == "share_of_units" and {"share_q05", "share_q95"} <= set(part.columns):
            part = part.assign(cell=[_pct_range(*x) for x in zip(part[column], part["share_q05"], part["share_q95"])])
        else:
            part = part.assign(cell=part[column].map(_pct))
        table = part.pivot(index="category", columns="scenario", values="cell").reindex(list(TYPES))
        table = table[[n for n in names if n in table.columns]].rename_axis(columns=None)
        table = table.rename(index=word) if spanish() else table
        out[label] = table.fillna(numbers.MISSING).rename_axis(say("Type", "Tipo")).reset_index()
    return out


def _count(x: float) -> str:
    """A mean number of units over seeds at the fewest decimals that write it exactly, at most
    three ("1", "0.25", "0.125" over 2, 4 or 8 seeds; "0.333" over 3): one decimal wrote 0.25 as
    0.2, and a table's rows then summed to 1.9 of 2 units (an adviser's trial, session 53)."""
    x = float(x)
    digits = next((d for d in range(3) if abs(round(x, d) - x) < 1e-9), 3)
    return numbers.rounded(x, digits)


def _count_range(mean: float, low: float, high: float, units: int) -> str:
    """A number of units with its range over seeds as counts: "1 of 2 [0-2]" (the count alone
    where every seed has the same)."""
    text = say("{mean} of {units}", "{mean} de {units}", mean=_count(mean), units=units)
    return text if low == high else f"{text} [{_count(low)}-{_count(high)}]"


def _pct_range(mean: float, low: float, high: float) -> str:
    """A share in per cent with its 5-95 % range over seeds ("53 % [42-64]"; the mean alone
    where the range has no width: one seed, or seeds that agree)."""
    if not (np.isfinite(low) and np.isfinite(high)) or low == high:
        return _pct(mean)
    return f"{_pct(mean)} [{numbers.rounded(100 * low)}-{numbers.rounded(100 * high)}]"


def typology_change_table(shares: pd.DataFrame, names: list[str], period: str = HORIZON) -> pd.DataFrame:
    """Over rural municipalities at ``period``: per dimension and scenario, the shares that
    improved, did not change (within the tolerance) and worsened."""
    part = shares[(shares["group"] == "rural") & (shares["period"] == period)]
    few = few_units(part)
    rows = []
    for dim in DIMENSIONS:
        row = {say("Rural municipalities", "Municipios rurales"): word(dim)}
        for name in names:
            if few is not None:  # counts of the few municipalities, mean over seeds: "1 / 1 / 0 of 2"
                p = part[(part["scenario"] == name) & (part["measure"] == dim)].set_index("category")["count_mean"]
                if len(p):
                    row[name] = " / ".join(_count(p.get(c, np.nan)) for c in CHANGES) + say(" of", " de") + f"\u00a0{few}"
                continue
            p = part[(part["scenario"] == name) & (part["measure"] == dim)].set_index("category")["share_of_units"]
            if len(p):
                # a number keeps its "%" on its line (a non-breaking space: an adviser trial, session 26,
                # read "100 % / 0 % / 0" and "%" alone on the next line of the PDF)
                row[name] = " / ".join(_pct(p.get(c, np.nan)).replace(" %", "\u00a0%") for c in CHANGES)
        rows.append(row)
    return pd.DataFrame(rows)


def programme_end_years(summary: pd.DataFrame, interventions: list[str]) -> dict[str, int]:
    """Each intervention whose programmes end before the horizon -> the last year they run
    (summary.csv's 'programme end' rows)."""
    part = _period(summary, PROGRAMME_END)
    return {name: int(part.loc[part["scenario"] == name, "year"].iloc[0]) for name in interventions
            if (part["scenario"] == name).any()}


def node_labels(results: pd.DataFrame) -> dict[str, str]:
    """``"Name (id)"`` of each municipality and city in a comparison's node results, as the
    municipalities table names them (external markets left out)."""
    rows = results[results["kind"] != "market"].drop_duplicates("node_id")
    return {r.node_id: node_label(r.name, r.node_id) for r in rows.itertuples(index=False)}


def node_label(name: str, node_id: str) -> str:
    """How the report names a municipality: "Name (id)"."""
    return f"{name} ({node_id})"


SPENT = "Programme spending over the run (thousand USD)"
SPENT_ES = "Gasto de los programas en la corrida (miles de USD)"
"""The per-municipality tables' column of what the programmes spent in each municipality."""


def municipality_changes(results: pd.DataFrame, scenario: str, reference: str, year: int | None = None,
                         scale: float = 1.0) -> pd.DataFrame:
    """Per municipality, income per person and poverty headcount in ``year`` (default the
    horizon) under ``scenario`` minus ``reference``, paired by seed: mean and 5-95 % interval
    (the difference alone with one seed), and the verdict (``verdict``) from both intervals. A
    programme that ended before the horizon is read in its last year too (an adviser's trial:
    roads gained in its four target municipalities in 2016, the report's horizon showed one).
    Where ``results`` has ``policy_cost`` (by municipality and year), a column :data:`SPENT`: what
    ``scenario``'s programmes spent there over the whole run beyond the reference's, mean over
    seeds, whole territory (``scale`` simulated households per real one), so that where a
    targeted programme went shows beside what it did (an adviser trial, session 26)."""
    spent = None
    if "policy_cost" in results:
        runs = results[results["kind"] != "market"].groupby(["scenario", "seed", "node_id"])["policy_cost"].sum()
        extra = (runs.loc[scenario] - runs.loc[reference]).groupby(level="node_id").mean()
        spent = extra * numbers.whole_territory(scale)
    final = results[results["year"] == (results["year"].max() if year is None else year)]
    final = final[final["kind"] != "market"]
    a = final[final["scenario"] == scenario].set_index(["seed", "node_id"])
    b = final[final["scenario"] == reference].set_index(["seed", "node_id"])
    ref = b[["mean_income_pc", "poverty_headcount"]].add_suffix("_ref")
    joined = a[["name", "mean_income_pc", "poverty_headcount"]].join(ref, how="inner")
    joined["d_income"] = joined["mean_income_pc"] - joined["mean_income_pc_ref"]
    joined["d_poverty"] = joined["poverty_headcount"] - joined["poverty_headcount_ref"]
    nodes, names, income, poverty = [], [], [], []  # (mean, low, high) of each municipality's differences
    for node_id, part in joined.groupby(level="node_id", sort=False):
        nodes.append(node_id)
        names.append(node_label(part["name"].iloc[0], node_id))
        for cells, column in ((income, "d_income"), (poverty, "d_poverty")):
            x = part[column].to_numpy(float)
            cells.append((x.mean(), *np.percentile(x, [LOW, HIGH])))
    # one precision per column (numbers.shared_places), as the reader compares down it
    places = [numbers.shared_places(name, cells) for name, cells in (("mean_income_pc", income),
                                                                       ("poverty_headcount", poverty))]
    one_run = joined.index.get_level_values("seed").nunique() == 1  # one seed: no interval to show
    rows = [{say("Municipality", "Municipio"): name,
             say("Income per person ({unit})", "Ingreso por persona ({unit})", unit=numbers.unit('mean_income_pc')):
                 numbers.with_interval("mean_income_pc", *inc, places=places[0], one_run=one_run),
             say("Poverty headcount (points)", "Tasa de pobreza (puntos)"):
                 numbers.with_interval("poverty_headcount", *pov, places=places[1], one_run=one_run),
             say("Verdict", "Veredicto"): verdict(inc[1:], pov[1:]), "_sort": inc[0]}
            for name, inc, pov in zip(names, income, poverty)]
    if spent is not None:
        for row, node_id in zip(rows, nodes):
            amount = spent.get(node_id, 0.0) / 1000.0
            row[say(SPENT, SPENT_ES)] = numbers.significant(amount) if amount else "0"
    table = pd.DataFrame(rows).sort_values("_sort", ascending=False, kind="stable")
    return table.drop(columns="_sort").reset_index(drop=True)


def verdict(income: tuple[float, float], poverty: tuple[float, float]) -> str:
    """A municipality's verdict from the 5-95 % intervals of its income per person and poverty
    differences, naming what decided it: it *gains* where income rises or poverty falls with
    the whole interval on that side of zero and neither clearly worsens, *loses* in the mirror
    case, is *mixed* where one clearly improves and the other clearly worsens, and shows *no
    clear change* where every interval includes zero or has no width (one seed)."""
    income_side, poverty_side = side(*income), side(*poverty)
    better = [name for name, yes in ((say("income up", "ingreso sube"), income_side > 0),
                                     (say("poverty down", "pobreza baja"), poverty_side < 0)) if yes]
    worse = [name for name, yes in ((say("income down", "ingreso baja"), income_side < 0),
                                    (say("poverty up", "pobreza sube"), poverty_side > 0)) if yes]
    if better and worse:
        return f"{say('mixed', 'mixto')} ({', '.join(better + worse)})"
    if better:
        return f"{say('gains', 'gana')} ({', '.join(better)})"
    return f"{say('loses', 'pierde')} ({', '.join(worse)})" if worse else say("no clear change", "sin cambio claro")


def typology_noise(results: pd.DataFrame, reference: str) -> float:
    """How much chance moves a rural municipality's poverty path: the median over rural
    municipalities of the seed-to-seed standard deviation of their poverty headcount's change
    from the start to the horizon under ``reference`` (share; NaN with fewer than 2 seeds)."""
    rows = results[(results["scenario"] == reference) & (results["kind"] == "municipality")]
    first, last = rows["year"].min(), rows["year"].max()
    ends = rows[rows["year"].isin((first, last))].pivot_table(index=["node_id", "seed"], columns="year",
                                                               values="poverty_headcount")
    if ends.shape[1] < 2 or ends.index.get_level_values("seed").nunique() < 2:
        return np.nan
    change = (ends[last] - ends[first]).groupby(level="node_id").std(ddof=1)
    return float(change.median())


def caveats(scenarios: list[dict], seeds: int, scale: float, tolerances: dict[str, float] | None = None,
            drift: str | None = None, not_observed: dict | None = None, noise: float = np.nan) -> list[str]:
    """The caveats: calibration status (the registry defaults named as such only where no
    scenario sets a behavioural parameter otherwise: ``scenarios``' ``parameters``), what the intervals cover, scale, typology tolerances
    and, where ``noise`` (:func:`typology_noise`) exceeds the poverty tolerance, that chance
    decides many municipalities' verdicts, the course of the reference run (``drift``, generated from its numbers), the territory's
    values that were assumed rather than observed (``not_observed``, as in ``run.json``) and
    what the model leaves out."""
    out = [calibration_caveat(scenarios)]
    if seeds == 1:
        spread = say("Uncertainty: one seed per scenario, so there are no intervals: no difference in this report can "
                     "be told from chance (run compare with more seeds)",
                     "Incertidumbre: una semilla por escenario, así que no hay intervalos: ninguna diferencia de este "
                     "informe se puede distinguir del azar (ejecute compare con más semillas)")
    else:
        spread = (say("Uncertainty: intervals cover the 5th to 95th percentile over {seeds} seeds (chance in who "
                      "migrates, finds a job or is reached)",
                      "Incertidumbre: los intervalos cubren los percentiles 5 a 95 sobre {seeds} semillas (el azar de "
                      "quién migra, encuentra empleo o es alcanzado)", seeds=seeds)
                  + (say("; with {seeds} seeds they lie close to the smallest and largest of {seeds} paired "
                         "differences, so read them as rough ({steady} or more seeds give steadier ones)",
                         "; con {seeds} semillas quedan cerca de la menor y la mayor de {seeds} diferencias pareadas, "
                         "así que léalos como aproximados ({steady} o más semillas dan intervalos más estables)",
                         seeds=seeds, steady=STEADY_SEEDS)
                     if seeds < STEADY_SEEDS else ""))
    out.append(spread + say(". They do not include parameter uncertainty: run `territory-abm sensitivity` to see which "
                            "parameters drive the outcomes.",
                            ". No incluyen la incertidumbre de los parámetros: ejecute `territory-abm sensitivity` "
                            "para ver qué parámetros mueven los resultados."))
    if scale != 1:
        out.append(say("Scale: simulated with {scale} simulated households per real household; persons, firms, "
                       "hectares of forest and costs are shown for the whole territory (the simulated figures divided "
                       "by {scale}), shares and ratios as simulated. Fewer simulated households make the spread over "
                       "seeds wider.",
                       "Escala: simulado con {scale} hogares simulados por hogar real; las personas, empresas, "
                       "hectáreas de bosque y costos se muestran para todo el territorio (las cifras simuladas "
                       "divididas por {scale}), las proporciones y razones tal como se simularon. Menos hogares "
                       "simulados hacen más amplia la dispersión entre semillas.", scale=numbers.plain(scale, "g")))
    if tolerances:
        t = {**Tolerances().as_dict(), **tolerances}
        out.append(say("Typology: a municipality counts as improved or worsened in a dimension only when the change "
                       "exceeds a tolerance standing for survey error (here: income per person {income}, poverty "
                       "{poverty}, Gini {gini}, forest {forest}); smaller changes are 'no change'. The main findings "
                       "name an intervention's effect on the Gini or the forest only where it exceeds the same "
                       "tolerance (the forest's as a share of the reference's cover) as well as chance; the headline "
                       "table gives every difference. Intermediate cities are reported apart from rural "
                       "municipalities.",
                       "Tipología: un municipio cuenta como mejorado o empeorado en una dimensión solo cuando el cambio "
                       "supera una tolerancia que representa el error de las encuestas (aquí: ingreso por persona "
                       "{income}, pobreza {poverty}, Gini {gini}, bosque {forest}); los cambios menores son 'sin "
                       "cambio'. Los principales resultados nombran el efecto de una intervención sobre el Gini o el "
                       "bosque solo donde supera la misma tolerancia (la del bosque como proporción de la cobertura "
                       "de la referencia) además del azar; la tabla de resultados principales da todas las "
                       "diferencias. Las ciudades intermedias se informan aparte de los municipios rurales.",
                       income=_percent(t['income_growth']), poverty=_points(t['poverty']),
                       gini=numbers.plain(t['gini'], "g"), forest=_percent(t['forest'])))
        if np.isfinite(noise) and noise > t["poverty"]:
            out.append(say("Typology and chance: in {seeds} seeds of the reference run a rural municipality's poverty "
                           "change from start to horizon varies between seeds by {noise} (median standard deviation), "
                           "more than the poverty tolerance ({tolerance}): many 'improved' and 'worsened' verdicts of "
                           "single municipalities are chance, so read the typology's shares as rough",
                           "Tipología y azar: en {seeds} semillas de la corrida de referencia, el cambio de la pobreza "
                           "de un municipio rural entre el inicio y el horizonte varía entre semillas en {noise} "
                           "(desviación estándar mediana), más que la tolerancia de pobreza ({tolerance}): muchos "
                           "veredictos de 'mejoró' y 'empeoró' de municipios individuales son azar, así que lea las "
                           "proporciones de la tipología como aproximadas", seeds=seeds, noise=_points(noise),
                           tolerance=_points(t['poverty']))
                       + (say(" (more simulated households, a larger households_scale, make them steadier).",
                              " (más hogares simulados, un households_scale mayor, las hacen más estables).")
                          if scale < 1 else "."))
    if drift:
        out.append(drift)
    assumed = sorted({e["column"] for e in (not_observed or {}).values() if e["how"] in NOT_OBSERVED})
    if assumed:
        out.append(say("Data: the territory's data did not give {columns}; these were filled by documented rules "
                       "(regional defaults, or an income distribution fitted to the mean and poverty rate) and are "
                       "assumptions, listed unit by unit in the territory's filled.csv.",
                       "Datos: los datos del territorio no daban {columns}; se completaron con reglas documentadas "
                       "(valores regionales por defecto, o una distribución del ingreso ajustada a la media y a la tasa "
                       "de pobreza) y son supuestos, enumerados unidad por unidad en el filled.csv del territorio.",
                       columns=", ".join(assumed)))
    left_out, not_reproduced = (LEFT_OUT_ES, NOT_REPRODUCED_ES) if spanish() else (LEFT_OUT, NOT_REPRODUCED)
    out.extend(say("Left out of the model: {text}", "Fuera del modelo: {text}", text=text) for text in left_out)
    out.extend(say("Not yet reproduced by the model: {text}", "El modelo todavía no reproduce: {text}", text=text)
               for text in not_reproduced)
    return out


def calibration_caveat(scenarios: list[dict]) -> str:
    """Which of the ``scenarios`` (report entries) use calibrated parameters, or that none
    does and what the behavioural parameters then are (on page one and among the caveats)."""
    calibrated = [s["name"] for s in scenarios if s["calibrated"]]
    if calibrated:
        return say("Calibration: {names} use parameters fitted by `territory-abm calibrate` (see that calibration's "
                   "estimate.csv for intervals and which parameters the data pin down).",
                   "Calibración: {names} usan parámetros ajustados con `territory-abm calibrate` (vea el estimate.csv "
                   "de esa calibración para los intervalos y qué parámetros fijan los datos).",
                   names=", ".join(calibrated))
    return say("Calibration: none of these scenarios is calibrated to this territory's data; behavioural parameters "
               "are the registry defaults, set within published Latin American ranges{except_}. Read differences "
               "between scenarios, not levels, and calibrate before quoting numbers.",
               "Calibración: ninguno de estos escenarios está calibrado con los datos de este territorio; los "
               "parámetros de comportamiento son los valores por defecto del registro, fijados dentro de rangos "
               "publicados para América Latina{except_}. Lea las diferencias entre escenarios, no los niveles, y "
               "calibre antes de citar cifras.", except_=_non_defaults(scenarios))


def _non_defaults(scenarios: list[dict]) -> str:
    """``", except migration_stay_preference 6.5 (registry default 5.0) in roads"``: the
    behavioural parameters the ``scenarios`` (report entries) set away from the registry, each
    value with the scenarios that set it ("in every scenario" where all do); '' where none does."""
    where: dict[tuple[str, float], list[str]] = {}
    for s in scenarios:
        for name, value in s.get("parameters", {}).items():
            where.setdefault((name, value), []).append(s["name"])
    parts = [say("{name} {value} (registry default {default}) in ", "{name} {value} (valor por defecto del registro "
                 "{default}) en ", name=name, value=_repr(value),
                 default=_repr(PARAMETERS[name].default))
             + (say("every scenario", "todos los escenarios") if len(names) == len(scenarios) else ", ".join(names))
             for (name, value), names in sorted(where.items())]
    return say(", except ", ", salvo ") + "; ".join(parts) if parts else ""


def _repr(value) -> str:
    """A parameter's value as Python writes it (``6.5``), in the language in force (``6,5``)."""
    return numbers.plain(repr(value)) if not isinstance(value, (int, float)) else numbers.plain(value)


def _percent(share: float) -> str:
    """A share in whole per cent: ``"5%"`` (``{:.0%}``; in Spanish ``"5 %"``)."""
    return f"{numbers.rounded(100 * share)} %" if spanish() else f"{share:.0%}"


def _points(share: float) -> str:
    """A share as percentage points: ``"1 point"``, ``"2.5 points"``."""
    text = numbers.rounded(100 * share, 1).removesuffix(".0").removesuffix(",0")
    if spanish():
        return f"{text} punto" + ("" if text == "1" else "s")
    return f"{text} point" + ("" if text == "1" else "s")
