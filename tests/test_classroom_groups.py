"""The classroom dashboard's group store, without a browser: each group its own model, steps
and resets of one model never interleave, idle groups are dropped and their models released,
the number of groups is bounded. Fake models stand in for TerritoryModel (fast, and they
record what happened to them)."""

import sys
import threading
import time

import pytest

from territory_abm.dashboard.app import group_from_search
from territory_abm.dashboard.groups import GroupStore, group_key
from territory_abm.errors import InputError


class FakeModel:
    """Counts its years with a deliberately non-atomic update, and notices overlapping calls."""

    def __init__(self, seed, gate: threading.Event | None = None):
        self.seed = seed
        self.year = 0
        self.active = 0
        self.overlaps = 0
        self.released = 0
        self.released_during_step = False
        self.stepped_after_release = False
        self.gate = gate
        self.entered = threading.Event()

    def step(self):
        self.active += 1
        if self.active > 1:
            self.overlaps += 1
        if self.released:
            self.stepped_after_release = True
        self.entered.set()
        if self.gate is not None:
            assert self.gate.wait(30), "the test never opened the gate"
        year = self.year
        time.sleep(0)  # let another thread run between the read and the write
        self.year = year + 1
        self.active -= 1

    def release(self):
        if self.active:
            self.released_during_step = True
        self.released += 1


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def _store(gate=None, **options):
    """A store of fake models (listed in the order built); ``gate`` holds every step until set."""
    models = []

    def factory(seed):
        models.append(FakeModel(seed, gate))
        return models[-1]

    return GroupStore(factory, seed=7, **options), models


def _built(models, timeout=30.0):
    """The first model of ``models`` once another thread's step has built it (a loaded machine
    may not have run that thread yet when the test looks)."""
    deadline = time.monotonic() + timeout
    while not models:
        assert time.monotonic() < deadline, "no model was built"
        time.sleep(0.01)
    return models[0]


@pytest.fixture
def fast_switching():
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # make any missing lock show up as lost or overlapping years
    yield
    sys.setswitchinterval(previous)


def test_each_group_has_its_own_model_and_choices():
    store, models = _store()
    with store.use("Los Robles") as a:
        a.language = "es"
        a.lever_settings = {"cash_transfer": {"amount": 500.0}}
    store.step("Los Robles")
    with store.use("El Cedro") as b:
        assert b.model is not models[0]
        assert (b.language, b.lever_settings, b.model.year) == ("en", {}, 0)
    with store.use("  los   ROBLES ") as again:  # same group: spaces and case do not matter
        assert again.model is models[0] and again.model.year == 1 and again.language == "es"
        assert again.name == "Los Robles"
    assert sorted(store.names()) == ["El Cedro", "Los Robles"]


@pytest.mark.parametrize("name", ["", "   ", "_x", "a" * 31, "<script>", "a/b"])
def test_a_bad_group_name_is_an_input_error(name):
    with pytest.raises(InputError, match="group name of 1-30 letters"):
        group_key(name)


def test_the_group_is_read_from_the_address():
    assert group_from_search("group=Los%20Robles&x=1") == "Los Robles"
    assert group_from_search("x=1") == group_from_search(None) == ""


def test_concurrent_steps_of_one_model_never_interleave(fast_switching):
    store, models = _store()
    threads = [threading.Thread(target=lambda: [store.step("A") for _ in range(50)]) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert models[0].year == 300 and models[0].overlaps == 0


def test_resets_during_steps_release_each_old_model_once_after_its_last_step(fast_switching):
    store, models = _store()

    def steps():
        for _ in range(40):
            store.step("A")

    def resets():
        for seed in range(10):
            store.reset("A", seed)

    threads = [threading.Thread(target=steps) for _ in range(3)] + [threading.Thread(target=resets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(models) == 11
    assert [m.released for m in models] == [1] * 10 + [0]
    assert not any(m.stepped_after_release or m.released_during_step or m.overlaps for m in models)
    with store.use("A") as group:
        assert group.model is models[-1] and group.seed == 9


def test_groups_step_in_parallel_without_waiting_for_each_other():
    gate = threading.Event()
    store, models = _store(gate=gate)
    blocked = threading.Thread(target=store.step, args=("A",))
    blocked.start()
    assert _built(models).entered.wait(30)  # A's step holds A's lock until the gate opens
    with store.use("B") as b:  # B is not held up by A
        assert b.model is not models[0]
    gate.set()
    blocked.join()
    assert models[0].year == 1


def test_idle_groups_are_dropped_and_their_model_released():
    clock = Clock()
    store, models = _store(idle_seconds=600, clock=clock)
    store.step("A")
    clock.now = 300
    store.step("B")
    clock.now = 700  # A unused for 700 s, B for 400 s
    assert store.drop_idle() == ["A"]
    assert models[0].released == 1 and models[1].released == 0
    with store.use("A") as a:  # A joins again: a fresh model from the start
        assert a.model is models[2] and a.model.year == 0
    clock.now = 1400
    with store.use("C"):  # any use drops the groups left idle
        pass
    assert models[1].released == 1 and models[2].released == 1
    assert store.names() == ["C"]


def test_dropping_a_group_waits_for_its_step_to_finish():
    clock = Clock()
    gate = threading.Event()
    store, models = _store(idle_seconds=60, clock=clock, gate=gate)
    stepping = threading.Thread(target=store.step, args=("A",))
    stepping.start()
    assert _built(models).entered.wait(30)
    clock.now = 100
    dropping = threading.Thread(target=store.drop_idle)
    dropping.start()
    deadline = time.monotonic() + 30
    while "A" in store.names():  # the dropper has taken A out and now waits for A's lock
        assert time.monotonic() < deadline, "A was not dropped"
        time.sleep(0.01)
    gate.set()
    stepping.join()
    dropping.join()
    assert models[0].year == 1 and models[0].released == 1 and not models[0].released_during_step


def test_the_number_of_groups_is_bounded():
    clock = Clock()
    store, models = _store(max_groups=2, idle_seconds=600, clock=clock)
    store.step("A")
    store.step("B")
    with pytest.raises(InputError, match="one of the 2 groups"), store.use("C"):
        pass
    store.step("A")  # groups already here still work
    clock.now = 700  # both idle: C may join, A and B are freed
    with store.use("C"):
        pass
    assert store.names() == ["C"] and [m.released for m in models[:2]] == [1, 1]


def test_clear_releases_every_model():
    store, models = _store()
    for name in ("A", "B", "C"):
        store.step(name)
    store.clear()
    assert store.names() == [] and [m.released for m in models] == [1, 1, 1]


# ------------------------------------------------ every page of a group follows it (trial 16, items 4 and 5)


@pytest.fixture
def watch(monkeypatch):
    """``watch(store, name, shown)``: a page of group ``name`` that drew ``shown[0]`` starts
    watching (app.watch_group); returns the event its redraw sets. Stopped after the test."""
    from territory_abm.dashboard import app

    monkeypatch.setattr(app, "WATCH_INTERVAL", 0.01)
    cancel = threading.Event()

    def start(store, name: str, shown: list) -> threading.Event:
        monkeypatch.setattr(app, "store", lambda: store)
        redrawn = threading.Event()
        threading.Thread(target=app.watch_group, args=(cancel, name, shown, redrawn.set), daemon=True).start()
        return redrawn

    yield start
    cancel.set()


@pytest.mark.parametrize("change", ["step", "reset"])
def test_a_second_page_of_a_group_redraws_when_the_first_steps_or_resets(watch, change):
    store, _ = _store()
    store.step("A")
    shown = [store.stamp("A")]  # page B drew the group as it is now
    redrawn = watch(store, "A", shown)
    assert not redrawn.wait(0.2)  # nothing changed: no redraw
    store.step("A") if change == "step" else store.reset("A", seed=10)  # page A
    assert redrawn.wait(5), f"page B still shows the group before its {change}"


def test_a_page_does_not_keep_a_dropped_group_alive(watch):
    clock = Clock()
    store, _ = _store(clock=clock, idle_seconds=10)
    store.step("A")
    shown = [store.stamp("A")]
    clock.now = 11.0
    assert store.drop_idle() == ["A"]
    redrawn = watch(store, "A", shown)
    assert not redrawn.wait(0.2) and store.names() == []  # a redraw would join it again


def test_a_page_redrawn_when_an_exercise_is_loaded_finds_its_group_restarted():
    """The store's version moves after the groups start again, not before: a page redrawn on it
    showed its group's old run (the trial's idle pages kept "2022" until clicked)."""
    store, _ = _store()
    store.step("A")
    seen = []

    def factory(seed):
        seen.append(store.version)  # what a page redrawn now would see
        return FakeModel(seed)

    before = store.version
    store.load(factory, 8)
    assert seen == [before] and store.version == before + 1


def test_the_seed_box_follows_a_reset_with_another_seed_made_on_another_page():
    """Trial 16: after A reset with seed 10, B's box still said 7 and B's Reset would use 7."""
    import dataclasses

    import ipyvuetify as v
    import solara

    from territory_abm.dashboard.app import Controls, View

    fields = {f.name: None for f in dataclasses.fields(View)}
    fields.update(name="A", language="en", year=2020, steps=0, seed=7, hold_axes=False, large_text=False,
                  locked=False)
    group_seed = {}

    @solara.component
    def PageB():  # page B, drawn again with the group's view after page A's reset
        seed, set_seed = solara.use_state(7)
        group_seed["set"] = set_seed
        Controls(View(**{**fields, "seed": seed}), lambda *a, **k: True, False, lambda: None, lambda: None)

    _, rc = solara.render(PageB(), handle_error=False)
    assert [s.widget.v_model for s in rc.find(v.Slider)] == [7]
    group_seed["set"](10)
    assert [s.widget.v_model for s in rc.find(v.Slider)] == [10]
    rc.close()


@pytest.mark.parametrize("steps, said", [(20, False), (21, True)])
def test_the_page_says_when_a_group_steps_past_the_exercise_s_years(steps, said):
    """A group can step on past its exercise's years (the browser trial went to step 21 and the
    page said nothing): past them the page says the run goes on and the guide's figures stop."""
    import dataclasses

    import ipyvuetify as v
    import solara

    from territory_abm.dashboard.app import Controls, View

    fields = {f.name: None for f in dataclasses.fields(View)}
    fields.update(name="A", language="en", year=2020 + steps, steps=steps, seed=7, hold_axes=False, large_text=False,
                  locked=False, horizon=20)

    @solara.component
    def Page():
        Controls(View(**fields), lambda *a, **k: True, False, lambda: None, lambda: None)

    _, rc = solara.render(Page(), handle_error=False)
    texts = " ".join(str(w.widget.children) for w in rc.find(v.Html))
    assert ("Past the scenario's 20 years" in texts) == said
    rc.close()


def test_play_stops_when_the_trainer_starts_every_group_on_an_exercise():
    """Trial 24: "Start every group on this exercise" restarted a playing group at 2020 and its
    Play went on, years ahead of the class within seconds. A page's Play steps through
    ``play_step`` with the group's exercise read under its lock at the click; once the trainer's
    load has restarted the group, that Play steps no more, and a Play pressed after it does."""
    store, models = _store()
    with store.use("A") as group:
        pressed = group.exercise  # Play pressed on the first exercise
        assert store.play_step(group, pressed) and group.model.year == 1
    store.load(lambda seed: FakeModel(seed), 8)
    with store.use("A") as group:
        assert not store.play_step(group, pressed)
        assert group.model.year == 0  # the new start, not stepped
        again = group.exercise  # Play pressed on the new exercise
        assert store.play_step(group, again)
    store.set_locked(True)
    store.set_locked(False)
    with store.use("A") as group:  # a lock moves the store's version, not the exercise: a Play goes on after it
        assert store.play_step(group, again) and group.model.year == 2
    with store.use("B") as group:  # a group joining after the load starts on it
        assert group.exercise == again


def test_a_play_pressed_while_the_load_waits_for_the_group_stops_at_its_restart():
    """Review 24: the Play loop read the store's exercise, which the load moves before it
    restarts the groups one by one; a Play pressed in that window read the new number while its
    group still ran the old exercise, and went on playing after the restart. The stamp a page
    reads is the group's own, under its lock, and moves only with the group's restart."""
    store, models = _store()
    seen = {}

    def press_play_during_the_load(group):  # holds A's lock, as a page's click does
        loader.start()
        deadline = time.monotonic() + 30
        while store.exercise == 0:  # the load has moved the store's number and waits for A
            assert time.monotonic() < deadline
            time.sleep(0.001)
        seen["stamp"], seen["seed"] = group.exercise, group.model.seed

    loader = threading.Thread(target=lambda: store.load(lambda seed: FakeModel(seed), 8))
    with store.use("A") as group:
        press_play_during_the_load(group)
    loader.join(30)
    assert seen == {"stamp": 0, "seed": 7}  # the old exercise's stamp with the old model
    with store.use("A") as group:  # after the restart that Play steps no more
        assert group.model.seed == 8 and not store.play_step(group, seen["stamp"]) and group.model.year == 0
