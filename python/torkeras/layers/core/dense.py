"""Dense: `activation(inputs @ kernel + bias)`, kernel stored (in, out).

With `lora_rank` (or after `enable_lora()`) the kernel is frozen and the
layer learns a low-rank update of it (layers/core/lora.py).
"""

import torch

from torkeras import activations, constraints, initializers, regularizers
from torkeras.layers.core import arg_utils
from torkeras.layers.core.lora import LoraMixin
from torkeras.layers.layer import Layer
from torkeras import quantizers
from torkeras.quantizers.layer_support import Int8QuantizeMixin

_HALF = (torch.float16, torch.bfloat16)


class Dense(Int8QuantizeMixin, LoraMixin, Layer):
    """A densely-connected layer: `output = activation(dot(input, kernel) + bias)`.

    `kernel` has shape `(input_dim, units)` and `bias` `(units,)`. Inputs of rank
    greater than 2 are multiplied along their last axis, so `(batch, d0, input_dim)`
    becomes `(batch, d0, units)`.

    Args:
        units: positive integer, the dimensionality of the output.
        activation: activation function (a name such as "relu", or a callable);
            None means no activation (linear).
        use_bias: whether the layer adds a bias vector.
        kernel_initializer: initializer of the `kernel` weight (a name such as
            "glorot_uniform", or an initializer). Default "glorot_uniform".
        bias_initializer: initializer of the `bias` weight (a name such as
            "zeros", or an initializer). Default "zeros".
        kernel_regularizer: optional regularizer applied to the `kernel` weight.
        bias_regularizer: optional regularizer applied to the `bias` weight.
        activity_regularizer: optional regularizer applied to the layer's output.
        kernel_constraint: optional constraint applied to the `kernel` weight
            after each optimizer update.
        bias_constraint: optional constraint applied to the `bias` weight
            after each optimizer update.
        lora_rank: optional integer; when set, the layer is built with LoRA
            (low-rank adaptation): the kernel is frozen and two trainable matrices
            `lora_kernel_a`, `lora_kernel_b` of rank `lora_rank` are added, the
            effective kernel being `kernel + (lora_alpha / lora_rank) * a @ b`.
        lora_alpha: scale of the LoRA update (default: `lora_rank`).
        quantization_config: None, or the default int8 config Keras writes
            for a quantized layer (accepted when loading such a layer).
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    After `layer.quantize("int8")` (or with an `"int8_from_..."` dtype
    policy) the kernel is an int8 variable with a per-unit `kernel_scale`;
    see docs/quantization.md.

    Input shape:
        N-D tensor `(batch_size, ..., input_dim)`.

    Output shape:
        N-D tensor `(batch_size, ..., units)`.

    Example:
    >>> layer = keras.layers.Dense(4, activation="relu")
    >>> tuple(layer(np.ones((2, 3), "float32")).shape)
    (2, 4)
    >>> tuple(layer.kernel.shape)
    (3, 4)
    """

    _int8_save_order = ("kernel", "bias", "kernel_scale")

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 lora_rank=None, lora_alpha=None, quantization_config=None, **kwargs):
        units = arg_utils.positive_int(units, "units")
        quantization_config = quantizers.check_quantization_config(quantization_config, "Dense")
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.quantization_config = quantization_config
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self._init_lora(lora_rank, lora_alpha)
        self.supports_masking = True
        # A linear activation is skipped rather than called.
        self._act_is_linear = self.activation is activations.linear

    def build(self, input_shape):
        in_dim = input_shape[-1]
        if in_dim is None:
            raise ValueError(f"Dense {self.name!r}: the last dimension of the input must be "
                             f"known; received input shape {tuple(input_shape)}")
        if quantizers.check_build_mode(self) == "int8":
            self._int8_build((in_dim, self.units))
        else:
            self._kernel = self.add_weight(shape=(in_dim, self.units),
                                           initializer=self.kernel_initializer,
                                           regularizer=self.kernel_regularizer,
                                           constraint=self.kernel_constraint, name="kernel")
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(shape=(self.units,), initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint, name="bias")
        self.built = True
        self._build_lora()

    @property
    def kernel(self):
        """The kernel Variable; with LoRA enabled, the adapted kernel tensor."""
        return self._lora_weight_property()

    # -- int8 ------------------------------------------------------------
    def _int8_build(self, kernel_shape):
        self._kernel = self.add_weight(shape=kernel_shape, initializer="zeros", dtype="int8",
                                       trainable=False, name="kernel")
        self.kernel_scale = self.add_weight(shape=(kernel_shape[1],), initializer="ones",
                                            trainable=False, name="kernel_scale")

    def _int8_weights(self, kernel):
        q, scale = quantizers.abs_max_quantize(kernel, axis=0)
        return q, scale.squeeze(0)

    def _int8_call(self, inputs):
        dtype = self._torch_dtype
        if inputs.dtype is not dtype:
            inputs = inputs.to(dtype)
        kernel_scale = self.kernel_scale.value.to(dtype)
        q_in, in_scale = quantizers.abs_max_quantize(inputs, axis=-1)
        qk = self._kernel.value
        out = quantizers.exact_int_product(torch.matmul, q_in, qk, qk.shape[0]).to(dtype)
        out = out / (kernel_scale * in_scale)
        out = quantizers.straight_through(
            out, lambda x: torch.matmul(x, qk.to(dtype) / kernel_scale), inputs)
        if self.bias is not None:
            out = out + self.bias.value
        if self._act_is_linear:
            return out
        return self.activation(out)

    def call(self, inputs):
        if self.quantization_mode == "int8":
            return self._int8_call(inputs)
        kernel = self._kernel.value if not self.lora_enabled else self._lora_weight_value()
        if not inputs.is_floating_point():
            # Integer inputs (e.g. multi-hot arrays) promote as in keras.ops.matmul.
            inputs = inputs.to(kernel.dtype)
        if self.bias is not None:
            if kernel.dtype in _HALF:
                # Half precision: the product is rounded before the bias is
                # added, as Keras's matmul + add (addmm would round once).
                out = torch.matmul(inputs, kernel) + self.bias.value
            elif inputs.dim() == 2:
                out = torch.addmm(self.bias.value, inputs, kernel)
            else:
                out = torch.matmul(inputs, kernel) + self.bias.value
        else:
            out = torch.matmul(inputs, kernel)
        if self._act_is_linear:
            return out
        return self.activation(out)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        config = super().get_config()
        config.update({
            "units": self.units,
        })
        config.update(arg_utils.weights_config(self))
        config["quantization_config"] = self.quantization_config
        config.update(self._lora_config())
        return config


Dense._quantizable_class = Dense
