"""The shared layer-test routine: `run_layer_test(layer_cls, init_kwargs, ...)`.

One call puts a layer class through the checks every layer must pass:

1. eager call on concrete data; output shape vs `expected_output_shape` and
   vs `layer.compute_output_shape(input_shape)`; output dtype vs
   `expected_output_dtype` when given;
2. `expected_output` (the caller's independent NumPy / plain-torch
   reference) vs the layer's output;
3. trainable / non-trainable weight counts;
4. `supports_masking` flag, and (when the layer supports masking and the
   input has a time axis) the mask `compute_mask` produces for a padded
   batch: its shape vs `expected_mask_shape` (default: the input mask passes
   through unchanged for shape-preserving layers, is dropped otherwise);
5. symbolic call (`keras.Input` -> layer) vs the eager call: same shape
   (batch axis None), same dtype;
6. `get_config()` -> `from_config()` round trip: identical config, and the
   copy (given the same weights) gives identical outputs;
7. `.keras` save/load of a Functional model wrapping the layer: identical
   outputs after loading;
8. one training step (`fit` for one batch on random targets): no error,
   trainable weights change, non-trainable weights change or not as
   `expected_non_trainable_change` says.

Every check raises AssertionError (with the check's name) when it fails.
"""

import os
import tempfile

import numpy as np
import torch

import torkeras as keras
from torkeras.utils import tree


# -- helpers -------------------------------------------------------------

def _np(x):
    if x is None:
        return None
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def _dtype_name(dtype):
    return str(dtype).replace("torch.", "")


def _is_shape(s):
    return isinstance(s, (tuple, list)) and all(d is None or isinstance(d, int) for d in s)


def _map_shapes(fn, shapes):
    """Apply `fn` to each shape in a (nested) structure of shapes."""
    if _is_shape(shapes):
        return fn(tuple(shapes))
    if isinstance(shapes, dict):
        return {k: _map_shapes(fn, v) for k, v in shapes.items()}
    return type(shapes)(_map_shapes(fn, s) for s in shapes)


def _make_data(input_shape, input_dtype, seed):
    rng = np.random.default_rng(seed)

    def one(shape):
        if "int" in input_dtype:
            return rng.integers(0, 10, size=shape).astype(input_dtype)
        if input_dtype == "bool":
            return rng.random(shape) > 0.5
        return rng.standard_normal(shape).astype(input_dtype)

    return _map_shapes(one, input_shape)


def _shape_of(data):
    if isinstance(data, dict):
        return {k: _shape_of(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return type(data)(_shape_of(v) for v in data)
    return tuple(np.shape(data))


def _to_tensor(data):
    if isinstance(data, dict):
        return {k: _to_tensor(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return type(data)(_to_tensor(v) for v in data)
    if isinstance(data, torch.Tensor):
        return data
    return torch.as_tensor(np.asarray(data))


def _dtype_of(data):
    if isinstance(data, torch.Tensor):
        return _dtype_name(data.dtype)
    return str(np.asarray(data).dtype)


def _symbolic_inputs(data):
    if isinstance(data, dict):
        return {k: _symbolic_inputs(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return type(data)(_symbolic_inputs(v) for v in data)
    return keras.Input(shape=tuple(np.shape(data))[1:], dtype=_dtype_of(data))


def _flat(outputs):
    return tree.flatten(outputs) if not isinstance(outputs, torch.Tensor) else [outputs]


def _fail(check, msg):
    raise AssertionError(f"[{check}] {msg}")


def _assert_close(check, actual, expected, rtol, atol):
    a, e = _flat(actual), _flat(expected) if not isinstance(expected, np.ndarray) else [expected]
    if len(a) != len(e):
        _fail(check, f"{len(a)} outputs, expected {len(e)}")
    for i, (x, y) in enumerate(zip(a, e)):
        x, y = _np(x), np.asarray(y)
        if x.shape != y.shape:
            _fail(check, f"output {i}: shape {x.shape}, expected {y.shape}")
        try:
            np.testing.assert_allclose(x.astype(np.float64) if x.dtype != bool else x,
                                       y.astype(np.float64) if y.dtype != bool else y,
                                       rtol=rtol, atol=atol)
        except AssertionError as err:
            _fail(check, f"output {i} differs:\n{err}")


def _flatten_shapes(shapes):
    if _is_shape(shapes):
        return [tuple(shapes)]
    if isinstance(shapes, dict):
        shapes = [shapes[k] for k in sorted(shapes)]
    out = []
    for s in shapes:
        out.extend(_flatten_shapes(s))
    return out


def _weights_snapshot(weights):
    return [_np(w.value if hasattr(w, "value") else w).copy() for w in weights]


# -- the routine ---------------------------------------------------------

def run_layer_test(layer_cls, init_kwargs, input_shape=None, input_data=None,
                   expected_output_shape=None, expected_output=None,
                   expected_num_trainable_weights=None,
                   expected_num_non_trainable_weights=None,
                   supports_masking=None, call_kwargs=None,
                   run_training_check=True, run_save_check=True,
                   input_dtype="float32", expected_output_dtype=None,
                   expected_mask_shape=None, expected_non_trainable_change=None,
                   run_symbolic_check=True, run_config_check=True,
                   run_mask_check=True, deterministic=None,
                   custom_objects=None, rtol=1e-6, atol=1e-6, seed=1234,
                   expected_output_fn=None):
    """Run the standard layer checks (see the module docstring).

    `input_shape` (a shape, or a list/dict of shapes for multi-input layers)
    or `input_data` (arrays) gives the input. `deterministic=False` skips the
    output-equality parts of the config and save checks (for layers that are
    random when called with `training=True`); by default a call with
    `training=True` in `call_kwargs` counts as non-deterministic.
    `expected_output_fn(weights, input_data)` computes the independent
    reference from the built layer's weights (NumPy arrays, in
    `layer.get_weights()` order) when the weights are random.
    Returns the eager-built layer and its output (NumPy) for further checks.
    """
    init_kwargs = dict(init_kwargs or {})
    call_kwargs = dict(call_kwargs or {})
    if input_data is None:
        if input_shape is None:
            raise ValueError("run_layer_test needs `input_shape` or `input_data`.")
        input_data = _make_data(input_shape, input_dtype, seed)
    if deterministic is None:
        deterministic = call_kwargs.get("training") is not True
    data_shape = _shape_of(input_data)
    inputs = _to_tensor(input_data)

    # 1. eager call and shapes.
    layer = layer_cls(**init_kwargs)
    outputs = layer(inputs, **call_kwargs)
    flat_out = _flat(outputs)
    out_shapes = [tuple(_np(o).shape) for o in flat_out]
    if expected_output_shape is not None:
        exp = _flatten_shapes(expected_output_shape)
        if out_shapes != exp:
            _fail("output shape", f"eager output shapes {out_shapes}, expected {exp}")
    if "mask" not in call_kwargs:
        try:
            computed = layer.compute_output_shape(data_shape)
        except NotImplementedError:
            computed = None
        if computed is not None:
            computed = _flatten_shapes(computed)
            if computed != out_shapes:
                _fail("compute_output_shape",
                      f"compute_output_shape({data_shape}) = {computed}, "
                      f"eager output shapes {out_shapes}")
    if expected_output_dtype is not None:
        got = [_dtype_name(o.dtype) for o in flat_out]
        if any(g != expected_output_dtype for g in got):
            _fail("output dtype", f"output dtypes {got}, expected {expected_output_dtype}")

    # 2. independent reference.
    if expected_output_fn is not None:
        if expected_output is not None:
            raise ValueError("Give `expected_output` or `expected_output_fn`, not both.")
        expected_output = expected_output_fn(layer.get_weights(), input_data)
    if expected_output is not None:
        _assert_close("expected output", outputs, expected_output, rtol, atol)

    # 3. weight counts.
    if expected_num_trainable_weights is not None:
        n = len(layer.trainable_weights)
        if n != expected_num_trainable_weights:
            _fail("weights", f"{n} trainable weights, expected {expected_num_trainable_weights}")
    if expected_num_non_trainable_weights is not None:
        n = len(layer.non_trainable_weights)
        if n != expected_num_non_trainable_weights:
            _fail("weights", f"{n} non-trainable weights, expected "
                  f"{expected_num_non_trainable_weights}")

    # 4. masking.
    if supports_masking is not None:
        if bool(layer.supports_masking) != bool(supports_masking):
            _fail("masking", f"supports_masking is {layer.supports_masking}, "
                  f"expected {supports_masking}")
    if (run_mask_check and supports_masking and isinstance(inputs, torch.Tensor)
            and inputs.ndim >= 2):
        batch, steps = inputs.shape[0], inputs.shape[1]
        mask = torch.ones((batch, steps), dtype=torch.bool)
        mask[0, steps // 2:] = False
        out_mask = layer.compute_mask(inputs, mask)
        if expected_mask_shape is not None:
            exp = _flatten_shapes(expected_mask_shape)
            got = [tuple(m.shape) for m in _flat(out_mask)] if out_mask is not None else None
            if got != exp:
                _fail("masking", f"compute_mask gave shapes {got}, expected {exp}")
        masked_out = layer(inputs, mask=mask, **call_kwargs) \
            if layer._call_flags[1] else layer(inputs, **call_kwargs)
        if [tuple(_np(o).shape) for o in _flat(masked_out)] != out_shapes:
            _fail("masking", "the output shape changes when a mask is given")

    # 5. symbolic vs eager.
    if run_symbolic_check:
        sym_layer = layer_cls(**init_kwargs)
        sym_in = _symbolic_inputs(input_data)
        sym_out = sym_layer(sym_in, **call_kwargs)
        flat_sym = _flat(sym_out)
        if len(flat_sym) != len(flat_out):
            _fail("symbolic", f"{len(flat_sym)} symbolic outputs, {len(flat_out)} eager")
        for i, (s, e) in enumerate(zip(flat_sym, flat_out)):
            es = tuple(e.shape)
            ss = tuple(s.shape)
            ok = len(ss) == len(es) and all(a is None or a == b for a, b in zip(ss, es))
            if not ok:
                _fail("symbolic", f"output {i}: symbolic shape {ss}, eager {es}")
            if _dtype_name(s.dtype) != _dtype_name(e.dtype):
                _fail("symbolic", f"output {i}: symbolic dtype {s.dtype}, eager {e.dtype}")

    # 6. config round trip.
    if run_config_check:
        config = layer.get_config()
        clone = layer_cls.from_config(config)
        if clone.get_config() != config:
            _fail("config", f"from_config(get_config()) changes the config:\n"
                  f"{config}\n!=\n{clone.get_config()}")
        clone_out = clone(inputs, **call_kwargs)
        if len(clone.weights) != len(layer.weights):
            _fail("config", f"the copy has {len(clone.weights)} weights, "
                  f"the original {len(layer.weights)}")
        if layer.weights:
            clone.set_weights(layer.get_weights())
            clone_out = clone(inputs, **call_kwargs)
        if deterministic:
            _assert_close("config", clone_out, [_np(o) for o in flat_out], 0, 0)

    # 7. .keras round trip.
    if run_save_check:
        save_layer = layer_cls(**init_kwargs)
        sym_in = _symbolic_inputs(input_data)
        model = keras.Model(sym_in, save_layer(sym_in, **call_kwargs))
        if layer.weights and len(save_layer.weights) == len(layer.weights):
            save_layer.set_weights(layer.get_weights())
        before = model(inputs)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "model.keras")
            model.save(path)
            loaded = keras.saving.load_model(path, custom_objects=custom_objects)
        after = loaded(inputs)
        for a, b in zip(_weights_snapshot(model.weights), _weights_snapshot(loaded.weights)):
            if a.shape != b.shape or not np.array_equal(a, b):
                _fail("save", "a weight differs after the .keras round trip")
        if deterministic:
            _assert_close("save", after, [_np(o) for o in _flat(before)], 0, 0)

    # 8. one training step.
    if run_training_check:
        train_layer = layer_cls(**init_kwargs)
        sym_in = _symbolic_inputs(input_data)
        model = keras.Model(sym_in, train_layer(sym_in, **call_kwargs))
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mse")
        rng = np.random.default_rng(seed + 1)
        targets = [rng.standard_normal(s).astype("float32") for s in out_shapes]
        targets = targets[0] if isinstance(outputs, torch.Tensor) else targets
        t_before = _weights_snapshot(train_layer.trainable_weights)
        nt_before = _weights_snapshot(train_layer.non_trainable_weights)
        batch = out_shapes[0][0] if out_shapes[0] else 1
        model.fit(input_data, targets, batch_size=batch, epochs=1, verbose=0)
        t_after = _weights_snapshot(train_layer.trainable_weights)
        nt_after = _weights_snapshot(train_layer.non_trainable_weights)
        if t_before and all(np.array_equal(a, b) for a, b in zip(t_before, t_after)):
            _fail("training", "no trainable weight changed after one training step")
        if expected_non_trainable_change is not None and nt_before:
            changed = any(not np.array_equal(a, b) for a, b in zip(nt_before, nt_after))
            if changed != expected_non_trainable_change:
                _fail("training", "non-trainable weights "
                      + ("changed" if changed else "did not change")
                      + " after one training step")

    return layer, [_np(o) for o in flat_out] if not isinstance(outputs, torch.Tensor) \
        else _np(outputs)
