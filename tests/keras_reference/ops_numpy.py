"""Keras 3 reference values for keras.ops.numpy (torkeras test:
tests/python/test_keras_ops_numpy.py). The cases live in ops_numpy_cases.py.

For each case: the eager outputs and their Keras dtypes, or the error Keras
raised; and, where Keras can trace the op symbolically, the output shapes
(-1 for unknown dimensions) and dtypes of the symbolic call.
"""
from refkit import Reference, keras, np

import ops_numpy_cases as C

ref = Reference()
inputs = C.arrays(ref.rng)
for name, value in inputs.items():
    ref.put(f"input/{name}", value)


def flat_outputs(out):
    return list(out) if isinstance(out, (list, tuple)) else [out]


def symbolic(value):
    if isinstance(value, C.A):
        array = inputs[value.name]
        return keras.KerasTensor(array.shape, dtype=str(array.dtype))
    if isinstance(value, list):
        return [symbolic(v) for v in value]
    if isinstance(value, tuple):
        return tuple(symbolic(v) for v in value)
    if isinstance(value, dict):
        return {k: symbolic(v) for k, v in value.items()}
    return value


for case, fn_name, args, kwargs in C.cases():
    fn = getattr(keras.ops, fn_name)
    try:
        out = fn(*C.resolve(args, inputs), **C.resolve(kwargs, inputs))
    except Exception as e:  # recorded: the torkeras test expects an error too
        ref.put(f"{case}/error", np.array(f"{type(e).__name__}: {e}"))
        continue
    for k, value in enumerate(flat_outputs(out)):
        ref.put(f"{case}/out/{k}", value)
        ref.put(f"{case}/dtype/{k}", np.array(keras.ops.dtype(value)))
    if not any(isinstance(a, C.A) for a in args):
        continue
    try:
        sym = fn(*symbolic(args), **symbolic(kwargs))
    except Exception:
        continue
    for k, value in enumerate(flat_outputs(sym)):
        if not hasattr(value, "shape"):
            break
        ref.put(f"{case}/sym_shape/{k}",
                np.array([-1 if d is None else d for d in value.shape], dtype=np.int64))
        ref.put(f"{case}/sym_dtype/{k}", np.array(value.dtype))

def put_matrix(key, call):
    try:
        out = call()
    except Exception as e:
        ref.put(f"{key}/error", np.array(f"{type(e).__name__}: {e}"))
        return
    for k, value in enumerate(flat_outputs(out)):
        ref.put(f"{key}/out/{k}", value)
        ref.put(f"{key}/dtype/{k}", np.array(keras.ops.dtype(value)))


for a in C.MATRIX_DTYPES:
    ref.put(f"matrix_input/{a}", C.matrix_input(a))
for name in C.MATRIX_UNARY:
    for a in C.MATRIX_DTYPES:
        put_matrix(f"matrix/{name}/{a}",
                   lambda: C.matrix_call(keras.ops, name, C.matrix_input(a)))
for name in C.MATRIX_BINARY:
    for a in C.MATRIX_DTYPES:
        seconds = [(b, C.matrix_input(b)) for b in C.MATRIX_DTYPES] + list(
            C.MATRIX_SCALARS.items())
        for b, value in seconds:
            put_matrix(f"matrix/{name}/{a}/{b}",
                       lambda: C.matrix_call(keras.ops, name, C.matrix_input(a), value))


def as_dtype(name):
    return {"int": int, "float": float}.get(name, name)


for a in C.PROMOTION_DTYPES:
    for b in C.PROMOTION_DTYPES:
        ref.put(f"result_type/{a}/{b}",
                np.array(keras.backend.result_type(as_dtype(a), as_dtype(b))))
ref.save()
