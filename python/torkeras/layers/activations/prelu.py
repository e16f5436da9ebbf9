"""PReLU: `x` for `x >= 0`, `alpha * x` otherwise, with a learned `alpha`
per input element (shared along `shared_axes`)."""

import torch

from torkeras.layers.core import arg_utils as U
from torkeras.layers.input_spec import InputSpec
from torkeras.layers.layer import Layer


def _shared_axes(value):
    if value is None:
        return None
    axes = list(value) if isinstance(value, (list, tuple)) else [value]
    for axis in axes:
        if isinstance(axis, bool) or not isinstance(axis, int) or axis < 1:
            raise ValueError("PReLU: `shared_axes` must be None, a positive integer axis or a "
                             "list of them (axis 0 is the batch axis); received: "
                             f"shared_axes={value!r}")
    return axes


class PReLU(Layer):
    """Parametric ReLU: a leaky ReLU whose negative slope is learned.

    Parametric ReLU: `f(x) = x` for `x >= 0` and `f(x) = alpha * x` for
    `x < 0`, where `alpha` is a learned weight with the shape of one sample.

    Args:
        alpha_initializer: Initializer of `alpha` (default `"Zeros"`).
        alpha_regularizer: Regularizer of `alpha`.
        alpha_constraint: Constraint of `alpha`.
        shared_axes: Axes (counting the batch axis as 0) along which `alpha`
            is shared, e.g. `[1, 2]` for one `alpha` per channel of
            `(batch, height, width, channels)` feature maps.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Example:
    >>> layer = keras.layers.PReLU(alpha_initializer=keras.initializers.Constant(0.1))
    >>> y = keras.ops.convert_to_numpy(layer(np.array([[-2.0, 3.0]], "float32")))
    >>> [round(v, 4) for v in y.ravel().tolist()]
    [-0.2, 3.0]
    """

    def __init__(self, alpha_initializer="Zeros", alpha_regularizer=None, alpha_constraint=None,
                 shared_axes=None, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.alpha_initializer = U.get_initializer(alpha_initializer)
        self.alpha_regularizer = U.get_regularizer(alpha_regularizer)
        self.alpha_constraint = U.get_constraint(alpha_constraint)
        self.shared_axes = _shared_axes(shared_axes)

    def build(self, input_shape):
        input_shape = tuple(input_shape)
        param_shape = list(input_shape[1:])
        for axis in self.shared_axes or ():
            if axis >= len(input_shape):
                raise ValueError(f"PReLU: shared axis {axis} is out of range for inputs of "
                                 f"shape {input_shape}")
            param_shape[axis - 1] = 1
        if any(d is None for d in param_shape):
            raise ValueError("PReLU: every non-shared axis of the input must have a known size; "
                             f"received input shape {input_shape} with "
                             f"shared_axes={self.shared_axes}")
        self.alpha = self.add_weight(shape=tuple(param_shape), name="alpha",
                                     initializer=self.alpha_initializer,
                                     regularizer=self.alpha_regularizer,
                                     constraint=self.alpha_constraint)
        # As Keras: later inputs must have this rank and, with shared axes,
        # the same sizes on the other axes.
        axes = {}
        if self.shared_axes:
            axes = {i: input_shape[i] for i in range(1, len(input_shape))
                    if i not in self.shared_axes}
        self.input_spec = InputSpec(ndim=len(input_shape), axes=axes)
        self.built = True

    def call(self, inputs):
        # Keras's formula, term for term: relu(x) + (-alpha) * relu(-x).
        alpha = self.alpha.value
        return torch.relu(inputs) + (-alpha) * torch.relu(-inputs)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({
            "alpha_initializer": U.serialize_initializer(self.alpha_initializer),
            "alpha_regularizer": U.serialize_regularizer(self.alpha_regularizer),
            "alpha_constraint": U.serialize_constraint(self.alpha_constraint),
            "shared_axes": self.shared_axes,
        })
        return config
