"""Every label of the dashboard in English and Spanish."""

from __future__ import annotations

import re

from ..report.numbers import value as report_value

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Rural territory simulator", "language": "Language", "levers": "Policy levers",
        "levers_note": "Changes apply from the next simulated year.", "parameters": "Behaviour of households and firms",
        "map": "Territory", "colour_by": "Colour municipalities by", "charts": "Territory outcomes",
        "municipality": "Municipality", "details": "Municipality details", "year": "Year",
        "target": "Where", "all": "all municipalities", "on": "on",
        "poverty": "Poverty headcount", "income": "Mean income per person (USD/yr)", "gini": "Income inequality (Gini)",
        "poverty_pct": "Poverty headcount (%)", "nature_pct": "Forest cover (% of the area)",
        "nature": "Natural capital (forest cover)", "typology": "Type (since the start)", "population": "Population",
        "edges": "roads: thicker = quicker (hours of travel); ◆ town, ■ market",
        "cash_transfer": "Cash transfers", "roads": "Roads to the town", "technical_assistance": "Technical assistance",
        "market_linkage": "Market linkage", "land_redistribution": "Land redistribution",
        "environmental_governance": "Environmental governance",
        "amount": "Amount (USD per household and year)", "coverage": "Coverage (share of eligible households)",
        "budget": "Budget (USD per year)", "quality_to": "Road quality of an upgraded km (0-1)",
        "buyer_demand": "Buyers' demand (USD per year and municipality)",
        "tfp_gain": "Farm productivity gain (share)", "margin_cut": "Intermediary margin removed (share)",
        "share": "Land moved per year (share of largest holdings)",
        "enforcement_budget": "Enforcement (USD per year and municipality)",
        "clearing_cap": "Clearing cap (ha per household and year)",
        "pes_payment": "Payment for ecosystem services (USD per household and year)",
        "households": "Households", "firms": "Firms", "unemployed": "Job seekers without a job",
        "forest_cover": "Forest cover (% of the area)", "municipal_spending": "Municipal spending (USD/yr)",
        "enforcement": "Enforcement (chance a rule is applied)", "service_quality": "Service quality (0-1)",
        "mean_wage": "Mean wage (USD/yr)", "policy_cost": "Policy cost this year (USD)",
        "net_migration": "Net migration this year (persons)",
        "sustainable win-win-win": "sustainable win-win-win", "win-win-win": "win-win-win",
        "two of three": "two of three", "one of three": "one of three", "none": "none",
        "group": "Group", "join": "Join", "join_title": "Which group are you?",
        "join_note": "Each group has its own territory; the group's name keeps it when the page is reloaded.",
        "join_note_game": "All groups share one territory, each governing one of its municipalities; the group's "
                          "name keeps it when the page is reloaded.",
        "step": "Step", "play": "Play", "pause": "Pause", "reset": "Reset", "seed": "Seed",
        "clock": "Year {year} (step {steps})", "past_horizon": "past its {years} years",
        "beyond": "Past the scenario's {years} years: the run goes on beyond what the scenario (and an exercise's guide) covers.", "years": "Runs for {years} years once on",
        "from_until": "({start}-{end})", "ran": "(ran {start}-{end})",
        "failed": "That did not work; the model is unchanged. Try again.",
        "english": "English", "spanish": "Español",
        "this_run": "This run", "no_policy": "Same seed, no policy", "earlier": "Earlier runs (faint)",
        "hold_axes": "Hold axes", "large_text": "Large text",
        "compare": "Compared with the same seed without any policy",
        "diff_poverty": "Poverty against no policy (points)",
        "diff_income": "Income per person against no policy (USD/yr)",
        "cumulative_cost": "Cumulative policy cost (USD)",
        "split": "Income per person (USD/yr)", "reached": "Reached by a programme", "others": "Not reached",
        "others_twin": "Not reached, same households without policy",
        "farm_gate": "Farm-gate price (market price at start = 1)", "commuters": "Commuters (persons)",
        "summary": "Year {year}, the whole territory against the same seed without policy: poverty {poverty} points, "
                   "income {income} USD per person and year, non-reached households {others} USD; policy cost so far "
                   "{cost} USD. A municipality's own figures: choose it under Municipality details.",
        "municipality_compare": "{name} against the same seed without policy, year {year}",
        "poverty_percent": "Poverty headcount (%; difference in points)",
        "income_others_here": "Income per person of its households not reached by a programme (USD/yr)",
        "difference": "Difference",
        "summary_none": "Against the same seed without policy: no year simulated yet.",
        "multipliers": "Annual income multiplier this year (income gained per USD of policy cost this year): "
                       "nominal {nominal_total} (reached households {nominal_reached}, others {nominal_others}: "
                       "the same households not reached {nominal_spillover}, who lives where "
                       "{nominal_composition}); real, at start prices, {real_total} (reached {real_reached}, "
                       "others {real_others}: same households {real_spillover}, who lives where "
                       "{real_composition}). One year of one run: where the programme is small beside the "
                       "territory's income these swing widely from year to year with the runs' noise; read the "
                       "income differences over several years.",
        "transfer_multipliers": "Per USD paid to households in cash this year (administration left out): nominal "
                                "{nominal_total} (reached {nominal_reached}, others {nominal_others}: same "
                                "households {nominal_spillover}, who lives where {nominal_composition}); real "
                                "{real_total} (reached {real_reached}, others {real_others}: same households "
                                "{real_spillover}, who lives where {real_composition}).",
        "earlier_note": "Earlier runs of this group kept as faint lines (after Reset): {n}.",
        "market_node": "Export port",
        "map_roads": "lines: roads and their travel times (thicker = quicker); squares: markets",
        "map_no_file": "This territory has no boundaries (no geometry.gpkg in its folder): its municipalities "
                       "are drawn as a network.",
        "map_no_geopandas": "This server cannot draw the boundaries of this territory: its municipalities are drawn "
                            "as a network.",
        "no_type": "no type yet",
        "debrief_map": "Map of the differences",
        "debrief_map_title": "{what}: each group (its year) minus its own run with the same seed and no policy",
        "game_map_title": "{what}: all the groups' choices minus no group's choices, year {year}",
        "diff_poverty_map": "Poverty (points)", "diff_income_map": "Income per person (USD/yr)",
        "diff_nature_map": "Forest cover (points)",
        "less_poverty": "less poverty", "more_poverty": "more poverty", "less_income": "less income",
        "more_income": "more income", "less_forest": "less forest", "more_forest": "more forest",
        "watch": "What to watch",
        "refused": "Value refused",
        "game_title": "Shared territory", "game_clock": "Year {year} - governments: {players}",
        "you_govern": "You govern {name}", "waiting_for": "Waiting for: {names}",
        "decision": "Your municipality's decision for {year}",
        "decision_note": "The year advances when every group has decided (or when the trainer says); then all "
                         "decisions take effect together.",
        "split_roads": "Roads (share of the budget)", "split_services": "Services and schooling (share of the budget)",
        "split_enforcement": "Environmental enforcement (share of the budget)",
        "administration": "Administration: the rest, {share} %", "programmes": "Programmes asked for",
        "running": "Programmes running", "running_line": "{programme}: since {start}, {done} of {years} years done, "
                                                      "{spent} USD spent",
        "decide": "We have decided", "decided_wait": "Decided: waiting for the other groups (you may still change).",
        "territory_table": "The territory, municipality by municipality", "governed_by": "Governed by",
        "nobody": "nobody", "decided": "Decided", "yes": "yes", "no": "no",
        "split_short": "Roads / services / enforcement", "vs_last_year": "since last year (points)",
        "vs_no_choices": "against no group's choices",
        "game_charts": "Every municipality (yours thick)",
        "diff_poverty_choices": "Poverty against no group's choices (points)",
        "diff_income_choices": "Income per person against no group's choices (USD/yr)",
        "advance": "Advance the year now", "restart_game": "Start the territory again",
        "restart_confirm": "Starting again erases this game's years and decisions: export them first (Export the "
                           "game) to compare the two games.",
        "restart_yes": "Erase and start again", "restart_no": "Keep this game",
        "remove_group": "Remove a group", "remove_pick": "Group to remove",
        "remove_confirm": "Removing {name} leaves {municipality} without a government from {year} on (the "
                          "scenario's budget split, no programme); its decisions so far stay in the export, and the "
                          "group can join again only under another name, unless you restore it here (Restore the group).",
        "remove_yes": "Remove {name}", "remove_no": "Keep {name}",
        "removed": "Group {name} removed: {municipality} has no government from {year} on.",
        "restore_pick": "Removed group", "restore_group": "Restore the group",
        "restored": "Group {name} restored: it governs {municipality} again from {year}, with the choice it had.",
        "export_game": "Export the game (zip: territory.csv, decisions.csv)",
        "locked": "The trainer has locked the controls for now: you can look, not change.",
        "trainer_title": "Trainer's console", "trainer_wrong": "This page needs the trainer's token.",
        "lock": "Lock the groups' controls", "exercise": "Exercise",
        "load_exercise": "Start every group on this exercise",
        "loaded": "Every group now starts exercise {name}.",
        "groups_live": "Groups, live ({n})", "no_groups": "No group has joined yet.",
        "levers_on": "Levers on", "parameters_changed": "Parameters changed",
        "vs_no_policy_points": "against no policy (points)", "vs_no_policy": "against no policy",
        "income_others": "Income per person, not reached (USD/yr)",
        "debrief": "Debrief: every group against its own run with the same seed and no policy",
        "show_debrief": "Show the debrief charts",
        "diff_others": "Income of households not reached against no policy (USD/yr)",
        "export": "Export every group's run (zip)",
        "export_note": "One folder per group: settings.json, outcomes.csv (one row per year, with the "
                       "no-policy run), map, outcome and comparison charts (PNG); groups.csv side by side.",
    },
    "es": {
        "title": "Simulador de territorios rurales", "language": "Idioma", "levers": "Instrumentos de política",
        "levers_note": "Los cambios rigen desde el próximo año simulado.",
        "parameters": "Comportamiento de hogares y empresas",
        "map": "Territorio", "colour_by": "Colorear municipios por", "charts": "Resultados del territorio",
        "municipality": "Municipio", "details": "Detalle del municipio", "year": "Año",
        "target": "Dónde", "all": "todos los municipios", "on": "activo",
        "poverty": "Tasa de pobreza", "income": "Ingreso medio por persona (USD/año)",
        "gini": "Desigualdad del ingreso (Gini)", "nature": "Capital natural (cobertura forestal)",
        "poverty_pct": "Tasa de pobreza (%)", "nature_pct": "Cobertura forestal (% de la superficie)",
        "typology": "Tipo (desde el inicio)", "population": "Población",
        "edges": "caminos: más gruesos = más rápidos (horas de viaje); ◆ pueblo, ■ mercado",
        "cash_transfer": "Transferencias monetarias", "roads": "Caminos al pueblo",
        "technical_assistance": "Asistencia técnica", "market_linkage": "Vinculación a mercados",
        "land_redistribution": "Redistribución de tierras", "environmental_governance": "Gobernanza ambiental",
        "amount": "Monto (USD por hogar y año)", "coverage": "Cobertura (proporción de hogares elegibles)",
        "budget": "Presupuesto (USD por año)", "quality_to": "Calidad del camino mejorado (0-1)",
        "buyer_demand": "Demanda de los compradores (USD por año y municipio)",
        "tfp_gain": "Aumento de productividad agrícola (proporción)",
        "margin_cut": "Margen de intermediarios eliminado (proporción)",
        "share": "Tierra transferida por año (proporción de las mayores fincas)",
        "enforcement_budget": "Fiscalización (USD por año y municipio)",
        "clearing_cap": "Tope de desmonte (ha por hogar y año)",
        "pes_payment": "Pago por servicios ambientales (USD por hogar y año)",
        "households": "Hogares", "firms": "Empresas", "unemployed": "Buscan empleo sin encontrarlo",
        "forest_cover": "Cobertura forestal (% de la superficie)", "municipal_spending": "Gasto municipal (USD/año)",
        "enforcement": "Fiscalización (probabilidad de aplicar la norma)",
        "service_quality": "Calidad de servicios (0-1)", "mean_wage": "Salario medio (USD/año)",
        "policy_cost": "Costo de políticas este año (USD)", "net_migration": "Migración neta este año (personas)",
        "sustainable win-win-win": "triple ganancia sostenible", "win-win-win": "triple ganancia",
        "two of three": "dos de tres", "one of three": "uno de tres", "none": "ninguno",
        "group": "Grupo", "join": "Entrar", "join_title": "¿Qué grupo son?",
        "join_note": "Cada grupo tiene su propio territorio; el nombre del grupo lo conserva al recargar la página.",
        "join_note_game": "Todos los grupos comparten un territorio y cada uno gobierna uno de sus municipios; el "
                          "nombre del grupo lo conserva al recargar la página.",
        "step": "Avanzar", "play": "Reproducir", "pause": "Pausa", "reset": "Reiniciar", "seed": "Semilla",
        "clock": "Año {year} (paso {steps})", "past_horizon": "pasados sus {years} años",
        "beyond": "Más allá de los {years} años del escenario: la corrida sigue más allá de lo que cubren el escenario (y la guía de un ejercicio).", "years": "Dura {years} años una vez activo",
        "from_until": "({start}-{end})", "ran": "(se aplicó {start}-{end})",
        "failed": "No funcionó; el modelo no cambió. Intenten de nuevo.",
        "english": "English", "spanish": "Español",
        "this_run": "Esta corrida", "no_policy": "Misma semilla, sin política",
        "earlier": "Corridas anteriores (tenues)", "hold_axes": "Fijar ejes", "large_text": "Letra grande",
        "compare": "Comparación con la misma semilla sin ninguna política",
        "diff_poverty": "Pobreza frente a sin política (puntos)",
        "diff_income": "Ingreso por persona frente a sin política (USD/año)",
        "cumulative_cost": "Costo acumulado de políticas (USD)",
        "split": "Ingreso por persona (USD/año)", "reached": "Alcanzados por un programa", "others": "No alcanzados",
        "others_twin": "No alcanzados, los mismos hogares sin política",
        "farm_gate": "Precio en finca (precio de mercado inicial = 1)", "commuters": "Viajan a trabajar (personas)",
        "summary": "Año {year}, todo el territorio frente a la misma semilla sin política: pobreza {poverty} puntos, "
                   "ingreso {income} USD por persona y año, hogares no alcanzados {others} USD; costo de políticas "
                   "hasta ahora {cost} USD. Las cifras de un municipio: elíjanlo en Detalle del municipio.",
        "municipality_compare": "{name} frente a la misma semilla sin política, año {year}",
        "poverty_percent": "Tasa de pobreza (%; diferencia en puntos)",
        "income_others_here": "Ingreso por persona de sus hogares no alcanzados por un programa (USD/año)",
        "difference": "Diferencia",
        "summary_none": "Frente a la misma semilla sin política: todavía no se simuló ningún año.",
        "multipliers": "Multiplicador anual del ingreso este año (ingreso ganado por USD de costo de políticas este "
                       "año): nominal {nominal_total} (hogares alcanzados {nominal_reached}, otros {nominal_others}: "
                       "los mismos hogares no alcanzados {nominal_spillover}, quién vive dónde "
                       "{nominal_composition}); real, a precios iniciales, {real_total} (alcanzados {real_reached}, "
                       "otros {real_others}: los mismos hogares {real_spillover}, quién vive dónde "
                       "{real_composition}). Un año de una corrida: cuando el programa es pequeño frente al "
                       "ingreso del territorio, estos valores oscilan mucho de un año a otro con el ruido de las "
                       "corridas; lea las diferencias de ingreso a lo largo de varios años.",
        "transfer_multipliers": "Por USD pagado en efectivo a los hogares este año (sin la administración): nominal "
                                "{nominal_total} (alcanzados {nominal_reached}, otros {nominal_others}: los mismos "
                                "hogares {nominal_spillover}, quién vive dónde {nominal_composition}); real "
                                "{real_total} (alcanzados {real_reached}, otros {real_others}: los mismos hogares "
                                "{real_spillover}, quién vive dónde {real_composition}).",
        "earlier_note": "Corridas anteriores de este grupo, en líneas tenues (se conservan al reiniciar): {n}.",
        "market_node": "Puerto de exportación",
        "map_roads": "caminos con sus horas de viaje (más gruesos = más rápidos); cuadrados: mercados",
        "map_no_file": "Este territorio no tiene límites (falta geometry.gpkg en su carpeta): sus municipios se "
                       "dibujan como una red.",
        "map_no_geopandas": "Este servidor no puede dibujar los límites de este territorio: sus municipios se "
                            "dibujan como una red.",
        "no_type": "todavía sin tipo",
        "debrief_map": "Mapa de las diferencias",
        "debrief_map_title": "{what}: cada grupo (su año) menos su propia corrida con la misma semilla y sin "
                             "política",
        "game_map_title": "{what}: las decisiones de todos los grupos menos ninguna decisión, año {year}",
        "diff_poverty_map": "Pobreza (puntos)", "diff_income_map": "Ingreso por persona (USD/año)",
        "diff_nature_map": "Cobertura forestal (puntos)",
        "less_poverty": "menos pobreza", "more_poverty": "más pobreza", "less_income": "menos ingreso",
        "more_income": "más ingreso", "less_forest": "menos bosque", "more_forest": "más bosque",
        "watch": "Qué observar",
        "refused": "Valor no aceptado",
        "game_title": "Territorio compartido", "game_clock": "Año {year} - gobiernos: {players}",
        "you_govern": "Gobiernan {name}", "waiting_for": "Falta que decidan: {names}",
        "decision": "La decisión de su municipio para {year}",
        "decision_note": "El año avanza cuando todos los grupos decidieron (o cuando lo dice el capacitador); "
                         "entonces todas las decisiones rigen a la vez.",
        "split_roads": "Caminos (proporción del presupuesto)",
        "split_services": "Servicios y educación (proporción del presupuesto)",
        "split_enforcement": "Fiscalización ambiental (proporción del presupuesto)",
        "administration": "Administración: el resto, {share} %", "programmes": "Programas solicitados",
        "running": "Programas en curso", "running_line": "{programme}: desde {start}, {done} de {years} años hechos, "
                                                       "{spent} USD gastados",
        "decide": "Ya decidimos", "decided_wait": "Decidido: esperando a los otros grupos (todavía pueden cambiar).",
        "territory_table": "El territorio, municipio por municipio", "governed_by": "Gobierna",
        "nobody": "nadie", "decided": "Decidió", "yes": "sí", "no": "no",
        "split_short": "Caminos / servicios / fiscalización", "vs_last_year": "desde el año pasado (puntos)",
        "vs_no_choices": "frente a ninguna decisión",
        "game_charts": "Todos los municipios (el suyo, grueso)",
        "diff_poverty_choices": "Pobreza frente a ninguna decisión (puntos)",
        "diff_income_choices": "Ingreso por persona frente a ninguna decisión (USD/año)",
        "advance": "Avanzar el año ahora", "restart_game": "Empezar de nuevo el territorio",
        "restart_confirm": "Empezar de nuevo borra los años y las decisiones de este juego: expórtenlos antes "
                           "(Exportar el juego) para comparar los dos juegos.",
        "restart_yes": "Borrar y empezar de nuevo", "restart_no": "Conservar este juego",
        "remove_group": "Quitar un grupo", "remove_pick": "Grupo a quitar",
        "remove_confirm": "Quitar a {name} deja a {municipality} sin gobierno desde {year} (el reparto del "
                          "presupuesto del escenario, ningún programa); sus decisiones hasta ahora quedan en la "
                          "exportación, y el grupo solo puede volver a entrar con otro nombre, salvo que lo devuelvan aquí "
                          "(Devolver el grupo).",
        "remove_yes": "Quitar a {name}", "remove_no": "Conservar a {name}",
        "removed": "Se quitó el grupo {name}: {municipality} no tiene gobierno desde {year}.",
        "restore_pick": "Grupo quitado", "restore_group": "Devolver el grupo",
        "restored": "Se devolvió el grupo {name}: gobierna de nuevo {municipality} desde {year}, con la elección que tenía.",
        "export_game": "Exportar el juego (zip: territory.csv, decisions.csv)",
        "locked": "El capacitador bloqueó los controles por ahora: pueden mirar, no cambiar.",
        "trainer_title": "Consola del capacitador", "trainer_wrong": "Esta página necesita la clave del capacitador.",
        "lock": "Bloquear los controles de los grupos", "exercise": "Ejercicio",
        "load_exercise": "Empezar este ejercicio en todos los grupos",
        "loaded": "Todos los grupos empiezan ahora el ejercicio {name}.",
        "groups_live": "Grupos, en vivo ({n})", "no_groups": "Todavía no entró ningún grupo.",
        "levers_on": "Instrumentos activos", "parameters_changed": "Parámetros cambiados",
        "vs_no_policy_points": "frente a sin política (puntos)", "vs_no_policy": "frente a sin política",
        "income_others": "Ingreso por persona, no alcanzados (USD/año)",
        "debrief": "Cierre: cada grupo frente a su propia corrida con la misma semilla y sin política",
        "show_debrief": "Mostrar los gráficos del cierre",
        "diff_others": "Ingreso de los hogares no alcanzados frente a sin política (USD/año)",
        "export": "Exportar la corrida de cada grupo (zip)",
        "export_note": "Una carpeta por grupo: settings.json, outcomes.csv (una fila por año, con la corrida "
                       "sin política), mapa, gráficos de resultados y de comparación (PNG); groups.csv lado a lado.",
    },
}

PARAMETER_LABELS: dict[str, dict[str, str]] = {
    "en": {"migration_stay_preference": "Attachment to home (migration)",
           "clearing_propensity": "Forest clearing propensity",
           "transport_cost_per_hour": "Transport cost per hour of travel",
           "consumption_share": "Share of income consumed",
           "intermediary_margin": "Intermediaries' margin"},
    "es": {"migration_stay_preference": "Arraigo (migración)",
           "clearing_propensity": "Propensión a desmontar bosque",
           "transport_cost_per_hour": "Costo de transporte por hora de viaje",
           "consumption_share": "Proporción del ingreso consumida",
           "intermediary_margin": "Margen de intermediarios"},
}


UNITS: dict[str, dict[str, str]] = {
    "en": {"1/h": "share per hour", "ha/yr": "ha/yr", "h": "h"},
    "es": {"1/h": "proporción por hora", "ha/yr": "ha/año", "h": "h"},
}
"""Units of the registries as shown on the page (``"1"``: no unit shown)."""


def unit(language: str, name: str) -> str:
    """Unit ``name`` of a registry in ``language`` ("" for ``"1"``)."""
    return "" if name == "1" else UNITS.get(language, UNITS["en"]).get(name, name)


NBSP = "\u00a0"


def number(value: float, language: str, decimals: int = 0, *, signed: bool = False) -> str:
    """``value`` written for ``language`` with ``decimals`` decimals, never in scientific notation.

    English: thousands by commas, decimal point (``1,636.5``). Spanish: decimal comma and,
    as the Real Academia Española recommends, thousands by a (non-breaking) space from five
    digits on (``1636,5``; ``500 000``); neither the point nor the comma, which mean the
    opposite in different Spanish-speaking countries. "-" if not finite.
    """
    if value is None or value != value or value in (float("inf"), float("-inf")):
        return "-"
    sign = "+" if signed else ""
    value = 0.0 if round(value, max(decimals, 0)) == 0 else value  # no "-0"
    return written(f"{value:{sign},.{max(decimals, 0)}f}", language)


def outcome_text(name: str, value: float, language: str, *, signed: bool = False) -> str:
    """Outcome ``name``'s ``value`` (or difference, ``signed``) as the report writes it, in
    ``language``: in the report's unit and at the outcome registry's precision (shares in per
    cent, their differences in points, with one decimal; money per person whole), and ``0``
    when it rounds to zero whatever its sign (``report.numbers.value``), so that -0.04 points
    reads "0", not "+0.0"."""
    return written(report_value(name, value, signed=signed), language)


def written(text: str, language: str) -> str:
    """A number written in English (``"+1,636.5"``) as ``language`` writes it (see :func:`number`)."""
    if language != "es" or not text[-1:].isdigit():
        return text
    whole, _, decimal = text.partition(".")
    digits = whole.lstrip("+-").replace(",", "")
    if len(digits) >= 5:
        whole = whole.replace(",", NBSP)
    else:
        whole = whole.replace(",", "")
    return whole + ("," + decimal if decimal else "")


def t(language: str, key: str) -> str:
    """The label ``key`` in ``language`` (English if missing)."""
    return TEXT.get(language, TEXT["en"]).get(key, TEXT["en"].get(key, key))


# ---------------------------------------------------------------------------- error messages

ERRORS_ES: tuple[tuple[str, str], ...] = (
    (r"a group name of 1-30 letters, digits, spaces, '-' or '_'",
     "un nombre de grupo de 1 a 30 letras, cifras, espacios, '-' o '_'"),
    (r"one of the (?P<n>\d+) groups already on this server \(no more fit; groups unused for (?P<m>\d+) min are freed\)",
     "uno de los {n} grupos que ya hay en este servidor (no caben más; los grupos sin uso durante {m} min se liberan)"),
    (r"a number, e\.g\. (?P<example>.+)", "un número, por ejemplo {example}"),
    (r"a number with a decimal point, e\.g\. (?P<example>\S+) \(got (?P<got>\S+); commas only group thousands\)",
     "un número con punto decimal, por ejemplo {example} (se escribió {got}; las comas solo agrupan miles)"),
    (r"a (?P<whole>whole )?number in \[(?P<low>[^,\]]+), (?P<high>[^\]]+)\](?: (?P<unit>\S+))?, got (?P<got>.+?)"
     r"(?: \(is it a percent\? write it as a share, (?P<percent>\S+)\))?",
     "un número{whole} entre {low} y {high}{unit}; se recibió {got}{percent}"),
    (r"a (?P<whole>whole )?number of at least (?P<low>\S+?)(?: (?P<unit>\S+))?, got (?P<got>.+)",
     "un número{whole} de al menos {low}{unit}; se recibió {got}"),
    (r"a (?P<whole>whole )?number of at most (?P<high>\S+?)(?: (?P<unit>\S+))?, got (?P<got>.+)",
     "un número{whole} de a lo sumo {high}{unit}; se recibió {got}"),
    (r"shares of the budget that add up to at most 1 \(the rest pays the administration\), got (?P<got>\S+)",
     "proporciones del presupuesto que sumen a lo sumo 1 (el resto paga la administración); suman {got}"),
    (r"a municipality no other group governs; (?P<name>.+) is governed by (?P<other>.+)",
     "un municipio que no gobierne otro grupo; {name} lo gobierna {other}"),
    (r"a free municipality: all (?P<n>\d+) are governed \(ask the trainer\)",
     "un municipio libre: los {n} ya tienen gobierno (pregunten al capacitador)"),
    (r"a decision for the current year (?P<year>\d+): the year moved on before this one arrived; choose again for "
     r"(?P<again>\d+)",
     "una decisión para el año en curso {year}: el año avanzó antes de que esta llegara; vuelvan a elegir para {again}"),
    (r"a name other than (?P<name>.+): the trainer removed that group from the game",
     "un nombre distinto de {name}: el capacitador quitó ese grupo del juego"),
    (r"one of the groups in the game, got (?P<got>.+)", "uno de los grupos del juego; se recibió {got}"),
    (r"one of the groups removed from the game, got (?P<got>.+)",
     "uno de los grupos quitados del juego; se recibió {got}"),
    (r"a group whose municipality is free: (?P<other>.+) governs (?P<name>.+) now \(remove (?P<again>.+) first\)",
     "un grupo cuyo municipio esté libre: {other} gobierna ahora {name} (quiten antes a {again})"),
)
"""English "expected" texts of the errors a page can show (regular expressions with named
parts) and their Spanish; numbers in the parts are rewritten with a decimal comma."""

FIELDS = {"en": {"group": "group", "number": "number", "budget_split": "budget split", "municipality": "municipality",
                 "decision": "decision", "programme": "programme"},
          "es": {"group": "grupo", "number": "número", "budget_split": "reparto del presupuesto",
                 "municipality": "municipio", "decision": "decisión", "programme": "programa"}}
"""Names of the fields errors name that are not labels of the page."""

UNITS_ES = {"USD/household/yr": "USD por hogar y año", "USD/yr": "USD por año", "1/yr": "por año",
            "ha/household/yr": "ha por hogar y año", "ha/yr": "ha/año", "1/h": "por hora", "h": "h"}


def _number_es(text: str) -> str:
    """A number as an error message writes it (``1e+10``, ``0.5``), with a Spanish decimal comma."""
    try:
        return number(float(text), "es", _decimals(text))
    except ValueError:
        return text


def _decimals(text: str) -> int:
    mantissa = text.lower().split("e")[0]
    return len(mantissa.split(".")[1]) if "." in mantissa and "e" not in text.lower() else 0


def error_message(exc, language: str) -> str:
    """An input error (``InputError``) as a page in ``language`` shows it: the field (the page's
    label for it) and what was expected, in Spanish when ``language`` is "es".

    Every error a group's or the trainer's page can raise has its Spanish here (a test checks);
    one that has not is shown in English after a Spanish line saying the value was refused.
    Several problems found in one reading (``InputErrors``: an exercise file with more than
    one) are each shown, one after the other (review 24: the console showed the first)."""
    problems = getattr(exc, "each", [exc])
    if len(problems) > 1:
        return " | ".join(error_message(problem, language) for problem in problems)
    language = "es" if language == "es" else "en"
    field = exc.field.rsplit(".", 1)[-1]
    label = (PARAMETER_LABELS[language].get(field) or FIELDS[language].get(field)
             or (TEXT[language][field] if field in TEXT[language] else None))
    if language == "en":
        return f"{label or field}: {exc.expected}"
    for pattern, spanish in ERRORS_ES:
        match = re.fullmatch(pattern, exc.expected)
        if match is None:
            continue
        parts = {k: v or "" for k, v in match.groupdict().items()}
        for key in ("low", "high", "got"):
            if key in parts:
                parts[key] = _number_es(parts[key])
        if "whole" in parts:
            parts["whole"] = " entero" if parts["whole"] else ""
        if parts.get("percent"):  # ``FieldSpec``'s question to a share given as a percent
            parts["percent"] = f" (¿es un porcentaje? escríbalo como proporción, {_number_es(parts['percent'])})"
        if "unit" in parts:
            parts["unit"] = " " + UNITS_ES.get(parts["unit"], parts["unit"]) if parts["unit"] else ""
        return f"{label or field}: {spanish.format(**parts)}"
    return f"{TEXT['es']['refused']} ({label or field}): {exc.expected}"
