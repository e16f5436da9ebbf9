"""The `axis` and gamma/beta arguments BatchNormalization and
LayerNormalization share (layers/normalization/normalization_args.py)."""

import numpy as np
import pytest
import torch

from torkeras import Input, layers


@pytest.mark.parametrize("axis", ["1", 1.5, True, None])
def test_batch_norm_axis_must_be_an_integer(axis):
    with pytest.raises(ValueError, match=r"BatchNormalization: `axis` must be an integer; "
                                         r"received: axis="):
        layers.BatchNormalization(axis=axis)


@pytest.mark.parametrize("axis", ["-1", [1, "2"], 0.5, False])
def test_layer_norm_axis_must_be_integers(axis):
    with pytest.raises(ValueError, match="LayerNormalization: `axis` must be an integer or a "
                                         "list of integers"):
        layers.LayerNormalization(axis=axis)


def test_integral_axis_values_are_kept_as_ints():
    assert layers.BatchNormalization(axis=np.int64(1)).axis == 1
    assert layers.BatchNormalization(axis=2.0).axis == 2
    assert layers.LayerNormalization(axis=(np.int32(1), 2)).axis == [1, 2]
    with pytest.raises(ValueError, match="`axis` must be an integer; received: axis=\\[1\\]"):
        layers.BatchNormalization(axis=[1])


@pytest.mark.parametrize("cls,axis", [(layers.BatchNormalization, -4),
                                      (layers.LayerNormalization, [1, 3])])
def test_axes_out_of_range_at_build(cls, axis):
    with pytest.raises(ValueError, match=rf"{cls.__name__} '.*': axis {axis if isinstance(axis, int) else 3} "
                                         r"is out of range for inputs of shape \(None, 5, 4\)"):
        cls(axis=axis)(Input(shape=(5, 4)))


@pytest.mark.parametrize("cls", [layers.BatchNormalization, layers.LayerNormalization])
def test_normalized_dimension_must_be_known(cls):
    with pytest.raises(ValueError, match=r"the dimension of axis 1 must be known; received "
                                         r"input shape \(None, None, 4\)"):
        cls(axis=1)(Input(shape=(None, 4)))


def test_gamma_beta_switches_shapes_and_arguments():
    bn = layers.BatchNormalization(axis=1, center=False, gamma_initializer="zeros",
                                   gamma_regularizer="l2", gamma_constraint="non_neg")
    bn.build((None, 3, 5))
    assert bn.beta is None and tuple(bn.gamma.shape) == (3,)
    assert [w.name for w in bn.weights] == ["gamma", "moving_mean", "moving_variance"]
    np.testing.assert_array_equal(bn.gamma.numpy(), np.zeros(3, dtype="float32"))
    bn.gamma.assign(np.array([1.0, -2.0, 3.0], dtype="float32"))
    # The L2 penalty (default factor 0.01) and the non-negativity constraint
    # reach gamma.
    assert float(bn.losses[0].detach()) == pytest.approx(0.01 * (1 + 4 + 9))
    np.testing.assert_array_equal(bn.gamma.constraint(bn.gamma.value).detach().numpy(), [1.0, 0.0, 3.0])

    ln = layers.LayerNormalization(axis=[-2, -1], scale=False, beta_initializer="ones")
    ln.build((None, 2, 3, 4))
    assert ln.gamma is None and tuple(ln.beta.shape) == (3, 4)
    np.testing.assert_array_equal(ln.beta.numpy(), np.ones((3, 4), dtype="float32"))
    x = torch.randn(2, 2, 3, 4)
    # Without gamma the output is the standardized input plus beta.
    flat = x.reshape(2, 2, 12)
    mean, var = flat.mean(-1, keepdim=True), flat.var(-1, unbiased=False, keepdim=True)
    expected = ((flat - mean) / torch.sqrt(var + 1e-3)).reshape(2, 2, 3, 4) + 1.0
    np.testing.assert_allclose(ln(x).detach().numpy(), expected.numpy(), rtol=1e-5, atol=1e-5)


def test_configs_carry_every_gamma_beta_argument():
    keys = {"center", "scale", "beta_initializer", "gamma_initializer", "beta_regularizer",
            "gamma_regularizer", "beta_constraint", "gamma_constraint"}
    bn_config = layers.BatchNormalization(center=False, beta_constraint="max_norm").get_config()
    assert keys | {"moving_mean_initializer", "moving_variance_initializer", "synchronized",
                   "axis", "momentum", "epsilon"} <= set(bn_config)
    assert bn_config["center"] is False and bn_config["beta_constraint"]["class_name"] == "MaxNorm"
    ln_config = layers.LayerNormalization(scale=False, rms_scaling=True).get_config()
    assert keys | {"axis", "epsilon", "rms_scaling"} <= set(ln_config)
    assert ln_config["scale"] is False and ln_config["rms_scaling"] is True
