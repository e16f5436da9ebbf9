"""torkeras's mixed precision against real Keras 3 (tests/keras_reference/mixed_precision.py):
dtype policy properties and configs, layer outputs and dtypes under
mixed_float16 / mixed_bfloat16 from the same weights, LossScaleOptimizer
steps with non-finite gradients, and compile()+train_on_batch under
mixed_float16."""
import json
import sys

import numpy as np
import pytest
import torch

import keras_reference
import torkeras as keras
from torkeras import dtype_policies, dtypes

ref = keras_reference.load("mixed_precision")


def text(key):
    return str(ref[key])


_POLICY_MODULE = sys.modules["torkeras.dtype_policies.dtype_policy"]


@pytest.fixture(autouse=True)
def _float32_policy():
    keras.config.set_dtype_policy("float32")
    yield
    # Back to "no policy set" (the default follows floatx), as other tests expect.
    _POLICY_MODULE._GLOBAL_POLICY = None


POLICY_CASES = keras_reference.cases(ref, "policy")


@pytest.mark.parametrize("case", POLICY_CASES)
def test_policy_properties_and_config(case):
    key = f"policy/{case}"
    policy = dtype_policies.get(text(f"{key}/name"))
    assert policy.name == text(f"{key}/policy_name")
    assert type(policy).__name__ == text(f"{key}/class")
    assert policy.compute_dtype == text(f"{key}/compute")
    assert policy.variable_dtype == text(f"{key}/variable")
    assert str(policy.quantization_mode) == text(f"{key}/mode")
    serialized = dtype_policies.serialize(policy)
    assert serialized == json.loads(text(f"{key}/serialized"))
    # ... and back.
    assert dtype_policies.deserialize(serialized) == policy


def test_float8_and_map_configs():
    fp8 = dtype_policies.QuantizedFloat8DTypePolicy("float8", "mixed_bfloat16",
                                                    amax_history_length=64)
    assert dtype_policies.serialize(fp8) == json.loads(text("policy_extra/float8_64"))
    policy_map = dtype_policies.DTypePolicyMap(default_policy="mixed_bfloat16")
    policy_map["encoder/dense"] = "int8_from_mixed_bfloat16"
    policy_map["decoder/.*"] = "float16"
    serialized = dtype_policies.serialize(policy_map)
    assert serialized == json.loads(text("policy_extra/map"))
    back = dtype_policies.deserialize(serialized)
    assert back["encoder/dense"] == policy_map["encoder/dense"]
    assert back["decoder/attention"].name == "float16"
    assert back["other"].name == "mixed_bfloat16"


LAYERS = {
    "dense": lambda: keras.layers.Dense(5, activation="relu"),
    "dense3d": lambda: keras.layers.Dense(4),
    "conv2d": lambda: keras.layers.Conv2D(3, 3, padding="same", activation="tanh"),
    "layernorm": lambda: keras.layers.LayerNormalization(),
    "embedding": lambda: keras.layers.Embedding(10, 4),
}
LAYER_CASES = [(p, n) for p in ("mixed_float16", "mixed_bfloat16") for n in LAYERS]


@pytest.mark.parametrize("policy,name", LAYER_CASES)
def test_layer_output_under_mixed_policy(policy, name):
    key = f"layer/{policy}/{name}"
    keras.config.set_dtype_policy(policy)
    layer = LAYERS[name]()
    keras.config.set_dtype_policy("float32")
    x = ref[f"{key}/x"]
    layer.build(x.shape)
    n = len(layer.weights)
    layer.set_weights([ref[f"{key}/w{j}"] for j in range(n)])
    out = layer(x)
    assert dtypes.name_of(out.dtype) == text(f"{key}/out_dtype")
    assert ",".join(w.dtype for w in layer.weights) == text(f"{key}/variable_dtypes")
    assert layer.get_config()["dtype"] == json.loads(text(f"{key}/dtype_config"))
    # Same formula and the same half-precision kernels as Keras's torch
    # backend: the values agree to the last bit (no tolerance beyond 1e-6).
    keras_reference.assert_matches(out.float(), ref[f"{key}/out"], rtol=1e-6, atol=1e-7,
                                   what=key)


def test_functional_model_with_float32_output_layer():
    keras.config.set_dtype_policy("mixed_float16")
    inputs = keras.Input((6,))
    hidden = keras.layers.Dense(8, activation="relu", name="hidden")(inputs)
    outputs = keras.layers.Dense(3, activation="softmax", dtype="float32", name="out")(hidden)
    model = keras.Model(inputs, outputs)
    keras.config.set_dtype_policy("float32")
    model.set_weights([ref[f"model/w{j}"] for j in range(4)])
    assert model.dtype_policy.name == text("model/policy")
    assert model.get_layer("hidden").output.dtype == text("model/hidden_dtype")
    assert model.output.dtype == text("model/out_dtype")
    out = model(ref["model/x"])
    assert out.dtype == torch.float32
    keras_reference.assert_matches(out, ref["model/out"], what="model")


LSO_CASES = keras_reference.cases(ref, "lso")


@pytest.mark.parametrize("inner_name", LSO_CASES)
def test_loss_scale_optimizer_steps(inner_name):
    key = f"lso/{inner_name}"
    inner = keras.optimizers.SGD(0.1, momentum=0.9, name="inner") if inner_name == "sgd" \
        else keras.optimizers.Adam(0.01, name="inner")
    opt = keras.optimizers.LossScaleOptimizer(inner, initial_scale=8.0, dynamic_growth_steps=2,
                                              name="lso")
    w, b = keras.Variable(ref[f"{key}/w0"], name="w"), keras.Variable(ref[f"{key}/b0"], name="b")
    steps = [s for s in keras_reference.cases(ref, key) if s.startswith("step")]
    assert len(steps) == 7
    for step in sorted(steps, key=lambda s: int(s[4:])):
        k = f"{key}/{step}"
        opt.apply([torch.tensor(ref[f"{k}/gw"]), torch.tensor(ref[f"{k}/gb"])], [w, b])
        keras_reference.assert_matches(w.numpy(), ref[f"{k}/w"], what=f"{k}/w")
        keras_reference.assert_matches(b.numpy(), ref[f"{k}/b"], what=f"{k}/b")
        keras_reference.assert_matches(opt.dynamic_scale.numpy(), ref[f"{k}/scale"],
                                       what=f"{k}/scale")
        assert int(opt.step_counter.numpy()) == int(ref[f"{k}/counter"]), k
        assert int(np.asarray(opt.iterations)) == int(ref[f"{k}/iterations"]), k
    keras_reference.assert_matches(opt.scale_loss(torch.tensor(1.5)), ref[f"{key}/scaled_loss"])
    assert ",".join(v.path for v in opt.variables) == text(f"{key}/variable_paths")
    config = opt.get_config()
    config["inner_optimizer"] = config["inner_optimizer"]["config"]
    expected = json.loads(text(f"{key}/config"))
    # Keras stores the learning rate as read back from its float32 variable.
    expected["inner_optimizer"]["learning_rate"] = float(
        np.float32(expected["inner_optimizer"]["learning_rate"]))
    config["inner_optimizer"]["learning_rate"] = float(
        np.float32(config["inner_optimizer"]["learning_rate"]))
    assert config == expected


def test_loss_scale_optimizer_defaults():
    opt = keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD())
    assert opt.initial_scale == float(ref["lso_default/initial_scale"])
    assert opt.dynamic_growth_steps == int(ref["lso_default/growth"])
    # Auto names: the same base, a counter suffix as the process goes on.
    assert opt.name.rstrip("_0123456789") == text("lso_default/name")
    keras_reference.assert_matches(opt.scale_loss(torch.tensor(2.0)),
                                   ref["lso_default/scaled_before_build"])


def test_train_on_batch_under_mixed_float16():
    keras.config.set_dtype_policy("mixed_float16")
    inputs = keras.Input((5,))
    hidden = keras.layers.Dense(6, activation="tanh")(inputs)
    outputs = keras.layers.Dense(1, dtype="float32")(hidden)
    model = keras.Model(inputs, outputs)
    keras.config.set_dtype_policy("float32")
    model.set_weights([ref[f"fit/w{j}"] for j in range(4)])
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    assert type(model.optimizer).__name__ == text("fit/optimizer_class")
    losses = []
    for _ in range(3):
        # Keras 3.15's train_on_batch resets the metrics itself (torkeras's
        # does not yet: see test_fit_arguments), so each loss is one batch's.
        model.reset_metrics()
        losses.append(model.train_on_batch(ref["fit/x"], ref["fit/y"]))
    keras_reference.assert_matches(np.asarray(losses, "float32"), ref["fit/losses"],
                                   what="losses")
    for j, w in enumerate(model.weights):
        keras_reference.assert_matches(w.numpy(), ref[f"fit/after{j}"], what=f"weight {j}")
    keras_reference.assert_matches(model.optimizer.dynamic_scale.numpy(), ref["fit/scale"])
    assert int(model.optimizer.step_counter.numpy()) == int(ref["fit/counter"])
