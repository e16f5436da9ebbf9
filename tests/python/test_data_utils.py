"""keras.utils data utilities: pad_sequences (values checked against Keras 3.15)."""
import numpy as np
import pytest

import torkeras as keras

pad = keras.utils.pad_sequences


def test_pad_sequences_pre_default_truncates_start_and_pads_front():
    # Keras 3.15 gives [[2, 3], [0, 4], [0, 0]]
    out = pad([[1, 2, 3], [4], []], maxlen=2)
    assert out.dtype == np.int32
    assert out.tolist() == [[2, 3], [0, 4], [0, 0]]


def test_pad_sequences_post_and_value_and_default_maxlen():
    out = pad([[1, 2, 3], [4]], padding="post", truncating="post", value=9)
    assert out.tolist() == [[1, 2, 3], [4, 9, 9]]


def test_pad_sequences_float_dtype_keeps_fractions():
    out = pad([[1, 2, 3, 4], [5, 6]], maxlen=3, truncating="post", padding="post",
              dtype="float32", value=-1.5)
    assert out.dtype == np.float32
    assert out.tolist() == [[1, 2, 3], [5, 6, -1.5]]


def test_pad_sequences_sample_shape_and_strings():
    out = pad([np.ones((3, 2)), np.zeros((1, 2))], maxlen=2)
    assert out.shape == (2, 2, 2)
    assert out.tolist() == [[[1, 1], [1, 1]], [[0, 0], [0, 0]]]
    text = pad([["a", "b"], ["c"]], dtype=object, value="<pad>")
    assert text.tolist() == [["a", "b"], ["<pad>", "c"]]


def test_pad_sequences_random_against_independent_loop():
    rng = np.random.default_rng(0)
    seqs = [list(rng.integers(1, 50, size=n)) for n in rng.integers(0, 9, size=20)]
    for padding in ("pre", "post"):
        for truncating in ("pre", "post"):
            out = pad(seqs, maxlen=5, padding=padding, truncating=truncating, value=-7)
            for row, s in zip(out, seqs):
                kept = s[-5:] if truncating == "pre" else s[:5]
                fill = [-7] * (5 - len(kept))
                expected = fill + kept if padding == "pre" else kept + fill
                assert row.tolist() == expected


@pytest.mark.parametrize("kwargs, message", [
    (dict(padding="middle"), "`padding` must be 'pre' or 'post'"),
    (dict(truncating="x"), "`truncating` must be 'pre' or 'post'"),
    (dict(maxlen=-1), "`maxlen` must be None or a non-negative integer"),
    (dict(value="pad"), "cannot hold the string `value`"),
])
def test_pad_sequences_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        pad([[1, 2], [3]], **kwargs)


def test_pad_sequences_rejects_non_sequences_and_mixed_sample_shapes():
    with pytest.raises(ValueError, match="element 1 is int"):
        pad([[1, 2], 3])
    with pytest.raises(ValueError, match="samples of shape"):
        pad([np.ones((2, 2)), np.ones((2, 3))])
