"""keras.ops against NumPy, and ops on KerasTensors building graph nodes."""

import numpy as np
import pytest
import torch

from torkeras import ops
from torkeras.graph.keras_tensor import KerasTensor
from torkeras.layers.core.input_layer import Input
from torkeras.variables import Variable

RNG = np.random.default_rng(0)
A = RNG.normal(size=(3, 4)).astype("float32")
B = RNG.normal(size=(3, 4)).astype("float32")
P = np.abs(A) + 0.1


def npy(x):
    return ops.convert_to_numpy(x)


@pytest.mark.parametrize("name,ref", [
    ("add", np.add), ("subtract", np.subtract), ("multiply", np.multiply),
    ("divide", np.divide), ("maximum", np.maximum), ("minimum", np.minimum),
    ("equal", np.equal), ("not_equal", np.not_equal), ("less", np.less),
    ("less_equal", np.less_equal), ("greater", np.greater),
    ("greater_equal", np.greater_equal),
])
def test_binary_ops_match_numpy(name, ref):
    fn = getattr(ops, name)
    np.testing.assert_allclose(npy(fn(A, B)), ref(A, B), rtol=1e-6)
    np.testing.assert_allclose(npy(fn(torch.tensor(A), 0.5)), ref(A, np.float32(0.5)), rtol=1e-6)
    np.testing.assert_allclose(npy(fn(0.5, torch.tensor(A))), ref(np.float32(0.5), A), rtol=1e-6)


@pytest.mark.parametrize("name,ref,x", [
    ("negative", np.negative, A), ("abs", np.abs, A), ("square", np.square, A),
    ("sqrt", np.sqrt, P), ("exp", np.exp, A), ("log", np.log, P), ("log1p", np.log1p, P),
    ("tanh", np.tanh, A), ("floor", np.floor, A), ("ceil", np.ceil, A), ("round", np.round, A),
    ("sign", np.sign, A),
])
def test_unary_ops_match_numpy(name, ref, x):
    np.testing.assert_allclose(npy(getattr(ops, name)(x)), ref(x), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["mean", "sum", "max", "min", "prod", "std", "var"])
@pytest.mark.parametrize("axis,keepdims", [(None, False), (None, True), (0, False), (1, True),
                                          ((0, 1), False), (-1, False)])
def test_reductions_match_numpy(name, axis, keepdims):
    out = getattr(ops, name)(A, axis=axis, keepdims=keepdims)
    ref = getattr(np, name)(A, axis=axis, keepdims=keepdims)
    assert out.shape == ref.shape
    np.testing.assert_allclose(npy(out), ref, rtol=1e-5, atol=1e-6)


def test_arg_reductions_and_sorting():
    np.testing.assert_array_equal(npy(ops.argmax(A, axis=1)), np.argmax(A, axis=1))
    np.testing.assert_array_equal(npy(ops.argmin(A, axis=0)), np.argmin(A, axis=0))
    assert ops.dtype(ops.argmax(A, axis=1)) == "int32"
    assert int(ops.argmax(A)) == np.argmax(A)
    np.testing.assert_allclose(npy(ops.sort(A)), np.sort(A))
    np.testing.assert_array_equal(npy(ops.argsort(A, axis=0)), np.argsort(A, axis=0, kind="stable"))
    values, idx = ops.top_k(A, 2)
    ref_idx = np.argsort(-A, axis=-1)[:, :2]
    np.testing.assert_array_equal(npy(idx), ref_idx)
    np.testing.assert_allclose(npy(values), np.take_along_axis(A, ref_idx, -1))
    np.testing.assert_allclose(npy(ops.cumsum(A, axis=1)), np.cumsum(A, axis=1), rtol=1e-6)
    np.testing.assert_allclose(npy(ops.cumsum(A)), np.cumsum(A), rtol=1e-5)


def test_shape_ops():
    assert ops.shape(ops.reshape(A, (4, 3))) == (4, 3)
    assert ops.shape(ops.reshape(A, (-1,))) == (12,)
    np.testing.assert_allclose(npy(ops.transpose(A)), A.T)
    x3 = RNG.normal(size=(2, 3, 4))
    np.testing.assert_allclose(npy(ops.transpose(x3, (1, 0, 2))), np.transpose(x3, (1, 0, 2)),
                               rtol=1e-6)
    assert ops.shape(ops.expand_dims(A, 0)) == (1, 3, 4)
    assert ops.shape(ops.expand_dims(A, -1)) == (3, 4, 1)
    assert ops.shape(ops.expand_dims(A, (0, 2))) == (1, 3, 1, 4)
    assert ops.shape(ops.squeeze(np.zeros((1, 3, 1)))) == (3,)
    assert ops.shape(ops.squeeze(np.zeros((1, 3, 1)), axis=-1)) == (1, 3)
    with pytest.raises(ValueError, match="squeeze"):
        ops.squeeze(np.zeros((2, 3)), axis=0)
    np.testing.assert_allclose(npy(ops.concatenate([A, B], axis=1)), np.concatenate([A, B], 1))
    np.testing.assert_allclose(npy(ops.stack([A, B], axis=1)), np.stack([A, B], 1))
    assert isinstance(ops.shape(A), tuple)
    np.testing.assert_allclose(npy(ops.getitem(A, (slice(None), 1))), A[:, 1])
    np.testing.assert_allclose(npy(ops.take(A, [2, 0, -1], axis=1)), np.take(A, [2, 0, -1], axis=1))
    np.testing.assert_allclose(npy(ops.take(A, np.array([[1, 5]]))), np.take(A, [[1, 5]]))


def test_creation_and_dtypes():
    assert ops.dtype(ops.ones((2, 3))) == "float32"
    assert ops.dtype(ops.zeros((2,), dtype="int32")) == "int32"
    assert ops.dtype(ops.arange(5)) == "int32"
    assert ops.dtype(ops.arange(0.0, 1.0, 0.25)) == "float32"
    np.testing.assert_allclose(npy(ops.arange(1, 7, 2)), np.arange(1, 7, 2))
    assert ops.dtype(ops.convert_to_tensor(np.zeros(3))) == "float32"
    assert ops.dtype(ops.convert_to_tensor(np.zeros(3, dtype="int64"))) == "int64"
    assert ops.dtype(ops.convert_to_tensor(1.5)) == "float32"
    assert ops.dtype(ops.convert_to_tensor(3)) == "int32"
    assert ops.dtype(ops.convert_to_tensor([1, 2])) == "int32"
    assert ops.dtype(ops.convert_to_tensor([1, 2.5])) == "float32"
    assert ops.dtype(ops.convert_to_tensor(np.ones(2), dtype="float64")) == "float64"
    assert ops.dtype(ops.cast(A, "int32")) == "int32"
    assert ops.dtype(ops.divide(np.array([1, 2]), np.array([2, 4]))) == "float32"
    v = Variable(np.ones((2, 2)), name="v")
    np.testing.assert_allclose(npy(ops.add(v, 1.0)), np.full((2, 2), 2.0))
    assert ops.shape(v) == (2, 2)
    with pytest.raises(ValueError):
        ops.convert_to_tensor(object())


def test_misc_ops():
    np.testing.assert_allclose(npy(ops.clip(A, -0.5, 0.5)), np.clip(A, -0.5, 0.5))
    np.testing.assert_allclose(npy(ops.where(A > 0, A, 0.0)), np.where(A > 0, A, 0.0))
    np.testing.assert_allclose(npy(ops.divide_no_nan(np.array([1.0, 2.0]), np.array([0.0, 4.0]))),
                               [0.0, 0.5])
    np.testing.assert_allclose(npy(ops.power(P, 2)), P ** 2, rtol=1e-6)
    np.testing.assert_allclose(npy(ops.matmul(A, B.T)), A @ B.T, rtol=1e-5)
    t, f = np.array([True, False, True]), np.array([True, True, False])
    np.testing.assert_array_equal(npy(ops.logical_and(t, f)), t & f)
    np.testing.assert_array_equal(npy(ops.logical_or(t, f)), t | f)
    np.testing.assert_array_equal(npy(ops.logical_not(t)), ~t)
    assert bool(ops.any(t)) and not bool(ops.all(t))
    np.testing.assert_array_equal(npy(ops.any(A > 1, axis=0)), np.any(A > 1, axis=0))
    np.testing.assert_allclose(npy(ops.norm(A)), np.linalg.norm(A), rtol=1e-6)
    np.testing.assert_allclose(npy(ops.norm(A, axis=1)), np.linalg.norm(A, axis=1), rtol=1e-6)
    mean, var = ops.moments(A, axes=[0])
    np.testing.assert_allclose(npy(mean), A.mean(0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(npy(var), A.var(0), rtol=1e-5)
    x = torch.tensor(A, requires_grad=True)
    assert not ops.stop_gradient(x).requires_grad


def test_nn_ops():
    e = np.exp(A - A.max(-1, keepdims=True))
    np.testing.assert_allclose(npy(ops.softmax(A)), e / e.sum(-1, keepdims=True), rtol=1e-5)
    np.testing.assert_allclose(npy(ops.sigmoid(A)), 1 / (1 + np.exp(-A)), rtol=1e-5)
    np.testing.assert_allclose(npy(ops.relu(A)), np.maximum(A, 0))
    oh = ops.one_hot(np.array([0, 2, -1]), 3)
    np.testing.assert_array_equal(npy(oh), [[1, 0, 0], [0, 0, 1], [0, 0, 0]])
    assert ops.dtype(oh) == "float32"
    oh = ops.one_hot(np.array([0, 2]), 3, axis=0, dtype="int32")
    np.testing.assert_array_equal(npy(oh), [[1, 0], [0, 0], [0, 1]])
    assert ops.dtype(oh) == "int32"


def test_ops_on_keras_tensors_build_nodes():
    out = ops.concatenate([Input((3,)), Input((4,))], axis=-1)
    assert isinstance(out, KerasTensor) and out.shape == (None, 7)
    x = Input((5,))
    assert (x + 1).shape == (None, 5)
    assert (2 * x - x / 3).shape == (None, 5)
    assert x[:, 1:3].shape == (None, 2)
    assert (x > 0).dtype == "bool"
    assert ops.mean(x, axis=-1).shape == (None,)
    assert ops.reshape(x, (-1, 5, 1)).shape == (None, 5, 1)
    assert ops.expand_dims(x, -1).shape == (None, 5, 1)
    assert ops.matmul(x, np.ones((5, 2), "float32")).shape == (None, 2)
    values, idx = ops.top_k(x, 2)
    assert values.shape == (None, 2) and idx.dtype == "int32"
    labels = Input((), dtype="int32")
    assert ops.one_hot(labels, 4).shape == (None, 4)
    assert ops.shape(x) == (None, 5)
    assert ops.dtype(x) == "float32"
    history = out._keras_history
    assert history is not None and history[0].name.startswith("concatenate")
    # The node's layer replays the op on real tensors, given its call
    # arguments (here the list `xs`; `axis` is fixed in the op's config).
    layer = history[0]
    assert layer.get_config() == {"name": layer.name, "axis": -1}
    real = layer([torch.ones(2, 3), torch.zeros(2, 4)])
    assert tuple(real.shape) == (2, 7)
    with pytest.raises(ValueError):
        ops.convert_to_numpy(x)


def test_concrete_fast_path_returns_torch_tensors():
    t = torch.ones(3)
    assert type(ops.add(t, t)) is torch.Tensor
    assert type(ops.mean(t)) is torch.Tensor


def test_array_makes_tensors_with_dtypes():
    from torkeras import ops as _ops
    t = _ops.array([0, 1, 2], dtype="int32")
    assert t.dtype == torch.int32 and t.tolist() == [0, 1, 2]
    assert _ops.array([0.5, 1.5]).dtype == torch.float32
