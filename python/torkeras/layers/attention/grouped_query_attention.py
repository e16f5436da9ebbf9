"""GroupQueryAttention: attention where groups of query heads share one key
and value head (Ainslie et al., 2023), as Keras 3's GroupQueryAttention.

Sublayers (Keras names and h5 paths): `_query_dense` ("query", kernel
`(dim, num_query_heads, head_dim)`), `_key_dense` and `_value_dense`
("key"/"value", `(dim, num_key_value_heads, head_dim)`), `_output_dense`
("attention_output", `(num_query_heads, head_dim, dim)`) and, with
`use_gate=True`, `_gate_dense` ("gate", `(dim, num_query_heads, head_dim)`,
sigmoid), built between key and value as Keras builds it.
"""

import inspect
import math

import numpy as np
import torch

from torkeras import config as _config
from torkeras import constraints, initializers, naming, regularizers
from torkeras.graph.keras_tensor import KerasTensor
from torkeras.layers.activations.softmax import masked_softmax
from torkeras.layers.attention.attention_masks import (causal_mask, check_sliding_window,
                                                       merge_attention_masks,
                                                       sliding_window_mask)
from torkeras.layers.attention.fused_attention import can_fuse, fused_attention
from torkeras.layers.core import arg_utils
from torkeras.layers.core.einsum_dense import EinsumDense
from torkeras.layers.layer import Layer
from torkeras.layers.regularization.dropout import Dropout


def _positive(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"GroupQueryAttention: `{name}` must be a positive integer; "
                         f"received: {name}={value!r}")
    return int(value)


class GroupedQueryAttention(Layer):
    """Grouped-query attention, as `keras.layers.GroupQueryAttention`.

    Like multi-head attention, but `num_key_value_heads` key/value heads are
    shared by groups of `num_query_heads / num_key_value_heads` query heads
    (each key/value head is repeated for its group). The projections are
    `EinsumDense` sublayers `query` (kernel `(dim, num_query_heads,
    head_dim)`), `key` and `value` (`(dim, num_key_value_heads, head_dim)`)
    and `attention_output` (`(num_query_heads, head_dim, dim)`). Without
    dropout or attention scores the fused kernel (torch's
    `scaled_dot_product_attention`) computes the result.

    With `use_gate=True` a `gate` projection of the query (sigmoid, kernel
    `(dim, num_query_heads, head_dim)`, created between `key` and `value`)
    multiplies the attention output before `attention_output`. With
    `sliding_window=w` query position i attends only to keys j with
    `|i - j| < w`.

    Args:
        head_dim: Size of each attention head.
        num_query_heads: Number of query heads.
        num_key_value_heads: Number of key/value heads; must divide
            `num_query_heads`.
        dropout: Dropout rate on the attention probabilities (training only).
        use_bias: Whether the projections have biases.
        sliding_window: `None` (default) or a positive integer: the width of
            the symmetric band of keys each query position may attend to.
        flash_attention: `True`/`False`/`None` (the global setting of
            `keras.config.enable_flash_attention()`); `True` refuses dropout
            and `return_attention_scores`.
        kernel_initializer: Initializer of the projection kernels.
        bias_initializer: Initializer of the projection biases.
        kernel_regularizer: Regularizer of the projection kernels.
        bias_regularizer: Regularizer of the projection biases.
        activity_regularizer: Regularizer of each projection's output.
        kernel_constraint: Constraint on the projection kernels.
        bias_constraint: Constraint on the projection biases.
        use_gate: If `True`, gate the attention output with a sigmoid
            projection of the query (see above).
        seed: Seed of the dropout.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Call arguments:
        query: Query tensor `(batch, target, dim)`.
        value: Value tensor `(batch, source, dim)` (the same last dimension
            as the query).
        key: Optional key tensor `(batch, source, dim_k)`; defaults to
            `value`.
        query_mask: Optional boolean mask `(batch, target)`.
        value_mask: Optional boolean mask `(batch, source)`.
        key_mask: Optional boolean mask `(batch, source)`.
        attention_mask: Optional boolean mask `(batch, target, source)`, True
            where attention is allowed; combined (AND) with the masks above,
            the causal mask and the sliding window.
        return_attention_scores: If `True`, also return the attention
            probabilities `(batch, num_query_heads, target, source)`.
        training: Whether dropout is active.
        use_causal_mask: If `True`, position i attends only to keys 0..i.

    Returns:
        The attention output `(batch, target, dim)`; with
        `return_attention_scores=True` the tuple `(output, scores)`.

    Example:
    >>> layer = keras.layers.GroupQueryAttention(head_dim=4, num_query_heads=4,
    ...                                          num_key_value_heads=2)
    >>> x = np.ones((2, 6, 8), "float32")
    >>> tuple(layer(x, x).shape)
    (2, 6, 8)
    >>> [tuple(w.shape) for w in layer.weights[::2]]  # query, key, value, output kernels
    [(8, 4, 4), (8, 2, 4), (8, 2, 4), (4, 4, 8)]
    """

    # Keras writes this class's configs under its exported name.
    _keras_class_name = "GroupQueryAttention"

    def __init__(self, head_dim, num_query_heads, num_key_value_heads, dropout=0.0,
                 use_bias=True, sliding_window=None, flash_attention=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, use_gate=False, seed=None,
                 **kwargs):
        head_dim = _positive(head_dim, "head_dim")
        num_query_heads = _positive(num_query_heads, "num_query_heads")
        num_key_value_heads = _positive(num_key_value_heads, "num_key_value_heads")
        if num_query_heads % num_key_value_heads != 0:
            raise ValueError("GroupQueryAttention: `num_query_heads` must be divisible by "
                             f"`num_key_value_heads`; received {num_query_heads} and "
                             f"{num_key_value_heads}.")
        sliding_window = check_sliding_window(sliding_window, "GroupQueryAttention")
        dropout = float(dropout)
        if not 0.0 <= dropout <= 1.0:
            raise ValueError(f"GroupQueryAttention: `dropout` must be in [0, 1]; received "
                             f"dropout={dropout!r}")
        super().__init__(**kwargs)
        self.supports_masking = True
        self.head_dim = head_dim
        self.num_query_heads = num_query_heads
        self.num_key_value_heads = num_key_value_heads
        self.num_repeats = num_query_heads // num_key_value_heads
        self.dropout = dropout
        self.use_bias = bool(use_bias)
        self.use_gate = bool(use_gate)
        self.sliding_window = sliding_window
        self._flash_attention = flash_attention or _config.is_flash_attention_enabled()
        if self._flash_attention and dropout > 0.0:
            raise ValueError("GroupQueryAttention: dropout is not supported with flash "
                             f"attention; received dropout={dropout} and flash_attention=True.")
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self._sublayer_activity_regularizer = regularizers.get(activity_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self._inverse_sqrt_head_dim = 1.0 / math.sqrt(float(head_dim))

    def _dense(self, equation, output_shape, bias_axes, name, activation=None):
        def clone(init):
            return type(init).from_config(init.get_config())
        return EinsumDense(equation, output_shape=output_shape,
                           bias_axes=bias_axes if self.use_bias else None, name=name,
                           activation=activation,
                           kernel_regularizer=self.kernel_regularizer,
                           bias_regularizer=self.bias_regularizer,
                           activity_regularizer=self._sublayer_activity_regularizer,
                           kernel_constraint=self.kernel_constraint,
                           bias_constraint=self.bias_constraint,
                           kernel_initializer=clone(self.kernel_initializer),
                           bias_initializer=clone(self.bias_initializer),
                           dtype=self.dtype_policy)

    def __call__(self, *args, **kwargs):
        if not self.built:
            bound = inspect.signature(self.call).bind_partial(*args, **kwargs).arguments
            if "query" not in bound or "value" not in bound:
                raise ValueError("GroupQueryAttention: call it with `query` and `value` "
                                 "tensors, e.g. layer(query, value).")
            shapes = [None if bound.get(n) is None else tuple(bound[n].shape)
                      for n in ("query", "value", "key")]
            with naming.scope_unless_current(self.name):
                self.build(*shapes)
        return super().__call__(*args, **kwargs)

    def build(self, query_shape, value_shape, key_shape=None):
        key_shape = value_shape if key_shape is None else key_shape
        self.compute_output_shape(query_shape, value_shape, key_shape)
        self.feature_dim = query_shape[-1]
        self._query_dense = self._dense("bqm,muh->bquh",
                                        (None, self.num_query_heads, self.head_dim), "uh",
                                        "query")
        self._query_dense.build(tuple(query_shape))
        self._key_dense = self._dense("bkm,mvh->bkvh",
                                      (None, self.num_key_value_heads, self.head_dim), "vh",
                                      "key")
        self._key_dense.build(tuple(key_shape))
        if self.use_gate:
            # Keras's sigmoid gate on the attention output (one value per
            # query head and head dim), created between key and value.
            self._gate_dense = self._dense("bqm,muh->bquh",
                                           (None, self.num_query_heads, self.head_dim), "uh",
                                           "gate", activation="sigmoid")
            self._gate_dense.build(tuple(query_shape))
        self._value_dense = self._dense("bkm,mvh->bkvh",
                                        (None, self.num_key_value_heads, self.head_dim), "vh",
                                        "value")
        self._value_dense.build(tuple(value_shape))
        self._dropout_layer = Dropout(rate=self.dropout, seed=self.seed, dtype=self.dtype_policy)
        self._dot_product_equation = "bquh,bkuh->buqk"
        self._combine_equation = "buqk,bkuh->bquh"
        self._output_dense = self._dense("bquh,uhm->bqm", (None, self.feature_dim), "m",
                                         "attention_output")
        self._output_dense.build((None, None, self.num_query_heads, self.head_dim))
        self.built = True

    def _compute_attention_mask(self, query, value, query_mask=None, value_mask=None,
                                key_mask=None, attention_mask=None, use_causal_mask=False):
        return merge_attention_masks(query, value, query_mask, value_mask, key_mask,
                                     attention_mask, use_causal_mask, self.sliding_window)

    # Keras's helpers, for subclasses that override `_compute_attention`.
    def _compute_causal_mask(self, query, value=None):
        t = query.shape[1]
        return causal_mask(t, t if value is None else value.shape[1], query.device)

    def _compute_sliding_window_mask(self, query, value=None):
        t = query.shape[1]
        return sliding_window_mask(t, t if value is None else value.shape[1],
                                   self.sliding_window, query.device)

    def _masked_softmax(self, scores, mask):
        if mask is not None:
            while mask.dim() < scores.dim():
                mask = mask.unsqueeze(-3)
        return masked_softmax(scores, mask, -1)

    def _compute_attention(self, query, key, value, attention_mask=None, training=None,
                           return_attention_scores=False, use_causal_mask=False):
        if self._flash_attention and return_attention_scores:
            raise ValueError("GroupQueryAttention: returning attention scores is not "
                             "supported when flash attention is enabled.")
        if can_fuse(query, self.dropout, return_attention_scores):
            out = fused_attention(query, key, value, attention_mask,
                                  self._inverse_sqrt_head_dim, self._flash_attention,
                                  use_causal_mask)
            return out, None
        if use_causal_mask:
            causal = causal_mask(query.shape[1], value.shape[1], query.device)
            attention_mask = causal if attention_mask is None else attention_mask.bool() & causal
        query = query * torch.tensor(self._inverse_sqrt_head_dim, dtype=query.dtype)
        scores = torch.einsum(self._dot_product_equation, query, key)
        scores = self._masked_softmax(scores, attention_mask)
        dropped = self._dropout_layer(scores, training=training) if self.dropout > 0.0 \
            else scores
        return torch.einsum(self._combine_equation, dropped, value), scores

    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None,
             attention_mask=None, return_attention_scores=False, training=None,
             use_causal_mask=False):
        if key is None:
            key = value
        if attention_mask is not None:
            attention_mask = torch.as_tensor(attention_mask, device=query.device)
        causal_only = (use_causal_mask and query_mask is None and value_mask is None
                       and key_mask is None and attention_mask is None
                       and self.sliding_window is None
                       and type(self)._compute_attention is GroupedQueryAttention._compute_attention)
        if not causal_only:
            attention_mask = self._compute_attention_mask(
                query, value, query_mask=query_mask, value_mask=value_mask, key_mask=key_mask,
                attention_mask=attention_mask, use_causal_mask=use_causal_mask)
        gate = self._gate_dense(query) if self.use_gate else None
        q = self._query_dense(query)
        k = self._key_dense(key)
        v = self._value_dense(value)
        k = torch.repeat_interleave(k, self.num_repeats, dim=2)
        v = torch.repeat_interleave(v, self.num_repeats, dim=2)
        extra = {"use_causal_mask": True} if causal_only else {}
        out, scores = self._compute_attention(q, k, v, attention_mask, training,
                                              return_attention_scores, **extra)
        if gate is not None:
            out = out * gate
        out = self._output_dense(out)
        if return_attention_scores:
            return out, scores
        return out

    def compute_output_shape(self, query_shape, value_shape, key_shape=None):
        key_shape = value_shape if key_shape is None else key_shape
        query_shape, value_shape, key_shape = tuple(query_shape), tuple(value_shape), \
            tuple(key_shape)
        if query_shape[-1] != value_shape[-1]:
            raise ValueError("GroupQueryAttention: the last dimension of `query_shape` and "
                             f"`value_shape` must be equal; received query_shape={query_shape}, "
                             f"value_shape={value_shape}")
        if value_shape[1:-1] != key_shape[1:-1]:
            raise ValueError("GroupQueryAttention: all dimensions of `value` and `key`, except "
                             f"the last one, must be equal; received value_shape={value_shape} "
                             f"and key_shape={key_shape}")
        return query_shape

    def compute_output_spec(self, query, value, key=None, return_attention_scores=False,
                            **kwargs):
        shape = self.compute_output_shape(query.shape, value.shape,
                                          None if key is None else key.shape)
        out = KerasTensor(shape, self.compute_dtype)
        if return_attention_scores:
            kv_len = value.shape[1] if key is None else key.shape[1]
            return out, KerasTensor((query.shape[0], self.num_query_heads, query.shape[1],
                                     kv_len), self.compute_dtype)
        return out

    def get_config(self):
        config = super().get_config()
        config.update({
            "head_dim": self.head_dim,
            "num_query_heads": self.num_query_heads,
            "num_key_value_heads": self.num_key_value_heads,
            "use_bias": self.use_bias,
            "use_gate": self.use_gate,
            "sliding_window": self.sliding_window,
            "dropout": self.dropout,
            "kernel_initializer": arg_utils.serialize_initializer(self.kernel_initializer),
            "bias_initializer": arg_utils.serialize_initializer(self.bias_initializer),
            "kernel_regularizer": arg_utils.serialize_regularizer(self.kernel_regularizer),
            "bias_regularizer": arg_utils.serialize_regularizer(self.bias_regularizer),
            "activity_regularizer": arg_utils.serialize_regularizer(
                self._sublayer_activity_regularizer),
            "kernel_constraint": arg_utils.serialize_constraint(self.kernel_constraint),
            "bias_constraint": arg_utils.serialize_constraint(self.bias_constraint),
            "seed": self.seed,
        })
        return config


# Keras exports the class `GroupedQueryAttention` as `keras.layers.GroupQueryAttention`:
# configs name it "GroupQueryAttention" (`_keras_class_name`), while default layer names
# and h5 paths come from the class name ("grouped_query_attention").
GroupQueryAttention = GroupedQueryAttention
