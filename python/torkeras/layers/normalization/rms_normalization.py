"""RMSNormalization: inputs over their root mean square along `axis`, times a
learned `scale`."""

from torkeras.layers.layer import Layer
from torkeras.layers.normalization.normalization_args import axis_argument, resolve_axes
from torkeras.ops import nn as nn_ops


class RMSNormalization(Layer):
    """Root-mean-square normalization (Zhang & Sennrich, 2019).

    `output = x / sqrt(mean(x**2 over axis) + epsilon) * scale`: no centring
    and no offset; `scale` is a learned weight initialised to ones.

    Args:
        axis: the axis or list of axes to normalise over (default -1); the
            `scale` weight has their sizes as shape.
        epsilon: added to the mean of squares (default 1e-6).
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Input shape:
        Any shape.

    Output shape:
        Same shape as the input.

    Example:
    >>> layer = keras.layers.RMSNormalization()
    >>> y = keras.ops.convert_to_numpy(layer(np.array([[3.0, 4.0]], "float32")))
    >>> [round(v, 4) for v in y.ravel().tolist()]
    [0.8485, 1.1314]
    """

    def __init__(self, axis=-1, epsilon=1e-6, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis_argument("RMSNormalization", axis, allow_list=True)
        self.epsilon = float(epsilon)

    def build(self, input_shape):
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        resolve_axes(self, axes, input_shape)
        if isinstance(self.axis, list):
            # Keras sorts a list of axes at build (negative ones first).
            self.axis = sorted(self.axis)
        shape = tuple(input_shape[a] for a in (self.axis if isinstance(self.axis, list)
                                              else [self.axis]))
        if not isinstance(self.axis, list):
            self.axis = [self.axis]
        self.scale = self.add_weight(name="scale", shape=shape, initializer="ones")
        self.built = True

    def call(self, x):
        rank = x.dim()
        axes = sorted(a % rank for a in self.axis)
        scale = self.scale._value
        if axes != list(range(rank - len(axes), rank)):
            # Keras 3.15 fails here (its scale broadcasts against the trailing
            # axes only); torkeras places the scale on the normalized axes.
            scale = scale.reshape([x.shape[i] if i in axes else 1 for i in range(rank)])
        return nn_ops.rms_normalization._raw(x, scale=scale, axis=self.axis,
                                             epsilon=self.epsilon)

    def compute_output_shape(self, input_shape):
        rank = len(input_shape)
        for a in [self.axis] if isinstance(self.axis, int) else self.axis:
            if not -rank <= a < rank:
                raise ValueError(f"Axis {a} is out of bounds for input shape "
                                 f"{tuple(input_shape)}. Received: axis={self.axis}")
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"axis": self.axis, "epsilon": self.epsilon})
        return config
