"""SpectralNormalization: wraps a layer with a `kernel` (or `embeddings`) and,
in training, divides that kernel by an estimate of its largest singular value
(power iteration), as Keras."""

import torch

from torkeras import initializers
from torkeras.layers.core.arg_utils import _as_int
from torkeras.layers.core.wrapper import Wrapper


def _unit(x, epsilon=1e-7):
    # Keras's L2 normalize over all elements: x * min(rsqrt(sum(x**2)), 1/eps).
    return x * torch.clamp(torch.rsqrt(torch.sum(x * x)), max=1.0 / epsilon)


class SpectralNormalization(Wrapper):
    """Spectral normalization (Miyato et al., 2018) of a wrapped layer's weights.

    In every training call the wrapped layer's `kernel` (or `embeddings`),
    seen as a matrix `W` of shape `(-1, units)`, is replaced by `W / sigma`, an
    estimate of its largest singular value by power iteration:
    `power_iterations` steps of `v = normalize(u W^T)`, `u = normalize(v W)`
    starting from the non-trainable weight `vector_u` (shape `(1, units)`,
    initialized from a truncated normal with stddev 0.02), then
    `sigma = v W u^T`; `vector_u` keeps the new `u`. Both updates are
    assignments (no gradient flows through them), and an all-zero kernel is
    left unchanged. At inference the wrapped layer runs with its current
    kernel and nothing is updated. Used to stabilise GAN discriminators.

    Args:
        layer: a layer with a `kernel` or `embeddings` weight (e.g. Dense,
            Conv2D, Embedding).
        power_iterations: number of power-iteration steps per training call (a
            positive integer, default 1).
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Call arguments:
        inputs: the input of the wrapped layer.
        training: whether to renormalize the weights before the call.

    Example:
    >>> layer = keras.layers.SpectralNormalization(keras.layers.Dense(3))
    >>> tuple(layer(np.ones((2, 4), "float32"), training=True).shape)
    (2, 3)
    """

    def __init__(self, layer, power_iterations=1, **kwargs):
        super().__init__(layer, **kwargs)
        n = _as_int(power_iterations)
        if n is None or n <= 0:
            raise ValueError("`power_iterations` should be greater than zero. Received: "
                             f"`power_iterations={power_iterations!r}`")
        self.power_iterations = n

    def build(self, input_shape):
        super().build(input_shape)
        if getattr(self.layer, "kernel", None) is not None:
            self.kernel = self.layer.kernel
        elif getattr(self.layer, "embeddings", None) is not None:
            self.kernel = self.layer.embeddings
        else:
            raise ValueError(f"{type(self.layer).__name__} object has no attribute 'kernel' "
                             "nor 'embeddings'")
        self.kernel_shape = tuple(self.kernel.shape)
        # As Keras, the wrapper lists the wrapped kernel among its own
        # variables (before `vector_u`): saved files hold it under the
        # wrapper's `vars` too, and `weights` is (kernel, vector_u, bias...).
        if not any(v is self.kernel for v in self._variables):
            self._variables.append(self.kernel)
        self.vector_u = self.add_weight(
            shape=(1, self.kernel_shape[-1]),
            initializer=initializers.TruncatedNormal(stddev=0.02), trainable=False,
            name="vector_u", dtype=self.kernel.dtype)
        self.built = True

    def call(self, inputs, training=False):
        if training:
            with torch.no_grad():
                kernel = self.kernel._value
                if not bool(torch.all(kernel == 0)):
                    new_u, new_kernel = self._normalized_weights(kernel)
                    self.vector_u.assign(new_u)
                    self.kernel.assign(new_kernel)
        output = self.layer(inputs)
        return output.to(inputs.dtype) if output.dtype is not inputs.dtype else output

    def _normalized_weights(self, kernel):
        w = kernel.reshape(-1, self.kernel_shape[-1])
        u = self.vector_u._value.to(w.dtype)
        v = None
        for _ in range(self.power_iterations):
            v = _unit(u @ w.T)
            u = _unit(v @ w)
        sigma = (v @ w) @ u.T
        new_kernel = (kernel / sigma).reshape(self.kernel_shape)
        return u.to(self.vector_u._value.dtype), new_kernel.to(kernel.dtype)

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self):
        config = super().get_config()
        config["power_iterations"] = self.power_iterations
        return config
