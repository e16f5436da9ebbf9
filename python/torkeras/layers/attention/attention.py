"""Attention: Luong-style dot-product attention (and Bahdanau-style
"concat" scores), called on `[query, value]` or `[query, value, key]`."""

import torch

from torkeras import random as _random
from torkeras.layers.layer import Layer


def check_inputs(layer, inputs, mask=None):
    name = type(layer).__name__
    if not isinstance(inputs, (list, tuple)):
        raise ValueError(f"{name} layer must be called on a list of inputs, namely "
                         f"[query, value] or [query, value, key]. Received: inputs={inputs!r}.")
    if not 2 <= len(inputs) <= 3:
        raise ValueError(f"{name} layer accepts an inputs list of length 2 or 3, namely "
                         f"[query, value] or [query, value, key]. Received length: "
                         f"{len(inputs)}.")
    if mask is not None:
        if not isinstance(mask, (list, tuple)):
            raise ValueError(f"{name} layer mask must be a list, namely "
                             f"[query_mask, value_mask]. Received: mask={mask!r}.")
        if not 2 <= len(mask) <= 3:
            raise ValueError(f"{name} layer accepts a mask list of length 2 or 3; received "
                             f"{len(mask)} masks.")


def check_shapes(layer, input_shape):
    """The build shapes as a list of shapes (a single shape is refused)."""
    shapes = list(input_shape) if isinstance(input_shape, (list, tuple)) else input_shape
    if not isinstance(shapes, list) or not shapes or \
            not all(isinstance(s, (list, tuple)) or hasattr(s, "__len__") for s in shapes):
        raise ValueError(f"{type(layer).__name__} layer must be called on a list of inputs, "
                         "namely [query, value] or [query, value, key]. Received input "
                         f"shape {input_shape!r}.")
    check_inputs(layer, shapes)
    return shapes


class Attention(Layer):
    """Dot-product attention layer (Luong-style), as `keras.layers.Attention`.

    Called on `[query, value]` or `[query, value, key]` (key defaults to
    value), shapes `(batch, Tq, dim)`, `(batch, Tv, dim)`: scores
    `query . key^T` ("dot") or `sum(tanh(query + key))` ("concat"),
    softmax over Tv, then the weighted sum of the values. Masks (`mask =
    [query_mask, value_mask]`, or those the inputs carry) exclude value
    positions (score - 1e9) and zero the output at masked queries.

    Args:
        use_scale: If `True`, a trainable scalar `scale` multiplies the scores
            (in "concat" mode: the sum inside tanh).
        score_mode: "dot" or "concat" ("concat" adds a trainable scalar
            `concat_score_weight`).
        dropout: Dropout rate on the attention weights (training only).
        seed: Seed of the dropout.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Call arguments:
        inputs: `[query, value]` or `[query, value, key]`, of shapes
            `(batch, Tq, dim)`, `(batch, Tv, dim)` and `(batch, Tv, dim)`.
        mask: Optional `[query_mask, value_mask]`, boolean `(batch, Tq)` and
            `(batch, Tv)`; defaults to the masks the inputs carry.
        training: Whether dropout is active.
        return_attention_scores: If `True`, also return the attention
            weights `(batch, Tq, Tv)`.
        use_causal_mask: If `True`, query position i attends only to value
            positions 0..i.

    Returns:
        The attention output `(batch, Tq, dim)`; with
        `return_attention_scores=True` the tuple `(output, scores)`.
    """

    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, seed=None, **kwargs):
        if score_mode not in ("dot", "concat"):
            raise ValueError("Invalid value for argument score_mode. Expected one of "
                             f"{{'dot', 'concat'}}. Received: score_mode={score_mode!r}")
        dropout = float(dropout)
        if not 0.0 <= dropout <= 1.0:
            raise ValueError(f"`dropout` must be in [0, 1]; received dropout={dropout!r}")
        super().__init__(**kwargs)
        self.use_scale = bool(use_scale)
        self.score_mode = score_mode
        self.dropout = dropout
        self.seed = seed
        self.supports_masking = True
        if dropout > 0:
            self.seed_generator = _random.SeedGenerator(seed=seed)

    def build(self, input_shape):
        check_shapes(self, input_shape)
        self.scale = None
        self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(), initializer="ones")
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(name="concat_score_weight", shape=(),
                                                       initializer="ones")
        self.built = True

    def _calculate_scores(self, query, key):
        if self.score_mode == "dot":
            scores = torch.matmul(query, key.transpose(-2, -1))
            if self.scale is not None:
                scores = scores * self.scale.value
            return scores
        q = query.unsqueeze(-2)
        k = key.unsqueeze(-3)
        inner = q + k if self.scale is None else self.scale.value * (q + k)
        return self.concat_score_weight.value * torch.tanh(inner).sum(dim=-1)

    def _apply_scores(self, scores, value, scores_mask=None, training=False):
        if scores_mask is not None:
            padding = torch.logical_not(scores_mask.bool())
            big = 65504.0 if scores.dtype == torch.float16 else 1.0e9
            if padding.dim() == 2:
                padding = padding.unsqueeze(-2)
            scores = torch.where(padding, scores - big, scores)
        weights = torch.softmax(scores, dim=-1)
        if training and self.dropout > 0:
            weights = _random.dropout(weights, self.dropout, seed=self.seed_generator)
        return torch.matmul(weights, value), weights

    @staticmethod
    def _score_mask(scores, v_mask, use_causal_mask):
        if not use_causal_mask:
            return v_mask
        tq, tv = scores.shape[-2], scores.shape[-1]
        causal = torch.ones(tq, tv, dtype=torch.bool, device=scores.device).tril().unsqueeze(0)
        if v_mask is not None:
            return v_mask.bool().unsqueeze(-2) & causal
        return causal

    def call(self, inputs, mask=None, training=False, return_attention_scores=False,
             use_causal_mask=False):
        check_inputs(self, inputs, mask)
        q, v = inputs[0], inputs[1]
        k = inputs[2] if len(inputs) > 2 else v
        q_mask = mask[0] if mask else None
        v_mask = mask[1] if mask else None
        if q_mask is not None:
            q_mask = torch.as_tensor(q_mask, device=q.device)
        if v_mask is not None:
            v_mask = torch.as_tensor(v_mask, device=q.device)
        scores = self._calculate_scores(q, k)
        scores_mask = self._score_mask(scores, v_mask, use_causal_mask)
        out, weights = self._apply_scores(scores, v, scores_mask, training)
        if q_mask is not None:
            out = torch.where(q_mask.bool().unsqueeze(-1), out,
                              torch.zeros((), dtype=out.dtype, device=out.device))
        if return_attention_scores:
            return out, weights
        return out

    def compute_mask(self, inputs, mask=None):
        check_inputs(self, inputs, mask)
        if mask is None or mask[0] is None:
            return None
        return torch.as_tensor(mask[0])

    def compute_output_shape(self, input_shape):
        return (*tuple(input_shape[0])[:-1], tuple(input_shape[1])[-1])

    def get_config(self):
        config = super().get_config()
        config.update({"use_scale": self.use_scale, "score_mode": self.score_mode,
                       "dropout": self.dropout, "seed": self.seed})
        return config
