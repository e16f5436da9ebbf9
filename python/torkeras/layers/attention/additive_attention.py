"""AdditiveAttention: Bahdanau-style attention, scores
`sum(scale * tanh(query + key))` over the feature axis."""

import torch

from torkeras.layers.attention.attention import Attention, check_shapes


class AdditiveAttention(Attention):
    """Additive (Bahdanau-style) attention, as `keras.layers.AdditiveAttention`.

    Called on `[query, value]` or `[query, value, key]`; scores are
    `sum(scale * tanh(query[:, :, None] + key[:, None]), -1)`, then softmax
    and the weighted sum of values as in `Attention` (same masks, dropout,
    `return_attention_scores`, `use_causal_mask`).

    Args:
        use_scale: If `True` (default), a trainable vector `scale` of the
            feature size (glorot_uniform init) weights the tanh terms.
        dropout: Dropout rate on the attention weights (training only).
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`
            (and `seed`, the seed of the dropout).

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

    def __init__(self, use_scale=True, dropout=0.0, **kwargs):
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def build(self, input_shape):
        check_shapes(self, input_shape)
        dim = tuple(input_shape[0])[-1]
        self.scale = None
        self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(dim,),
                                         initializer="glorot_uniform")
        self.built = True

    def _calculate_scores(self, query, key):
        q = query.unsqueeze(-2)
        k = key.unsqueeze(-3)
        t = torch.tanh(q + k)
        if self.use_scale:
            t = self.scale.value * t
        return t.sum(dim=-1)

    def get_config(self):
        config = super().get_config()
        del config["score_mode"]
        return config
