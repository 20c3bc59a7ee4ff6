"""numpy's AVX-512 code paths are off in the package's processes (territory_abm.vector_paths):
seeded runs give the same bits on x86-64 machines with and without AVX-512 (on an AVX-512
machine with them on, the bundled example observations came out 70 persons apart in a
municipality's 2020 population, session 31). Each check runs in a fresh interpreter, since numpy
reads the variable once, at its first import."""

import json
import os
import platform
import subprocess
import sys

import pytest

VARIABLE = "NPY_DISABLE_CPU_FEATURES"


def _python(code: str, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != VARIABLE}
    environ.update(env)
    return subprocess.run([sys.executable, "-W", "always", "-c", code], capture_output=True, text=True, env=environ,
                          timeout=120, check=True)


@pytest.mark.skipif(platform.machine().lower() not in ("x86_64", "amd64"),
                    reason="the package sets the variable on x86-64 only (numpy names no AVX-512 paths elsewhere)")
def test_importing_the_package_first_turns_numpys_avx512_paths_off():
    result = _python("import json, os, territory_abm\n"
                     "from territory_abm.vector_paths import avx512_on\n"
                     f"print(json.dumps([os.environ['{VARIABLE}'], avx512_on()]))")
    variable, on = json.loads(result.stdout)
    assert "X86_V4" in variable.split() or "AVX512F" in variable.split()
    assert on == [] and "VectorPathWarning" not in result.stderr


def test_numpy_imported_first_warns_where_it_runs_avx512_paths():
    """On a machine with AVX-512 numpy imported first keeps its paths on and the package says
    so; on one without, there is nothing to say."""
    result = _python("import numpy, json, territory_abm\n"
                     "from territory_abm.vector_paths import avx512_on\n"
                     "print(json.dumps(avx512_on()))")
    on = json.loads(result.stdout)
    assert ("VectorPathWarning" in result.stderr) == bool(on)
    if on:
        assert "import territory_abm first" in result.stderr


@pytest.mark.parametrize("chosen", ["", "X86_V4"])
def test_a_users_own_setting_is_kept_and_not_warned_about(chosen):
    result = _python("import numpy, os, json, territory_abm\n"
                     f"print(json.dumps(os.environ['{VARIABLE}']))", **{VARIABLE: chosen})
    assert json.loads(result.stdout) == chosen and "VectorPathWarning" not in result.stderr
