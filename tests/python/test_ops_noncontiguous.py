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
