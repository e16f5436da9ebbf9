"""The ops.numpy comparison cases, shared by the Keras reference script
(tests/keras_reference/ops_numpy.py, run in .venv-keras) and the torkeras test
(tests/python/test_keras_ops_numpy.py). Depends on NumPy only.

`arrays(rng)` builds the named input arrays. Each case is
(case name, op name, positional args, keyword args); an argument `A("name")`
stands for the input array of that name (also inside lists/tuples), anything
else is passed as is. The reference stores every input under "input/<name>"
and, per case, the outputs as "<case>/out/<i>" with their Keras dtypes as
"<case>/dtype/<i>" (a single output is "<case>/out/0"), or "<case>/error" when
Keras raised.
"""
import numpy as np


class A:
    """A reference to a named input array."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"A({self.name!r})"


def arrays(rng):
    f32 = np.float32
    out = {
        "f": rng.standard_normal((3, 4)).astype(f32),
        "g": rng.standard_normal((3, 4)).astype(f32),
        "u": rng.uniform(-0.9, 0.9, (3, 4)).astype(f32),
        "p": rng.uniform(0.5, 3.0, (3, 4)).astype(f32),
        "big": rng.uniform(1.1, 4.0, (3, 4)).astype(f32),
        "i": rng.integers(-5, 6, (3, 4)).astype(np.int32),
        "j": rng.integers(1, 7, (3, 4)).astype(np.int32),
        "i8": rng.integers(-5, 6, (3, 4)).astype(np.int8),
        "u8": rng.integers(0, 9, (3, 4)).astype(np.uint8),
        "i64": rng.integers(0, 9, (3, 4)).astype(np.int64),
        "b": rng.integers(0, 2, (3, 4)).astype(bool),
        "b2": rng.integers(0, 2, (3, 4)).astype(bool),
        "half": rng.standard_normal((3, 4)).astype(np.float16),
        "v": rng.standard_normal((5,)).astype(f32),
        "w": rng.standard_normal((5,)).astype(f32),
        "w3": rng.standard_normal((3,)).astype(f32),
        "vi": rng.integers(-4, 5, (5,)).astype(np.int32),
        "m3": rng.standard_normal((4, 3)).astype(f32),
        "n3": rng.standard_normal((4, 3)).astype(f32),
        "sq": rng.standard_normal((3, 3)).astype(f32),
        "bsq": rng.standard_normal((2, 3, 3)).astype(f32),
        "t3": rng.standard_normal((2, 3, 4)).astype(f32),
        "ti": rng.integers(-9, 10, (2, 3, 4)).astype(np.int32),
        "fnan": np.array([[1.5, np.nan, -2.0, 4.0],
                          [np.nan, np.nan, np.nan, np.nan],
                          [0.5, 3.0, np.nan, -1.0]], dtype=f32),
        "special": np.array([-np.inf, -1.0, -0.0, 0.0, 2.5, np.inf, np.nan], dtype=f32),
        "cnt": rng.integers(0, 6, (8,)).astype(np.int32),
        "cnt2": rng.integers(0, 4, (2, 5)).astype(np.int32),
        "cw": rng.uniform(0, 1, (8,)).astype(f32),
        "cw2": rng.uniform(0, 1, (2, 5)).astype(f32),
        "sorted": np.sort(rng.standard_normal((6,))).astype(f32),
        "isorted": np.array([1, 3, 3, 5, 8], dtype=np.int32),
        "ivals": np.array([[0, 3, 4], [5, 9, 1]], dtype=np.int32),
        "edges": np.array([-1.0, 0.0, 0.5, 1.5], dtype=f32),
        "c": (rng.standard_normal((2, 3)) + 1j * rng.standard_normal((2, 3))).astype(
            np.complex64),
        "flat_idx": np.array([0, 5, 7, 11], dtype=np.int32),
        "shift_i": rng.integers(0, 4, (3, 4)).astype(np.int32),
        "exp_i": rng.integers(-3, 4, (3, 4)).astype(np.int32),
        "dup": np.array([3, 1, 2, 1, 5, 3, 3], dtype=np.int32),
        "dup2": np.array([[1, 2], [3, 4], [1, 2], [0, 0]], dtype=np.int32),
        "row": rng.standard_normal((1, 4)).astype(f32),
        "q2": np.array([0.1, 0.75], dtype=f32),
        "pct": np.array([10.0, 50.0, 90.0], dtype=f32),
        "cond1": rng.integers(0, 2, (3, 4)).astype(bool),
        "lin": np.linspace(0.0, 2.0, 5).astype(f32),
    }
    return out


# Element-wise functions of one float argument, with the inputs they accept.
_UNARY_FLOAT = {
    "arccos": "u", "arcsin": "u", "arctanh": "u", "arccosh": "big", "arcsinh": "f",
    "cbrt": "f", "deg2rad": "f", "rad2deg": "f", "exp2": "f", "fabs": "f", "trunc": "f",
    "sinc": "f", "signbit": "f", "i0": "f", "copy": "f", "isneginf": "special",
    "isposinf": "special", "isreal": "f", "angle": "f", "conj": "f", "conjugate": "f",
    "real": "f", "imag": "f",
    # existing functions
    "abs": "f", "absolute": "f", "negative": "f", "sign": "f", "square": "f", "sqrt": "p",
    "exp": "f", "log": "p", "log1p": "p", "expm1": "f", "log2": "p", "log10": "p",
    "tanh": "f", "sin": "f", "cos": "f", "tan": "u", "arctan": "f", "sinh": "f",
    "cosh": "f", "reciprocal": "p", "floor": "f", "ceil": "f", "round": "f",
    "isnan": "special", "isinf": "special", "isfinite": "special", "logical_not": "b",
    "ravel": "f", "nan_to_num": "special", "zeros_like": "f", "ones_like": "f",
}
# The same functions on integer (and other) inputs: where Keras's dtype rules matter.
_UNARY_OTHER = {
    "arccos": ["i"], "arcsin": ["i"], "arcsinh": ["i", "i64"], "cbrt": ["i", "i64", "b"],
    "deg2rad": ["i", "i64"], "rad2deg": ["i", "i64"], "exp2": ["i", "b", "i8"],
    "fabs": ["i", "b", "u8"], "trunc": ["i", "b"], "sinc": ["i"], "signbit": ["i"],
    "i0": ["i", "i64", "half"], "copy": ["i", "b"], "isreal": ["c", "i"],
    "angle": ["c", "i"], "conj": ["c"], "conjugate": ["c", "i"], "real": ["c", "i"],
    "imag": ["c"], "isneginf": ["i"], "isposinf": ["i"],
    "abs": ["i", "i8"], "negative": ["i", "u8"], "sign": ["i"], "square": ["i", "b", "i8"],
    "sqrt": ["j", "i64", "b"], "exp": ["i", "i64", "half"], "log": ["j"], "log1p": ["j"],
    "expm1": ["i"], "log2": ["j"], "log10": ["j"], "tanh": ["i"], "sin": ["i", "i8"],
    "cos": ["i"], "tan": ["i"], "arctan": ["i"], "sinh": ["i"], "cosh": ["i"],
    "reciprocal": ["j"], "floor": ["i", "b"], "ceil": ["i"], "round": ["i"],
    "isnan": ["i"], "isinf": ["i"], "isfinite": ["i"], "logical_not": ["i", "f"],
    "ravel": ["i"], "nan_to_num": ["i"], "zeros_like": ["i", "b"], "ones_like": ["i"],
}

# Element-wise functions of two arguments: (first, second) input pairs.
_BINARY = {
    "arctan2": [("f", "g"), ("i", "j"), ("i8", "f"), ("half", "f")],
    "hypot": [("f", "g"), ("i", "j"), ("i64", "j"), ("i8", "u8")],
    "heaviside": [("f", "g"), ("i", "j"), ("i64", "i")],
    "logaddexp": [("f", "g"), ("i", "j"), ("half", "half")],
    "logaddexp2": [("f", "g"), ("i", "f")],
    "ldexp": [("f", "exp_i"), ("i", "exp_i")],
    "nextafter": [("f", "g"), ("i", "j")],
    "fmax": [("fnan", "g"), ("i", "j"), ("i8", "u8"), ("f", 0.5), ("i", 2)],
    "fmin": [("fnan", "g"), ("i", "j"), ("f", 0.5)],
    "fmod": [("f", "p"), ("i", "j"), ("i8", "j")],
    "gcd": [("i", "j"), ("i8", "i8")],
    "lcm": [("i", "j")],
    "bitwise_and": [("i", "j"), ("b", "b2"), ("i8", "u8")],
    "bitwise_or": [("i", "j"), ("b", "b2")],
    "bitwise_xor": [("i", "j"), ("u8", "u8")],
    "bitwise_left_shift": [("j", "shift_i"), ("j", 2)],
    "left_shift": [("j", "shift_i")],
    "bitwise_right_shift": [("i", "shift_i"), ("i", 1)],
    "right_shift": [("i", "shift_i")],
    "kron": [("sq", "sq"), ("vi", "vi")],
    "inner": [("f", "g"), ("i", "j"), ("v", "w")],
    "vdot": [("v", "w"), ("vi", "vi")],
    # existing functions
    "add": [("f", "g"), ("i", "j"), ("i8", "u8"), ("f", 2.0), ("i", 3), ("b", "b2")],
    "subtract": [("f", "g"), ("i", "j"), ("i8", "u8"), ("f", 2)],
    "multiply": [("f", "g"), ("i", "j"), ("i", 1.5), ("b", "b2")],
    "divide": [("f", "p"), ("i", "j"), ("i64", "j")],
    "true_divide": [("f", "p")],
    "floor_divide": [("f", "p"), ("i", "j")],
    "mod": [("f", "p"), ("i", "j")],
    "power": [("p", "f"), ("i", 2), ("j", "shift_i")],
    "maximum": [("f", "g"), ("i", "j"), ("f", 0.0), ("i", 1)],
    "minimum": [("f", "g"), ("i", "j"), ("f", 0.0)],
    "equal": [("f", "g"), ("i", "j"), ("i", 1)],
    "not_equal": [("i", "j")],
    "less": [("f", "g"), ("i", "j")],
    "less_equal": [("f", "g")],
    "greater": [("f", "g"), ("i", 0)],
    "greater_equal": [("f", "g")],
    "logical_and": [("b", "b2"), ("i", "j")],
    "logical_or": [("b", "b2")],
    "logical_xor": [("b", "b2"), ("f", "g")],
    "isclose": [("f", "g"), ("i", "j")],
    "matmul": [("m3", "sq"), ("bsq", "sq"), ("v", "v")],
    "dot": [("m3", "sq"), ("v", "w"), ("f", 2.0)],
    "outer": [("v", "w"), ("vi", "vi")],
    "divide_no_nan": [("f", "i")],
    "append": [("f", "g"), ("i", "v")],
}


def _reductions():
    cases = []
    # (name, inputs, list of keyword sets)
    table = {
        "median": (["f", "i", "t3"], [{}, {"axis": 1}, {"axis": -1, "keepdims": True},
                                      {"axis": (0, 1)}]),
        "ptp": (["f", "i"], [{}, {"axis": 0}, {"axis": 1, "keepdims": True}]),
        "nanmax": (["fnan", "i"], [{}, {"axis": 1}, {"axis": 0, "keepdims": True}]),
        "nanmin": (["fnan", "i"], [{}, {"axis": 1}, {"axis": (0, 1)}]),
        "nanargmax": (["fnan", "i"], [{}, {"axis": 1}, {"axis": 0, "keepdims": True}]),
        "nanargmin": (["fnan", "i"], [{}, {"axis": 1}]),
        "nansum": (["fnan", "i", "i8", "b"], [{}, {"axis": 1}, {"axis": 0, "keepdims": True}]),
        "nanprod": (["fnan", "i"], [{}, {"axis": 1}, {"axis": (0, 1), "keepdims": True}]),
        "nanmean": (["fnan", "i"], [{}, {"axis": 1}, {"axis": 0, "keepdims": True}]),
        "nanvar": (["fnan", "i"], [{}, {"axis": 1}]),
        "nanstd": (["fnan"], [{}, {"axis": 1}, {"axis": 0, "keepdims": True}]),
        "nanmedian": (["fnan", "f"], [{}, {"axis": 1}, {"axis": 0, "keepdims": True}]),
        "nancumsum": (["fnan", "i", "i8"], [{}, {"axis": 1}, {"axis": 0, "dtype": "float32"}]),
        "nancumprod": (["fnan", "i"], [{}, {"axis": 1}]),
        # existing reductions
        "mean": (["f", "i", "b"], [{}, {"axis": 1}, {"axis": (0, 1), "keepdims": True}]),
        "sum": (["f", "i", "i8", "b", "u8"], [{}, {"axis": 1}, {"axis": 0, "keepdims": True}]),
        "prod": (["f", "i", "i8"], [{}, {"axis": 1}]),
        "max": (["f", "i"], [{}, {"axis": 1}, {"axis": 0, "keepdims": True}]),
        "min": (["f", "i"], [{}, {"axis": 1}]),
        "amax": (["f"], [{"axis": 1}]),
        "amin": (["i"], [{"axis": 0}]),
        "any": (["b", "i"], [{}, {"axis": 1}]),
        "all": (["b", "i"], [{}, {"axis": 0, "keepdims": True}]),
        "argmax": (["f", "i"], [{}, {"axis": 1}, {"axis": 0, "keepdims": True}]),
        "argmin": (["f", "i"], [{}, {"axis": 1}]),
        "var": (["f", "i"], [{}, {"axis": 1}, {"axis": 0, "keepdims": True}]),
        "std": (["f", "i"], [{}, {"axis": 1}]),
        "cumsum": (["f", "i", "b"], [{}, {"axis": 1}]),
        "cumprod": (["f", "i8"], [{}, {"axis": 0}]),
        "count_nonzero": (["i", "f"], [{}, {"axis": 1}]),
        "logsumexp": (["f"], [{}, {"axis": 1}]),
        "average": (["f", "i"], [{}, {"axis": 1}]),
        "sort": (["f", "i"], [{}, {"axis": 0}]),
        "argsort": (["f", "i"], [{}, {"axis": 0}]),
    }
    for name, (inputs, kwsets) in table.items():
        for inp in inputs:
            for k, kw in enumerate(kwsets):
                cases.append((f"{name}/{inp}/{k}", name, [A(inp)], kw))
    for fn in ("quantile", "nanquantile"):
        src = "f" if fn == "quantile" else "fnan"
        cases += [
            (f"{fn}/scalar", fn, [A(src), 0.3], {}),
            (f"{fn}/axis", fn, [A(src), 0.3], {"axis": 1}),
            (f"{fn}/vector_keepdims", fn, [A(src), A("q2")], {"axis": 1, "keepdims": True}),
            (f"{fn}/int", fn, [A("i"), A("q2")], {"axis": 0}),
        ]
        for method in ("lower", "higher", "midpoint", "nearest"):
            cases.append((f"{fn}/{method}", fn, [A(src), 0.4], {"axis": 1, "method": method}))
    for fn in ("percentile", "nanpercentile"):
        src = "f" if fn == "percentile" else "fnan"
        cases += [
            (f"{fn}/scalar", fn, [A(src), 30.0], {}),
            (f"{fn}/vector", fn, [A(src), A("pct")], {"axis": 1}),
            (f"{fn}/keepdims", fn, [A("t3"), 25.0], {"axis": (0, 2), "keepdims": True}),
            (f"{fn}/nearest", fn, [A("i"), 50.0], {"axis": 0, "method": "nearest"}),
        ]
    return cases


def _shapes_and_creation():
    return [
        ("hstack/2d", "hstack", [[A("f"), A("g")]], {}),
        ("hstack/1d", "hstack", [[A("v"), A("vi")]], {}),
        ("vstack/2d", "vstack", [[A("f"), A("row")]], {}),
        ("vstack/1d", "vstack", [[A("v"), A("w")]], {}),
        ("dstack/2d", "dstack", [[A("f"), A("i")]], {}),
        ("hsplit/sections", "hsplit", [A("f"), 2], {}),
        ("hsplit/indices", "hsplit", [A("f"), [1, 3]], {}),
        ("vsplit/sections", "vsplit", [A("t3"), 2], {}),
        ("dsplit/indices", "dsplit", [A("t3"), [1]], {}),
        ("array_split/uneven", "array_split", [A("v"), 3], {}),
        ("array_split/axis1", "array_split", [A("f"), 3], {"axis": 1}),
        ("fliplr/2d", "fliplr", [A("f")], {}),
        ("flipud/2d", "flipud", [A("i")], {}),
        ("rot90/k1", "rot90", [A("f")], {}),
        ("rot90/k3_axes", "rot90", [A("t3")], {"k": 3, "axes": (1, 2)}),
        ("rot90/kneg", "rot90", [A("i")], {"k": -1}),
        ("roll/flat", "roll", [A("f"), 3], {}),
        ("roll/axis", "roll", [A("f"), -1], {"axis": 1}),
        ("roll/multi", "roll", [A("t3"), (1, 2)], {"axis": (0, 2)}),
        ("diff/default", "diff", [A("f")], {}),
        ("diff/n2_axis0", "diff", [A("i")], {"n": 2, "axis": 0}),
        ("diff/bool", "diff", [A("b")], {}),
        ("diag/vector", "diag", [A("v")], {}),
        ("diag/vector_k", "diag", [A("vi")], {"k": -2}),
        ("diag/matrix", "diag", [A("f")], {"k": 1}),
        ("diagflat/matrix", "diagflat", [A("sq")], {"k": 1}),
        ("diagflat/vector", "diagflat", [A("w3")], {}),
        ("tri/default", "tri", [3], {}),
        ("tri/rect", "tri", [3, 5], {"k": 1, "dtype": "int32"}),
        ("tri/neg", "tri", [4, 2], {"k": -1}),
        ("vander/default", "vander", [A("w3")], {}),
        ("vander/N_increasing", "vander", [A("vi")], {"N": 3, "increasing": True}),
        ("logspace/default", "logspace", [0.0, 2.0], {"num": 5}),
        ("logspace/no_endpoint", "logspace", [1.0, 3.0], {"num": 4, "endpoint": False,
                                                           "base": 2}),
        ("logspace/ints", "logspace", [0, 3], {"num": 4}),
        ("geomspace/default", "geomspace", [1.0, 1000.0], {"num": 4}),
        ("geomspace/no_endpoint", "geomspace", [2.0, 64.0], {"num": 5, "endpoint": False}),
        ("geomspace/negative", "geomspace", [-1.0, -100.0], {"num": 3}),
        ("meshgrid/xy", "meshgrid", [A("w3"), A("v")], {}),
        ("meshgrid/ij", "meshgrid", [A("w3"), A("v")], {"indexing": "ij"}),
        ("bartlett/5", "bartlett", [5], {}),
        ("blackman/6", "blackman", [6], {}),
        ("hamming/7", "hamming", [7], {}),
        ("hanning/6", "hanning", [6], {}),
        ("kaiser/8", "kaiser", [8, 5.0], {}),
        ("kaiser/1", "kaiser", [1, 2.0], {}),
        ("cross/vectors", "cross", [A("m3"), A("n3")], {}),
        ("cross/axis0", "cross", [A("n3"), A("m3")], {"axis": -1}),
        ("correlate/valid", "correlate", [A("v"), A("w3")], {}),
        ("correlate/same", "correlate", [A("v"), A("w3")], {"mode": "same"}),
        ("correlate/full", "correlate", [A("v"), A("w3")], {"mode": "full"}),
        ("correlate/int", "correlate", [A("vi"), A("vi")], {"mode": "full"}),
        ("corrcoef/f", "corrcoef", [A("f")], {}),
        ("corrcoef/i", "corrcoef", [A("i")], {}),
        ("trapezoid/default", "trapezoid", [A("f")], {}),
        ("trapezoid/x", "trapezoid", [A("v"), A("lin")], {}),
        ("trapezoid/dx_axis", "trapezoid", [A("f")], {"dx": 0.5, "axis": 0}),
        ("slogdet/matrix", "slogdet", [A("sq")], {}),
        ("slogdet/batch", "slogdet", [A("bsq")], {}),
        ("view/int32", "view", [A("f")], {"dtype": "int32"}),
        ("view/uint8", "view", [A("i")], {"dtype": "uint8"}),
        ("allclose/same", "allclose", [A("f"), A("f")], {}),
        ("allclose/diff", "allclose", [A("f"), A("g")], {}),
        ("allclose/loose", "allclose", [A("f"), A("g")], {"atol": 10.0}),
        ("allclose/int", "allclose", [A("i"), A("i")], {}),
        ("allclose/nan", "allclose", [A("fnan"), A("fnan")], {"equal_nan": True}),
        ("isin/int", "isin", [A("i"), A("vi")], {}),
        ("isin/invert", "isin", [A("i"), A("vi")], {"invert": True}),
        ("isin/bool", "isin", [A("b"), A("b2")], {}),
        ("select/basic", "select", [[A("b"), A("cond1")], [A("f"), A("g")]], {}),
        ("select/default", "select", [[A("cond1")], [A("i")]], {"default": -1}),
        ("unravel_index/2d", "unravel_index", [A("flat_idx"), (3, 4)], {}),
        ("unravel_index/3d", "unravel_index", [A("flat_idx"), (2, 2, 3)], {}),
        ("nonzero/2d", "nonzero", [A("i")], {}),
        ("nonzero/bool", "nonzero", [A("b")], {}),
        ("nonzero/1d", "nonzero", [A("vi")], {}),
        ("bincount/plain", "bincount", [A("cnt")], {}),
        ("bincount/minlength", "bincount", [A("cnt")], {"minlength": 9}),
        ("bincount/weights", "bincount", [A("cnt")], {"weights": A("cw")}),
        ("bincount/2d", "bincount", [A("cnt2")], {"minlength": 4}),
        ("bincount/2d_weights", "bincount", [A("cnt2")], {"weights": A("cw2"), "minlength": 4}),
        ("digitize/float", "digitize", [A("f"), A("edges")], {}),
        ("digitize/int", "digitize", [A("ivals"), A("isorted")], {}),
        ("searchsorted/left", "searchsorted", [A("sorted"), A("v")], {}),
        ("searchsorted/right", "searchsorted", [A("isorted"), A("ivals")], {"side": "right"}),
        ("searchsorted/ties_left", "searchsorted", [A("isorted"), A("ivals")], {}),
        ("histogram/default", "histogram", [A("v")], {}),
        ("histogram/range", "histogram", [A("v")], {"bins": 4, "range": (-1.0, 1.0)}),
        ("unique/plain", "unique", [A("dup")], {}),
        ("unique/counts", "unique", [A("dup")], {"return_counts": True}),
        ("unique/inverse", "unique", [A("dup")], {"return_inverse": True}),
        ("unique/size_pad", "unique", [A("dup")], {"size": 6, "fill_value": -1,
                                                   "return_counts": True}),
        ("unique/size_cut", "unique", [A("dup")], {"size": 2}),
        ("unique/axis", "unique", [A("dup2")], {"axis": 0}),
        ("get_item/int", "get_item", [A("f"), 1], {}),
        ("get_item/tuple", "get_item", [A("t3"), (1, slice(0, 2))], {}),
        # existing shape functions
        ("reshape/basic", "reshape", [A("f"), (2, 6)], {}),
        ("reshape/minus1", "reshape", [A("t3"), (-1, 4)], {}),
        ("transpose/default", "transpose", [A("t3")], {}),
        ("transpose/axes", "transpose", [A("t3"), (1, 0, 2)], {}),
        ("swapaxes/basic", "swapaxes", [A("t3"), 0, 2], {}),
        ("moveaxis/basic", "moveaxis", [A("t3"), 0, -1], {}),
        ("expand_dims/basic", "expand_dims", [A("f"), 1], {}),
        ("squeeze/basic", "squeeze", [A("row")], {}),
        ("broadcast_to/basic", "broadcast_to", [A("w3"), (2, 3)], {}),
        ("tile/basic", "tile", [A("w3"), (2, 2)], {}),
        ("repeat/flat", "repeat", [A("f"), 2], {}),
        ("repeat/axis", "repeat", [A("i"), 2], {"axis": 1}),
        ("flip/default", "flip", [A("f")], {}),
        ("flip/axis", "flip", [A("t3")], {"axis": 1}),
        ("concatenate/axis1", "concatenate", [[A("f"), A("g")]], {"axis": 1}),
        ("concatenate/mixed", "concatenate", [[A("f"), A("i")]], {}),
        ("stack/axis1", "stack", [[A("f"), A("g")]], {"axis": 1}),
        ("split/sections", "split", [A("f"), 2], {"axis": 1}),
        ("split/indices", "split", [A("f"), [1, 2]], {}),
        ("pad/constant", "pad", [A("f"), ((1, 0), (0, 2))], {}),
        ("pad/reflect", "pad", [A("f"), ((1, 1), (2, 1))], {"mode": "reflect"}),
        ("pad/value", "pad", [A("i"), ((1, 1), (2, 0))], {"constant_values": 7}),
        ("triu/basic", "triu", [A("f")], {}),
        ("tril/k", "tril", [A("f")], {"k": -1}),
        ("diagonal/basic", "diagonal", [A("t3")], {"offset": 1, "axis1": 1, "axis2": 2}),
        ("trace/basic", "trace", [A("f")], {}),
        ("trace/int", "trace", [A("ti")], {"axis1": 1, "axis2": 2}),
        ("take/flat", "take", [A("f"), A("flat_idx")], {}),
        ("take/axis", "take", [A("f"), [0, 2]], {"axis": 1}),
        ("take_along_axis/basic", "take_along_axis", [A("f"), A("shift_i")], {"axis": 1}),
        ("where/3", "where", [A("b"), A("f"), A("g")], {}),
        ("where/scalars", "where", [A("b"), 1.0, 0.0], {}),
        ("where/condition_only", "where", [A("i")], {}),
        ("clip/float", "clip", [A("f"), -0.5, 0.5], {}),
        ("clip/int", "clip", [A("i"), -2, 2], {}),
        ("clip/bool", "clip", [A("b"), 0, 1], {}),
        ("tensordot/basic", "tensordot", [A("t3"), A("m3")], {"axes": 1}),
        ("einsum/basic", "einsum", ["ij,jk->ik", A("m3"), A("sq")], {}),
        ("cast/int", "cast", [A("f"), "int32"], {}),
        ("norm/default", "norm", [A("f")], {}),
        ("norm/axis", "norm", [A("f")], {"ord": 1, "axis": 1}),
        ("linspace/basic", "linspace", [0.0, 1.0], {"num": 5}),
        ("linspace/no_endpoint", "linspace", [0.0, 2.0], {"num": 4, "endpoint": False}),
        ("arange/int", "arange", [5], {}),
        ("arange/float", "arange", [0.0, 1.0, 0.25], {}),
        ("eye/rect", "eye", [3, 4], {"k": 1}),
        ("identity/basic", "identity", [3], {}),
        ("ones/basic", "ones", [(2, 3)], {}),
        ("zeros/int", "zeros", [(2,)], {"dtype": "int32"}),
        ("full/int", "full", [(2, 2), 3], {}),
        ("full/dtype", "full", [(2, 2), 3], {"dtype": "int8"}),
        ("full/vector", "full", [(2, 3), A("w3")], {}),
        ("full_like/basic", "full_like", [A("f"), 2.5], {}),
        ("array/list", "array", [[1, 2, 3]], {}),
        ("empty_like/f", "empty_like", [A("f")], {}),
        ("empty_like/dtype", "empty_like", [A("f")], {"dtype": "int32"}),
        ("empty/basic", "empty", [(2, 3)], {}),
        ("empty/int", "empty", [(4,)], {"dtype": "int8"}),
    ]


def cases():
    out = []
    for name, src in _UNARY_FLOAT.items():
        out.append((f"{name}/{src}", name, [A(src)], {}))
    for name, srcs in _UNARY_OTHER.items():
        for src in srcs:
            out.append((f"{name}/{src}", name, [A(src)], {}))
    for name, pairs in _BINARY.items():
        for a, b in pairs:
            args = [A(v) if isinstance(v, str) else v for v in (a, b)]
            label = "_".join(str(v) for v in (a, b))
            out.append((f"{name}/{label}", name, args, {}))
    out += _reductions()
    out += _shapes_and_creation()
    out += [("argpartition/f", "argpartition", [A("f"), 1], {}),
            ("argpartition/i_axis0", "argpartition", [A("i"), 2], {"axis": 0}),
            ("argpartition/flat", "argpartition", [A("v"), 3], {"axis": None})]
    return out


# dtype promotion: keras.backend.result_type of these dtype pairs ("int" and
# "float" stand for the Python types, weakly typed scalars).
PROMOTION_DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "bfloat16",
                    "float16", "float32", "float64", "int", "float"]


# Dtype matrices: each op over inputs of every dtype (values 1..3, safe for
# every op), binary ops over every pair plus Python scalars as second operand.
MATRIX_DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32"]
MATRIX_SCALARS = {"int": 3, "float": 2.5}
MATRIX_UNARY = [
    "abs", "negative", "sign", "square", "sqrt", "exp", "log", "log1p", "expm1", "log2",
    "log10", "tanh", "sin", "cos", "tan", "arctan", "sinh", "cosh", "reciprocal", "floor",
    "ceil", "round", "trunc", "arccos", "arcsin", "arcsinh", "arccosh", "arctanh", "cbrt",
    "deg2rad", "rad2deg", "exp2", "fabs", "sinc", "signbit", "i0", "isnan", "isfinite",
    "mean", "sum", "prod", "max", "var", "std", "cumsum", "cumprod", "median", "nansum",
    "nanmean", "nanprod", "nanmax", "nanvar", "ptp", "argmax", "count_nonzero", "logsumexp",
    "average", "sort", "copy", "zeros_like", "ones_like", "nan_to_num", "trace",
    "nancumsum", "nancumprod", "corrcoef", "diff", "flip", "vander_row",
    "nanmedian", "nanmin", "nanstd", "nanargmax", "nanargmin", "quantile_half",
    "percentile_half", "nanpercentile_half", "histogram_row", "argsort", "argmin", "unique",
    "nonzero", "bincount_row", "bitwise_invert", "bitwise_not", "isneginf", "isposinf",
    "isreal", "angle", "real", "conj", "conjugate", "fliplr", "flipud", "rot90", "roll_1",
    "triu", "tril", "diag", "diagonal", "diagflat", "ravel", "transpose", "logical_not",
    "amax", "amin", "min", "any", "all", "clip_1_2", "repeat_2", "tile_2", "isinf",
    "argpartition_int", "empty_like", "full_like_2", "hsplit_2", "array_split_3", "append_self",
    "trapezoid",
]
assert len(set(MATRIX_UNARY)) == len(MATRIX_UNARY)
MATRIX_BINARY = [
    "add", "subtract", "multiply", "divide", "true_divide", "floor_divide", "mod", "power",
    "maximum", "minimum", "equal", "less", "arctan2", "hypot", "heaviside", "logaddexp",
    "logaddexp2", "fmax", "fmin", "fmod", "nextafter", "isclose", "allclose", "matmul", "dot",
    "inner", "outer", "kron", "tensordot", "append", "vdot_row", "divide_no_nan",
    "logical_and", "where_x",
    "bitwise_and", "bitwise_or", "bitwise_xor", "left_shift", "right_shift", "gcd", "lcm",
    "isin", "searchsorted_row", "digitize_row", "cross_rows", "correlate_row", "hstack",
    "vstack", "dstack", "concatenate", "stack", "not_equal", "greater", "greater_equal",
    "less_equal", "logical_or", "logical_xor", "ldexp", "take_row", "select_pair",
    "clip_between", "quantile_of", "full_like_value",
]


def matrix_input(dtype):
    return (np.arange(12).reshape(3, 4) % 3 + 1).astype(dtype)


def matrix_call(ops, name, a, b=None):
    """One dtype-matrix call: a few ops need their inputs arranged."""
    if name == "vander_row":
        return ops.vander(a[0])
    if name == "vdot_row":
        return ops.vdot(a[0], b[0] if hasattr(b, "shape") else b)
    if name == "where_x":
        return ops.where(a > 1, a, b)
    if name in ("matmul",):
        return ops.matmul(a, ops.transpose(b) if hasattr(b, "shape") else b) \
            if hasattr(b, "shape") else ops.multiply(a, b)
    if name in ("inner", "tensordot") and not hasattr(b, "shape"):
        return getattr(ops, name)(a, np.asarray(b))
    if name == "tensordot":
        return ops.tensordot(a, b, axes=([1], [1]))
    row = a[0]
    if b is None:
        special = {
            "quantile_half": lambda: ops.quantile(a, 0.5, axis=1),
            "percentile_half": lambda: ops.percentile(a, 50.0, axis=0),
            "nanpercentile_half": lambda: ops.nanpercentile(a, 50.0),
            "histogram_row": lambda: ops.histogram(row, bins=3),
            "bincount_row": lambda: ops.bincount(row),
            "roll_1": lambda: ops.roll(a, 1, axis=1),
            "clip_1_2": lambda: ops.clip(a, 1, 2),
            "repeat_2": lambda: ops.repeat(a, 2, axis=0),
            "tile_2": lambda: ops.tile(a, (1, 2)),
            "argpartition_int": lambda: ops.sort(ops.argpartition(a, 1), axis=-1),
            "empty_like": lambda: ops.zeros_like(ops.empty_like(a)),
            "full_like_2": lambda: ops.full_like(a, 2),
            "hsplit_2": lambda: ops.hsplit(a, 2),
            "array_split_3": lambda: ops.array_split(row, 3),
            "append_self": lambda: ops.append(a, a),
            "diag": lambda: ops.diag(row),
        }
        if name in special:
            return special[name]()
        return getattr(ops, name)(a)
    scalar = not hasattr(b, "shape")
    special = {
        "searchsorted_row": lambda: ops.searchsorted(row, b if scalar else b[0]),
        "digitize_row": lambda: ops.digitize(a, np.asarray([1, 2]) if scalar else b[1][:2]),
        "cross_rows": lambda: ops.cross(a[:2, :3], np.asarray(b)[:2, :3] if not scalar
                                        else a[:2, :3] * b),
        "correlate_row": lambda: ops.correlate(row, b if scalar else b[1]),
        "hstack": lambda: ops.hstack([a, b if not scalar else a]),
        "vstack": lambda: ops.vstack([a, b if not scalar else a]),
        "dstack": lambda: ops.dstack([a, b if not scalar else a]),
        "concatenate": lambda: ops.concatenate([a, b if not scalar else a], axis=1),
        "stack": lambda: ops.stack([a, b if not scalar else a]),
        "take_row": lambda: ops.take(a, (np.asarray(b) if scalar else b[0]).astype(
            "int32") % 3, axis=1),
        "select_pair": lambda: ops.select([a > 1, a > 2], [a, b], 0),
        "clip_between": lambda: ops.clip(a, b, 3),
        "quantile_of": lambda: ops.quantile(a, 0.25 if scalar else b[0, :2] / 4, axis=1),
        "full_like_value": lambda: ops.full_like(a, b if scalar else b[0, 0]),
    }
    if name in special:
        return special[name]()
    fn = getattr(ops, name)
    return fn(a, b)


# Cases whose outputs are compared as sets, not positions (argpartition only
# promises a partition; which equal-rank index comes first is unspecified).
PARTITION_CASES = {"argpartition/f", "argpartition/i_axis0", "argpartition/flat"}
# Outputs with uninitialized values: only the shape and dtype are compared.
SHAPE_ONLY = {"empty_like", "empty"}


def resolve(value, inputs):
    """`value` with every A(name) replaced by inputs[name]."""
    if isinstance(value, A):
        return inputs[value.name]
    if isinstance(value, list):
        return [resolve(v, inputs) for v in value]
    if isinstance(value, tuple):
        return tuple(resolve(v, inputs) for v in value)
    if isinstance(value, dict):
        return {k: resolve(v, inputs) for k, v in value.items()}
    return value
