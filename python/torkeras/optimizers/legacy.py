"""`keras.optimizers.legacy`: the Keras 2 optimizers, not part of Keras 3.

Keras 3 keeps these names only to fail with a pointer to `tf_keras` (the
Keras 2 package for TensorFlow); torkeras does the same: every name here
raises `ImportError` when instantiated. Use the optimizers of
`torkeras.optimizers`.
"""


class _LegacyOptimizer:
    """A Keras 2 optimizer name that Keras 3 (and torkeras) do not support."""

    def __init__(self, *args, **kwargs):
        raise ImportError(
            "`keras.optimizers.legacy` is not supported in Keras 3 (nor in torkeras): its "
            "optimizers are Keras 2's, available only for TensorFlow through the `tf_keras` "
            f"package. Use `keras.optimizers.{type(self).__name__}` instead.")


def _legacy(name):
    return type(name, (_LegacyOptimizer,), {"__doc__": f"Keras 2's {name}: raises ImportError."})


Adagrad = _legacy("Adagrad")
Adam = _legacy("Adam")
Ftrl = _legacy("Ftrl")
Optimizer = _legacy("Optimizer")
RMSprop = _legacy("RMSprop")
SGD = _legacy("SGD")

__all__ = ["Adagrad", "Adam", "Ftrl", "Optimizer", "RMSprop", "SGD"]
