"""ActivityRegularization: the identity, adding an L1/L2 penalty on its
inputs to the model's losses (divided by the batch size, as every activity
regularizer in Keras 3)."""

from torkeras.layers.layer import Layer


def _factor(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ValueError(f"ActivityRegularization: `{name}` must be a non-negative number; "
                         f"received: {name}={value!r}")
    return value


class ActivityRegularization(Layer):
    """Adds an L1/L2 penalty on its inputs to the layer's losses.

    Adds `l1 * sum(|x|) + l2 * sum(x^2)` (divided by the batch size) to the
    layer's losses and returns its inputs unchanged.

    Args:
        l1: L1 regularization factor (non-negative float).
        l2: L2 regularization factor (non-negative float).
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Example:
    >>> layer = keras.layers.ActivityRegularization(l1=0.1)
    >>> _ = layer(np.array([[1.0, -2.0]], "float32"))
    >>> [round(float(v), 4) for v in layer.losses]
    [0.3]
    """

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        from torkeras import regularizers
        l1 = _factor(l1, "l1")
        l2 = _factor(l2, "l2")
        kwargs.pop("activity_regularizer", None)
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.supports_masking = True
        self.l1 = l1
        self.l2 = l2

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        # As Keras: the regularizer is rebuilt from l1/l2, not stored.
        config.pop("activity_regularizer", None)
        config.update({"l1": self.l1, "l2": self.l2})
        return config
