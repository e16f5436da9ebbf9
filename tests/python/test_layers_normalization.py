"""BatchNormalization: weights, training vs inference, moving-statistic updates."""

import numpy as np
import pytest
import torch

from torkeras import layers
from torkeras.layers import Input


def test_weights_and_param_counts():
    bn = layers.BatchNormalization()
    out = bn(Input(shape=(10,)))
    assert out.shape == (None, 10)
    assert bn.count_params() == 40
    assert [w.name for w in bn.weights] == ["gamma", "beta", "moving_mean", "moving_variance"]
    assert [w.name for w in bn.trainable_weights] == ["gamma", "beta"]
    assert [w.name for w in bn.non_trainable_weights] == ["moving_mean", "moving_variance"]
    assert sum(int(np.prod(w.shape)) for w in bn.non_trainable_weights) == 20
    np.testing.assert_array_equal(bn.gamma.numpy(), np.ones(10))
    np.testing.assert_array_equal(bn.moving_variance.numpy(), np.ones(10))
    plain = layers.BatchNormalization(center=False, scale=False)
    plain.build((None, 4))
    assert [w.name for w in plain.weights] == ["moving_mean", "moving_variance"]
    # Only gamma and beta are torch parameters; the moving statistics are buffers.
    assert len(list(bn.parameters())) == 2 and len(list(bn.buffers())) == 2


def test_defaults_and_config_round_trip():
    bn = layers.BatchNormalization()
    assert (bn.axis, bn.momentum, bn.epsilon, bn.center, bn.scale) == (-1, 0.99, 1e-3, True, True)
    config = bn.get_config()
    for key in ("axis", "momentum", "epsilon", "center", "scale", "beta_initializer",
                "gamma_initializer", "moving_mean_initializer", "moving_variance_initializer",
                "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint",
                "synchronized"):
        assert key in config
    assert layers.BatchNormalization.from_config(config).get_config() == config
    bn2 = layers.BatchNormalization(axis=1, momentum=0.9, epsilon=1e-5, center=False,
                                    gamma_constraint="non_neg", gamma_regularizer="l2")
    config2 = bn2.get_config()
    assert layers.BatchNormalization.from_config(config2).get_config() == config2


def test_training_uses_batch_stats_and_updates_moving_stats():
    rng = np.random.default_rng(0)
    x = rng.normal(3.0, 2.0, size=(8, 5)).astype("float32")
    bn = layers.BatchNormalization(momentum=0.9)
    y = bn(torch.from_numpy(x), training=True).detach().numpy()
    mean, var = x.mean(axis=0), x.var(axis=0)  # biased variance, as Keras
    np.testing.assert_allclose(y, (x - mean) / np.sqrt(var + 1e-3), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(bn.moving_mean.numpy(), 0.9 * 0 + 0.1 * mean, rtol=1e-5)
    np.testing.assert_allclose(bn.moving_variance.numpy(), 0.9 * 1 + 0.1 * var, rtol=1e-5)
    bn(torch.from_numpy(x), training=True)
    np.testing.assert_allclose(bn.moving_mean.numpy(), 0.9 * (0.1 * mean) + 0.1 * mean, rtol=1e-5)
    np.testing.assert_allclose(bn.moving_variance.numpy(), 0.9 * (0.9 + 0.1 * var) + 0.1 * var,
                               rtol=1e-5)


def test_inference_uses_moving_stats_and_does_not_update():
    bn = layers.BatchNormalization()
    bn.build((None, 3))
    bn.set_weights([np.array([1.0, 2.0, 0.5]), np.array([0.0, 1.0, -1.0]),
                    np.array([1.0, -1.0, 0.0]), np.array([4.0, 1.0, 0.25])])
    x = np.array([[1.0, 2.0, 3.0], [5.0, -1.0, 0.0]], dtype="float32")
    for training in (None, False):
        y = bn(torch.from_numpy(x), training=training).detach().numpy()
        ref = (x - [1.0, -1.0, 0.0]) / np.sqrt(np.array([4.0, 1.0, 0.25]) + 1e-3) * \
            [1.0, 2.0, 0.5] + [0.0, 1.0, -1.0]
        np.testing.assert_allclose(y, ref, rtol=1e-5)
    np.testing.assert_array_equal(bn.moving_mean.numpy(), [1.0, -1.0, 0.0])


def test_frozen_layer_runs_in_inference_mode():
    bn = layers.BatchNormalization()
    x = torch.randn(6, 4) * 3 + 2
    bn.trainable = False
    y = bn(x, training=True)
    torch.testing.assert_close(y, x / torch.sqrt(torch.tensor(1.0 + 1e-3)))
    np.testing.assert_array_equal(bn.moving_mean.numpy(), np.zeros(4))


def test_conv_feature_map_and_axis_1():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((4, 5, 5, 3)).astype("float32")
    bn = layers.BatchNormalization(momentum=0.5)
    y = bn(torch.from_numpy(x), training=True).detach().numpy()
    mean, var = x.mean(axis=(0, 1, 2)), x.var(axis=(0, 1, 2))
    np.testing.assert_allclose(y, (x - mean) / np.sqrt(var + 1e-3), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(bn.moving_mean.numpy(), 0.5 * mean, rtol=1e-5)
    xf = np.ascontiguousarray(x.transpose(0, 3, 1, 2))
    bnf = layers.BatchNormalization(axis=1, momentum=0.5)
    yf = bnf(torch.from_numpy(xf), training=True).detach().numpy()
    np.testing.assert_allclose(yf, y.transpose(0, 3, 1, 2), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(bnf.moving_variance.numpy(), bn.moving_variance.numpy(), rtol=1e-5)
    assert bnf.gamma.shape == (3,)


def test_gradients_reach_gamma_and_beta():
    bn = layers.BatchNormalization()
    x = torch.randn(8, 3, requires_grad=True)
    (bn(x, training=True) * torch.arange(3.0)).sum().backward()
    assert bn.gamma.value.grad is not None and bn.beta.value.grad is not None
    assert x.grad is not None


def test_training_flag_from_call_context():
    """An outer layer called with training=True propagates it to the BN inside."""
    from torkeras.layers import Layer

    class Block(Layer):
        def __init__(self):
            super().__init__()
            self.bn = layers.BatchNormalization(momentum=0.0)

        def call(self, x, training=None):
            return self.bn(x)

    block = Block()
    x = torch.randn(5, 2)
    block(x, training=True)
    torch.testing.assert_close(block.bn.moving_mean.value, x.mean(0))


def test_float16_inputs():
    bn = layers.BatchNormalization(dtype="float16")
    y = bn(torch.randn(4, 3).half(), training=True)
    assert y.dtype == torch.float16


def test_errors():
    with pytest.raises(ValueError, match="axis"):
        layers.BatchNormalization(axis=3)(Input(shape=(4,)))
    with pytest.raises(ValueError, match="momentum"):
        layers.BatchNormalization(momentum=1.5)
    with pytest.raises(ValueError, match="Unrecognized keyword"):
        layers.BatchNormalization(moment=0.5)


@pytest.mark.parametrize("shape,axis", [((6, 4), -1), ((3, 5, 4), -1), ((2, 3, 3, 4), -1),
                                        ((2, 4, 3, 3), 1), ((2, 3, 4, 5), 2), ((1, 4), -1)])
def test_fused_path_matches_numpy_reference(shape, axis):
    rng = np.random.default_rng(7)
    x = rng.normal(1.0, 3.0, size=shape).astype("float32")
    bn = layers.BatchNormalization(axis=axis, momentum=0.8, gamma_initializer="random_normal",
                                   beta_initializer="random_normal")
    y = bn(torch.from_numpy(x), training=True).detach().numpy()
    red = tuple(i for i in range(len(shape)) if i != axis % len(shape))
    mean = x.mean(axis=red, keepdims=True).astype("float64")
    var = x.var(axis=red, keepdims=True).astype("float64")
    bshape = [1] * len(shape)
    bshape[axis] = shape[axis]
    gamma = bn.gamma.numpy().reshape(bshape)
    beta = bn.beta.numpy().reshape(bshape)
    np.testing.assert_allclose(y, (x - mean) / np.sqrt(var + 1e-3) * gamma + beta,
                               rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(bn.moving_mean.numpy(), 0.2 * mean.ravel(), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(bn.moving_variance.numpy(), 0.8 + 0.2 * var.ravel(), rtol=1e-5)
    yi = bn(torch.from_numpy(x)).detach().numpy()
    mm = bn.moving_mean.numpy().reshape(bshape)
    mv = bn.moving_variance.numpy().reshape(bshape)
    np.testing.assert_allclose(yi, (x - mm) / np.sqrt(mv + 1e-3) * gamma + beta,
                               rtol=1e-4, atol=1e-4)


def test_masked_moments():
    x = torch.tensor([[[1.0], [3.0], [100.0]]])  # (batch 1, time 3, features 1)
    mask = torch.tensor([[True, True, False]])
    bn = layers.BatchNormalization(momentum=0.0)
    bn(x, training=True, mask=mask)
    np.testing.assert_allclose(bn.moving_mean.numpy(), [2.0])
    np.testing.assert_allclose(bn.moving_variance.numpy(), [1.0])


def test_fused_gradients_match_formula():
    torch.manual_seed(0)
    x = torch.randn(4, 3, 3, 5, requires_grad=True)
    bn = layers.BatchNormalization(gamma_initializer="random_normal")
    w = torch.randn(4, 3, 3, 5)
    (bn(x, training=True) * w).sum().backward()
    gx, gg = x.grad.clone(), bn.gamma.value.grad.clone()
    x2 = x.detach().clone().requires_grad_(True)
    gamma = bn.gamma.value.detach().clone().requires_grad_(True)
    mean = x2.mean(dim=(0, 1, 2))
    var = ((x2 - mean) ** 2).mean(dim=(0, 1, 2))
    ((x2 - mean) / torch.sqrt(var + 1e-3) * gamma * w).sum().backward()
    torch.testing.assert_close(gx, x2.grad, rtol=1e-4, atol=1e-5)
    torch.testing.assert_close(gg, gamma.grad, rtol=1e-4, atol=1e-5)


# -- Batch renormalization (renorm=True) -------------------------------------------
class _NumpyRenorm:
    """The renorm equations of Keras 3 in numpy (features on the last axis)."""

    def __init__(self, features, momentum, renorm_momentum, epsilon, clipping):
        self.m, self.rm, self.eps, self.clip = momentum, renorm_momentum, epsilon, clipping
        self.moving_mean = np.zeros(features)
        self.moving_var = np.ones(features)
        self.moving_std = np.ones(features)
        self.renorm_mean = np.zeros(features)
        self.renorm_std = np.ones(features)

    def train_step(self, x, gamma, beta):
        axes = tuple(range(x.ndim - 1))
        mean = x.mean(axis=axes)
        var = x.var(axis=axes)
        std = np.sqrt(var + self.eps)
        renorm_std = np.maximum(self.renorm_std, np.sqrt(self.eps))
        r = std / renorm_std
        d = (mean - self.renorm_mean) / renorm_std
        if "rmin" in self.clip:
            r = np.maximum(r, self.clip["rmin"])
        if "rmax" in self.clip:
            r = np.minimum(r, self.clip["rmax"])
        if "dmax" in self.clip:
            d = np.clip(d, -self.clip["dmax"], self.clip["dmax"])
        out = ((x - mean) / std * r + d) * gamma + beta
        self.renorm_mean = self.renorm_mean * self.rm + mean * (1 - self.rm)
        self.renorm_std = self.renorm_std * self.rm + std * (1 - self.rm)
        self.moving_mean = self.moving_mean * self.m + mean * (1 - self.m)
        self.moving_std = self.moving_std * self.m + std * (1 - self.m)
        self.moving_var = np.maximum(self.moving_std ** 2 - self.eps, 0)
        return out, r, d


@pytest.mark.parametrize("clipping", [{}, {"rmax": 1.2, "rmin": 0.9, "dmax": 0.05}])
def test_renorm_training_and_statistics_match_numpy(clipping):
    rng = np.random.default_rng(11)
    bn = layers.BatchNormalization(renorm=True, renorm_clipping=clipping, momentum=0.9,
                                   renorm_momentum=0.5, gamma_initializer="random_normal",
                                   beta_initializer="random_normal")
    ref = _NumpyRenorm(3, 0.9, 0.5, 1e-3, clipping)
    clipped_somewhere = False
    for step in range(4):
        x = rng.normal(loc=step, scale=1 + step, size=(6, 2, 3))
        x32 = x.astype("float32")
        out = bn(x32, training=True)
        expected, r, d = ref.train_step(x32.astype("float64"), bn.gamma.numpy(),
                                        bn.beta.numpy())
        if clipping and step > 0:
            clipped_somewhere |= bool(np.any(r == clipping["rmax"]) or
                                      np.any(np.abs(d) == clipping["dmax"]))
        np.testing.assert_allclose(out.detach().numpy(), expected, rtol=1e-4, atol=1e-4)
        np.testing.assert_allclose(bn.renorm_mean.numpy(), ref.renorm_mean, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(bn.renorm_stddev.numpy(), ref.renorm_std, rtol=1e-5)
        np.testing.assert_allclose(bn.moving_mean.numpy(), ref.moving_mean, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(bn.moving_stddev.numpy(), ref.moving_std, rtol=1e-5)
        np.testing.assert_allclose(bn.moving_variance.numpy(), ref.moving_var, rtol=1e-5)
    assert clipped_somewhere or not clipping
    # Inference is plain batch normalization with the moving statistics.
    x = rng.normal(size=(4, 2, 3)).astype("float32")
    expected = ((x - ref.moving_mean) / np.sqrt(ref.moving_var + 1e-3) * bn.gamma.numpy()
                + bn.beta.numpy())
    np.testing.assert_allclose(bn(x, training=False).detach().numpy(), expected, rtol=1e-4,
                               atol=1e-4)


def test_renorm_corrections_carry_no_gradient():
    # With r and d constants, d(sum(out))/d(gamma) = sum(x_hat * r + d) and
    # d(sum(out))/d(beta) = count; out's gradient w.r.t. x is that of batch norm
    # scaled by r, which sums to zero over the batch for each feature.
    rng = np.random.default_rng(12)
    bn = layers.BatchNormalization(renorm=True, renorm_momentum=0.0)
    bn.build((None, 2))
    bn.renorm_mean.assign([1.0, -1.0])
    bn.renorm_stddev.assign([2.0, 0.5])
    x = torch.tensor(rng.normal(size=(5, 2)), dtype=torch.float32, requires_grad=True)
    out = bn(x, training=True)
    weights = torch.tensor(rng.normal(size=(5, 2)), dtype=torch.float32)
    (out * weights).sum().backward()
    xn = x.detach().numpy().astype("float64")
    mean, std = xn.mean(0), np.sqrt(xn.var(0) + 1e-3)
    r, d = std / np.array([2.0, 0.5]), (mean - np.array([1.0, -1.0])) / np.array([2.0, 0.5])
    x_hat = (xn - mean) / std
    w = weights.numpy()
    np.testing.assert_allclose(bn.gamma.value.grad.numpy(), (w * (x_hat * r + d)).sum(0),
                               rtol=1e-4)
    np.testing.assert_allclose(bn.beta.value.grad.numpy(), w.sum(0), rtol=1e-5)
    # Batch-norm input gradient (r constant): r / std * (w - mean(w) - x_hat * mean(w * x_hat)).
    grad_x = r / std * (w - w.mean(0) - x_hat * (w * x_hat).mean(0))
    np.testing.assert_allclose(x.grad.numpy(), grad_x, rtol=1e-4, atol=1e-5)


def test_renorm_weights_config_and_errors():
    bn = layers.BatchNormalization(renorm=True, renorm_clipping={"rmax": 3, "dmax": 5},
                                   moving_variance_initializer="constant")
    bn.build((None, 4))
    assert [w.name for w in bn.weights] == ["gamma", "beta", "moving_mean", "moving_variance",
                                           "moving_stddev", "renorm_mean", "renorm_stddev"]
    assert [w.name for w in bn.trainable_weights] == ["gamma", "beta"]
    config = bn.get_config()
    assert config["renorm"] is True
    assert config["renorm_clipping"] == {"rmax": 3.0, "dmax": 5.0}
    assert config["renorm_momentum"] == 0.99
    assert list(config)[-4:] == ["synchronized", "renorm", "renorm_clipping", "renorm_momentum"]
    clone = layers.BatchNormalization.from_config(config)
    assert clone.renorm and clone.renorm_clipping == {"rmax": 3.0, "dmax": 5.0}
    plain = layers.BatchNormalization().get_config()
    assert plain["renorm"] is False and plain["renorm_clipping"] is None
    assert layers.BatchNormalization(renorm=True).get_config()["renorm_clipping"] == {}
    # Moving/renorm standard deviations start at sqrt(moving_variance_initializer).
    b2 = layers.BatchNormalization(renorm=True, moving_variance_initializer="zeros")
    b2.build((None, 2))
    np.testing.assert_array_equal(b2.moving_stddev.numpy(), [0, 0])
    np.testing.assert_array_equal(b2.renorm_stddev.numpy(), [0, 0])
    with pytest.raises(ValueError, match="invalid keys \\['rmean'\\]"):
        layers.BatchNormalization(renorm=True, renorm_clipping={"rmean": 1})
    with pytest.raises(ValueError, match="rmax >= rmin"):
        layers.BatchNormalization(renorm=True, renorm_clipping={"rmax": 1, "rmin": 2})
    with pytest.raises(ValueError, match="dmax >= 0"):
        layers.BatchNormalization(renorm=True, renorm_clipping={"dmax": -1})
    with pytest.raises(ValueError, match="must be a dict"):
        layers.BatchNormalization(renorm=True, renorm_clipping=[1, 2])
    with pytest.raises(ValueError, match="renorm_momentum"):
        layers.BatchNormalization(renorm=True, renorm_momentum=2)
