"""Keras 3 values of keras.ops math and core ops (tests/python/test_keras_ops_math.py)."""
import torch

from refkit import Reference, keras, np

ops = keras.ops
ref = Reference()
rng = ref.rng


def f32(*shape):
    return rng.standard_normal(shape).astype("float32")


def put_pair(key, pair):
    ref.put(f"{key}/real", pair[0])
    ref.put(f"{key}/imag", pair[1])


# -- segment reductions ------------------------------------------------------------
data = f32(6, 2)
ids = np.array([0, 0, 2, 1, 1, 3], dtype="int32")
ids_neg = np.array([0, -1, 2, 1, 1, 0], dtype="int32")
int_data = rng.integers(-5, 6, size=(6, 3)).astype("int32")
ref.put("seg/data", data)
ref.put("seg/ids", ids)
ref.put("seg/ids_neg", ids_neg)
ref.put("seg/int_data", int_data)
for name in ("segment_sum", "segment_max", "segment_min", "segment_prod"):
    fn = getattr(ops, name)
    ref.put(f"{name}/default", fn(data, ids))
    ref.put(f"{name}/num5", fn(data, ids, num_segments=5))
    ref.put(f"{name}/negative_id", fn(data, ids_neg, num_segments=3))
    ref.put(f"{name}/int", fn(int_data, ids, num_segments=4))

# -- Keras's ops.math functions that torkeras also has in numpy/nn ----------------------
x = f32(3, 5)
ref.put("x", x)
pos = np.abs(f32(3, 5)) + 0.1
ref.put("pos", pos)
unit = np.clip(f32(3, 5) * 0.4, -0.99, 0.99).astype("float32")
ref.put("unit", unit)
values, indices = ops.top_k(x, 3)
ref.put("top_k/values", values)
ref.put("top_k/indices", ops.cast(indices, "int32"))
targets = np.array([1, 4, 0], dtype="int32")
ref.put("in_top_k/targets", targets)
ref.put("in_top_k/out", ops.in_top_k(targets, x, 2))
ref.put("logsumexp/all", ops.logsumexp(x))
ref.put("logsumexp/axis1_keep", ops.logsumexp(x, axis=1, keepdims=True))
ref.put("rsqrt/out", ops.rsqrt(pos))
ref.put("erf/out", ops.erf(x))
ref.put("erfc/out", ops.erfc(x))
ref.put("erfinv/out", ops.erfinv(unit))
a = f32(2, 3, 3)
a = (a @ np.swapaxes(a, -1, -2) + np.eye(3, dtype="float32")).astype("float32")
ref.put("logdet/x", a)
ref.put("logdet/out", ops.logdet(a))

# -- distances and frames --------------------------------------------------------------
p, q = f32(4, 3), f32(5, 3)
pb = f32(2, 4, 3)
ref.put("cdist/p", p)
ref.put("cdist/q", q)
ref.put("cdist/pb", pb)
ref.put("cdist/plain", ops.cdist(p, q))
ref.put("cdist/batch", ops.cdist(pb, q))
signal = f32(2, 11)
ref.put("signal", signal)
ref.put("extract_sequences/l4_s3", ops.extract_sequences(signal, 4, 3))
ref.put("extract_sequences/l2_s1", ops.extract_sequences(signal, 2, 1))

# -- FFTs ----------------------------------------------------------------------------------
re, im = f32(2, 3, 8), f32(2, 3, 8)
ref.put("fft_in/real", re)
ref.put("fft_in/imag", im)
put_pair("fft", ops.fft((re, im)))
put_pair("fft2", ops.fft2((re, im)))
put_pair("ifft2", ops.ifft2((re, im)))
put_pair("rfft_default", ops.rfft(signal))
put_pair("rfft_short", ops.rfft(signal, 6))
put_pair("rfft_long", ops.rfft(signal, 16))
spec = ops.rfft(signal)
ref.put("irfft_default/out", ops.irfft(spec))
ref.put("irfft_odd/out", ops.irfft(spec, 11))

# -- STFT / ISTFT --------------------------------------------------------------------------
audio = f32(2, 40)
audio3 = f32(2, 2, 33)
custom_window = np.linspace(0.1, 1.0, 8).astype("float32")
ref.put("audio", audio)
ref.put("audio3", audio3)
ref.put("custom_window", custom_window)
STFT = {
    "hann_center": dict(sequence_length=8, sequence_stride=4, fft_length=8),
    "hamming_nocenter": dict(sequence_length=8, sequence_stride=3, fft_length=8,
                             window="hamming", center=False),
    "nowindow_fft16": dict(sequence_length=8, sequence_stride=4, fft_length=16, window=None),
    "custom_fft12": dict(sequence_length=8, sequence_stride=2, fft_length=12,
                         window=custom_window),
}
for name, kw in STFT.items():
    put_pair(f"stft_{name}", ops.stft(audio, **kw))
put_pair("stft_rank3", ops.stft(audio3, 8, 4, 8))
ISTFT = {
    "fast_hann": (dict(sequence_length=8, sequence_stride=4, fft_length=8), {}),
    "fast_length": (dict(sequence_length=8, sequence_stride=4, fft_length=8), dict(length=36)),
    "slow_fft16": (dict(sequence_length=8, sequence_stride=4, fft_length=16), {}),
    "slow_nocenter": (dict(sequence_length=8, sequence_stride=4, fft_length=8, center=False),
                      {}),
    "slow_nowindow": (dict(sequence_length=8, sequence_stride=4, fft_length=8, window=None), {}),
    "slow_length": (dict(sequence_length=8, sequence_stride=2, fft_length=12,
                         window="hamming"), dict(length=30)),
}
for name, (kw, extra) in ISTFT.items():
    pair = ops.stft(audio, **kw)
    put_pair(f"istft_{name}/in", pair)
    ref.put(f"istft_{name}/out", ops.istft(pair, **kw, **extra))
pair3 = ops.stft(audio3, 8, 4, 8)
put_pair("istft_rank3/in", pair3)
ref.put("istft_rank3/out", ops.istft(pair3, 8, 4, 8))

ri = f32(3, 2)
ref.put("view/ri", ri)
c = ops.view_as_complex(ri)
ref.put("view_as_complex/real", ops.real(c))
ref.put("view_as_complex/imag", ops.imag(c))
ref.put("view_as_real/out", ops.view_as_real(c))

# -- core: scatter, slices, unstack, casts, rearrange -----------------------------------
sc_idx = np.array([[0, 1], [2, 0], [0, 1]], dtype="int32")
sc_val = np.array([1.5, 2.0, -3.0], dtype="float32")
ref.put("scatter/idx", sc_idx)
ref.put("scatter/val", sc_val)
ref.put("scatter/out", ops.scatter(sc_idx, sc_val, (3, 2)))
row_idx = np.array([[1], [3]], dtype="int32")
row_val = f32(2, 4)
ref.put("scatter_rows/idx", row_idx)
ref.put("scatter_rows/val", row_val)
ref.put("scatter_rows/out", ops.scatter(row_idx, row_val, (5, 4)))
base = f32(4, 3)
up_idx = np.array([[0, 1], [3, 2], [1, 0]], dtype="int32")
dup_idx = np.array([[0, 1], [0, 1], [2, 2]], dtype="int32")
up_val = f32(3)
ref.put("scatter_update/base", base)
ref.put("scatter_update/idx", up_idx)
ref.put("scatter_update/dup_idx", dup_idx)
ref.put("scatter_update/val", up_val)
ref.put("scatter_update/none", ops.scatter_update(base, up_idx, up_val))
for red in ("add", "max", "min", "mul"):
    ref.put(f"scatter_update/{red}", ops.scatter_update(base, dup_idx, up_val, reduction=red))
rows = np.array([[2], [0]], dtype="int32")
row_updates = f32(2, 3)
ref.put("scatter_update_rows/idx", rows)
ref.put("scatter_update_rows/val", row_updates)
ref.put("scatter_update_rows/out", ops.scatter_update(base, rows, row_updates))
cube = f32(4, 5, 3)
ref.put("cube", cube)
ref.put("slice/out", ops.slice(cube, (1, 2, 0), (2, 3, 3)))
ref.put("slice/tensor_start", ops.slice(cube, np.array([2, 0, 1], dtype="int32"), (2, 5, 2)))
patch = f32(2, 2, 3)
ref.put("slice_update/patch", patch)
ref.put("slice_update/out", ops.slice_update(cube, (1, 3, 0), patch))
for axis in (0, 1, -1):
    for i, part in enumerate(ops.unstack(ops.convert_to_tensor(cube), axis=axis)):
        ref.put(f"unstack/axis{axis}/{i}", part)
big = np.array([-1e6, -200.7, -1.5, 0.0, 3.7, 127.9, 300.2, 1e12, np.inf, -np.inf],
               dtype="float32")
ref.put("saturate/big", big)
for dtype in ("int8", "uint8", "int32", "float16"):
    ref.put(f"saturate_cast/{dtype}", ops.saturate_cast(big, dtype))
ints = np.array([-70000, -5, 0, 200, 70000], dtype="int32")
ref.put("saturate/ints", ints)
ref.put("saturate_cast/int32_to_uint8", ops.saturate_cast(ints, "uint8"))
ref.put("saturate_cast/int32_to_int16", ops.saturate_cast(ints, "int16"))
img = f32(2, 6, 4)
ref.put("rearrange/x", img)
ref.put("rearrange/transpose", ops.rearrange(img, "b h w -> b w h"))
ref.put("rearrange/split", ops.rearrange(img, "b (h1 h2) w -> b h1 (w h2)", h1=3))
ref.put("rearrange/merge", ops.rearrange(img, "b h w -> (b h) w"))

# -- control flow ---------------------------------------------------------------------------
xs = f32(5, 3)
init = f32(3)
ref.put("scan/xs", xs)
ref.put("scan/init", init)


def step(carry, x):
    new = carry * 0.5 + ops.tanh(x)
    return new, new * x


for rev in (False, True):
    carry, ys = ops.scan(step, init, xs, reverse=rev)
    ref.put(f"scan_rev{rev}/carry", carry)
    ref.put(f"scan_rev{rev}/ys", ys)
carry, ys = ops.scan(lambda c, _: (c + 1.0, c * 2.0), init, length=4)
ref.put("scan_length/carry", carry)
ref.put("scan_length/ys", ys)
ref.put("map/out", ops.map(lambda row: ops.sum(row * row), xs))
ref.put("vectorized_map/out", ops.vectorized_map(lambda row: ops.softmax(row) * 2.0,
                                                   ops.convert_to_tensor(xs)))
seq = f32(7, 2)
seq_even = f32(8, 3)
ref.put("assoc/seq", seq)
ref.put("assoc/seq_even", seq_even)
ref.put("associative_scan/add", ops.associative_scan(lambda a, b: a + b, seq))
ref.put("associative_scan/max_rev", ops.associative_scan(ops.maximum, seq, reverse=True))
ref.put("associative_scan/mul_axis1",
        ops.associative_scan(lambda a, b: a * b, seq_even, axis=1))
ref.put("associative_scan/add_even", ops.associative_scan(lambda a, b: a + b, seq_even))
# An affine recurrence (a, b) pairs: the classic non-commutative associative scan.
coef = (np.abs(f32(6, 2)) * 0.5).astype("float32")
offs = f32(6, 2)
ref.put("assoc/coef", coef)
ref.put("assoc/offs", offs)
a_out, b_out = ops.associative_scan(
    lambda l, r: (l[0] * r[0], l[1] * r[0] + r[1]), (coef, offs))
ref.put("associative_scan/affine_a", a_out)
ref.put("associative_scan/affine_b", b_out)
ref.put("while_loop/out", ops.while_loop(lambda i, s: i < 5, lambda i, s: (i + 1, s * 1.5 + 1.0),
                                         (0, ops.convert_to_tensor(init)))[1])
ref.put("while_loop/maxiter", ops.while_loop(lambda v: ops.sum(v) < 1e9, lambda v: v * 2.0 + 1.0,
                                             ops.convert_to_tensor(init),
                                             maximum_iterations=3))
ref.put("fori_loop/out", ops.fori_loop(1, 6, lambda i, v: v * 0.9 + i, ops.convert_to_tensor(init)))
branches = [lambda v: v + 1.0, lambda v: v * 3.0, lambda v: -v]
for idx in (-2, 1, 7):
    ref.put(f"switch/{idx}", ops.switch(idx, branches, ops.convert_to_tensor(init)))
ref.put("cond/true", ops.cond(ops.convert_to_tensor(True), lambda: init * 2.0, lambda: init))
ref.put("cond/false", ops.cond(ops.convert_to_tensor(False), lambda: init * 2.0, lambda: init))


@ops.custom_gradient
def log1pexp(v):
    e = ops.exp(v)

    def grad(*args, upstream=None):
        if upstream is None:
            (upstream,) = args
        return ops.multiply(upstream, 1.0 - 1.0 / ops.add(1, e))

    return ops.log(1 + e), grad


cg_x = f32(4) * 5.0
ref.put("custom_gradient/x", cg_x)
t = torch.tensor(cg_x, requires_grad=True)
y = log1pexp(t)
(y * torch.arange(1.0, 5.0)).sum().backward()
ref.put("custom_gradient/y", y)
ref.put("custom_gradient/grad", t.grad)
ref.save()
