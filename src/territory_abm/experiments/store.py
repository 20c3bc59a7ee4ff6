"""Results store of an experiment: one SQLite file in the output directory.

SQLite commits are atomic and survive a killed process (rollback journal), so a crash
loses at most the runs that had not been committed. The driver commits each finished run
as it arrives, or the runs that arrive within a second of the last commit together
(:meth:`ResultStore.batch`: one sync to disk for many small runs). The manifest (design, seeds, package version, scenario hashes)
is stored once; opening the store with a different design is refused, so one directory
never mixes two experiments.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import traceback
from contextlib import contextmanager
from pathlib import Path

from .. import __version__
from ..errors import InputError

STORE_NAME = "results.sqlite"
RUN_MARKER = "run.json"
"""The file a finished ``run`` writes last in its output directory (``runner.write_outputs``)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS manifest (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
    description TEXT NOT NULL,
    error TEXT,
    payload BLOB
);
"""


def design_hash(design: dict) -> str:
    """Stable hash of an experiment design (plain JSON data)."""
    text = json.dumps(design, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ResultStore:
    """Runs of one experiment, keyed by run id."""

    def __init__(self, directory: Path, design: dict | None = None):
        """Open (or create) the store in ``directory``.

        With ``design``, the store must be new or hold the same design (else InputError);
        without it (reading results), the store must exist.
        """
        self.directory = Path(directory)
        self.path = self.directory / STORE_NAME
        if design is None and not self.path.is_file():
            raise InputError(self.directory, STORE_NAME, "an experiment output directory (no results store found)")
        if design is not None and not self.path.is_file() and (self.directory / RUN_MARKER).is_file():
            raise InputError(self.directory / RUN_MARKER, "--out", "a directory without a single run's outputs "
                             "(this one holds a run's, run.json): use a new --out directory")
        self.directory.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=DELETE")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)
        if design is not None:
            self._claim(design)

    def _claim(self, design: dict) -> None:
        wanted = design_hash(design)
        row = self._db.execute("SELECT value FROM manifest WHERE key = 'design_hash'").fetchone()
        if row is None:
            with self._db:
                self._db.execute("BEGIN")
                for key, value in (("design_hash", wanted), ("design", json.dumps(design, sort_keys=True, default=str)),
                                   ("package_version", __version__)):
                    self._db.execute("INSERT INTO manifest VALUES (?, ?)", (key, value))
            return
        if row[0] != wanted:
            stored = json.loads(self._db.execute("SELECT value FROM manifest WHERE key = 'design'").fetchone()[0])
            now = json.loads(json.dumps(design, sort_keys=True, default=str))
            differ = sorted(k for k in set(stored) | set(now) if stored.get(k) != now.get(k))
            raise InputError(self.path, "design",
                             f"this directory holds the results of a different experiment (its {', '.join(differ)} "
                             "differ from this command's); a directory resumes only the experiment that started "
                             "it: use a new --out directory")

    def manifest(self) -> dict:
        rows = dict(self._db.execute("SELECT key, value FROM manifest").fetchall())
        return {"design": json.loads(rows.get("design", "{}")), "design_hash": rows.get("design_hash"),
                "package_version": rows.get("package_version")}

    def finished(self) -> set[str]:
        """Run ids with a stored result."""
        return {r[0] for r in self._db.execute("SELECT run_id FROM runs WHERE status = 'ok'")}

    def put(self, description: dict, payload: bytes) -> None:
        """Commit a finished run (replacing an earlier failure of the same run)."""
        self._db.execute("INSERT OR REPLACE INTO runs VALUES (?, 'ok', ?, NULL, ?)",
                         (description["run_id"], json.dumps(description, sort_keys=True), payload))

    @contextmanager
    def batch(self):
        """Puts inside the block are committed together, or not at all."""
        self._db.execute("BEGIN")
        try:
            yield self
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def put_failure(self, description: dict, error: BaseException) -> None:
        text = "".join(traceback.format_exception_only(type(error), error)).strip()
        self._db.execute("INSERT OR REPLACE INTO runs VALUES (?, 'failed', ?, ?, NULL)",
                         (description["run_id"], json.dumps(description, sort_keys=True), text))

    def failures(self) -> list[tuple[str, str]]:
        return self._db.execute("SELECT run_id, error FROM runs WHERE status = 'failed' ORDER BY run_id").fetchall()

    def payload(self, run_id: str) -> bytes | None:
        """The stored result of one finished run (None if it has none)."""
        row = self._db.execute("SELECT payload FROM runs WHERE run_id = ? AND status = 'ok'", (run_id,)).fetchone()
        return None if row is None else row[0]

    def results(self):
        """Iterate ``(description, payload)`` of finished runs in run-id order."""
        for _run_id, description, payload in self._db.execute(
                "SELECT run_id, description, payload FROM runs WHERE status = 'ok' ORDER BY run_id"):
            yield json.loads(description), payload

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "ResultStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
