"""The parameter registry: every behavioural parameter in one place.

Scenarios, calibration and sensitivity analysis all name parameters by the names used
here. Each entry carries a unit, a default, a plausible range and a one-line meaning.
Defaults respect the published Latin American figures listed in ``MODEL.md``; effect
sizes that are not published (market links, cities, public investment) have wide ranges.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .errors import InputError
from .fields import FieldSpec
from .suggest import did_you_mean


@dataclass(frozen=True)
class Parameter(FieldSpec):
    """One behavioural parameter: a :class:`~territory_abm.fields.FieldSpec` with a group.

    Attributes
    ----------
    name : str
        Registry name used by scenarios, calibration and SALib problems.
    unit : str
        Unit of the value (``"1"`` for dimensionless).
    default : float
        Default value.
    low, high : float
        Plausible range (inclusive); values outside are rejected.
    meaning : str
        One-line meaning.
    kind : str
        ``"float"``, or ``"int"`` for a whole number (see :attr:`integer`).
    group : str
        Which part of the model uses it.
    """

    group: str = ""


CONTEXT_GROUP = "context"
"""Group of the registry entries that are context drivers (a scenario's ``[context]`` table)."""

DOCUMENTED_CONTEXT = (
    ("birth_rate", 0.020, "crude birth rate, rural Latin America around 2010 (CELADE: about 20 per 1000)"),
    ("death_rate", 0.006, "crude death rate (about 6 per 1000)"),
    ("birth_rate_trend", -0.0003, "fertility decline: about 3 points per 1000 per decade"),
    ("national_income_growth", 0.02, "income per person, Latin America 2003-2013 (CEPAL: about 2 %/yr)"),
    ("wage_pass_through", 0.5, ""),
    ("transfer_pass_through", 1.0, ""),
    ("outside_income_growth", 0.02, "the cities and abroad grow with the country"),
    ("market_price_volatility", 0.08, "yearly sd of log farm prices around trend (assumption; food price indices "
                                      "vary 10-15 %/yr, farm-gate prices less)"),
    ("climate_shock_probability", 0.1, "one bad year in ten (assumption)"),
    ("climate_shock_loss", 0.2, "a fifth of farm output lost in a bad year (assumption)"),
    ("frontier_clearing_rate", 0.005, "households want to clear 0.5 % of the forest in the first year (FAO FRA "
                                      "2010: Latin America lost about 0.5 %/yr in 2000-2010)"),
    ("national_cct_coverage_growth", 0.015, "a national conditional cash transfer reaching 1.5 % more of the "
                                            "households with children each year (Latin America's programmes grew "
                                            "about 1.5 points of the population a year in the 2000s: Stampini and "
                                            "Tornarolli 2012)"),
    ("national_cct_coverage_max", 0.3, "up to 0.3 of them (Bolsa Familia and Oportunidades: about a quarter of "
                                       "their countries' people; assumption)"),
    ("national_cct_amount", 400.0, "USD per beneficiary household a year at the start, growing with national "
                                   "income (Fiszbein and Schady 2009: 4-20 % of a beneficiary's consumption; "
                                   "assumption)"),
    ("education_return_trend", -0.001, "the wage premium per year of schooling falls 0.07 -> 0.05 in 20 years as "
                                       "schooling spreads (Lustig, Lopez-Calva and Ortiz-Juarez 2013: falling returns "
                                       "the main reason labour incomes grew more equal in the 2000s; the size an "
                                       "assumption)"),
)
"""A plausible Latin American decade: the shipped baseline's ``[context]`` (scenarios/baseline.toml,
which a test keeps equal to it) and what ``init`` writes into an imported territory's scenario,
(name, value, source or assumption). The registry's defaults alone are no context: births of
0.020 against deaths of 0.006 with no income growth (a user's trial, session 25: an imported
territory grew 18 % in 20 years while its income per person fell, and every unit 'worsened')."""


def _p(name, unit, default, low, high, meaning, group, integer=False) -> Parameter:
    return Parameter(name, unit, float(default), float(low), float(high), meaning,
                     kind="int" if integer else "float", group=group)


_ENTRIES: tuple[Parameter, ...] = (
    # --- farming and natural capital -------------------------------------------------
    _p("farm_land_elasticity", "1", 0.35, 0.15, 0.6, "output elasticity of land in household farming", "farm"),
    _p("farm_labour_elasticity", "1", 0.40, 0.2, 0.6, "output elasticity of family labour in household farming", "farm"),
    _p("farm_asset_elasticity", "1", 0.08, 0.0, 0.25, "output elasticity of (1 + household assets / 1000 USD); creates poverty traps", "farm"),
    _p("garden_plot_ha", "ha", 0.5, 0.0, 2.0, "smallest land a farming household works with: those with less (the landless included) farm as on a house plot or sharecropped land, so that productivity backed out from starting income stays plausible and small land gains do not multiply output", "farm"),
    _p("city_farm_tfp_ceiling", "1", 1.0, 0.5, 30.0, "a city farm's starting TFP per adult's management (start.settler_tfp's measure), where the start backs farm income out (before the starting food prices rescale it), is at most this times the highest median of it among the rural municipalities' farms (at 30 the example's town farms start nearly as without the cap, settler TFP 10,184 and 9,075 against 10,637 and 9,292 uncapped and at most 2,185 rural: seed 1, scale 0.25); what the farm's backed-out income holds beyond that is its household's non-farm enterprise income. A city's few farming households (those holding at least garden_plot_ha) would otherwise farm the whole residual of incomes that are mostly non-farm, since the tables' farm share of a city's income is more than its land can yield at the territory's farm productivity (assumption: a town's farms use the technology of the territory's farms; the example's town farms started five to ten times as productive as the rural ones up to session 50: docs/model_choices.md, 'Town farms at the start')", "farm"),
    _p("natural_capital_elasticity", "1", 0.5, 0.0, 1.0, "elasticity of farm output to (1 + the municipality's natural capital ratio): losing all of a half-forested municipality's natural capital costs 18 % of farm output at 0.5", "farm"),
    _p("transport_cost_per_hour", "1/h", 0.02, 0.002, 0.08, "share of the market price lost per hour of travel to the nearest market", "markets"),
    _p("road_quality_penalty", "1", 1.0, 0.0, 3.0, "extra travel time per unit of missing road quality (effective time = time x (1 + penalty x (1 - quality)))", "markets"),
    _p("intermediary_margin", "1", 0.30, 0.05, 0.6, "share of the farm-gate price taken by intermediaries from smallholders", "markets"),
    # --- the local food market (model/food.py) -----------------------------------------
    _p("food_budget_share", "1", 0.45, 0.2, 0.7, "share of consumption spent on food at the reference spending per person (assumption: poor Latin American households spend about 40-55 % of their budget on food in household surveys)", "food"),
    _p("food_reference_pc", "USD/person/yr", 1200.0, 300.0, 5000.0, "consumption per person at which the food share is food_budget_share (assumption: about the poverty line)", "food"),
    _p("food_income_elasticity", "1", 0.6, 0.2, 1.0, "income (total spending) elasticity of food spending at the reference spending; below 1 the food share falls with income, Engel's law (Seale, Regmi & Bernstein 2003, USDA ERS TB-1904: about 0.5-0.8 in low and middle income countries)", "food"),
    _p("food_market_elasticity", "1", 2.0, 0.5, 5.0, "elasticity of farmers' choice of outlet (local food markets, dynamic markets) to relative prices net of transport (assumption; larger values tie local prices closer together and to the farm gate)", "food"),
    _p("food_trade_limit", "h", 4.0, 0.5, 12.0, "longest travel time to another node's food market a producer sells in (assumption: a day's return trip)", "food"),
    _p("natural_capital_regrowth", "1/yr", 0.03, 0.0, 0.15, "logistic regrowth rate of natural capital", "environment"),
    _p("clearing_propensity", "ha/yr", 0.03, 0.0, 1.0, "hectares a household clears per year when clearing pays twice its cost", "environment"),
    _p("clearing_cost", "USD/ha", 300.0, 0.0, 2000.0, "money a household pays to clear one hectare of forest (tools, fuel, hired help), from its assets, which also limit what it clears", "environment"),
    _p("clearing_labour", "person-yr/ha", 0.1, 0.0, 0.4, "family time clearing one hectare of forest takes, valued at the wage a job seeker of the node expects (assumption: 20-40 person-days of slash-and-burn per hectare)", "environment"),
    _p("clearing_horizon", "yr", 5.0, 1.0, 20.0, "years of returns a household weighs when deciding to clear", "environment"),
    _p("clearing_fine", "USD/ha", 600.0, 0.0, 5000.0, "fine per hectare when illegal clearing is caught", "environment"),
    # --- land --------------------------------------------------------------------------
    _p("landless_share", "1", 0.25, 0.0, 0.6, "share of a node's households holding no land at the start (at most its land Gini; assumption: rural landlessness in Latin America is commonly put at a fifth to two fifths of rural households); the holders' land is Pareto so that the Gini over all households is the table's land Gini", "land"),
    _p("formed_household_growth", "1", 1.0, 0.0, 1.0, "share of the way from one person to its parents' usual size (the size births restore after losses) that a household formed by an adult child grows to: 1, the default (since session 35), young households grow into families the size of their parents' (assumption); 0, a new household stays at one person unless it is drawn births beyond every household's losses, which in a population at rest hardly happens (the defaults up to session 34; docs/model_choices.md, 'Households formed in the run never grow')", "land"),
    _p("household_union_adjustment", "1", 0.5, 0.0, 1.0, "share of a node's excess of households, against its starting households per adult, that unions close each year: an adult living alone (a household of one person) without an enterprise, a programme loan or an estate joins a household of one adult of its node as its partner, with its assets, job, land and income (assumption, the other side of household_formation_adjustment's headship rule: without it the single members who move inside the territory and the adults left alone by deaths and departures made households of one adult 13 % -> 27 % of the example's in 20 stationary years; docs/model_choices.md, 'Unions'). 0 switches unions off (the defaults up to session 35)", "land"),
    _p("household_formation_adjustment", "1", 0.5, 0.0, 1.0, "share of a node's shortfall of households, against its starting households per adult, that adult children close each year by leaving to form households in the same node with an equal heir's share of the land and assets (assumption; the headship-rate method keeps each node's households per adult, so households form as adults outgrow them and none where nothing changes; 0 switches formation off)", "land"),
    _p("land_price_years", "yr", 10.0, 3.0, 30.0, "years of a hectare's rent a buyer pays for it: farms buy land given up (by households that died out or moved away) up to where a hectare's rent over these years, its marginal value at the rent, is the price, within their assets (assumption: Latin American farmland sells at some 10-25 years of its rent, rent yields of 4-10 %)", "land"),
    _p("estate_min_ha", "ha", 100.0, 10.0, 5000.0, "smallest holding farmed as a commercial estate (a firm hiring wage labour) where the node has commercial agriculture jobs; smaller holdings are peasant farms (assumption; the range spans medium holdings to latifundia)", "land"),
    _p("estate_land_elasticity", "1", 0.15, 0.0, 0.4, "output elasticity of land in commercial estates, beside the firms' capital and labour elasticities (assumption: 0.15 gives constant returns with the default firm elasticities); matters only when an estate's land changes", "land"),
    # --- households --------------------------------------------------------------------
    _p("fertility_income_elasticity", "1", 0.3, 0.0, 0.8, "elasticity of a household's birth rate to its income per person, with the sign turned (births per person go as income^-e, scaled so that the territory's births per person are the context's birth rate; assumption of the order of Demographic and Health Surveys in Latin America, where women of the poorest fifth of households have about twice the fertility of the richest fifth, whose incomes per person are some 10-20 times larger)", "households"),
    _p("consumption_share", "1", 0.88, 0.6, 1.0, "share of income consumed above subsistence", "households"),
    _p("subsistence_pc", "USD/person/yr", 300.0, 100.0, 800.0, "subsistence consumption per person, drawn from assets if income falls short", "households"),
    _p("asset_depreciation", "1/yr", 0.05, 0.01, 0.2, "yearly wear of household assets (livestock, tools, buildings), made good by purchases outside the territory; starting assets are each household's steady state, savings at starting income over this rate", "households"),
    _p("max_local_spending_share", "1", 0.9, 0.5, 1.0, "largest share of consumption spent on local non-tradables; each municipality's share is backed out from its starting local sellers (their revenue at price 1 over residents' consumption)", "households"),
    _p("enterprise_capital_output", "yr", 1.0, 0.25, 3.0, "capital of a household non-farm enterprise per USD of yearly sales (assumption, of the order of micro-enterprise surveys: McKenzie and Woodruff 2006, Mexico); its wear is asset_depreciation", "enterprises"),
    _p("enterprise_labour_elasticity", "1", 0.4, 0.1, 0.8, "elasticity of a household non-farm enterprise's sales to (1 + the adults of a household without a farm who work in it) (assumption: as family labour on the farm)", "enterprises"),
    _p("enterprise_response", "1/yr", 1.0, 0.0, 5.0, "household non-farm enterprises: share closing per year per unit the local price falls below its starting level, and entrants per enterprise per unit it rises above (assumption)", "enterprises"),
    _p("outside_sales_pass_on", "1", 1.0, 0.0, 1.0, "share of the sales outside the territory of a household enterprise that closes, or whose household dies out or leaves, that passes to the other enterprises of its node (the town's customers from its hinterland and travellers buy from those that remain; assumption). 1, the default (since session 35): all of them; 0: they are lost with it (the defaults up to session 34; docs/model_choices.md, 'A livelihood for households formed in the run')", "enterprises"),
    _p("outside_sales_pass_on_scale", "1", 1.0, 0.0, 1.0, "how the customers outside of a closing enterprise (outside_sales_pass_on) choose among the node's other enterprises: in proportion to each one's scale to this power. 1, the default: in proportion to scale, so to the larger ones; 0: equally, each enterprise as likely to be chosen as another (assumption; with moving costs and the livelihood rules, 1 raised the stationary run's Gini: docs/model_choices.md, 'Moving costs with the livelihood rules')", "enterprises"),
    _p("outside_sales_to_entrants", "1", 1.0, 0.0, 1.0, "share of the customers outside the territory that a closing enterprise passes on (outside_sales_pass_on) who wait at its node for the enterprises that open there and go to the year's entrants by the price rule and own-account entry in proportion to their scale (after outside_sales_entry's entrants have each taken a lot), rather than to the enterprises already running (assumption: customers who lose their supplier try a newcomer rather than a competitor they passed over). 1, the default (since session 35): all of them wait; 0: all go to the running enterprises (outside_sales_pass_on_scale)", "enterprises"),
    _p("outside_sales_entrant_cap", "1", 0.0, 0.0, 10.0, "the most of the customers outside waiting for entrants (outside_sales_to_entrants) that an entrant takes in a year, as a multiple of what the node's other enterprises sell outside per unit of scale, times its scale (1: it sells outside as a typical enterprise of its size; assumption); the rest waits for later entrants. 0, the default, means no cap (not a cap of nothing): the year's entrants take all that waits in proportion to their scale, as they do where the node's other enterprises sell nothing outside", "enterprises"),
    _p("outside_sales_entry", "1/yr", 0.5, 0.0, 1.0, "customers outside the territory waiting at a node for an entrant (outside_sales_to_entrants) as unmet demand that draws entry: of the lots of a typical enterprise's sales outside (its scale times the node's sales outside per unit of scale, the territory's where the node's sell nothing outside, and at least a tenth of that at the territory's rate) that wait, this share a year (rounded at random) is each taken by a household without an enterprise whose savings cover a typical enterprise's capital (the price rule's entrants; no credit; not one whose enterprise closed that year), which opens one of the node's typical scale (assumption; the default 0.5 since session 35). 0: only the price rule and own-account entry open enterprises", "enterprises"),
    _p("enterprise_exit_outside_shelter", "1", 0.0, 0.0, 1.0, "how far an enterprise's sales outside the territory shelter it from closing when its node's local price falls (enterprise_response): its chance of closing is the price rule's times 1 - this times the share of its sales it sells outside (assumption: the customers outside pay a price the local market does not move, so an enterprise that sells mostly to them has little reason to close). 0, the default: every enterprise of the node closes with the same chance", "enterprises"),
    _p("own_account_entry", "1/yr", 0.5, 0.0, 1.0, "households without a livelihood of their own (no farm, wage job or enterprise): share per year of those for whom an own-account enterprise they can pay for from their savings earns more than their adults can expect from seeking wage work that open one (assumption: the urban informal sector as the refuge of those without a wage job, Fields 1975, J. Dev. Econ. 2(2); much self-employment in Latin America is chosen rather than a refuge, Maloney 2004, World Development 32(7); the default 0.5 since session 35). 0: no such entry (the defaults up to session 34; docs/model_choices.md, 'A livelihood for households formed in the run')", "enterprises"),
    _p("own_account_exit", "1/yr", 0.3, 0.0, 1.0, "chance per year that an enterprise opened by own-account entry (own_account_entry) closes, its capital sold outside the territory into the household's savings; the household may open one again from the next year (assumption: small firms in developing countries die at 8.2 % a year on average, and the young, the least profitable, those without employees and in retail die most, McKenzie and Paffhausen 2019, Rev. Econ. Stat. 101(4); a refuge enterprise of a household without a livelihood is all of these; death need not end the owner's self-employment. The default 0.3 since session 37). The start holds a share own_account_entry / (own_account_entry + this) of the households for whom such an enterprise pays in one (the rest of entry and exit). 0: they close only by the price rule, as the start's others do, and the start puts one in every such household (up to session 36 there was neither this exit nor a stock at the start, and their stock grew with every year's entry; docs/model_choices.md, 'Own-account enterprises that close')", "enterprises"),
    _p("own_account_scale", "1", 0.25, 0.05, 1.0, "scale of an enterprise opened by own-account entry (own_account_entry), and of the start's stock of them, as a share of the mean scale of its node's enterprises (at most what the household's savings pay for). 0.25, the default since session 53 (1, the mean, up to session 52: docs/model_choices.md, 'How large an own-account entrant starts'). Refuge self-employment is mostly much smaller than the node's average firm: the median microenterprise earns a fraction of the mean, whose distribution is skewed by a few larger ones (de Mel, McKenzie and Woodruff 2010, in Lerner and Schoar, eds., International Differences in Entrepreneurship; Maloney 2004, World Development 32(7)); the share itself is an assumption", "enterprises"),
    _p("education_return", "1/yr of school", 0.07, 0.0, 0.15, "wage premium per year of schooling above the territory mean", "households"),
    # --- migration -----------------------------------------------------------------------
    _p("migration_income_weight", "1", 1.2, 0.0, 3.0, "logit weight of log expected income per person at a destination", "migration"),
    _p("migration_income_persistence", "1", 1.0, 0.0, 1.0, "share of a household's log distance from its home node's mean income per person that it expects to keep at any destination (its skills, assets and contacts travel with it; a Roy-type selection): 0, every household expects a destination's mean income, so the poorest gain most by moving and leave most; 1, the default since session 35, every household expects its home node's gap, whatever its own income: rural emigrants are not the poorest (McKenzie and Rapoport 2010, Rev. Econ. Stat. 92(4); Fernandez-Huertas Moraga 2013), which rules out 0 more than it fixes a value (assumption for the value; docs/model_choices.md, Migration: who leaves)", "migration"),
    _p("migration_cost_per_hour", "1/h", 0.25, 0.0, 1.0, "logit disutility per hour of travel to a destination", "migration"),
    _p("migration_move_cost", "USD/person", 200.0, 0.0, 2000.0, "money a move costs per person who moves, whatever the destination: the first weeks at the destination without income, a deposit (assumption; the default 200 since session 35). Paid from the household's assets, which must cover the move (a liquidity constraint; docs/model_choices.md, Migration: the money cost of moving). 0 with the other two moving costs: moves cost no money (the defaults up to session 34)", "migration"),
    _p("migration_move_cost_per_hour", "USD/person/h", 5.0, 0.0, 50.0, "money a move costs per person and hour of travel to the destination: fares and food on the way (assumption: long-distance bus fares in Latin America of some 1-5 USD an hour; the default 5 since session 35)", "migration"),
    _p("migration_move_cost_abroad", "USD/person", 1000.0, 0.0, 10000.0, "money a move out of the territory (to an external market) costs per person beyond the other moving costs: documents, fees, a smuggler's fee abroad (assumption for the value, the default 1,000 since session 35: external markets stand for national cities as well as places abroad; smugglers' fees for crossing into the United States: Gathmann 2008, J. Public Econ. 92(10-11), on how enforcement raised them (the fee levels of USD 1,000-3,000 not checked); the credit constraint on such moves and its relief by transfers, checked against the abstracts: Angelucci 2015, Rev. Econ. Stat. 97(1) (the entitlement to Oportunidades transfers raised migration to the United States from constrained households), Ardington, Case and Hosegood 2009, AEJ Applied 1(1) (pensions staked labour migrants); Bazzi 2017, AEJ Applied 9(2), not checked)", "migration"),
    _p("mover_asset_share", "1", 1.0, 0.0, 1.0, "share of its equal heir's share of the household's assets (1/adults, as an adult child forming a household takes) that a single member moving inside the territory takes to its new household (assumption: families finance their members' moves; the default 1 since session 35). 0: the mover arrives with nothing (the defaults up to session 34; docs/model_choices.md, 'A livelihood for households formed in the run')", "migration"),
    _p("mover_job_share", "1", 1.0, 0.0, 1.0, "chance that a single member who leaves its household (to a node of the territory or abroad) and held a wage job takes it away: the mover is one of the household's adults drawn alike, so it held a job with chance employed / adults, and its place at the firm opens to the next year's seekers (assumption: a job is a person's, not its household's; the default 1 since session 46). The same chance for each job of a household moving whole to another node of the territory, which then seeks work from its new home (since session 47; before, it kept its jobs). 0: the job stays with the household while another adult can hold it (the defaults up to session 45; docs/model_choices.md, 'Migration: what a single mover takes')", "migration"),
    _p("mover_productivity_local", "1", 1.0, 0.0, 1.0, "share (in logs) of a farming mover's productivity that is its destination's rather than its origin's: a household or single member that moves inside the territory and farms where it goes has its farm TFP times (S_dest / S_origin)^this, S a node's settler productivity (the median farm TFP per adult's management of its farming households at the start, start.settler_tfp), so that at 1 it keeps its place among farmers and takes the destination's level (assumption: the TFP the start backs out holds the place's soil, climate and local prices as well as the farmer's skill; the default 1 since session 51, with city_farm_tfp_ceiling; 0, the default up to session 50, carries the origin's TFP whole, which at rest makes newcomers' incomes hardly depend on where they settle: docs/model_choices.md, 'Convergence at rest')", "migration"),
    _p("death_job_share", "1", 1.0, 0.0, 1.0, "chance that the wage job an adult who dies held opens to the next year's seekers: each dying adult held one with chance employed / adults (assumption: a job is a person's, not its household's; the default 1 since session 47). 0: the job stays with the household, held by another adult if it has one, and beyond its adults until the next year's labour market if not (the rule up to session 46; docs/model_choices.md, 'Session 47: jobs leave with the worker')", "households"),
    _p("migration_cost_local_share", "1", 0.2, 0.0, 1.0, "share of moving costs paid in the origin node (transport, food, document services), income of its households in proportion to their assets as local dividends are; the rest leaves the territory (assumption)", "migration"),
    _p("migration_reach", "h", 24.0, 1.0, 72.0, "longest travel time to a destination inside the territory that a migrant weighs (external markets are always weighed; assumption: a day's travel; the example territory lies within it, so it matters only in large territories)", "migration"),
    _p("migration_network_weight", "1", 0.4, 0.0, 1.5, "logit weight of log(1 + migrants per 100 residents) already at the destination", "migration"),
    _p("migration_services_weight", "1", 1.0, 0.0, 3.0, "logit weight of the destination's service quality (0-1)", "migration"),
    _p("migration_nest_dissimilarity", "1", 0.5, 0.1, 1.0, "dissimilarity of the nested logit's move nest (staying is the other): a mover weighs destinations by exp(V / lambda), and adding k destinations as good as the existing ones multiplies the odds of leaving by k^lambda (1: the flat logit, whose odds of leaving grow with every reachable destination: it moved 11 % of a generated country's people a year). Assumption: nested-logit migration models estimate values well inside (0, 1) (Train 2009, ch. 4, on the consistency range); 0.5 with the abroad and stay preferences solved for the example's migration (docs/model_choices.md, Migration)", "migration"),
    _p("migration_abroad_preference", "1", 0.35, -5.0, 5.0, "logit utility of a destination outside the territory (an external market) over one inside at the same income, time, network and services. Solved so that the example's start holds about 5 former members abroad per 100 residents (UN DESA, International Migrant Stock 2019: about 40 million emigrants from Latin America and the Caribbean, some 6 % of its people; rural areas send more than their share); the example's baseline starts at 5.3 (7.2 with the stationary scenario's spatial equilibrium, urbanisation_pull 0); 0.35 with a stay preference of 4.25 at the defaults since session 35 (moving costs, job turnover and movers who keep their place in the income distribution); 0.4 with 5.5 at the defaults up to session 34", "migration"),
    _p("migration_stay_preference", "1", 4.25, 2.0, 10.0, "logit utility of staying; solved with the abroad preference so that the example's gross out-migration is about 1.5 %/yr and its rural municipalities' net out-migration in MODEL.md's 0.5-2 %/yr (4.25 at the defaults since session 35, whose moving costs and job turnover keep more at home; 5.5 at the defaults up to session 34)", "migration"),
    _p("whole_household_share", "1", 0.0, 0.0, 1.0, "share of moves by households with two or more adults that take the whole household (a household with one adult always moves whole). 0: rural Latin American migration, abroad above all, is mostly of single members who remit to the household that stays, a household strategy (Stark & Bloom 1985, Am. Econ. Rev. 75(2); assumption for the value); with 0.25 the nested choice's emigrating households lost the stationary territory about 1 % of its people a year", "migration"),
    _p("migrant_return_rate", "1/yr", 0.08, 0.01, 0.3, "share of migrants who return home each year (to their household, if it is still there) or lose their ties with the origin; sets the starting migrant stock, the rest point of the start's flows (stock = yearly outflow / rate). Dustmann & Gorlach 2016, J. Econ. Lit. 54(1): 20-50 % of immigrants leave their destination within five years, a yearly hazard of about 0.04-0.13", "migration"),
    _p("remittance_propensity", "1", 0.12, 0.0, 0.4, "share of a migrant's earnings sent home each year (IFAD 2017, Sending Money Home: migrants typically send about 15 % of their earnings, USD 200-300 every month or two; internal migrants send this share of their farm and wage income)", "migration"),
    _p("migrant_earnings_ratio", "1", 3.0, 1.0, 6.0, "earnings of a migrant worker outside the territory over income per person there (remittances from abroad are remittance_propensity x this x external_income_pc per migrant). 3: 18,000 USD a year at the default outside income, so a migrant abroad sends 2,160 USD a year, 180 a month (IFAD 2017: USD 200-300 per sender every month or two), and at about 5 migrants abroad per 100 residents remittances are some 3.5 % of the example's income and reach about a sixth of its households, a fifth of their income (IDB-MIF and Pew Hispanic Center 2003 surveys: 18 % of adults in Mexico, 23 % in Central America and 14 % in Ecuador receive remittances; Acosta, Calderon, Fajnzylber & Lopez 2008, World Development 36(1): remittances reduce poverty and inequality in Latin America, by relatively small amounts)", "migration"),
    _p("external_income_pc", "USD/person/yr", 6000.0, 2000.0, 15000.0, "expected income per person at external (dynamic) markets", "migration"),
    # --- firms and labour ------------------------------------------------------------------
    _p("firm_labour_elasticity", "1", 0.60, 0.4, 0.8, "output elasticity of labour in firms", "firms"),
    _p("firm_capital_elasticity", "1", 0.25, 0.1, 0.4, "output elasticity of capital in firms", "firms"),
    _p("required_return", "1/yr", 0.12, 0.03, 0.3, "profit rate on capital firms require; sets capital per worker at the start and the entry hurdle", "firms"),
    _p("expectation_adjustment", "1", 0.4, 0.05, 1.0, "share of the gap between last year's outcome and the expectation closed each year (adaptive expectations of local prices and of the chance to find a job)", "labour"),
    _p("hiring_skill_preference", "1/yr of school", 0.25, 0.0, 1.0, "log odds of being hired per year of schooling above the territory mean, for a new job seeker (firms prefer skilled applicants; assumption: the default keeps the example start's jobs by schooling third within seed noise, tests/test_hiring.py)", "labour"),
    _p("hiring_referral_weight", "1/worker", 0.5, 0.0, 50.0, "odds of being hired of a new job seeker per worker of the household last year, relative to a seeker without one (referrals through workers). Chosen against its source: surveys find that often 30-60 % of jobs are found through friends and relatives (Ioannides and Loury 2004); at the defaults the yearly outcome referral_share (the referrals' part of the drawn hires' odds) is 0.49-0.53 at 0.5, 0.38-0.40 at 0.3 and 0.66-0.68 at 1 (stationary, seeds 1-2, years 2-6, session 38: job turnover puts more hires into households with workers than session 20's 0.48-0.61 at 1, when 1 was chosen; 1 until session 38, kept in RULES_OFF; 10 before session 20, 0.94; docs/model_choices.md, Hiring)", "labour"),
    _p("job_separation_rate", "1/yr", 0.12, 0.0, 0.5, "share of last year's workers who lose their job in a year whatever the demand for labour (temporary and informal jobs end, workers quit), and seek again among the new seekers, with their household's referrals; their jobs go to the year's lottery. Latin American labour-force panels find 24-44 % of workers leave their job each year, 30-50 % of them to non-employment (Beccaria and Maurizio 2020, International Labour Review 159(2); Narita and Menezes-Filho 2024). Default 0.12 since session 35 (a job-loss rate of 0.24-0.44 a year times the 30-50 % of leavers who do not move straight to another job; 0 up to session 34). Above 0 the start draws the jobs where the hiring lottery with turnover puts them at rest and backs productivity out at each household's expected jobs (docs/model_choices.md, 'A start at turnover's rest'; with wage_residual_sd about 0.8 it starts at the tables' jobs and near their poverty and income)", "labour"),
    _p("wage_residual_sd", "1", 0.8, 0.0, 1.2, "standard deviation of the log wage premium of a household's workers beyond their schooling (ability, contacts, the kind of job they get; persistent, and carried by the households it forms). Mincer equations like the one behind education_return explain a fifth to a third of the variance of log earnings in Latin American household surveys, so with a standard deviation of log earnings of about 0.8-1 the rest is of order 0.6-0.85 (assumption from that order of magnitude; it also holds year-to-year noise the model does not have). Default 0.8 since session 35; 0: a worker's wage follows schooling only (up to session 34). The start at turnover's rest reaches the tables' poverty without a Gini far above theirs only with it (0.8 in docs/model_choices.md, 'A start at turnover's rest')", "labour"),
    _p("wage_residual_income_correlation", "1", 0.7, 0.0, 1.0, "correlation (Gaussian copula) of that premium with the household's starting income per person: the premium is part of what made the income the tables report (assumption; 0.7 is what brings the example's start at turnover's rest to the tables' poverty and Gini with a premium of 0.8)", "labour"),
    _p("hiring_adjustment", "1", 0.4, 0.05, 1.0, "share of the gap to desired employment a firm closes in a year", "labour"),
    _p("depreciation_rate", "1/yr", 0.08, 0.02, 0.2, "capital depreciation (paid to the rest of the world)", "firms"),
    _p("wage_adjustment", "1", 0.15, 0.0, 0.5, "proportional wage change per unit of excess labour demand", "labour"),
    _p("wage_cut_response", "1", 0.1, 0.0, 1.0, "wage cut per unit share of last year's workers who lost their job, relative to the rise per unit share of unfilled vacancies (downward stickiness; new seekers who queue for a job and farm meanwhile do not cut wages, as in Harris-Todaro)", "labour"),
    _p("minimum_wage", "USD/skill unit/yr", 600.0, 0.0, 3000.0, "wage floor per skill unit (the wage of a worker of the territory's mean schooling)", "labour"),
    _p("commute_limit", "h", 1.5, 0.25, 4.0, "longest one-way travel time for a wage job", "labour"),
    _p("commute_cost_per_hour", "1/h", 0.10, 0.0, 0.4, "share of a wage lost per hour of commuting", "labour"),
    _p("commute_fixed_cost", "1", 0.05, 0.0, 0.3, "share of a wage lost by any commute, whatever its length (fares, meals; assumption); starting wages leave no gain from commuting before it, so wage changes smaller than it move no commuter", "labour"),
    _p("workers_per_firm", "workers", 25.0, 5.0, 200.0, "workers of a typical firm at the start and at entry", "firms"),
    _p("firm_exit_loss_years", "yr", 3, 1, 10, "consecutive loss years after which a firm exits", "firms", integer=True),
    _p("firm_entry_rate", "firms/yr", 0.25, 0.0, 2.0, "expected entrants per 1000 households, sector and year when an entrant's profit rate beats the required return by 10 points", "firms"),
    _p("entry_infrastructure_weight", "1", 1.5, 0.0, 4.0, "weight of road and service quality in firm entry", "firms"),
    _p("entry_skill_weight", "1/yr of school", 0.15, 0.0, 0.5, "weight of mean schooling in firm entry", "firms"),
    _p("dividend_payout", "1", 0.6, 0.0, 1.0, "share of positive after-tax profit paid out each year", "firms"),
    _p("local_ownership_share", "1", 0.3, 0.0, 1.0, "share of dividends paid to local households (by assets); rest leaves the territory", "firms"),
    _p("dynamic_market_price", "1", 1.0, 0.5, 2.0, "price index of tradables at external markets", "markets"),
    # --- municipalities ----------------------------------------------------------------------
    _p("national_transfer_pc", "USD/person/yr", 120.0, 20.0, 400.0, "national transfers per resident available to municipalities", "municipalities"),
    _p("decentralisation_share", "1", 0.6, 0.1, 1.0, "share of national transfers that reaches municipal budgets", "municipalities"),
    _p("firm_tax_rate", "1", 0.15, 0.0, 0.4, "municipal tax on positive firm profits", "municipalities"),
    _p("infrastructure_spending_share", "1", 0.35, 0.0, 1.0, "share of the municipal budget spent on roads", "municipalities"),
    _p("services_spending_share", "1", 0.45, 0.0, 1.0, "share of the municipal budget spent on services and schooling", "municipalities"),
    _p("enforcement_spending_share", "1", 0.05, 0.0, 0.5, "share of the municipal budget spent on environmental enforcement", "municipalities"),
    _p("local_content_share", "1", 0.5, 0.0, 1.0, "share of municipal spending paid as local incomes (public jobs, contracts)", "municipalities"),
    _p("roads_spending_elasticity", "1", 0.5, 0.0, 2.0, "elasticity of the road quality an edge's upkeep sustains to road spending per resident of its ends (assumption; the data's quality is what the first year's spending sustains)", "municipalities"),
    _p("services_spending_elasticity", "1", 0.5, 0.0, 2.0, "elasticity of the service quality a municipality's budget sustains to services spending per resident (assumption; the data's quality is what the first year's spending sustains)", "municipalities"),
    _p("quality_adjustment", "1/yr", 0.05, 0.0, 0.5, "share of the gap between road or service quality and the quality its spending sustains closed each year", "municipalities"),
    _p("enforcement_effectiveness", "1/(USD/ha)", 0.5, 0.0, 5.0, "enforcement gain per USD spent per hectare of forest", "environment"),
    # --- context: what moves a territory without any local policy (scenario [context]) ---
    _p("birth_rate", "1/yr", 0.020, 0.004, 0.04, "births per person per year at the start (children reach working age at the rate that keeps each node's starting age structure at this birth rate)", "context"),
    _p("city_birth_ratio", "1", 1.0, 0.5, 1.0, "births per person in the intermediate cities over those in the rural municipalities, the territory's births staying birth_rate times its persons (the rural-urban fertility gap of the demographic transition: Latin American urban total fertility about 0.7 of rural around 2000, CELADE; assumption for the ratio of crude rates). 1, the default: the same rate everywhere", "context"),
    _p("urbanisation_pull", "1", 1.0, 0.0, 1.0, "share of the start's net migration between the territory's nodes that its gaps in income and services drive. 1, the default: as the migration choice weighs them (the example's baseline's rural municipalities lose 1.2 %/yr net, MODEL.md's 0.5-2 %; before session 35, 0.8); 0: each node has an amenity (in units of service quality, solved at the start, its mean over the residents 0) that offsets its gaps so that every node's expected net migration per resident is the territory's, a spatial equilibrium (Roback 1982: amenities and costs the model does not hold, e.g. housing, make up for observed income gaps); between, that amenity times 1 - the value (a mix in utility). The amenities stay fixed in the run (docs/model_choices.md, 'The start's spatial equilibrium')", "context"),
    _p("death_rate", "1/yr", 0.006, 0.002, 0.015, "deaths per person per year at the start", "context"),
    _p("birth_rate_trend", "1/yr per yr", 0.0, -0.002, 0.001, "yearly change of the birth rate (the demographic transition: negative where fertility falls)", "context"),
    _p("death_rate_trend", "1/yr per yr", 0.0, -0.0005, 0.0005, "yearly change of the death rate", "context"),
    _p("national_income_growth", "1/yr", 0.0, -0.05, 0.08, "growth of national income per person, which raises minimum wages and external incomes", "context"),
    _p("wage_pass_through", "1", 0.5, 0.0, 1.0, "share of national income growth passed on to the wages firms post each year", "context"),
    _p("productivity_pass_through", "1", 0.5, 0.0, 1.0, "share of national income growth that raises the productivity of the territory's producers each year: the TFP of its firms, of their entrants and of its farms, and the output of its household enterprises at the same capital (technology, skills and infrastructure spreading from the national economy). At wage_pass_through's value a firm's labour demand at a given output price holds as wages grow; at 0, wages rise against a fixed productivity and the example's baseline loses 29 % of its wage jobs in 20 years (8 seeds, scale 0.25, session 21). Assumption: in the long run wages follow labour productivity; Latin American and Caribbean agricultural TFP grew 1.9 %/yr on average in 1961-2007, faster in the last two decades (Ludena 2010, IDB working paper, Malmquist index), of the order of income per person. Until session 22 farms and household enterprises did not share it, and 2 %/yr of national growth left income per person lower after 20 years (docs/model_choices.md, Context)", "context"),
    _p("transfer_pass_through", "1", 1.0, 0.0, 1.5, "share of national income growth passed on to national transfers per person, to municipalities and in the national conditional cash transfer (national_cct_amount)", "context"),
    _p("education_return_trend", "1/yr of school per yr", 0.0, -0.004, 0.002, "yearly change of education_return, the wage premium per year of schooling, after the start (a national labour market's trend, which the territory takes as given: as schooling spread in Latin America in the 2000s its returns fell, the main reason its labour incomes grew more equal: Lustig, Lopez-Calva and Ortiz-Juarez 2013, World Development 44; declining returns in Mexico: Caamal Olvera 2017, Estudios Economicos 32). 0, the default: returns fixed. The size is an assumption: -0.001 takes the example's 0.07 to 0.05 in 20 years", "context"),
    _p("national_cct_coverage_growth", "1/yr", 0.0, 0.0, 0.05, "share of the territory's households with children that a national conditional cash transfer programme adds to its coverage each year after the start (poorest by proxy means test first; paid if the children attend school, as the cash_transfer lever). 0, the default: no national programme beyond what the start's incomes hold. Latin America's conditional transfers grew from a few programmes in 1997 to about 19 % of the region's people in 2010, about 1.5 points a year in the 2000s (Stampini and Tornarolli 2012, IZA Policy Paper 49); Brazil's Bolsa Familia and Mexico's Oportunidades reached about a quarter of their countries' people (Fiszbein and Schady 2009, World Bank)", "context"),
    _p("national_cct_coverage_max", "1", 0.3, 0.0, 1.0, "largest share of the territory's households with children the national conditional cash transfer reaches as its coverage grows (national_cct_coverage_growth); assumption around the region's large programmes (about a quarter of all people, more of the poorer rural households with children)", "context"),
    _p("national_cct_amount", "USD/household/yr", 400.0, 0.0, 2000.0, "national conditional cash transfer per beneficiary household at the start, grown with national income per person times transfer_pass_through; Latin American programmes pay about 4-20 % of a beneficiary household's consumption (Fiszbein and Schady 2009), Bolsa Familia about 35-40 USD a family a month around 2010 (assumption within it)", "context"),
    _p("outside_income_growth", "1/yr", 0.0, -0.05, 0.08, "growth of income per person outside the territory (what pulls migrants and sets remittances)", "context"),
    _p("market_price_trend", "1/yr", 0.0, -0.05, 0.05, "yearly trend of the dynamic-market price (log)", "context"),
    _p("market_price_volatility", "1", 0.0, 0.0, 0.3, "standard deviation of the yearly shock to the log dynamic-market price around its trend", "context"),
    _p("market_price_persistence", "1", 0.5, 0.0, 0.95, "share of last year's price deviation from trend that remains (AR(1) in logs; 0: independent years)", "context"),
    _p("climate_shock_probability", "1/yr", 0.0, 0.0, 0.5, "probability that a year brings a climate shock (drought, flood) to the whole territory", "context"),
    _p("climate_shock_loss", "1", 0.3, 0.0, 0.9, "share of farm output lost in a climate-shock year", "context"),
    _p("frontier_clearing_rate", "1/yr", 0.0, 0.0, 0.03, "share of each municipality's forest its households would want to clear at the start without enforcement (the frontier's pull: demand for land, colonisation, roads into the forest); sets each node's clearing hurdle, after which clearing follows returns and costs. 0: the start is the clearing rule's rest point. Latin America lost about 0.5 %/yr of its forest in 2000-2010 (FAO, Global Forest Resources Assessment 2010), Central America about 1 %/yr", "context"),
    _p("land_purchase_markup", "1", 1.0, 0.3, 3.0, "price land redistribution pays per hectare over the land's value in the model's land market, `land_price_years` years of the node's rent per effective hectare (the most its buyers pay, and what land for sale fetches at rest; Deininger 1999, World Development 27(4): negotiated, market-assisted reforms buy from willing sellers at negotiated prices that the land's productive potential bounds). 1: that value; below 1 an expropriation compensated under it, above 1 a premium to sellers (assumption)", "policies"),
    # --- what policy money buys, and how households respond (issue 13 item 5) -------------
    _p("road_upgrade_cost_per_km", "USD/km", 150000.0, 20000.0, 1000000.0, "cost of upgrading one km of road (Collier, Kirchberger & Soderbom 2016, World Bank Economic Review 30(3): unit costs of road works in low- and middle-income countries run from tens of thousands of USD per km for gravel rehabilitation to about a million for new paved roads; the default, a rural upgrade, is an assumption inside that range)", "policies"),
    _p("road_speed_kmh", "km/h", 30.0, 10.0, 60.0, "mean speed on a road before its upgrade, which turns an edge's travel time into its length (assumption: unpaved rural roads)", "policies"),
    _p("road_upgrade_time_cut", "1", 0.4, 0.1, 0.7, "share of travel time removed on an upgraded km (assumption: 0.4 is 30 to 50 km/h)", "policies"),
    _p("road_works_local_share", "1", 0.3, 0.0, 0.7, "share of road works spending paid as wages to residents of the municipalities at the road's ends (assumption; labour-based works spend a quarter to a half of their cost on labour, equipment-based works much less)", "policies"),
    _p("road_maintenance_share", "1/yr", 0.04, 0.0, 0.15, "yearly maintenance of an upgraded km as a share of its upgrade cost, paid first from a road programme's budget while it runs (assumption)", "policies"),
    _p("road_decay_rate", "1/yr", 0.1, 0.0, 0.4, "share of the upgraded km left unmaintained (after the programme ends, or beyond what its budget maintains) that lose the upgrade each year (assumption)", "policies"),
    _p("assistance_effort_cost", "USD/household/yr", 150.0, 0.0, 2000.0, "median yearly cost to a household of applying what technical assistance teaches (labour, inputs, risk), valued in USD; a household adopts when the expected gain, the productivity gain times last year's farm sales, exceeds its own cost (assumption)", "policies"),
    _p("assistance_effort_spread", "1", 0.8, 0.0, 2.0, "standard deviation of the log of households' adoption costs around the median (heterogeneous adopters; assumption)", "policies"),
    _p("assistance_gain_decay", "1/yr", 0.2, 0.0, 0.8, "share of an adopted productivity gain lost each year a household is not assisted (disadoption, depreciation of practices; assumption)", "policies"),
    _p("school_attendance", "1", 0.8, 0.3, 1.0, "share of school-age years children attend without a conditional transfer (rural Latin America, secondary-school ages: about 0.6-0.9; assumption within it)", "policies"),
    _p("child_work_value", "USD/child/yr", 150.0, 0.0, 1500.0, "median yearly value to a household of a child's time out of school (work, care), the cost of meeting a transfer's attendance condition (assumption; drawn per household with the spread of assistance_effort_spread)", "policies"),
    _p("schooling_per_attended_year", "yr/yr", 1.0, 0.0, 1.0, "years of completed schooling a child gains per extra year of attendance (1: every attended year completes)", "policies"),
    _p("national_local_content_share", "1", 0.0, 0.0, 1.0, "share of the national government's own spending in the territory (the national money for municipalities that it does not pass on to them) paid as local incomes; decentralisation moves this money into municipal budgets. Default 0: the national level buys outside the territory (an assumption at the low end; national staff living locally would make it positive, which lowers the local gain of decentralisation)", "policies"),
)

REGISTRY: Mapping[str, Parameter] = MappingProxyType({p.name: p for p in _ENTRIES})
"""All behavioural parameters by name."""

RULES_OFF: Mapping[str, float] = MappingProxyType({
    "job_separation_rate": 0.0, "wage_residual_sd": 0.0, "migration_move_cost": 0.0,
    "migration_move_cost_per_hour": 0.0, "migration_move_cost_abroad": 0.0, "migration_income_persistence": 0.0,
    "own_account_entry": 0.0, "own_account_exit": 0.0, "mover_asset_share": 0.0, "mover_job_share": 0.0,
    "death_job_share": 0.0, "formed_household_growth": 0.0,
    "household_union_adjustment": 0.0, "hiring_referral_weight": 1.0,
    "outside_sales_pass_on": 0.0, "outside_sales_to_entrants": 0.0, "outside_sales_entry": 0.0,
    "migration_stay_preference": 5.5, "migration_abroad_preference": 0.4})
"""The defaults up to session 34, the rules the defaults have since switched on off again: no
job turnover nor wage premium beyond schooling, moves that cost no money, movers who expect a
destination's mean income, no livelihood rules for households formed in the run, no unions
(session 36), the referral weight of sessions 20-37 (1; 0.5 since session 38), movers'
jobs staying with their households (``mover_job_share`` 0; taken since session 46) and dying workers' (``death_job_share`` 0; freed since session 47), with the stay and abroad preferences solved for them (docs/model_choices.md, 'The defaults of session 35').
Session 51's rules (the town farms' starting productivity capped, ``city_farm_tfp_ceiling``, and
farming movers at their destination's level, ``mover_productivity_local``) stay at their
defaults here: the runs this setting pins were measured again with them.
The stationary start is at rest with them in the territory's total as the defaults are, but
they reproduce neither published pattern of the territory ensembles; kept as a named setting
to compare with (``territory-abm run --set`` takes each) and for the tests that pin it."""


STARTING_STATE = frozenset({
    "landless_share",                    # the synthetic draw of land holdings
    "estate_min_ha",                     # which holdings are estates
    "wage_residual_sd",                  # the wage premium drawn with the incomes
    "wage_residual_income_correlation",
    "max_local_spending_share",          # the start's local market for enterprises
    "frontier_clearing_rate",            # the clearing hurdle backed out of the start
    "urbanisation_pull",                 # the amenities solved at the start
    "city_farm_tfp_ceiling",             # the city farms' starting productivity
})
"""Parameters the model reads only while it builds its start: a new value acts at a new start
(a scenario's ``[parameters]`` or ``[context]``, or ``TerritoryModel(scenario, name=value)``),
so ``TerritoryModel.set_parameters`` refuses to change one in a built model rather than take a
value that does nothing (``tests/test_parameters.py`` checks against what runs read). The
context's paths (prices, growth, shocks) are read at the start too, but
``set_parameters`` draws them again from the next year."""


class Parameters(Mapping[str, float]):
    """Validated parameter values: registry defaults with overrides.

    Behaves as a read-only mapping; attribute access (``params.birth_rate``) works too.

    Parameters
    ----------
    overrides : mapping of str to float, optional
        Values to use instead of the defaults.
    source : str
        Where the overrides came from, for error messages.
    """

    def __init__(self, overrides: Mapping[str, float] | None = None, source: str = "parameters"):
        values = {name: p.default for name, p in REGISTRY.items()}
        for name, value in (overrides or {}).items():
            values[name] = validate_value(name, value, source)
        object.__setattr__(self, "_values", values)
        # each value also as an instance attribute, so ``params.birth_rate`` is a plain lookup
        # (the model reads some 900 a year; ``__getattr__`` only answers unknown names)
        self.__dict__.update(values)

    def __getitem__(self, name: str) -> float:
        return self._values[name]

    def __getattr__(self, name: str) -> float:
        if name.startswith("_"):  # e.g. while unpickling, before _values exists
            raise AttributeError(name)
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __reduce__(self):
        return (Parameters, (dict(self._values),))

    def __setattr__(self, name, value):
        raise AttributeError("Parameters are read-only: change a running model's with model.set_parameters({name: value}); "
                             "with_overrides() makes a new Parameters")

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        changed = {k: v for k, v in self._values.items() if v != REGISTRY[k].default}
        return f"Parameters({changed})"

    def with_overrides(self, overrides: Mapping[str, float], source: str = "parameters") -> Parameters:
        """Return new parameters with ``overrides`` applied on top of these values."""
        merged = dict(self._values)
        merged.update(overrides)
        return Parameters(merged, source)

    def as_dict(self) -> dict[str, float]:
        """Plain dict copy of all values."""
        return dict(self._values)


def validate_value(name: str, value: object, source: str) -> float:
    """Check one parameter value against the registry and return it as float.

    Raises
    ------
    InputError
        If the name is unknown, the value is not a number (a bool, a string, NaN or
        infinite), lies outside the range, or is not whole for an integer parameter.
    """
    if name not in REGISTRY:
        raise InputError(source, f"parameters.{name}", f"a known parameter name, not {name!r}"
                         f"{did_you_mean(name, REGISTRY)} (see: territory-abm parameters)")
    return float(REGISTRY[name].check(value, source, f"parameters.{name}"))


def markdown_table() -> str:
    """The registry as a Markdown table (for the README and `territory-abm parameters`)."""
    lines = ["| name | unit | default | range | meaning |", "|---|---|---|---|---|"]
    for p in _ENTRIES:
        lines.append(f"| `{p.name}` | {p.unit} | {p.default:g} | {p.low:g} – {p.high:g} | {p.meaning} |")
    return "\n".join(lines)
