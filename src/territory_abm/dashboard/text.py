"""Every label of the dashboard in English and Spanish."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Rural territory simulator", "language": "Language", "levers": "Policy levers",
        "levers_note": "Changes apply from the next simulated year.", "parameters": "Behaviour of households and firms",
        "map": "Territory", "colour_by": "Colour municipalities by", "charts": "Territory outcomes",
        "municipality": "Municipality", "details": "Municipality details", "year": "Year",
        "target": "Where", "all": "all municipalities", "on": "on",
        "poverty": "Poverty headcount", "income": "Mean income per person (USD/yr)", "gini": "Income inequality (Gini)",
        "nature": "Natural capital (forest cover)", "typology": "Type (since the start)", "population": "Population",
        "edges": "roads: darker and thicker = longer travel time",
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
        "forest_cover": "Forest cover (share of area)", "municipal_spending": "Municipal spending (USD/yr)",
        "enforcement": "Enforcement (chance a rule is applied)", "service_quality": "Service quality (0-1)",
        "mean_wage": "Mean wage (USD/yr)", "policy_cost": "Policy cost this year (USD)",
        "net_migration": "Net migration this year (persons)",
        "sustainable win-win-win": "sustainable win-win-win", "win-win-win": "win-win-win",
        "two of three": "two of three", "one of three": "one of three", "none": "none",
        "group": "Group", "join": "Join", "join_title": "Which group are you?",
        "join_note": "Each group has its own territory; the group's name keeps it when the page is reloaded.",
        "step": "Step", "play": "Play", "pause": "Pause", "reset": "Reset", "seed": "Seed",
        "clock": "Year {year} (step {steps})", "years": "Runs for {years} years once on",
        "until": "(until {year})", "failed": "That did not work; the model is unchanged. Try again.",
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
        "summary": "Year {year}, against the same seed without policy: poverty {poverty} points, income {income} "
                   "USD per person and year, non-reached households {others} USD; policy cost so far {cost} USD.",
        "summary_none": "Against the same seed without policy: no year simulated yet.",
        "multipliers": "Annual income multiplier this year (income gained per USD of policy cost this year): "
                       "nominal {nominal_total} (reached households {nominal_reached}, others {nominal_others}); "
                       "real, at start prices, {real_total} (reached {real_reached}, others {real_others}).",
        "earlier_note": "Earlier runs of this group kept as faint lines (after Reset): {n}.",
        "market_node": "Export port",
        "watch": "What to watch",
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
        "typology": "Tipo (desde el inicio)", "population": "Población",
        "edges": "caminos: más oscuros y gruesos = más horas de viaje",
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
        "forest_cover": "Cobertura forestal (proporción del área)", "municipal_spending": "Gasto municipal (USD/año)",
        "enforcement": "Fiscalización (probabilidad de aplicar la norma)",
        "service_quality": "Calidad de servicios (0-1)", "mean_wage": "Salario medio (USD/año)",
        "policy_cost": "Costo de políticas este año (USD)", "net_migration": "Migración neta este año (personas)",
        "sustainable win-win-win": "triple ganancia sostenible", "win-win-win": "triple ganancia",
        "two of three": "dos de tres", "one of three": "uno de tres", "none": "ninguno",
        "group": "Grupo", "join": "Entrar", "join_title": "¿Qué grupo son?",
        "join_note": "Cada grupo tiene su propio territorio; el nombre del grupo lo conserva al recargar la página.",
        "step": "Avanzar", "play": "Reproducir", "pause": "Pausa", "reset": "Reiniciar", "seed": "Semilla",
        "clock": "Año {year} (paso {steps})", "years": "Dura {years} años una vez activo",
        "until": "(hasta {year})", "failed": "No funcionó; el modelo no cambió. Intenten de nuevo.",
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
        "summary": "Año {year}, frente a la misma semilla sin política: pobreza {poverty} puntos, ingreso {income} "
                   "USD por persona y año, hogares no alcanzados {others} USD; costo de políticas hasta ahora {cost} USD.",
        "summary_none": "Frente a la misma semilla sin política: todavía no se simuló ningún año.",
        "multipliers": "Multiplicador anual del ingreso este año (ingreso ganado por USD de costo de políticas este "
                       "año): nominal {nominal_total} (hogares alcanzados {nominal_reached}, otros {nominal_others}); "
                       "real, a precios iniciales, {real_total} (alcanzados {real_reached}, otros {real_others}).",
        "earlier_note": "Corridas anteriores de este grupo, en líneas tenues (se conservan al reiniciar): {n}.",
        "market_node": "Puerto de exportación",
        "watch": "Qué observar",
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
    text = f"{value:{sign},.{max(decimals, 0)}f}"
    if language != "es":
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
