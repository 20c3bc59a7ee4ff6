"""Execution engines: where runs execute. Results never depend on the engine.

``LocalEngine`` uses worker processes on this machine (``concurrent.futures``);
``DaskEngine`` sends the same function to a Dask distributed cluster. Both yield each
spec with its payload or its exception, in completion order, keeping only a bounded number
of runs in flight so that memory stays flat for designs of any size.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from ..errors import InputError
from .runs import RunSpec, execute_run

Outcome = tuple[RunSpec, bytes | None, BaseException | None]


COMPILE_TIME = "one to two minutes on a 2-core machine"
"""How long the first run compiles, as the README says it: about 90 CPU s (the adviser's trial
of session 24: the first run of a compare finished after 1 min 25 s on 2 idle cores; 2 min 27 s
from a clean cache with other work on them, session 24). It said "under a minute"."""
COMPILE_NOTICE = f"compiling the model's rules (first run only, {COMPILE_TIME}; cached for later runs)"
"""Printed to standard error when the compiled kernels are not yet cached."""


def kernels_need_compiling() -> bool:
    """True when numba's on-disk cache lacks a current compiled version of any model kernel
    (a fresh install, an edited ``kernels.py``, or a new ``NUMBA_CACHE_DIR``).

    Cheap: it reads each kernel's small cache index, without compiling anything. Returns
    False when the cache cannot be inspected (a numba without this layout).
    """
    from ..model import kernels

    try:
        dispatchers = [getattr(v, "compiled", v) for v in vars(kernels).values()]
        caches = [d._cache for d in dispatchers if hasattr(d, "_cache") and hasattr(d, "py_func")
                  and d.py_func.__module__ == kernels.__name__]
        return any(not cache._cache_file._load_index() for cache in caches)
    except Exception:  # numba's cache layout is not public API: say nothing rather than fail
        return False


def compile_notice(stream=None) -> bool:
    """Print :data:`COMPILE_NOTICE` to ``stream`` (standard error) if the kernels will compile
    on this run; returns whether it did."""
    if not kernels_need_compiling():
        return False
    print(COMPILE_NOTICE, file=stream or sys.stderr, flush=True)
    return True


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class SerialEngine:
    """Runs in this process, one after another (tests, debugging, one-core machines)."""

    def map(self, specs: Iterable[RunSpec], fn: Callable[[RunSpec], bytes] = execute_run) -> Iterator[Outcome]:
        for spec in specs:
            try:
                yield spec, fn(spec), None
            except Exception as exc:  # a failing run is recorded, the others go on
                yield spec, None, exc

    def close(self) -> None:
        pass


def worker_context():
    """Where worker processes come from: forked from a server process that imported the
    model once (multiprocessing's "forkserver", started once per process and reused by every
    pool), where the platform has it. A worker then costs a fork instead of a fresh
    interpreter's imports (about 3 CPU s each under "spawn", which ``import mesa`` sets for
    the whole process). The server is single-threaded, so forking it is safe where forking
    this process (threads of a progress bar or a web server) might not be. Results do not
    depend on it (each run is built from its spec and seed)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():  # pragma: no cover - Windows
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([execute_run.__module__])
    return context


class LocalEngine:
    """Worker processes on this machine."""

    def __init__(self, workers: int | None = None):
        self.workers = workers or default_workers()
        self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=worker_context())

    def map(self, specs: Iterable[RunSpec], fn: Callable[[RunSpec], bytes] = execute_run) -> Iterator[Outcome]:
        pending: dict = {}
        queue = iter(specs)
        limit = 2 * self.workers
        exhausted = False
        while pending or not exhausted:
            while not exhausted and len(pending) < limit:
                spec = next(queue, None)
                if spec is None:
                    exhausted = True
                    break
                pending[self._pool.submit(fn, spec)] = (spec, self._pool)
            if not pending:
                break
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                spec, pool = pending.pop(future)
                error = future.exception()
                if isinstance(error, BrokenProcessPool):
                    # a worker died (e.g. out of memory): the runs it took down fail, a new pool goes on
                    error = RuntimeError("the worker process running this run died")
                    if pool is self._pool:
                        self._renew_pool()
                yield spec, (None if error else future.result()), error

    def _renew_pool(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=worker_context())

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)


class DaskEngine:
    """A Dask distributed cluster at ``address`` (``tcp://host:port``)."""

    def __init__(self, address: str, timeout: float = 10.0):
        try:
            from distributed import Client
        except ImportError:
            raise InputError("--scheduler", "dask", "the Dask extra installed: pip install 'territory-abm[dask]'") from None
        try:
            self._client = Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise InputError("--scheduler", address, f"a reachable Dask scheduler ({exc})") from None
        self.workers = max(sum(self._client.nthreads().values()), 1)

    def map(self, specs: Iterable[RunSpec], fn: Callable[[RunSpec], bytes] = execute_run) -> Iterator[Outcome]:
        from distributed import as_completed

        queue = iter(specs)
        limit = 2 * self.workers
        pending: dict = {}
        for spec in queue:
            pending[self._client.submit(fn, spec, pure=False)] = spec
            if len(pending) >= limit:
                break
        completed = as_completed(list(pending), loop=self._client.loop)
        for future in completed:
            spec = pending.pop(future)
            try:
                yield spec, future.result(), None
            except Exception as exc:
                yield spec, None, exc
            future.release()
            nxt = next(queue, None)
            if nxt is not None:
                new = self._client.submit(fn, nxt, pure=False)
                pending[new] = nxt
                completed.add(new)

    def close(self) -> None:
        self._client.close()


def make_engine(workers: int | None = None, scheduler: str | None = None):
    """The engine the command line asks for: Dask if ``scheduler``, serial for one worker,
    else local worker processes."""
    if scheduler:
        return DaskEngine(scheduler)
    if workers == 1:
        return SerialEngine()
    return LocalEngine(workers)
