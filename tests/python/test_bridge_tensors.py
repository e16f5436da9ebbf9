"""torkeras.bridge.tensors: the Python side of the R methods for tensors."""

import numpy as np
import pytest
import torch

import torkeras as keras
from torkeras import ops
from torkeras.bridge import tensors as T
from torkeras.graph.keras_tensor import KerasTensor
from torkeras.variables import Variable


@pytest.fixture
def x():
    return torch.arange(12, dtype=torch.float32).reshape(3, 4)


# -- operands from R ----------------------------------------------------------

def test_r_scalars_take_the_tensor_dtype():
    f32 = torch.ones(2)
    i32 = torch.ones(2, dtype=torch.int32)
    assert T.binary("*", f32, 2.0).dtype == torch.float32
    assert T.binary("-", 0.5, f32).dtype == torch.float32
    assert T.binary("*", f32.half(), 2.0).dtype == torch.float16
    assert T.binary("+", i32, 2.0).dtype == torch.int32      # whole R double
    assert T.binary("+", i32, 2.5).dtype == torch.float32    # not whole: floatx
    assert T.binary("+", torch.tensor([True, False]), 1.0).dtype == torch.int32


def test_r_arrays_take_the_tensor_dtype(x):
    a = np.ones((3, 4))  # float64, as reticulate hands R doubles over
    out = T.binary("+", x, a)
    assert out.dtype == torch.float32
    assert torch.equal(out, x + 1)
    assert T.from_r_operand(np.array([1.0, 2.0]), torch.ones(2, dtype=torch.int64)).dtype \
        == torch.int64
    assert T.from_r_operand([0.5, 2.0], torch.ones(2, dtype=torch.int32)).dtype == torch.float32
    assert T.from_r_operand([True, False], torch.ones(2, dtype=torch.bool)).dtype == torch.bool
    with pytest.raises(TypeError, match="not character values"):
        T.from_r_operand(np.array(["a"]), x)


def test_binary_operators_follow_r(x):
    a = torch.tensor([-7.0, 7.0, -7.0, 7.0])
    b = torch.tensor([3.0, 3.0, -3.0, -3.0])
    assert T.binary("%%", a, b).tolist() == [2.0, 1.0, -1.0, -2.0]      # R: -7 %% 3 == 2
    assert T.binary("%/%", a, b).tolist() == [-3.0, 2.0, 2.0, -3.0]
    power = T.binary("^", torch.tensor([2, 4], dtype=torch.int32), -1)
    assert power.dtype == torch.float32 and power.tolist() == [0.5, 0.25]
    assert T.binary("==", x, 3.0).dtype == torch.bool
    assert T.binary("&", x > 2, True).tolist() == (x > 2).tolist()
    assert T.binary("|", x > 10, x < 1).sum().item() == 2
    with pytest.raises(TypeError, match="not supported"):
        T.binary("%in%", x, 1.0)


def test_unary_and_matmul(x):
    assert torch.equal(T.unary("-", x), -x)
    assert torch.equal(T.unary("!", x), x == 0)
    assert torch.equal(T.unary("+", x), x)
    assert torch.equal(T.matmul(x, np.ones((4, 2))), x @ torch.ones(4, 2))


def test_variables_are_operands():
    v = Variable(torch.tensor([1.0, 2.0]))
    assert T.binary("*", v, 2.0).tolist() == [2.0, 4.0]
    assert T.binary("-", 1.0, v).tolist() == [0.0, -1.0]
    assert T.r_getitem(v, [2.0]).item() == 2.0
    assert T.summary("sum", [v]).item() == 3.0


# -- `[` ---------------------------------------------------------------------------

def test_getitem_r_semantics(x):
    assert torch.equal(T.r_getitem(x, [1.0, None]), x[0])
    assert torch.equal(T.r_getitem(x, [[1, 2], None]), x[0:2])
    assert torch.equal(T.r_getitem(x, [None, 2]), x[:, 1])
    assert T.r_getitem(x, [2.0, 3.0]).item() == x[1, 2].item()
    assert torch.equal(T.r_getitem(x, [-1.0, None]), x[2])
    assert torch.equal(T.r_getitem(x, [[-2, -1], None]), x[1:])
    assert torch.equal(T.r_getitem(x, [None, [4, 1]]), x[:, [3, 0]])
    # Several vectors select the cross product, as in R.
    assert torch.equal(T.r_getitem(x, [[1, 3], [2, 4]]), x[[0, 2]][:, [1, 3]])
    assert torch.equal(T.r_getitem(x, [[True, False, True], None]), x[[0, 2]])
    assert T.r_getitem(x, [2.0, None], drop=False).shape == (1, 4)
    assert torch.equal(T.r_getitem(x, [1.0]), x[0])  # missing trailing axes
    assert T.r_getitem(x, [[], None]).shape == (0, 4)


def test_getitem_slices_runs(x):
    # a:b becomes a slice (a view), other vectors a gather.
    def shares_memory(t):
        return t.untyped_storage().data_ptr() == x.untyped_storage().data_ptr()
    assert shares_memory(T.r_getitem(x, [[1, 2], None]))
    assert not shares_memory(T.r_getitem(x, [[2, 1], None]))


def test_getitem_full_mask_is_in_r_order(x):
    mask = x > 5
    expected = x.T.reshape(-1)[mask.T.reshape(-1)]  # column-major, as R
    assert torch.equal(T.r_getitem(x, [mask]), expected)
    assert torch.equal(T.r_getitem(x, [mask.numpy()]), expected)


def test_getitem_tensor_indices_are_one_based(x):
    assert torch.equal(T.r_getitem(x, [torch.tensor([3, 1]), None]), x[[2, 0]])
    assert T.r_getitem(x, [torch.tensor(2), torch.tensor(2)]).item() == x[1, 1].item()
    assert torch.equal(T.r_getitem(x, [torch.tensor([True, False, True]), 1.0]), x[[0, 2], 0])


@pytest.mark.parametrize("specs, message", [
    ([0.0, None], "1-based"),
    ([4.0, None], "out of bounds"),
    ([1.5, None], "whole numbers"),
    ([float("nan"), None], "NA"),
    ([None, None, None], "incorrect number of dimensions"),
    ([[True, False], None], "has length 2"),
    ([torch.tensor([0, 1]), None], "1-based"),
])
def test_getitem_errors(x, specs, message):
    with pytest.raises(IndexError, match=message):
        T.r_getitem(x, specs)


def test_getitem_on_keras_tensors_builds_graph_ops():
    inputs = keras.Input(shape=(3, 4))
    out = T.r_getitem(inputs, [None, -1.0, [2, 3]])
    assert isinstance(out, KerasTensor)
    assert out.shape == (None, 2)
    model = keras.Model(inputs, out)
    data = torch.arange(24, dtype=torch.float32).reshape(2, 3, 4)
    assert torch.equal(model(data), data[:, -1, 1:3])


# -- Math / Summary ---------------------------------------------------------------

def test_math_group(x):
    assert torch.allclose(T.math("log", x + 1, 2.0), torch.log2(x + 1))
    assert torch.equal(T.math("ceiling", x / 4), torch.ceil(x / 4))
    assert torch.equal(T.math("round", torch.tensor([1.2345]), 2), torch.tensor([1.23]))
    assert torch.allclose(T.math("signif", torch.tensor([123.456, -0.012345]), 2),
                          torch.tensor([120.0, -0.012]))
    assert torch.allclose(T.math("gamma", torch.tensor([-0.5, 4.0])),
                          torch.tensor([-3.5449077, 6.0]))
    # cumsum flattens in R's (column-major) order
    assert T.math("cumsum", torch.tensor([[1, 2], [3, 4]])).tolist() == [1, 4, 6, 10]
    assert T.math("cummax", torch.tensor([1.0, 3.0, 2.0])).tolist() == [1.0, 3.0, 3.0]
    with pytest.raises(TypeError):
        T.math("unknown", x)


def test_summary_group(x):
    assert T.summary("sum", [x, 1.0]).item() == 67.0
    assert T.summary("range", [x]).tolist() == [0.0, 11.0]
    assert T.summary("max", [x, [20.0]]).item() == 20.0
    assert T.summary("any", [x > 10]).item() is True
    assert T.summary("all", [x > 10, True]).item() is False
    assert T.summary("sum", [torch.tensor([True, True, False])]).item() == 2
    nan = torch.tensor([1.0, float("nan"), 3.0])
    assert torch.isnan(T.summary("sum", [nan]))
    assert T.summary("sum", [nan], na_rm=True).item() == 4.0
    assert T.summary("min", [nan], na_rm=True).item() == 1.0


def test_symbolic_math_and_summary():
    inputs = keras.Input(shape=(3,))
    total = T.summary("sum", [inputs])
    assert isinstance(total, KerasTensor) and total.shape == ()
    out = T.binary("*", T.math("abs", inputs), 2.0)
    assert out.shape == (None, 3)
    model = keras.Model(inputs, out)
    assert model(torch.tensor([[-1.0, 2.0, -3.0]])).tolist() == [[2.0, 4.0, 6.0]]


# -- conversions and printing ---------------------------------------------------------

def test_to_r_array(x):
    assert T.to_r_array(torch.tensor(2.5)) == 2.5
    assert isinstance(T.to_r_array(torch.tensor(True)), bool)
    assert T.to_r_array(x.half()).dtype == np.float32
    assert T.to_r_array(torch.ones(2, requires_grad=True)).tolist() == [1.0, 1.0]
    assert T.to_r_array(Variable(torch.ones(2))).tolist() == [1.0, 1.0]
    with pytest.raises(ValueError, match="symbolic"):
        T.to_r_array(keras.Input(shape=(2,)))


def test_dims_and_size(x):
    inputs = keras.Input(shape=(3,))
    assert T.dims(x) == [3, 4]
    assert T.dims(inputs) == [None, 3]
    assert T.size(x) == 12
    assert T.size(inputs) is None
    assert T.size(torch.tensor(1.0)) == 1


def test_format_and_str(x):
    assert T.format_tensor(torch.tensor([1, 2], dtype=torch.int32)) == \
        "tensor([1, 2], shape=(2,), dtype=int32)"
    text = T.format_tensor(torch.ones(2, requires_grad=True) * 2)
    assert text == "tensor([2., 2.], shape=(2,), dtype=float32)"
    assert T.format_tensor(torch.tensor(3.5)) == "tensor(3.5000, shape=(), dtype=float32)"
    assert "\n" in T.format_tensor(x) and T.format_tensor(x).endswith("dtype=float32)")
    assert T.format_tensor(keras.Input(shape=(2,))).startswith("<KerasTensor shape=(None, 2)")
    line = T.str_line(x)
    assert "\n" not in line
    assert line.startswith("<Tensor shape=(3, 4), dtype=float32> 0 1 2 3 4 5 ...")
    assert T.str_line(torch.tensor([True])) == "<Tensor shape=(1,), dtype=bool> TRUE"
    assert T.str_line(Variable(torch.ones(2))).startswith("<Variable shape=(2,)")


def test_ops_still_accept_what_the_bridge_returns(x):
    assert ops.sum(T.r_getitem(x, [None, 1.0])).item() == 12.0
