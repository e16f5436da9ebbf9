"""torkeras's regularizers and constraints against Keras 3 (reference:
tests/keras_reference/regularizers.py), plus their argument errors."""
import json

import pytest
import torch

import keras_reference
import torkeras as keras

R, C = keras.regularizers, keras.constraints

REGULARIZERS = ["l1", "l1_default", "l1l2", "l1l2_none", "l1l2_zero", "l2", "l2_int",
                "orth_columns", "orth_rows"]
CONSTRAINTS = ["max_norm", "max_norm_axis1", "max_norm_default", "min_max_norm",
               "min_max_norm_rate", "non_neg", "unit_norm", "unit_norm_axis1"]


@pytest.fixture(scope="module")
def ref():
    return keras_reference.load("regularizers")


def _build(ref, module, prefix):
    return getattr(module, str(ref[f"{prefix}/class"]))(
        **json.loads(str(ref[f"{prefix}/kwargs"])))


@pytest.mark.parametrize("case", REGULARIZERS)
def test_regularizers_equal_keras(ref, case):
    reg = _build(ref, R, f"reg/{case}")
    for key, dtype in (("w", torch.float32), ("w64", torch.float64)):
        out = reg(torch.as_tensor(ref[key]))
        assert out.dtype == dtype and out.ndim == 0
        keras_reference.assert_matches(out, ref[f"reg/{case}/{key}"], rtol=1e-6, atol=1e-7,
                                       what=f"{case}/{key}")
    config = R.serialize(reg)
    assert config == json.loads(str(ref[f"reg/{case}/config"]))
    assert R.serialize(R.deserialize(config)) == config


def test_orthogonal_regularizer_with_a_zero_row(ref):
    w = torch.tensor([[1.0, 2.0], [0.0, 0.0], [3.0, -1.0]])
    keras_reference.assert_matches(R.OrthogonalRegularizer(0.2)(w), ref["reg/orth_zero_row"])


@pytest.mark.parametrize("case", CONSTRAINTS)
def test_constraints_equal_keras(ref, case):
    con = _build(ref, C, f"con/{case}")
    for key in ("w", "w64"):
        out = con(torch.as_tensor(ref[key]))
        keras_reference.assert_matches(out, ref[f"con/{case}/{key}"], rtol=1e-6, atol=1e-7,
                                       what=f"{case}/{key}")
    config = C.serialize(con)
    assert config == json.loads(str(ref[f"con/{case}/config"]))
    assert C.serialize(C.deserialize(config)) == config


def test_constraints_over_conv_axes(ref):
    conv = torch.as_tensor(ref["conv"])
    keras_reference.assert_matches(C.MaxNorm(1.0, axis=[0, 1, 2])(conv), ref["con_conv/max_norm"])
    keras_reference.assert_matches(C.UnitNorm(axis=[0, 1, 2])(conv), ref["con_conv/unit_norm"])


@pytest.mark.parametrize("kind,name", [
    ("reg", "l1"), ("reg", "l2"), ("reg", "l1l2"), ("reg", "L1L2"),
    ("reg", "orthogonal_regularizer"), ("reg", "OrthogonalRegularizer"),
    ("con", "max_norm"), ("con", "min_max_norm"), ("con", "non_neg"), ("con", "unit_norm"),
    ("con", "MaxNorm")])
def test_get_by_name_as_keras(ref, kind, name):
    module = R if kind == "reg" else C
    assert module.serialize(module.get(name)) == json.loads(str(ref[f"get_{kind}/{name}"]))


def test_lowercase_aliases_are_the_classes():
    assert R.l1 is R.L1 and R.l2 is R.L2 and R.l1_l2 is R.L1L2
    assert R.orthogonal_regularizer is R.OrthogonalRegularizer
    assert C.max_norm is C.MaxNorm and C.min_max_norm is C.MinMaxNorm
    assert C.non_neg is C.NonNeg and C.unit_norm is C.UnitNorm
    # torkeras also takes "l1_l2" (the R/keras 2 name; Keras 3 only knows "l1l2").
    assert isinstance(R.get("l1_l2"), R.L1L2)


@pytest.mark.parametrize("make,match", [
    (lambda: R.L1(-0.1), "l1"), (lambda: R.L2(float("nan")), "l2"),
    (lambda: R.L1L2(l1="a"), "l1"), (lambda: R.L1L2(l2=float("inf")), "l2"),
    (lambda: R.OrthogonalRegularizer(mode="diagonal"), "mode"),
    (lambda: R.OrthogonalRegularizer(factor=-1), "factor"),
    (lambda: R.get("l3"), "l3"), (lambda: C.get("positive"), "positive"),
    (lambda: R.deserialize("l1"), "class_name"), (lambda: C.deserialize({"x": 1}), "class_name"),
])
def test_argument_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_orthogonal_regularizer_needs_rank_2():
    with pytest.raises(ValueError, match="rank-2"):
        R.OrthogonalRegularizer()(torch.ones(2, 2, 2))


def test_orthogonal_regularizer_is_zero_for_orthogonal_rows():
    q = keras.initializers.Orthogonal(seed=0)((3, 5))
    assert float(R.OrthogonalRegularizer(1.0)(q)) < 1e-6
    assert float(R.OrthogonalRegularizer(1.0, mode="columns")(q.T)) < 1e-6


def test_regularizer_in_a_layer_adds_its_loss():
    layer = keras.layers.Dense(3, kernel_regularizer=R.OrthogonalRegularizer(0.5),
                               kernel_constraint=C.UnitNorm())
    layer(torch.ones(2, 4))
    expected = R.OrthogonalRegularizer(0.5)(layer.kernel.value)
    assert torch.allclose(sum(layer.losses), expected)
    assert layer.get_config()["kernel_regularizer"]["class_name"] == "OrthogonalRegularizer"
    assert layer.get_config()["kernel_constraint"]["class_name"] == "UnitNorm"
