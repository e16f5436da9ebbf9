"""MultiHeadAttention: Keras 3's multi-head attention layer.

Query, key and value are projected with EinsumDense sublayers named
`query`, `key`, `value` (kernels `(dim, num_heads, key_dim)`), the scaled
dot products are softmaxed over the attention axes (masked positions get
-1e9 before the softmax and 0 after it, as Keras's Softmax layer), optionally dropped out,
combined with the values and projected back by `attention_output`.
`use_gate=True` adds a sigmoid `gate` projection of the query (attribute
`_gate_dense`, h5 path `_gate_dense`, as Keras) multiplying the per-head
output; `sliding_window` restricts attention to a band of key positions
(layers/attention/attention_masks.py).
"""

import inspect
import math
import string

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

_LETTERS = string.ascii_lowercase


def projection_equation(free_dims, bound_dims, output_dims):
    """Einsum equation projecting `free+bound` input dims onto `free+output`
    dims; returns (equation, bias_axes, output_rank)."""
    inp = ker = out = bias = ""
    pos = 0
    for _ in range(free_dims):
        inp += _LETTERS[pos]
        out += _LETTERS[pos]
        pos += 1
    for _ in range(bound_dims):
        inp += _LETTERS[pos]
        ker += _LETTERS[pos]
        pos += 1
    for _ in range(output_dims):
        ker += _LETTERS[pos]
        out += _LETTERS[pos]
        bias += _LETTERS[pos]
        pos += 1
    return f"{inp},{ker}->{out}", bias, len(out)


def attention_equations(rank, attn_axes):
    """(dot_product_equation, combine_equation, scores_rank) for projected
    tensors of `rank` dims attending over `attn_axes`."""
    target = "".join(_LETTERS[i] for i in range(rank))
    batch_dims = tuple(np.delete(range(rank), attn_axes + (rank - 1,)))
    source = ""
    nxt = rank
    for i in range(rank):
        if i in batch_dims or i == rank - 1:
            source += target[i]
        else:
            source += _LETTERS[nxt]
            nxt += 1
    product = "".join([target[i] for i in batch_dims] + [target[i] for i in attn_axes]
                      + [source[i] for i in attn_axes])
    return f"{source},{target}->{product}", f"{product},{source}->{target}", len(product)


def _positive_int_strict(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"MultiHeadAttention: `{name}` must be a positive integer; "
                         f"received: {name}={value!r}")
    return int(value)


class MultiHeadAttention(Layer):
    """Multi-head attention (Vaswani et al., 2017), as `keras.layers.MultiHeadAttention`.

    Query, key and value are projected per head by `EinsumDense` sublayers
    (`query`, `key`, `value`; kernels `(dim, num_heads, key_dim)`, the value's
    `(dim, num_heads, value_dim)`). Each head computes
    `softmax(query . key / sqrt(key_dim)) . value` over the attention axes;
    the heads are combined by the `attention_output` projection back to the
    query's last dimension (or `output_shape`). Masked positions get a large
    negative score before the softmax and probability 0 after it. Without
    dropout, attention scores or extra attention axes the fused kernel
    (torch's `scaled_dot_product_attention`) computes the same result.

    With `use_gate=True` a fourth projection `gate` (sigmoid activation,
    kernel `(dim, num_heads, value_dim)`, created between `key` and `value`)
    of the query multiplies the per-head output before `attention_output`.
    With `sliding_window=w` query position i attends only to key positions
    j with `|i - j| < w` (along the second axis); combined with
    `use_causal_mask=True` this is the causal sliding window of Mistral-style
    models.

    Args:
        num_heads: Number of attention heads.
        key_dim: Size of each head for query and key.
        value_dim: Size of each head for value (default: `key_dim`).
        dropout: Dropout rate on the attention probabilities (training only).
        use_bias: Whether the projections have biases.
        output_shape: Output size(s) without the batch and sequence axes
            (default: the query's last dimension).
        attention_axes: Axes attention is applied over (default: all axes
            but batch, heads and features).
        sliding_window: `None` (default) or a positive integer: the width of
            the symmetric band of keys each query position may attend to.
            Needs attention over axis 1 only (rank-3 query, default
            `attention_axes`).
        flash_attention: `True`/`False`/`None` (the global setting of
            `keras.config.enable_flash_attention()`); `True` refuses dropout
            and `return_attention_scores`.
        kernel_initializer: Initializer of the projection kernels.
        bias_initializer: Initializer of the projection biases.
        kernel_regularizer: Regularizer of the projection kernels.
        bias_regularizer: Regularizer of the projection biases.
        activity_regularizer: Regularizer of each projection's output (as in
            Keras, applied by the projection sublayers).
        kernel_constraint: Constraint on the projection kernels.
        bias_constraint: Constraint on the projection biases.
        use_gate: If `True`, gate the attention output with a sigmoid
            projection of the query (see above).
        seed: Seed of the dropout.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Call arguments:
        query: Query tensor `(batch, target, dim)` (or more axes with
            `attention_axes`).
        value: Value tensor `(batch, source, dim_v)`.
        key: Optional key tensor `(batch, source, dim_k)`; defaults to
            `value`.
        query_mask: Optional boolean mask `(batch, target)`; defaults to the
            query's Keras mask.
        value_mask: Optional boolean mask `(batch, source)`; defaults to the
            value's Keras mask.
        key_mask: Optional boolean mask `(batch, source)`.
        attention_mask: Optional boolean mask `(batch, target, source)`, True
            where attention is allowed; combined (AND) with the masks above,
            the causal mask and the sliding window.
        return_attention_scores: If `True`, also return the attention
            probabilities `(batch, num_heads, target, source)`.
        training: Whether dropout is active.
        use_causal_mask: If `True`, position i attends only to keys 0..i.

    Returns:
        The attention output, of the query's shape with the last axis
        replaced by `output_shape`; with `return_attention_scores=True` the
        tuple `(output, scores)`.

    Example:
    >>> layer = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4, use_gate=True,
    ...                                         sliding_window=2)
    >>> x = np.ones((3, 5, 8), "float32")
    >>> out, scores = layer(x, x, use_causal_mask=True, return_attention_scores=True)
    >>> tuple(out.shape), tuple(scores.shape)
    ((3, 5, 8), (3, 2, 5, 5))
    >>> (scores[0, 0] > 0).int().tolist()[4]  # position 4 sees keys 3 and 4
    [0, 0, 0, 1, 1]
    """

    def __init__(self, num_heads, key_dim, value_dim=None, dropout=0.0, use_bias=True,
                 output_shape=None, attention_axes=None, sliding_window=None,
                 flash_attention=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 use_gate=False, seed=None, **kwargs):
        num_heads = _positive_int_strict(num_heads, "num_heads")
        key_dim = _positive_int_strict(key_dim, "key_dim")
        if value_dim is not None:
            value_dim = _positive_int_strict(value_dim, "value_dim")
        sliding_window = check_sliding_window(sliding_window, "MultiHeadAttention")
        dropout = float(dropout)
        if not 0.0 <= dropout <= 1.0:
            raise ValueError(f"MultiHeadAttention: `dropout` must be in [0, 1]; received "
                             f"dropout={dropout!r}")
        if output_shape:
            if isinstance(output_shape, int) and not isinstance(output_shape, bool):
                output_shape = (output_shape,)
            try:
                output_shape = tuple(arg_utils.positive_int(d, "output_shape")
                                     for d in output_shape)
            except TypeError:
                raise ValueError("MultiHeadAttention: `output_shape` must be an int or a tuple "
                                 f"of ints; received output_shape={output_shape!r}") from None
        else:
            output_shape = None
        if isinstance(attention_axes, int) and not isinstance(attention_axes, bool):
            attention_axes = (attention_axes,)
        elif attention_axes and not isinstance(attention_axes, (list, tuple)):
            raise ValueError("MultiHeadAttention: `attention_axes` must be an int, a list or "
                             f"a tuple; received attention_axes={attention_axes!r}")
        if attention_axes:
            attention_axes = tuple(int(a) for a in attention_axes)
        else:
            attention_axes = None
        super().__init__(**kwargs)
        self.supports_masking = True
        self._num_heads = num_heads
        self._key_dim = key_dim
        self._value_dim = value_dim if value_dim else key_dim
        self._dropout = dropout
        self._use_bias = bool(use_bias)
        self._use_gate = bool(use_gate)
        self._sliding_window = sliding_window
        self._output_shape = output_shape
        self._flash_attention = flash_attention or _config.is_flash_attention_enabled()
        if self._flash_attention and dropout > 0.0:
            raise ValueError("MultiHeadAttention: dropout is not supported with flash "
                             f"attention; received dropout={dropout} and flash_attention=True.")
        self._kernel_initializer = initializers.get(kernel_initializer)
        self._bias_initializer = initializers.get(bias_initializer)
        self._kernel_regularizer = regularizers.get(kernel_regularizer)
        self._bias_regularizer = regularizers.get(bias_regularizer)
        self._kernel_constraint = constraints.get(kernel_constraint)
        self._bias_constraint = constraints.get(bias_constraint)
        self._activity_regularizer_arg = regularizers.get(activity_regularizer)
        self._attention_axes = attention_axes
        self.seed = seed
        self._inverse_sqrt_key_dim = 1.0 / math.sqrt(float(key_dim))

    @property
    def num_heads(self):
        return self._num_heads

    @property
    def key_dim(self):
        return self._key_dim

    @property
    def value_dim(self):
        return self._value_dim

    @property
    def dropout(self):
        return self._dropout

    @property
    def use_bias(self):
        return self._use_bias

    @property
    def attention_axes(self):
        return self._attention_axes

    # Keras keeps the projections as `_query_dense`... behind public
    # properties, so its weights file names them `query_dense`...; here the
    # public names are the attributes (same file paths) and these aliases
    # serve code written against Keras's private names.
    @property
    def _query_dense(self):
        return self.query_dense

    @property
    def _key_dense(self):
        return self.key_dense

    @property
    def _value_dense(self):
        return self.value_dense

    @property
    def _output_dense(self):
        return self.output_dense

    def _dense_kwargs(self):
        def clone(init):
            return type(init).from_config(init.get_config())
        kwargs = dict(kernel_regularizer=self._kernel_regularizer,
                      bias_regularizer=self._bias_regularizer,
                      activity_regularizer=self._activity_regularizer_arg,
                      kernel_constraint=self._kernel_constraint,
                      bias_constraint=self._bias_constraint,
                      kernel_initializer=clone(self._kernel_initializer),
                      bias_initializer=clone(self._bias_initializer),
                      dtype=self.dtype_policy)
        return kwargs

    def _projection(self, rank, heads_dim, name, activation=None):
        eq, bias, out_rank = projection_equation(rank - 1, 1, 2)
        shape = [None] * (out_rank - 1 - 2) + [self._num_heads, heads_dim]
        return EinsumDense(eq, output_shape=shape, bias_axes=bias if self._use_bias else None,
                           activation=activation, name=name, **self._dense_kwargs())

    def __call__(self, *args, **kwargs):
        if not self.built:
            # Built from the shapes of query, value and key (the base class
            # builds from the first input only).
            bound = inspect.signature(self.call).bind_partial(*args, **kwargs).arguments
            if "query" not in bound or "value" not in bound:
                raise ValueError("MultiHeadAttention: call it with `query` and `value` "
                                 "tensors, e.g. layer(query, value).")
            shapes = [None if bound.get(n) is None else tuple(bound[n].shape)
                      for n in ("query", "value", "key")]
            with naming.scope_unless_current(self.name):
                self.build(*shapes)
        return super().__call__(*args, **kwargs)

    def build(self, query_shape, value_shape, key_shape=None):
        key_shape = value_shape if key_shape is None else key_shape
        query_shape, value_shape, key_shape = (tuple(query_shape), tuple(value_shape),
                                               tuple(key_shape))
        if value_shape[1:-1] != key_shape[1:-1]:
            raise ValueError("MultiHeadAttention: all dimensions of `value` and `key`, except "
                             f"the last one, must be equal; received value_shape={value_shape} "
                             f"and key_shape={key_shape}")
        self.query_dense = self._projection(len(query_shape), self._key_dim, "query")
        self.query_dense.build(query_shape)
        self.key_dense = self._projection(len(key_shape), self._key_dim, "key")
        self.key_dense.build(key_shape)
        if self._use_gate:
            # Keras's sigmoid gate on the attention output, `(..., heads,
            # value_dim)` from the query; created between key and value.
            self._gate_dense = self._projection(len(query_shape), self._value_dim, "gate",
                                                activation="sigmoid")
            self._gate_dense.build(query_shape)
        self.value_dense = self._projection(len(value_shape), self._value_dim, "value")
        self.value_dense.build(value_shape)
        # Attention equations over the projected (rank + 1) tensors.
        rank = len(query_shape) + 1
        axes = self._attention_axes
        if axes is None:
            axes = tuple(range(1, rank - 2))
        axes = tuple(a + rank - 1 if a < 0 else a for a in axes)
        for a in axes:
            if not 0 < a < rank - 2:
                raise ValueError(f"MultiHeadAttention: attention axis {a} is out of range for "
                                 f"a query of rank {len(query_shape)}.")
        if self._sliding_window is not None and axes != (1,):
            # Keras's band runs along axis 1 only (it fails inside the
            # softmax for other attention axes).
            raise ValueError("MultiHeadAttention: `sliding_window` needs attention over axis "
                             "1 only (a query of shape (batch, seq, dim) with the default "
                             f"`attention_axes`); received attention_axes={axes} for a query "
                             f"of shape {query_shape}.")
        self._attention_axes = axes
        self._dot_product_equation, self._combine_equation, scores_rank = \
            attention_equations(rank, axes)
        self._norm_axes = tuple(range(scores_rank - len(axes), scores_rank))
        self._dropout_layer = Dropout(rate=self._dropout, seed=self.seed, dtype=self.dtype_policy)
        out_shape = self._output_shape if self._output_shape else (query_shape[-1],)
        eq, bias, out_rank = projection_equation(len(query_shape) - 1, 2, len(out_shape))
        self.output_dense = EinsumDense(
            eq, output_shape=[None] * (out_rank - 1 - len(out_shape)) + list(out_shape),
            bias_axes=bias if self._use_bias else None, name="attention_output",
            **self._dense_kwargs())
        self.output_dense.build(tuple(query_shape[:-1]) + (self._num_heads, self._value_dim))
        self.built = True

    # -- masks ----------------------------------------------------------------
    def _compute_attention_mask(self, query, value, query_mask=None, value_mask=None,
                                key_mask=None, attention_mask=None, use_causal_mask=False):
        return merge_attention_masks(query, value, query_mask, value_mask, key_mask,
                                     attention_mask, use_causal_mask, self._sliding_window)

    # Keras's helpers, for subclasses that override `_compute_attention`.
    def _compute_causal_mask(self, query, value=None):
        t = query.shape[1]
        return causal_mask(t, t if value is None else value.shape[1], query.device)

    def _compute_sliding_window_mask(self, query, value=None):
        t = query.shape[1]
        return sliding_window_mask(t, t if value is None else value.shape[1],
                                   self._sliding_window, query.device)

    def _masked_softmax(self, scores, mask):
        if mask is not None:
            mask = torch.as_tensor(mask, device=scores.device)
            expand_at = -len(self._attention_axes) * 2 - 1
            while mask.dim() < scores.dim():
                mask = mask.unsqueeze(expand_at)
        # Keras's MultiHeadAttention runs its Softmax layer here.
        return masked_softmax(scores, mask, self._norm_axes)

    def _compute_attention(self, query, key, value, attention_mask=None, training=None,
                           return_attention_scores=False, use_causal_mask=False):
        if self._flash_attention and return_attention_scores:
            raise ValueError("MultiHeadAttention: returning attention scores is not supported "
                             "when flash attention is enabled.")
        if can_fuse(query, self._dropout, return_attention_scores):
            out = fused_attention(query, key, value, attention_mask,
                                  self._inverse_sqrt_key_dim, self._flash_attention,
                                  use_causal_mask)
            return out, None
        query = query * torch.tensor(self._inverse_sqrt_key_dim, dtype=query.dtype)
        if use_causal_mask:
            causal = causal_mask(query.shape[1], key.shape[1], query.device)
            attention_mask = causal if attention_mask is None else attention_mask.bool() & causal
        scores = torch.einsum(self._dot_product_equation, key, query)
        scores = self._masked_softmax(scores, attention_mask)
        dropped = self._dropout_layer(scores, training=training) if self._dropout > 0.0 \
            else scores
        out = torch.einsum(self._combine_equation, dropped, value)
        return out, scores

    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None,
             attention_mask=None, return_attention_scores=False, training=None,
             use_causal_mask=False):
        if key is None:
            key = value
        if query_mask is None:
            query_mask = getattr(query, "_keras_mask", None)
        if value_mask is None:
            value_mask = getattr(value, "_keras_mask", None)
        for tensor in (query, value, key):
            # As Keras: the masks were read; the projections must not see them.
            if getattr(tensor, "_keras_mask", None) is not None:
                tensor._keras_mask = None
        if attention_mask is not None:
            attention_mask = torch.as_tensor(attention_mask, device=query.device)
        causal_only = (use_causal_mask and query_mask is None and value_mask is None
                       and key_mask is None and attention_mask is None
                       and self._sliding_window is None
                       and type(self)._compute_attention is MultiHeadAttention._compute_attention)
        if not causal_only:
            attention_mask = self._compute_attention_mask(
                query, value, query_mask=query_mask, value_mask=value_mask, key_mask=key_mask,
                attention_mask=attention_mask, use_causal_mask=use_causal_mask)
        gate = self._gate_dense(query) if self._use_gate else None
        q = self.query_dense(query)
        k = self.key_dense(key)
        v = self.value_dense(value)
        extra = {"use_causal_mask": True} if causal_only else {}
        out, scores = self._compute_attention(q, k, v, attention_mask, training,
                                              return_attention_scores, **extra)
        if gate is not None:
            out = out * gate
        out = self.output_dense(out)
        if return_attention_scores:
            return out, scores
        return out

    def compute_output_spec(self, query, value, key=None, return_attention_scores=False,
                            **kwargs):
        out = KerasTensor(self.compute_output_shape(query.shape, value.shape),
                          self.compute_dtype)
        if not return_attention_scores:
            return out
        key_shape = tuple(value.shape if key is None else key.shape)
        qp = tuple(query.shape)[:-1] + (self._num_heads, self._key_dim)
        kp = key_shape[:-1] + (self._num_heads, self._key_dim)
        rank = len(qp)
        axes = self._attention_axes
        batch_dims = [i for i in range(rank) if i not in axes and i != rank - 1]
        shape = [qp[i] for i in batch_dims] + [qp[a] for a in axes] + [kp[a] for a in axes]
        return out, KerasTensor(tuple(shape), self.compute_dtype)

    def compute_output_shape(self, query_shape, value_shape, key_shape=None):
        query_shape = tuple(query_shape)
        if self._output_shape:
            return query_shape[:-1] + tuple(self._output_shape)
        return query_shape

    def get_config(self):
        config = super().get_config()
        config.update({
            "num_heads": self._num_heads,
            "key_dim": self._key_dim,
            "value_dim": self._value_dim,
            "dropout": self._dropout,
            "use_bias": self._use_bias,
            "use_gate": self._use_gate,
            "output_shape": self._output_shape,
            "attention_axes": self._attention_axes,
            "sliding_window": self._sliding_window,
            "kernel_initializer": arg_utils.serialize_initializer(self._kernel_initializer),
            "bias_initializer": arg_utils.serialize_initializer(self._bias_initializer),
            "kernel_regularizer": arg_utils.serialize_regularizer(self._kernel_regularizer),
            "bias_regularizer": arg_utils.serialize_regularizer(self._bias_regularizer),
            "activity_regularizer": arg_utils.serialize_regularizer(
                self._activity_regularizer_arg),
            "kernel_constraint": arg_utils.serialize_constraint(self._kernel_constraint),
            "bias_constraint": arg_utils.serialize_constraint(self._bias_constraint),
            "seed": self.seed,
        })
        return config
