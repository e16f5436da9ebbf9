"""keras.activations: torkeras against real Keras 3 (torch backend).

tests/keras_reference/activations.py stores, per case, an expression over
`activations`, Keras's forward values and, for some, the gradient through
torch autograd; also the names keras.activations lists and what
serialize() writes for each.
"""
import pytest
import torch

import keras_reference
from torkeras import activations

ref = keras_reference.load("activations")
X, W = ref["x"], ref["w"]
FORWARD = sorted({key.split("/")[0] for key in ref if key.endswith("/expr")})
GRADIENT = sorted({key.split("/")[0] for key in ref if key.endswith("/grad")})
NAMES = [str(n) for n in ref["names"] if str(n) not in ("get", "serialize", "deserialize")]


def _call(name, x):
    return eval(str(ref[f"{name}/expr"]), {"activations": activations}, {"x": x})


@pytest.mark.parametrize("name", FORWARD)
def test_forward_matches_keras(name):
    case_x = ref.get(f"{name}/x", X)
    for x in (torch.tensor(case_x), case_x):  # tensors and NumPy arrays
        out = _call(name, x)
        assert isinstance(out, torch.Tensor) and out.dtype == torch.float32, name
        keras_reference.assert_matches(out, ref[f"{name}/out"], rtol=1e-6, atol=1e-6, what=name)


@pytest.mark.parametrize("name", GRADIENT)
def test_gradient_matches_keras(name):
    x = torch.tensor(X, requires_grad=True)
    out = _call(name, x)
    w = torch.tensor(W[tuple(slice(0, n) for n in out.shape)])
    (out * w).sum().backward()
    keras_reference.assert_matches(x.grad, ref[f"{name}/grad"], rtol=1e-6, atol=1e-6, what=name)


def test_every_keras_activation_exists():
    missing = [n for n in NAMES if not callable(getattr(activations, n, None))]
    assert not missing


@pytest.mark.parametrize("name", NAMES)
def test_serialize_and_get_as_keras(name):
    fn = getattr(activations, name)
    expected = str(ref[f"serialize/{name}"])
    assert activations.serialize(fn) == expected
    assert activations.get(expected) is fn or activations.get(expected) is activations.get(name)
    assert activations.deserialize(expected) is activations.get(expected)
