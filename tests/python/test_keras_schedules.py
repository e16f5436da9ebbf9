"""torkeras's learning-rate schedules against Keras 3
(tests/keras_reference/schedules.py): values at many integer and float steps,
serialized configs, and a schedule driving an optimizer."""
import json

import numpy as np
import pytest
import torch

import keras_reference
import torkeras as keras
from torkeras.optimizers import schedules

ref = keras_reference.load("schedules")
CASES = [str(c) for c in ref["cases"]]


def _schedule(case):
    return schedules.deserialize(json.loads(str(ref[f"{case}/serialized"])))


@pytest.mark.parametrize("case", CASES)
def test_values_at_integer_steps_match_keras(case):
    schedule = _schedule(case)
    values = [float(schedule(int(step))) for step in ref["steps"]]
    # Keras evaluates the formula on float32 tensors, torkeras on Python
    # floats rounded to float32 at the end: equal to 1e-6 relative.
    keras_reference.assert_matches(np.array(values, "float32"), ref[f"{case}/values"],
                                   rtol=1e-6, atol=1e-8, what=case)
    # The optimizers' host-side path gives the same values.
    host = [schedule._value_at(float(step)) for step in ref["steps"]]
    np.testing.assert_allclose(np.float32(host), np.array(values, "float32"), rtol=0, atol=0)


@pytest.mark.parametrize("case", CASES)
def test_values_at_float_steps_match_keras(case):
    schedule = _schedule(case)
    values = [float(schedule(torch.tensor(float(s)))) for s in ref["float_steps"]]
    keras_reference.assert_matches(np.array(values, "float32"), ref[f"{case}/float_values"],
                                   rtol=1e-6, atol=1e-8, what=case)


@pytest.mark.parametrize("case", CASES)
def test_serialization_matches_keras(case):
    expected = json.loads(str(ref[f"{case}/serialized"]))
    actual = schedules.serialize(_schedule(case))
    assert actual == expected


def test_schedule_in_optimizer_matches_keras():
    variable = keras.Variable(np.ones((3,), "float32"))
    optimizer = keras.optimizers.SGD(learning_rate=_schedule("cosine_warmup"))
    for _ in range(5):
        optimizer.apply([np.ones((3,), "float32")], [variable])
    keras_reference.assert_matches(np.float32(optimizer.learning_rate),
                                   ref["in_optimizer/learning_rate"], rtol=1e-6)
    keras_reference.assert_matches(variable, ref["in_optimizer/variable"], rtol=1e-6)
