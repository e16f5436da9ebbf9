"""Every metric in keras.metrics against real Keras 3 (tests/keras_reference/metrics.py):
two update_state() batches without and with sample weights (result after
each), reset_state() followed by one batch, get_config(); function forms."""
import ast
import json
import os
import re
import warnings

import pytest
import torch

import keras_reference
import torkeras as keras

SCRIPT = os.path.join(keras_reference.SCRIPTS, "metrics.py")


def _literal(name):
    with open(SCRIPT, encoding="utf-8") as f:
        tree = ast.parse(f.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and node.targets[0].id == name:
            return ast.literal_eval(node.value)
    raise KeyError(name)


CLASS_CASES = _literal("CLASS_CASES")
FUNCTION_CASES = _literal("FUNCTION_CASES")

# float32, same formulas: 1e-6 relative; the absolute floor covers results ~0.
RTOL, ATOL = 1e-6, 1e-6


EXTRA_CONFIG_KEYS = {"CosineSimilarity": {"axis"}}


@pytest.fixture(scope="module")
def ref():
    return keras_reference.load("metrics")


def _update(metric, kind, y_true, y_pred, sw):
    if kind == "values":
        metric.update_state(y_pred, sample_weight=sw)
    else:
        metric.update_state(y_true, y_pred, sample_weight=sw)


@pytest.mark.parametrize("weighted", [False, True], ids=["plain", "weighted"])
@pytest.mark.parametrize("case,cls_name,kwargs,kind", CLASS_CASES,
                         ids=[c[0] for c in CLASS_CASES])
def test_metric_class_streams_like_keras(ref, case, cls_name, kwargs, kind, weighted):
    tag = "weighted" if weighted else "plain"
    batches = []
    for i in (1, 2):
        y_true = ref.get(f"class/{case}/y_true{i}")
        batches.append((y_true, ref[f"class/{case}/y_pred{i}"],
                        ref[f"class/{case}/sw{i}"] if weighted else None))
    metric = getattr(keras.metrics, cls_name)(**kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i, (y_true, y_pred, sw) in enumerate(batches, start=1):
            _update(metric, kind, y_true, y_pred, sw)
            keras_reference.assert_matches(metric.result(),
                                           ref[f"class/{case}/{tag}/result{i}"], RTOL, ATOL,
                                           what=f"{case} {tag} after batch {i}")
        metric.reset_state()
        _update(metric, kind, *batches[1])
    keras_reference.assert_matches(metric.result(), ref[f"class/{case}/{tag}/after_reset"],
                                   RTOL, ATOL, what=f"{case} {tag} after reset")


@pytest.mark.parametrize("case,cls_name,kwargs,kind", CLASS_CASES,
                         ids=[c[0] for c in CLASS_CASES])
def test_metric_config_matches_keras(ref, case, cls_name, kwargs, kind):
    cls = getattr(keras.metrics, cls_name)
    config = cls(**kwargs).get_config()
    expected = json.loads(str(ref[f"class/{case}/config"]))
    ours = json.loads(json.dumps(config, sort_keys=True))
    # Auto-names get a counter (`io_u_3`) that depends on how many were made.
    for c in (ours, expected):
        c["name"] = re.sub(r"_\d+$", "", c["name"])
    # Keras 3.15's CosineSimilarity config leaves `axis` out (a saved
    # CosineSimilarity(axis=0) reloads with axis=-1); torkeras keeps it.
    extra = EXTRA_CONFIG_KEYS.get(cls_name, set())
    assert set(ours) - set(expected) == extra
    assert {k: v for k, v in ours.items() if k not in extra} == expected
    assert cls.from_config(config).get_config() == config


@pytest.mark.parametrize("case,fn_name,kwargs,kind", FUNCTION_CASES,
                         ids=[c[0] for c in FUNCTION_CASES])
def test_metric_function_matches_keras(ref, case, fn_name, kwargs, kind):
    fn = getattr(keras.metrics, fn_name)
    y_true = torch.as_tensor(ref[f"function/{case}/y_true"])
    y_pred = torch.as_tensor(ref[f"function/{case}/y_pred"])
    keras_reference.assert_matches(fn(y_true, y_pred, **kwargs), ref[f"function/{case}/out"],
                                   RTOL, ATOL, what=case)
