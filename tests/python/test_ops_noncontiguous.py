"""Ops on inputs whose memory is not C-contiguous (R matrices are column-major,
transposes are views): the results equal numpy's."""
import numpy as np

import torkeras as keras


def test_kron_of_column_major_and_transposed_inputs():
    a = np.asfortranarray(np.arange(6.0).reshape(2, 3))
    b = np.arange(4.0).reshape(2, 2).T
    out = keras.ops.convert_to_numpy(keras.ops.kron(a, b))
    np.testing.assert_array_equal(out, np.kron(a, b))
    t = keras.ops.transpose(keras.ops.convert_to_tensor(a))
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(keras.ops.kron(t, b)), np.kron(a.T, b))


def test_linspace_between_arrays_matches_numpy():
    start = np.array([0.0, 1.0, -2.0])
    stop = np.array([1.0, 3.0, 2.0])
    for endpoint in (True, False):
        for axis in (0, 1, -1):
            out = keras.ops.convert_to_numpy(
                keras.ops.linspace(start, stop, 5, endpoint=endpoint, axis=axis))
            np.testing.assert_allclose(out, np.linspace(start, stop, 5, endpoint=endpoint, axis=axis),
                                       rtol=1e-6, atol=1e-7)
    values, step = keras.ops.linspace(start, stop, 5, retstep=True)
    _, np_step = np.linspace(start, stop, 5, retstep=True)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(step), np_step, rtol=1e-6)
    # a scalar end broadcasts against an array start
    np.testing.assert_allclose(keras.ops.convert_to_numpy(keras.ops.linspace(start, 2.0, 3)),
                               np.linspace(start, 2.0, 3), rtol=1e-6)
    import pytest
    with pytest.raises(ValueError, match="axis"):
        keras.ops.linspace(start, stop, 5, axis=2)
