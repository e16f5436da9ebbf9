"""keras.ops.nn: torkeras against real Keras 3 (torch backend).

tests/keras_reference/ops_nn.py stores, per case, an expression over `ops`,
its input arrays and Keras's result; each case evaluates the same expression
with torkeras.ops.
"""
import numpy as np
import pytest
import torch

import keras_reference
import torkeras
from torkeras import ops

ref = keras_reference.load("ops_nn")
CASES = sorted({key.split("/")[0] for key in ref if key.endswith("/expr")})


def _inputs(name):
    prefix = f"{name}/in/"
    return {key[len(prefix):]: ref[key] for key in ref if key.startswith(prefix)}


def _outputs(name):
    if f"{name}/out" in ref:
        return ref[f"{name}/out"]
    outputs = []
    while f"{name}/out/{len(outputs)}" in ref:
        outputs.append(ref[f"{name}/out/{len(outputs)}"])
    return tuple(outputs)


def _tolerance(name):
    if f"{name}/tolerance" in ref:
        rtol, atol = ref[f"{name}/tolerance"]
        return float(rtol), float(atol)
    return 1e-6, 1e-6


@pytest.mark.parametrize("name", CASES)
def test_matches_keras(name):
    expr = str(ref[f"{name}/expr"])
    actual = eval(expr, {"ops": ops, "np": np}, _inputs(name))
    expected = _outputs(name)
    rtol, atol = _tolerance(name)
    if isinstance(expected, tuple):
        assert isinstance(actual, (tuple, list)) and len(actual) == len(expected), name
        pairs = list(zip(actual, expected))
    else:
        pairs = [(actual, expected)]
    for i, (a, e) in enumerate(pairs):
        assert isinstance(a, torch.Tensor), f"{name}: result {i} is {type(a).__name__}"
        expected_dtype = torch.from_numpy(np.zeros(0, e.dtype)).dtype
        assert a.dtype == expected_dtype, f"{name}: dtype {a.dtype} != Keras's {e.dtype}"
        if a.is_complex():  # assert_matches compares real values
            keras_reference.assert_matches(a.imag, e.imag, rtol=rtol, atol=atol,
                                           what=f"{name}[{i}].imag")
            a, e = a.real, e.real
        keras_reference.assert_matches(a, e, rtol=rtol, atol=atol, what=f"{name}[{i}]")


@pytest.mark.parametrize("name", CASES)
def test_symbolic_shape_matches(name):
    """The op works on KerasTensors (inside a Functional model) with the
    shape and dtype of the eager result."""
    expr = str(ref[f"{name}/expr"])
    inputs = _inputs(name)
    symbolic = {k: torkeras.KerasTensor(v.shape, dtype=str(v.dtype)) for k, v in inputs.items()}
    out = eval(expr, {"ops": ops, "np": np}, symbolic)
    expected = _outputs(name)
    outs = out if isinstance(expected, tuple) else (out,)
    exps = expected if isinstance(expected, tuple) else (expected,)
    for o, e in zip(outs, exps):
        assert tuple(o.shape) == e.shape, name


def test_keras_saved_model_of_nn_ops_loads_and_predicts(tmp_path):
    """A .keras file Keras wrote, whose graph holds nn op nodes (attention,
    layer/rms normalization, conv with a constant kernel, batch
    normalization, pooling, activations, depth_to_space), loads and predicts
    as Keras did."""
    path = tmp_path / "keras_nn_ops.keras"
    path.write_bytes(ref["saved_model/keras"].tobytes())
    model = torkeras.saving.load_model(path)
    inputs = [ref[f"saved_model/in/{i}"] for i in range(3)]
    outputs = model.predict(inputs, verbose=0)
    for i, out in enumerate(outputs):
        keras_reference.assert_matches(np.asarray(out), ref[f"saved_model/out/{i}"], rtol=1e-6,
                                       atol=1e-6, what=f"output {i}")
