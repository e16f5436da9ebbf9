"""The fused attention branch shared by MultiHeadAttention and
GroupQueryAttention: projected `(batch, seq, heads, dim)` tensors go through
`ops.dot_product_attention` (torch's `scaled_dot_product_attention`, flash
kernels where available) instead of the explicit einsum + softmax.

Keras takes this branch when there is no dropout, no attention scores are
asked for and the projected query is 4D (one attention axis); the layers ask
`can_fuse` and then call `fused_attention`.
"""

from torkeras.ops import nn as _nn_ops


def can_fuse(query, dropout, return_attention_scores):
    """Whether the fused kernel computes what the explicit path would."""
    return not (dropout > 0.0 or return_attention_scores or query.dim() != 4)


def fused_attention(query, key, value, attention_mask, scale, flash_attention,
                    use_causal_mask=False):
    """`softmax(scale * query . key, masked) . value` through the fused kernel.

    Args:
        query: Projected query `(batch, target, heads, key_dim)`.
        key: Projected key `(batch, source, heads, key_dim)`.
        value: Projected value `(batch, source, heads, value_dim)`.
        attention_mask: `None` or a boolean mask (True = attend) of shape
            `(target, source)`, `(batch, target, source)` or 4D; a head axis is
            inserted before the last two axes as needed.
        scale: The factor on the dot products (`1 / sqrt(key_dim)`).
        flash_attention: `True`/`False`/`None`, passed on to
            `ops.dot_product_attention`.
        use_causal_mask: With no `attention_mask`, use the kernel's own
            causal masking (no `(target, source)` mask is materialised).

    Returns:
        The attention output `(batch, target, heads, value_dim)`. A query row
        whose keys are all masked averages all values (an additive mask), where
        the explicit path gives zeros, as with Keras on torch.
    """
    mask = attention_mask
    if mask is not None:
        while mask.dim() < 4:
            mask = mask.unsqueeze(-3)
        mask = mask.bool()
    return _nn_ops.dot_product_attention(
        query, key, value, mask=mask, scale=scale,
        is_causal=bool(use_causal_mask and mask is None),
        flash_attention=flash_attention)
