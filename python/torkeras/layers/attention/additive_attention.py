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
        seed: Seed of the dropout.
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
