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
