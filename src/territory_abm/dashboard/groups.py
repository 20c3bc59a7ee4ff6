"""The classroom groups' models, kept on the server by group name.

Each group named on joining (``?group=NAME`` in the page's address) has one model and the
choices made on its page (language, map colouring, lever settings). They live here, not in
the browser session, so a reload finds them again and no two groups share anything. Every
use of a group's model holds that group's lock: a step, a reset, a lever change and the
drawing of its figures never interleave, whichever browser pages ask at the same time.
Groups nobody has used for ``idle_seconds`` are dropped and their model released; at most
``max_groups`` exist at once.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar

from ..errors import InputError
from .compare import EARLIER_RUNS, track_frame, track_row

T = TypeVar("T")

GROUP_PATTERN = re.compile(r"[^\W_][\w \-]{0,29}")
"""A group name: 1-30 letters, digits, spaces, '-' or '_', starting with a letter or digit."""


def group_key(name: str) -> str:
    """The key a group is stored under: ``name`` stripped, spaces collapsed, case ignored.

    Raises
    ------
    InputError
        If ``name`` is not 1-30 letters, digits, spaces, '-' or '_' (starting with a letter
        or digit).
    """
    text = " ".join(str(name).split())
    if not GROUP_PATTERN.fullmatch(text):
        raise InputError("dashboard", "group", "a group name of 1-30 letters, digits, spaces, '-' or '_'")
    return text.casefold()


@dataclass(eq=False)
class Group:
    """One group's model and page choices; read or change them only inside ``GroupStore.use``.

    Attributes
    ----------
    name : str
        The group's name as first typed.
    seed : int
        Seed of the current model (and of the next reset unless another is chosen).
    model : TerritoryModel or None
        The group's model (None until first used).
    twin : TerritoryModel or None
        The same-seed run with the group's parameters and no levers, stepped alongside.
    track : list of dict
        One row per year of the run (:func:`.compare.track_row`), from its start.
    earlier : list of DataFrame
        The last :data:`.compare.EARLIER_RUNS` runs before a reset (:func:`.compare.track_frame`).
    hold_axes : bool
        The charts keep their axes (they only grow) instead of rescaling.
    limits : dict
        Chart key -> (low, high) y-range held while ``hold_axes``.
    large_text : bool
        Large-text mode (projector).
    language : str
        ``"en"`` or ``"es"``.
    colour_by : str
        Menu key colouring the map (a key of ``views.COLOUR_BY``).
    selected : str
        Node id shown in the municipality panel ("" for none).
    lever_settings : dict
        lever -> {field: value} chosen in the lever panel (kept while the lever is off).
    lever_targets : dict
        lever -> "all" or a node id chosen in its "Where" menu.
    lever_years : dict
        lever -> years it runs once switched on (``controls.LEVER_YEARS`` unless chosen).
    parameters : dict
        Behavioural parameters chosen on the page (registry name -> value): a model starts
        with them, as with a scenario file's ``[parameters]``.
    territory_map : TerritoryView or None
        The map of the current model's territory (:mod:`.maps`), drawn again with new colours.
    figures : tuple or None
        (what they show, map PNG, charts PNG) last drawn, reused while nothing changed.
    last_used : float
        Store clock time of the last use (s).
    closed : bool
        True once the group was dropped from its store (its model is released).
    version : int
        Counts the changes to the group (steps, resets, choices made on its pages): every page
        of the group redraws when it moves, so two students of one group see the same run.
    exercise : int
        The store's exercise the group's model was started on (:attr:`GroupStore.exercise`),
        set under the group's lock when the trainer's load restarts it: a Play stamped with an
        older one steps no more (:meth:`GroupStore.play_step`).
    """

    name: str
    seed: int
    model: object = None
    language: str = "en"
    colour_by: str = "poverty"
    selected: str = ""
    lever_settings: dict = field(default_factory=dict)
    lever_targets: dict = field(default_factory=dict)
    lever_years: dict = field(default_factory=dict)
    parameters: dict = field(default_factory=dict)
    twin: object = None
    track: list = field(default_factory=list)
    earlier: list = field(default_factory=list)
    hold_axes: bool = False
    limits: dict = field(default_factory=dict)
    large_text: bool = False
    territory_map: object = None
    figures: tuple | None = None
    last_used: float = 0.0
    closed: bool = False
    version: int = 0
    exercise: int = 0
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    factory: Callable | None = field(default=None, repr=False)
    twins: bool = False

    def restart(self, seed: int | None = None) -> None:
        """Build the group's model and its no-policy twin again (with ``seed``, default the
        group's seed, and the group's parameters) and release the old ones; a run that had
        begun is kept among the earlier runs. Hold the group's lock."""
        seed = self.seed if seed is None else int(seed)
        if len(self.track) > 1:  # a run that had begun (only tracked with a twin)
            self.earlier = [*self.earlier, track_frame(self.track)][-EARLIER_RUNS:]
        new, twin = self._build(seed), self._build(seed) if self.twins else None
        old = (self.model, self.twin)
        self.model, self.twin, self.seed, self.territory_map, self.figures = new, twin, seed, None, None
        self.track = [track_row(new, twin)] if twin is not None else []
        self.version += 1
        for model in old:
            if model is not None:
                model.release()

    def _build(self, seed: int):
        return self.factory(seed, **self.parameters) if self.parameters else self.factory(seed)

    def step(self) -> None:
        """Advance the group's model and its twin by one year; hold the group's lock."""
        self.model.step()
        if self.twin is not None:
            self.twin.step()
            self.track.append(track_row(self.model, self.twin))
        self.version += 1

    def set_parameters(self, overrides: dict[str, float]) -> None:
        """Change behavioural parameters of the model and its twin from the next year."""
        self.model.set_parameters(overrides)
        if self.twin is not None:
            self.twin.set_parameters(overrides)


class GroupStore:
    """Models of the groups, by group name, safe to use from many threads at once.

    Parameters
    ----------
    factory : callable
        ``factory(seed, **parameters)`` builds a new model for ``seed`` (int) with the
        behavioural parameters chosen by the group (none: ``factory(seed)``).
    seed : int
        Seed of a new group's model.
    max_groups : int
        Most groups kept at once; joining beyond it (after dropping idle groups) is refused.
    idle_seconds : float
        Groups unused for this long (s) are dropped and their model released.
    clock : callable
        Time source in seconds (monotonic by default; tests pass their own).
    twins : bool
        Each group also runs its no-policy twin (a second model of the same seed, without
        levers) and tracks the comparison (:mod:`.compare`; real models only).
    """

    def __init__(self, factory: Callable[[int], object], *, seed: int, max_groups: int = 40,
                 idle_seconds: float = 7200.0, clock: Callable[[], float] = time.monotonic, twins: bool = False):
        self.factory = factory
        self.seed = seed
        self.max_groups = max_groups
        self.idle_seconds = idle_seconds
        self.clock = clock
        self.twins = twins
        self._groups: dict[str, Group] = {}
        self._lock = threading.Lock()
        self.locked = False
        """The trainer has locked the groups' controls (their pages still show and switch language)."""
        self.version = 0
        """Counts the trainer's changes (lock, exercise loaded): pages redraw when it moves."""
        self.exercise = 0
        """Counts the exercises loaded (:meth:`load`); each group keeps the one it started on
        (:attr:`Group.exercise`)."""

    def set_locked(self, on: bool) -> None:
        """Lock (or unlock) every group's controls: steps, resets, levers and parameters."""
        self.locked = bool(on)
        self.version += 1

    def each(self, read: Callable[[Group], T]) -> list[T]:
        """``read(group)`` for every group kept now that has a model, each under its lock, in
        joining order; never joins a group (the trainer's console reads them this way)."""
        with self._lock:
            groups = list(self._groups.values())
        results = []
        for group in groups:
            with group.lock:
                if not group.closed and group.model is not None:
                    results.append(read(group))
        return results

    def load(self, factory: Callable[[int], object], seed: int) -> None:
        """Start every group, and the groups joining from now on, on another exercise:
        ``factory`` and ``seed`` as the store's own. Each group's model and twin start again
        from the exercise's starting state (its seed, the exercise's parameters); the group's
        lever settings, parameters and earlier runs (of another exercise) are cleared; its
        language and view choices are kept."""
        with self._lock:
            self.factory, self.seed = factory, seed
            self.exercise += 1  # groups joining from now on start on it
            exercise = self.exercise
            groups = list(self._groups.values())
        for group in groups:
            with group.lock:
                if group.closed:
                    continue
                group.exercise = exercise  # with the restart, under its lock: a Play stamped before stops
                group.factory, group.seed, group.track, group.earlier, group.limits = factory, seed, [], [], {}
                group.parameters, group.lever_settings, group.lever_targets, group.lever_years = {}, {}, {}, {}
                group.selected = ""
                group.restart()
        self.version += 1  # after the restarts: a page redrawn on it shows its group's new start

    def play_step(self, group: Group, exercise: int) -> bool:
        """One year of a page's Play for ``group`` (hold its lock), unless the trainer has
        started the group on another exercise since Play was pressed (``exercise``: the
        group's :attr:`Group.exercise`, read under its lock at the click): returns whether it
        stepped. The group's stamp moves with its restart, under the same lock, so a Play
        pressed before the restart never steps the new start, and one pressed after it plays
        the new exercise (trial 24: a playing group restarted at 2020 and kept playing, years
        ahead of the class; review 24: a Play whose thread began during the trainer's load
        read the new exercise before its group had restarted)."""
        if group.exercise != exercise:
            return False
        group.step()
        return True

    def stamp(self, name: str) -> tuple[int, int] | None:
        """(store version, group version) of group ``name`` as it is now, or None if the group
        is not kept (nor valid): a page whose drawing is older redraws. Neither joins the group
        nor counts as using it, so an open page does not keep an idle group."""
        try:
            key = group_key(name)
        except InputError:
            return None
        with self._lock:
            group = self._groups.get(key)
            return None if group is None else (self.version, group.version)

    def names(self) -> list[str]:
        """Names of the groups kept now."""
        with self._lock:
            return [g.name for g in self._groups.values()]

    @contextmanager
    def use(self, name: str) -> Iterator[Group]:
        """Hold group ``name``'s lock and give its :class:`Group`, joining it (with a new
        model) if it is not here.

        Raises
        ------
        InputError
            If ``name`` is not a valid group name, or the store is full of active groups.
        """
        key = group_key(name)
        while True:
            group = self._get(key, name)
            with group.lock:
                if group.closed:  # dropped between the look-up and the lock: join again
                    continue
                if group.model is None:
                    group.restart()
                group.last_used = self.clock()
                yield group
                return

    def step(self, name: str) -> int:
        """Advance group ``name``'s model by one year; returns the model's year."""
        with self.use(name) as group:
            group.step()
            return group.model.year

    def reset(self, name: str, seed: int | None = None) -> None:
        """Start group ``name``'s model again (with ``seed``, default the group's seed) and
        release the old one. Lever switches start off; the lever settings (values, "Where",
        years) are kept, and are what a lever switched on again applies; the model starts with
        the group's parameters."""
        with self.use(name) as group:
            group.restart(seed)

    def drop_idle(self) -> list[str]:
        """Drop the groups unused for ``idle_seconds`` and release their models; returns their names."""
        with self._lock:
            dropped = self._take_idle()
        self._close(dropped)
        return [g.name for g in dropped]

    def clear(self) -> None:
        """Drop every group and release its model (server shutdown, tests)."""
        with self._lock:
            dropped = list(self._groups.values())
            self._groups.clear()
        self._close(dropped)

    def _get(self, key: str, name: str) -> Group:
        with self._lock:
            dropped = self._take_idle()
            group = self._groups.get(key)
            full = group is None and len(self._groups) >= self.max_groups
            if group is None and not full:
                group = self._groups[key] = Group(name=" ".join(name.split()), seed=self.seed,
                                                  factory=self.factory, twins=self.twins, exercise=self.exercise)
            if group is not None:
                group.last_used = self.clock()  # not idle while its user waits for the lock
        self._close(dropped)  # outside the store lock: may wait for a dropped group's step
        if full:
            raise InputError("dashboard", "group", f"one of the {self.max_groups} groups already on this server "
                             f"(no more fit; groups unused for {self.idle_seconds / 60:.0f} min are freed)")
        return group

    def _take_idle(self) -> list[Group]:
        now = self.clock()
        idle = [k for k, g in self._groups.items() if now - g.last_used >= self.idle_seconds]
        return [self._groups.pop(k) for k in idle]

    @staticmethod
    def _close(groups: list[Group]) -> None:
        for group in groups:
            with group.lock:  # waits for a step or reset in progress
                group.closed = True
                for model in (group.model, group.twin):
                    if model is not None:
                        model.release()
                group.model = group.twin = group.territory_map = group.figures = None
