"""Metrics against NumPy, with Keras' sample-weight aggregation."""

import numpy as np
import pytest
import torch

from torkeras import metrics

RNG = np.random.default_rng(2)
EPS = 1e-7


def test_mean_and_sum():
    m = metrics.Mean()
    m.update_state([1.0, 2.0, 3.0])
    m.update_state(np.array([[4.0, 6.0]]))  # one sample, mean 5
    np.testing.assert_allclose(float(m.result()), (1 + 2 + 3 + 5) / 4)
    m.reset_state()
    assert float(m.result()) == 0.0
    m.update_state([1.0, 2.0, 3.0], sample_weight=[1.0, 0.0, 2.0])
    np.testing.assert_allclose(float(m.result()), (1 + 6) / 3)
    m.reset_state()
    m.update_state(torch.tensor(2.5))
    m.update_state(torch.tensor(0.5))
    np.testing.assert_allclose(float(m.result()), 1.5)
    # A scalar weight weights the batch mean (how the loss tracker uses it).
    m.reset_state()
    m.update_state(torch.tensor([1.0, 3.0]), sample_weight=4)
    m.update_state(torch.tensor([10.0]), sample_weight=1)
    np.testing.assert_allclose(float(m.result()), (2 * 4 + 10) / 5)
    s = metrics.Sum()
    s.update_state([1.0, 2.0])
    s.update_state([[3.0, 4.0]], sample_weight=[0.5])
    np.testing.assert_allclose(float(s.result()), 3 + 3.5)
    assert m.name == "mean" and s.name == "sum"


def test_result_is_zero_dim_tensor_without_host_sync():
    m = metrics.SparseCategoricalAccuracy()
    r = m(torch.tensor([0, 1]), torch.tensor([[0.9, 0.1], [0.8, 0.2]]))
    assert isinstance(r, torch.Tensor) and r.dim() == 0
    np.testing.assert_allclose(float(r), 0.5)


def _weighted_mean(per_sample, w=None):
    if w is None:
        return per_sample.mean()
    return (per_sample * w).sum() / w.sum()


@pytest.mark.parametrize("weighted", [False, True])
def test_sparse_categorical_accuracy(weighted):
    y = np.array([0, 2, 1, 1, 0])
    p = RNG.uniform(size=(5, 3)).astype("float32")
    w = RNG.uniform(size=5) if weighted else None
    ref = (p.argmax(-1) == y).astype("float64")
    m = metrics.SparseCategoricalAccuracy()
    m.update_state(y[:3], p[:3], sample_weight=None if w is None else w[:3])
    m.update_state(y[3:, None], p[3:], sample_weight=None if w is None else w[3:])
    np.testing.assert_allclose(float(m.result()), _weighted_mean(ref, w), rtol=1e-6)
    assert m.name == "sparse_categorical_accuracy"
    np.testing.assert_array_equal(metrics.sparse_categorical_accuracy(y, p).numpy(), ref)
    m.reset_state()
    assert float(m.result()) == 0.0 and all(float(v.numpy()) == 0 for v in m.variables)


def test_categorical_and_binary_accuracy():
    y = np.eye(4, dtype="float32")[[0, 3, 2, 1]]
    p = RNG.uniform(size=(4, 4)).astype("float32")
    ref = (y.argmax(-1) == p.argmax(-1)).astype("float64")
    m = metrics.CategoricalAccuracy()
    np.testing.assert_allclose(float(m(y, p)), ref.mean())
    np.testing.assert_array_equal(metrics.categorical_accuracy(y, p).numpy(), ref)
    yb = RNG.integers(0, 2, size=(6, 3))
    pb = RNG.uniform(size=(6, 3)).astype("float32")
    w = RNG.uniform(size=6)
    per = ((pb > 0.5) == yb).mean(-1)
    m = metrics.BinaryAccuracy()
    np.testing.assert_allclose(float(m(yb, pb, sample_weight=w)), _weighted_mean(per, w), rtol=1e-6)
    m = metrics.BinaryAccuracy(threshold=0.7)
    per = ((pb > 0.7) == yb).mean(-1)
    np.testing.assert_allclose(float(m(yb, pb)), per.mean(), rtol=1e-6)
    assert m.get_config() == {"name": "binary_accuracy", "dtype": "float32", "threshold": 0.7}
    # Labels (batch,) against predictions (batch, 1).
    np.testing.assert_allclose(float(metrics.BinaryAccuracy()(np.array([1, 0, 1]),
                                                              np.array([[0.9], [0.2], [0.1]]))),
                               2 / 3, rtol=1e-6)
    np.testing.assert_allclose(float(metrics.Accuracy()([1, 2, 3], [1, 2, 4])), 2 / 3, rtol=1e-6)


def test_top_k_accuracy():
    y = np.array([2, 1, 2])
    p = np.array([[0.1, 0.5, 0.4], [0.3, 0.2, 0.5], [0.2, 0.3, 0.5]], "float32")
    in_top2 = [(np.argsort(-row)[:2] == label).any() for row, label in zip(p, y)]
    m = metrics.SparseTopKCategoricalAccuracy(k=2)
    np.testing.assert_allclose(float(m(y, p)), np.mean(in_top2), rtol=1e-6)
    m = metrics.TopKCategoricalAccuracy(k=1)
    np.testing.assert_allclose(float(m(np.eye(3)[y], p)), np.mean(p.argmax(-1) == y), rtol=1e-6)


@pytest.mark.parametrize("cls,ref", [
    (metrics.MeanSquaredError, lambda t, p: ((t - p) ** 2).mean(-1)),
    (metrics.MeanAbsoluteError, lambda t, p: np.abs(t - p).mean(-1)),
    (metrics.MeanAbsolutePercentageError,
     lambda t, p: 100 * np.abs((t - p) / np.maximum(np.abs(t), EPS)).mean(-1)),
    (metrics.MeanSquaredLogarithmicError,
     lambda t, p: ((np.log(np.maximum(p, EPS) + 1) - np.log(np.maximum(t, EPS) + 1)) ** 2).mean(-1)),
])
@pytest.mark.parametrize("weighted", [False, True])
def test_regression_metrics(cls, ref, weighted):
    t = RNG.uniform(0.5, 2, size=(8, 3)).astype("float32")
    p = RNG.uniform(0.5, 2, size=(8, 3)).astype("float32")
    w = RNG.uniform(size=8) if weighted else None
    m = cls()
    m.update_state(t[:5], p[:5], sample_weight=None if w is None else w[:5])
    m.update_state(t[5:], p[5:], sample_weight=None if w is None else w[5:])
    expected = _weighted_mean(ref(t.astype("float64"), p.astype("float64")), w)
    np.testing.assert_allclose(float(m.result()), expected, rtol=1e-5)
    assert cls.from_config(m.get_config()).name == m.name


def test_root_mean_squared_error():
    t = RNG.normal(size=(5, 2)).astype("float32")
    p = RNG.normal(size=(5, 2)).astype("float32")
    w = RNG.uniform(size=5)
    m = metrics.RootMeanSquaredError()
    np.testing.assert_allclose(float(m(t, p)), np.sqrt(((t - p) ** 2).mean()), rtol=1e-5)
    m.reset_state()
    per = ((t - p) ** 2).mean(-1)
    np.testing.assert_allclose(float(m(t, p, sample_weight=w)), np.sqrt((per * w).sum() / w.sum()),
                               rtol=1e-5)
    assert m.name == "root_mean_squared_error"


def test_crossentropy_metrics():
    y = np.array([0, 2, 1])
    p = RNG.uniform(0.1, 1, size=(3, 3)).astype("float32")  # not normalized
    q = p / p.sum(-1, keepdims=True)
    ref = -np.log(np.clip(q, EPS, 1 - EPS))[np.arange(3), y]
    m = metrics.SparseCategoricalCrossentropy()
    np.testing.assert_allclose(float(m(y, p)), ref.mean(), rtol=1e-5)
    logits = RNG.normal(size=(3, 3)).astype("float32")
    z = logits - logits.max(-1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(-1, keepdims=True))
    m = metrics.CategoricalCrossentropy(from_logits=True)
    np.testing.assert_allclose(float(m(np.eye(3)[y], logits)), -logp[np.arange(3), y].mean(),
                               rtol=1e-5)
    yb = np.array([[1.0], [0.0]], "float32")
    pb = np.array([[0.8], [0.3]], "float32")
    m = metrics.BinaryCrossentropy()
    ref = -(yb * np.log(pb) + (1 - yb) * np.log(1 - pb)).mean()
    np.testing.assert_allclose(float(m(yb, pb)), ref, rtol=1e-5)


def test_mean_metric_wrapper_with_custom_function():
    def diff(y_true, y_pred, scale=1.0):
        assert y_true.dtype == torch.float32  # user functions get the metric dtype
        return scale * torch.abs(y_true - y_pred)

    m = metrics.MeanMetricWrapper(diff, name="diff", scale=2.0)
    m.update_state(np.array([[1, 2]]), np.array([[0.0, 0.0]]))
    np.testing.assert_allclose(float(m.result()), 2 * 1.5)
    assert m.get_config()["scale"] == 2.0


def test_metric_base_and_custom_metric():
    class CountPositives(metrics.Metric):
        def __init__(self, name="count_positives", **kwargs):
            super().__init__(name=name, **kwargs)
            self.n = self.add_variable(shape=(), initializer="zeros", name="n")

        def update_state(self, y_true, y_pred, sample_weight=None):
            self.n.assign_add(torch.sum(torch.as_tensor(y_pred) > 0).float())

        def result(self):
            return self.n.value

    m = CountPositives()
    m.update_state(None, [1.0, -1.0, 2.0])
    assert float(m.result()) == 2.0
    assert m.variables[0].path == "count_positives/n"
    assert not m.variables[0].trainable
    m.reset_state()
    assert float(m.result()) == 0.0
    assert repr(m) == "<CountPositives name=count_positives>"
    assert m.get_config() == {"name": "count_positives", "dtype": "float32"}
    w = m.add_weight(shape=(2,), initializer="ones", name="w")
    assert w.shape == (2,) and len(m.variables) == 2


def test_update_state_is_detached_from_autograd():
    p = torch.tensor([[0.2, 0.8]], requires_grad=True)
    m = metrics.MeanSquaredError()
    m.update_state(torch.tensor([[0.0, 1.0]]), p)
    assert not m.result().requires_grad


def test_get_and_identifiers():
    assert isinstance(metrics.get("sparse_categorical_accuracy"), metrics.SparseCategoricalAccuracy)
    assert isinstance(metrics.get("SparseCategoricalAccuracy"), metrics.SparseCategoricalAccuracy)
    assert isinstance(metrics.get("mean_squared_error"), metrics.MeanSquaredError)
    mae = metrics.get("mae")
    assert isinstance(mae, metrics.Metric) and mae.name == "mae"
    np.testing.assert_allclose(float(mae([1.0, 2.0], [2.0, 2.0])), 0.5)
    assert metrics.get("accuracy").name == "accuracy"
    inst = metrics.Mean(name="x")
    assert metrics.get(inst) is inst
    cfg = metrics.serialize(metrics.BinaryAccuracy(threshold=0.3))
    back = metrics.deserialize(cfg)
    assert isinstance(back, metrics.BinaryAccuracy) and back.threshold == 0.3
    assert metrics.get(None) is None
    with pytest.raises(ValueError, match="Could not interpret metric identifier"):
        metrics.get("no_such_metric")
    with pytest.raises(ValueError):
        metrics.get(3.5)
    with pytest.raises(ValueError):
        metrics.deserialize({"class_name": "Nope", "config": {}})


def test_update_state_speed_is_reasonable():
    import time
    m = metrics.SparseCategoricalAccuracy()
    y = torch.randint(0, 10, (128,))
    p = torch.randn(128, 10)
    for _ in range(20):
        m.update_state(y, p)
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for _ in range(200):
            m.update_state(y, p)
        best = min(best, (time.perf_counter() - t0) / 200)
    assert best < 2e-3, best
