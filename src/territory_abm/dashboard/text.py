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
        "budget": "Budget (USD per year)", "travel_time_cut": "Travel time cut (share)",
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
        "budget": "Presupuesto (USD por año)", "travel_time_cut": "Reducción del tiempo de viaje (proporción)",
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


def t(language: str, key: str) -> str:
    """The label ``key`` in ``language`` (English if missing)."""
    return TEXT.get(language, TEXT["en"]).get(key, TEXT["en"].get(key, key))
