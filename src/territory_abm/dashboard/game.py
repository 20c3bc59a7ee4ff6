"""The shared-territory game (what NetLogo's HubNet does, in the browser): one territory, each
group governing one of its municipalities.

Every group joining the game (``territory-abm classroom --game``) is given the first municipality
(or city) nobody governs. Each year a group chooses its municipality's budget split (shares of
the general budget for roads, services and environmental enforcement; the rest pays the
administration) and the programmes it asks the national government for (cash transfers,
technical assistance, market linkage, road works, environmental governance, each for its own
municipality, with the lever's default values and years, exactly as a dashboard or scenario
file would apply them). The year advances when every group has decided or when the trainer
says; then every group's choices take effect together, in the same simulated year of the one
shared model, and everyone sees the whole territory change. A second model of the same seed with
no group's choice (every municipality on the scenario's split, no programme) runs alongside: a
municipality's difference from it is what all the groups' choices together did to it, its
neighbours' included.
"""

from __future__ import annotations

import io
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ..errors import InputError
from ..outcomes.yearly import POLICY_COST_PREFIX
from ..params import REGISTRY
from .controls import apply_lever, live_policy
from .groups import group_key

PROGRAMMES = ("cash_transfer", "technical_assistance", "market_linkage", "roads", "environmental_governance")
"""Programmes a municipality's government may ask for (each for its own municipality)."""
SPLIT = ("infrastructure_spending_share", "services_spending_share", "enforcement_spending_share")
"""The budget split a government chooses: registry parameters, per municipality in the game."""
NODE_COLUMNS = ("poverty_headcount", "mean_income_pc", "forest_cover", "service_quality", "enforcement",
                "commuters", "population", "policy_cost")
"""Outcomes of each municipality kept every year, for the game's run and its no-choice twin."""


@dataclass(frozen=True)
class Choice:
    """A government's decision for the coming year: its budget ``split`` (registry name of each
    share -> value) and the ``programmes`` it asks for."""

    split: dict
    programmes: frozenset = frozenset()


def check_split(split: dict[str, float]) -> dict[str, float]:
    """``split`` checked: each share within its registry range, together at most 1.

    Raises
    ------
    InputError
        If a share is out of its range or they add up to more than 1.
    """
    checked = {name: REGISTRY[name].check(split[name], "dashboard", f"budget_split.{name}") for name in SPLIT}
    total = sum(checked.values())
    if total > 1.0 + 1e-9:
        raise InputError("dashboard", "budget_split", "shares of the budget that add up to at most 1 (the rest "
                         f"pays the administration), got {total:g}")
    return checked


@dataclass(frozen=True)
class Programme:
    """A programme running in a municipality, as the model records it (:meth:`Game.programmes`).

    ``start``: the first year it ran (the model's policy start); ``years``: the years it runs
    in all; ``done``: the years it has run by the year shown (years its municipality had no
    government, while its group was removed, left out: it did not run then); ``spent``: what
    it has cost since its start (USD, the model's ``cost_<label>`` column summed)."""

    lever: str
    start: int
    years: int
    done: int
    spent: float


@dataclass
class Player:
    """A group governing municipality ``node`` (node id); ``choice`` applies from the next year."""

    name: str
    node: str
    choice: Choice
    decided: bool = False
    language: str = "en"
    colour_by: str = "poverty"
    large_text: bool = False  # the group's pages in large-text mode
    joined: int = -10**6  # the year shown when the group joined (it governs from then on)
    left: int | None = None  # the year shown when the trainer removed it (it governs no more from then)


@dataclass
class Game:
    """One shared territory governed by the groups; read or change it only holding its ``lock``.

    ``players`` are the groups governing now (by :func:`.groups.group_key` of their names),
    ``former`` the groups the trainer removed in this game (for the years they governed) and
    ``removed`` every group removed (by key: the group as it was removed), which may not join
    again under that name unless the trainer restores it (:meth:`restore`). ``paused`` holds the
    programmes a removed group's municipality was running (policy label -> (the model's policy
    as it was, the year shown at the removal)), which a restore resumes, and ``skipped`` the
    years a resumed programme did not run (label -> years), so that its years done leave them out.

    Parameters
    ----------
    factory : callable
        ``factory(seed)`` builds a model of the game's exercise.
    seed : int
        The game's seed (of the model and of its no-choice twin).
    """

    factory: Callable
    seed: int
    model: object = None
    twin: object = None
    players: dict = field(default_factory=dict)
    former: list = field(default_factory=list)
    removed: dict = field(default_factory=dict)
    history: list = field(default_factory=list)
    decisions: list = field(default_factory=list)
    paused: dict = field(default_factory=dict)
    skipped: dict = field(default_factory=dict)
    version: int = 0
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def __post_init__(self):
        self.restart()

    # ------------------------------------------------------------------ the game's course
    def restart(self) -> None:
        """Start the territory again (same seed); players keep their municipalities and
        choices, undecided; groups removed stay out (and no longer govern any year) unless
        the trainer restores them."""
        for old in (self.model, self.twin):
            if old is not None:
                old.release()
        self.model, self.twin = self.factory(self.seed), self.factory(self.seed)
        self.history = [node_rows(self.model, self.twin)]
        self.decisions = []
        self.former = []  # the years they governed are gone
        self.paused, self.skipped = {}, {}  # programmes of the old territory: a restored group starts afresh
        for player in self.players.values():
            player.decided = False
            player.joined = self.model.year  # they govern the new territory from its start
        self.version += 1

    def default_choice(self) -> Choice:
        """The scenario's split and no programme (what the twin keeps every year)."""
        return Choice({name: float(self.model.scenario.parameters[name]) for name in SPLIT})

    def join(self, name: str) -> Player:
        """Group ``name``'s player, given the first municipality nobody governs if new.

        Raises
        ------
        InputError
            If the name is not a group name, is the name of a group the trainer removed, or
            every municipality is governed.
        """
        key = group_key(name)
        if key in self.removed:  # its page, still open, must not join it again at its next redraw
            raise InputError("dashboard", "group", f"a name other than {' '.join(name.split())}: the trainer removed "
                             "that group from the game")
        if key not in self.players:
            free = [n for n in self.municipalities() if n not in {p.node for p in self.players.values()}]
            if not free:
                raise InputError("dashboard", "municipality", f"a free municipality: all {len(self.municipalities())} "
                                 "are governed (ask the trainer)")
            self.players[key] = Player(" ".join(name.split()), free[0], self.default_choice(), joined=self.model.year)
            for lever in PROGRAMMES:  # a removed group's programmes there are no longer to resume: the
                self.paused.pop(programme_label(free[0], lever), None)  # new group's own take their place
            self.version += 1
        return self.players[key]

    def remove(self, name: str) -> Player:
        """The trainer removes group ``name`` (one that joined by mistake): from the year shown
        its municipality has no government (the scenario's split and no programme, as in the
        no-choice twin, from the next year; ``governed_by`` empty in :meth:`table`), and the group
        may not join again under that name. The programmes it was running are kept (``paused``)
        for :meth:`restore`, until another group joins in its place. If every group left has
        decided, the year advances. Returns the removed player.

        Raises
        ------
        InputError
            If no group of that name is in the game.
        """
        key = group_key(name)
        if key not in self.players:
            raise InputError("dashboard", "group", f"one of the groups in the game, got {' '.join(name.split())}")
        player = self.players.pop(key)
        for lever in PROGRAMMES:  # kept to be resumed as they are if the trainer restores the group
            label = programme_label(player.node, lever)
            running = live_policy(self.model, lever, label)
            if running is not None:
                self.paused[label] = (running, self.model.year)
        apply_choice(self.model, player.node, None)
        player.left = self.model.year
        self.former.append(player)
        self.removed[key] = player
        self.version += 1
        if self.players and all(p.decided for p in self.players.values()):
            self.advance()
        return player

    def restore(self, name: str) -> Player:
        """The trainer takes back the removal of group ``name`` (removed by mistake: a browser
        trial, session 27, found no way back): from the year shown it governs its municipality
        again, with the choice it had when removed (from the next year, undecided), its open page
        shows the game again, and the years between name nobody in :meth:`table`. The programmes
        its municipality was running when the group was removed resume from the next year as they
        were: the same policy (start year, values, households reached), with the years it had
        still to run and its spending so far; the years nobody governed, in which they did not
        run, are added at their end (session 27's restore started them again, for all their
        years). Returns the group's player.

        Raises
        ------
        InputError
            If no group of that name was removed, or another group governs its municipality now.
        """
        key = group_key(name)
        if key not in self.removed:
            raise InputError("dashboard", "group", f"one of the groups removed from the game, got "
                             f"{' '.join(name.split())}")
        gone = self.removed[key]
        holder = next((p for p in self.players.values() if p.node == gone.node), None)
        if holder is not None:
            names = dict(zip(self.model.territory.ids, self.model.territory.names))
            raise InputError("dashboard", "group", f"a group whose municipality is free: {holder.name} governs "
                             f"{names[gone.node]} now (remove {holder.name} first)")
        del self.removed[key]
        self.players[key] = player = replace(gone, decided=False, joined=self.model.year, left=None)
        self._resume(player)
        self.version += 1
        return player

    def _resume(self, player: Player) -> None:
        """The programmes ``player``'s municipality was running when it was removed, running again
        from the next year (the years in between, in which they did not run, added at their end)."""
        for lever in PROGRAMMES:
            label = programme_label(player.node, lever)
            if label not in self.paused:
                continue
            policy, left = self.paused.pop(label)
            if lever not in player.choice.programmes:
                continue
            gap = self.model.year - left  # years simulated without it
            self.skipped[label] = self.skipped.get(label, frozenset()) | frozenset(range(left + 1, self.model.year + 1))
            self.model.set_lever(lever, dict(policy.values), target=policy.target, label=label, start=policy.start,
                                 end=policy.end + gap)

    def programmes(self, node: str) -> list[Programme]:
        """The programmes running in municipality ``node`` this year or from the next, as the
        model records them (its policies and their cost columns), in :data:`PROGRAMMES` order."""
        model, found = self.model, []
        years = np.asarray(model.datacollector.model_vars["year"])
        for lever in PROGRAMMES:
            label = programme_label(node, lever)
            policy = live_policy(model, lever, label)
            if policy is None:
                continue
            skipped = self.skipped.get(label, frozenset())
            ran = [y for y in range(policy.start, min(policy.end, model.year) + 1) if y not in skipped]
            cost = np.asarray(model.datacollector.model_vars[POLICY_COST_PREFIX + label], float)
            found.append(Programme(lever, policy.start, policy.end - policy.start + 1 - sum(
                policy.start <= y <= policy.end for y in skipped), len(ran), float(cost[years >= policy.start].sum())))
        return found

    def municipalities(self) -> list[str]:
        """Node ids of the populated nodes (municipalities and cities), in the territory's order."""
        t = self.model.territory
        return [t.ids[i] for i in range(self.model.n_nodes) if self.model.populated[i]]

    def choose(self, name: str, *, split: dict[str, float] | None = None, programme: str | None = None,
               on: bool = True) -> None:
        """Change group ``name``'s choice for the coming year (its split, or one programme
        asked for or not); the group is undecided again until it decides."""
        player = self.join(name)
        choice = player.choice
        if split is not None:
            choice = replace(choice, split=check_split({**choice.split, **split}))
        if programme is not None:
            if programme not in PROGRAMMES:
                raise InputError("dashboard", "programme", f"one of {', '.join(PROGRAMMES)}")
            choice = replace(choice, programmes=choice.programmes | {programme} if on
                             else choice.programmes - {programme})
        player.choice, player.decided = choice, False
        self.version += 1

    def decide(self, name: str, year: int | None = None) -> bool:
        """Group ``name`` has decided for the coming year; the year advances if every group has
        (returns whether it did). ``year``, the year the group's page showed, guards against a
        decision sent for a year that has already gone by.

        Raises
        ------
        InputError
            If ``year`` is given and is not the game's current year.
        """
        if year is not None and year != self.model.year:
            raise InputError("dashboard", "decision", f"a decision for the current year {self.model.year}: the year "
                             f"moved on before this one arrived; choose again for {self.model.year}")
        self.join(name).decided = True
        self.version += 1
        if all(p.decided for p in self.players.values()):
            self.advance()
            return True
        return False

    def waiting(self) -> list[str]:
        """Names of the groups that have not decided yet."""
        return [p.name for p in self.players.values() if not p.decided]

    def advance(self) -> None:
        """Every government's choice takes effect, together, and the territory (and its
        no-choice twin) advance one year; a group that has not decided keeps its last choice."""
        for player in self.players.values():
            apply_choice(self.model, player.node, player.choice)
            self.decisions.append({"year": self.model.year + 1, "group": player.name, "node_id": player.node,
                                   "decided": player.decided, **player.choice.split,
                                   "programmes": " ".join(sorted(player.choice.programmes))})
        self.model.step()
        self.twin.step()
        self.history.append(node_rows(self.model, self.twin))
        for player in self.players.values():
            player.decided = False
        self.version += 1

    def archive(self) -> bytes:
        """The game so far as a zip archive: ``territory.csv`` (:meth:`table`) and
        ``decisions.csv`` (each group's choice for each year: its split, the programmes asked
        for, whether it had decided or the trainer advanced the year)."""
        buffer = io.BytesIO()
        columns = ["year", "group", "node_id", "decided", *SPLIT, "programmes"]
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("territory.csv", self.table().to_csv(index=False, float_format="%.10g"))
            archive.writestr("decisions.csv", pd.DataFrame(self.decisions, columns=columns)
                             .to_csv(index=False, float_format="%.10g"))
        return buffer.getvalue()

    def table(self) -> pd.DataFrame:
        """Every municipality every year so far: its outcomes, the twin's (``twin_``), and who
        governs it (``governed_by``: the group, from the year it joined until the year the
        trainer removed it; "" for nobody: a browser trial, session 25, found a group named for
        the years before it joined)."""
        frame = pd.concat(self.history, ignore_index=True)
        frame["governed_by"] = ""
        for player in [*self.former, *self.players.values()]:
            until = np.inf if player.left is None else player.left
            frame.loc[(frame["node_id"] == player.node) & (frame["year"] >= player.joined) & (frame["year"] < until),
                      "governed_by"] = player.name
        return frame


def programme_label(node: str, lever: str) -> str:
    """The policy label of ``lever`` asked for by municipality ``node``'s government."""
    return f"game:{node}:{lever}"


def apply_choice(model, node: str, choice: Choice | None) -> None:
    """Municipality ``node``'s split and programmes from the next year: a programme asked for
    runs as one switched on in the dashboard (from the next year for its default years, its
    start kept while it stays asked for); one no longer asked for stops. ``choice`` None: nobody
    governs it (the scenario's split, no programme)."""
    municipality = model.municipalities[model.territory.index(node)]
    municipality.budget_split = None if choice is None else tuple(choice.split[name] for name in SPLIT)
    asked = frozenset() if choice is None else choice.programmes
    for lever in PROGRAMMES:
        label = programme_label(node, lever)
        wanted, running = lever in asked, live_policy(model, lever, label) is not None
        if wanted and not running:
            apply_lever(model, lever, True, {}, (node,), label=label)
        elif running and not wanted:
            apply_lever(model, lever, False, {}, (node,), label=label)


def node_rows(model, twin) -> pd.DataFrame:
    """This year's outcomes of every populated node in ``model`` and ``twin`` (``twin_`` prefix)."""
    keep = np.flatnonzero(model.populated)
    t = model.territory
    frame = pd.DataFrame({"year": int(model.year), "node_id": [t.ids[i] for i in keep],
                          "name": [t.names[i] for i in keep]})
    for run, prefix in ((model, ""), (twin, "twin_")):
        for name in NODE_COLUMNS:
            frame[prefix + name] = np.asarray(run.node_stats[name], float)[keep]
    return frame
