"""Losses against independent NumPy computations of the Keras formulas."""

import numpy as np
import pytest
import torch

from torkeras import losses

EPS = 1e-7
RNG = np.random.default_rng(1)


def _probs(n, c, normalized=True):
    p = RNG.uniform(0.05, 1.0, size=(n, c)).astype("float32")
    return p / p.sum(-1, keepdims=True) if normalized else p


def _np_log_softmax(z):
    z = z - z.max(-1, keepdims=True)
    return z - np.log(np.exp(z).sum(-1, keepdims=True))


def np_sparse_cce(y, p, from_logits=False):
    if from_logits:
        logp = _np_log_softmax(p.astype("float64"))
    else:
        q = p / p.sum(-1, keepdims=True)
        logp = np.log(np.clip(q, EPS, 1 - EPS))
    return -logp[np.arange(len(y)), y]


def np_cce(y, p, from_logits=False, label_smoothing=0.0):
    if label_smoothing:
        y = y * (1 - label_smoothing) + label_smoothing / y.shape[-1]
    if from_logits:
        logp = _np_log_softmax(p.astype("float64"))
    else:
        q = p / p.sum(-1, keepdims=True)
        logp = np.log(np.clip(q, EPS, 1 - EPS))
    return -(y * logp).sum(-1)


def np_bce(y, p, from_logits=False, label_smoothing=0.0):
    y = y * (1 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        p = 1 / (1 + np.exp(-p.astype("float64")))
    p = np.clip(p, EPS, 1 - EPS)
    return (-(y * np.log(p) + (1 - y) * np.log(1 - p))).mean(-1)


def sobs(values, weights=None):
    """Keras' default reduction: weighted sum / number of elements."""
    v = values if weights is None else values * weights
    return v.sum() / values.size


@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("normalized", [True, False])
def test_sparse_categorical_crossentropy(from_logits, normalized):
    y = np.array([0, 2, 1, 2])
    p = _probs(4, 3, normalized) if not from_logits else RNG.normal(size=(4, 3)).astype("float32")
    ref = np_sparse_cce(y, p, from_logits)
    loss = losses.SparseCategoricalCrossentropy(from_logits=from_logits)
    np.testing.assert_allclose(float(loss(y, p)), ref.mean(), rtol=1e-5)
    # Trailing label dim of 1 and float labels are accepted.
    np.testing.assert_allclose(float(loss(y[:, None].astype("float32"), p)), ref.mean(), rtol=1e-5)
    w = np.array([1.0, 0.5, 0.0, 2.0])
    np.testing.assert_allclose(float(loss(y, p, sample_weight=w)), sobs(ref, w), rtol=1e-5)
    per = losses.sparse_categorical_crossentropy(y, p, from_logits=from_logits)
    np.testing.assert_allclose(per.numpy(), ref, rtol=1e-5)
    assert loss.name == "sparse_categorical_crossentropy"


def test_sparse_cce_clips_confident_probabilities():
    p = np.array([[1.0, 0.0, 0.0]], "float32")
    out = float(losses.SparseCategoricalCrossentropy()(np.array([1]), p))
    np.testing.assert_allclose(out, -np.log(EPS), rtol=1e-4)


def test_sparse_cce_ignore_class():
    y = np.array([0, 2, 1, 2])
    p = _probs(4, 3)
    ref = np_sparse_cce(y, p)
    loss = losses.SparseCategoricalCrossentropy(ignore_class=2)
    valid = y != 2
    np.testing.assert_allclose(float(loss(y, p)), ref[valid].mean(), rtol=1e-5)


@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("ls", [0.0, 0.1])
def test_categorical_crossentropy(from_logits, ls):
    y = np.eye(3, dtype="float32")[[0, 2, 1, 1]]
    p = _probs(4, 3, normalized=False) if not from_logits else RNG.normal(size=(4, 3)).astype("float32")
    ref = np_cce(y, p, from_logits, ls)
    loss = losses.CategoricalCrossentropy(from_logits=from_logits, label_smoothing=ls)
    np.testing.assert_allclose(float(loss(y, p)), ref.mean(), rtol=1e-5)
    w = np.array([0.2, 1.0, 3.0, 0.0])
    np.testing.assert_allclose(float(loss(y, p, sample_weight=w)), sobs(ref, w), rtol=1e-5)


@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("ls", [0.0, 0.2])
def test_binary_crossentropy(from_logits, ls):
    y = RNG.integers(0, 2, size=(5, 3)).astype("float32")
    p = RNG.uniform(0.01, 0.99, size=(5, 3)).astype("float32") if not from_logits else \
        RNG.normal(size=(5, 3)).astype("float32")
    ref = np_bce(y, p, from_logits, ls)
    loss = losses.BinaryCrossentropy(from_logits=from_logits, label_smoothing=ls)
    np.testing.assert_allclose(float(loss(y, p)), ref.mean(), rtol=1e-5)
    w = RNG.uniform(size=5)
    np.testing.assert_allclose(float(loss(y, p, sample_weight=w)), sobs(ref, w), rtol=1e-5)
    np.testing.assert_allclose(
        losses.binary_crossentropy(y, p, from_logits=from_logits, label_smoothing=ls).numpy(),
        ref, rtol=1e-5)


YT = RNG.uniform(0.1, 2.0, size=(6, 4)).astype("float32")
YP = RNG.uniform(0.1, 2.0, size=(6, 4)).astype("float32")


def _np_huber(t, p, d=1.0):
    e = np.abs(p - t)
    return np.where(e <= d, 0.5 * e ** 2, d * e - 0.5 * d ** 2).mean(-1)


def _np_cos(t, p):
    tn = t / np.sqrt(np.maximum((t ** 2).sum(-1, keepdims=True), EPS))
    pn = p / np.sqrt(np.maximum((p ** 2).sum(-1, keepdims=True), EPS))
    return -(tn * pn).sum(-1)


def _np_hinge(t, p):
    t = 2 * t - 1 if np.all((t == 0) | (t == 1)) else t
    return np.maximum(1 - t * p, 0).mean(-1)


@pytest.mark.parametrize("cls,fn,ref", [
    (losses.MeanSquaredError, losses.mean_squared_error, lambda t, p: ((t - p) ** 2).mean(-1)),
    (losses.MeanAbsoluteError, losses.mean_absolute_error, lambda t, p: np.abs(t - p).mean(-1)),
    (losses.MeanAbsolutePercentageError, losses.mean_absolute_percentage_error,
     lambda t, p: 100 * np.abs((t - p) / np.maximum(np.abs(t), EPS)).mean(-1)),
    (losses.MeanSquaredLogarithmicError, losses.mean_squared_logarithmic_error,
     lambda t, p: ((np.log(np.maximum(p, EPS) + 1) - np.log(np.maximum(t, EPS) + 1)) ** 2).mean(-1)),
    (losses.Huber, losses.huber, _np_huber),
    (losses.LogCosh, losses.log_cosh, lambda t, p: np.log(np.cosh(p - t)).mean(-1)),
    (losses.KLDivergence, losses.kl_divergence,
     lambda t, p: (np.clip(t, EPS, 1) * np.log(np.clip(t, EPS, 1) / np.clip(p, EPS, 1))).sum(-1)),
    (losses.Poisson, losses.poisson, lambda t, p: (p - t * np.log(p + EPS)).mean(-1)),
    (losses.CosineSimilarity, losses.cosine_similarity, _np_cos),
    (losses.Hinge, losses.hinge, _np_hinge),
])
def test_regression_style_losses(cls, fn, ref):
    expected = ref(YT.astype("float64"), YP.astype("float64"))
    np.testing.assert_allclose(fn(YT, YP).numpy(), expected, rtol=1e-5, atol=1e-6)
    loss = cls()
    np.testing.assert_allclose(float(loss(YT, YP)), expected.mean(), rtol=1e-5, atol=1e-6)
    w = RNG.uniform(size=6)
    np.testing.assert_allclose(float(loss(YT, YP, sample_weight=w)), sobs(expected, w),
                               rtol=1e-5, atol=1e-6)
    assert cls.from_config(loss.get_config()).get_config() == loss.get_config()


def test_hinge_with_binary_labels():
    t = np.array([[0.0, 1.0], [1.0, 1.0]], "float32")
    p = np.array([[0.3, -0.2], [0.8, 1.5]], "float32")
    np.testing.assert_allclose(losses.hinge(t, p).numpy(), _np_hinge(t, p), rtol=1e-6)


def test_reductions():
    v = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], "float32")
    w = np.array([1.0, 0.0, 2.0], "float32")
    mse = lambda r: losses.MeanSquaredError(reduction=r)  # noqa: E731
    t, p = np.zeros_like(v), v
    per = (v ** 2).mean(-1)
    np.testing.assert_allclose(float(mse("sum")(t, p)), per.sum())
    np.testing.assert_allclose(float(mse("sum_over_batch_size")(t, p, w)), (per * w).sum() / 3)
    np.testing.assert_allclose(float(mse("mean")(t, p, w)), (per * w).sum() / 3)
    np.testing.assert_allclose(float(mse("mean_with_sample_weight")(t, p, w)),
                               (per * w).sum() / w.sum())
    np.testing.assert_allclose(mse("none")(t, p, w).numpy(), per * w)
    np.testing.assert_allclose(mse(None)(t, p).numpy(), per)
    with pytest.raises(ValueError, match="reduction"):
        losses.MeanSquaredError(reduction="avg")


def test_reduce_weighted_values():
    values = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    # Element count of the per-sample tensor, not the sum of weights.
    out = losses.reduce_weighted_values(values, sample_weight=torch.tensor([1.0, 0.0]))
    # Shapes that broadcast are multiplied as Keras does (here: along the last axis).
    np.testing.assert_allclose(float(out), (1 + 3) / 4)
    # Otherwise rank-1 weights are per sample.
    out = losses.reduce_weighted_values(torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]),
                                        sample_weight=torch.tensor([1.0, 0.0]))
    np.testing.assert_allclose(float(out), 6 / 6)
    out = losses.reduce_weighted_values(values, torch.tensor([[2.0], [1.0]]), reduction="sum")
    np.testing.assert_allclose(float(out), 2 * 3 + 7)
    out = losses.reduce_weighted_values(torch.tensor([1.0, 3.0]), torch.tensor([[0.5], [1.0]]))
    np.testing.assert_allclose(float(out), (0.5 + 3) / 2)
    assert float(losses.reduce_weighted_values(torch.tensor(2.5))) == 2.5


def test_sample_weight_over_timesteps():
    t = np.zeros((2, 3, 2), "float32")
    p = RNG.normal(size=(2, 3, 2)).astype("float32")
    per = (p ** 2).mean(-1)
    w = np.array([[1.0, 0.0, 2.0], [0.5, 0.5, 0.5]], "float32")
    np.testing.assert_allclose(float(losses.MeanSquaredError()(t, p, w)), (per * w).sum() / 6,
                               rtol=1e-6)
    ws = np.array([1.0, 3.0], "float32")
    np.testing.assert_allclose(float(losses.MeanSquaredError()(t, p, ws)),
                               (per * ws[:, None]).sum() / 6, rtol=1e-6)


def test_rank_alignment_of_targets():
    t = np.array([1.0, 2.0, 3.0], "float32")
    p = np.array([[1.5], [2.0], [2.0]], "float32")
    np.testing.assert_allclose(float(losses.MeanSquaredError()(t, p)), (0.25 + 0 + 1) / 3)


def test_loss_function_wrapper_and_custom_loss():
    def my_loss(y_true, y_pred, scale=1.0):
        return scale * torch.mean(torch.abs(y_true - y_pred), dim=-1)

    loss = losses.LossFunctionWrapper(my_loss, name="mine", scale=2.0)
    np.testing.assert_allclose(float(loss(YT, YP)), 2 * np.abs(YT - YP).mean(), rtol=1e-5)
    assert loss.get_config()["scale"] == 2.0

    class Custom(losses.Loss):
        def call(self, y_true, y_pred):
            return torch.sum(y_pred - y_true, dim=-1)

    c = Custom()
    assert c.name == "custom"
    np.testing.assert_allclose(float(c(YT, YP)), (YP - YT).sum(-1).mean(), rtol=1e-5)


def test_gradients_flow():
    p = torch.tensor(_probs(4, 3), requires_grad=True)
    loss = losses.SparseCategoricalCrossentropy()(torch.tensor([0, 1, 2, 0]), p)
    loss.backward()
    assert p.grad is not None and torch.isfinite(p.grad).all()


def test_get_serialize_deserialize():
    assert losses.get("mse") is losses.mean_squared_error
    assert losses.get("mae") is losses.mean_absolute_error
    assert losses.get("sparse_categorical_crossentropy") is losses.sparse_categorical_crossentropy
    assert isinstance(losses.get("SparseCategoricalCrossentropy"),
                      losses.SparseCategoricalCrossentropy)
    inst = losses.Huber(delta=2.0)
    assert losses.get(inst) is inst
    assert losses.get(None) is None
    cfg = losses.serialize(losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1))
    assert cfg["class_name"] == "CategoricalCrossentropy"
    back = losses.deserialize(cfg)
    assert back.from_logits is True and back.label_smoothing == 0.1
    back = losses.get({"class_name": "Huber", "config": {"delta": 3.0}})
    assert back.get_config()["delta"] == 3.0
    fn_cfg = losses.serialize(losses.mean_squared_error)
    assert losses.deserialize(fn_cfg) is losses.mean_squared_error
    assert callable(losses.get(lambda a, b: a - b))
    with pytest.raises(ValueError, match="Could not interpret loss identifier"):
        losses.get("not_a_loss")
    with pytest.raises(ValueError):
        losses.get(42)
    with pytest.raises(ValueError):
        losses.deserialize({"class_name": "Nope", "config": {}})
    assert losses.MeanSquaredError().name == "mean_squared_error"
    assert losses.MeanSquaredError().get_config() == {"name": "mean_squared_error",
                                                     "reduction": "sum_over_batch_size"}
