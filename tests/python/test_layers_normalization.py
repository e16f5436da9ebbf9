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
