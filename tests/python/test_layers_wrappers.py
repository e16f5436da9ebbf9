"""Wrapper and core layers (Identity, TimeDistributed, Wrapper,
ActivityRegularization, PReLU, ReversibleEmbedding, layers.serialize /
deserialize) through the shared layer kit with independent NumPy
references, plus argument errors and edge cases."""
import numpy as np
import pytest
import torch

import torkeras as keras
from layer_test_kit import run_layer_test

L = keras.layers
rng = np.random.default_rng(7)


def test_identity_kit():
    x = rng.standard_normal((2, 3, 4)).astype("float32")
    run_layer_test(L.Identity, {}, input_data=x, expected_output_shape=(2, 3, 4),
                   expected_output=x, expected_num_trainable_weights=0,
                   expected_num_non_trainable_weights=0, supports_masking=True,
                   run_training_check=False)


def test_activity_regularization_kit_and_loss():
    x = rng.standard_normal((4, 3)).astype("float32")
    run_layer_test(L.ActivityRegularization, {"l1": 0.1, "l2": 0.2}, input_data=x,
                   expected_output_shape=(4, 3), expected_output=x,
                   expected_num_trainable_weights=0, supports_masking=True,
                   run_training_check=False)
    layer = L.ActivityRegularization(l1=0.1, l2=0.2)
    layer(x)
    expected = (0.1 * np.abs(x).sum() + 0.2 * np.square(x).sum()) / 4
    np.testing.assert_allclose(float(layer.losses[0]), expected, rtol=1e-6)


def test_activity_regularization_trains_with_only_its_loss():
    inp = keras.Input((3,))
    out = L.ActivityRegularization(l2=1.0)(L.Dense(3)(inp))
    model = keras.Model(inp, out)
    model.compile(optimizer="sgd", loss="mse")
    x = np.ones((4, 3), "float32")
    before = model.evaluate(x, np.zeros((4, 3), "float32"), verbose=0)
    model.fit(x, np.zeros((4, 3), "float32"), epochs=3, verbose=0)
    after = model.evaluate(x, np.zeros((4, 3), "float32"), verbose=0)
    assert after < before


@pytest.mark.parametrize("l1,l2,arg", [(-0.1, 0.0, "l1"), (0.0, "x", "l2")])
def test_activity_regularization_bad_factor(l1, l2, arg):
    with pytest.raises(ValueError, match=arg):
        L.ActivityRegularization(l1=l1, l2=l2)


def _prelu_ref(x, alpha):
    return np.where(x >= 0, x, alpha * x)


@pytest.mark.parametrize("shared_axes,alpha_shape", [(None, (3, 4)), ([1], (1, 4)),
                                                      (2, (3, 1)), ([1, 2], (1, 1))])
def test_prelu_kit(shared_axes, alpha_shape):
    x = rng.standard_normal((2, 3, 4)).astype("float32")
    init = keras.initializers.Constant(0.25)
    run_layer_test(L.PReLU, {"alpha_initializer": init, "shared_axes": shared_axes},
                   input_data=x, expected_output_shape=(2, 3, 4),
                   expected_output=_prelu_ref(x, np.full(alpha_shape, 0.25, "float32")),
                   expected_num_trainable_weights=1, supports_masking=True)
    layer = L.PReLU(shared_axes=shared_axes)
    layer(x)
    assert tuple(layer.alpha.shape) == alpha_shape


def test_prelu_errors():
    with pytest.raises(ValueError, match="shared_axes"):
        L.PReLU(shared_axes=0)
    with pytest.raises(ValueError, match="shared_axes"):
        L.PReLU(shared_axes=["a"])
    with pytest.raises(ValueError, match="out of range"):
        L.PReLU(shared_axes=3)(np.zeros((2, 3, 4), "float32"))


def test_time_distributed_kit():
    x = rng.standard_normal((2, 3, 4)).astype("float32")
    dense_init = {"units": 2, "kernel_initializer": "ones", "bias_initializer": "zeros"}
    run_layer_test(L.TimeDistributed, {"layer": L.Dense(**dense_init)}, input_data=x,
                   expected_output_shape=(2, 3, 2),
                   expected_output=np.repeat(x.sum(-1, keepdims=True), 2, axis=-1),
                   expected_num_trainable_weights=2, supports_masking=True,
                   custom_objects=None)


def test_time_distributed_per_step_batch_statistics():
    # As Keras: the wrapped layer runs once per step, so BatchNormalization in
    # training normalizes every step with that step's own batch statistics.
    x = rng.standard_normal((4, 3, 2)).astype("float32")
    td = L.TimeDistributed(L.BatchNormalization(momentum=0.0))
    y = td(x, training=True).detach().numpy()
    mean = x.mean(0, keepdims=True)
    var = x.var(0, keepdims=True)
    np.testing.assert_allclose(y, (x - mean) / np.sqrt(var + 1e-3), rtol=1e-5, atol=1e-5)


class _MaskRecorder(L.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen = []

    def call(self, inputs, mask=None):
        self.seen.append(None if mask is None else mask.detach().numpy().copy())
        return inputs * 2

    def compute_output_shape(self, input_shape):
        return input_shape


def test_time_distributed_mask_sliced_and_passed_on():
    x = np.arange(2 * 3 * 4 * 2, dtype="float32").reshape(2, 3, 4, 2)
    mask = np.array([[[True] * 4] * 3, [[True, True, False, False]] * 3])
    rec = _MaskRecorder()
    td = L.TimeDistributed(rec)
    out = td(x, mask=torch.tensor(mask))
    np.testing.assert_array_equal(out.detach().numpy(), x * 2)
    assert len(rec.seen) == 3
    for t in range(3):
        np.testing.assert_array_equal(rec.seen[t], mask[:, t])
    np.testing.assert_array_equal(out._keras_mask.numpy(), mask)
    # A (batch, time) mask from Masking reaches the outputs of TimeDistributed(Dense).
    seq = np.array([[[1.0, 2.0], [0.0, 0.0], [3.0, 1.0]]], "float32")
    inp = keras.Input((3, 2))
    h = L.TimeDistributed(L.Dense(2))(L.Masking()(inp))
    assert h._keras_mask is not None and h._keras_mask.shape == (None, 3)
    eager = L.TimeDistributed(L.Dense(2))(L.Masking()(seq))
    np.testing.assert_array_equal(eager._keras_mask.numpy(), [[True, False, True]])


def test_time_distributed_errors():
    with pytest.raises(ValueError, match="keras.layers.Layer"):
        L.TimeDistributed(torch.nn.Linear(2, 2))
    with pytest.raises(ValueError, match="at least 3 dimensions"):
        L.TimeDistributed(L.Dense(2))(np.zeros((2, 3), "float32"))
    td = L.TimeDistributed(L.Dense(2))
    with pytest.raises(ValueError, match="incompatible"):
        td(np.zeros((2, 3, 4), "float32"), mask=torch.ones(2, 5, dtype=torch.bool))
    with pytest.raises(ValueError, match="at least 2D"):
        td(np.zeros((2, 3, 4), "float32"), mask=torch.ones(2, dtype=torch.bool))


def test_wrapper_base_class():
    with pytest.raises(ValueError, match="Wrapper"):
        L.Wrapper("dense")

    class Twice(L.Wrapper):
        def call(self, inputs):
            return self.layer(self.layer(inputs))

        def compute_output_shape(self, input_shape):
            return input_shape

    w = Twice(L.Dense(3, kernel_initializer="identity", bias_initializer="ones"))
    x = np.ones((2, 3), "float32")
    np.testing.assert_allclose(w(x).detach().numpy(), x + 2)
    assert len(w.trainable_weights) == 2
    config = w.get_config()
    assert config["layer"]["class_name"] == "Dense"
    clone = Twice.from_config(config)
    assert isinstance(clone.layer, L.Dense) and clone.layer.units == 3


def test_reversible_embedding_kit_and_reverse():
    ids = np.array([[1, 0, 3], [2, 4, 0]], "int32")
    table = rng.standard_normal((5, 3)).astype("float32")
    run_layer_test(L.ReversibleEmbedding,
                   {"input_dim": 5, "output_dim": 3,
                    "embeddings_initializer": keras.initializers.Constant(table)},
                   input_data=ids, input_dtype="int32", expected_output_shape=(2, 3, 3),
                   expected_output=table[ids], expected_num_trainable_weights=1,
                   run_training_check=False)
    layer = L.ReversibleEmbedding(5, 3, logit_soft_cap=2.0)
    layer.build()
    layer.set_weights([table])
    hidden = rng.standard_normal((2, 3)).astype("float32")
    logits = layer(hidden, reverse=True).detach().numpy()
    np.testing.assert_allclose(logits, np.tanh(hidden @ table.T / 2.0) * 2.0, rtol=1e-5)


def test_reversible_embedding_untied_and_mask():
    layer = L.ReversibleEmbedding(6, 2, tie_weights=False, mask_zero=True)
    out = layer(np.array([[0, 5, 2]]))
    np.testing.assert_array_equal(out._keras_mask.numpy(), [[False, True, True]])
    assert [w.path.split("/")[-1] for w in layer.weights] == ["embeddings", "reverse_embeddings"]
    rev = layer(out, reverse=True)
    assert tuple(rev.shape) == (1, 3, 6) and getattr(rev, "_keras_mask", None) is None
    np.testing.assert_allclose(rev.detach().numpy(),
                               out.detach().numpy() @ layer.reverse_embeddings.numpy(),
                               # float32 sums of products near 0: torch and NumPy
                               # may add them in different orders
                               rtol=1e-6, atol=1e-7)
    inp = keras.Input((3,), dtype="int32")
    h = layer(inp)
    logits = layer(h, reverse=True)
    assert logits.shape == (None, 3, 6)
    model = keras.Model(inp, logits)
    assert model.predict(np.array([[1, 2, 3]]), verbose=0).shape == (1, 3, 6)
    with pytest.raises(ValueError, match="logit_soft_cap"):
        L.ReversibleEmbedding(4, 2, logit_soft_cap=-1)


def test_layers_serialize_deserialize():
    layer = L.PReLU(shared_axes=[1], name="pr")
    config = L.serialize(layer)
    assert config["class_name"] == "PReLU" and config["config"]["shared_axes"] == [1]
    again = L.deserialize(config)
    assert isinstance(again, L.PReLU) and again.name == "pr" and again.shared_axes == [1]
    td = L.deserialize(L.serialize(L.TimeDistributed(L.Dense(3), name="td")))
    assert isinstance(td.layer, L.Dense) and td.layer.units == 3
    with pytest.raises(ValueError, match="not a `keras.layers.Layer`"):
        L.deserialize(keras.initializers.serialize(keras.initializers.Ones()))


def test_lambda_kit_and_arguments():
    x = rng.standard_normal((2, 3)).astype("float32")
    run_layer_test(L.Lambda, {"function": lambda t, k=2.0: t * k + 1.0}, input_data=x,
                   expected_output_shape=(2, 3), expected_output=x * 2.0 + 1.0,
                   expected_num_trainable_weights=0, run_training_check=False,
                   run_save_check=False, run_config_check=False)
    layer = L.Lambda(lambda t, power: t ** power, arguments={"power": 3})
    np.testing.assert_allclose(layer(x).numpy(), x ** 3, rtol=1e-6)


def test_lambda_output_shape_and_inference():
    inp = keras.Input((4,))
    assert L.Lambda(lambda t: t[:, :2])(inp).shape == (None, 2)
    assert L.Lambda(lambda t: t[:, :2], output_shape=(2,))(inp).shape == (None, 2)
    assert L.Lambda(lambda t: t[:, :2], output_shape=lambda s: (s[0], 2))(inp).shape == (None, 2)
    both = L.Lambda(lambda ts: ts[0] + ts[1])([inp, inp])
    assert both.shape == (None, 4)


def test_lambda_mask_and_training_arguments():
    seen = {}

    def fn(t, mask=None, training=None):
        seen["mask"], seen["training"] = mask, training
        return t

    layer = L.Lambda(fn, mask=lambda inputs, mask: mask)
    x = np.ones((1, 3, 2), "float32")
    mask = torch.tensor([[True, False, True]])
    out = layer(x, mask=mask, training=True)
    assert seen["training"] is True and torch.equal(seen["mask"], mask)
    assert torch.equal(out._keras_mask, mask)
    assert L.Lambda(lambda t: t).supports_masking is False


def test_lambda_save_load_safe_mode(tmp_path):
    inp = keras.Input((3,))
    out = L.Lambda(lambda t, k=3.0: t * k, output_shape=(3,))(inp)
    model = keras.Model(inp, out)
    path = str(tmp_path / "m.keras")
    model.save(path)
    with pytest.raises(ValueError, match="Lambda.*safe_mode=False"):
        keras.saving.load_model(path)
    loaded = keras.saving.load_model(path, safe_mode=False)
    x = np.array([[1.0, 2.0, 3.0]], "float32")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), x * 3.0)


def test_lambda_errors_and_unsaveable_functions():
    with pytest.raises(ValueError, match="callable"):
        L.Lambda(3)
    with pytest.raises(ValueError, match="arguments"):
        L.Lambda(lambda t: t, arguments=[1])

    def foreign(t):
        return t
    foreign._keras_unserializable = "it is not a Python function"
    layer = L.Lambda(foreign)
    np.testing.assert_array_equal(layer(np.ones((1, 2), "float32")).numpy(), [[1.0, 1.0]])
    with pytest.raises(ValueError, match="cannot be saved: it is not a Python function"):
        layer.get_config()
    with pytest.raises(NotImplementedError, match="output_shape"):
        L.Lambda(lambda t: t.numpy().tolist()).compute_output_shape((None, 3))



def test_torch_module_wrapper_tracks_and_trains_parameters():
    torch.manual_seed(0)
    module = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Dropout(0.5))
    layer = L.TorchModuleWrapper(module)
    assert [tuple(v.shape) for v in layer.trainable_weights] == [(4, 3), (4,)]
    assert layer.trainable_weights[0].value is module[0].weight  # shared, not copied
    x = rng.standard_normal((5, 3)).astype("float32")
    expected = x @ module[0].weight.detach().numpy().T + module[0].bias.detach().numpy()
    np.testing.assert_allclose(layer(x, training=False).detach().numpy(), expected, rtol=1e-6)
    assert not module.training
    layer(x, training=True)
    assert module.training
    inp = keras.Input((3,))
    model = keras.Model(inp, L.TorchModuleWrapper(torch.nn.Linear(3, 2))(inp))
    assert model.output.shape == (None, 2)
    model.compile(optimizer="sgd", loss="mse")
    before = [w.numpy() for w in model.trainable_weights]
    model.fit(x, np.ones((5, 2), "float32"), epochs=1, verbose=0)
    assert all(not np.array_equal(b, w.numpy()) for b, w in zip(before, model.trainable_weights))


def test_torch_module_wrapper_errors_and_config(tmp_path):
    with pytest.raises(ValueError, match="torch.nn.Module"):
        L.TorchModuleWrapper("linear")
    with pytest.raises(ValueError, match="LazyModules"):
        L.TorchModuleWrapper(torch.nn.LazyLinear(2))
    layer = L.TorchModuleWrapper(torch.nn.Linear(2, 2), output_shape=(None, 2), name="tm")
    config = layer.get_config()
    assert set(config) >= {"name", "module", "output_shape"} and config["output_shape"] == [None, 2]
    with pytest.raises(ValueError, match="safe_mode=False"):
        L.TorchModuleWrapper.from_config(dict(config))
    clone = L.TorchModuleWrapper.from_config(dict(config), safe_mode=False)
    x = np.ones((1, 2), "float32")
    np.testing.assert_allclose(clone(x).detach().numpy(), layer(x).detach().numpy())


class _Specced(L.Layer):
    def __init__(self, spec, **kwargs):
        super().__init__(**kwargs)
        self.input_spec = spec

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape


@pytest.mark.parametrize("spec,shape,dtype,message", [
    (dict(ndim=3), (2, 4), "float32", "expected ndim=3, found ndim=2"),
    (dict(min_ndim=3), (2, 4), "float32", "expected min_ndim=3, found ndim=2"),
    (dict(max_ndim=2), (2, 4, 1), "float32", "expected max_ndim=2, found ndim=3"),
    (dict(axes={-1: 5}), (2, 4), "float32", "expected axis -1 of input shape to have value 5"),
    (dict(shape=(None, 5)), (2, 4), "float32", r"expected shape=\(None, 5\), found shape"),
    (dict(dtype="int32"), (2, 4), "float32", "expected dtype=int32, found dtype=float32"),
])
def test_input_spec_checks(spec, shape, dtype, message):
    layer = _Specced(L.InputSpec(**spec), name="checked")
    with pytest.raises(ValueError, match="Input 0 with name 'None' of layer 'checked' is "
                                         "incompatible with the layer: " + message):
        layer(np.zeros(shape, dtype))
    with pytest.raises(ValueError, match=message):
        layer(keras.Input(shape[1:], dtype=dtype))


def test_input_spec_accepts_and_config():
    spec = L.InputSpec(shape=(None, 4), dtype="float32")
    assert spec.ndim == 2 and repr(spec) == "InputSpec(dtype=float32, shape=(None, 4), ndim=2)"
    layer = _Specced(spec)
    layer(np.zeros((3, 4), "float32"))
    assert L.InputSpec.from_config(spec.get_config()).get_config() == spec.get_config()
    squeeze = _Specced(L.InputSpec(shape=(None, 4, 1), allow_last_axis_squeeze=True))
    squeeze(np.zeros((2, 4), "float32"))
    with pytest.raises(TypeError, match="axes"):
        L.InputSpec(axes={"a": 1})
    with pytest.raises(ValueError, match="expects 2 input"):
        _Specced([L.InputSpec(ndim=2), L.InputSpec(ndim=2)])(np.zeros((2, 2), "float32"))


def test_prelu_input_spec_as_keras():
    layer = L.PReLU(shared_axes=[1])
    layer(np.zeros((2, 3, 4), "float32"))
    layer(np.zeros((2, 7, 4), "float32"))  # a shared axis may change size
    with pytest.raises(ValueError, match="expected axis 2 of input shape to have value 4"):
        layer(np.zeros((2, 3, 5), "float32"))
    with pytest.raises(ValueError, match="expected ndim=3, found ndim=2"):
        layer(np.zeros((2, 4), "float32"))
