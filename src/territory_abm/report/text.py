"""Fixed text of the report: what the model is, in words for a reader who never saw it; in
English, with the Spanish of each text in :data:`SPANISH` (:func:`.language.tr`)."""

from ..language import spanish, tr

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
    """How to read the headline tables with ``seeds`` runs per scenario (one has no intervals),
    in the language in force."""
    return tr(ONE_RUN_READING if seeds == 1 else READING)


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
def no_map_title() -> str:
    """The heading over the note that says why the report has no map (under it, not read as a
    note on the multipliers' table above: a user's trial, session 53)."""
    return "Mapa de las diferencias por municipio" if spanish() else "Map of the differences by municipality"


def map_title(interventions: int) -> str:
    """The heading over the report's map of ``interventions`` interventions' differences (one
    panel each, on one colour scale: an adviser trial, session 27, found the first alone)."""
    if spanish():
        what = ("la intervención menos la referencia" if interventions == 1 else
                "cada intervención menos la referencia, un panel por intervención en una misma escala de colores")
        return (f"{'Mapa' if interventions == 1 else 'Mapas'}: tasa de pobreza en el horizonte por municipio, {what} "
                "(media sobre semillas; rayado donde el intervalo 5-95 % sobre semillas incluye la ausencia de "
                "cambio); encima, caminos y mercados externos")
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
                  "has a second table in the last year they run. Programme spending is counted where the money is "
                  "spent: a road's works at both ends of each road upgraded, so a city at the end of a rural road "
                  "shows spending though it is not a target.")


ALL_TO_HORIZON = ("Every intervention's programmes run to the horizon: the table above is also their "
                  "end-of-programme result.")

HEADINGS = {
    "Comparing interventions for a rural territory": "Comparación de intervenciones para un territorio rural",
    "Main findings": "Principales resultados",
    "The scenarios and their costs": "Los escenarios y sus costos",
    "What this report is based on": "En qué se basa este informe",
    "Headline results": "Resultados principales",
    "At the end of each programme": "Al final de cada programa",
    "Cost-effectiveness": "Costo-efectividad",
    "Who gains beyond the people the programme pays?": "¿Quién gana más allá de las personas a quienes paga el programa?",
    "Outcomes over time": "Resultados a lo largo del tiempo",
    "Types of municipality under each scenario": "Tipos de municipio en cada escenario",
    "Rural municipalities: improved / no change / worsened": "Municipios rurales: mejoró / sin cambio / empeoró",
    "Municipalities that gain and lose": "Municipios que ganan y que pierden",
    "Caveats": "Advertencias",
    ALL_TO_HORIZON:
        "Los programas de cada intervención duran hasta el horizonte: la tabla anterior es también su resultado al "
        "final del programa.",
    "Intervals: 5th to 95th percentile over seeds.": "Intervalos: percentiles 5 a 95 sobre las semillas.",
}
"""Headings and short sentences of the HTML and PDF layouts, English -> Spanish."""

SPANISH = {
    **HEADINGS,
    INTRO[0]: (
        "Las cifras provienen de una simulación basada en agentes del territorio: cada hogar, empresa y municipio "
        "está representado. Cada año simulado, los hogares reparten a sus adultos en edad de trabajar entre su propia "
        "finca y empleos asalariados a distancia de viaje diario, cultivan con su tierra y el capital natural local "
        "(bosques, suelos, agua), pueden desmontar bosque, gastan y ahorran, y deciden si un miembro o todo el hogar "
        "migra. Las empresas contratan, pagan salarios, venden a los hogares locales o a mercados lejanos, y entran o "
        "salen. Los municipios reciben transferencias nacionales e impuestos, y gastan en caminos, servicios y "
        "fiscalización ambiental. Los caminos unen municipios, ciudades intermedias y mercados externos."),
    INTRO[1]: (
        "Un escenario activa uno o más programas públicos (transferencias monetarias, caminos, redistribución de "
        "tierras, asistencia técnica, vinculación a mercados, gobernanza ambiental...) con un presupuesto, un período "
        "y una población objetivo. Cada escenario se simula con las mismas semillas (el número de corridas por "
        "escenario figura al comienzo), y cada semilla da a todos los escenarios la misma secuencia de sucesos "
        "aleatorios (qué hogar sufre qué), de modo que las diferencias entre escenarios provienen de la política y no "
        "del azar; la dispersión entre semillas mide el azar."),
    READING: (
        "Cada celda da el valor en el horizonte (el último año simulado) bajo el escenario; para las intervenciones, "
        "también la diferencia con el escenario de referencia en el mismo año, con el intervalo del 90 % entre "
        "corchetes (percentiles 5 a 95 sobre las corridas). Una diferencia cuyo intervalo incluye el cero no se "
        "distingue del azar en esta comparación."),
    ONE_RUN_READING: (
        "Cada celda da el valor en el horizonte (el último año simulado) bajo el escenario; para las intervenciones, "
        "también, debajo, la diferencia con el escenario de referencia en el mismo año. Con una corrida por escenario "
        "no hay intervalo: ninguna diferencia de esta comparación se puede distinguir del azar."),
    OVERVIEW: (
        "Una línea por intervención: los años en que funcionan sus programas y su costo medio por año de programa "
        "(miles de USD, todo el territorio); su diferencia en la tasa de pobreza con la referencia, en puntos "
        "porcentuales con el intervalo del 90 % (percentiles 5 a 95 sobre las corridas), en el último año de sus "
        "programas y en el horizonte (un programa que terminó antes del horizonte se juzga también mientras "
        "funcionaba); y los años-persona fuera de la pobreza que aporta en toda la corrida. Un intervalo que incluye "
        "el cero no se distingue del azar."),
    OVERVIEW_TITLE: "Las intervenciones de un vistazo",
    PAIRWISE_TITLE: "Las intervenciones comparadas entre sí",
    PAIRWISE: (
        "Cada par de intervenciones con las mismas semillas (números aleatorios comunes: una semilla da a todos los "
        "escenarios la misma trayectoria de contexto y los mismos sucesos aleatorios): la primera menos la segunda en "
        "el horizonte, y en años-persona fuera de la pobreza en toda la corrida (todo el territorio); la media sobre "
        "las semillas y el intervalo del 90 % de las diferencias pareadas de las semillas. Un par se distingue del "
        "azar cuando ese intervalo queda a un solo lado del cero: esto, y no si cada una difiere de la referencia, "
        "dice si una funciona mejor que la otra."),
    READ_FIRST: "Leer con cuidado",
    PROGRAMME_END: (
        "Un programa que termina antes del horizonte puede parecer más débil allí que mientras funcionaba. Para cada "
        "intervención cuyos programas terminan todos antes del horizonte, esta tabla da los mismos resultados en el "
        "último año en que funciona alguno de sus programas, y la diferencia con la referencia en ese mismo año."),
    TYPOLOGY: (
        "Proporción de municipios en cada trayectoria desde el inicio hasta el horizonte: triple ganancia significa "
        "que el ingreso por persona creció y que la pobreza y la desigualdad bajaron, cada uno más que una tolerancia "
        "que representa el error de las encuestas; sostenible agrega que el bosque se conservó (no perdió más que su "
        "tolerancia). Los cambios dentro de la tolerancia cuentan como sin cambio, de modo que un municipio que apenas "
        "se movió queda en 'ninguno'. Los municipios rurales y las ciudades intermedias se muestran por separado, y "
        "ambos juntos ponderados por población. Medias sobre las semillas; entre corchetes, para municipios rurales "
        "y ciudades, el rango 5-95 % sobre las semillas: una diferencia entre escenarios menor que esos rangos puede "
        "ser azar. Donde un grupo tiene menos de 10 unidades, sus proporciones dicen poco (con 2 ciudades toda "
        "proporción es 0, 50 o 100 %), así que la tabla da cuántas unidades son de cada tipo: '1 de 2 [0-2]' es una "
        "de las dos en promedio sobre las semillas, ninguna en algunas semillas y ambas en otras (el rango sobre las "
        "semillas como cantidades que tuvo alguna semilla)."),
    NOT_ONLY_POLICIES: "No solo difieren las políticas",
    DIFFERENCES_TITLE: "Diferencia con la referencia, con intervalos del 90 %",
    DIFFERENCES_OVER_TIME_TITLE: (
        "Diferencia con la referencia cada año, pareada por semilla (banda del 90 %): cuándo aparece, crece o se "
        "desvanece el efecto de cada intervención"),
    SCENARIOS_EXPLAINED: ("Cada escenario año por año: la línea es la media sobre las corridas, la banda sombreada "
                          "los percentiles 5 a 95 sobre ellas."),
    TYPOLOGY_TITLE: "Proporciones de tipos en cada escenario",
    MULTIPLIERS: (
        "Ingreso ganado en el territorio por USD de costo del programa, en tres partes que suman el total: los "
        "hogares que el programa alcanzó (contados entre los hogares presentes al inicio), desde el año en que los "
        "alcanzó por primera vez, en los años en que viven en el territorio tanto con como sin el programa; los "
        "hogares que no había alcanzado, en los mismos años (el derrame a través de mercados locales, empleos y "
        "precios, como lo cuentan los estudios de economía local de una población fija); y el resto, sobre todo el "
        "cambio de quién vive dónde (composición: hogares, alcanzados o no, en los años en que viven en el territorio "
        "en una sola corrida, por haberse ido, extinguido o quedado, y hogares formados o llegados durante las "
        "corridas, incluido lo que los migrantes se llevaron de los hogares que dejaron en el año en que se fueron). "
        "Acumulado: sobre todos los años de la corrida por USD gastado en ellos. Anual: durante los años del "
        "programa, por USD gastado en esos años, como lo informan los estudios de economía local (LEWIE); nominal en "
        "USD corrientes, real con los ingresos deflactados por los precios locales al consumidor (una demanda local "
        "adicional que sube los precios achica el multiplicador real). Por USD transferido: la misma ganancia anual de "
        "ingreso por USD que los programas pagaron en efectivo a los hogares (transferencias, pagos por servicios "
        "ambientales; sin la administración), la cifra que informan las evaluaciones de transferencias monetarias "
        "(donde el efectivo se combina con otros programas, atribuye las ganancias de todos al efectivo solo: lea las "
        "filas por USD de costo). Intervalos del 90 % sobre las semillas entre corchetes."),
    COST_EFFECTIVENESS: (
        "Costo del programa y años-persona fuera de la pobreza: la diferencia de cada intervención con la referencia "
        "en toda la corrida, para todo el territorio: la media sobre las semillas y, entre corchetes, su intervalo del "
        "90 % sobre las semillas (percentiles 5 a 95 de las diferencias pareadas de las semillas). Costo por año-persona "
        "fuera de la pobreza: el costo medio sobre los años-persona medios; entre corchetes, el costo medio sobre los "
        "dos extremos del intervalo de los años-persona, de modo que ambos provienen de las mismas semillas y "
        "concuerdan (el rango del costo mismo sobre las semillas está en su columna). Donde el intervalo de los "
        "años-persona incluye el cero, las semillas no descartan que la intervención no evite pobreza alguna: no se "
        "deduce un costo finito por año-persona, y la tabla dice 'no establecido'. Aproximado con pocas semillas."),
    MUNICIPALITIES: (
        "En el horizonte ({year}), diferencia con la corrida de referencia de la misma semilla; intervalo del 90 % "
        "entre corchetes. Un municipio 'gana' donde su ingreso por persona sube o su pobreza baja con todo el "
        "intervalo de ese lado del cero y ninguno de los dos empeora claramente, 'pierde' en el caso inverso, es "
        "'mixto' donde uno mejora claramente y el otro empeora claramente, y muestra 'sin cambio claro' donde ambos "
        "intervalos incluyen el cero. Una intervención cuyos programas terminan antes del horizonte tiene una "
        "segunda tabla en el último año en que funcionan. El gasto de los programas se cuenta donde se gasta: las "
        "obras de un camino en sus dos extremos, de modo que una ciudad al final de un camino rural muestra gasto "
        "aunque no sea destinataria."),
}
"""The Spanish of every fixed text above, keyed by its English (:func:`.language.tr`)."""
