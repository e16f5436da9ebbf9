"""keras.ops.numpy: torkeras against real Keras 3 (torch backend).

The cases are in tests/keras_reference/ops_numpy_cases.py; the reference
values come from tests/keras_reference/ops_numpy.py. Every case compares the
values and the result dtypes of the eager call, and, where Keras can trace the
op symbolically, the shapes and dtypes of the symbolic call.
"""
import sys

import numpy as np
import pytest

import keras_reference
import torkeras as keras
from torkeras.graph.keras_tensor import KerasTensor

sys.path.insert(0, keras_reference.SCRIPTS)
import ops_numpy_cases as C  # noqa: E402

CASES = {name: (fn, args, kwargs) for name, fn, args, kwargs in C.cases()}

# Cases whose formula differs from Keras's in the order of float32 operations
# (a few ulps): a looser relative tolerance, each with its reason.
LOOSE = {
    # torch.linalg.slogdet and torch.corrcoef: same kernels, but batched
    # LU/means may round differently in the last bit.
    "corrcoef/f": 1e-5, "corrcoef/i": 1e-5,
}


@pytest.fixture(scope="module")
def ref():
    return keras_reference.load("ops_numpy")


def _inputs(ref):
    return {key[len("input/"):]: value for key, value in ref.items()
            if key.startswith("input/")}


def _flat(out):
    return list(out) if isinstance(out, (list, tuple)) else [out]


def _symbolic(value, inputs):
    if isinstance(value, C.A):
        array = inputs[value.name]
        return KerasTensor(array.shape, dtype=str(array.dtype))
    if isinstance(value, list):
        return [_symbolic(v, inputs) for v in value]
    if isinstance(value, tuple):
        return tuple(_symbolic(v, inputs) for v in value)
    if isinstance(value, dict):
        return {k: _symbolic(v, inputs) for k, v in value.items()}
    return value


def _check_partition(case, actual, x, kth, axis):
    idx = np.asarray(actual).astype(np.int64)
    if axis is None:
        x, axis = x.reshape(-1), 0
    axis %= x.ndim
    values = np.take_along_axis(x, idx, axis=axis)
    expected = np.sort(x, axis=axis)
    kth_values = np.take(values, [kth], axis=axis)
    np.testing.assert_array_equal(kth_values, np.take(expected, [kth], axis=axis),
                                  err_msg=case)
    assert np.all(np.take(values, range(kth), axis=axis) <= kth_values), case
    assert np.all(np.take(values, range(kth + 1, x.shape[axis]), axis=axis) >= kth_values), case
    # every index exactly once
    np.testing.assert_array_equal(np.sort(idx, axis=axis),
                                  np.broadcast_to(np.arange(x.shape[axis]).reshape(
                                      [-1 if a == axis else 1 for a in range(x.ndim)]),
                                      idx.shape), err_msg=case)


@pytest.mark.parametrize("case", sorted(CASES))
def test_matches_keras(ref, case):
    fn_name, args, kwargs = CASES[case]
    inputs = _inputs(ref)
    fn = getattr(keras.ops, fn_name)
    call_args, call_kwargs = C.resolve(args, inputs), C.resolve(kwargs, inputs)
    if f"{case}/error" in ref:
        with pytest.raises(Exception):
            fn(*call_args, **call_kwargs)
        return
    outputs = _flat(fn(*call_args, **call_kwargs))
    expected_n = len([k for k in ref if k.startswith(f"{case}/out/")])
    assert len(outputs) == expected_n, f"{case}: {len(outputs)} outputs, Keras has {expected_n}"
    for k, actual in enumerate(outputs):
        expected = ref[f"{case}/out/{k}"]
        what = f"{case} output {k}"
        assert keras.ops.dtype(actual) == str(ref[f"{case}/dtype/{k}"]), (
            f"{what}: dtype {keras.ops.dtype(actual)} != Keras's {ref[f'{case}/dtype/{k}']}")
        if case in C.PARTITION_CASES:
            x = call_args[0]
            axis = call_kwargs.get("axis", -1)
            _check_partition(case, keras.ops.convert_to_numpy(actual), x, call_args[1], axis)
            if x.dtype.kind in "iu":
                # Keras partitions integers exactly too (floats it truncates
                # to int32 first, see docs/numerics.md): the kth+1 smallest
                # values are the same on both sides.
                def low(idx, axis=axis, x=x, k=call_args[1]):
                    flat = x.reshape(-1) if axis is None else x
                    a = 0 if axis is None else axis
                    vals = np.take_along_axis(flat, np.asarray(idx).astype(np.int64), a)
                    return np.sort(np.take(vals, range(k + 1), axis=a), axis=a)
                np.testing.assert_array_equal(low(keras.ops.convert_to_numpy(actual)),
                                              low(expected), err_msg=case)
            continue
        if fn_name in C.SHAPE_ONLY:
            assert tuple(actual.shape) == expected.shape, what
            continue
        keras_reference.assert_matches(actual, expected, rtol=LOOSE.get(case, 1e-6),
                                       atol=1e-6, what=what)


SYMBOLIC = sorted(case for case, (fn, args, kwargs) in CASES.items()
                  if any(isinstance(a, C.A) for a in args))
# Where Keras's symbolic spec disagrees with its own eager result, the eager
# result is the truth: nonzero traces to a tuple of 1-D tensors but returns
# one (ndim, count) tensor on torch (torkeras: shape (ndim, None)).
SYMBOLIC_SHAPES = {"nonzero/2d": [(2, None)], "nonzero/bool": [(2, None)],
                   "nonzero/1d": [(1, None)], "where/condition_only": [(2, None)]}


@pytest.mark.parametrize("case", SYMBOLIC)
def test_symbolic_matches_keras(ref, case):
    """Symbolic outputs have Keras's eager dtypes and shapes; dimensions Keras
    leaves unknown when tracing (data-dependent sizes) are unknown too."""
    if f"{case}/sym_shape/0" not in ref:
        pytest.skip("Keras cannot trace this call symbolically")
    fn_name, args, kwargs = CASES[case]
    inputs = _inputs(ref)
    out = _flat(getattr(keras.ops, fn_name)(*_symbolic(args, inputs),
                                             **_symbolic(kwargs, inputs)))
    expected_n = len([k for k in ref if k.startswith(f"{case}/out/")])
    assert len(out) == expected_n, f"{case}: {len(out)} symbolic outputs, Keras has {expected_n}"
    for k, value in enumerate(out):
        eager = ref[f"{case}/out/{k}"]
        traced = ref.get(f"{case}/sym_shape/{k}")
        if case in SYMBOLIC_SHAPES:
            expected = SYMBOLIC_SHAPES[case][k]
        elif traced is not None and len(traced) == eager.ndim:
            expected = tuple(None if t == -1 else e for t, e in zip(traced.tolist(), eager.shape))
        else:
            expected = eager.shape
        assert tuple(value.shape) == tuple(expected), (
            f"{case} output {k}: symbolic shape {value.shape} != {expected}")
        assert value.dtype == str(ref[f"{case}/dtype/{k}"]), (
            f"{case} output {k}: symbolic dtype {value.dtype} != Keras's eager "
            f"{ref[f'{case}/dtype/{k}']}")


@pytest.mark.parametrize("a", C.PROMOTION_DTYPES)
def test_result_type_matches_keras(ref, a):
    """torkeras's promotion lattice gives keras.backend.result_type's dtypes."""
    from torkeras.ops.numpy import result_type
    as_dtype = {"int": int, "float": float}
    for b in C.PROMOTION_DTYPES:
        expected = str(ref[f"result_type/{a}/{b}"])
        assert result_type(as_dtype.get(a, a), as_dtype.get(b, b)) == expected, (a, b)


# Calls Keras on torch cannot make but torkeras can: what torkeras returns.
ACCEPTED_BEYOND_KERAS = {
    # torch.round has no bool kernel; torkeras returns booleans unchanged.
    "matrix/round/bool": lambda ref: ref["matrix_input/bool"],
}
# torch.histogram has no integer kernels; torkeras bins integers as floats.
ACCEPTED_BEYOND_KERAS.update({
    f"matrix/histogram_row/{a}": (
        lambda ref, a=a: np.histogram(ref[f"matrix_input/{a}"][0].astype("float32"), bins=3)[0])
    for a in ("bool", "uint8", "int8", "int16", "int32", "int64")})


def _matrix_check(ref, key, call):
    """'' when torkeras agrees with Keras on `key`, else what differs."""
    if key in ACCEPTED_BEYOND_KERAS:
        out = _flat(call())[0]
        np.testing.assert_array_equal(keras.ops.convert_to_numpy(out),
                                      ACCEPTED_BEYOND_KERAS[key](ref), err_msg=key)
        return ""
    if f"{key}/error" in ref:
        try:
            call()
        except Exception:
            return ""
        return f"{key}: Keras raised ({ref[f'{key}/error']}), torkeras did not"
    try:
        outputs = _flat(call())
    except Exception as e:
        return f"{key}: torkeras raised {type(e).__name__}: {e}"
    expected_n = len([k for k in ref if k.startswith(f"{key}/out/")])
    if len(outputs) != expected_n:
        return f"{key}: {len(outputs)} outputs, Keras has {expected_n}"
    for k, out in enumerate(outputs):
        if keras.ops.dtype(out) != str(ref[f"{key}/dtype/{k}"]):
            return f"{key}: dtype {keras.ops.dtype(out)} != Keras's {ref[f'{key}/dtype/{k}']}"
        try:
            keras_reference.assert_matches(out, ref[f"{key}/out/{k}"], rtol=1e-6, atol=1e-6,
                                           what=key)
        except AssertionError as e:
            return f"{key}: values differ: {str(e)[:300]}"
    return ""


@pytest.mark.parametrize("name", C.MATRIX_UNARY)
def test_unary_dtype_matrix_matches_keras(ref, name):
    """Result dtypes and values over inputs of every dtype (float16 at its
    own precision: Keras and torkeras run the same float16 kernels)."""
    problems = [_matrix_check(ref, f"matrix/{name}/{a}",
                              lambda a=a: C.matrix_call(keras.ops, name,
                                                        ref[f"matrix_input/{a}"]))
                for a in C.MATRIX_DTYPES]
    problems = [p for p in problems if p]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", C.MATRIX_BINARY)
def test_binary_dtype_matrix_matches_keras(ref, name):
    """Result dtypes and values over every pair of input dtypes, and with
    Python int/float scalars as the second operand."""
    problems = []
    for a in C.MATRIX_DTYPES:
        seconds = [(b, ref[f"matrix_input/{b}"]) for b in C.MATRIX_DTYPES] + list(
            C.MATRIX_SCALARS.items())
        for b, value in seconds:
            problems.append(_matrix_check(
                ref, f"matrix/{name}/{a}/{b}",
                lambda a=a, value=value: C.matrix_call(keras.ops, name,
                                                       ref[f"matrix_input/{a}"], value)))
    problems = [p for p in problems if p]
    assert not problems, f"{len(problems)} mismatches:\n" + "\n".join(problems[:40])
