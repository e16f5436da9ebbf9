"""Keras reference for mixed precision: dtype policies (properties and
configs), layer outputs under mixed_float16 / mixed_bfloat16 from given
weights, LossScaleOptimizer steps (including non-finite gradients) and a
small mixed_float16 training run.

Half-precision outputs are stored as float32 (NumPy has no bfloat16) beside
their dtype name.
"""
import json

import torch

from refkit import Reference, keras, np

ref = Reference()
rng = ref.rng


def put_json(key, value):
    ref.put(key, json.dumps(value, sort_keys=True))


def as_f32(x):
    return x.detach().float().cpu().numpy() if hasattr(x, "detach") else np.asarray(x, "float32")


# -- policies ------------------------------------------------------------------
POLICIES = ["float32", "float16", "bfloat16", "float64", "mixed_float16", "mixed_bfloat16",
            "int8_from_float32", "int8_from_mixed_bfloat16", "float8_from_mixed_float16",
            "int4_from_float32", "int4/128_from_float32", "gptq/4/128_from_float32",
            "gptq/8/-1_from_mixed_bfloat16", "awq/4/64_from_float32"]
for i, name in enumerate(POLICIES):
    policy = keras.dtype_policies.get(name)
    ref.put(f"policy/{i}/name", name)
    ref.put(f"policy/{i}/policy_name", policy.name)
    ref.put(f"policy/{i}/class", type(policy).__name__)
    ref.put(f"policy/{i}/compute", policy.compute_dtype)
    ref.put(f"policy/{i}/variable", policy.variable_dtype)
    ref.put(f"policy/{i}/mode", str(policy.quantization_mode))
    put_json(f"policy/{i}/serialized", keras.dtype_policies.serialize(policy))

fp8 = keras.dtype_policies.QuantizedFloat8DTypePolicy("float8", "mixed_bfloat16",
                                                      amax_history_length=64)
put_json("policy_extra/float8_64", keras.dtype_policies.serialize(fp8))
policy_map = keras.dtype_policies.DTypePolicyMap(default_policy="mixed_bfloat16")
policy_map["encoder/dense"] = "int8_from_mixed_bfloat16"
policy_map["decoder/.*"] = "float16"
put_json("policy_extra/map", keras.dtype_policies.serialize(policy_map))

# -- layers under a mixed policy, from the same weights ----------------------------
LAYERS = {
    "dense": lambda: keras.layers.Dense(5, activation="relu"),
    "dense3d": lambda: keras.layers.Dense(4),
    "conv2d": lambda: keras.layers.Conv2D(3, 3, padding="same", activation="tanh"),
    "layernorm": lambda: keras.layers.LayerNormalization(),
    "embedding": lambda: keras.layers.Embedding(10, 4),
}
INPUTS = {
    "dense": lambda: rng.standard_normal((4, 6)).astype("float32"),
    "dense3d": lambda: rng.standard_normal((2, 3, 6)).astype("float32"),
    "conv2d": lambda: rng.standard_normal((2, 5, 5, 2)).astype("float32"),
    "layernorm": lambda: (rng.standard_normal((3, 7)) * 4 + 1).astype("float32"),
    "embedding": lambda: rng.integers(0, 10, (3, 4)).astype("int64"),
}
for policy in ["mixed_float16", "mixed_bfloat16"]:
    for name, make in LAYERS.items():
        key = f"layer/{policy}/{name}"
        keras.config.set_dtype_policy(policy)
        layer = make()
        keras.config.set_dtype_policy("float32")
        x = INPUTS[name]()
        layer.build(x.shape)
        weights = [(rng.standard_normal(w.shape) * 0.5 + (1.0 if "gamma" in w.path else 0.0))
                   .astype("float32") for w in layer.weights]
        layer.set_weights(weights)
        out = layer(x)
        ref.put(f"{key}/x", x)
        for j, w in enumerate(weights):
            ref.put(f"{key}/w{j}", w)
        ref.put(f"{key}/out", as_f32(out))
        ref.put(f"{key}/out_dtype", keras.backend.standardize_dtype(out.dtype))
        ref.put(f"{key}/variable_dtypes", ",".join(w.dtype for w in layer.weights))
        put_json(f"{key}/dtype_config", layer.get_config()["dtype"])

# A Functional model: mixed hidden layer, float32 output layer.
keras.config.set_dtype_policy("mixed_float16")
inputs = keras.Input((6,))
hidden = keras.layers.Dense(8, activation="relu", name="hidden")(inputs)
outputs = keras.layers.Dense(3, activation="softmax", dtype="float32", name="out")(hidden)
model = keras.Model(inputs, outputs)
keras.config.set_dtype_policy("float32")
x = rng.standard_normal((4, 6)).astype("float32")
weights = [(rng.standard_normal(w.shape) * 0.5).astype("float32") for w in model.weights]
model.set_weights(weights)
ref.put("model/x", x)
for j, w in enumerate(weights):
    ref.put(f"model/w{j}", w)
ref.put("model/hidden_dtype", model.get_layer("hidden").output.dtype)
ref.put("model/out_dtype", model.output.dtype)
ref.put("model/out", as_f32(model(x)))
ref.put("model/policy", model.dtype_policy.name)

# -- LossScaleOptimizer ------------------------------------------------------------
INF, NAN = float("inf"), float("nan")
for inner_name in ["sgd", "adam"]:
    inner = keras.optimizers.SGD(0.1, momentum=0.9, name="inner") if inner_name == "sgd" \
        else keras.optimizers.Adam(0.01, name="inner")
    opt = keras.optimizers.LossScaleOptimizer(inner, initial_scale=8.0, dynamic_growth_steps=2,
                                              name="lso")
    w0 = rng.standard_normal((3, 2)).astype("float32")
    b0 = rng.standard_normal((2,)).astype("float32")
    w, b = keras.Variable(w0, name="w"), keras.Variable(b0, name="b")
    key = f"lso/{inner_name}"
    ref.put(f"{key}/w0", w0)
    ref.put(f"{key}/b0", b0)
    for step in range(7):
        gw = (rng.standard_normal((3, 2)) * 8).astype("float32")
        gb = (rng.standard_normal((2,)) * 8).astype("float32")
        if step == 2:
            gw[1, 0] = INF
        if step == 5:
            gb[0] = NAN
        ref.put(f"{key}/step{step}/gw", gw)
        ref.put(f"{key}/step{step}/gb", gb)
        opt.apply([torch.tensor(gw), torch.tensor(gb)], [w, b])
        ref.put(f"{key}/step{step}/w", w.numpy())
        ref.put(f"{key}/step{step}/b", b.numpy())
        ref.put(f"{key}/step{step}/scale", opt.dynamic_scale.numpy())
        ref.put(f"{key}/step{step}/counter", opt.step_counter.numpy())
        ref.put(f"{key}/step{step}/iterations", keras.ops.convert_to_numpy(opt.iterations))
    ref.put(f"{key}/scaled_loss", opt.scale_loss(torch.tensor(1.5)))
    ref.put(f"{key}/variable_paths", ",".join(v.path for v in opt.variables))
    config = opt.get_config()
    config["inner_optimizer"] = config["inner_optimizer"]["config"]
    put_json(f"{key}/config", config)

opt = keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD())
ref.put("lso_default/initial_scale", opt.initial_scale)
ref.put("lso_default/growth", opt.dynamic_growth_steps)
ref.put("lso_default/scaled_before_build", opt.scale_loss(torch.tensor(2.0)))
ref.put("lso_default/name", opt.name.rstrip("_0123456789"))

# -- training under mixed_float16: compile wraps the optimizer ---------------------------
keras.config.set_dtype_policy("mixed_float16")
inputs = keras.Input((5,))
hidden = keras.layers.Dense(6, activation="tanh")(inputs)
outputs = keras.layers.Dense(1, dtype="float32")(hidden)
model = keras.Model(inputs, outputs)
keras.config.set_dtype_policy("float32")
weights = [(rng.standard_normal(w.shape) * 0.5).astype("float32") for w in model.weights]
model.set_weights(weights)
model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
ref.put("fit/optimizer_class", type(model.optimizer).__name__)
x = rng.standard_normal((8, 5)).astype("float32")
y = rng.standard_normal((8, 1)).astype("float32")
ref.put("fit/x", x)
ref.put("fit/y", y)
for j, w in enumerate(weights):
    ref.put(f"fit/w{j}", w)
losses = [model.train_on_batch(x, y) for _ in range(3)]
ref.put("fit/losses", np.asarray(losses, "float32"))
for j, w in enumerate(model.weights):
    ref.put(f"fit/after{j}", w.numpy())
ref.put("fit/scale", model.optimizer.dynamic_scale.numpy())
ref.put("fit/counter", model.optimizer.step_counter.numpy())

ref.save()
