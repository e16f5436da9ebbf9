"""keras.activations reference values (tests/python/test_keras_activations.py).

Forward values: each case is an expression over `activations` and the input
`x`, evaluated here with keras.activations and, in the test, with
torkeras.activations (`<case>/expr`, `<case>/x`, `<case>/out`). Gradients:
`<case>/grad` is d(sum(f(x) * w))/dx through torch autograd, for a fixed
weighting `w` (`<case>/w`). Names: `names` lists keras.activations, and
`serialize/<name>` what keras.activations.serialize() writes for it.
"""
import torch

from refkit import Reference, keras, np

# (case, expression); every keras.activations function appears at least once.
FORWARD = [
    ("linear", "activations.linear(x)"),
    ("relu", "activations.relu(x)"),
    ("relu_slope", "activations.relu(x, negative_slope=0.1)"),
    ("relu_max", "activations.relu(x, max_value=1.5)"),
    ("relu_max6", "activations.relu(x * 3, max_value=6)"),
    ("relu_threshold", "activations.relu(x, threshold=0.5)"),
    ("relu_all", "activations.relu(x, negative_slope=0.2, max_value=2.0, threshold=-0.5)"),
    ("relu_slope_max", "activations.relu(x, negative_slope=0.3, max_value=1.0)"),
    ("relu6", "activations.relu6(x * 4)"),
    ("leaky_relu", "activations.leaky_relu(x)"),
    ("leaky_relu_slope", "activations.leaky_relu(x, negative_slope=0.01)"),
    ("elu", "activations.elu(x)"),
    ("elu_alpha", "activations.elu(x, alpha=0.3)"),
    ("selu", "activations.selu(x)"),
    ("gelu", "activations.gelu(x)"),
    ("gelu_approximate", "activations.gelu(x, approximate=True)"),
    ("celu", "activations.celu(x)"),
    ("celu_alpha", "activations.celu(x, alpha=0.5)"),
    ("glu", "activations.glu(x)"),
    ("glu_axis0", "activations.glu(x, axis=0)"),
    ("sigmoid", "activations.sigmoid(x * 5)"),
    ("hard_sigmoid", "activations.hard_sigmoid(x * 2)"),
    ("sparse_sigmoid", "activations.sparse_sigmoid(x)"),
    ("log_sigmoid", "activations.log_sigmoid(x * 10)"),
    ("hard_silu", "activations.hard_silu(x * 2)"),
    ("hard_swish", "activations.hard_swish(x * 2)"),
    ("silu", "activations.silu(x)"),
    ("swish", "activations.swish(x)"),
    ("mish", "activations.mish(x * 3)"),
    ("tanh", "activations.tanh(x)"),
    ("tanh_shrink", "activations.tanh_shrink(x)"),
    ("hard_tanh", "activations.hard_tanh(x)"),
    ("hard_shrink", "activations.hard_shrink(x)"),
    ("hard_shrink_threshold", "activations.hard_shrink(x, threshold=1.0)"),
    ("soft_shrink", "activations.soft_shrink(x)"),
    ("soft_shrink_threshold", "activations.soft_shrink(x, threshold=0.2)"),
    ("softplus", "activations.softplus(x * 10)"),
    ("softsign", "activations.softsign(x)"),
    ("sparse_plus", "activations.sparse_plus(x)"),
    ("squareplus", "activations.squareplus(x)"),
    ("squareplus_b", "activations.squareplus(x, b=1)"),
    ("threshold", "activations.threshold(x, 0.2, 5.0)"),
    ("exponential", "activations.exponential(x)"),
    ("softmax", "activations.softmax(x)"),
    ("softmax_axis0", "activations.softmax(x, axis=0)"),
    ("log_softmax", "activations.log_softmax(x)"),
    ("log_softmax_axis0", "activations.log_softmax(x, axis=0)"),
    # Keras 3.15's sparsemax is right only for a support of one element
    # (keras-team/keras#23425): these two run on their own input, whose rows
    # and columns are each led by one element more than 1 above the rest.
    ("sparsemax", "activations.sparsemax(x)"),
    ("sparsemax_axis0", "activations.sparsemax(x, axis=0)"),
]

# Gradients through torch autograd, for activations with kinks or saturation.
GRADIENT = ["relu", "relu_all", "gelu", "gelu_approximate", "elu", "selu", "celu", "glu",
            "hard_sigmoid", "hard_silu", "mish", "softplus", "sparse_plus", "sparse_sigmoid",
            "squareplus", "soft_shrink", "hard_shrink", "tanh_shrink", "threshold",
            "log_sigmoid", "softmax", "log_softmax"]


def main():
    ref = Reference()
    x = (ref.rng.uniform(-3, 3, (4, 6))).astype("float32")
    x[0, :4] = [-1.0, 0.0, 1.0, 0.5]  # points where the piecewise forms switch
    ref.put("x", x)
    w = ref.rng.standard_normal((4, 6)).astype("float32")
    ref.put("w", w)
    lead = ref.rng.uniform(-1, 0, (4, 4)).astype("float32")
    lead[np.arange(4), ref.rng.permutation(4)] = 2.0
    exprs = dict(FORWARD)
    for name, expr in FORWARD:
        ref.put(f"{name}/expr", np.array(expr))
        case_x = x
        if name.startswith("sparsemax"):
            case_x = ref.put(f"{name}/x", lead)
        ref.put(f"{name}/out", eval(expr, {"activations": keras.activations}, {"x": case_x}))
    for name in GRADIENT:
        xt = torch.tensor(lead if name.startswith("sparsemax") else x, requires_grad=True)
        out = eval(exprs[name], {"activations": keras.activations}, {"x": xt})
        wt = torch.tensor(w[tuple(slice(0, n) for n in out.shape)])
        (out * wt).sum().backward()
        ref.put(f"{name}/grad", xt.grad)
    names = sorted(n for n in dir(keras.activations) if not n.startswith("_"))
    ref.put("names", np.array(names))
    for name in names:
        if name in ("get", "serialize", "deserialize"):
            continue
        ref.put(f"serialize/{name}",
                np.array(str(keras.activations.serialize(getattr(keras.activations, name)))))
    ref.save()


if __name__ == "__main__":
    main()
