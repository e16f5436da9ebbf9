"""EinsumDense: a dense layer whose product is any one-operand-with-kernel
einsum equation, `activation(einsum(equation, inputs, kernel) + bias)`.

The equation is `"<input>,<kernel>-><output>"` with letters, optionally an
ellipsis at the start of both input and output (`"...b,bc->...c"`) or at the
end of both (`"ab...,bc->ac..."`). The kernel's shape comes from the input
shape (contracted letters) and `output_shape` (the output letters that are
not batch letters), as Keras derives it.
"""

import re

import torch

from torkeras import activations, constraints, initializers, regularizers
from torkeras.layers.core import arg_utils
from torkeras.layers.core.lora import LoraMixin
from torkeras.layers.layer import Layer
from torkeras import quantizers
from torkeras.quantizers.layer_support import Int8QuantizeMixin


def _parse_equation(equation):
    """(input_spec, kernel_spec, output_spec, left_elided) or ValueError."""
    if not isinstance(equation, str):
        raise ValueError(f"EinsumDense: `equation` must be a string such as 'ab,bc->ac'; "
                         f"received: equation={equation!r}")
    eq = re.sub(r"\s+", "", equation).replace("...", "0")
    for pattern, left in (("([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)$", False),
                          ("0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)$", True),
                          ("([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0$", False)):
        match = re.match(pattern, eq)
        if match:
            return match.group(1), match.group(2), match.group(3), left
    raise ValueError(f"EinsumDense: invalid `equation` {equation!r}. It must be of the form "
                     "'ab,bc->ac', '...ab,bc->...ac' or 'ab...,bc->ac...'.")


def analyze_einsum(equation, bias_axes, input_shape, partial_output_shape):
    """Kernel shape, bias shape (or None), full output shape, and the kernel's
    input (contracted) and output axes, for an input of `input_shape`."""
    input_spec, kernel_spec, output_spec, left = _parse_equation(equation)
    input_shape = list(input_shape)
    elided = len(input_shape) - len(input_spec)
    if elided < 0 or (elided > 0 and "0" not in re.sub(r"\.\.\.", "0", equation)):
        raise ValueError(f"EinsumDense: the input rank {len(input_shape)} does not match the "
                         f"equation {equation!r} (input spec {input_spec!r}).")
    out = list(partial_output_shape)
    out.insert(0, input_shape[0])
    if elided > 0 and left:
        for i in range(1, elided):
            out.insert(1, input_shape[i])
    elif elided > 0:
        out.extend(input_shape[len(input_shape) - elided:])
    if left:
        in_map = {d: i + elided - len(input_shape) for i, d in enumerate(input_spec)}
        out_map = {d: i + elided for i, d in enumerate(output_spec)}
    else:
        in_map = {d: i for i, d in enumerate(input_spec)}
        out_map = {d: i for i, d in enumerate(output_spec)}
    if len(out) < len(output_spec):
        raise ValueError(f"EinsumDense: `output_shape` {tuple(partial_output_shape)} is too "
                         f"short for the output spec {output_spec!r} of equation {equation!r}: "
                         "it must give the sizes of the output dimensions after the first.")
    for d in input_spec:
        if d in out_map:
            o = out[out_map[d]]
            i = input_shape[in_map[d]]
            if o is not None and o != i:
                raise ValueError(f"EinsumDense: input shape and output shape do not match at "
                                 f"shared dimension {d!r}: input has {i}, output_shape has {o}.")
    for d in output_spec:
        if d not in input_spec and d not in kernel_spec:
            raise ValueError(f"EinsumDense: output dimension {d!r} of equation {equation!r} "
                             "appears in neither the input nor the kernel spec.")
    kernel_shape, in_axes, out_axes = [], [], []
    for i, d in enumerate(kernel_spec):
        if d in out_map:
            kernel_shape.append(out[out_map[d]])
            out_axes.append(i)
        elif d in in_map:
            kernel_shape.append(input_shape[in_map[d]])
            in_axes.append(i)
        else:
            raise ValueError(f"EinsumDense: kernel dimension {d!r} of equation {equation!r} "
                             "appears in neither the input nor the output spec.")
    bias_shape = None
    if bias_axes is not None:
        if not isinstance(bias_axes, str):
            raise ValueError(f"EinsumDense: `bias_axes` must be None or a string of output "
                             f"letters; received: bias_axes={bias_axes!r}")
        for c in bias_axes:
            if c not in output_spec:
                raise ValueError(f"EinsumDense: bias dimension {c!r} is not part of the "
                                 f"output spec {output_spec!r}.")
        offset = elided if left else 0
        sizes = {c: out[i + offset] for i, c in enumerate(output_spec)}
        first = min(output_spec.find(c) for c in bias_axes)
        bias_shape = [sizes[c] if c in bias_axes else 1 for c in output_spec[first:]]
        if not left:
            bias_shape.extend([1] * elided)
    return kernel_shape, bias_shape, out, in_axes, out_axes


def quantization_layout(equation, input_ndim):
    """Full (ellipsis-expanded) input, kernel and output specs of `equation`
    for an input of rank `input_ndim`, for int8 quantization: scales are
    stored aligned with the output (size 1 on output axes the kernel, or the
    input, does not have), so they broadcast against the einsum's result."""
    input_spec, kernel_spec, output_spec, left = _parse_equation(equation)
    elided = input_ndim - len(input_spec)
    if elided > 0:
        spare = [c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                 if c not in input_spec + kernel_spec + output_spec][:elided]
        extra = "".join(spare)
        if left:
            input_spec, output_spec = extra + input_spec, extra + output_spec
        else:
            input_spec, output_spec = input_spec + extra, output_spec + extra
    return input_spec, kernel_spec, output_spec


def _to_output_layout(scale, spec, output_spec):
    """A keepdims scale laid out along `spec` -> aligned with `output_spec`."""
    kept = [spec.index(c) for c in output_spec if c in spec]
    reduced = [i for i, c in enumerate(spec) if c not in output_spec]
    shape = [scale.shape[spec.index(c)] if c in spec else 1 for c in output_spec]
    return scale.permute(kept + reduced).reshape(shape)


class EinsumDense(Int8QuantizeMixin, LoraMixin, Layer):
    """A dense layer computing `activation(einsum(equation, inputs, kernel) + bias)`.

    As `keras.layers.EinsumDense`: the equation says which input axes are
    contracted with the kernel and which output axes the kernel creates, so
    one layer can project `(batch, seq, dim)` to `(batch, seq, heads,
    head_dim)` and back (MultiHeadAttention's projections). The kernel's
    shape follows from the input shape and `output_shape`; the bias covers
    the output axes named in `bias_axes`.

    With `lora_rank` (or after `enable_lora(rank)` on a built layer) the
    kernel is frozen and two trainable factors `lora_kernel_a`
    (`kernel.shape[:-1] + (rank,)`, he_uniform) and `lora_kernel_b`
    (`(rank, kernel.shape[-1])`, zeros) are added; the layer uses
    `kernel + (lora_alpha / lora_rank) * (lora_kernel_a @ lora_kernel_b)`.
    Saving writes that merged kernel in the kernel's place (the file holds
    the plain layer's variables, as Keras's does); loading assigns it and
    zeroes the factors.

    Args:
        equation: Einsum equation `"<input>,<kernel>-><output>"`, e.g.
            `"ab,bc->ac"` (a Dense layer), `"abc,cd->abd"` or
            `"...b,bc->...c"` (an ellipsis at the start or end of both input
            and output).
        output_shape: The output shape without the batch axis (an int for a
            1D output); `None` entries are taken from the input.
        activation: Activation applied to the output (default: none).
        bias_axes: Letters of the output spec that get a bias (default: no
            bias).
        kernel_initializer: Initializer of the kernel. A variance-scaling
            initializer counts its fans over the contracted and the output
            axes of the kernel, as Keras does.
        bias_initializer: Initializer of the bias.
        kernel_regularizer: Regularizer of the kernel (and of the LoRA
            factors).
        bias_regularizer: Regularizer of the bias.
        kernel_constraint: Constraint on the kernel (incompatible with LoRA).
        bias_constraint: Constraint on the bias.
        lora_rank: `None` (default) or a positive integer: build the layer
            with LoRA of that rank.
        lora_alpha: Scale numerator of the LoRA update (default:
            `lora_rank`, i.e. scale 1).
        quantization_config: None, or the default int8 config Keras writes
            for a quantized layer (accepted when loading such a layer).
        **kwargs: Base layer keyword arguments, such as `name`, `dtype` and
            `activity_regularizer`.

    After `layer.quantize("int8")` (or with an `"int8_from_..."` dtype
    policy) the kernel is int8 with a `kernel_scale` aligned with the output;
    see docs/quantization.md.

    Call arguments:
        inputs: A tensor whose shape matches the equation's input spec.
        training: Unused (accepted for a uniform call signature).

    Returns:
        The tensor `activation(einsum(equation, inputs, kernel) + bias)`, of
        shape `(batch,) + output_shape` with `None` entries filled from the
        input (and any ellipsis axes kept).

    Example:
    >>> layer = keras.layers.EinsumDense("abc,cde->abde", output_shape=(None, 2, 3),
    ...                                  bias_axes="de", lora_rank=2)
    >>> tuple(layer(np.ones((4, 5, 6), "float32")).shape)
    (4, 5, 2, 3)
    >>> [(w.name, tuple(w.shape), w.trainable) for w in layer.weights]
    [('kernel', (6, 2, 3), False), ('bias', (2, 3), True),
     ('lora_kernel_a', (6, 2, 2), True), ('lora_kernel_b', (2, 3), True)]
    """

    _int8_save_order = ("kernel", "bias", "kernel_scale")

    def __init__(self, equation, output_shape, activation=None, bias_axes=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, lora_rank=None, lora_alpha=None,
                 quantization_config=None, **kwargs):
        _parse_equation(equation)
        quantization_config = quantizers.check_quantization_config(quantization_config,
                                                                   "EinsumDense")
        if isinstance(output_shape, int) and not isinstance(output_shape, bool):
            partial = (arg_utils.positive_int(output_shape, "output_shape"),)
        else:
            try:
                partial = tuple(output_shape)
            except TypeError:
                raise ValueError("EinsumDense: `output_shape` must be an int or a tuple of ints "
                                 f"(None allowed); received: output_shape={output_shape!r}") \
                    from None
            partial = tuple(None if d is None else arg_utils.positive_int(d, "output_shape")
                            for d in partial)
        if bias_axes is not None and not isinstance(bias_axes, str):
            raise ValueError("EinsumDense: `bias_axes` must be None or a string of output "
                             f"letters; received: bias_axes={bias_axes!r}")
        super().__init__(**kwargs)
        self.quantization_config = quantization_config
        self.equation = equation
        self.partial_output_shape = partial
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self._init_lora(lora_rank, lora_alpha)
        self.full_output_shape = None

    def _kernel_init(self, in_axes, out_axes):
        init = self.kernel_initializer
        if isinstance(init, initializers.VarianceScaling) and (
                init.input_axes is None or init.output_axes is None):
            cfg = init.get_config()
            cfg["seed"] = init.seed
            cfg["input_axes"] = in_axes
            cfg["output_axes"] = out_axes
            init = type(init).from_config(cfg)
        return init

    def build(self, input_shape):
        kernel_shape, bias_shape, full, in_axes, out_axes = analyze_einsum(
            self.equation, self.bias_axes, input_shape, self.partial_output_shape)
        if any(d is None for d in kernel_shape):
            raise ValueError(f"EinsumDense {self.name!r}: the kernel shape {kernel_shape} has "
                             f"unknown dimensions for input shape {tuple(input_shape)}.")
        self.full_output_shape = tuple(full)
        self._input_ndim = len(input_shape)
        if quantizers.check_build_mode(self) == "int8":
            self._int8_build(tuple(kernel_shape))
        else:
            self._kernel = self.add_weight(name="kernel", shape=tuple(kernel_shape),
                                          initializer=self._kernel_init(in_axes, out_axes),
                                          regularizer=self.kernel_regularizer,
                                          constraint=self.kernel_constraint)
        self.bias = None
        if bias_shape is not None:
            self.bias = self.add_weight(name="bias", shape=tuple(bias_shape),
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.built = True
        self._build_lora()

    @property
    def kernel(self):
        """The kernel Variable; with LoRA enabled, the merged kernel tensor
        `kernel + (lora_alpha / lora_rank) * (lora_kernel_a @ lora_kernel_b)`."""
        return self._lora_weight_property()

    # -- int8 ------------------------------------------------------------
    def _specs(self):
        return quantization_layout(self.equation, self._input_ndim)

    def _int8_build(self, kernel_shape):
        _, kspec, ospec = self._specs()
        scale_shape = tuple(kernel_shape[kspec.index(c)] if c in kspec else 1 for c in ospec)
        self._kernel = self.add_weight(name="kernel", shape=kernel_shape, initializer="zeros",
                                       dtype="int8", trainable=False)
        self.kernel_scale = self.add_weight(name="kernel_scale", shape=scale_shape,
                                            initializer="ones", trainable=False)

    def _int8_weights(self, kernel):
        _, kspec, ospec = self._specs()
        reduced = tuple(i for i, c in enumerate(kspec) if c not in ospec)
        q, scale = quantizers.abs_max_quantize(kernel, axis=reduced)
        return q, _to_output_layout(scale, kspec, ospec)

    def _kernel_scale_as_kernel(self, scale):
        """The output-aligned kernel_scale, laid out along the kernel's axes."""
        _, kspec, ospec = self._specs()
        kept = [kspec.index(c) for c in ospec if c in kspec]
        reduced = [i for i, c in enumerate(kspec) if c not in ospec]
        order = kept + reduced
        sizes = [self._kernel.shape[a] if a in kept else 1 for a in order]
        inverse = sorted(range(len(order)), key=order.__getitem__)
        return scale.reshape(sizes).permute(inverse)

    def _int8_call(self, inputs):
        dtype = self._torch_dtype
        if inputs.dtype is not dtype:
            inputs = inputs.to(dtype)
        ispec, kspec, ospec = self._specs()
        in_reduced = tuple(i for i, c in enumerate(ispec) if c not in ospec)
        q_in, in_scale = quantizers.abs_max_quantize(inputs, axis=in_reduced)
        in_scale = _to_output_layout(in_scale, ispec, ospec)
        qk = self._kernel.value
        kernel_scale = self.kernel_scale.value.to(dtype)
        n_terms = 1
        for i, c in enumerate(kspec):
            if c not in ospec:
                n_terms *= qk.shape[i]
        eq = self.equation
        x = quantizers.exact_int_product(lambda a, b: torch.einsum(eq, a, b), q_in, qk,
                                         n_terms).to(dtype)
        x = x / (in_scale * kernel_scale)
        x = quantizers.straight_through(
            x, lambda v: torch.einsum(eq, v, qk.to(dtype)
                                      / self._kernel_scale_as_kernel(kernel_scale)), inputs)
        if self.bias is not None:
            x = x + self.bias.value
        if self.activation is not None:
            x = self.activation(x)
        return x

    def call(self, inputs, training=None):
        if self.quantization_mode == "int8":
            return self._int8_call(inputs)
        kernel = self._lora_weight_value()
        if not inputs.is_floating_point():
            inputs = inputs.to(kernel.dtype)
        x = torch.einsum(self.equation, inputs, kernel)
        if self.bias is not None:
            x = x + self.bias.value
        if self.activation is not None:
            x = self.activation(x)
        return x

    def compute_output_shape(self, input_shape):
        _, _, full, _, _ = analyze_einsum(self.equation, self.bias_axes, input_shape,
                                          self.partial_output_shape)
        # Keras leaves `None` output_shape entries unknown even when the
        # letter is shared with the input; the input's size is filled in here.
        input_spec, _, output_spec, left = _parse_equation(self.equation)
        input_shape = tuple(input_shape)
        elided = len(input_shape) - len(input_spec)
        offset = elided if left else 0
        for i, d in enumerate(output_spec):
            if full[i + offset] is None and d in input_spec:
                full[i + offset] = input_shape[input_spec.index(d) + offset]
        return tuple(full)

    def get_config(self):
        config = super().get_config()
        config.update({
            "output_shape": self.partial_output_shape,
            "equation": self.equation,
            "activation": arg_utils.serialize_activation(self.activation),
            "bias_axes": self.bias_axes,
            "kernel_initializer": arg_utils.serialize_initializer(self.kernel_initializer),
            "bias_initializer": arg_utils.serialize_initializer(self.bias_initializer),
            "kernel_regularizer": arg_utils.serialize_regularizer(self.kernel_regularizer),
            "bias_regularizer": arg_utils.serialize_regularizer(self.bias_regularizer),
            "activity_regularizer": arg_utils.serialize_regularizer(self.activity_regularizer),
            "kernel_constraint": arg_utils.serialize_constraint(self.kernel_constraint),
            "bias_constraint": arg_utils.serialize_constraint(self.bias_constraint),
            "quantization_config": self.quantization_config,
        })
        config.update(self._lora_config())
        return config


EinsumDense._quantizable_class = EinsumDense
