"""torkeras side of the Keras comparison tests.

`load(area)` runs tests/keras_reference/<area>.py with the Python of
.venv-keras (real Keras 3 on the same CPU torch; scripts/setup.sh creates it)
and returns the arrays it stored. Results are cached in
.cache/keras_reference/, keyed by the script, refkit.py and the Keras version,
so each reference runs once until one of them changes.

Without .venv-keras the tests that need it are skipped, except when
TORKERAS_REQUIRE_KERAS_REFERENCE=1 (scripts/test.sh sets it: `make test`
always compares against Keras) -- then they fail.
"""
import hashlib
import os
import subprocess
import sys

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPTS = os.path.join(ROOT, "tests", "keras_reference")
KERAS_PYTHON = os.path.join(ROOT, ".venv-keras", "bin", "python")
CACHE = os.path.join(ROOT, ".cache", "keras_reference")

_loaded = {}


def keras_python():
    """The reference interpreter, or skip/fail the calling test when it is missing."""
    if os.path.exists(KERAS_PYTHON):
        return KERAS_PYTHON
    message = (f"{KERAS_PYTHON} not found: run scripts/setup.sh to create the Keras 3 "
               "reference virtualenv")
    if os.environ.get("TORKERAS_REQUIRE_KERAS_REFERENCE") == "1":
        pytest.fail(message)
    pytest.skip(message)


def _fingerprint(script):
    digest = hashlib.sha256()
    # Helper modules a script imports are named after it (ops_numpy_cases.py
    # for ops_numpy.py): they are part of the key too.
    stem = os.path.splitext(os.path.basename(script))[0]
    helpers = sorted(os.path.join(SCRIPTS, name) for name in os.listdir(SCRIPTS)
                     if name.startswith(stem + "_") and name.endswith(".py"))
    for path in [script, os.path.join(SCRIPTS, "refkit.py")] + helpers:
        with open(path, "rb") as f:
            digest.update(f.read())
    # The installed Keras and torch versions are part of the key.
    pins = os.path.join(ROOT, ".stamps", "venv-keras")
    if os.path.exists(pins):
        with open(pins, "rb") as f:
            digest.update(f.read())
    return digest.hexdigest()[:16]


def load(area):
    """The arrays tests/keras_reference/<area>.py computed with real Keras, by key."""
    if area in _loaded:
        return _loaded[area]
    python = keras_python()
    script = os.path.join(SCRIPTS, f"{area}.py")
    if not os.path.exists(script):
        raise FileNotFoundError(f"no reference script {script}")
    os.makedirs(CACHE, exist_ok=True)
    target = os.path.join(CACHE, f"{area}-{_fingerprint(script)}.npz")
    if not os.path.exists(target):
        partial = f"{target}.{os.getpid()}.partial.npz"
        env = dict(os.environ, KERAS_BACKEND="torch", CUDA_VISIBLE_DEVICES="",
                   PYTHONPATH=SCRIPTS)
        env.pop("PYTHONHOME", None)
        result = subprocess.run([python, script, partial], cwd=SCRIPTS, env=env,
                                capture_output=True, text=True, timeout=900)
        if result.returncode != 0 or not os.path.exists(partial):
            tail = "\n".join((result.stdout + result.stderr).splitlines()[-40:])
            pytest.fail(f"Keras reference script {area}.py failed "
                        f"(exit {result.returncode}):\n{tail}")
        os.replace(partial, target)
    with np.load(target, allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    _loaded[area] = arrays
    return arrays


def cases(arrays, prefix):
    """The keys of `arrays` under `prefix/`, without the prefix, e.g. the case names."""
    start = prefix.rstrip("/") + "/"
    return sorted({key[len(start):].split("/")[0] for key in arrays if key.startswith(start)})


def assert_matches(actual, expected, rtol=1e-6, atol=1e-7, what=""):
    """torkeras's value equals Keras's: same shape, values within rtol/atol."""
    if hasattr(actual, "detach"):
        actual = actual.detach().cpu().numpy()
    elif hasattr(actual, "numpy") and not isinstance(actual, np.ndarray):
        actual = actual.numpy()
    actual = np.asarray(actual)
    expected = np.asarray(expected)
    assert actual.shape == expected.shape, (
        f"{what}: shape {actual.shape} != Keras's {expected.shape}")
    if expected.dtype.kind in "biuU":
        np.testing.assert_array_equal(actual, expected, err_msg=what)
    else:
        np.testing.assert_allclose(actual.astype(np.float64), expected.astype(np.float64),
                                   rtol=rtol, atol=atol, equal_nan=True, err_msg=what)


if __name__ == "__main__":  # python tests/python/keras_reference.py AREA: print the keys
    for key, value in load(sys.argv[1]).items():
        print(key, value.shape, value.dtype)
