"""Attention masks of MultiHeadAttention and GroupQueryAttention: the Keras
masks of query/value/key, the causal mask and the sliding-window band, merged
with a user `attention_mask` into one boolean `(batch or 1, target, source)`
mask (True = attend), as Keras 3.15 builds it."""

import numbers

import torch


def check_sliding_window(value, layer):
    """`sliding_window` as None or a positive int (ValueError otherwise)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ValueError(f"{layer}: `sliding_window` must be None or a positive integer; "
                         f"received: sliding_window={value!r}")
    return int(value)


def causal_mask(target_len, source_len, device=None):
    """`(1, target, source)`: query position i attends to keys 0..i."""
    return torch.ones(target_len, source_len, dtype=torch.bool,
                      device=device).tril().unsqueeze(0)


def sliding_window_mask(target_len, source_len, window, device=None):
    """`(1, target, source)`: query position i attends to keys j with
    `|i - j| < window` (a symmetric band; AND it with the causal mask for the
    usual causal sliding window)."""
    rows = torch.arange(target_len, device=device).unsqueeze(1)
    cols = torch.arange(source_len, device=device).unsqueeze(0)
    return ((rows - cols).abs() < window).unsqueeze(0)


def merge_attention_masks(query, value, query_mask=None, value_mask=None, key_mask=None,
                          attention_mask=None, use_causal_mask=False, sliding_window=None):
    """The combined boolean mask, or None when nothing masks.

    `query` and `value` are `(batch, seq, ...)` tensors; their second axis
    gives the target and source lengths. The query mask `(batch, target)`
    masks rows, the value and key masks `(batch, source)` mask columns.
    """
    # query may still be a NumPy array here (only the first call argument
    # is converted before `call`).
    device = getattr(query, "device", None)
    if not isinstance(device, torch.device):
        device = None
    auto = None

    def both(a, b):
        return b if a is None else a & b

    if query_mask is not None:
        auto = torch.as_tensor(query_mask, device=device).bool().unsqueeze(-1)
    for m in (value_mask, key_mask):
        if m is not None:
            auto = both(auto, torch.as_tensor(m, device=device).bool().unsqueeze(-2))
    t, s = query.shape[1], value.shape[1]
    if use_causal_mask:
        auto = both(auto, causal_mask(t, s, device))
    if sliding_window is not None:
        auto = both(auto, sliding_window_mask(t, s, sliding_window, device))
    if auto is None:
        return attention_mask
    if attention_mask is None:
        return auto
    return torch.as_tensor(attention_mask, device=device).bool() & auto
