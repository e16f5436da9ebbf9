"""Keras 3 reference values for torkeras's regularizers and constraints
(tests/python/test_keras_regularizers.py)."""
import json

from refkit import Reference, keras, np

ref = Reference()
R, C = keras.regularizers, keras.constraints

w = ref.rng.standard_normal((5, 4)).astype("float32")
w64 = ref.rng.standard_normal((4, 6))
conv = ref.rng.standard_normal((3, 3, 2, 4)).astype("float32")
ref.put("w", w)
ref.put("w64", w64)
ref.put("conv", conv)

REGULARIZERS = {
    "l1": ("L1", dict(l1=0.03)),
    "l1_default": ("L1", {}),
    "l2": ("L2", dict(l2=0.2)),
    "l2_int": ("L2", dict(l2=1)),
    "l1l2": ("L1L2", dict(l1=0.01, l2=0.05)),
    "l1l2_none": ("L1L2", dict(l1=None, l2=0.3)),
    "l1l2_zero": ("L1L2", {}),
    "orth_rows": ("OrthogonalRegularizer", dict(factor=0.5)),
    "orth_columns": ("OrthogonalRegularizer", dict(factor=0.1, mode="columns")),
}
for name, (cls, kwargs) in REGULARIZERS.items():
    reg = getattr(R, cls)(**kwargs)
    ref.put(f"reg/{name}/class", np.array(cls))
    ref.put(f"reg/{name}/kwargs", np.array(json.dumps(kwargs)))
    ref.put(f"reg/{name}/w", reg(keras.ops.convert_to_tensor(w)))
    ref.put(f"reg/{name}/w64", reg(keras.ops.convert_to_tensor(w64)))
    ref.put(f"reg/{name}/config", np.array(json.dumps(R.serialize(reg))))
ref.put("reg/orth_zero_row", R.OrthogonalRegularizer(0.2)(
    keras.ops.convert_to_tensor(np.array([[1.0, 2.0], [0.0, 0.0], [3.0, -1.0]], "float32"))))

CONSTRAINTS = {
    "max_norm": ("MaxNorm", dict(max_value=1.5)),
    "max_norm_axis1": ("MaxNorm", dict(max_value=0.5, axis=1)),
    "max_norm_default": ("MaxNorm", {}),
    "non_neg": ("NonNeg", {}),
    "unit_norm": ("UnitNorm", {}),
    "unit_norm_axis1": ("UnitNorm", dict(axis=1)),
    "min_max_norm": ("MinMaxNorm", dict(min_value=0.8, max_value=1.2)),
    "min_max_norm_rate": ("MinMaxNorm", dict(min_value=1.5, max_value=2.5, rate=0.3, axis=1)),
}
for name, (cls, kwargs) in CONSTRAINTS.items():
    con = getattr(C, cls)(**kwargs)
    ref.put(f"con/{name}/class", np.array(cls))
    ref.put(f"con/{name}/kwargs", np.array(json.dumps(kwargs)))
    ref.put(f"con/{name}/w", con(keras.ops.convert_to_tensor(w)))
    ref.put(f"con/{name}/w64", con(keras.ops.convert_to_tensor(w64)))
    ref.put(f"con/{name}/config", np.array(json.dumps(C.serialize(con))))
# Conv kernels constrained over their first three axes.
ref.put("con_conv/max_norm", C.MaxNorm(1.0, axis=[0, 1, 2])(keras.ops.convert_to_tensor(conv)))
ref.put("con_conv/unit_norm", C.UnitNorm(axis=[0, 1, 2])(keras.ops.convert_to_tensor(conv)))

for kind, module, names in [
        ("reg", R, ["l1", "l2", "l1l2", "L1L2", "orthogonal_regularizer",
                    "OrthogonalRegularizer"]),
        ("con", C, ["max_norm", "min_max_norm", "non_neg", "unit_norm", "MaxNorm"])]:
    for name in names:
        obj = module.get(name)
        ref.put(f"get_{kind}/{name}", np.array(json.dumps(module.serialize(obj))
                                               if obj is not None else "None"))
ref.save()
