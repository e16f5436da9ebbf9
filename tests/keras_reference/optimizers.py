"""Keras reference for the optimizers: three `apply` steps from the same
weights and gradients, for every optimizer, plain and with weight_decay,
clipnorm and use_ema (and a few other base options); the final weights, every
optimizer variable, the variable paths and the config."""
import json

from refkit import Reference, keras, np

ref = Reference()
O = keras.optimizers

SHAPES = {"kernel": (3, 4), "bias": (4,)}
STEPS = 3

CASES = {
    "sgd": (O.SGD, dict(learning_rate=0.1)),
    "sgd_momentum": (O.SGD, dict(learning_rate=0.1, momentum=0.9)),
    "sgd_nesterov": (O.SGD, dict(learning_rate=0.1, momentum=0.8, nesterov=True)),
    "rmsprop": (O.RMSprop, dict(learning_rate=0.01)),
    "rmsprop_centered_momentum": (O.RMSprop, dict(learning_rate=0.01, rho=0.8, momentum=0.5,
                                                  centered=True)),
    "adam": (O.Adam, dict(learning_rate=0.05)),
    "adam_amsgrad": (O.Adam, dict(learning_rate=0.05, beta_1=0.8, beta_2=0.95, amsgrad=True)),
    "adamw": (O.AdamW, dict(learning_rate=0.05)),
    "adadelta": (O.Adadelta, dict(learning_rate=1.0)),
    "adadelta_rho": (O.Adadelta, dict(learning_rate=0.5, rho=0.8, epsilon=1e-4)),
    "adafactor": (O.Adafactor, dict(learning_rate=0.1)),
    "adafactor_options": (O.Adafactor, dict(learning_rate=0.2, beta_2_decay=-0.5, epsilon_2=1e-2,
                                            clip_threshold=0.5, relative_step=False)),
    "adagrad": (O.Adagrad, dict(learning_rate=0.1)),
    "adagrad_init": (O.Adagrad, dict(learning_rate=0.1, initial_accumulator_value=0.5,
                                     epsilon=1e-3)),
    "adamax": (O.Adamax, dict(learning_rate=0.05)),
    "ftrl": (O.Ftrl, dict(learning_rate=0.1)),
    "ftrl_regularized": (O.Ftrl, dict(learning_rate=0.1, learning_rate_power=-0.7,
                                      initial_accumulator_value=0.2,
                                      l1_regularization_strength=0.01,
                                      l2_regularization_strength=0.02,
                                      l2_shrinkage_regularization_strength=0.03, beta=0.1)),
    "lamb": (O.Lamb, dict(learning_rate=0.05)),
    "lion": (O.Lion, dict(learning_rate=0.01)),
    "lion_betas": (O.Lion, dict(learning_rate=0.01, beta_1=0.5, beta_2=0.9)),
    "nadam": (O.Nadam, dict(learning_rate=0.05)),
    "muon": (O.Muon, dict(learning_rate=0.05)),
    "muon_options": (O.Muon, dict(learning_rate=0.05, momentum=0.9, nesterov=False, ns_steps=3,
                                  rms_rate=None, adam_lr_ratio=0.5, adam_weight_decay=0.1,
                                  weight_decay=0.2)),
    "muon_exclude": (O.Muon, dict(learning_rate=0.05, exclude_layers=["dense/ker.*"])),
    "schedule_free_adamw": (O.ScheduleFreeAdamW, dict(learning_rate=0.05)),
    "schedule_free_adamw_warmup": (O.ScheduleFreeAdamW, dict(learning_rate=0.05, warmup_steps=2,
                                                              beta_1=0.8)),
}
VARIANTS = {
    "plain": {},
    "weight_decay": {"weight_decay": 0.05},
    "clipnorm": {"clipnorm": 0.5},
    "ema": {"use_ema": True, "ema_momentum": 0.9},
}
# A few more base options on some optimizers.
EXTRA = {
    "adam+global_clipnorm": (O.Adam, dict(learning_rate=0.05, global_clipnorm=0.7)),
    "adam+clipvalue": (O.Adam, dict(learning_rate=0.05, clipvalue=0.3)),
    "nadam+accumulation": (O.Nadam, dict(learning_rate=0.05, gradient_accumulation_steps=2)),
    "lamb+ema_overwrite": (O.Lamb, dict(learning_rate=0.05, use_ema=True, ema_momentum=0.8,
                                        ema_overwrite_frequency=2)),
    "adamax+loss_scale": (O.Adamax, dict(learning_rate=0.05, loss_scale_factor=4.0)),
    "adagrad+schedule": (O.Adagrad, dict(learning_rate=O.schedules.ExponentialDecay(
        0.2, decay_steps=2, decay_rate=0.5))),
    "adafactor+schedule": (O.Adafactor, dict(learning_rate=O.schedules.ExponentialDecay(
        0.2, decay_steps=2, decay_rate=0.5))),
    "adafactor+rank3": (O.Adafactor, dict(learning_rate=0.1)),
    "ftrl+weight_decay": (O.Ftrl, dict(learning_rate=0.1, weight_decay=0.1,
                                       l1_regularization_strength=0.001)),
    "muon+tall": (O.Muon, dict(learning_rate=0.05)),
    "multi": (lambda: O.MultiOptimizer(O.OptimizerMap(
        O.SGD(learning_rate=0.1, momentum=0.9), {"dense/kernel": O.Adam(learning_rate=0.05)})),
        {}),
    "multi+callable": (lambda: O.MultiOptimizer(
        lambda v: ADAMAX if "kernel" in v.path else NADAM), {}),
}

init = {name: ref.rng.standard_normal(shape).astype("float32") for name, shape in SHAPES.items()}
grads = [{name: ref.rng.standard_normal(shape).astype("float32") for name, shape in SHAPES.items()}
         for _ in range(STEPS)]
for name in SHAPES:
    ref.put(f"init/{name}", init[name])
    for step in range(STEPS):
        ref.put(f"grad{step}/{name}", grads[step][name])
# Extra shapes: a rank-3 variable (Adafactor) and a tall matrix (Muon).
extra_shapes = {"adafactor+rank3": (2, 3, 4), "muon+tall": (5, 2)}
extra_init = {}
for case, shape in extra_shapes.items():
    extra_init[case] = (ref.rng.standard_normal(shape).astype("float32"),
                        [ref.rng.standard_normal(shape).astype("float32") for _ in range(STEPS)])
    ref.put(f"{case}/init_extra", extra_init[case][0])
    ref.put(f"{case}/grads_extra", np.stack(extra_init[case][1]))


def run(case, cls, kwargs, shapes=None):
    with keras.name_scope("dense"):
        variables = [keras.Variable(init[name], name=name) for name in SHAPES]
    step_grads = [[g[name] for name in SHAPES] for g in grads]
    if case in extra_init:
        with keras.name_scope("dense"):
            variables = [keras.Variable(extra_init[case][0], name="kernel")]
        step_grads = [[g] for g in extra_init[case][1]]
    global ADAMAX, NADAM
    ADAMAX, NADAM = O.Adamax(learning_rate=0.05), O.Nadam(learning_rate=0.05)
    optimizer = cls(**kwargs)
    for step_grad in step_grads:
        optimizer.apply([keras.ops.convert_to_tensor(g) for g in step_grad], variables)
    for i, variable in enumerate(variables):
        ref.put(f"{case}/var{i}", variable)
    ref.put(f"{case}/n_optvars", np.array(len(optimizer.variables)))
    for i, variable in enumerate(optimizer.variables):
        ref.put(f"{case}/optvar{i}", variable)
    ref.put(f"{case}/paths", np.array([v.path for v in optimizer.variables]))
    if kwargs.get("use_ema"):
        optimizer.finalize_variable_values(variables)
        for i, variable in enumerate(variables):
            ref.put(f"{case}/finalized{i}", variable)
    ref.put(f"{case}/config", np.array(json.dumps(keras.optimizers.serialize(optimizer))))


for base_case, (cls, kwargs) in CASES.items():
    for variant, extra in VARIANTS.items():
        run(f"{base_case}/{variant}", cls, {**kwargs, **extra})
for case, (cls, kwargs) in EXTRA.items():
    run(case, cls, kwargs)

ref.put("cases", np.array([f"{c}/{v}" for c in CASES for v in VARIANTS] + list(EXTRA)))
ref.save()
