"""Core, reshaping, regularization, activation and merging layers."""

import json

import numpy as np
import pytest
import torch

from torkeras import layers
from torkeras.layers import Input


# -- Dropout ---------------------------------------------------------------
def test_dropout_training_scales_and_inference_is_identity():
    torch.manual_seed(0)
    x = torch.ones(200, 50)
    layer = layers.Dropout(0.4)
    y = layer(x, training=True)
    values = np.unique(y.numpy())
    np.testing.assert_allclose(values, [0.0, 1 / 0.6], rtol=1e-6)
    frac = float((y == 0).float().mean())
    assert 0.35 < frac < 0.45
    assert layer(x) is x
    assert layer(x, training=False) is x
    assert torch.equal(layers.Dropout(0.0)(x, training=True), x)
    assert torch.equal(layers.Dropout(1.0)(x, training=True), torch.zeros_like(x))


def test_dropout_noise_shape_and_seed():
    x = torch.ones(4, 30, 6)
    y = layers.Dropout(0.5, noise_shape=(None, 1, 6), seed=1)(x, training=True)
    # The same mask is shared along axis 1.
    assert torch.equal(y, y[:, :1, :].expand_as(y))
    a = layers.Dropout(0.5, seed=7)(x, training=True)
    b = layers.Dropout(0.5, seed=7)(x, training=True)
    assert torch.equal(a, b)


def test_dropout_config_and_errors():
    layer = layers.Dropout(0.25, noise_shape=(None, 1), seed=3, name="d")
    config = layer.get_config()
    assert config["rate"] == 0.25 and config["seed"] == 3 and config["noise_shape"] == [None, 1]
    assert layers.Dropout.from_config(config).get_config() == config
    assert layers.Dropout(0.2)(Input(shape=(5,))).shape == (None, 5)
    with pytest.raises(ValueError, match="rate"):
        layers.Dropout(1.5)
    with pytest.raises(ValueError, match="rate"):
        layers.Dropout("high")


def test_dropout_training_from_context():
    from torkeras.layers import Layer

    class Wrap(Layer):
        def __init__(self):
            super().__init__()
            self.drop = layers.Dropout(0.5)

        def call(self, x, training=None):
            return self.drop(x)

    x = torch.ones(100, 100)
    wrap = Wrap()
    assert torch.equal(wrap(x), x)
    assert not torch.equal(wrap(x, training=True), x)


# -- Activation / LeakyReLU / ReLU / Softmax --------------------------------
def test_activation_layer():
    x = torch.tensor([[-2.0, 0.0, 3.0]])
    torch.testing.assert_close(layers.Activation("relu")(x), torch.tensor([[0.0, 0.0, 3.0]]))
    torch.testing.assert_close(layers.Activation(torch.tanh)(x), torch.tanh(x))
    layer = layers.Activation("sigmoid")
    config = layer.get_config()
    assert config["activation"] == "sigmoid"
    assert layers.Activation.from_config(config).get_config() == config
    assert layers.Activation("softmax")(Input(shape=(3, 4))).shape == (None, 3, 4)
    with pytest.raises(ValueError, match="activation"):
        layers.Activation("nope")


def test_leaky_relu():
    layer = layers.LeakyReLU()
    assert layer.negative_slope == 0.3
    x = torch.tensor([-2.0, -0.5, 0.0, 4.0])
    np.testing.assert_allclose(layer(x).numpy(), [-0.6, -0.15, 0.0, 4.0], rtol=1e-6)
    np.testing.assert_allclose(layers.LeakyReLU(negative_slope=0.2)(x).numpy(),
                               [-0.4, -0.1, 0.0, 4.0], rtol=1e-6)
    with pytest.warns(UserWarning, match="alpha"):
        assert layers.LeakyReLU(alpha=0.1).negative_slope == 0.1
    config = layers.LeakyReLU(0.2).get_config()
    assert config["negative_slope"] == 0.2
    assert layers.LeakyReLU.from_config(config).get_config() == config
    with pytest.raises(ValueError, match="negative_slope"):
        layers.LeakyReLU(-1.0)


def test_relu_softmax_elu():
    x = torch.tensor([-2.0, 0.5, 3.0, 8.0])
    np.testing.assert_allclose(layers.ReLU(max_value=6.0, negative_slope=0.1, threshold=1.0)(x)
                               .numpy(), [-0.3, -0.05, 3.0, 6.0], rtol=1e-6)
    s = layers.Softmax()(torch.tensor([[1.0, 2.0, 3.0]]))
    np.testing.assert_allclose(s.numpy(), [np.exp([1, 2, 3]) / np.exp([1, 2, 3]).sum()], rtol=1e-6)
    np.testing.assert_allclose(layers.ELU()(torch.tensor([-1.0, 2.0])).numpy(),
                               [np.exp(-1) - 1, 2.0], rtol=1e-6)


# -- Flatten / Reshape -------------------------------------------------------
def test_flatten():
    x = torch.arange(24.0).reshape(2, 3, 4)
    torch.testing.assert_close(layers.Flatten()(x), x.reshape(2, 12))
    cf = layers.Flatten(data_format="channels_first")(x)
    torch.testing.assert_close(cf, x.permute(0, 2, 1).reshape(2, 12))
    assert layers.Flatten()(Input(shape=(7, 7, 128))).shape == (None, 6272)
    assert layers.Flatten()(Input(shape=(None, 3))).shape == (None, None)
    ints = layers.Flatten()(Input(shape=(2, 3), dtype="int32"))
    assert ints.dtype == "int32"
    config = layers.Flatten().get_config()
    assert config["data_format"] == "channels_last"
    assert layers.Flatten.from_config(config).get_config() == config


def test_reshape():
    x = torch.arange(24.0).reshape(2, 12)
    torch.testing.assert_close(layers.Reshape((3, 4))(x), x.reshape(2, 3, 4))
    torch.testing.assert_close(layers.Reshape((-1, 2))(x), x.reshape(2, 6, 2))
    assert layers.Reshape((7, 7, 128))(Input(shape=(6272,))).shape == (None, 7, 7, 128)
    assert layers.Reshape((-1, 4))(Input(shape=(3, 8))).shape == (None, 6, 4)
    assert layers.Reshape((-1, 4))(Input(shape=(None, 8))).shape == (None, None, 4)
    config = layers.Reshape((-1, 4)).get_config()
    assert config["target_shape"] == (-1, 4)
    assert layers.Reshape.from_config(json.loads(json.dumps(config))).get_config() == config
    with pytest.raises(ValueError, match="target_shape"):
        layers.Reshape((-1, -1))
    with pytest.raises(ValueError, match="target_shape"):
        layers.Reshape("abc")
    with pytest.raises(ValueError, match="target_shape"):
        layers.Reshape((5, 5))(Input(shape=(24,)))


# -- Embedding -----------------------------------------------------------------
def test_embedding():
    layer = layers.Embedding(10, 4)
    idx = torch.tensor([[0, 3, 9], [1, 1, 2]])
    y = layer(idx)
    assert y.shape == (2, 3, 4)
    table = layer.embeddings.numpy()
    assert table.shape == (10, 4) and layer.embeddings.name == "embeddings"
    assert np.abs(table).max() <= 0.05
    np.testing.assert_allclose(y.detach().numpy(), table[idx.numpy()])
    np.testing.assert_allclose(layer(idx.int()).detach().numpy(), table[idx.numpy()])
    np.testing.assert_allclose(layer(np.array([[2, 5]])).detach().numpy(), table[[[2, 5]]])
    sym = layers.Embedding(100, 8)(Input(shape=(20,), dtype="int32"))
    assert sym.shape == (None, 20, 8) and sym.dtype == "float32"
    assert layer.count_params() == 40


def test_embedding_mask_config_weights():
    layer = layers.Embedding(5, 2, mask_zero=True)
    mask = layer.compute_mask(torch.tensor([[0, 2, 0]]))
    assert mask.tolist() == [[False, True, False]]
    assert layers.Embedding(5, 2).compute_mask(torch.tensor([[0]])) is None
    config = layer.get_config()
    assert config["input_dim"] == 5 and config["output_dim"] == 2 and config["mask_zero"] is True
    assert config["embeddings_initializer"]["class_name"] == "RandomUniform"
    assert config["embeddings_initializer"]["config"]["minval"] == -0.05
    assert layers.Embedding.from_config(config).get_config() == config
    w = np.arange(10.0).reshape(5, 2)
    preset = layers.Embedding(5, 2, weights=w)
    np.testing.assert_array_equal(preset.embeddings.numpy(), w)
    with pytest.raises(ValueError, match="input_dim"):
        layers.Embedding(0, 3)
    with pytest.raises(ValueError, match="output_dim"):
        layers.Embedding(3, -1)


# -- Merging -------------------------------------------------------------------
def test_concatenate_and_add():
    a = torch.randn(2, 3)
    b = torch.randn(2, 5)
    torch.testing.assert_close(layers.Concatenate()([a, b]), torch.cat([a, b], dim=-1))
    c = torch.randn(4, 3)
    torch.testing.assert_close(layers.Concatenate(axis=0)([a, c]), torch.cat([a, c], dim=0))
    torch.testing.assert_close(layers.Add()([a, a, a]), 3 * a)
    torch.testing.assert_close(layers.concatenate([a, b], axis=1), torch.cat([a, b], dim=1))
    torch.testing.assert_close(layers.add([a, a]), 2 * a)
    torch.testing.assert_close(layers.Subtract()([a, 2 * a]), -a)
    torch.testing.assert_close(layers.Multiply()([a, a]), a * a)
    torch.testing.assert_close(layers.Average()([a, 3 * a]), 2 * a)
    torch.testing.assert_close(layers.Maximum()([a, -a]), a.abs())
    torch.testing.assert_close(layers.Minimum()([a, -a]), -a.abs())
    # Lower-rank inputs are aligned on the batch axis.
    d = torch.randn(2, 4, 3)
    torch.testing.assert_close(layers.Add()([a, d]), a[:, None, :] + d)


def test_merge_symbolic_shapes():
    x = Input(shape=(8, 8, 3))
    y = Input(shape=(8, 8, 5))
    assert layers.Concatenate()([x, y]).shape == (None, 8, 8, 8)
    assert layers.concatenate([x, y], axis=-1).shape == (None, 8, 8, 8)
    assert layers.Concatenate(axis=1)([x, x]).shape == (None, 16, 8, 3)
    assert layers.Add()([x, x]).shape == (None, 8, 8, 3)
    assert layers.add([x, Input(shape=(8, 1, 3))]).shape == (None, 8, 8, 3)
    assert layers.Concatenate()([Input(shape=(None, 2)), Input(shape=(4, 3))]).shape == (None, 4, 5)


def test_merge_errors_and_config():
    x = Input(shape=(4,))
    with pytest.raises(ValueError, match="list"):
        layers.Add()(x)
    with pytest.raises(ValueError, match="incompatible"):
        layers.Add()([x, Input(shape=(5,))])
    with pytest.raises(ValueError, match="matching shapes"):
        layers.Concatenate()([Input(shape=(3, 4)), Input(shape=(5, 4))])
    with pytest.raises(ValueError, match="exactly 2"):
        layers.Subtract()([x, x, x])
    config = layers.Concatenate(axis=1, name="cat").get_config()
    assert config["axis"] == 1 and config["name"] == "cat"
    assert layers.Concatenate.from_config(config).get_config() == config
    cfg = layers.Add(name="plus").get_config()
    assert layers.Add.from_config(cfg).get_config() == cfg


# -- generic ---------------------------------------------------------------------
ALL_CONFIGURABLE = [
    lambda: layers.Dense(3), lambda: layers.Dropout(0.1), lambda: layers.Activation("relu"),
    lambda: layers.Flatten(), lambda: layers.Reshape((2, -1)), lambda: layers.Concatenate(),
    lambda: layers.Add(), lambda: layers.Conv1D(2, 3), lambda: layers.Conv2D(2, 3),
    lambda: layers.Conv2DTranspose(2, 3), lambda: layers.MaxPooling2D(),
    lambda: layers.GlobalMaxPooling1D(), lambda: layers.GlobalMaxPooling2D(),
    lambda: layers.GlobalAveragePooling1D(), lambda: layers.GlobalAveragePooling2D(),
    lambda: layers.LeakyReLU(), lambda: layers.BatchNormalization(),
    lambda: layers.Embedding(4, 2), lambda: layers.AveragePooling2D(2), lambda: layers.ReLU(),
    lambda: layers.Softmax(), lambda: layers.ELU(), lambda: layers.Conv3D(2, 3),
]


@pytest.mark.parametrize("factory", ALL_CONFIGURABLE)
def test_config_round_trip_via_json(factory):
    layer = factory()
    config = layer.get_config()
    assert config["name"] == layer.name and config["trainable"] is True
    again = type(layer).from_config(json.loads(json.dumps(config)))
    assert json.dumps(again.get_config(), sort_keys=True) == json.dumps(config, sort_keys=True)


def test_auto_names():
    a, b = layers.Conv2D(1, 1), layers.Conv2D(1, 1)
    assert a.name.startswith("conv2d") and b.name.startswith("conv2d") and a.name != b.name
    assert layers.BatchNormalization().name.startswith("batch_normalization")
    assert layers.Conv2DTranspose(1, 1).name.startswith("conv2d_transpose")
    assert layers.GlobalAveragePooling2D().name.startswith("global_average_pooling2d")
    assert layers.MaxPooling2D().name.startswith("max_pooling2d")
    assert layers.LeakyReLU().name.startswith("leaky_re_lu")


def test_exports():
    for name in ("Layer", "InputLayer", "Input", "Dense", "concatenate", "add",
                 "Convolution2D", "MaxPool2D", "GlobalAvgPool2D", "AvgPool2D"):
        assert hasattr(layers, name), name
