import numpy as np
import pytest
import torch

import torkeras as keras
from torkeras import config, naming
from torkeras.variables import Variable


def test_config_defaults():
    assert config.floatx() == "float32"
    assert config.epsilon() == 1e-7
    assert config.image_data_format() == "channels_last"
    assert config.backend() == "torch"
    with pytest.raises(ValueError, match="data_format"):
        config.set_image_data_format("nchw")


def test_set_random_seed_reproduces_python_numpy_and_torch():
    import random
    keras.utils.set_random_seed(123)
    a = (random.random(), np.random.rand(), torch.rand(1).item())
    keras.utils.set_random_seed(123)
    b = (random.random(), np.random.rand(), torch.rand(1).item())
    assert a == b
    with pytest.raises(ValueError, match="seed"):
        keras.utils.set_random_seed(1.5)


def test_auto_names_follow_keras():
    names = [naming.auto_name("dense") for _ in range(3)]
    assert names == ["dense", "dense_1", "dense_2"]
    assert naming.to_snake_case("Conv2DTranspose") == "conv2d_transpose"
    assert naming.to_snake_case("LeakyReLU") == "leaky_re_lu"
    assert naming.to_snake_case("GlobalMaxPooling2D") == "global_max_pooling2d"


def test_variable_api():
    v = Variable(np.array([[1.0, 2.0], [3.0, 4.0]]), name="w")
    assert v.shape == (2, 2) and v.dtype == "float32" and v.trainable
    assert isinstance(v.value, torch.nn.Parameter)
    v.assign(np.zeros((2, 2)))
    v.assign_add(np.ones((2, 2)))
    v.assign_sub(np.full((2, 2), 0.5))
    np.testing.assert_allclose(v.numpy(), np.full((2, 2), 0.5))
    # torch functions and operators accept a Variable
    np.testing.assert_allclose(torch.sum(v).item(), 2.0)
    np.testing.assert_allclose((v * 2).detach().numpy(), np.ones((2, 2)))
    nt = Variable(np.zeros(3), trainable=False, name="count")
    assert not nt.trainable and not isinstance(nt.value, torch.nn.Parameter)


def test_variable_repr_has_path_shape_dtype():
    v = Variable(np.zeros((3, 64)), name="kernel")
    assert repr(v).startswith("<Variable path=kernel, shape=(3, 64), dtype=float32, value=[")
    b = Variable(np.zeros(64), name="bias")
    assert "shape=(64)," in repr(b)


def test_keras_tensor_repr_matches_keras():
    x = keras.Input(shape=(3,), name="my_input")
    assert repr(x) == ("<KerasTensor shape=(None, 3), dtype=float32, sparse=False, ragged=False, "
                       "name=my_input>")
    with pytest.raises(TypeError, match="no truth value"):
        bool(x)


class Scale(keras.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")
        self.count = self.add_weight(shape=(), initializer="zeros", trainable=False, name="count")

    def call(self, inputs, training=None):
        self.add_loss(torch.sum(self.w.value) * 0.5)
        if training:
            self.count.assign_add(1.0)
        return inputs * self.w.value


def test_layer_lazy_build_weights_and_losses():
    layer = Scale()
    assert not layer.built and layer.weights == []
    out = layer(torch.ones(2, 4))
    assert layer.built
    assert [w.name for w in layer.trainable_weights] == ["w"]
    assert [w.name for w in layer.non_trainable_weights] == ["count"]
    assert layer.count_params() == 5
    np.testing.assert_allclose(out.detach().numpy(), np.ones((2, 4)))
    assert len(layer.losses) == 1 and float(layer.losses[0]) == 2.0
    layer(torch.ones(2, 4))
    # losses are reset on each outermost call, not accumulated
    assert len(layer.losses) == 1
    # the layer's tensors are registered on the torch module
    assert len(list(layer.parameters())) == 1 and len(list(layer.buffers())) == 1


def test_training_flag_propagates_to_nested_layers():
    class Outer(keras.Layer):
        def __init__(self):
            super().__init__()
            self.inner = Scale()

        def call(self, x):
            return self.inner(x)

    outer = Outer()
    outer(torch.ones(1, 2), training=True)
    outer(torch.ones(1, 2), training=False)
    outer(torch.ones(1, 2), training=True)
    assert float(outer.inner.count.value) == 2.0
    assert len(outer.losses) == 1


def test_trainable_flag_moves_weights():
    layer = keras.layers.Dense(3)
    layer(torch.ones(1, 2))
    layer.trainable = False
    assert layer.trainable_weights == []
    assert len(layer.non_trainable_weights) == 2
    assert not layer.kernel.value.requires_grad
    layer.trainable = True
    assert layer.kernel.value.requires_grad


def test_dense_matches_numpy_and_counts_params():
    layer = keras.layers.Dense(4, activation="relu")
    x = np.random.RandomState(0).randn(5, 3).astype("float32")
    out = layer(x)
    k, b = layer.get_weights()
    assert k.shape == (3, 4) and b.shape == (4,)
    np.testing.assert_allclose(out.detach().numpy(), np.maximum(x @ k + b, 0), rtol=1e-5, atol=1e-6)
    assert layer.count_params() == 16
    with pytest.raises(ValueError, match="units"):
        keras.layers.Dense(2.5)


def test_count_params_unbuilt_is_a_clear_error():
    with pytest.raises(ValueError, match="isn't built"):
        keras.layers.Dense(2).count_params()


def test_unknown_layer_kwarg_is_rejected():
    with pytest.raises(ValueError, match="Unrecognized keyword arguments passed to Dense"):
        keras.layers.Dense(2, unitz=3)


def test_layer_get_config_roundtrip():
    layer = keras.layers.Dense(7, activation="relu", name="d")
    config = layer.get_config()
    assert config["units"] == 7 and config["activation"] == "relu" and config["name"] == "d"
    clone = keras.layers.Dense.from_config(config)
    assert clone.get_config() == config


def test_set_weights_checks_shapes():
    layer = keras.layers.Dense(2)
    layer(torch.ones(1, 3))
    with pytest.raises(ValueError, match="expected shape"):
        layer.set_weights([np.zeros((2, 2)), np.zeros(2)])
    layer.set_weights([np.ones((3, 2)), np.zeros(2)])
    np.testing.assert_allclose(layer(torch.ones(1, 3)).detach().numpy(), [[3.0, 3.0]])


def test_module_to_double_keeps_variables_in_sync():
    layer = Scale()
    layer(torch.ones(1, 2))
    layer.double()
    assert layer.count.value.dtype == torch.float64
    assert layer.count.value is layer._buffers[layer.count._owner_attr]
