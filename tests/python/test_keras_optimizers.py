"""torkeras's optimizers against Keras 3 (tests/keras_reference/optimizers.py):
three `apply` steps from the same weights and gradients, plain and with
weight_decay / clipnorm / use_ema and other base options; the final weights,
every optimizer variable (values, shapes, order: Keras's `.keras` layout),
the slot paths and the config."""
import json

import numpy as np
import pytest

import keras_reference
import torkeras as keras
from torkeras import naming
from torkeras.optimizers import schedules

ref = keras_reference.load("optimizers")
CASES = [str(c) for c in ref["cases"]]
NAMES = ("kernel", "bias")

# Adafactor's unused placeholders for variables of rank < 2 are created by
# Keras outside its name scope (path = the variable's name); torkeras puts them
# in the optimizer's scope like every other optimizer variable.


def _optimizer(config, case):
    """The torkeras optimizer of Keras's serialized config."""
    O = keras.optimizers
    if case == "multi+callable":  # (Keras serializes the callable as a lambda)
        adamax, nadam = O.Adamax(learning_rate=0.05), O.Nadam(learning_rate=0.05)
        return O.MultiOptimizer(lambda v: adamax if "kernel" in v.path else nadam)
    if config["class_name"] == "MultiOptimizer":
        return O.deserialize(config)
    config = dict(config)
    inner = dict(config["config"])
    inner.pop("name", None)  # torkeras auto-names, like Keras
    if isinstance(inner.get("learning_rate"), dict):
        inner["learning_rate"] = schedules.deserialize(inner["learning_rate"])
    cls = getattr(keras.optimizers, config["class_name"])
    return cls(**inner)


def _run(case):
    config = json.loads(str(ref[f"{case}/config"]))
    if f"{case}/init_extra" in ref:
        with naming.name_scope("dense"):
            variables = [keras.Variable(ref[f"{case}/init_extra"], name="kernel")]
        steps = [[g] for g in ref[f"{case}/grads_extra"]]
    else:
        with naming.name_scope("dense"):
            variables = [keras.Variable(ref[f"init/{n}"], name=n) for n in NAMES]
        steps = [[ref[f"grad{s}/{n}"] for n in NAMES] for s in range(3)]
    optimizer = _optimizer(config, case)
    for grads in steps:
        optimizer.apply([np.array(g) for g in grads], variables)
    return optimizer, variables, config


@pytest.mark.parametrize("case", CASES)
def test_weights_and_optimizer_variables_match_keras(case):
    optimizer, variables, _ = _run(case)
    for i, variable in enumerate(variables):
        keras_reference.assert_matches(variable, ref[f"{case}/var{i}"], rtol=1e-6, atol=1e-7,
                                       what=f"{case} variable {i}")
    n = int(ref[f"{case}/n_optvars"])
    assert len(optimizer.variables) == n, [v.path for v in optimizer.variables]
    for i, variable in enumerate(optimizer.variables):
        expected = ref[f"{case}/optvar{i}"]
        assert variable.dtype == str(expected.dtype), f"{case} optimizer variable {i}"
        keras_reference.assert_matches(variable, expected, rtol=1e-6, atol=1e-7,
                                       what=f"{case} optimizer variable {i} ({variable.path})")
    if f"{case}/finalized0" in ref:
        optimizer.finalize_variable_values(variables)
        for i, variable in enumerate(variables):
            keras_reference.assert_matches(variable, ref[f"{case}/finalized{i}"],
                                           what=f"{case} finalized variable {i}")


@pytest.mark.parametrize("case", [c for c in CASES if c.endswith("/plain")])
def test_variable_paths_match_keras(case):
    optimizer, _, config = _run(case)
    prefix = config["config"]["name"] + "/"
    own = optimizer.name + "/"
    for variable, expected in zip(optimizer.variables, ref[f"{case}/paths"]):
        expected = str(expected)
        if expected.startswith(prefix):
            assert variable.path == own + expected[len(prefix):]
        else:  # unscoped in Keras (see above)
            assert variable.path == own + expected


@pytest.mark.parametrize("case", [c for c in CASES if c != "multi+callable"])
def test_config_matches_keras(case):
    optimizer, _, config = _run(case)
    ours = keras.optimizers.serialize(optimizer)
    # (Keras names the module of its torch-backend subclasses, e.g.
    # keras.src.backend.torch.optimizers.torch_adam; torkeras the public one.)
    assert ours["class_name"] == config["class_name"]
    assert ours["module"] == "keras.optimizers"
    if case == "multi":
        _assert_multi_config(ours["config"], config["config"])
        return
    _assert_config(ours["config"], config["config"])


def _assert_config(actual, expected):
    assert sorted(actual) == sorted(expected)
    for key, value in expected.items():
        if key == "name":
            continue
        if key == "learning_rate" and not isinstance(value, dict):
            # Keras reports its float32 Variable's value; torkeras the value set.
            assert np.float32(actual[key]) == np.float32(value)
        else:
            assert actual[key] == value, key


def _assert_multi_config(actual, expected):
    assert sorted(actual) == sorted(expected)
    assert actual["loss_scale_factor"] == expected["loss_scale_factor"]
    mapping, keras_mapping = actual["optimizer_map"], expected["optimizer_map"]
    assert (mapping["module"], mapping["class_name"]) == ("keras.optimizers", "OptimizerMap")
    assert mapping["class_name"] == keras_mapping["class_name"]
    default, keras_default = (m["config"]["default_optimizer"] for m in (mapping, keras_mapping))
    assert default["class_name"] == keras_default["class_name"]
    _assert_config(default["config"], keras_default["config"])
    inner, keras_inner = (m["config"]["optimizer_map"] for m in (mapping, keras_mapping))
    assert sorted(inner) == sorted(keras_inner)
    for key in inner:
        assert inner[key]["class_name"] == keras_inner[key]["class_name"]
        _assert_config(inner[key]["config"], keras_inner[key]["config"])
