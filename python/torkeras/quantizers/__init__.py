"""int8 weight quantization, as Keras 3's `Model.quantize("int8")` does it.

Abs-max quantization maps a float tensor `x` to int8 with one scale per
slice: `scale = 127 / (max(|x|) + 1e-7)` over the reduced axes,
`q = clip(round(x * scale), -127, 127)`; the float value is `q / scale`.

Dense, EinsumDense and Embedding implement `quantize("int8")`:

- Dense / EinsumDense: the kernel becomes an int8 variable quantized per
  output channel (the max is taken over the contracted axes) next to a float
  `kernel_scale`; at call time the inputs are quantized the same way per row
  (over their contracted axes), the product is computed exactly in integers,
  and divided by `inputs_scale * kernel_scale`. Gradients reach the inputs
  through the dequantized kernel (straight-through), the kernel is frozen.
- Embedding: the table becomes int8 with one scale per row
  (`embeddings_scale`, shape `(input_dim,)`); lookups divide by the row's scale.

Only "int8" is implemented; the other Keras modes ("float8", "int4", "gptq",
"awq") raise NotImplementedError.
"""

import math

import torch

__all__ = ["abs_max_quantize", "IMPLEMENTED_MODES", "check_quantize_args",
           "int8_quantization_config", "check_quantization_config"]

# Every mode Keras 3.15 knows, and the ones torkeras implements.
KERAS_MODES = ("int8", "float8", "int4", "gptq", "awq")
IMPLEMENTED_MODES = ("int8",)
EPSILON = 1e-7


def abs_max_quantize(inputs, axis, value_range=(-127, 127), epsilon=EPSILON):
    """Abs-max quantizes `inputs` over `axis` (an int or a tuple of ints).

    Returns `(quantized, scale)`: `quantized` is int8 with the shape of
    `inputs`; `scale` keeps the reduced axes with size 1 and has the dtype of
    `inputs`, so `quantized / scale` approximates `inputs`.
    """
    x = torch.as_tensor(inputs)
    if not x.is_floating_point():
        x = x.to(torch.get_default_dtype())
    if isinstance(axis, int):
        axis = (axis,)
    axis = tuple(a % x.dim() for a in axis) if x.dim() else ()
    amax = x.abs().amax(dim=axis, keepdim=True) if axis else x.abs()
    scale = (float(value_range[1]) / (amax + epsilon)).to(x.dtype)
    q = torch.clamp(torch.round(x * scale), value_range[0], value_range[1]).to(torch.int8)
    return q, scale


def exact_int_product(fn, qa, qb, n_terms):
    """`fn(a, b)` (a matmul or einsum) of two int8 tensors, computed exactly:
    in float32 while every partial sum fits its 24-bit mantissa, else in
    float64. `n_terms` is the number of products summed per output."""
    bound = n_terms * 127 * 127
    dtype = torch.float32 if bound < 2 ** 24 else torch.float64
    return fn(qa.to(dtype), qb.to(dtype))


def check_quantize_args(layer, mode):
    """The checks Keras makes before quantizing a layer, with its messages."""
    if mode is None:
        raise ValueError("You must provide either `mode` or `config` to `quantize`.")
    check_mode(mode)
    if not layer.built:
        raise ValueError(f"Cannot quantize a layer that isn't yet built. Layer "
                         f"'{layer.name}' (of type '{type(layer).__name__}') is not built yet.")
    if layer.quantization_mode is not None:
        raise ValueError(f"Layer '{layer.name}' is already quantized with "
                         f"dtype_policy='{layer.dtype_policy.name}'. Received: mode={mode}")
    if layer.compute_dtype == "float16":
        raise ValueError(f"Quantization mode='{mode}' doesn't work well with "
                         "compute_dtype='float16'. Consider loading model/layer with another "
                         "dtype policy such as 'mixed_bfloat16' or 'mixed_float16' before "
                         "calling `quantize()`.")
    if getattr(layer, "lora_enabled", False):
        raise NotImplementedError(f"Layer '{layer.name}': quantizing a layer with LoRA enabled "
                                  "is not implemented in torkeras.")


def check_mode(mode):
    """ValueError for a mode Keras does not know, NotImplementedError for a
    Keras mode torkeras does not implement (everything but "int8")."""
    if mode not in KERAS_MODES:
        raise ValueError(f"Invalid quantization mode. Expected one of {KERAS_MODES}. "
                         f"Received: mode={mode}")
    if mode not in IMPLEMENTED_MODES:
        raise NotImplementedError(f"Quantization mode {mode!r} is not implemented in torkeras; "
                                  "only 'int8' is.")


def check_build_mode(layer):
    """At build time: the layer's policy must be unquantized or int8."""
    mode = layer.quantization_mode
    if mode is not None and mode not in IMPLEMENTED_MODES:
        raise NotImplementedError(f"{type(layer).__name__} {layer.name!r}: dtype policy "
                                  f"{layer.dtype_policy.name!r} uses quantization mode {mode!r}, "
                                  "which is not implemented in torkeras; only 'int8' is.")
    return mode


def int8_quantization_config():
    """The `quantization_config` Keras 3.15 writes for a layer quantized
    with `quantize("int8")` (default weight and activation quantizers)."""
    return {"module": "keras.quantizers", "class_name": "Int8QuantizationConfig",
            "config": {"weight_quantizer": None,
                       "activation_quantizer": {
                           "module": "keras.quantizers", "class_name": "AbsMaxQuantizer",
                           "config": {"value_range": (-127, 127), "epsilon": EPSILON,
                                      "output_dtype": "int8"},
                           "registered_name": None}},
            "registered_name": None}


def check_quantization_config(value, layer_class):
    """The constructor's `quantization_config`: None or Keras's default int8
    config (as a serialized dict); anything else is refused."""
    if value is None:
        return None
    if not isinstance(value, dict) or value.get("class_name") != "Int8QuantizationConfig":
        raise ValueError(f"{layer_class}: torkeras supports `quantization_config` only as None "
                         "or the default Int8QuantizationConfig Keras writes; received: "
                         f"quantization_config={value!r}")
    cfg = value.get("config") or {}
    weight = cfg.get("weight_quantizer")
    act = cfg.get("activation_quantizer")
    ok = weight is None or _is_default_abs_max(weight, allow_axis=True)
    ok = ok and act is not None and _is_default_abs_max(act)
    if not ok:
        raise ValueError(f"{layer_class}: torkeras implements only the default int8 "
                         "quantizers (AbsMaxQuantizer, value_range (-127, 127), epsilon 1e-7, "
                         "for the weights and the inputs); received: "
                         f"quantization_config={value!r}")
    return int8_quantization_config()


def _is_default_abs_max(q, allow_axis=False):
    if not isinstance(q, dict) or q.get("class_name") != "AbsMaxQuantizer":
        return False
    c = q.get("config") or {}
    extra = set(c) - {"value_range", "epsilon", "output_dtype"} - ({"axis"} if allow_axis else set())
    return (not extra and tuple(c.get("value_range", (-127, 127))) == (-127, 127)
            and math.isclose(float(c.get("epsilon", EPSILON)), EPSILON)
            and c.get("output_dtype", "int8") == "int8")


def straight_through(quantized_out, float_out_fn, inputs):
    """`quantized_out`, with the gradient w.r.t. `inputs` of `float_out_fn(inputs)`
    (the float product with the dequantized weight), as Keras's custom
    gradient. The value is exactly `quantized_out` (y - y is exactly 0)."""
    if not (torch.is_grad_enabled() and inputs.requires_grad):
        return quantized_out
    y = float_out_fn(inputs)
    return quantized_out.detach() + (y - y.detach())
