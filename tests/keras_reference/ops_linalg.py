"""Keras 3 values of keras.ops.linalg (tests/python/test_keras_ops_linalg.py)."""
from refkit import Reference, keras, np

ops = keras.ops
ref = Reference()
rng = ref.rng


def f32(*shape):
    return rng.standard_normal(shape).astype("float32")


def spd(n, batch=()):
    a = rng.standard_normal(batch + (n, n)).astype("float32")
    return (a @ np.swapaxes(a, -1, -2) + n * np.eye(n, dtype="float32")).astype("float32")


# Matrices (a square one, a batch of them, a symmetric positive-definite one).
square = f32(4, 4)
batch = f32(2, 3, 3)
pd = spd(4)
pd_batch = spd(3, (2,))
wide = f32(3, 5)
tall = f32(5, 3)
rank_deficient = (f32(5, 2) @ f32(2, 4)).astype("float32")
for name, value in [("square", square), ("batch", batch), ("pd", pd), ("pd_batch", pd_batch),
                    ("wide", wide), ("tall", tall), ("rank_deficient", rank_deficient)]:
    ref.put(f"in/{name}", value)

ref.put("cholesky/pd", ops.cholesky(pd))
ref.put("cholesky/pd_batch", ops.cholesky(pd_batch))
ref.put("cholesky_upper/pd", ops.cholesky(pd, upper=True))
chol = np.linalg.cholesky(pd).astype("float32")
ref.put("in/chol", chol)
ref.put("cholesky_inverse/chol", ops.cholesky_inverse(chol))
ref.put("cholesky_inverse_upper/chol_t",
        ops.cholesky_inverse(np.ascontiguousarray(chol.T), upper=True))
ref.put("det/square", ops.det(square))
ref.put("det/batch", ops.det(batch))
ref.put("inv/square", ops.inv(square))
ref.put("inv/batch", ops.inv(batch))
w, v = ops.eigh(pd)
ref.put("eigh/values", w)
ref.put("eigh/vectors", v)
w, v = ops.eig(square)
ref.put("eig/values_real", ops.real(w))
ref.put("eig/values_imag", ops.imag(w))
ref.put("eig/vectors_real", ops.real(v))
ref.put("eig/vectors_imag", ops.imag(v))
lu, piv = ops.lu_factor(square)
ref.put("lu_factor/lu", lu)
ref.put("lu_factor/pivots", piv)
lu, piv = ops.lu_factor(batch)
ref.put("lu_factor_batch/lu", lu)
ref.put("lu_factor_batch/pivots", piv)
for mode in ("reduced", "complete"):
    q, r = ops.qr(tall, mode=mode)
    ref.put(f"qr_{mode}/q", q)
    ref.put(f"qr_{mode}/r", r)
for full in (True, False):
    u, s, vh = ops.svd(wide, full_matrices=full)
    ref.put(f"svd_full{full}/u", u)
    ref.put(f"svd_full{full}/s", s)
    ref.put(f"svd_full{full}/vh", vh)
ref.put("svd_values/s", ops.svd(batch, compute_uv=False))

b_vec = f32(4)
b_mat = f32(4, 2)
ref.put("in/b_vec", b_vec)
ref.put("in/b_mat", b_mat)
ref.put("solve/vec", ops.solve(square, b_vec))
ref.put("solve/mat", ops.solve(square, b_mat))
ref.put("solve_triangular/upper_vec", ops.solve_triangular(square, b_vec))
ref.put("solve_triangular/lower_mat", ops.solve_triangular(square, b_mat, lower=True))
b_tall = f32(5, 2)
ref.put("in/b_tall", b_tall)
ref.put("lstsq/default", ops.lstsq(tall, b_tall))
ref.put("lstsq/rcond", ops.lstsq(tall, b_tall[:, 0], rcond=1e-3))
ref.put("matrix_rank/rank_deficient", ops.matrix_rank(rank_deficient))
ref.put("matrix_rank/tol", ops.matrix_rank(square, tol=0.5))
ref.put("pinv/tall", ops.pinv(tall))
ref.put("pinv/rank_deficient", ops.pinv(rank_deficient, rcond=1e-4))

# Norms: vector and matrix orders, axes, keepdims, integer input.
x3 = f32(2, 3, 4)
ref.put("in/x3", x3)
norm_cases = {
    "default": dict(),
    "axis_last": dict(axis=-1),
    "ord1_axis1": dict(ord=1, axis=1),
    "ord_inf_axis0": dict(ord=np.inf, axis=0),
    "ord_neginf_axis2": dict(ord=-np.inf, axis=2),
    "ord0_axis2": dict(ord=0, axis=2),
    "ord3_axis2_keep": dict(ord=3, axis=2, keepdims=True),
    "fro_axes12": dict(ord="fro", axis=(1, 2)),
    "nuc_axes12": dict(ord="nuc", axis=(1, 2)),
    "ord2_axes12": dict(ord=2, axis=(1, 2)),
    "ordm2_axes12": dict(ord=-2, axis=(1, 2)),
    "ord1_axes12": dict(ord=1, axis=(1, 2)),
    "ord_inf_axes21": dict(ord=np.inf, axis=(2, 1)),
}
for name, kw in norm_cases.items():
    ref.put(f"norm/{name}", ops.norm(x3, **kw))
ref.put("norm_int/x", np.arange(-4, 5, dtype="int32").reshape(3, 3))
ref.put("norm_int/out", ops.norm(np.arange(-4, 5, dtype="int32").reshape(3, 3)))

# jvp of a function of two inputs.
p1, p2 = f32(3), f32(3)
t1, t2 = f32(3), f32(3)
for key, value in [("p1", p1), ("p2", p2), ("t1", t1), ("t2", t2)]:
    ref.put(f"jvp/{key}", value)


def fun(a, b):
    return ops.sin(a) * b + ops.exp(b)


out, tangent = ops.jvp(fun, (ops.convert_to_tensor(p1), ops.convert_to_tensor(p2)),
                       (ops.convert_to_tensor(t1), ops.convert_to_tensor(t2)))
ref.put("jvp/out", out)
ref.put("jvp/tangent", tangent)
ref.save()
