"""`keras.utils.pad_sequences`: pads a list of sequences to one length."""

import numpy as np


def _check_mode(value, name):
    if value not in ("pre", "post"):
        raise ValueError(f"pad_sequences(): `{name}` must be 'pre' or 'post'; "
                         f"received {value!r}.")


def pad_sequences(sequences, maxlen=None, dtype="int32", padding="pre",
                  truncating="pre", value=0.0):
    """Pads (and truncates) sequences to a common length.

    Sequences shorter than the length are filled with `value`; longer ones
    are cut. Each sequence may hold scalars or arrays of one common shape
    (the "sample shape"), which becomes the trailing shape of the result.

    Args:
        sequences: a list (or other iterable) of sequences; each is a list or
            array whose first axis is the time axis.
        maxlen: the length of the result's second axis; None uses the
            length of the longest sequence.
        dtype: the dtype of the result (default "int32"); use "object" or a
            string dtype to pad sequences of strings.
        padding: "pre" (default) fills before each sequence, "post" after.
        truncating: "pre" (default) drops values from the start of a
            sequence longer than `maxlen`, "post" from the end.
        value: the fill value (default 0.0), cast to `dtype`.

    Returns:
        A NumPy array of shape `(len(sequences), maxlen) + sample_shape`.

    Raises:
        ValueError: for an unknown `padding` / `truncating`, a negative
            `maxlen`, a string `value` with a numeric dtype, or sequences
            whose samples differ in shape.

    Example:
    >>> keras.utils.pad_sequences([[1, 2, 3], [4]], maxlen=2).tolist()
    [[2, 3], [0, 4]]
    """
    _check_mode(padding, "padding")
    _check_mode(truncating, "truncating")
    if not hasattr(sequences, "__len__"):
        sequences = list(sequences)
    if isinstance(sequences, (str, bytes)):
        raise ValueError("pad_sequences(): `sequences` must be a list of sequences; "
                         "received a string.")
    seqs = []
    for i, seq in enumerate(sequences):
        if not hasattr(seq, "__len__") or isinstance(seq, (str, bytes)):
            raise ValueError(f"pad_sequences(): `sequences` must be a list of sequences; "
                             f"element {i} is {type(seq).__name__} {seq!r}.")
        seqs.append(np.asarray(seq) if not isinstance(seq, np.ndarray) else seq)
    if maxlen is not None:
        if isinstance(maxlen, bool) or int(maxlen) != maxlen or maxlen < 0:
            raise ValueError(f"pad_sequences(): `maxlen` must be None or a non-negative "
                             f"integer; received {maxlen!r}.")
        maxlen = int(maxlen)
    else:
        maxlen = max((len(s) for s in seqs), default=0)
    sample_shape = ()
    for s in seqs:
        if len(s):
            sample_shape = s.shape[1:]
            break
    target = np.dtype(dtype)
    textual = np.issubdtype(target, np.str_) or target == np.dtype(object)
    if isinstance(value, str) and not textual:
        raise ValueError(f"pad_sequences(): `dtype` {target} cannot hold the string "
                         f"`value` {value!r}; use dtype='object' or a string dtype.")
    out = np.full((len(seqs), maxlen) + tuple(sample_shape), value, dtype=target)
    for i, s in enumerate(seqs):
        if not len(s) or maxlen == 0:
            continue
        kept = s[-maxlen:] if truncating == "pre" else s[:maxlen]
        if kept.shape[1:] != tuple(sample_shape):
            raise ValueError(f"pad_sequences(): sequence {i} has samples of shape "
                             f"{kept.shape[1:]}, unlike the first non-empty sequence's "
                             f"{tuple(sample_shape)}.")
        if padding == "post":
            out[i, :len(kept)] = kept
        else:
            out[i, maxlen - len(kept):] = kept
    return out
