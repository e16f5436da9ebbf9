"""Mixed precision: dtype policies (errors, global default, the policy map),
layers under mixed policies (dtypes, variable autocasting, nesting, configs),
LossScaleOptimizer (argument errors, growth, skipping, stateless apply,
configs) and compile()/fit()/save under mixed policies."""
import sys

import numpy as np
import pytest
import torch

import torkeras as keras
from torkeras import dtype_policies, mixed_precision
from torkeras.variables import autocast_dtype, autocast_scope


_POLICY_MODULE = sys.modules["torkeras.dtype_policies.dtype_policy"]


@pytest.fixture(autouse=True)
def _float32_policy():
    keras.config.set_dtype_policy("float32")
    yield
    # Back to "no policy set" (the default follows floatx), as other tests expect.
    _POLICY_MODULE._GLOBAL_POLICY = None
    keras.config.set_floatx("float32")


# -- policies -------------------------------------------------------------------
@pytest.mark.parametrize("bad,error,match", [
    ("mixed_float17", ValueError, "Cannot convert 'mixed_float17'"),
    (3, TypeError, "'name' must be a string"),
])
def test_policy_name_errors(bad, error, match):
    with pytest.raises(error, match=match):
        dtype_policies.DTypePolicy(bad)


@pytest.mark.parametrize("make,match", [
    (lambda: dtype_policies.QuantizedDTypePolicy("int3", "float32"), "Invalid quantization mode"),
    (lambda: dtype_policies.QuantizedDTypePolicy("int8", "float16"), "doesn't work well"),
    (lambda: dtype_policies.Int4DTypePolicy("int4", "float32"), "Expected format 'int4/<block_size>'"),
    (lambda: dtype_policies.Int4DTypePolicy("int4/x", "float32"), "must be an integer"),
    (lambda: dtype_policies.Int4DTypePolicy("int4/0", "float32"), "Invalid block_size"),
    (lambda: dtype_policies.GPTQDTypePolicy("gptq/5/128", "float32"), "2, 3, 4, and 8"),
    (lambda: dtype_policies.GPTQDTypePolicy("gptq/4", "float32"), "gptq/<weight_bits>/<group_size>"),
    (lambda: dtype_policies.GPTQDTypePolicy("gptq/4/-2", "float32"), "Invalid group_size"),
    (lambda: dtype_policies.AWQDTypePolicy("awq/8/128", "float32"), "AWQ only supports 4-bit"),
    (lambda: dtype_policies.get("int8_float32"), "valid pair"),
    (lambda: dtype_policies.get(object()), "Cannot interpret `dtype`"),
    (lambda: dtype_policies.deserialize({"class_name": "NoSuchPolicy", "config": {}}),
     "Unknown dtype policy class"),
    (lambda: keras.config.set_dtype_policy(3), "Invalid `policy` argument"),
])
def test_quantized_policy_and_lookup_errors(make, match):
    with pytest.raises((ValueError, TypeError), match=match):
        make()


def test_float8_amax_history_length_must_be_an_integer():
    with pytest.raises(TypeError, match="amax_history_length"):
        dtype_policies.QuantizedFloat8DTypePolicy("float8", "float32", amax_history_length=2.5)


def test_policy_equality_repr_and_legacy_names():
    assert dtype_policies.DTypePolicy("mixed_float16") == dtype_policies.FloatDTypePolicy(
        "mixed_float16")
    assert dtype_policies.DTypePolicy("float32") != dtype_policies.DTypePolicy("float16")
    assert dtype_policies.DTypePolicy("float32") != "float32"
    assert repr(dtype_policies.FloatDTypePolicy("float32")) == '<DTypePolicy "float32">'
    assert mixed_precision.Policy is dtype_policies.DTypePolicy
    assert keras.DTypePolicy is dtype_policies.DTypePolicy
    mixed_precision.set_global_policy("mixed_bfloat16")
    assert mixed_precision.global_policy().name == "mixed_bfloat16"
    assert keras.config.dtype_policy() is mixed_precision.dtype_policy()
    assert dtype_policies.get(torch.float64).name == "float64"
    assert dtype_policies.get(np.float16).name == "float16"
    # The tf.keras-era envelope class name is read too.
    assert dtype_policies.deserialize(
        {"class_name": "DTypePolicy", "config": {"name": "mixed_float16"}}).name == "mixed_float16"


def test_default_policy_follows_floatx_until_one_is_set():
    _POLICY_MODULE._GLOBAL_POLICY = None
    keras.config.set_floatx("float64")
    assert keras.config.dtype_policy().name == "float64"
    assert keras.layers.Dense(2).dtype == "float64"
    keras.config.set_floatx("float32")
    assert keras.config.dtype_policy().name == "float32"


def test_policy_map_lookup():
    policy_map = dtype_policies.DTypePolicyMap(default_policy="float32")
    policy_map["encoder/dense"] = "bfloat16"
    policy_map["encoder/.*"] = "float16"
    assert policy_map["encoder/dense"].name == "bfloat16"
    assert policy_map["encoder/attention"].name == "float16"
    assert policy_map["decoder"].name == "float32"
    assert policy_map.name == "map_float32" and policy_map.compute_dtype == "float32"
    with pytest.raises(ValueError, match="already exist"):
        policy_map["encoder/dense"] = "float32"
    policy_map["encoder/attention/.*"] = "float32"
    with pytest.raises(ValueError, match="matches multiple"):
        policy_map["encoder/attention/query"]
    with pytest.raises(ValueError, match="cannot be a `DTypePolicyMap`"):
        dtype_policies.DTypePolicyMap(default_policy=policy_map)
    with pytest.raises(TypeError, match="must be a dict"):
        dtype_policies.DTypePolicyMap(policy_map=[1])
    del policy_map["encoder/attention/.*"]
    assert len(policy_map) == 2 and "encoder/dense" in policy_map


# -- layers ---------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [
    "mixed_bfloat16", dtype_policies.DTypePolicy("mixed_bfloat16"),
    {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "mixed_bfloat16"},
     "registered_name": None}])
def test_layer_dtype_argument_forms(dtype):
    layer = keras.layers.Dense(3, dtype=dtype)
    assert layer.dtype_policy.name == "mixed_bfloat16"
    assert (layer.compute_dtype, layer.variable_dtype, layer.dtype) == \
        ("bfloat16", "float32", "float32")


def test_layer_dtype_errors_name_the_argument():
    with pytest.raises(ValueError, match="Invalid `dtype` argument"):
        keras.layers.Dense(3, dtype="mixed_float17")


def test_variables_stay_float32_and_are_read_in_the_compute_dtype_in_call():
    seen = {}

    class Probe(keras.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(2,), initializer="ones")
            self.step = self.add_weight(shape=(), initializer="zeros", dtype="int32",
                                        trainable=False)
            self.raw = self.add_weight(shape=(2,), initializer="ones", autocast=False)

        def call(self, x):
            seen.update(w=self.w.value.dtype, step=self.step.value.dtype,
                        raw=self.raw.value.dtype, x=x.dtype, scope=autocast_dtype())
            return x * self.w

    probe = Probe(dtype="mixed_float16")
    out = probe(np.ones((3, 2), "float32"))
    assert seen == {"w": torch.float16, "step": torch.int32, "raw": torch.float32,
                    "x": torch.float16, "scope": torch.float16}
    assert out.dtype == torch.float16
    assert probe.w.value.dtype == torch.float32 and probe.w.dtype == "float32"
    assert autocast_dtype() is None
    # Gradients reach the float32 variable through the cast.
    probe(np.ones((3, 2), "float32")).float().sum().backward()
    assert probe.w.value.grad.dtype == torch.float32
    np.testing.assert_array_equal(probe.w.value.grad.numpy(), [3.0, 3.0])


def test_autocast_scope_rules_for_nested_layers():
    seen = {}

    class Inner(keras.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(2,), initializer="ones")

        def call(self, x):
            seen[self.name] = (self.w.value.dtype, autocast_dtype())
            return x * self.w

    class Outer(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.a = Inner(name="a", dtype="float32")
            self.b = Inner(name="b", dtype="float32", autocast=False)
            self.c = Inner(name="c", dtype="mixed_bfloat16")

        def call(self, x):
            return self.c(self.b(self.a(x)))

    Outer(dtype="mixed_float16")(np.ones((1, 2), "float32"))
    assert seen["a"] == (torch.float32, torch.float32)  # its own compute dtype
    assert seen["b"] == (torch.float32, None)           # no autocast: scope off
    assert seen["c"] == (torch.bfloat16, torch.bfloat16)


def test_autocast_scope_refuses_non_float_dtypes():
    with pytest.raises(ValueError, match="floating-point"):
        autocast_scope("int32")


def test_multiple_float_arguments_are_cast_to_the_compute_dtype():
    add = keras.layers.Add(dtype="mixed_float16")
    out = add([torch.ones(2, 3), torch.ones(2, 3, dtype=torch.float64)])
    assert out.dtype == torch.float16
    integer = keras.layers.Embedding(5, 2, dtype="mixed_float16")(torch.tensor([[1, 2]]))
    assert integer.dtype == torch.float16


@pytest.mark.parametrize("policy,dtype", [("mixed_float16", torch.float16),
                                          ("mixed_bfloat16", torch.bfloat16)])
def test_more_layers_under_mixed_policies(policy, dtype):
    keras.config.set_dtype_policy(policy)
    x = np.random.default_rng(0).standard_normal((4, 6, 6, 3)).astype("float32")
    bn = keras.layers.BatchNormalization()
    out = bn(x, training=True)
    assert out.dtype == dtype
    assert bn.moving_mean.dtype == "float32" and bn.gamma.dtype == "float32"
    for layer in [keras.layers.DepthwiseConv2D(3), keras.layers.SeparableConv2D(2, 3),
                  keras.layers.Conv2DTranspose(2, 3), keras.layers.Conv1D(2, 3)]:
        inp = x if layer.__class__.__name__ != "Conv1D" else x[:, 0]
        assert layer(inp).dtype == dtype, type(layer).__name__
        assert all(w.dtype == "float32" for w in layer.weights)
    lstm = keras.layers.LSTM(3)
    assert lstm(x[:, 0]).dtype == dtype
    assert all(w.dtype == "float32" for w in lstm.weights)


def test_symbolic_outputs_carry_the_compute_dtype():
    keras.config.set_dtype_policy("mixed_bfloat16")
    inputs = keras.Input((4,))
    assert inputs.dtype == "float32"
    h = keras.layers.Dense(3)(inputs)
    a = keras.layers.Activation("relu")(h)          # no compute_output_shape
    out = keras.layers.Softmax(dtype="float32")(a)
    assert (h.dtype, a.dtype, out.dtype) == ("bfloat16", "bfloat16", "float32")
    model = keras.Model(inputs, out)
    assert model(np.ones((2, 4), "float32")).dtype == torch.float32


def test_dtype_policy_setter_and_configs_round_trip():
    layer = keras.layers.Dense(2)
    layer.dtype_policy = "mixed_float16"
    assert layer.compute_dtype == "float16"
    config = layer.get_config()
    assert config["dtype"] == {"module": "keras", "class_name": "DTypePolicy",
                               "config": {"name": "mixed_float16"}, "registered_name": None}
    assert keras.layers.Dense.from_config(config).dtype_policy.name == "mixed_float16"
    # A plain string (Keras 2 style configs) is read too.
    config["dtype"] = "mixed_bfloat16"
    assert keras.layers.Dense.from_config(config).compute_dtype == "bfloat16"
    quantized = keras.layers.Dense(2, dtype="int8_from_mixed_bfloat16")
    assert quantized.quantization_mode == "int8" and quantized.compute_dtype == "bfloat16"
    assert keras.layers.Dense.from_config(quantized.get_config()).dtype_policy == \
        quantized.dtype_policy
    keras.config.set_dtype_policy("mixed_float16")
    seq = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    assert seq.get_config()["dtype"]["config"]["name"] == "mixed_float16"


# -- LossScaleOptimizer -------------------------------------------------------------
@pytest.mark.parametrize("kwargs,match", [
    ({"dynamic": False}, "no longer supports `dynamic=False`"),
    ({"clipnorm": 1.0}, "does not support `clipnorm`"),
    ({"use_ema": True}, "does not support `use_ema`"),
    ({"foo": 1}, "does not support arguments: `foo`"),
    ({"initial_scale": 0}, "`initial_scale` must be a positive"),
    ({"initial_scale": "big"}, "`initial_scale` must be a positive"),
    ({"dynamic_growth_steps": 0}, "`dynamic_growth_steps` must be a positive integer"),
    ({"dynamic_growth_steps": 2.5}, "`dynamic_growth_steps` must be a positive integer"),
])
def test_loss_scale_optimizer_argument_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(), **kwargs)


def test_loss_scale_optimizer_inner_must_be_an_optimizer():
    with pytest.raises(TypeError, match="inner_optimizer"):
        keras.optimizers.LossScaleOptimizer("sgd")
    lso = keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD())
    with pytest.raises(ValueError, match="already a LossScaleOptimizer"):
        keras.optimizers.LossScaleOptimizer(lso)
    # Base-optimizer arguments at their defaults are accepted, as in Keras.
    keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(), clipnorm=None, use_ema=False)


def test_scale_grows_after_growth_steps_and_halves_on_nan():
    opt = keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(1.0), initial_scale=2.0,
                                              dynamic_growth_steps=3)
    v = keras.Variable(np.zeros(2, "float32"))
    scales = []
    for grad in [[2, 2], [2, 2], [2, 2], [float("nan"), 1], [4, 4]]:
        opt.apply([torch.tensor(grad, dtype=torch.float32)], [v])
        scales.append(float(opt.dynamic_scale.numpy()))
    assert scales == [2.0, 2.0, 4.0, 2.0, 2.0]
    # Unscaled gradients: 1, 1, 1 (scale 2), skipped, then 4 / 2 = 2.
    np.testing.assert_allclose(v.numpy(), [-5.0, -5.0])
    assert int(opt.iterations.numpy()) == 4
    assert opt.learning_rate == 1.0
    opt.learning_rate = 0.5
    assert opt.inner_optimizer.learning_rate == 0.5
    assert bool(opt.check_finite([None, torch.ones(2)]))
    assert not bool(opt.check_finite([torch.tensor([float("inf")])]))


def test_loss_scale_optimizer_stateless_apply_equals_apply():
    def make():
        opt = keras.optimizers.LossScaleOptimizer(keras.optimizers.Adam(0.1), initial_scale=4.0,
                                                  dynamic_growth_steps=1)
        v = keras.Variable(np.array([1.0, -1.0], "float32"))
        opt.build([v])
        return opt, v

    for grad in ([4.0, 8.0], [float("inf"), 1.0]):
        live, lv = make()
        pure, pv = make()
        before = [x.numpy() for x in pure.variables]
        new_train, new_opt = pure.stateless_apply([x.value for x in pure.variables],
                                                  [torch.tensor(grad)], [pv.value])
        live.apply([torch.tensor(grad)], [lv])
        np.testing.assert_array_equal(new_train[0].numpy(), lv.numpy())
        for got, want in zip(new_opt, live.variables):
            np.testing.assert_array_equal(got.numpy(), want.numpy())
        for x, b in zip(pure.variables, before):   # nothing live changed
            np.testing.assert_array_equal(x.numpy(), b)


def test_loss_scale_optimizer_config_and_weights_round_trip():
    opt = keras.optimizers.LossScaleOptimizer(keras.optimizers.Adam(0.01), initial_scale=64.0,
                                              dynamic_growth_steps=10, name="lso")
    again = keras.optimizers.deserialize(keras.optimizers.serialize(opt))
    assert type(again) is keras.optimizers.LossScaleOptimizer
    assert type(again.inner_optimizer) is keras.optimizers.Adam
    assert again.get_config() == opt.get_config()
    assert keras.mixed_precision.LossScaleOptimizer is keras.optimizers.LossScaleOptimizer
    v = keras.Variable(np.ones(3, "float32"))
    opt.apply([torch.ones(3)], [v])
    again.build([keras.Variable(np.ones(3, "float32"))])
    again.set_weights(opt.get_weights())
    for a, b in zip(again.variables, opt.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


# -- compile / fit / save ----------------------------------------------------------------
def _model(policy, output_float32=True):
    keras.config.set_dtype_policy(policy)
    inputs = keras.Input((4,))
    h = keras.layers.Dense(8, activation="relu")(inputs)
    out = keras.layers.Dense(1, dtype="float32" if output_float32 else None)(h)
    model = keras.Model(inputs, out)
    keras.config.set_dtype_policy("float32")
    return model


def test_compile_wraps_only_under_mixed_float16():
    m = _model("mixed_float16")
    m.compile("sgd", "mse")
    assert isinstance(m.optimizer, keras.optimizers.LossScaleOptimizer)
    assert m.optimizer.name == "loss_scale_optimizer"
    m.compile("sgd", "mse", auto_scale_loss=False)
    assert isinstance(m.optimizer, keras.optimizers.SGD)
    lso = keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD())
    m.compile(lso, "mse")
    assert m.optimizer is lso
    b = _model("mixed_bfloat16")
    b.compile("sgd", "mse")
    assert isinstance(b.optimizer, keras.optimizers.SGD)


@pytest.mark.parametrize("policy", ["mixed_float16", "mixed_bfloat16"])
def test_fit_save_and_load_under_mixed_policies(policy, tmp_path):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 4)).astype("float32")
    y = (x @ np.array([1.0, -1.0, 0.5, 2.0], "float32"))[:, None]
    keras.utils.set_random_seed(1)
    model = _model(policy)
    model.compile(keras.optimizers.Adam(0.01), "mse")
    losses = model.fit(x, y, epochs=5, batch_size=16, verbose=0).history["loss"]
    assert np.all(np.isfinite(losses)) and losses[-1] < losses[0]
    assert all(w.dtype == "float32" for w in model.weights)
    path = str(tmp_path / "m.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert loaded.layers[1].dtype_policy.name == policy
    assert loaded.layers[2].dtype_policy.name == "float32"
    assert type(loaded.optimizer) is type(model.optimizer)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    for a, b in zip(loaded.optimizer.variables, model.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_float16_overflow_is_skipped_and_the_scale_shrinks():
    # A loss scaled by 2**15 overflows float16 activations' gradients: the
    # first steps are skipped and the scale halves until they are finite.
    model = _model("mixed_float16")
    model.compile(keras.optimizers.SGD(1e-3), "mse")
    x = np.full((8, 4), 30.0, "float32")
    y = np.full((8, 1), 1000.0, "float32")
    before = [w.numpy() for w in model.weights]
    model.train_on_batch(x, y)
    scale = float(model.optimizer.dynamic_scale.numpy())
    assert scale < 2.0 ** 15
    assert int(model.optimizer.iterations.numpy()) == 0
    for w, b in zip(model.weights, before):
        np.testing.assert_array_equal(w.numpy(), b)
    for _ in range(30):
        model.train_on_batch(x, y)
    assert int(model.optimizer.iterations.numpy()) > 0
    assert all(np.all(np.isfinite(w.numpy())) for w in model.weights)


@pytest.mark.parametrize("name", ["mixed_float16", "int8_from_float32", "int4/64_from_float32",
                                  "float8_from_mixed_bfloat16", "awq/4/-1_from_float32"])
def test_generic_keras_serialization_of_policies(name):
    from torkeras.saving import serialization_lib
    policy = dtype_policies.get(name)
    envelope = serialization_lib.serialize_keras_object(policy)
    assert envelope == dtype_policies.serialize(policy)
    assert serialization_lib.deserialize_keras_object(envelope) == policy
