"""keras.ops.linalg equal to Keras 3 (tests/keras_reference/ops_linalg.py), plus
argument errors, symbolic calls and the `torkeras.ops.linalg` namespace."""
import numpy as np
import pytest
import torch

import keras_reference
import torkeras as keras
from torkeras import ops

# torkeras and Keras call the same torch (LAPACK) kernels: the default tolerances.
ATOL = 1e-7


@pytest.fixture(scope="module")
def ref():
    return keras_reference.load("ops_linalg")


def check(actual, expected, rtol=1e-6, atol=ATOL, what=""):
    keras_reference.assert_matches(actual, expected, rtol=rtol, atol=atol, what=what)


CASES = {
    "cholesky/pd": lambda r: ops.cholesky(r["in/pd"]),
    "cholesky/pd_batch": lambda r: ops.cholesky(r["in/pd_batch"]),
    "cholesky_upper/pd": lambda r: ops.cholesky(r["in/pd"], upper=True),
    "cholesky_inverse/chol": lambda r: ops.cholesky_inverse(r["in/chol"]),
    "cholesky_inverse_upper/chol_t": lambda r: ops.cholesky_inverse(
        np.ascontiguousarray(r["in/chol"].T), upper=True),
    "det/square": lambda r: ops.det(r["in/square"]),
    "det/batch": lambda r: ops.det(r["in/batch"]),
    "inv/square": lambda r: ops.inv(r["in/square"]),
    "inv/batch": lambda r: ops.inv(r["in/batch"]),
    "eigh/values": lambda r: ops.eigh(r["in/pd"])[0],
    "eigh/vectors": lambda r: ops.eigh(r["in/pd"])[1],
    "eig/values_real": lambda r: ops.eig(r["in/square"])[0].real,
    "eig/values_imag": lambda r: ops.eig(r["in/square"])[0].imag,
    "eig/vectors_real": lambda r: ops.eig(r["in/square"])[1].real,
    "eig/vectors_imag": lambda r: ops.eig(r["in/square"])[1].imag,
    "lu_factor/lu": lambda r: ops.lu_factor(r["in/square"])[0],
    "lu_factor/pivots": lambda r: ops.lu_factor(r["in/square"])[1],
    "lu_factor_batch/lu": lambda r: ops.lu_factor(r["in/batch"])[0],
    "lu_factor_batch/pivots": lambda r: ops.lu_factor(r["in/batch"])[1],
    "qr_reduced/q": lambda r: ops.qr(r["in/tall"])[0],
    "qr_reduced/r": lambda r: ops.qr(r["in/tall"])[1],
    "qr_complete/q": lambda r: ops.qr(r["in/tall"], mode="complete")[0],
    "qr_complete/r": lambda r: ops.qr(r["in/tall"], mode="complete")[1],
    "svd_fullTrue/u": lambda r: ops.svd(r["in/wide"])[0],
    "svd_fullTrue/s": lambda r: ops.svd(r["in/wide"])[1],
    "svd_fullTrue/vh": lambda r: ops.svd(r["in/wide"])[2],
    "svd_fullFalse/u": lambda r: ops.svd(r["in/wide"], full_matrices=False)[0],
    "svd_fullFalse/s": lambda r: ops.svd(r["in/wide"], full_matrices=False)[1],
    "svd_fullFalse/vh": lambda r: ops.svd(r["in/wide"], full_matrices=False)[2],
    "svd_values/s": lambda r: ops.svd(r["in/batch"], compute_uv=False),
    "solve/vec": lambda r: ops.solve(r["in/square"], r["in/b_vec"]),
    "solve/mat": lambda r: ops.solve(r["in/square"], r["in/b_mat"]),
    "solve_triangular/upper_vec": lambda r: ops.solve_triangular(r["in/square"], r["in/b_vec"]),
    "solve_triangular/lower_mat": lambda r: ops.solve_triangular(r["in/square"], r["in/b_mat"],
                                                                 lower=True),
    "lstsq/default": lambda r: ops.lstsq(r["in/tall"], r["in/b_tall"]),
    "lstsq/rcond": lambda r: ops.lstsq(r["in/tall"], r["in/b_tall"][:, 0], rcond=1e-3),
    "matrix_rank/rank_deficient": lambda r: ops.matrix_rank(r["in/rank_deficient"]),
    "matrix_rank/tol": lambda r: ops.matrix_rank(r["in/square"], tol=0.5),
    "pinv/tall": lambda r: ops.pinv(r["in/tall"]),
    "pinv/rank_deficient": lambda r: ops.pinv(r["in/rank_deficient"], rcond=1e-4),
    "norm_int/out": lambda r: ops.norm(r["norm_int/x"]),
}

NORMS = {
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


@pytest.mark.parametrize("case", sorted(CASES))
def test_linalg_matches_keras(ref, case):
    check(CASES[case](ref), ref[case], what=case)


@pytest.mark.parametrize("case", sorted(NORMS))
def test_norm_matches_keras(ref, case):
    check(ops.linalg.norm(ref["in/x3"], **NORMS[case]), ref[f"norm/{case}"], what=case)


def test_jvp_matches_keras(ref):
    def fun(a, b):
        return ops.sin(a) * b + ops.exp(b)

    primals = (torch.tensor(ref["jvp/p1"]), torch.tensor(ref["jvp/p2"]))
    tangents = (torch.tensor(ref["jvp/t1"]), torch.tensor(ref["jvp/t2"]))
    out, tangent = ops.jvp(fun, primals, tangents)
    check(out, ref["jvp/out"])
    check(tangent, ref["jvp/tangent"])


def test_jvp_has_aux():
    out, tangent, aux = ops.jvp(lambda x: (x * x, x + 1), (torch.tensor([3.0]),),
                                (torch.tensor([1.0]),), has_aux=True)
    assert out.item() == 9.0 and tangent.item() == 6.0 and aux.item() == 4.0


def test_namespace_and_top_level_names():
    names = ["cholesky", "cholesky_inverse", "det", "eig", "eigh", "inv", "jvp", "lstsq",
             "lu_factor", "matrix_rank", "norm", "pinv", "qr", "solve", "solve_triangular",
             "svd"]
    for name in names:
        assert getattr(keras.ops.linalg, name) is getattr(keras.ops, name), name


def test_decompositions_reconstruct():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((5, 3)).astype("float32")
    q, r = ops.qr(a)
    np.testing.assert_allclose((q @ r).numpy(), a, atol=1e-5)
    u, s, vh = ops.svd(a, full_matrices=False)
    np.testing.assert_allclose((u * s @ vh).numpy(), a, atol=1e-5)
    np.testing.assert_allclose(ops.pinv(a).numpy(), np.linalg.pinv(a), atol=1e-5)


def test_integer_input_is_computed_in_floatx():
    out = ops.det(np.array([[2, 0], [0, 3]], dtype="int32"))
    assert out.dtype == torch.float32 and out.item() == pytest.approx(6.0)


@pytest.mark.parametrize("fn, args, message", [
    (ops.cholesky, (np.ones(3, "float32"),), "rank >= 2"),
    (ops.det, (np.ones((2, 3), "float32"),), "square"),
    (ops.inv, (np.ones((2, 3), "float32"),), "square"),
    (ops.cholesky, (-np.eye(2, dtype="float32"),), "Cholesky decomposition failed"),
    (ops.solve, (np.eye(3, dtype="float32"), np.ones(2, "float32")), "Incompatible shapes"),
    (ops.solve, (np.eye(3, dtype="float32"), np.ones((2, 1), "float32")), "Incompatible"),
    (ops.lstsq, (np.ones((2, 2, 2), "float32"), np.ones(2, "float32")), "rank 2"),
    (ops.lstsq, (np.ones((3, 2), "float32"), np.ones(2, "float32")), "b.shape\\[0\\]"),
])
def test_argument_errors(fn, args, message):
    with pytest.raises(ValueError, match=message):
        fn(*args)


def test_norm_and_qr_argument_errors():
    x = np.ones((3, 3), "float32")
    with pytest.raises(ValueError, match="'fro' or 'nuc'"):
        ops.norm(x, ord="bad")
    with pytest.raises(ValueError, match="vector norm"):
        ops.norm(x, ord="fro", axis=0)
    with pytest.raises(ValueError, match="matrix norm"):
        ops.norm(x, ord=3, axis=(0, 1))
    with pytest.raises(ValueError, match="mode"):
        ops.qr(x, mode="full")
    with pytest.raises(TypeError, match="fun"):
        ops.jvp(3, (x,), (x,))
    with pytest.raises(ValueError, match="same length"):
        ops.jvp(lambda a: a, (x,), (x, x))


def test_symbolic_inputs_build_graph_nodes():
    inp = keras.Input((3, 3))
    out = ops.det(inp)
    assert out.shape == (None,)
    q, r = ops.qr(inp)
    assert q.shape == (None, 3, 3) and r.shape == (None, 3, 3)
    model = keras.Model(inp, [ops.inv(inp), ops.norm(inp, axis=(1, 2))])
    x = np.stack([np.eye(3, dtype="float32") * 2] * 2)
    inverse, norms = model.predict(x, verbose=0)
    np.testing.assert_allclose(inverse, x / 4, atol=1e-6)
    np.testing.assert_allclose(norms, [np.sqrt(12)] * 2, rtol=1e-6)


def test_jvp_on_symbolic_inputs():
    inp = keras.Input((3,))
    out, tangent = ops.jvp(lambda a: ops.sin(a) * 2.0, (inp,), (ops.ones_like(inp),))
    assert out.shape == (None, 3) and tangent.shape == (None, 3)
    x = np.array([[0.0, 1.0, 2.0]], "float32")
    values, tangents = keras.Model(inp, [out, tangent]).predict(x, verbose=0)
    np.testing.assert_allclose(values, 2 * np.sin(x), rtol=1e-6)
    np.testing.assert_allclose(tangents, 2 * np.cos(x), rtol=1e-6, atol=1e-7)
