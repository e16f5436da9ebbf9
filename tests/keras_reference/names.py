"""Public names of the Keras 3 namespaces torkeras mirrors (tests/python/test_keras_names.py)."""
from refkit import Reference, keras, np

NAMESPACES = [
    "ops", "ops.numpy", "ops.nn", "ops.linalg", "ops.image",
    "activations", "losses", "metrics", "optimizers", "optimizers.schedules",
    "initializers", "regularizers", "constraints", "mixed_precision",
    "dtype_policies", "random", "config",
]

ref = Reference()
ref.put("keras_version", np.array(keras.__version__))
for namespace in NAMESPACES:
    module = keras
    for part in namespace.split("."):
        module = getattr(module, part)
    names = sorted(n for n in dir(module) if not n.startswith("_"))
    ref.put(namespace, np.array(names))
ref.save()
