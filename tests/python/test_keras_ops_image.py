"""keras.ops.image: torkeras against real Keras 3 (torch backend).

The reference script tests/keras_reference/ops_image.py stores, per case, the
function, its keyword arguments, its inputs and Keras's output; each case here
calls torkeras.ops.image the same way.
"""
import json

import numpy as np
import pytest
import torch

import keras_reference
from torkeras.ops import image as image_ops

ref = keras_reference.load("ops_image")
CASES = sorted({key.split("/")[0] for key in ref})

def _inputs(name):
    inputs = []
    while f"{name}/in{len(inputs)}" in ref:
        value = ref[f"{name}/in{len(inputs)}"]
        # torkeras turns NumPy float64 into floatx (Keras keeps it): a torch
        # tensor keeps the dtype Keras saw.
        inputs.append(torch.from_numpy(value) if value.dtype == np.float64 else value)
    return inputs


@pytest.mark.parametrize("name", CASES)
def test_matches_keras(name):
    fn = getattr(image_ops, str(ref[f"{name}/fn"]))
    kwargs = json.loads(str(ref[f"{name}/kwargs"]))
    if f"{name}/torch_seed" in ref:
        torch.manual_seed(int(ref[f"{name}/torch_seed"]))
    actual = fn(*_inputs(name), **kwargs)
    expected = ref[f"{name}/out"]
    assert actual.dtype == torch.from_numpy(np.zeros(0, expected.dtype)).dtype, name
    keras_reference.assert_matches(actual, expected, rtol=1e-6, atol=1e-7, what=name)


def test_every_image_op_is_compared():
    compared = {str(ref[f"{name}/fn"]) for name in CASES}
    assert compared == set(image_ops.__all__)
