"""The Solara page served by ``territory-abm dashboard`` (Mesa's SolaraViz with classroom panels).

The scenario comes from the environment variable ``TERRITORY_ABM_SCENARIO`` (a TOML file;
nothing in it is executed). Mesa's controls step, play and reset the model; the lever and
behaviour panels change the running model from the next simulated year; reset starts the
scenario again (with the seed chosen under "Model Parameters").
"""

from __future__ import annotations

import os

import solara
from mesa.visualization import SolaraViz
from mesa.visualization.utils import force_update

from ..model import TerritoryModel
from ..params import REGISTRY
from ..scenarios.loader import load_scenario
from .controls import (LEVER_FIELDS, PARAMETERS, apply_lever, field_range, lever_defaults, live_target, live_values,
                       municipality_ids, parameter_range)
from .text import PARAMETER_LABELS, t
from .views import COLOUR_BY, charts_figure, municipality_details, network_figure

SCENARIO_VARIABLE = "TERRITORY_ABM_SCENARIO"

language = solara.reactive("en")
colour_by = solara.reactive("poverty")
selected = solara.reactive("")
lever_settings = solara.reactive({})  # lever -> {field: value} chosen in the panel (kept while off)
lever_targets = solara.reactive({})  # lever -> "all" or node id


def _apply(model, lever: str, on: bool) -> None:
    target = lever_targets.value.get(lever, "all")
    apply_lever(model, lever, on, lever_settings.value.get(lever, {}), "all" if target == "all" else (target,))
    force_update()


def LeverPanel(model):
    lang = language.value
    names = municipality_ids(model)
    with solara.Card(t(lang, "levers")):
        solara.Text(t(lang, "levers_note"))
        for lever, fields in LEVER_FIELDS.items():
            live = live_values(model, lever)
            settings = {**lever_defaults(lever), **lever_settings.value.get(lever, {}), **(live or {})}
            with solara.Column(gap="0px"):
                solara.Switch(label=t(lang, lever), value=live is not None,
                              on_value=lambda on, lever=lever: _apply(model, lever, on))
                for field in fields:
                    low, high, step = field_range(lever, field)

                    def changed(value, lever=lever, field=field, on=live is not None):
                        lever_settings.value = {**lever_settings.value,
                                                lever: {**lever_settings.value.get(lever, {}), field: value}}
                        if on:
                            _apply(model, lever, True)

                    value = min(max(settings[field], low), high)
                    solara.SliderFloat(label=f"{t(lang, field)}: {value:.3g}", value=value, min=low, max=high,
                                       step=step, on_value=changed)
                target = live_target(model, lever)
                current = "all" if target == "all" else next((n for n, i in names.items() if (i,) == target), "all")
                choices = [t(lang, "all"), *names]

                def pick(label, lever=lever, on=live is not None):
                    lever_targets.value = {**lever_targets.value, lever: names.get(label, "all")}
                    if on:
                        _apply(model, lever, True)

                solara.Select(label=t(lang, "target"), values=choices,
                              value=t(lang, "all") if current == "all" else current, on_value=pick)


def ParameterPanel(model):
    lang = language.value
    with solara.Card(t(lang, "parameters")):
        solara.Text(t(lang, "levers_note"))
        for name in PARAMETERS:
            low, high, step = parameter_range(name)
            unit = REGISTRY[name].unit

            def changed(value, name=name):
                model.set_parameters({name: value})
                force_update()

            value = float(model.params[name])
            shown = f"{value:.3g}" + ("" if unit == "1" else f" {unit}")
            solara.SliderFloat(label=f"{PARAMETER_LABELS[lang][name]}: {shown}", value=value,
                               min=low, max=high, step=step, on_value=changed)


def NetworkPanel(model):
    lang = language.value
    labels = {t(lang, key): key for key in COLOUR_BY}
    with solara.Card(t(lang, "map")):
        with solara.Row():
            solara.ToggleButtonsSingle(value=language, values=["en", "es"], dense=True)
            solara.Select(label=t(lang, "colour_by"), values=list(labels),
                          value=t(lang, colour_by.value), on_value=lambda label: colour_by.set(labels[label]))
        solara.FigureMatplotlib(network_figure(model, colour_by.value, selected.value or None, lang), format="png",
                                dependencies=[model.year, colour_by.value, selected.value, lang, id(model)])


def ChartsPanel(model):
    lang = language.value
    with solara.Card(t(lang, "charts")):
        solara.FigureMatplotlib(charts_figure(model, lang), format="png",
                                dependencies=[model.year, lang, id(model)])


def MunicipalityPanel(model):
    lang = language.value
    names = municipality_ids(model)
    by_id = {v: k for k, v in names.items()}
    with solara.Card(t(lang, "details")):
        solara.Select(label=t(lang, "municipality"), values=list(names),
                      value=by_id.get(selected.value), on_value=lambda name: selected.set(names[name]))
        if selected.value in by_id:
            rows = municipality_details(model, selected.value, lang)
            table = "\n".join(f"| {label} | {value} |" for label, value in rows)
            solara.Markdown(f"**{by_id[selected.value]}** - {t(lang, 'year')} {model.year}\n\n| | |\n|---|---:|\n{table}")


def make_page():
    path = os.environ.get(SCENARIO_VARIABLE)
    if not path:
        raise RuntimeError(f"set {SCENARIO_VARIABLE} to a scenario TOML file (territory-abm dashboard does)")
    scenario = load_scenario(path)
    model = TerritoryModel(scenario)
    params = {"scenario": scenario,
              "seed": {"type": "SliderInt", "value": scenario.seed, "label": "Seed / Semilla", "min": 0, "max": 100,
                       "step": 1}}
    # grid order: map | charts, behaviour | levers, municipality (long panels end a column)
    components = [(NetworkPanel, 0), (ChartsPanel, 0), (ParameterPanel, 0), (LeverPanel, 0), (MunicipalityPanel, 0)]
    return SolaraViz(model, components=components, model_params=params, play_interval=300,
                     name="Rural territory simulator / Simulador de territorios rurales")


page = make_page()
