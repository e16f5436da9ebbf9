"""NumPy-style ops (`keras.ops.add`, `keras.ops.mean`, ...) on torch tensors."""

import builtins

import numpy as np
import torch

from torkeras import config, dtypes
from torkeras.graph.keras_tensor import KerasTensor
from torkeras.ops.core import (Tensor, _axis, _floatx, _pair, _shape_arg, _t,
                               _to_float, convert_to_tensor, op)
from torkeras.variables import Variable

_SMALL_INTS = (torch.bool, torch.int8, torch.int16, torch.uint8)


# -- conversion / introspection (no graph nodes) ------------------------------
def shape(x):
    """The shape of `x` as a tuple of ints.

    Works on tensors, NumPy arrays, Variables and symbolic KerasTensors (whose
    unknown dimensions are `None`); anything else is converted to a tensor first.
    No graph node is created.

    Args:
        x: A tensor, array, Variable, KerasTensor or nested list.

    Returns:
        A tuple (`()` for a scalar).

    Example:

    >>> keras.ops.shape(np.zeros((2, 3)))
    (2, 3)
    >>> keras.ops.shape(keras.Input((4,)))
    (None, 4)
    """
    if isinstance(x, (Tensor, KerasTensor, np.ndarray)):
        return tuple(x.shape)
    if isinstance(x, Variable):
        return x.shape
    return tuple(convert_to_tensor(x).shape)


def dtype(x):
    """The Keras dtype name of `x`.

    Args:
        x: A tensor, array, Variable, KerasTensor or Python value (converted
            as `convert_to_tensor` would: a Python float becomes `floatx()`).

    Returns:
        A string such as `"float32"`, `"int64"` or `"bool"`.

    Example:

    >>> keras.ops.dtype(np.zeros(3, dtype="int64"))
    'int64'
    >>> keras.ops.dtype(1.5)
    'float32'
    """
    if isinstance(x, Tensor):
        return dtypes.name_of(x.dtype)
    if isinstance(x, (KerasTensor, Variable)):
        return x.dtype
    return dtypes.name_of(convert_to_tensor(x).dtype)


def ndim(x):
    """The number of dimensions (rank) of `x`.

    Args:
        x: A tensor, array, Variable or KerasTensor.

    Returns:
        A Python int (0 for a scalar).

    Example:

    >>> keras.ops.ndim(np.zeros((2, 3, 4)))
    3
    """
    return len(shape(x))


def size(x):
    """The number of elements of `x` (the product of its shape).

    Args:
        x: A tensor, array or Variable with a fully known shape.

    Returns:
        A Python int.

    Example:

    >>> keras.ops.size(np.zeros((2, 3)))
    6
    """
    return int(np.prod(shape(x)))


def is_tensor(x):
    """Whether `x` is a torch tensor (the backend tensor type).

    NumPy arrays, Variables and KerasTensors are not.

    Args:
        x: Any object.

    Returns:
        `True` or `False`.

    Example:

    >>> keras.ops.is_tensor(keras.ops.ones(2)), keras.ops.is_tensor(np.ones(2))
    (True, False)
    """
    return isinstance(x, Tensor)


def convert_to_numpy(x):
    """Converts `x` to a NumPy array.

    Tensors are detached and copied to the CPU; bfloat16 becomes float32
    (NumPy has no bfloat16); a Variable gives its current value. Symbolic
    KerasTensors hold no data and raise a `ValueError`.

    Args:
        x: A tensor, Variable, array or array-like.

    Returns:
        A NumPy array.

    Example:

    >>> keras.ops.convert_to_numpy(keras.ops.arange(3))
    array([0, 1, 2], dtype=int32)
    """
    if isinstance(x, KerasTensor):
        raise ValueError("A symbolic KerasTensor holds no data and cannot be converted to NumPy.")
    if isinstance(x, Variable):
        x = x.value
    if isinstance(x, Tensor):
        x = x.detach()
        if x.dtype == torch.bfloat16:
            x = x.float()
        return x.cpu().numpy()
    return np.asarray(x)


# -- arithmetic -------------------------------------------------------------
def _scalar_tensor(x):
    """A Python scalar as the 0-d tensor Keras on torch makes of it (bool,
    int32 or floatx): torch lets a dimensioned operand's dtype win over a 0-d
    one of the same kind, so `int8 + 3` stays int8 and `bool + 3` is int32."""
    return convert_to_tensor(x) if type(x) in (int, float, bool) else x


def _tensor_pair(x1, x2):
    x1, x2 = _pair(x1, x2)
    return _scalar_tensor(x1), _scalar_tensor(x2)


@op
def add(x1, x2):
    """Elementwise sum `x1 + x2`.

    Inputs broadcast against each other (NumPy rules). The result dtype follows Keras's promotion rules; a Python scalar does not widen a tensor's dtype (`int8 + 3` stays int8).

    Args:
        x1: First input tensor.
        x2: Second input tensor, broadcastable with `x1`.

    Returns:
        A tensor of the broadcast shape of `x1` and `x2`.

    Example:

    >>> keras.ops.add(np.array([1, 2]), 10)
    tensor([11, 12])
    """
    x1, x2 = _tensor_pair(x1, x2)
    return torch.add(x1, x2)


@op
def subtract(x1, x2):
    """Elementwise difference `x1 - x2`.

    Inputs broadcast against each other (NumPy rules). A boolean operand is cast to the other operand's dtype first (torch refuses to subtract booleans).

    Args:
        x1: First input tensor.
        x2: Second input tensor, broadcastable with `x1`.

    Returns:
        A tensor of the broadcast shape of `x1` and `x2`.

    Example:

    >>> keras.ops.subtract(np.array([5.0, 2.0]), np.array([1.0, 3.0]))
    tensor([ 4., -1.])
    """
    x1, x2 = _tensor_pair(x1, x2)
    if x1.dtype == torch.bool:
        x1 = x1.to(x2.dtype)
    if x2.dtype == torch.bool:
        x2 = x2.to(x1.dtype)
    return torch.subtract(x1, x2)


@op
def multiply(x1, x2):
    """Elementwise product `x1 * x2`.

    Inputs broadcast against each other (NumPy rules).

    Args:
        x1: First input tensor.
        x2: Second input tensor, broadcastable with `x1`.

    Returns:
        A tensor of the broadcast shape of `x1` and `x2`.

    Example:

    >>> keras.ops.multiply(np.array([1.0, 2.0]), np.array([[1.0], [3.0]]))
    tensor([[1., 2.],
            [3., 6.]])
    """
    x1, x2 = _tensor_pair(x1, x2)
    return torch.multiply(x1, x2)


@op
def divide(x1, x2):
    """Elementwise true division `x1 / x2`.

    Inputs broadcast against each other (NumPy rules). Integer inputs give a floating-point result; division by zero gives `inf` or `nan` as in IEEE arithmetic. `true_divide` is the same function.

    Args:
        x1: First input tensor.
        x2: Second input tensor, broadcastable with `x1`.

    Returns:
        A tensor of the broadcast shape of `x1` and `x2`.

    Example:

    >>> keras.ops.divide(np.array([1, 3], dtype='int32'), 2)
    tensor([0.5000, 1.5000])
    """
    x1, x2 = _pair(x1, x2)
    return x1 / x2


true_divide = divide


@op
def divide_no_nan(x1, x2):
    """Elementwise `x1 / x2`, with 0 wherever `x2` is 0.

    Inputs broadcast against each other (NumPy rules). The division is done on a copy of `x2` whose zeros are replaced by ones, so no `nan` or `inf` appears (and gradients stay finite).

    Args:
        x1: First input tensor.
        x2: Second input tensor, broadcastable with `x1`.

    Returns:
        A tensor of the broadcast shape of `x1` and `x2`.

    Example:

    >>> keras.ops.divide_no_nan(np.array([1.0, 2.0]), np.array([0.0, 4.0]))
    tensor([0.0000, 0.5000])
    """
    x1, x2 = _pair(x1, x2)
    if not isinstance(x2, Tensor):
        x2 = torch.tensor(x2)
    zero = x2 == 0
    safe = torch.where(zero, torch.ones_like(x2), x2)
    return torch.where(zero, 0.0, x1 / safe)


def _dtype_or_type(x):
    return x.dtype if isinstance(x, Tensor) else type(x)


@op
def floor_divide(x1, x2):
    """Elementwise floor division `floor(x1 / x2)`.

    Inputs broadcast against each other (NumPy rules). The result has the promoted dtype of the inputs (integers stay integers) and rounds toward negative infinity, like Python's `//`.

    Args:
        x1: First input tensor.
        x2: Second input tensor, broadcastable with `x1`.

    Returns:
        A tensor of the broadcast shape of `x1` and `x2`.

    Example:

    >>> keras.ops.floor_divide(np.array([7, -7], dtype='int32'), 2)
    tensor([ 3, -4], dtype=torch.int32)
    """
    x1, x2 = _pair(x1, x2)
    name = result_type(_dtype_or_type(x1), _dtype_or_type(x2))
    return _cast(torch.floor_divide(x1, x2), name)


@op
def mod(x1, x2):
    """Elementwise remainder of `x1 / x2`, with the sign of `x2`.

    Inputs broadcast against each other (NumPy rules). Same convention as Python's `%` and `numpy.mod` (not C's `fmod`). Boolean inputs are computed as int32.

    Args:
        x1: First input tensor.
        x2: Second input tensor, broadcastable with `x1`.

    Returns:
        A tensor of the broadcast shape of `x1` and `x2`.

    Example:

    >>> keras.ops.mod(np.array([7, -7], dtype='int32'), 3)
    tensor([1, 2], dtype=torch.int32)
    """
    x1, x2 = _tensor_pair(x1, x2)
    if result_type(x1.dtype, x2.dtype) == "bool":
        x1, x2 = x1.to(torch.int32), x2.to(torch.int32)
    return torch.remainder(x1, x2)


@op
def power(x1, x2):
    """Elementwise power `x1 ** x2`.

    Inputs broadcast against each other (NumPy rules).

    Args:
        x1: Base tensor.
        x2: Exponent tensor or scalar, broadcastable with `x1`.

    Returns:
        A tensor of the broadcast shape of `x1` and `x2`.

    Example:

    >>> keras.ops.power(np.array([2.0, 3.0]), 2)
    tensor([4., 9.])
    """
    x1, x2 = _tensor_pair(x1, x2)
    return torch.pow(x1, x2)


@op
def negative(x):
    """Elementwise negation `-x`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.ops.negative(np.array([1, -2]))
    tensor([-1,  2])
    """
    return -_t(x)


@op
def abs(x):
    """Elementwise absolute value `|x|`.

    Boolean inputs are returned unchanged. `absolute` is the same function.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.ops.abs(np.array([-1.5, 2.0]))
    tensor([1.5000, 2.0000])
    """
    x = _t(x)
    return x if x.dtype == torch.bool else torch.abs(x)


absolute = abs


@op
def sign(x):
    """Elementwise sign: -1 for negative values, 0 for zero, 1 for positive.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.ops.sign(np.array([-3.0, 0.0, 2.0]))
    tensor([-1.,  0.,  1.])
    """
    return torch.sign(_t(x))


@op
def square(x):
    """Elementwise square `x * x`.

    Boolean inputs are squared as int32.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape of `x` (int32 for booleans, else the dtype of `x`).

    Example:

    >>> keras.ops.square(np.array([2, -3]))
    tensor([4, 9])
    """
    x = _t(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    return x * x


@op
def sqrt(x):
    """Elementwise square root.

    Negative inputs give `nan`. Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.

    Returns:
        A floating-point tensor of the shape of `x`.

    Example:

    >>> keras.ops.sqrt(np.array([4, 9]))
    tensor([2., 3.])
    """
    return torch.sqrt(_to_float(_t(x)))


@op
def rsqrt(x):
    """Elementwise reciprocal square root `1 / sqrt(x)`.

    Zero gives `inf`. Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.

    Returns:
        A floating-point tensor of the shape of `x`.

    Example:

    >>> keras.ops.rsqrt(np.array([4.0, 16.0]))
    tensor([0.5000, 0.2500])
    """
    return torch.rsqrt(_to_float(_t(x)))


@op
def exp(x):
    """Elementwise exponential `e ** x`.

    Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.

    Returns:
        A floating-point tensor of the shape of `x`.

    Example:

    >>> keras.ops.exp(np.array([0.0, 1.0]))
    tensor([1.0000, 2.7183])
    """
    return torch.exp(_to_float(_t(x)))


@op
def log(x):
    """Elementwise natural logarithm.

    Zero gives `-inf`, negative values `nan`. Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.

    Returns:
        A floating-point tensor of the shape of `x`.

    Example:

    >>> keras.ops.log(np.array([1.0, np.e]))
    tensor([0.0000, 1.0000])
    """
    return torch.log(_to_float(_t(x)))


@op
def log1p(x):
    """Elementwise `log(1 + x)`, accurate when `x` is close to 0.

    Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.

    Returns:
        A floating-point tensor of the shape of `x`.

    Example:

    >>> keras.ops.log1p(np.array([0.0, 1e-8]))
    tensor([0.0000e+00, 1.0000e-08])
    """
    return torch.log1p(_to_float(_t(x)))


@op
def expm1(x):
    """Elementwise `exp(x) - 1`, accurate when `x` is close to 0.

    Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.

    Returns:
        A floating-point tensor of the shape of `x`.

    Example:

    >>> keras.ops.expm1(np.array([0.0, 1e-8]))
    tensor([0.0000e+00, 1.0000e-08])
    """
    return torch.expm1(_to_float(_t(x)))


@op
def log2(x):
    """Elementwise base-2 logarithm.

    Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.

    Returns:
        A floating-point tensor of the shape of `x`.

    Example:

    >>> keras.ops.log2(np.array([1.0, 8.0]))
    tensor([0., 3.])
    """
    return torch.log2(_to_float(_t(x)))


@op
def log10(x):
    """Elementwise base-10 logarithm.

    Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.

    Returns:
        A floating-point tensor of the shape of `x`.

    Example:

    >>> keras.ops.log10(np.array([1.0, 100.0]))
    tensor([0., 2.])
    """
    return torch.log10(_to_float(_t(x)))


@op
def tanh(x):
    """Elementwise hyperbolic tangent.

    Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.

    Returns:
        A floating-point tensor of the shape of `x`.

    Example:

    >>> keras.ops.tanh(np.array([0.0, 1.0]))
    tensor([0.0000, 0.7616])
    """
    return torch.tanh(_to_float(_t(x)))


@op
def sin(x):
    """Elementwise sine.

    Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor (angles in radians).

    Returns:
        A floating-point tensor of the shape of `x`.

    Example:

    >>> keras.ops.sin(np.array([0.0, np.pi / 2]))
    tensor([0., 1.])
    """
    return torch.sin(_to_float(_t(x)))


@op
def cos(x):
    """Elementwise cosine.

    Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor (angles in radians).

    Returns:
        A floating-point tensor of the shape of `x`.

    Example:

    >>> keras.ops.cos(np.array([0.0, np.pi]))
    tensor([ 1., -1.])
    """
    return torch.cos(_to_float(_t(x)))


@op
def tan(x):
    """Elementwise tangent.

    Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor (angles in radians).

    Returns:
        A floating-point tensor of the shape of `x`.

    Example:

    >>> keras.ops.tan(np.array([0.0, np.pi / 4]))
    tensor([0., 1.])
    """
    return torch.tan(_to_float(_t(x)))


@op
def arctan(x):
    """Elementwise inverse tangent, in radians in `[-pi/2, pi/2]`.

    Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.

    Returns:
        A floating-point tensor of the shape of `x`.

    Example:

    >>> keras.ops.arctan(np.array([0.0, 1.0]))
    tensor([0.0000, 0.7854])
    """
    return torch.atan(_to_float(_t(x)))


@op
def sinh(x):
    """Elementwise hyperbolic sine.

    Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.

    Returns:
        A floating-point tensor of the shape of `x`.

    Example:

    >>> keras.ops.sinh(np.array([0.0, 1.0]))
    tensor([0.0000, 1.1752])
    """
    return torch.sinh(_to_float(_t(x)))


@op
def cosh(x):
    """Elementwise hyperbolic cosine.

    Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.

    Returns:
        A floating-point tensor of the shape of `x`.

    Example:

    >>> keras.ops.cosh(np.array([0.0, 1.0]))
    tensor([1.0000, 1.5431])
    """
    return torch.cosh(_to_float(_t(x)))


@op
def erf(x):
    """Elementwise Gauss error function `2/sqrt(pi) * integral_0^x exp(-t^2) dt`.

    Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.

    Returns:
        A floating-point tensor of the shape of `x`.

    Example:

    >>> keras.ops.erf(np.array([0.0, 1.0]))
    tensor([0.0000, 0.8427])
    """
    return torch.erf(_to_float(_t(x)))


@op
def reciprocal(x):
    """Elementwise reciprocal `1 / x`.

    Zero gives `inf`. Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.

    Returns:
        A floating-point tensor of the shape of `x`.

    Example:

    >>> keras.ops.reciprocal(np.array([2.0, 4.0]))
    tensor([0.5000, 0.2500])
    """
    return torch.reciprocal(_to_float(_t(x)))


@op
def round(x, decimals=0):
    """Rounds to the given number of decimals, halves to the nearest even value.

    `round(2.5)` is 2 and `round(3.5)` is 4 (banker's rounding, as NumPy).
    Integer and boolean inputs are returned unchanged.

    Args:
        x: Input tensor.
        decimals: Number of decimal places to keep (negative values round to
            tens, hundreds, ...). Default 0.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.ops.round(np.array([0.5, 1.5, 2.567]))
    tensor([0., 2., 3.])
    >>> keras.ops.round(np.array([2.567]), decimals=2)
    tensor([2.5700])
    """
    x = _t(x)
    if not x.is_floating_point():
        return x
    return torch.round(x, decimals=int(decimals))


@op
def floor(x):
    """Elementwise floor: the largest integer value `<= x`.

    Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.

    Returns:
        A floating-point tensor of the shape of `x` (integers give `floatx()`).

    Example:

    >>> keras.ops.floor(np.array([-1.5, 1.5]))
    tensor([-2.,  1.])
    """
    return torch.floor(_to_float(_t(x)))


@op
def ceil(x):
    """Elementwise ceiling: the smallest integer value `>= x`.

    Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.

    Returns:
        A floating-point tensor of the shape of `x` (integers give `floatx()`).

    Example:

    >>> keras.ops.ceil(np.array([-1.5, 1.5]))
    tensor([-1.,  2.])
    """
    return torch.ceil(_to_float(_t(x)))


@op
def matmul(x1, x2):
    """Matrix product of two tensors, with NumPy's `matmul` semantics.

    1-D inputs are treated as vectors (a 1-D `x1` is a row, a 1-D `x2` a column,
    and the added axis is removed from the result); inputs of rank > 2 are stacks
    of matrices whose leading (batch) axes broadcast. The result dtype follows
    Keras's promotion; int8 @ int8 gives int32; booleans are multiplied in
    `floatx()` and cast back to bool; float16 is computed in float32 on CPU.

    Args:
        x1: Tensor of shape `(..., M, K)` or `(K,)`.
        x2: Tensor of shape `(..., K, N)` or `(K,)`.

    Returns:
        Tensor of shape `(..., M, N)` (with the vector axes removed).

    Example:

    >>> keras.ops.matmul(np.ones((2, 3)), np.ones((3, 4))).shape
    torch.Size([2, 4])
    >>> keras.ops.matmul(np.array([[1.0, 2.0]]), np.array([3.0, 4.0]))
    tensor([11.])
    """
    x1, x2 = _t(x1), _t(x2)
    if x1.dtype == torch.int8 and x2.dtype == torch.int8:
        out_dtype = "int32"
    else:
        out_dtype = result_type(x1.dtype, x2.dtype)
    compute = out_dtype
    if compute == "bool":
        compute = config.floatx()
    if compute == "float16" and x1.device.type == "cpu":
        compute = "float32"
    return _cast(torch.matmul(_cast(x1, compute), _cast(x2, compute)), out_dtype)


def _float_compute(x1, x2):
    out_dtype = result_type(x1.dtype, x2.dtype)
    compute = result_type(out_dtype, float)
    if compute == "float16" and x1.device.type == "cpu":
        compute = "float32"
    return out_dtype, _cast(x1, compute), _cast(x2, compute)


@op
def dot(x1, x2):
    """Dot product of two tensors, as `numpy.dot`.

    For 1-D inputs the inner product, for 2-D inputs the matrix product, a
    scalar operand multiplies elementwise, and in general the sum over the last
    axis of `x1` and the second-to-last axis of `x2` (the last when `x2` is 1-D).
    The product is computed in floating point and cast to the promoted dtype of
    the inputs.

    Args:
        x1: First tensor.
        x2: Second tensor.

    Returns:
        A tensor of the promoted dtype of `x1` and `x2`.

    Example:

    >>> keras.ops.dot(np.array([1.0, 2.0]), np.array([3.0, 4.0]))
    tensor(11.)
    """
    out_dtype, x1, x2 = _float_compute(_t(x1), _t(x2))
    if x1.dim() == 0 or x2.dim() == 0:
        return _cast(x1 * x2, out_dtype)
    return _cast(torch.matmul(x1, x2), out_dtype)


@op
def tensordot(x1, x2, axes=2):
    """Tensor contraction: the sum of products over the given axes.

    Args:
        x1: First tensor.
        x2: Second tensor.
        axes: An int `n` (contract the last `n` axes of `x1` with the first
            `n` of `x2`), or a pair `(axes_1, axes_2)` of axis lists (or of
            single axes) of equal length to contract pairwise. Default 2.

    Returns:
        A tensor whose shape is the remaining axes of `x1` followed by the
        remaining axes of `x2`, in the promoted dtype of the inputs.

    Example:

    >>> keras.ops.tensordot(np.ones((2, 3)), np.ones((3, 4)), axes=1).shape
    torch.Size([2, 4])
    >>> keras.ops.tensordot(np.ones((2, 3, 5)), np.ones((5, 3)), axes=([1, 2], [1, 0])).shape
    torch.Size([2])
    """
    out_dtype, x1, x2 = _float_compute(_t(x1), _t(x2))
    if isinstance(axes, (list, tuple)):
        first, second = axes
        axes = (tuple(first) if isinstance(first, (list, tuple)) else (first,),
                tuple(second) if isinstance(second, (list, tuple)) else (second,))
    return _cast(torch.tensordot(x1, x2, dims=axes), out_dtype)


@op
def outer(x1, x2):
    """Outer product: `result[i, j] = x1[i] * x2[j]`.

    Both inputs are flattened first, so any shapes are accepted.

    Args:
        x1: First input tensor.
        x2: Second input tensor.

    Returns:
        A 2-D tensor of shape `(x1.size, x2.size)`.

    Example:

    >>> keras.ops.outer(np.array([1, 2]), np.array([1, 10, 100]))
    tensor([[  1,  10, 100],
            [  2,  20, 200]])
    """
    return torch.outer(_t(x1).flatten(), _t(x2).flatten())


@op
def einsum(subscripts, *operands):
    """Einstein summation over the operands, as described by `subscripts`.

    The notation of `numpy.einsum`: one comma-separated group of axis letters
    per operand, optionally `->` and the output letters (`"ij,jk->ik"` is a
    matrix product); letters absent from the output are summed; `...` stands for
    broadcast axes. Operands that are all int8 are summed as int32.

    Args:
        subscripts: The equation string.
        *operands: The tensors.

    Returns:
        A tensor with the axes named in the output subscripts.

    Example:

    >>> keras.ops.einsum("ij,jk->ik", np.ones((2, 3)), np.ones((3, 4))).shape
    torch.Size([2, 4])
    >>> keras.ops.einsum("ii", np.eye(3))
    tensor(3.)
    """
    operands = [_t(o) for o in operands]
    if operands and builtins.all(o.dtype == torch.int8 for o in operands):
        return torch.einsum(subscripts, *[o.to(torch.int32) for o in operands])
    return torch.einsum(subscripts, *operands)


def _extreme(fn, x1, x2):
    x1 = x1 if isinstance(x1, (int, float)) else _t(x1)
    x2 = x2 if isinstance(x2, (int, float)) else _t(x2)
    name = result_type(_dtype_or_type(x1), _dtype_or_type(x2))
    return fn(convert_to_tensor(x1, name), convert_to_tensor(x2, name))


@op
def maximum(x1, x2):
    """Elementwise maximum of `x1` and `x2`.

    Inputs broadcast against each other (NumPy rules). The result has the promoted dtype of the inputs; a NaN in either input gives NaN (unlike `numpy.fmax`).

    Args:
        x1: First input tensor.
        x2: Second input tensor, broadcastable with `x1`.

    Returns:
        A tensor of the broadcast shape of `x1` and `x2`.

    Example:

    >>> keras.ops.maximum(np.array([1.0, 5.0]), 3.0)
    tensor([3., 5.])
    """
    return _extreme(torch.maximum, x1, x2)


@op
def minimum(x1, x2):
    """Elementwise minimum of `x1` and `x2`.

    Inputs broadcast against each other (NumPy rules). The result has the promoted dtype of the inputs; a NaN in either input gives NaN (unlike `numpy.fmin`).

    Args:
        x1: First input tensor.
        x2: Second input tensor, broadcastable with `x1`.

    Returns:
        A tensor of the broadcast shape of `x1` and `x2`.

    Example:

    >>> keras.ops.minimum(np.array([1.0, 5.0]), 3.0)
    tensor([1., 3.])
    """
    return _extreme(torch.minimum, x1, x2)


def _common(x1, x2):
    """Two tensors of one dtype (Python scalars follow the tensor)."""
    if not isinstance(x1, Tensor):
        x1 = torch.tensor(x1, dtype=torch.result_type(x2, x1), device=x2.device)
    if not isinstance(x2, Tensor):
        x2 = torch.tensor(x2, dtype=torch.result_type(x1, x2), device=x1.device)
    if x1.dtype != x2.dtype:
        common = torch.promote_types(x1.dtype, x2.dtype)
        x1, x2 = x1.to(common), x2.to(common)
    return x1, x2


@op
def clip(x, x_min, x_max):
    """Limits the values of `x` to the interval `[x_min, x_max]`.

    Booleans are clipped as int32; float16 is clipped in float32 on CPU and
    returned as float16.

    Args:
        x: Input tensor.
        x_min: Lower bound (a scalar or a tensor broadcastable with `x`), or
            `None` for no lower bound.
        x_max: Upper bound (a scalar or a tensor broadcastable with `x`), or
            `None` for no upper bound.

    Returns:
        A tensor of the shape of `x` (int32 for boolean `x`, else its dtype).

    Example:

    >>> keras.ops.clip(np.array([-2.0, 0.5, 3.0]), 0.0, 1.0)
    tensor([0.0000, 0.5000, 1.0000])
    """
    x = _t(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    if x.dtype == torch.float16 and x.device.type == "cpu":
        return clip(x.to(torch.float32), x_min, x_max).to(torch.float16)
    if isinstance(x_min, (Tensor, Variable, np.ndarray)) or isinstance(x_max, (Tensor, Variable,
                                                                              np.ndarray)):
        return torch.clamp(x, min=None if x_min is None else _t(x_min),
                           max=None if x_max is None else _t(x_max))
    return torch.clamp(x, min=x_min, max=x_max)


# -- comparisons and logic --------------------------------------------------
@op
def equal(x1, x2):
    """Elementwise comparison `x1 == x2`.

    Inputs broadcast against each other (NumPy rules).

    Args:
        x1: First input tensor.
        x2: Second input tensor, broadcastable with `x1`.

    Returns:
        A boolean tensor of the broadcast shape.

    Example:

    >>> keras.ops.equal(np.array([1, 2, 3]), 2)
    tensor([False,  True, False])
    """
    x1, x2 = _pair(x1, x2)
    return x1 == x2


@op
def not_equal(x1, x2):
    """Elementwise comparison `x1 != x2`.

    Inputs broadcast against each other (NumPy rules).

    Args:
        x1: First input tensor.
        x2: Second input tensor, broadcastable with `x1`.

    Returns:
        A boolean tensor of the broadcast shape.

    Example:

    >>> keras.ops.not_equal(np.array([1, 2, 3]), 2)
    tensor([ True, False,  True])
    """
    x1, x2 = _pair(x1, x2)
    return x1 != x2


@op
def less(x1, x2):
    """Elementwise comparison `x1 < x2`.

    Inputs broadcast against each other (NumPy rules).

    Args:
        x1: First input tensor.
        x2: Second input tensor, broadcastable with `x1`.

    Returns:
        A boolean tensor of the broadcast shape.

    Example:

    >>> keras.ops.less(np.array([1, 2, 3]), 2)
    tensor([ True, False, False])
    """
    x1, x2 = _pair(x1, x2)
    return x1 < x2


@op
def less_equal(x1, x2):
    """Elementwise comparison `x1 <= x2`.

    Inputs broadcast against each other (NumPy rules).

    Args:
        x1: First input tensor.
        x2: Second input tensor, broadcastable with `x1`.

    Returns:
        A boolean tensor of the broadcast shape.

    Example:

    >>> keras.ops.less_equal(np.array([1, 2, 3]), 2)
    tensor([ True,  True, False])
    """
    x1, x2 = _pair(x1, x2)
    return x1 <= x2


@op
def greater(x1, x2):
    """Elementwise comparison `x1 > x2`.

    Inputs broadcast against each other (NumPy rules).

    Args:
        x1: First input tensor.
        x2: Second input tensor, broadcastable with `x1`.

    Returns:
        A boolean tensor of the broadcast shape.

    Example:

    >>> keras.ops.greater(np.array([1, 2, 3]), 2)
    tensor([False, False,  True])
    """
    x1, x2 = _pair(x1, x2)
    return x1 > x2


@op
def greater_equal(x1, x2):
    """Elementwise comparison `x1 >= x2`.

    Inputs broadcast against each other (NumPy rules).

    Args:
        x1: First input tensor.
        x2: Second input tensor, broadcastable with `x1`.

    Returns:
        A boolean tensor of the broadcast shape.

    Example:

    >>> keras.ops.greater_equal(np.array([1, 2, 3]), 2)
    tensor([False,  True,  True])
    """
    x1, x2 = _pair(x1, x2)
    return x1 >= x2


@op
def logical_and(x1, x2):
    """Elementwise logical AND.

    Inputs broadcast against each other (NumPy rules). Non-zero values count as true.

    Args:
        x1: First input tensor.
        x2: Second input tensor, broadcastable with `x1`.

    Returns:
        A boolean tensor of the broadcast shape.

    Example:

    >>> keras.ops.logical_and(np.array([True, True, False]), np.array([True, False, False]))
    tensor([ True, False, False])
    """
    return torch.logical_and(_t(x1), _t(x2))


@op
def logical_or(x1, x2):
    """Elementwise logical OR.

    Inputs broadcast against each other (NumPy rules). Non-zero values count as true.

    Args:
        x1: First input tensor.
        x2: Second input tensor, broadcastable with `x1`.

    Returns:
        A boolean tensor of the broadcast shape.

    Example:

    >>> keras.ops.logical_or(np.array([True, True, False]), np.array([True, False, False]))
    tensor([ True,  True, False])
    """
    return torch.logical_or(_t(x1), _t(x2))


@op
def logical_xor(x1, x2):
    """Elementwise logical XOR.

    Inputs broadcast against each other (NumPy rules). Non-zero values count as true.

    Args:
        x1: First input tensor.
        x2: Second input tensor, broadcastable with `x1`.

    Returns:
        A boolean tensor of the broadcast shape.

    Example:

    >>> keras.ops.logical_xor(np.array([True, True, False]), np.array([True, False, False]))
    tensor([False,  True, False])
    """
    return torch.logical_xor(_t(x1), _t(x2))


@op
def logical_not(x):
    """Elementwise logical NOT (non-zero values count as true).

    Args:
        x: Input tensor.

    Returns:
        A boolean tensor of the shape of `x`.

    Example:

    >>> keras.ops.logical_not(np.array([0, 1, 2]))
    tensor([ True, False, False])
    """
    return torch.logical_not(_t(x))


@op
def isnan(x):
    """Elementwise test for NaN.

    Args:
        x: Input tensor.

    Returns:
        A boolean tensor of the shape of `x` (all false for integers).

    Example:

    >>> keras.ops.isnan(np.array([1.0, np.nan]))
    tensor([False,  True])
    """
    return torch.isnan(_t(x))


@op
def isinf(x):
    """Elementwise test for positive or negative infinity.

    Args:
        x: Input tensor.

    Returns:
        A boolean tensor of the shape of `x`.

    Example:

    >>> keras.ops.isinf(np.array([1.0, np.inf, -np.inf]))
    tensor([False,  True,  True])
    """
    return torch.isinf(_t(x))


@op
def isfinite(x):
    """Elementwise test for finite values (neither infinite nor NaN).

    Args:
        x: Input tensor.

    Returns:
        A boolean tensor of the shape of `x`.

    Example:

    >>> keras.ops.isfinite(np.array([1.0, np.inf, np.nan]))
    tensor([ True, False, False])
    """
    return torch.isfinite(_t(x))


@op
def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    """Elementwise test `|x1 - x2| <= atol + rtol * |x2|`.

    The test is not symmetric: the tolerance scales with `x2`. Inputs broadcast
    and are converted to their common dtype; for integers the test is exact
    equality within `atol`.

    Args:
        x1: First input tensor.
        x2: Second input tensor (the reference), broadcastable with `x1`.
        rtol: Relative tolerance. Default `1e-5`.
        atol: Absolute tolerance. Default `1e-8`.
        equal_nan: If `True`, two NaNs compare as close. Default `False`.

    Returns:
        A boolean tensor of the broadcast shape.

    Example:

    >>> keras.ops.isclose(np.array([1.0, 1.1]), np.array([1.0 + 1e-7, 1.0]))
    tensor([ True, False])
    """
    x1, x2 = _common(*_pair(x1, x2))
    return torch.isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan)


@op
def where(condition, x1=None, x2=None):
    """Picks elements of `x1` where `condition` is true and of `x2` elsewhere.

    `condition`, `x1` and `x2` broadcast together; a non-boolean condition is
    true where non-zero. With only `condition` given, returns the coordinates of
    its true elements instead, as one int64 tensor of shape
    `(condition.ndim, number_of_true_elements)` (Keras on torch; NumPy returns a
    tuple of arrays).

    Args:
        condition: Boolean (or numeric) tensor.
        x1: Values where `condition` is true. Pass both `x1` and `x2` or
            neither.
        x2: Values where `condition` is false.

    Returns:
        A tensor of the broadcast shape, or the coordinates described above.

    Raises:
        ValueError: if only one of `x1` and `x2` is given.

    Example:

    >>> keras.ops.where(np.array([True, False]), np.array([1, 2]), np.array([10, 20]))
    tensor([ 1, 20])
    >>> keras.ops.where(np.array([[0, 3], [5, 0]]))
    tensor([[0, 1],
            [1, 0]])
    """
    condition = _t(condition)
    if condition.dtype != torch.bool:
        condition = condition != 0
    if x1 is None and x2 is None:
        # Keras on torch: one (rank, count) int64 tensor of coordinates
        return torch.stack(torch.where(condition), dim=0)
    if x1 is None or x2 is None:
        raise ValueError("where(): pass both `x1` and `x2`, or neither.")
    return torch.where(condition, convert_to_tensor(x1), convert_to_tensor(x2))


# -- reductions -------------------------------------------------------------
def _reduce_all(out, x, keepdims):
    return out.reshape((1,) * x.dim()) if keepdims else out


@op
def mean(x, axis=None, keepdims=False):
    """Arithmetic mean along the given axes.

    Integer and boolean inputs are averaged in `floatx()`.

    Args:
        x: Input tensor.
        axis: An int or a tuple of ints: the axes to average over (negative
            values count from the end). `None` (default) averages all elements.
        keepdims: If `True`, the reduced axes are kept with length 1, so the
            result broadcasts against `x`. Default `False`.

    Returns:
        A floating-point tensor.

    Example:

    >>> x = np.array([[1.0, 2.0], [3.0, 5.0]])
    >>> keras.ops.mean(x)
    tensor(2.7500)
    >>> keras.ops.mean(x, axis=0)
    tensor([2.0000, 3.5000])
    >>> keras.ops.mean(x, axis=1, keepdims=True).shape
    torch.Size([2, 1])
    """
    x = _to_float(_t(x))
    axis = _axis(axis)
    if axis is None:
        return _reduce_all(torch.mean(x), x, keepdims)
    return torch.mean(x, dim=axis, keepdim=keepdims)


@op
def sum(x, axis=None, keepdims=False):
    """Sum of the elements along the given axes.

    Booleans and 8/16-bit integers are summed as int32; other dtypes keep their
    dtype (int64 stays int64, floats stay floats). A list or tuple of tensors is
    stacked first. `axis=()` returns `x` unchanged.

    Args:
        x: Input tensor.
        axis: An int or a tuple of ints: the axes to sum over. `None`
            (default) sums all elements.
        keepdims: If `True`, the reduced axes are kept with length 1. Default
            `False`.

    Returns:
        A tensor with the reduced axes removed (or of length 1).

    Example:

    >>> x = np.array([[1, 2], [3, 4]], dtype="int32")
    >>> keras.ops.sum(x)
    tensor(10, dtype=torch.int32)
    >>> keras.ops.sum(x, axis=1)
    tensor([3, 7], dtype=torch.int32)
    >>> keras.ops.sum(np.array([True, True, False]))
    tensor(2, dtype=torch.int32)
    """
    if isinstance(x, (list, tuple)):
        x = stack(x)
    x = _t(x)
    axis = _axis(axis)
    if axis == ():
        return x
    dt = torch.int32 if x.dtype in _SMALL_INTS else (
        x.dtype if not (x.is_floating_point() or x.is_complex()) else None)
    if axis is None:
        return _reduce_all(torch.sum(x, dtype=dt), x, keepdims)
    return torch.sum(x, dim=axis, keepdim=keepdims, dtype=dt)


@op
def prod(x, axis=None, keepdims=False, dtype=None):
    """Product of the elements along the given axes.

    Without `dtype`, booleans and 8/16-bit integers are multiplied as int32 and
    64-bit dtypes give their 32-bit counterpart (Keras's dtype rule); float16 is
    multiplied in float32 on CPU.

    Args:
        x: Input tensor.
        axis: An int or a tuple of ints: the axes to reduce (negative values
            count from the end). `None` (default) reduces all elements.
        keepdims: If `True`, the reduced axes are kept with length 1, so the
            result broadcasts against `x`. Default `False`.
        dtype: Dtype of the result (and of the multiplication), or `None`.

    Returns:
        A tensor with the reduced axes removed (or of length 1).

    Example:

    >>> keras.ops.prod(np.array([[1, 2], [3, 4]], dtype="int32"), axis=0)
    tensor([3, 8], dtype=torch.int32)
    >>> keras.ops.prod(np.array([1.5, 2.0]))
    tensor(3.)
    """
    x = _t(x)
    if dtype is None:
        name = result_type(x.dtype)
        if name in ("bool", "int8", "int16", "uint8"):
            name = "int32"
    else:
        name = dtypes.name_of(dtype)
    dt = dtypes.to_torch(name)
    compute = torch.float32 if dt == torch.float16 and x.device.type == "cpu" else dt
    axis = _axis(axis)
    if axis is None:
        return _reduce_all(torch.prod(x, dtype=compute).to(dt), x, keepdims)
    axes = (axis,) if isinstance(axis, int) else axis
    for a in sorted((a % x.dim() for a in axes), reverse=True):
        x = torch.prod(x, dim=a, keepdim=keepdims, dtype=compute).to(dt)
    return x


def _minmax(fn, extreme, x, axis, keepdims, initial):
    x = _t(x)
    axis = _axis(axis)
    if axis is None:
        out = _reduce_all(fn(x), x, keepdims)
    else:
        out = fn(x, dim=axis, keepdim=keepdims)
    if initial is not None:
        out = extreme(out, torch.as_tensor(initial, dtype=out.dtype, device=out.device))
    return out


@op
def max(x, axis=None, keepdims=False, initial=None):
    """Maximum of the elements along the given axes.

    NaN propagates (a slice containing NaN gives NaN). Reducing an empty
    tensor is an error. `amax` is the same function.

    Args:
        x: Input tensor.
        axis: An int or a tuple of ints: the axes to reduce (negative values
            count from the end). `None` (default) reduces all elements.
        keepdims: If `True`, the reduced axes are kept with length 1, so the
            result broadcasts against `x`. Default `False`.
        initial: Optional scalar; when given, the result is at least `initial`
            (it takes part in the reduction, as in NumPy).

    Returns:
        A tensor of the dtype of `x`.

    Example:

    >>> x = np.array([[1, 7], [4, 2]], dtype="int32")
    >>> keras.ops.max(x)
    tensor(7, dtype=torch.int32)
    >>> keras.ops.max(x, axis=1)
    tensor([7, 4], dtype=torch.int32)
    >>> keras.ops.max(x, initial=9)
    tensor(9, dtype=torch.int32)
    """
    return _minmax(torch.amax, torch.maximum, x, axis, keepdims, initial)


@op
def min(x, axis=None, keepdims=False, initial=None):
    """Minimum of the elements along the given axes.

    NaN propagates (a slice containing NaN gives NaN). Reducing an empty
    tensor is an error. `amin` is the same function.

    Args:
        x: Input tensor.
        axis: An int or a tuple of ints: the axes to reduce (negative values
            count from the end). `None` (default) reduces all elements.
        keepdims: If `True`, the reduced axes are kept with length 1, so the
            result broadcasts against `x`. Default `False`.
        initial: Optional scalar; when given, the result is at most `initial`
            (it takes part in the reduction, as in NumPy).

    Returns:
        A tensor of the dtype of `x`.

    Example:

    >>> x = np.array([[1, 7], [4, 2]], dtype="int32")
    >>> keras.ops.min(x)
    tensor(1, dtype=torch.int32)
    >>> keras.ops.min(x, axis=1)
    tensor([1, 2], dtype=torch.int32)
    >>> keras.ops.min(x, initial=0)
    tensor(0, dtype=torch.int32)
    """
    return _minmax(torch.amin, torch.minimum, x, axis, keepdims, initial)


amax = max
amin = min


@op
def any(x, axis=None, keepdims=False):
    """Logical OR of the elements along the given axes.

    Non-zero values count as true, for every input dtype.

    Args:
        x: Input tensor.
        axis: An int or a tuple of ints: the axes to reduce (negative values
            count from the end). `None` (default) reduces all elements.
        keepdims: If `True`, the reduced axes are kept with length 1, so the
            result broadcasts against `x`. Default `False`.

    Returns:
        A boolean tensor.

    Example:

    >>> x = np.array([[0, 1], [0, 0]])
    >>> keras.ops.any(x)
    tensor(True)
    >>> keras.ops.any(x, axis=1)
    tensor([ True, False])
    """
    x = _t(x)
    if x.dtype != torch.bool:
        x = x != 0
    axis = _axis(axis)
    if axis is None:
        return _reduce_all(torch.any(x), x, keepdims)
    return torch.any(x, dim=axis, keepdim=keepdims)


@op
def all(x, axis=None, keepdims=False):
    """Logical AND of the elements along the given axes.

    Non-zero values count as true, for every input dtype.

    Args:
        x: Input tensor.
        axis: An int or a tuple of ints: the axes to reduce (negative values
            count from the end). `None` (default) reduces all elements.
        keepdims: If `True`, the reduced axes are kept with length 1, so the
            result broadcasts against `x`. Default `False`.

    Returns:
        A boolean tensor.

    Example:

    >>> x = np.array([[0, 1], [0, 0]])
    >>> keras.ops.all(x)
    tensor(False)
    >>> keras.ops.all(x, axis=1)
    tensor([False, False])
    """
    x = _t(x)
    if x.dtype != torch.bool:
        x = x != 0
    axis = _axis(axis)
    if axis is None:
        return _reduce_all(torch.all(x), x, keepdims)
    return torch.all(x, dim=axis, keepdim=keepdims)


@op
def argmax(x, axis=None, keepdims=False):
    """Index of the maximum along an axis.

    On ties the first index is returned. Booleans compare as 0/1.

    Args:
        x: Input tensor.
        axis: The axis to search along. `None` (default) searches the flattened
            tensor and returns a flat index.
        keepdims: If `True`, the reduced axis is kept with length 1 (with
            `axis=None`, every axis). Default `False`.

    Returns:
        An int32 tensor of indices.

    Example:

    >>> x = np.array([[1, 9, 3], [8, 2, 8]])
    >>> keras.ops.argmax(x)
    tensor(1, dtype=torch.int32)
    >>> keras.ops.argmax(x, axis=1)
    tensor([1, 0], dtype=torch.int32)
    """
    x = _t(x)
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    if axis is None and keepdims:
        return torch.argmax(x).reshape((1,) * x.dim()).to(torch.int32)
    return torch.argmax(x, dim=axis, keepdim=keepdims).to(torch.int32)


@op
def argmin(x, axis=None, keepdims=False):
    """Index of the minimum along an axis.

    On ties the first index is returned. Booleans compare as 0/1.

    Args:
        x: Input tensor.
        axis: The axis to search along. `None` (default) searches the flattened
            tensor and returns a flat index.
        keepdims: If `True`, the reduced axis is kept with length 1 (with
            `axis=None`, every axis). Default `False`.

    Returns:
        An int32 tensor of indices.

    Example:

    >>> x = np.array([[1, 9, 3], [8, 2, 8]])
    >>> keras.ops.argmin(x)
    tensor(0, dtype=torch.int32)
    >>> keras.ops.argmin(x, axis=1)
    tensor([0, 1], dtype=torch.int32)
    """
    x = _t(x)
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    if axis is None and keepdims:
        return torch.argmin(x).reshape((1,) * x.dim()).to(torch.int32)
    return torch.argmin(x, dim=axis, keepdim=keepdims).to(torch.int32)


@op
def var(x, axis=None, keepdims=False):
    """Variance along the given axes: `mean((x - mean(x))**2)`.

    The population statistic (divides by `n`, no Bessel correction), as
    `numpy.var` with its default `ddof=0`. Integer inputs are computed in
    `floatx()`.

    Args:
        x: Input tensor.
        axis: An int or a tuple of ints: the axes to reduce (negative values
            count from the end). `None` (default) reduces all elements.
        keepdims: If `True`, the reduced axes are kept with length 1, so the
            result broadcasts against `x`. Default `False`.

    Returns:
        A floating-point tensor.

    Example:

    >>> keras.ops.var(np.array([[1.0, 2.0], [3.0, 6.0]]), axis=0)
    tensor([1., 4.])
    """
    x = _to_float(_t(x))
    axis = _axis(axis)
    if axis is None:
        return _reduce_all(torch.var(x, correction=0), x, keepdims)
    return torch.var(x, dim=axis, keepdim=keepdims, correction=0)


@op
def std(x, axis=None, keepdims=False):
    """Standard deviation along the given axes: `sqrt(mean((x - mean(x))**2))`.

    The population statistic (divides by `n`, no Bessel correction), as
    `numpy.std` with its default `ddof=0`. Integer inputs are computed in
    `floatx()`.

    Args:
        x: Input tensor.
        axis: An int or a tuple of ints: the axes to reduce (negative values
            count from the end). `None` (default) reduces all elements.
        keepdims: If `True`, the reduced axes are kept with length 1, so the
            result broadcasts against `x`. Default `False`.

    Returns:
        A floating-point tensor.

    Example:

    >>> keras.ops.std(np.array([[1.0, 2.0], [3.0, 6.0]]), axis=0)
    tensor([1., 2.])
    """
    x = _to_float(_t(x))
    axis = _axis(axis)
    if axis is None:
        return _reduce_all(torch.std(x, correction=0), x, keepdims)
    return torch.std(x, dim=axis, keepdim=keepdims, correction=0)


@op
def average(x, axis=None, weights=None):
    """Weighted mean along an axis: `sum(x * weights) / sum(weights)`.

    Without `weights` this is `mean(x, axis)`. Integer inputs are computed in
    `floatx()`.

    Args:
        x: Input tensor.
        axis: The axis to average over, or `None` (default) for all elements.
        weights: Optional weights: either of the shape of `x` (or broadcastable
            to it), or 1-D with the length of `x` along `axis`.

    Returns:
        A floating-point tensor with `axis` removed.

    Example:

    >>> x = np.array([[1.0, 2.0], [3.0, 4.0]])
    >>> keras.ops.average(x, axis=1, weights=np.array([3.0, 1.0]))
    tensor([1.2500, 3.2500])
    """
    x = _to_float(_t(x))
    if weights is None:
        return mean(x, axis=axis)
    w = _t(weights).to(x.dtype)
    if axis is not None and w.dim() == 1 and x.dim() > 1:
        shape_ = [1] * x.dim()
        shape_[axis] = -1
        w = w.reshape(shape_)
    return torch.sum(x * w, dim=axis) / torch.sum(w * torch.ones_like(x), dim=axis)


def _cumulative(fn, x, axis, dtype):
    x = _t(x)
    if axis is None:
        x, axis = x.flatten(), 0
    name = result_type(dtype or x.dtype)
    if name == "bool":
        name = "int32"
    if name == "float16" and x.device.type == "cpu":
        return fn(x, dim=axis, dtype=torch.float32).to(torch.float16)
    return fn(x, dim=axis, dtype=dtypes.to_torch(name))


@op
def cumsum(x, axis=None, dtype=None):
    """Cumulative sum along an axis.

    The result dtype is `dtype` when given, else the input's, except that
    booleans accumulate as int32 and 64-bit dtypes give their 32-bit counterpart
    (Keras on torch); float16 is accumulated in float32 on CPU.

    Args:
        x: Input tensor.
        axis: The axis to accumulate along. `None` (default) flattens `x` first.
        dtype: Optional dtype of the result.

    Returns:
        A tensor of the shape of `x` (1-D when `axis` is `None`).

    Example:

    >>> keras.ops.cumsum(np.array([[1, 2], [3, 4]], dtype="int32"), axis=1)
    tensor([[1, 3],
            [3, 7]], dtype=torch.int32)
    >>> keras.ops.cumsum(np.array([[1, 2], [3, 4]], dtype="int32"))
    tensor([ 1,  3,  6, 10], dtype=torch.int32)
    """
    return _cumulative(torch.cumsum, x, axis, dtype)


@op
def cumprod(x, axis=None, dtype=None):
    """Cumulative product along an axis.

    The result dtype is `dtype` when given, else the input's, except that
    booleans accumulate as int32 and 64-bit dtypes give their 32-bit counterpart
    (Keras on torch); float16 is accumulated in float32 on CPU.

    Args:
        x: Input tensor.
        axis: The axis to accumulate along. `None` (default) flattens `x` first.
        dtype: Optional dtype of the result.

    Returns:
        A tensor of the shape of `x` (1-D when `axis` is `None`).

    Example:

    >>> keras.ops.cumprod(np.array([[1, 2], [3, 4]], dtype="int32"), axis=1)
    tensor([[ 1,  2],
            [ 3, 12]], dtype=torch.int32)
    >>> keras.ops.cumprod(np.array([[1, 2], [3, 4]], dtype="int32"))
    tensor([ 1,  2,  6, 24], dtype=torch.int32)
    """
    return _cumulative(torch.cumprod, x, axis, dtype)


@op
def count_nonzero(x, axis=None):
    """Number of non-zero elements along the given axes.

    Args:
        x: Input tensor.
        axis: An int or a tuple of ints, or `None` (default) to count over all
            elements.

    Returns:
        An int32 tensor.

    Example:

    >>> keras.ops.count_nonzero(np.array([[0, 1, 2], [0, 0, 3]]), axis=1)
    tensor([2, 1], dtype=torch.int32)
    """
    return torch.count_nonzero(_t(x), dim=_axis(axis)).to(torch.int32)


@op
def logsumexp(x, axis=None, keepdims=False):
    """`log(sum(exp(x)))` along the given axes, computed without overflow.

    The maximum is subtracted before exponentiating, so large inputs are fine.
    Integer inputs are computed in `floatx()`.

    Args:
        x: Input tensor.
        axis: An int or a tuple of ints: the axes to reduce (negative values
            count from the end). `None` (default) reduces all elements.
        keepdims: If `True`, the reduced axes are kept with length 1, so the
            result broadcasts against `x`. Default `False`.

    Returns:
        A floating-point tensor.

    Example:

    >>> keras.ops.logsumexp(np.array([1000.0, 1000.0]))
    tensor(1000.6932)
    """
    x = _to_float(_t(x))
    axis = _axis(axis)
    if axis is None:
        axis = tuple(range(x.dim()))
    return torch.logsumexp(x, dim=axis, keepdim=keepdims)


@op
def norm(x, ord=None, axis=None, keepdims=False):
    """Vector or matrix norm (the `numpy.linalg.norm` conventions).

    With `axis` an int (or `None` on a 1-D input) a vector norm; with `axis` a
    pair of ints (or `None` on a 2-D input) a matrix norm. With `ord=None` and
    `axis=None` the 2-norm of the flattened tensor, whatever its rank. Integer
    inputs are computed in `floatx()`.

    Args:
        x: Input tensor.
        ord: Order of the norm: for vectors any number, `inf` or `-inf`
            (`None` is 2); for matrices `"fro"`, `"nuc"`, `1`, `-1`, `2`, `-2`,
            `inf`, `-inf` (`None` is `"fro"`).
        axis: An int (vector norm), a pair of ints (matrix norm) or `None`.
        keepdims: If `True`, the reduced axes are kept with length 1.

    Returns:
        A floating-point tensor.

    Raises:
        ValueError: if `ord` is given without `axis` for an input of rank > 2.

    Example:

    >>> keras.ops.norm(np.array([3.0, 4.0]))
    tensor(5.)
    >>> keras.ops.norm(np.array([[1.0, -2.0], [3.0, 4.0]]), ord=1, axis=1)
    tensor([3., 7.])
    """
    x = _to_float(_t(x))
    axis = _axis(axis)
    if axis is None and ord is not None and x.dim() > 2:
        raise ValueError("norm(): `ord` needs `axis` for inputs of rank > 2.")
    return torch.linalg.norm(x, ord=ord, dim=axis, keepdim=keepdims)


# -- creation ---------------------------------------------------------------
def _creation_dtype(dtype):
    return _floatx() if dtype is None else dtypes.to_torch(dtype)


def array(x, dtype=None):
    """A tensor holding the values of `x`.

    The same conversion as `convert_to_tensor`: Python floats and float64
    arrays become `floatx()`, Python ints int32, other NumPy dtypes are kept.

    Args:
        x: Array-like: nested lists, NumPy array, scalar, tensor or Variable.
        dtype: Optional dtype of the result.

    Returns:
        A tensor.

    Example:

    >>> keras.ops.array([[1, 2], [3, 4]])
    tensor([[1, 2],
            [3, 4]], dtype=torch.int32)
    >>> keras.ops.array([1, 2], dtype="float32")
    tensor([1., 2.])
    """
    from torkeras.ops.core import convert_to_tensor
    return convert_to_tensor(x, dtype=dtype)


def ones(shape, dtype=None):
    """A new tensor of the given shape filled with ones.

    Args:
        shape: An int or a tuple/list of ints.
        dtype: Dtype of the result; `None` (default) means `floatx()`.

    Returns:
        A tensor.

    Example:

    >>> keras.ops.ones((2, 3))
    tensor([[1., 1., 1.],
            [1., 1., 1.]])
    >>> keras.ops.ones(2, dtype="int32")
    tensor([1, 1], dtype=torch.int32)
    """
    return torch.ones(_shape_arg(shape), dtype=_creation_dtype(dtype))


def zeros(shape, dtype=None):
    """A new tensor of the given shape filled with zeros.

    Args:
        shape: An int or a tuple/list of ints.
        dtype: Dtype of the result; `None` (default) means `floatx()`.

    Returns:
        A tensor.

    Example:

    >>> keras.ops.zeros((2, 3))
    tensor([[0., 0., 0.],
            [0., 0., 0.]])
    >>> keras.ops.zeros(2, dtype="int32")
    tensor([0, 0], dtype=torch.int32)
    """
    return torch.zeros(_shape_arg(shape), dtype=_creation_dtype(dtype))


@op
def full(shape, fill_value, dtype=None):
    """A new tensor of the given shape filled with `fill_value`.

    The dtype is `dtype`, or `floatx()` when `None` whatever the type of
    `fill_value` (Keras on torch). A non-scalar `fill_value` is tiled over the
    leading axes: it must have exactly the shape of the trailing axes of
    `shape` (it is not broadcast, as on Keras's torch backend: a `(1,)` value
    for shape `(2, 3)` gives a `(2, 1)` tensor).

    Args:
        shape: An int or a tuple/list of ints.
        fill_value: A scalar, or a tensor of the shape of the trailing axes of
            `shape`.
        dtype: Dtype of the result; `None` means `floatx()`.

    Returns:
        A tensor of shape `shape`.

    Example:

    >>> keras.ops.full((2, 2), 7)
    tensor([[7., 7.],
            [7., 7.]])
    >>> keras.ops.full((2, 3), [1, 2, 3], dtype="int32")
    tensor([[1, 2, 3],
            [1, 2, 3]], dtype=torch.int32)
    """
    shape = _shape_arg(shape)
    torch_dtype = _creation_dtype(dtype)
    if isinstance(fill_value, (Tensor, np.ndarray, list, tuple, Variable)):
        value = convert_to_tensor(fill_value, torch_dtype)
        if value.dim():
            lead = len(shape) - value.dim()
            return torch.tile(value, tuple(shape[:lead]) + (1,) * value.dim())
        fill_value = value.item()
    elif isinstance(fill_value, np.generic):
        fill_value = fill_value.item()
    return torch.full(shape, fill_value, dtype=torch_dtype)


def eye(N, M=None, k=0, dtype=None):
    """A 2-D tensor with ones on a diagonal and zeros elsewhere.

    `identity` is the same function.

    Args:
        N: Number of rows.
        M: Number of columns; `None` (default) means `N`.
        k: Index of the diagonal: 0 (default) the main diagonal, positive
            values above it, negative values below.
        dtype: Dtype of the result; `None` means `floatx()`.

    Returns:
        A tensor of shape `(N, M)`.

    Example:

    >>> keras.ops.eye(2, 3, k=1)
    tensor([[0., 1., 0.],
            [0., 0., 1.]])
    """
    M = N if M is None else M
    out = torch.zeros((int(N), int(M)), dtype=_creation_dtype(dtype))
    out.diagonal(int(k)).fill_(1)
    return out


identity = eye


@op
def zeros_like(x, dtype=None):
    """A new tensor of zeros with the shape of `x`.

    Args:
        x: Tensor whose shape (and, by default, dtype) is used.
        dtype: Dtype of the result; `None` (default) keeps the dtype of `x`.

    Returns:
        A tensor of the shape of `x`.

    Example:

    >>> keras.ops.zeros_like(np.array([[1, 2, 3]], dtype="int32"))
    tensor([[0, 0, 0]], dtype=torch.int32)
    """
    x = _t(x)
    return torch.zeros_like(x, dtype=None if dtype is None else dtypes.to_torch(dtype))


@op
def ones_like(x, dtype=None):
    """A new tensor of ones with the shape of `x`.

    Args:
        x: Tensor whose shape (and, by default, dtype) is used.
        dtype: Dtype of the result; `None` (default) keeps the dtype of `x`.

    Returns:
        A tensor of the shape of `x`.

    Example:

    >>> keras.ops.ones_like(np.array([[1, 2, 3]], dtype="int32"))
    tensor([[1, 1, 1]], dtype=torch.int32)
    """
    x = _t(x)
    return torch.ones_like(x, dtype=None if dtype is None else dtypes.to_torch(dtype))


@op
def full_like(x, fill_value, dtype=None):
    """A new tensor with the shape of `x`, filled with `fill_value`.

    Args:
        x: Tensor whose shape (and, by default, dtype) is used.
        fill_value: Scalar value to fill with (converted to the result dtype:
            `full_like(int_tensor, 2.7)` holds 2).
        dtype: Dtype of the result; `None` (default) keeps the dtype of `x`.

    Returns:
        A tensor of the shape of `x`.

    Example:

    >>> keras.ops.full_like(np.zeros((2, 2)), 5.0)
    tensor([[5., 5.],
            [5., 5.]])
    """
    x = _t(x)
    return torch.full_like(x, fill_value, dtype=None if dtype is None else dtypes.to_torch(dtype))


def arange(start, stop=None, step=1, dtype=None):
    """Evenly spaced values in the half-open interval `[start, stop)`.

    Called with one argument, it is `stop` and the values start at 0. Without
    `dtype`, the result is int32 when `start`, `stop` and `step` are all
    integers, and `floatx()` otherwise.

    Args:
        start: First value (or, alone, the end of the interval).
        stop: End of the interval, excluded.
        step: Spacing between values (may be negative). Default 1.
        dtype: Optional dtype of the result.

    Returns:
        A 1-D tensor of `ceil((stop - start) / step)` values.

    Example:

    >>> keras.ops.arange(4)
    tensor([0, 1, 2, 3], dtype=torch.int32)
    >>> keras.ops.arange(1.0, 2.0, 0.25)
    tensor([1.0000, 1.2500, 1.5000, 1.7500])
    """
    if stop is None:
        start, stop = 0, start
    if dtype is None:
        is_float = builtins.any(isinstance(v, (float, np.floating)) for v in (start, stop, step))
        dtype = config.floatx() if is_float else "int32"
    return torch.arange(start, stop, step, dtype=dtypes.to_torch(dtype))


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """`num` evenly spaced values from `start` to `stop`.

    The values are computed in float64 and then cast, so they are as exact as
    the result dtype allows.

    Args:
        start: First value.
        stop: Last value (excluded when `endpoint=False`).
        num: Number of values. Default 50.
        endpoint: If `True` (default), `stop` is the last value; otherwise the
            interval is divided into `num` steps and `stop` is left out.
        retstep: If `True`, also return the spacing between values.
        dtype: Dtype of the result; `None` means `floatx()`.
        axis: Where the `num` samples go in the result when `start`/`stop`
            are arrays (as NumPy; Keras's torch backend only allows 0).
            Negative values count from the end.

    Returns:
        A 1-D tensor, or a tuple `(values, step)` when `retstep` is `True`.

    Example:

    >>> keras.ops.linspace(0, 1, 5)
    tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])
    >>> keras.ops.linspace(0, 1, 4, endpoint=False, retstep=True)
    (tensor([0.0000, 0.2500, 0.5000, 0.7500]), 0.25)
    """
    torch_dtype = _creation_dtype(dtype)
    num = int(num)
    if num < 0:
        raise ValueError(f"linspace: `num` must be non-negative; received num={num}.")
    if not (_is_scalar_like(start) and _is_scalar_like(stop)):
        return _linspace_arrays(start, stop, num, endpoint, retstep, torch_dtype, axis)
    if endpoint:
        out = torch.linspace(float(start), float(stop), num, dtype=torch.float64)
        step_ = (float(stop) - float(start)) / builtins.max(num - 1, 1)
    else:
        step_ = (float(stop) - float(start)) / num
        out = float(start) + step_ * torch.arange(num, dtype=torch.float64)
    out = out.to(torch_dtype)
    return (out, step_) if retstep else out


def _is_scalar_like(x):
    return not hasattr(x, "__len__") and getattr(x, "ndim", 0) == 0


def _linspace_arrays(start, stop, num, endpoint, retstep, torch_dtype, axis):
    """linspace between broadcast arrays: sample k is start + k * step, with the
    samples along `axis` of the result (computed in float64, then cast)."""
    start = _t(start).to(torch.float64)
    stop = _t(stop).to(torch.float64)
    start, stop = torch.broadcast_tensors(start, stop)
    divisions = (num - 1) if endpoint else num
    step_ = (stop - start) / builtins.max(divisions, 1)
    k = torch.arange(num, dtype=torch.float64).reshape((num,) + (1,) * start.ndim)
    out = start.unsqueeze(0) + k * step_.unsqueeze(0)
    if endpoint and num > 1:
        out[-1] = stop  # exact end values, as NumPy
    rank = out.ndim
    if not -rank <= axis < rank:
        raise ValueError(f"linspace: `axis` {axis} is out of range for a result of rank {rank}.")
    out = torch.movedim(out, 0, axis % rank).to(torch_dtype)
    return (out, step_.to(torch_dtype)) if retstep else out


# -- shape manipulation -----------------------------------------------------
@op
def reshape(x, newshape):
    """`x` with a new shape and the same elements in row-major (C) order.

    Args:
        x: Input tensor.
        newshape: An int or a tuple/list of ints whose product is the size of
            `x`. One entry may be `-1` (or `None`): its size is inferred.

    Returns:
        A tensor of shape `newshape`.

    Example:

    >>> keras.ops.reshape(keras.ops.arange(6), (2, -1))
    tensor([[0, 1, 2],
            [3, 4, 5]], dtype=torch.int32)
    """
    x = _t(x)
    newshape = (-1 if d is None else int(d) for d in
                (newshape if isinstance(newshape, (list, tuple)) else _shape_arg(newshape)))
    return torch.reshape(x, tuple(newshape))


@op
def transpose(x, axes=None):
    """Permutes the axes of `x`.

    Args:
        x: Input tensor.
        axes: A permutation of `range(x.ndim)`: axis `i` of the result is axis
            `axes[i]` of `x`. `None` (default) reverses the axes.

    Returns:
        A tensor with permuted axes.

    Example:

    >>> keras.ops.transpose(np.zeros((2, 3, 4))).shape
    torch.Size([4, 3, 2])
    >>> keras.ops.transpose(np.zeros((2, 3, 4)), axes=(0, 2, 1)).shape
    torch.Size([2, 4, 3])
    """
    x = _t(x)
    if axes is None:
        return x.permute(tuple(range(x.dim() - 1, -1, -1)))
    return x.permute(tuple(int(a) for a in axes))


@op
def swapaxes(x, axis1, axis2):
    """Exchanges two axes of `x`.

    Args:
        x: Input tensor.
        axis1: First axis.
        axis2: Second axis.

    Returns:
        A tensor with the two axes swapped.

    Example:

    >>> keras.ops.swapaxes(np.zeros((2, 3, 4)), 0, 2).shape
    torch.Size([4, 3, 2])
    """
    return torch.swapaxes(_t(x), axis1, axis2)


@op
def moveaxis(x, source, destination):
    """Moves axes of `x` to new positions; the other axes keep their order.

    Args:
        x: Input tensor.
        source: An axis or a sequence of axes to move.
        destination: The new position(s), as many as `source`.

    Returns:
        A tensor with the axes moved.

    Example:

    >>> keras.ops.moveaxis(np.zeros((2, 3, 4)), 0, -1).shape
    torch.Size([3, 4, 2])
    """
    return torch.movedim(_t(x), source, destination)


@op
def expand_dims(x, axis):
    """Inserts axes of length 1.

    Args:
        x: Input tensor.
        axis: Position of the new axis in the result, or a tuple of positions
            (negative values count from the end of the result).

    Returns:
        A tensor with `x.ndim + len(axis)` dimensions.

    Example:

    >>> keras.ops.expand_dims(np.zeros((2, 3)), 0).shape
    torch.Size([1, 2, 3])
    >>> keras.ops.expand_dims(np.zeros((2, 3)), (0, -1)).shape
    torch.Size([1, 2, 3, 1])
    """
    x = _t(x)
    if isinstance(axis, int):
        return torch.unsqueeze(x, axis)
    out_ndim = x.dim() + len(axis)
    for a in sorted(int(a) % out_ndim for a in axis):
        x = torch.unsqueeze(x, a)
    return x


@op
def squeeze(x, axis=None):
    """Removes axes of length 1.

    Args:
        x: Input tensor.
        axis: An int or a tuple of ints: the axes to remove, each of which must
            have length 1. `None` (default) removes every axis of length 1.

    Returns:
        A tensor with the axes removed.

    Raises:
        ValueError: if an axis in `axis` does not have length 1.

    Example:

    >>> keras.ops.squeeze(np.zeros((1, 3, 1))).shape
    torch.Size([3])
    >>> keras.ops.squeeze(np.zeros((1, 3, 1)), axis=0).shape
    torch.Size([3, 1])
    """
    x = _t(x)
    if axis is None:
        return torch.squeeze(x)
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    for a in axes:
        if x.shape[a] != 1:
            raise ValueError(f"squeeze(): cannot squeeze axis {a} of size {x.shape[a]} "
                             f"(shape {tuple(x.shape)}).")
    return torch.squeeze(x, dim=axes if len(axes) > 1 else axes[0])


@op
def ravel(x):
    """`x` flattened to one dimension, in row-major (C) order.

    Args:
        x: Input tensor.

    Returns:
        A 1-D tensor of `size(x)` elements.

    Example:

    >>> keras.ops.ravel(np.array([[1, 2], [3, 4]]))
    tensor([1, 2, 3, 4])
    """
    return torch.flatten(_t(x))


@op
def broadcast_to(x, shape):
    """Broadcasts `x` to a shape (NumPy broadcasting rules).

    Args:
        x: Input tensor.
        shape: The target shape: `x`'s axes are aligned from the end and each
            must be 1 or equal to the target.

    Returns:
        A tensor of shape `shape`.

    Example:

    >>> keras.ops.broadcast_to(np.array([1, 2]), (3, 2))
    tensor([[1, 2],
            [1, 2],
            [1, 2]])
    """
    return torch.broadcast_to(_t(x), _shape_arg(shape))


@op
def tile(x, repeats):
    """Repeats the whole of `x` along each axis.

    Args:
        x: Input tensor.
        repeats: An int or a sequence of ints: the number of copies along each
            axis. A sequence longer than `x.ndim` adds leading axes; a shorter
            one applies to the last axes.

    Returns:
        A tensor whose size along each axis is multiplied by its repeat count.

    Example:

    >>> keras.ops.tile(np.array([1, 2]), 2)
    tensor([1, 2, 1, 2])
    >>> keras.ops.tile(np.array([1, 2]), (2, 1))
    tensor([[1, 2],
            [1, 2]])
    """
    x = _t(x)
    repeats = _shape_arg(repeats)
    return torch.tile(x, repeats)


@op
def repeat(x, repeats, axis=None):
    """Repeats each element of `x` (`[a, b]` -> `[a, a, b, b]`).

    Args:
        x: Input tensor.
        repeats: An int (the same count for every element) or a 1-D sequence
            of counts, one per element along `axis`.
        axis: The axis to repeat along. `None` (default) flattens `x` first.

    Returns:
        A tensor.

    Example:

    >>> keras.ops.repeat(np.array([1, 2]), 2)
    tensor([1, 1, 2, 2])
    >>> keras.ops.repeat(np.array([[1, 2], [3, 4]]), [1, 2], axis=0)
    tensor([[1, 2],
            [3, 4],
            [3, 4]])
    """
    x = _t(x)
    if isinstance(repeats, (list, tuple, np.ndarray)):
        repeats = _t(repeats).to(torch.int64)
    return torch.repeat_interleave(x, repeats, dim=axis)


@op
def flip(x, axis=None):
    """Reverses the order of elements along the given axes.

    Args:
        x: Input tensor.
        axis: An int or a tuple of ints; `None` (default) reverses every axis.

    Returns:
        A tensor of the shape of `x`.

    Example:

    >>> keras.ops.flip(np.array([[1, 2], [3, 4]]), axis=1)
    tensor([[2, 1],
            [4, 3]])
    """
    x = _t(x)
    axis = tuple(range(x.dim())) if axis is None else _axis(axis)
    return torch.flip(x, dims=(axis,) if isinstance(axis, int) else axis)


@op
def concatenate(xs, axis=0):
    """Joins a sequence of tensors along an existing axis.

    Args:
        xs: A list or tuple of tensors with equal shapes except along `axis`.
        axis: The axis to join along. Default 0. `None` flattens every tensor
            first.

    Returns:
        A tensor.

    Example:

    >>> keras.ops.concatenate([np.ones((2, 1)), np.zeros((2, 2))], axis=1).shape
    torch.Size([2, 3])
    """
    xs = [_t(x) for x in xs]
    if axis is None:
        return torch.cat([x.flatten() for x in xs])
    return torch.cat(xs, dim=axis)


@op
def stack(x, axis=0):
    """Joins a sequence of tensors of equal shape along a new axis.

    Args:
        x: A list or tuple of tensors of the same shape.
        axis: Position of the new axis in the result. Default 0.

    Returns:
        A tensor with one more dimension than the inputs.

    Example:

    >>> keras.ops.stack([np.array([1, 2]), np.array([3, 4])], axis=1)
    tensor([[1, 3],
            [2, 4]])
    """
    return torch.stack([_t(i) for i in x], dim=axis)


@op
def split(x, indices_or_sections, axis=0):
    """Splits `x` along an axis into several tensors.

    Args:
        x: Input tensor.
        indices_or_sections: An int `n`: `n` equal parts (the axis length must
            be divisible by `n`); or a sorted sequence of indices at which to
            cut (`[2, 5]` gives `x[:2]`, `x[2:5]`, `x[5:]`).
        axis: The axis to split. Default 0.

    Returns:
        A list of tensors.

    Raises:
        ValueError: if the axis does not divide into `n` equal parts.

    Example:

    >>> [t.shape for t in keras.ops.split(np.zeros((6, 2)), 3)]
    [torch.Size([2, 2]), torch.Size([2, 2]), torch.Size([2, 2])]
    >>> keras.ops.split(keras.ops.arange(5), [2, 3])
    [tensor([0, 1], dtype=torch.int32), tensor([2], dtype=torch.int32), tensor([3, 4], dtype=torch.int32)]
    """
    x = _t(x)
    n = x.shape[axis]
    if isinstance(indices_or_sections, int):
        if n % indices_or_sections:
            raise ValueError(f"split(): axis of size {n} does not divide into "
                             f"{indices_or_sections} equal sections.")
        return list(torch.split(x, n // indices_or_sections, dim=axis))
    bounds = [0] + [int(i) for i in indices_or_sections] + [n]
    sizes = [b - a for a, b in zip(bounds[:-1], bounds[1:])]
    return list(torch.split(x, sizes, dim=axis))


@op
def pad(x, pad_width, mode="constant", constant_values=None):
    """Pads a tensor, with NumPy's padding modes for any rank.

    Args:
        x: Input tensor.
        pad_width: Number of values to add before and after each axis: a
            `((before, after), ...)` sequence with one pair per axis, a single
            `(before, after)` pair for every axis, or one int for everything.
            Must be non-negative.
        mode: `"constant"` (default) pads with `constant_values`; `"reflect"`
            mirrors without repeating the edge value; `"symmetric"` mirrors
            including the edge; `"edge"` repeats the edge value; `"wrap"`
            continues periodically from the other side.
        constant_values: The padding value for `mode="constant"` (default 0);
            an error with any other mode.

    Returns:
        A tensor whose axes are longer by `before + after`.

    Raises:
        ValueError: for an unknown `mode`, a `pad_width` that does not fit
            the rank of `x` or is negative, or `constant_values` with a
            non-constant mode.

    Example:

    >>> keras.ops.pad(np.array([1, 2, 3]), (1, 2))
    tensor([0, 1, 2, 3, 0, 0])
    >>> keras.ops.pad(np.array([1, 2, 3]), (2, 2), mode="reflect")
    tensor([3, 2, 1, 2, 3, 2, 1])
    """
    x = _t(x)
    if mode not in ("constant", "reflect", "symmetric", "edge", "wrap"):
        raise ValueError(f"pad(): `mode` must be one of 'constant', 'reflect', 'symmetric', "
                         f"'edge', 'wrap'; received mode={mode!r}.")
    if constant_values is not None and mode != "constant":
        raise ValueError(f"pad(): `constant_values` needs mode='constant'; received "
                         f"mode={mode!r}.")
    try:
        pw = np.broadcast_to(np.asarray(pad_width, dtype=np.int64), (x.dim(), 2))
    except ValueError:
        raise ValueError(f"pad(): `pad_width` must be (before, after) pairs for the {x.dim()} "
                         f"axes of `x`; received pad_width={pad_width!r}.") from None
    if (pw < 0).any():
        raise ValueError(f"pad(): `pad_width` must be non-negative; received {pad_width!r}.")
    if mode == "constant":
        flat = []
        for before, after in pw[::-1]:
            flat.extend([int(before), int(after)])
        value = 0 if constant_values is None else constant_values
        if isinstance(value, (Tensor, np.ndarray, np.generic)):
            value = _t(value).item()
        return torch.nn.functional.pad(x, flat, value=value)
    # The other modes gather from `x`: NumPy's own padding of the positions
    # 0..n-1 gives, for each padded position, the index it copies.
    for axis, (before, after) in enumerate(pw):
        if before == 0 and after == 0:
            continue
        n = x.shape[axis]
        if n == 0:
            raise ValueError(f"pad(): cannot pad an empty axis with mode={mode!r}.")
        source = np.pad(np.arange(n), (int(before), int(after)), mode=mode)
        x = torch.index_select(x, axis, torch.as_tensor(source, device=x.device))
    return x


@op
def triu(x, k=0):
    """The upper triangle of the last two axes of `x`; the other entries are zero.

    Entry `[..., i, j]` is kept when `j - i >= k`.

    Args:
        x: Tensor of rank >= 2 (a matrix or a batch of matrices).
        k: Diagonal offset: 0 (default) is the main diagonal, positive values
            are above it, negative values below.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.ops.triu(np.ones((3, 3), dtype="int32"))
    tensor([[1, 1, 1],
            [0, 1, 1],
            [0, 0, 1]], dtype=torch.int32)
    """
    return torch.triu(_t(x), diagonal=k)


@op
def tril(x, k=0):
    """The lower triangle of the last two axes of `x`; the other entries are zero.

    Entry `[..., i, j]` is kept when `j - i <= k`.

    Args:
        x: Tensor of rank >= 2 (a matrix or a batch of matrices).
        k: Diagonal offset: 0 (default) is the main diagonal, positive values
            are above it, negative values below.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.ops.tril(np.ones((3, 3), dtype="int32"))
    tensor([[1, 0, 0],
            [1, 1, 0],
            [1, 1, 1]], dtype=torch.int32)
    """
    return torch.tril(_t(x), diagonal=k)


@op
def diagonal(x, offset=0, axis1=0, axis2=1):
    """A diagonal of the 2-D planes of `x` spanned by `axis1` and `axis2`.

    Args:
        x: Tensor of rank >= 2.
        offset: Which diagonal: 0 (default) the main one, positive above it,
            negative below.
        axis1: First axis of the planes. Default 0.
        axis2: Second axis of the planes. Default 1.

    Returns:
        A tensor with `axis1` and `axis2` removed and the diagonal appended as
        the last axis.

    Example:

    >>> keras.ops.diagonal(np.array([[1, 2], [3, 4]]))
    tensor([1, 4])
    >>> keras.ops.diagonal(np.array([[1, 2], [3, 4]]), offset=1)
    tensor([2])
    """
    return torch.diagonal(_t(x), offset=offset, dim1=axis1, dim2=axis2)


@op
def trace(x, offset=0, axis1=0, axis2=1):
    """Sum along a diagonal of the 2-D planes spanned by `axis1` and `axis2`.

    Booleans and 8/16-bit integers are summed as int32.

    Args:
        x: Tensor of rank >= 2.
        offset: Which diagonal: 0 (default) the main one, positive above it,
            negative below.
        axis1: First axis of the planes. Default 0.
        axis2: Second axis of the planes. Default 1.

    Returns:
        A tensor with `axis1` and `axis2` removed.

    Example:

    >>> keras.ops.trace(np.array([[1, 2], [3, 4]], dtype="int32"))
    tensor(5, dtype=torch.int32)
    """
    x = _t(x)
    dt = torch.int32 if x.dtype in _SMALL_INTS else x.dtype
    return torch.sum(torch.diagonal(x, offset=offset, dim1=axis1, dim2=axis2), dim=-1, dtype=dt)


@op
def cast(x, dtype):
    """Converts `x` to another dtype.

    Float to integer truncates toward zero; any non-zero value becomes `True` as
    bool. When `x` already has the dtype it is returned as is (not copied).

    Args:
        x: Input tensor or array-like.
        dtype: Target dtype: a Keras name such as `"int32"`, or a torch/NumPy
            dtype.

    Returns:
        A tensor of dtype `dtype`.

    Example:

    >>> keras.ops.cast(np.array([1.7, -1.7]), "int32")
    tensor([ 1, -1], dtype=torch.int32)
    """
    x = _t(x)
    torch_dtype = dtypes.to_torch(dtype)
    return x if x.dtype == torch_dtype else x.to(torch_dtype)


@op
def stop_gradient(variable):
    """The value of `variable` cut off from gradient computation.

    The result holds the same values but gradients do not flow back through it
    (it is a detached tensor).

    Args:
        variable: A tensor or Variable.

    Returns:
        A tensor with the same values, excluded from differentiation.

    Example:

    >>> import torch
    >>> w = torch.tensor(2.0, requires_grad=True)
    >>> keras.ops.stop_gradient(w * 3).requires_grad
    False
    """
    return _t(variable).detach()


@op
def getitem(x, key):
    """`x[key]`: NumPy-style indexing and slicing.

    Args:
        x: Input tensor.
        key: An int, slice, `None`, `Ellipsis`, an integer or boolean index
            array (NumPy arrays and lists are converted to tensors), or a tuple
            of these.

    Returns:
        The selected elements.

    Example:

    >>> x = np.array([[1, 2, 3], [4, 5, 6]])
    >>> keras.ops.getitem(x, (slice(None), 1))
    tensor([2, 5])
    >>> keras.ops.getitem(x, np.array([1, 0]))
    tensor([[4, 5, 6],
            [1, 2, 3]])
    """
    x = _t(x)
    return x[_index_key(key)]


def _index_key(key):
    if isinstance(key, tuple):
        return tuple(_index_key(k) for k in key)
    if isinstance(key, (np.ndarray, list, Variable)):
        return _t(key)
    return key


# -- sorting and indexing ---------------------------------------------------
@op
def sort(x, axis=-1):
    """`x` sorted in ascending order along an axis.

    NaN sorts after every number.

    Args:
        x: Input tensor.
        axis: The axis to sort along. Default -1 (the last).

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.ops.sort(np.array([[3, 1, 2], [9, 7, 8]]))
    tensor([[1, 2, 3],
            [7, 8, 9]])
    """
    return torch.sort(_t(x), dim=axis).values


@op
def argsort(x, axis=-1):
    """The indices that sort `x` in ascending order along an axis.

    The sort is stable: equal values keep their original order. Booleans sort
    as 0/1.

    Args:
        x: Input tensor.
        axis: The axis to sort along. Default -1. `None` sorts the flattened
            tensor.

    Returns:
        An int32 tensor of indices (1-D when `axis` is `None`).

    Example:

    >>> keras.ops.argsort(np.array([30, 10, 20, 10]))
    tensor([1, 3, 2, 0], dtype=torch.int32)
    """
    x = _t(x)
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    if axis is None:
        x, axis = x.flatten(), 0
    return torch.argsort(x, dim=axis, stable=True).to(torch.int32)


@op
def take(x, indices, axis=None):
    """Elements of `x` at the given indices along an axis.

    Negative indices count from the end. The result shape is
    `x.shape[:axis] + indices.shape + x.shape[axis+1:]`.

    Args:
        x: Input tensor.
        indices: Integer tensor of indices (any shape).
        axis: The axis to index. `None` (default) indexes the flattened tensor.

    Returns:
        A tensor of the dtype of `x`.

    Example:

    >>> x = np.array([[1, 2, 3], [4, 5, 6]])
    >>> keras.ops.take(x, [0, -1], axis=1)
    tensor([[1, 3],
            [4, 6]])
    >>> keras.ops.take(x, [[0, 5]])
    tensor([[1, 6]])
    """
    x = _t(x)
    indices = _t(indices).to(torch.int64)
    if axis is None:
        x, axis = x.flatten(), 0
    axis = axis % x.dim()
    n = x.shape[axis]
    indices = torch.where(indices < 0, indices + n, indices)
    out = torch.index_select(x, axis, indices.flatten())
    return out.reshape(tuple(x.shape[:axis]) + tuple(indices.shape) + tuple(x.shape[axis + 1:]))


@op
def take_along_axis(x, indices, axis=None):
    """Elements of `x` picked along an axis by an index tensor of matching shape.

    `result[..., i, ...] = x[..., indices[..., i, ...], ...]` along `axis`: the
    pattern of gathering with the output of `argsort` or `argmax(keepdims=True)`.
    `indices` must have the rank of `x`; its other axes broadcast with those of
    `x`. Negative indices count from the end.

    Args:
        x: Input tensor.
        indices: Integer tensor of the rank of `x`.
        axis: The axis to index along. `None` (default) flattens `x` (then
            `indices` must be 1-D).

    Returns:
        A tensor of the shape of `indices` (after broadcasting).

    Example:

    >>> x = np.array([[10, 30, 20], [60, 40, 50]])
    >>> keras.ops.take_along_axis(x, keras.ops.argsort(x, axis=1), axis=1)
    tensor([[10, 20, 30],
            [40, 50, 60]])
    """
    x = _t(x)
    indices = _t(indices).to(torch.int64)
    if axis is None:
        x, axis = x.flatten(), 0
    n = x.shape[axis]
    indices = torch.where(indices < 0, indices + n, indices)
    return torch.take_along_dim(x, indices, dim=axis)


@op
def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    """Replaces NaN and infinite values with finite numbers.

    Args:
        x: Input tensor.
        nan: Replacement for NaN. Default 0.0.
        posinf: Replacement for positive infinity; `None` (default) means the
            largest finite value of the dtype.
        neginf: Replacement for negative infinity; `None` (default) means the
            most negative finite value of the dtype.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.ops.nan_to_num(np.array([np.nan, np.inf, -1.0]), posinf=9.0)
    tensor([ 0.,  9., -1.])
    """
    return torch.nan_to_num(_t(x), nan=nan, posinf=posinf, neginf=neginf)


# ============================================================================
# Keras dtype promotion (the lattice Keras 3 uses on the torch backend)
# ============================================================================
# Each dtype points to the dtypes directly above it; "int" and "float" are the
# weak types of Python scalars. The least upper bound of a set of dtypes is the
# result dtype; 64-bit results come back as 32-bit ones (Keras does the same on
# the torch backend, following JAX's default).
_PROMOTION_EDGES = {
    "bool": ("int",),
    "uint8": ("int16", "uint16"), "uint16": ("int32", "uint32"),
    "uint32": ("int64", "uint64"), "uint64": ("float",),
    "int": ("uint8", "int8", "complex64"),
    "int8": ("int16",), "int16": ("int32",), "int32": ("int64",), "int64": ("float",),
    "float": ("bfloat16", "float16"),
    "bfloat16": ("float32",), "float16": ("float32",),
    "float32": ("float64", "complex64"), "float64": ("complex128",),
    "complex64": ("complex128",), "complex128": (),
}


def _above(node):
    seen = {node}
    todo = [node]
    while todo:
        for nxt in _PROMOTION_EDGES[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return frozenset(seen)


_UPPER = {node: _above(node) for node in _PROMOTION_EDGES}
_NARROW = {"int64": "int32", "uint64": "uint32", "float64": "float32",
           "complex128": "complex64"}


def _dtype_name(value):
    """(Keras dtype name, is weak) of a dtype-like or a Python scalar type."""
    if value is int:
        return "int32", True
    if value is float:
        return "float32", True
    if value is bool:
        return "bool", False
    if isinstance(value, torch.dtype):
        return dtypes.name_of(value), False
    if isinstance(value, (np.dtype, type)):
        return np.dtype(value).name, False
    name = str(value)
    if name in ("uint16", "uint32", "uint64"):  # Keras dtypes torch has no tensors of
        return name, False
    return dtypes.name_of(value), False


def _least_upper_bound(names):
    common = frozenset.intersection(*(_UPPER[n] for n in names))
    direct = common & set(names)
    lub = direct or {c for c in common if common <= _UPPER[c]}
    if len(lub) != 1:
        raise ValueError(f"Input dtypes {tuple(names)} have no implicit dtype promotion path; "
                         "cast the inputs explicitly.")
    return next(iter(lub))


def result_type(*dtypes_):
    """The dtype Keras's type promotion gives for combining values of these dtypes.

    The rules of Keras 3 on the torch backend (a lattice in the style of JAX):
    `int8` with `uint8` gives `int16`, any integer with a float gives the float,
    Python `int`/`float` are weak types that do not widen a tensor dtype
    (`int8` with `int` stays `int8`), and 64-bit results come back as 32-bit
    ones. With no arguments the result is `floatx()`; `None` stands for
    `floatx()`.

    Args:
        *dtypes_: Keras dtype names, torch or NumPy dtypes, or the Python types
            `int`, `float` and `bool` for weakly typed scalars.

    Returns:
        A Keras dtype name.

    Raises:
        ValueError: if the dtypes have no implicit promotion path.

    Example:

    >>> keras.ops.result_type("int8", "uint8")
    'int16'
    >>> keras.ops.result_type("int32", "float16")
    'float16'
    >>> keras.ops.result_type("int8", int)
    'int8'
    """
    if not dtypes_:
        return config.floatx()
    parsed = [_dtype_name(config.floatx() if d is None else d) for d in dtypes_]
    names = [n for n, _ in parsed]
    weak = [w for _, w in parsed]
    if len(parsed) == 1:
        out, out_weak = names[0], weak[0]
    elif len(set(names)) == 1 and not builtins.all(weak):
        out, out_weak = names[0], False
    elif builtins.all(weak):
        out, out_weak = _least_upper_bound(set(names)), True
    else:
        respected = set()
        for n, w in zip(names, weak):
            if w and n != "bool":
                n = "float" if "float" in n else "int"
            respected.add(n)
        out = _least_upper_bound(respected)
        out_weak = out in ("int", "float")
    if out_weak and out != "bool":
        bits = config.floatx()[-2:]
        out = {"b": "bool", "i": f"int{bits}", "u": f"uint{bits}"}.get(
            "f" if out == "bfloat16" else out[:1], f"float{bits}")
    return _NARROW.get(out, out)


def _dt(x):
    return dtypes.name_of(x.dtype)


def _cast(x, name):
    target = dtypes.to_torch(name)
    return x if x.dtype == target else x.to(target)


def _not_symbolic(name, *values):
    for v in values:
        if isinstance(v, KerasTensor):
            raise TypeError(f"{name}() does not support symbolic tensors; received {v}.")


def _check_int(name, arg, value, minimum=None):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name}(): `{arg}` must be an integer; received {arg}={value!r}.")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name}(): `{arg}` must be >= {minimum}; received {arg}={value!r}.")
    return int(value)


# ============================================================================
# Elementwise math
# ============================================================================
@op
def arccos(x):
    """Elementwise inverse cosine, in radians in `[0, pi]`.

    Values outside the domain give `nan`.

    Args:
        x: Input tensor.

    Returns:
        A floating-point tensor of the shape of `x` (integer inputs give a float result).

    Example:

    >>> keras.ops.arccos(np.array([1.0, 0.0]))
    tensor([0.0000, 1.5708])
    """
    return torch.arccos(_t(x))


@op
def arccosh(x):
    """Elementwise inverse hyperbolic cosine (defined for `x >= 1`).

    Values outside the domain give `nan`.

    Args:
        x: Input tensor.

    Returns:
        A floating-point tensor of the shape of `x` (integer inputs give a float result).

    Example:

    >>> keras.ops.arccosh(np.array([1.0, 2.0]))
    tensor([0.0000, 1.3170])
    """
    return torch.arccosh(_t(x))


@op
def arcsin(x):
    """Elementwise inverse sine, in radians in `[-pi/2, pi/2]`.

    Values outside the domain give `nan`.

    Args:
        x: Input tensor.

    Returns:
        A floating-point tensor of the shape of `x` (integer inputs give a float result).

    Example:

    >>> keras.ops.arcsin(np.array([0.0, 1.0]))
    tensor([0.0000, 1.5708])
    """
    return torch.arcsin(_t(x))


@op
def arcsinh(x):
    """Elementwise inverse hyperbolic sine.

    Values outside the domain give `nan`.

    Args:
        x: Input tensor.

    Returns:
        A floating-point tensor of the shape of `x` (integer inputs give a float result).

    Example:

    >>> keras.ops.arcsinh(np.array([0.0, 1.0]))
    tensor([0.0000, 0.8814])
    """
    return torch.arcsinh(_t(x))


@op
def arctanh(x):
    """Elementwise inverse hyperbolic tangent (defined for `|x| < 1`).

    Values outside the domain give `nan`.

    Args:
        x: Input tensor.

    Returns:
        A floating-point tensor of the shape of `x` (integer inputs give a float result).

    Example:

    >>> keras.ops.arctanh(np.array([0.0, 0.5]))
    tensor([0.0000, 0.5493])
    """
    return torch.arctanh(_t(x))


@op
def arctan2(x1, x2):
    """Elementwise angle of the point `(x2, x1)`: `arctan(x1 / x2)` in the right quadrant.

    Inputs broadcast against each other (NumPy rules). The result is in radians in `[-pi, pi]`; integer inputs give `floatx()` (float16 is computed in float32 on CPU).

    Args:
        x1: The y coordinates.
        x2: The x coordinates, broadcastable with `x1`.

    Returns:
        A floating-point tensor of the broadcast shape.

    Example:

    >>> keras.ops.arctan2(np.array([1.0, 1.0, -1.0]), np.array([1.0, -1.0, -1.0]))
    tensor([ 0.7854,  2.3562, -2.3562])
    """
    x1, x2 = _t(x1), _t(x2)
    out_dtype = result_type(x1.dtype, x2.dtype, float)
    compute = "float32" if out_dtype == "float16" and x1.device.type == "cpu" else out_dtype
    return _cast(torch.arctan2(_cast(x1, compute), _cast(x2, compute)), out_dtype)


@op
def angle(x):
    """Elementwise argument (angle in radians) of complex values.

    For real inputs, 0 for non-negative values and `pi` for negative ones.

    Args:
        x: Input tensor.

    Returns:
        A real tensor of the shape of `x`.

    Example:

    >>> keras.ops.angle(np.array([1j, -1.0 + 0j]))
    tensor([1.5708, 3.1416], dtype=torch.float64)
    >>> keras.ops.angle(np.array([-2.0, 3.0]))
    tensor([3.1416, 0.0000])
    """
    return torch.angle(_t(x))


@op
def cbrt(x):
    """Elementwise real cube root (negative for negative inputs).

    Booleans are computed as int32 and int64 as float64.

    Args:
        x: Input tensor.

    Returns:
        A floating-point tensor of the shape of `x` (integer inputs give a float result).

    Example:

    >>> keras.ops.cbrt(np.array([8.0, -27.0]))
    tensor([ 2., -3.])
    """
    x = _t(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    elif x.dtype == torch.int64:
        x = x.to(torch.float64)
    return torch.sign(x) * torch.abs(x) ** (1.0 / 3.0)


@op
def deg2rad(x):
    """Converts angles from degrees to radians (`x * pi / 180`).

    int64 inputs give float64.

    Args:
        x: Input tensor.

    Returns:
        A floating-point tensor of the shape of `x` (integer inputs give a float result).

    Example:

    >>> keras.ops.deg2rad(np.array([180.0, 90.0]))
    tensor([3.1416, 1.5708])
    """
    x = _t(x)
    out = torch.deg2rad(x)
    return out.to(torch.float64) if x.dtype == torch.int64 else out


@op
def rad2deg(x):
    """Converts angles from radians to degrees (`x * 180 / pi`).

    int64 inputs give float64.

    Args:
        x: Input tensor.

    Returns:
        A floating-point tensor of the shape of `x` (integer inputs give a float result).

    Example:

    >>> keras.ops.rad2deg(np.array([np.pi, np.pi / 2]))
    tensor([180.,  90.])
    """
    x = _t(x)
    out = torch.rad2deg(x)
    return out.to(torch.float64) if x.dtype == torch.int64 else out


@op
def exp2(x):
    """Elementwise `2 ** x`.

    Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.

    Returns:
        A floating-point tensor of the shape of `x`.

    Example:

    >>> keras.ops.exp2(np.array([0, 3]))
    tensor([1., 8.])
    """
    x = _t(x)
    if not (x.is_floating_point() or x.is_complex()):
        x = x.to(_floatx())
    return torch.exp2(x)


@op
def fabs(x):
    """Elementwise absolute value, as a floating-point tensor.

    Integer and boolean inputs are converted to `floatx()`.

    Args:
        x: Input tensor.

    Returns:
        A floating-point tensor of the shape of `x`.

    Raises:
        TypeError: for complex inputs.

    Example:

    >>> keras.ops.fabs(np.array([-2, 3]))
    tensor([2., 3.])
    """
    x = _t(x)
    if x.is_complex():
        raise TypeError(f"fabs() does not support complex inputs; received x.dtype={_dt(x)}.")
    if not x.is_floating_point():
        x = x.to(_floatx())
    return torch.abs(x)


@op
def trunc(x):
    """Elementwise rounding toward zero.

    Integer and boolean inputs are returned unchanged.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.ops.trunc(np.array([-1.7, 1.7]))
    tensor([-1.,  1.])
    """
    x = _t(x)
    return x if x.dtype == torch.bool else torch.trunc(x)


@op
def sinc(x):
    """Elementwise normalized sinc `sin(pi * x) / (pi * x)`, with value 1 at 0.

    Args:
        x: Input tensor.

    Returns:
        A floating-point tensor of the shape of `x` (integer inputs give a float result).

    Example:

    >>> keras.ops.sinc(np.array([0.0, 0.5, 1.0]))
    tensor([ 1.0000e+00,  6.3662e-01, -2.7828e-08])
    """
    return torch.sinc(_t(x))


@op
def signbit(x):
    """Elementwise test of the sign bit: true for negative values and for `-0.0`.

    Args:
        x: Input tensor.

    Returns:
        A boolean tensor of the shape of `x`.

    Example:

    >>> keras.ops.signbit(np.array([-1.0, -0.0, 0.0, 2.0]))
    tensor([ True,  True, False, False])
    """
    return torch.signbit(_t(x))


@op
def i0(x):
    """Elementwise modified Bessel function of the first kind, order 0.

    Computed in float64 for int64/float64 inputs, in the input dtype for float16/bfloat16, and in `floatx()` otherwise.

    Args:
        x: Input tensor.

    Returns:
        A floating-point tensor of the shape of `x`.

    Example:

    >>> keras.ops.i0(np.array([0.0, 1.0]))
    tensor([1.0000, 1.2661])
    """
    x = _t(x)
    name = _dt(x)
    if name in ("int64", "float64"):
        name = "float64"
    elif name not in ("bfloat16", "float16"):
        name = config.floatx()
    return torch.i0(_cast(x, name))


@op
def conjugate(x):
    """Elementwise complex conjugate.

    Real inputs are returned unchanged. `conj` is the same operation.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.ops.conjugate(np.array([1 + 2j]))
    tensor([1.-2.j], dtype=torch.complex128)
    """
    return torch.conj(_t(x)).resolve_conj()


@op
def conj(x):
    """Elementwise complex conjugate (the same operation as `conjugate`).

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.ops.conj(np.array([1 - 1j]))
    tensor([1.+1.j], dtype=torch.complex128)
    """
    return torch.conj(_t(x)).resolve_conj()


@op
def real(x):
    """Elementwise real part.

    Real inputs are returned unchanged.

    Args:
        x: Input tensor.

    Returns:
        A real tensor of the shape of `x`.

    Example:

    >>> keras.ops.real(np.array([1 + 2j]))
    tensor([1.], dtype=torch.float64)
    """
    return torch.real(_t(x))


@op
def imag(x):
    """Elementwise imaginary part of complex values.

    The input must be complex (torch has no imaginary part of a real tensor).

    Args:
        x: Input tensor.

    Returns:
        A real tensor of the shape of `x`.

    Example:

    >>> keras.ops.imag(np.array([1 + 2j]))
    tensor([2.], dtype=torch.float64)
    """
    return torch.imag(_t(x))


@op
def isneginf(x):
    """Elementwise test for negative infinity.

    Args:
        x: Input tensor.

    Returns:
        A boolean tensor of the shape of `x`.

    Example:

    >>> keras.ops.isneginf(np.array([-np.inf, np.inf, 0.0]))
    tensor([ True, False, False])
    """
    return torch.isneginf(_t(x))


@op
def isposinf(x):
    """Elementwise test for positive infinity.

    Args:
        x: Input tensor.

    Returns:
        A boolean tensor of the shape of `x`.

    Example:

    >>> keras.ops.isposinf(np.array([-np.inf, np.inf, 0.0]))
    tensor([False,  True, False])
    """
    return torch.isposinf(_t(x))


@op
def isreal(x):
    """Elementwise test for a zero imaginary part.

    True everywhere for real dtypes.

    Args:
        x: Input tensor.

    Returns:
        A boolean tensor of the shape of `x`.

    Example:

    >>> keras.ops.isreal(np.array([1 + 0j, 1 + 1j]))
    tensor([ True, False])
    """
    return torch.isreal(_t(x))


@op
def copy(x):
    """A copy of `x` that does not share memory with it.

    Args:
        x: Input tensor.

    Returns:
        A new tensor of the shape and dtype of `x`.

    Example:

    >>> keras.ops.copy(np.array([1, 2]))
    tensor([1, 2])
    """
    return torch.clone(_t(x))


def _float_pair_dtype(x1, x2):
    """Result dtype of hypot/heaviside: ints become floatx (int64 float64)."""
    name = result_type(x1.dtype, x2.dtype)
    if name in ("int8", "int16", "int32", "uint8", "uint16", "uint32"):
        return config.floatx()
    if name == "int64":
        return "float64"
    return name


@op
def hypot(x1, x2):
    """Elementwise hypotenuse `sqrt(x1**2 + x2**2)`, without intermediate overflow.

    Inputs broadcast against each other (NumPy rules). Integer inputs give `floatx()` (int64 gives float64).

    Args:
        x1: First input tensor.
        x2: Second input tensor, broadcastable with `x1`.

    Returns:
        A floating-point tensor of the broadcast shape.

    Example:

    >>> keras.ops.hypot(np.array([3.0, 5.0]), np.array([4.0, 12.0]))
    tensor([ 5., 13.])
    """
    x1, x2 = _t(x1), _t(x2)
    name = _float_pair_dtype(x1, x2)
    return torch.hypot(_cast(x1, name), _cast(x2, name))


@op
def heaviside(x1, x2):
    """Elementwise Heaviside step function.

    0 where `x1 < 0`, `x2` where `x1 == 0`, 1 where `x1 > 0`. Inputs broadcast against each other (NumPy rules). Integer inputs give `floatx()` (int64 gives float64).

    Args:
        x1: Input values.
        x2: The value at `x1 == 0`, broadcastable with `x1`.

    Returns:
        A floating-point tensor of the broadcast shape.

    Example:

    >>> keras.ops.heaviside(np.array([-1.0, 0.0, 2.0]), 0.5)
    tensor([0.0000, 0.5000, 1.0000])
    """
    x1, x2 = _t(x1), _t(x2)
    name = _float_pair_dtype(x1, x2)
    return torch.heaviside(_cast(x1, name), _cast(x2, name))


@op
def logaddexp(x1, x2):
    """Elementwise `log(exp(x1) + exp(x2))`, computed without overflow.

    Inputs broadcast against each other (NumPy rules). Integer inputs give `floatx()`.

    Args:
        x1: First input tensor.
        x2: Second input tensor, broadcastable with `x1`.

    Returns:
        A floating-point tensor of the broadcast shape.

    Example:

    >>> keras.ops.logaddexp(np.array([1000.0, 0.0]), np.array([1000.0, 0.0]))
    tensor([1.0007e+03, 6.9315e-01])
    """
    x1, x2 = _t(x1), _t(x2)
    name = result_type(x1.dtype, x2.dtype, float)
    if name == "float16" and x1.device.type == "cpu":
        return _cast(torch.logaddexp(_cast(x1, "float32"), _cast(x2, "float32")), name)
    return torch.logaddexp(_cast(x1, name), _cast(x2, name))


@op
def logaddexp2(x1, x2):
    """Elementwise `log2(2**x1 + 2**x2)`, computed without overflow.

    Inputs broadcast against each other (NumPy rules). Integer inputs give `floatx()`.

    Args:
        x1: First input tensor.
        x2: Second input tensor, broadcastable with `x1`.

    Returns:
        A floating-point tensor of the broadcast shape.

    Example:

    >>> keras.ops.logaddexp2(np.array([1.0, 3.0]), np.array([1.0, 3.0]))
    tensor([2., 4.])
    """
    x1, x2 = _t(x1), _t(x2)
    name = result_type(x1.dtype, x2.dtype, float)
    return torch.logaddexp2(_cast(x1, name), _cast(x2, name))


@op
def ldexp(x1, x2):
    """Elementwise `x1 * 2**x2`.

    Inputs broadcast against each other (NumPy rules). The result is floating point (integer mantissas give `floatx()`).

    Args:
        x1: The mantissas.
        x2: Integer exponents, broadcastable with `x1`.

    Returns:
        A floating-point tensor of the broadcast shape.

    Raises:
        TypeError: if `x2` is not of an integer dtype.

    Example:

    >>> keras.ops.ldexp(np.array([1.0, 3.0]), np.array([2, -1]))
    tensor([4.0000, 1.5000])
    """
    x1, x2 = _t(x1), _t(x2)
    name = result_type(x1.dtype, x2.dtype, float)
    if x2.is_floating_point() or x2.is_complex() or x2.dtype == torch.bool:
        raise TypeError(f"ldexp(): the exponent `x2` must have an integer dtype; "
                        f"received x2.dtype={_dt(x2)}.")
    return _cast(torch.ldexp(x1, x2), name)


@op
def nextafter(x1, x2):
    """Elementwise next representable floating-point value after `x1` toward `x2`.

    Inputs broadcast against each other (NumPy rules). The step is taken in float64 and the result cast to the promoted float dtype of the inputs, so for float32 inputs the difference from `x1` may round away (use float64 to see single steps).

    Args:
        x1: Start values.
        x2: Direction values, broadcastable with `x1`.

    Returns:
        A floating-point tensor of the broadcast shape.

    Example:

    >>> import torch
    >>> x = torch.tensor([1.0], dtype=torch.float64)
    >>> keras.ops.nextafter(x, 2.0) - x
    tensor([0.], dtype=torch.float64)
    """
    x1, x2 = _t(x1), _t(x2)
    name = result_type(x1.dtype, x2.dtype, float)
    return _cast(torch.nextafter(x1.to(torch.float64), x2.to(torch.float64)), name)


def _fm(fn, x1, x2):
    name = result_type(getattr(x1, "dtype", type(x1)), getattr(x2, "dtype", type(x2)))
    return fn(convert_to_tensor(x1, name), convert_to_tensor(x2, name))


@op
def fmax(x1, x2):
    """Elementwise maximum that ignores NaN.

    Inputs broadcast against each other (NumPy rules). Where one operand is NaN the other is returned; NaN only where both are. The result has the promoted dtype of the inputs.

    Args:
        x1: First input tensor.
        x2: Second input tensor, broadcastable with `x1`.

    Returns:
        A tensor of the broadcast shape of `x1` and `x2`.

    Example:

    >>> keras.ops.fmax(np.array([1.0, np.nan, np.nan]), np.array([2.0, 3.0, np.nan]))
    tensor([2., 3., nan])
    """
    x1 = x1 if isinstance(x1, (int, float)) else _t(x1)
    x2 = x2 if isinstance(x2, (int, float)) else _t(x2)
    return _fm(torch.fmax, x1, x2)


@op
def fmin(x1, x2):
    """Elementwise minimum that ignores NaN.

    Inputs broadcast against each other (NumPy rules). Where one operand is NaN the other is returned; NaN only where both are. The result has the promoted dtype of the inputs.

    Args:
        x1: First input tensor.
        x2: Second input tensor, broadcastable with `x1`.

    Returns:
        A tensor of the broadcast shape of `x1` and `x2`.

    Example:

    >>> keras.ops.fmin(np.array([1.0, np.nan, np.nan]), np.array([2.0, 3.0, np.nan]))
    tensor([1., 3., nan])
    """
    x1 = x1 if isinstance(x1, (int, float)) else _t(x1)
    x2 = x2 if isinstance(x2, (int, float)) else _t(x2)
    return _fm(torch.fmin, x1, x2)


@op
def fmod(x1, x2):
    """Elementwise remainder of `x1 / x2` with the sign of `x1` (C's `fmod`).

    Inputs broadcast against each other (NumPy rules). Unlike `mod`, the result takes the sign of the dividend. Boolean inputs are computed as int32.

    Args:
        x1: First input tensor.
        x2: Second input tensor, broadcastable with `x1`.

    Returns:
        A tensor of the broadcast shape of `x1` and `x2`.

    Example:

    >>> keras.ops.fmod(np.array([7, -7], dtype='int32'), np.array([3, 3], dtype='int32'))
    tensor([ 1, -1], dtype=torch.int32)
    """
    x1, x2 = _t(x1), _t(x2)
    if result_type(x1.dtype, x2.dtype) == "bool":
        x1, x2 = x1.to(torch.int32), x2.to(torch.int32)
    return torch.fmod(x1, x2)


@op
def gcd(x1, x2):
    """Elementwise greatest common divisor of integers.

    Inputs broadcast against each other (NumPy rules). The result is non-negative; `gcd(0, 0)` is 0.

    Args:
        x1: Integer tensor.
        x2: Integer tensor, broadcastable with `x1`.

    Returns:
        A tensor of the broadcast shape of `x1` and `x2`.

    Example:

    >>> keras.ops.gcd(np.array([12, 18]), np.array([8, 27]))
    tensor([4, 9])
    """
    return torch.gcd(_t(x1), _t(x2))


@op
def lcm(x1, x2):
    """Elementwise least common multiple of integers.

    Inputs broadcast against each other (NumPy rules). The result is non-negative; 0 when either input is 0.

    Args:
        x1: Integer tensor.
        x2: Integer tensor, broadcastable with `x1`.

    Returns:
        A tensor of the broadcast shape of `x1` and `x2`.

    Example:

    >>> keras.ops.lcm(np.array([4, 6]), np.array([6, 4]))
    tensor([12, 12])
    """
    return torch.lcm(_t(x1), _t(x2))


# -- bitwise ----------------------------------------------------------------
@op
def bitwise_and(x, y):
    """Elementwise bitwise AND of integer or boolean tensors.

    Inputs broadcast against each other; for booleans this is the logical AND.

    Args:
        x: Integer or boolean tensor.
        y: Integer or boolean tensor, broadcastable with `x`.

    Returns:
        A tensor of the broadcast shape and promoted dtype.

    Example:

    >>> keras.ops.bitwise_and(np.array([12], dtype="int32"), np.array([10], dtype="int32"))
    tensor([8], dtype=torch.int32)
    """
    return torch.bitwise_and(_t(x), _t(y))


@op
def bitwise_or(x, y):
    """Elementwise bitwise OR of integer or boolean tensors.

    Inputs broadcast against each other; for booleans this is the logical OR.

    Args:
        x: Integer or boolean tensor.
        y: Integer or boolean tensor, broadcastable with `x`.

    Returns:
        A tensor of the broadcast shape and promoted dtype.

    Example:

    >>> keras.ops.bitwise_or(np.array([12], dtype="int32"), np.array([10], dtype="int32"))
    tensor([14], dtype=torch.int32)
    """
    return torch.bitwise_or(_t(x), _t(y))


@op
def bitwise_xor(x, y):
    """Elementwise bitwise XOR of integer or boolean tensors.

    Inputs broadcast against each other; for booleans this is the logical XOR.

    Args:
        x: Integer or boolean tensor.
        y: Integer or boolean tensor, broadcastable with `x`.

    Returns:
        A tensor of the broadcast shape and promoted dtype.

    Example:

    >>> keras.ops.bitwise_xor(np.array([12], dtype="int32"), np.array([10], dtype="int32"))
    tensor([6], dtype=torch.int32)
    """
    return torch.bitwise_xor(_t(x), _t(y))


@op
def bitwise_invert(x):
    """Elementwise bitwise NOT (`~x`) of an integer or boolean tensor.

    For signed integers `~x == -x - 1`; for booleans it is the logical NOT. `bitwise_not` is the same operation.

    Args:
        x: Integer or boolean tensor.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.ops.bitwise_invert(np.array([0, 5], dtype="int32"))
    tensor([-1, -6], dtype=torch.int32)
    """
    return torch.bitwise_not(_t(x))


@op
def bitwise_not(x):
    """Elementwise bitwise NOT (`~x`) of an integer or boolean tensor.

    For signed integers `~x == -x - 1`; for booleans it is the logical NOT. The same operation as `bitwise_invert`.

    Args:
        x: Integer or boolean tensor.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.ops.bitwise_not(np.array([0, 5], dtype="int32"))
    tensor([-1, -6], dtype=torch.int32)
    """
    return torch.bitwise_not(_t(x))


def _shift_amount(y):
    return y if isinstance(y, int) and not isinstance(y, bool) else _t(y)


@op
def bitwise_left_shift(x, y):
    """Shifts the bits of the integers `x` to the left by `y` positions.

    Shifting left by `y` multiplies by `2**y` (bits shifted out are lost). `left_shift` is the same operation.

    Args:
        x: Integer tensor.
        y: Shift amount: a Python int or an integer tensor broadcastable with
            `x`.

    Returns:
        An integer tensor of the broadcast shape.

    Example:

    >>> keras.ops.bitwise_left_shift(np.array([-8, 5], dtype="int32"), 1)
    tensor([-16,  10], dtype=torch.int32)
    """
    return torch.bitwise_left_shift(_t(x), _shift_amount(y))


@op
def left_shift(x, y):
    """Shifts the bits of the integers `x` to the left by `y` positions.

    Shifting left by `y` multiplies by `2**y` (bits shifted out are lost). The same operation as `bitwise_left_shift`.

    Args:
        x: Integer tensor.
        y: Shift amount: a Python int or an integer tensor broadcastable with
            `x`.

    Returns:
        An integer tensor of the broadcast shape.

    Example:

    >>> keras.ops.left_shift(np.array([-8, 5], dtype="int32"), 1)
    tensor([-16,  10], dtype=torch.int32)
    """
    return torch.bitwise_left_shift(_t(x), _shift_amount(y))


@op
def bitwise_right_shift(x, y):
    """Shifts the bits of the integers `x` to the right by `y` positions.

    An arithmetic shift: signed values keep their sign, so shifting right by `y` is floor division by `2**y`. `right_shift` is the same operation.

    Args:
        x: Integer tensor.
        y: Shift amount: a Python int or an integer tensor broadcastable with
            `x`.

    Returns:
        An integer tensor of the broadcast shape.

    Example:

    >>> keras.ops.bitwise_right_shift(np.array([-8, 5], dtype="int32"), 1)
    tensor([-4,  2], dtype=torch.int32)
    """
    return torch.bitwise_right_shift(_t(x), _shift_amount(y))


@op
def right_shift(x, y):
    """Shifts the bits of the integers `x` to the right by `y` positions.

    An arithmetic shift: signed values keep their sign, so shifting right by `y` is floor division by `2**y`. The same operation as `bitwise_right_shift`.

    Args:
        x: Integer tensor.
        y: Shift amount: a Python int or an integer tensor broadcastable with
            `x`.

    Returns:
        An integer tensor of the broadcast shape.

    Example:

    >>> keras.ops.right_shift(np.array([-8, 5], dtype="int32"), 1)
    tensor([-4,  2], dtype=torch.int32)
    """
    return torch.bitwise_right_shift(_t(x), _shift_amount(y))


# -- comparisons --------------------------------------------------------------
@op
def allclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    """Whether all elements are close: `all(|x1 - x2| <= atol + rtol * |x2|)`.

    The inputs are cast to their promoted dtype; for non-floating dtypes the
    test is exact equality.

    Args:
        x1: First input tensor.
        x2: Second input tensor (the reference), broadcastable with `x1`.
        rtol: Relative tolerance. Default `1e-5`.
        atol: Absolute tolerance. Default `1e-8`.
        equal_nan: If `True`, two NaNs compare as close. Default `False`.

    Returns:
        A scalar boolean tensor.

    Example:

    >>> keras.ops.allclose(np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-7]))
    tensor(True)
    """
    x1, x2 = _t(x1), _t(x2)
    name = result_type(x1.dtype, x2.dtype)
    x1, x2 = _cast(x1, name), _cast(x2, name)
    if "float" in name:
        return torch.all(torch.isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan))
    return torch.all(torch.eq(x1, x2))


@op
def isin(x1, x2, assume_unique=False, invert=False):
    """Elementwise test of membership of `x1`'s elements in `x2`.

    Args:
        x1: Input tensor.
        x2: The values to look for (any shape; treated as a flat set).
        assume_unique: If `True`, the inputs are assumed to hold no duplicates,
            which can speed up the computation. Default `False`.
        invert: If `True`, the result is negated (true where the element is
            *not* in `x2`). Default `False`.

    Returns:
        A boolean tensor of the shape of `x1`.

    Example:

    >>> keras.ops.isin(np.array([1, 2, 3, 4]), np.array([2, 4]))
    tensor([False,  True, False,  True])
    """
    x1, x2 = _t(x1), _t(x2)
    if result_type(x1.dtype, x2.dtype) == "bool":
        x1, x2 = x1.to(torch.int32), x2.to(torch.int32)
    if x1.dtype == torch.bool:
        x1 = x1.to(x2.dtype)
    if x2.dtype == torch.bool:
        x2 = x2.to(x1.dtype)
    return torch.isin(x1, x2, assume_unique=assume_unique, invert=invert)


# ============================================================================
# Reductions: quantiles and NaN-ignoring reductions
# ============================================================================
_QUANTILE_METHODS = ("linear", "lower", "higher", "midpoint", "nearest")


def _dims(axis, ndim):
    """`axis` as a sorted tuple of non-negative ints (None: every axis)."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    out = []
    for a in axes:
        a = int(a)
        if not -ndim <= a < builtins.max(ndim, 1):
            raise ValueError(f"axis {a} is out of bounds for a tensor of rank {ndim}.")
        out.append(a % ndim if ndim else 0)
    return tuple(sorted(out))


def _quantile(fn, x, q, axis, method, keepdims):
    if method not in _QUANTILE_METHODS:
        raise ValueError(f"`method` must be one of {_QUANTILE_METHODS}; received "
                         f"method={method!r}.")
    x, q = _t(x), _t(q)
    compute = result_type(x.dtype, "float32")
    out_dtype = result_type(x.dtype, float)
    x = _cast(x, compute)
    if q.dtype != x.dtype:
        q = q.to(x.dtype)
    if axis is None:
        y = x.reshape(-1)
        dims = None
    else:
        dims = _dims(axis, x.dim())
        others = [d for d in range(x.dim()) if d not in dims]
        y = x.permute(others + list(dims))
        y = y.reshape([x.shape[d] for d in others] + [int(np.prod([x.shape[d] for d in dims]))])
    y = fn(y, q, dim=-1, interpolation=method)
    if keepdims:
        if dims is None:
            for _ in range(x.dim()):
                y = y.unsqueeze(-1)
        else:
            for d in dims:
                y = y.unsqueeze(d + 1 if q.dim() > 0 else d)
    return _cast(y, out_dtype)


@op
def quantile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th quantiles of `x` along the given axes.

    Args:
        x: Input tensor.
        q: A quantile in `[0, 1]` or a 1-D tensor of them.
        axis: An int or a tuple of ints: the axes to compute over (several axes
            are merged). `None` (default) uses all elements.
        method: How to pick a value between two data points: `"linear"`
            (default, interpolate), `"lower"`, `"higher"`, `"midpoint"` or
            `"nearest"`.
        keepdims: If `True`, the reduced axes are kept with length 1.

    Returns:
        A floating-point tensor (integer inputs give `floatx()`). With a
        vector `q`, the quantiles are stacked along a new first axis.

    Raises:
        ValueError: for an unknown `method`.

    Example:

    >>> x = np.array([[1.0, 2.0, 3.0, 4.0]])
    >>> keras.ops.quantile(x, 0.5, axis=1)
    tensor([2.5000])
    >>> keras.ops.quantile(x, [0.0, 0.25], axis=1)
    tensor([[1.0000],
            [1.7500]])
    """
    return _quantile(torch.quantile, x, q, axis, method, keepdims)


@op
def percentile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th percentiles of `x` along the given axes: `quantile(x, q / 100)`.

    Args:
        x: Input tensor.
        q: A percentile in `[0, 100]` or a 1-D tensor of them.
        axis: An int or a tuple of ints: the axes to compute over. `None`
            (default) uses all elements.
        method: How to pick a value between two data points: `"linear"`
            (default, interpolate), `"lower"`, `"higher"`, `"midpoint"` or
            `"nearest"`.
        keepdims: If `True`, the reduced axes are kept with length 1.

    Returns:
        A floating-point tensor (integer inputs give `floatx()`). With a
        vector `q`, the quantiles are stacked along a new first axis.

    Example:

    >>> keras.ops.percentile(np.array([1.0, 2.0, 3.0, 4.0]), 75)
    tensor(3.2500)
    """
    return _quantile(torch.quantile, x, convert_to_tensor(q, config.floatx()) / 100.0, axis,
                     method, keepdims)


@op
def median(x, axis=None, keepdims=False):
    """The median of `x` along the given axes.

    For an even number of values, the mean of the two middle ones (NumPy's
    convention; `torch.median` would return the lower one).

    Args:
        x: Input tensor.
        axis: An int or a tuple of ints: the axes to reduce (negative values
            count from the end). `None` (default) reduces all elements.
        keepdims: If `True`, the reduced axes are kept with length 1, so the
            result broadcasts against `x`. Default `False`.

    Returns:
        A floating-point tensor (integer inputs give `floatx()`).

    Example:

    >>> keras.ops.median(np.array([[1, 2, 3, 10]]), axis=1)
    tensor([2.5000])
    """
    return _quantile(torch.quantile, x, 0.5, axis, "linear", keepdims)


@op
def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th quantiles of `x` along the given axes, ignoring NaN values.

    A slice made only of NaN gives NaN.

    Args:
        x: Input tensor.
        q: A quantile in `[0, 1]` or a 1-D tensor of them.
        axis: An int or a tuple of ints: the axes to compute over. `None`
            (default) uses all elements.
        method: How to pick a value between two data points: `"linear"`
            (default, interpolate), `"lower"`, `"higher"`, `"midpoint"` or
            `"nearest"`.
        keepdims: If `True`, the reduced axes are kept with length 1.

    Returns:
        A floating-point tensor (integer inputs give `floatx()`). With a
        vector `q`, the quantiles are stacked along a new first axis.

    Example:

    >>> keras.ops.nanquantile(np.array([1.0, np.nan, 3.0]), 0.5)
    tensor(2.)
    """
    return _quantile(torch.nanquantile, x, q, axis, method, keepdims)


@op
def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th percentiles of `x` along the given axes, ignoring NaN values.

    A slice made only of NaN gives NaN.

    Args:
        x: Input tensor.
        q: A percentile in `[0, 100]` or a 1-D tensor of them.
        axis: An int or a tuple of ints: the axes to compute over. `None`
            (default) uses all elements.
        method: How to pick a value between two data points: `"linear"`
            (default, interpolate), `"lower"`, `"higher"`, `"midpoint"` or
            `"nearest"`.
        keepdims: If `True`, the reduced axes are kept with length 1.

    Returns:
        A floating-point tensor (integer inputs give `floatx()`). With a
        vector `q`, the quantiles are stacked along a new first axis.

    Example:

    >>> keras.ops.nanpercentile(np.array([1.0, np.nan, 3.0]), 50)
    tensor(2.)
    """
    return _quantile(torch.nanquantile, x, convert_to_tensor(q, config.floatx()) / 100.0,
                     axis, method, keepdims)


def _empty_axis(axis):
    return isinstance(axis, (tuple, list)) and len(axis) == 0


@op
def nanmedian(x, axis=None, keepdims=False):
    """The median of `x` along the given axes, ignoring NaN values.

    A slice made only of NaN gives NaN. `axis=()` returns `x` unchanged.

    Args:
        x: Input tensor.
        axis: An int or a tuple of ints: the axes to reduce (negative values
            count from the end). `None` (default) reduces all elements.
        keepdims: If `True`, the reduced axes are kept with length 1, so the
            result broadcasts against `x`. Default `False`.

    Returns:
        A floating-point tensor.

    Example:

    >>> keras.ops.nanmedian(np.array([1.0, np.nan, 3.0, 4.0]))
    tensor(3.)
    """
    x = _t(x)
    if _empty_axis(axis):
        return x
    return _quantile(torch.nanquantile, x, 0.5, axis, "linear", keepdims)


@op
def ptp(x, axis=None, keepdims=False):
    """Peak to peak: the range `max - min` of the values along the given axes.

    `axis=()` gives zeros of the shape of `x`.

    Args:
        x: Input tensor.
        axis: An int or a tuple of ints: the axes to reduce (negative values
            count from the end). `None` (default) reduces all elements.
        keepdims: If `True`, the reduced axes are kept with length 1, so the
            result broadcasts against `x`. Default `False`.

    Returns:
        A tensor of the dtype of `x`.

    Example:

    >>> keras.ops.ptp(np.array([[4, 9, 2], [1, 1, 1]]), axis=1)
    tensor([7, 0])
    """
    x = _t(x)
    if _empty_axis(axis):
        return torch.zeros_like(x)
    dims = _dims(axis, x.dim())
    return torch.amax(x, dim=dims, keepdim=keepdims) - torch.amin(x, dim=dims, keepdim=keepdims)


def _nan_extreme(x, axis, keepdims, reduce_fn, fill):
    x = _t(x)
    dims = _dims(axis, x.dim()) if not _empty_axis(axis) else None
    if not x.is_floating_point():
        return reduce_fn(x, dim=dims if dims is not None else (), keepdim=keepdims)
    if dims is None:
        return x
    nan = torch.isnan(x)
    out = reduce_fn(torch.where(nan, fill, x), dim=dims, keepdim=keepdims)
    all_nan = torch.all(nan, dim=dims, keepdim=keepdims) if dims else nan
    return torch.where(all_nan, torch.tensor(float("nan"), dtype=x.dtype, device=x.device), out)


@op
def nanmax(x, axis=None, keepdims=False):
    """The maximum along the given axes, ignoring NaN values.

    A slice made only of NaN gives NaN. Non-float inputs are reduced normally.

    Args:
        x: Input tensor.
        axis: An int or a tuple of ints: the axes to reduce (negative values
            count from the end). `None` (default) reduces all elements.
        keepdims: If `True`, the reduced axes are kept with length 1, so the
            result broadcasts against `x`. Default `False`.

    Returns:
        A tensor of the dtype of `x`.

    Example:

    >>> keras.ops.nanmax(np.array([[1.0, np.nan, 3.0], [np.nan, np.nan, np.nan]]), axis=1)
    tensor([3., nan])
    """
    return _nan_extreme(x, axis, keepdims, torch.amax, float("-inf"))


@op
def nanmin(x, axis=None, keepdims=False):
    """The minimum along the given axes, ignoring NaN values.

    A slice made only of NaN gives NaN. Non-float inputs are reduced normally.

    Args:
        x: Input tensor.
        axis: An int or a tuple of ints: the axes to reduce (negative values
            count from the end). `None` (default) reduces all elements.
        keepdims: If `True`, the reduced axes are kept with length 1, so the
            result broadcasts against `x`. Default `False`.

    Returns:
        A tensor of the dtype of `x`.

    Example:

    >>> keras.ops.nanmin(np.array([[1.0, np.nan, 3.0], [np.nan, np.nan, np.nan]]), axis=1)
    tensor([1., nan])
    """
    return _nan_extreme(x, axis, keepdims, torch.amin, float("inf"))


def _nan_arg(x, axis, keepdims, fn, fill):
    x = _t(x)
    if not x.is_floating_point():
        return fn(x, axis=axis, keepdims=keepdims)
    nan = torch.isnan(x)
    best = fn(torch.where(nan, fill, x), axis=axis, keepdims=keepdims)
    if axis is None:
        all_nan = torch.all(nan)
        if keepdims:
            all_nan = all_nan.reshape((1,) * x.dim())
    else:
        all_nan = torch.all(nan, dim=axis, keepdim=keepdims)
    return torch.where(all_nan, torch.tensor(-1, dtype=torch.int32, device=x.device), best)


@op
def nanargmax(x, axis=None, keepdims=False):
    """The index of the maximum along an axis, ignoring NaN values.

    Where every value of the slice is NaN the index is -1 (NumPy raises instead).

    Args:
        x: Input tensor.
        axis: The axis to search along; `None` (default) searches the flattened
            tensor.
        keepdims: If `True`, the reduced axis is kept with length 1.

    Returns:
        An int32 tensor of indices.

    Example:

    >>> keras.ops.nanargmax(np.array([[np.nan, 2.0, 5.0], [np.nan, np.nan, np.nan]]), axis=1)
    tensor([ 2, -1], dtype=torch.int32)
    """
    return _nan_arg(x, axis, keepdims, argmax, float("-inf"))


@op
def nanargmin(x, axis=None, keepdims=False):
    """The index of the minimum along an axis, ignoring NaN values.

    Where every value of the slice is NaN the index is -1 (NumPy raises instead).

    Args:
        x: Input tensor.
        axis: The axis to search along; `None` (default) searches the flattened
            tensor.
        keepdims: If `True`, the reduced axis is kept with length 1.

    Returns:
        An int32 tensor of indices.

    Example:

    >>> keras.ops.nanargmin(np.array([[np.nan, 2.0, 5.0], [np.nan, np.nan, np.nan]]), axis=1)
    tensor([ 1, -1], dtype=torch.int32)
    """
    return _nan_arg(x, axis, keepdims, argmin, float("inf"))


@op
def nansum(x, axis=None, keepdims=False):
    """The sum along the given axes, treating NaN as zero.

    Booleans and 8/16-bit integers are summed as int32. A list or tuple of
    tensors is stacked first.

    Args:
        x: Input tensor.
        axis: An int or a tuple of ints: the axes to reduce (negative values
            count from the end). `None` (default) reduces all elements.
        keepdims: If `True`, the reduced axes are kept with length 1, so the
            result broadcasts against `x`. Default `False`.

    Returns:
        A tensor with the reduced axes removed (or of length 1).

    Example:

    >>> keras.ops.nansum(np.array([1.0, np.nan, 2.0]))
    tensor(3.)
    """
    if isinstance(x, (list, tuple)):
        x = stack(x)
    x = _t(x)
    name = _dt(x)
    if name in ("bool", "uint8", "int8", "int16"):
        name = "int32"
    if _empty_axis(axis):
        return _cast(torch.nan_to_num(x, nan=0), name)
    if not x.is_floating_point() and not x.is_complex():
        return torch.sum(x, dim=_dims(axis, x.dim()), keepdim=keepdims,
                         dtype=dtypes.to_torch(name))
    return _cast(torch.nansum(x, dim=_dims(axis, x.dim()), keepdim=keepdims), name)


@op
def nanprod(x, axis=None, keepdims=False):
    """The product along the given axes, treating NaN as one.

    The dtype rules of `prod` apply.

    Args:
        x: Input tensor.
        axis: An int or a tuple of ints: the axes to reduce (negative values
            count from the end). `None` (default) reduces all elements.
        keepdims: If `True`, the reduced axes are kept with length 1, so the
            result broadcasts against `x`. Default `False`.

    Returns:
        A tensor with the reduced axes removed (or of length 1).

    Example:

    >>> keras.ops.nanprod(np.array([2.0, np.nan, 3.0]))
    tensor(6.)
    """
    x = _t(x)
    if _empty_axis(axis):
        return torch.nan_to_num(x, nan=1)
    if x.is_floating_point():
        x = torch.where(torch.isnan(x), torch.ones((), dtype=x.dtype, device=x.device), x)
    return prod(x, axis=axis, keepdims=keepdims)


@op
def nanmean(x, axis=None, keepdims=False):
    """The mean along the given axes, ignoring NaN values.

    A slice made only of NaN gives NaN. Integer inputs give `floatx()`.

    Args:
        x: Input tensor.
        axis: An int or a tuple of ints: the axes to reduce (negative values
            count from the end). `None` (default) reduces all elements.
        keepdims: If `True`, the reduced axes are kept with length 1, so the
            result broadcasts against `x`. Default `False`.

    Returns:
        A floating-point tensor.

    Example:

    >>> keras.ops.nanmean(np.array([1.0, np.nan, 3.0]))
    tensor(2.)
    """
    x = _t(x)
    if _empty_axis(axis):
        return x
    x = _cast(x, result_type(_dt(x), float))
    return torch.nanmean(x, dim=_dims(axis, x.dim()), keepdim=keepdims)


@op
def nanvar(x, axis=None, keepdims=False):
    """The population variance along the given axes, ignoring NaN values.

    Divides by the number of non-NaN values (no Bessel correction). For complex
    inputs the squared modulus of the deviations is used. Integer inputs give
    `floatx()`.

    Args:
        x: Input tensor.
        axis: An int or a tuple of ints: the axes to reduce (negative values
            count from the end). `None` (default) reduces all elements.
        keepdims: If `True`, the reduced axes are kept with length 1, so the
            result broadcasts against `x`. Default `False`.

    Returns:
        A floating-point tensor.

    Example:

    >>> keras.ops.nanvar(np.array([1.0, np.nan, 3.0]))
    tensor(1.)
    """
    x = _t(x)
    x = _cast(x, result_type(x.dtype, float))
    if _empty_axis(axis):
        return torch.where(torch.isnan(x), x, torch.zeros((), dtype=x.dtype, device=x.device))
    dims = _dims(axis, x.dim())
    centre = torch.nanmean(x, dim=dims, keepdim=True)
    valid = ~torch.isnan(x)
    centred = torch.where(valid, x - centre, torch.zeros_like(x))
    if centred.is_complex():
        centred = centred.real * centred.real + centred.imag * centred.imag
    else:
        centred = centred.square()
    return centred.sum(dim=dims, keepdim=keepdims) / valid.sum(dim=dims, keepdim=keepdims)


@op
def nanstd(x, axis=None, keepdims=False):
    """The population standard deviation along the given axes, ignoring NaN values.

    Divides by the number of non-NaN values (no Bessel correction). For complex
    inputs the squared modulus of the deviations is used. Integer inputs give
    `floatx()`.

    Args:
        x: Input tensor.
        axis: An int or a tuple of ints: the axes to reduce (negative values
            count from the end). `None` (default) reduces all elements.
        keepdims: If `True`, the reduced axes are kept with length 1, so the
            result broadcasts against `x`. Default `False`.

    Returns:
        A floating-point tensor.

    Example:

    >>> keras.ops.nanstd(np.array([1.0, np.nan, 3.0]))
    tensor(1.)
    """
    return torch.sqrt(nanvar(x, axis=axis, keepdims=keepdims))


@op
def nancumsum(x, axis=None, dtype=None):
    """Cumulative sum along an axis, with NaN counted as 0.

    Infinite values are also replaced by the largest finite values of the dtype
    first (the input goes through `nan_to_num`). The dtype rules of `cumsum`
    apply.

    Args:
        x: Input tensor.
        axis: The axis to accumulate along. `None` (default) flattens `x` first.
        dtype: Optional dtype of the result.

    Returns:
        A tensor of the shape of `x` (1-D when `axis` is `None`).

    Example:

    >>> keras.ops.nancumsum(np.array([1.0, np.nan, 3.0]))
    tensor([1., 1., 4.])
    """
    return cumsum(nan_to_num(_t(x)), axis=axis, dtype=dtype)


@op
def nancumprod(x, axis=None, dtype=None):
    """Cumulative product along an axis, with NaN counted as 1.

    Infinite values are also replaced by the largest finite values of the dtype
    first (the input goes through `nan_to_num`). The dtype rules of `cumprod`
    apply.

    Args:
        x: Input tensor.
        axis: The axis to accumulate along. `None` (default) flattens `x` first.
        dtype: Optional dtype of the result.

    Returns:
        A tensor of the shape of `x` (1-D when `axis` is `None`).

    Example:

    >>> keras.ops.nancumprod(np.array([1.0, np.nan, 3.0]))
    tensor([1., 1., 3.])
    """
    return cumprod(nan_to_num(_t(x), nan=1.0), axis=axis, dtype=dtype)


# ============================================================================
# Creation
# ============================================================================
def empty(shape, dtype=None):
    """A new tensor of the given shape with unspecified contents.

    The values are whatever the memory held; write every element before reading.

    Args:
        shape: An int or a tuple/list of ints.
        dtype: Dtype of the result; `None` (default) means `floatx()`.

    Returns:
        A tensor.

    Example:

    >>> keras.ops.empty((2, 3)).shape
    torch.Size([2, 3])
    """
    return torch.empty(_shape_arg(shape), dtype=_creation_dtype(dtype))


@op
def empty_like(x, dtype=None):
    """A new tensor with the shape of `x` and unspecified contents.

    Args:
        x: Tensor whose shape (and, by default, dtype) is used.
        dtype: Dtype of the result; `None` (default) keeps the dtype of `x`.

    Returns:
        A tensor of the shape of `x`.

    Example:

    >>> keras.ops.empty_like(np.zeros((2, 2), dtype="int32")).dtype
    torch.int32
    """
    x = _t(x)
    return torch.empty_like(x, dtype=x.dtype if dtype is None else dtypes.to_torch(dtype))


def tri(N, M=None, k=0, dtype=None):
    """A matrix with ones at and below a diagonal and zeros above it.

    Entry `[i, j]` is 1 when `j <= i + k`.

    Args:
        N: Number of rows (a non-negative int).
        M: Number of columns; `None` (default) means `N`.
        k: The diagonal: 0 (default) the main one, positive above it, negative
            below.
        dtype: Dtype of the result; `None` means `floatx()`.

    Returns:
        A tensor of shape `(N, M)`.

    Raises:
        TypeError: if `N` or `M` is not an integer.
        ValueError: if `N` or `M` is negative.

    Example:

    >>> keras.ops.tri(3, 3, k=-1, dtype="int32")
    tensor([[0, 0, 0],
            [1, 0, 0],
            [1, 1, 0]], dtype=torch.int32)
    """
    N = _check_int("tri", "N", N, 0)
    M = N if not M else _check_int("tri", "M", M, 0)
    return torch.tril(torch.ones((N, M), dtype=_creation_dtype(dtype)), diagonal=int(k))


def _space_dtype(start, stop, dtype):
    if dtype is not None:
        return dtypes.to_torch(dtype)
    return dtypes.to_torch(result_type(getattr(start, "dtype", type(start)),
                                       getattr(stop, "dtype", type(stop)), float))


def _logspace(start, stop, num, endpoint, base, torch_dtype):
    if endpoint is False:
        stop = stop - ((stop - start) / num)
    if hasattr(start, "__len__") and hasattr(stop, "__len__"):
        start = convert_to_tensor(start, torch_dtype)
        stop = convert_to_tensor(stop, torch_dtype)
        steps = torch.arange(num, dtype=torch_dtype) / (num - 1)
        for _ in range(start.dim()):
            steps = steps.unsqueeze(-1)
        return base ** (start[None] + steps * (stop - start)[None])
    compute = torch.float32 if torch_dtype == torch.float16 else torch_dtype
    return torch.logspace(start=start, end=stop, steps=num, base=base,
                          dtype=compute).to(torch_dtype)


@op
def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    """`num` numbers evenly spaced on a log scale, from `base**start` to `base**stop`.

    Without `dtype` the result is the promoted float dtype of `start` and
    `stop`. `start` and `stop` may be 1-D tensors, giving one sequence per
    element stacked along a new first axis.

    Args:
        start: Exponent of the first value.
        stop: Exponent of the last value (excluded when `endpoint=False`).
        num: Number of values (a non-negative int). Default 50.
        endpoint: If `True` (default), `base**stop` is the last value.
        base: Base of the logarithm. Default 10.
        dtype: Optional dtype of the result.
        axis: Must be 0 (the only placement supported on torch).

    Returns:
        A tensor of `num` values along the first axis.

    Raises:
        ValueError: if `axis` is not 0 or `num` is negative.

    Example:

    >>> keras.ops.logspace(0, 3, 4)
    tensor([   1.,   10.,  100., 1000.])
    >>> keras.ops.logspace(0, 3, 3, base=2)
    tensor([1.0000, 2.8284, 8.0000])
    """
    if axis != 0:
        raise ValueError(f"logspace(): only axis=0 is supported on torch; received axis={axis}.")
    num = _check_int("logspace", "num", num, 0)
    if isinstance(start, (np.ndarray, Variable)) or isinstance(start, (list, tuple)):
        start = _t(start)
    if isinstance(stop, (np.ndarray, Variable)) or isinstance(stop, (list, tuple)):
        stop = _t(stop)
    return _logspace(start, stop, num, endpoint, base, _space_dtype(start, stop, dtype))


@op
def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """`num` numbers forming a geometric progression from `start` to `stop`.

    Each value is the previous one times a constant ratio. `start` and `stop`
    must be non-zero and of the same sign (the sign of `start` is used).

    Args:
        start: First value.
        stop: Last value (excluded when `endpoint=False`).
        num: Number of values (a non-negative int). Default 50.
        endpoint: If `True` (default), `stop` is the last value.
        dtype: Optional dtype of the result (default: the promoted float dtype
            of `start` and `stop`).
        axis: Must be 0 (the only placement supported on torch).

    Returns:
        A 1-D tensor of `num` values.

    Raises:
        ValueError: if `axis` is not 0 or `num` is negative.

    Example:

    >>> keras.ops.geomspace(1, 1000, 4)
    tensor([   1.,   10.,  100., 1000.])
    """
    if axis != 0:
        raise ValueError(f"geomspace(): only axis=0 is supported on torch; received "
                         f"axis={axis}.")
    num = _check_int("geomspace", "num", num, 0)
    torch_dtype = _space_dtype(start, stop, dtype)
    start = convert_to_tensor(start, torch_dtype)
    stop = convert_to_tensor(stop, torch_dtype)
    out = _logspace(torch.log10(torch.abs(start)), torch.log10(torch.abs(stop)), num,
                    endpoint, 10, torch_dtype)
    return out * torch.sign(start)


def _window(name, fn, x, **kwargs):
    _not_symbolic(name, x)
    m = _check_int(name, "x", x.item() if isinstance(x, (Tensor, np.ndarray)) else x)
    if m < 1:
        return torch.zeros((0,), dtype=_floatx())
    return fn(m, dtype=_floatx(), **kwargs)


def bartlett(x):
    """The Bartlett (triangular) window of `x` points, used to taper signals.

    Value `n` of an `M`-point window is `1 - |2n/(M-1) - 1|`, for `n = 0, ..., M-1` (a
    symmetric window, as NumPy; a single point gives `[1.]`).

    Args:
        x: Number of points of the window (an int; 0 or less gives an empty
            tensor).

    Returns:
        A 1-D `floatx()` tensor of `x` values.

    Raises:
        TypeError: if `x` is not an integer or is a symbolic tensor.

    Example:

    >>> keras.ops.bartlett(5)
    tensor([0.0000, 0.5000, 1.0000, 0.5000, 0.0000])
    """
    return _window("bartlett", torch.signal.windows.bartlett, x)


def blackman(x):
    """The Blackman window of `x` points, used to taper signals.

    Value `n` of an `M`-point window is `0.42 - 0.5 cos(2 pi n/(M-1)) + 0.08 cos(4 pi n/(M-1))`, for `n = 0, ..., M-1` (a
    symmetric window, as NumPy; a single point gives `[1.]`).

    Args:
        x: Number of points of the window (an int; 0 or less gives an empty
            tensor).

    Returns:
        A 1-D `floatx()` tensor of `x` values.

    Raises:
        TypeError: if `x` is not an integer or is a symbolic tensor.

    Example:

    >>> keras.ops.blackman(5)
    tensor([-1.4901e-08,  3.4000e-01,  1.0000e+00,  3.4000e-01, -1.4901e-08])
    """
    return _window("blackman", torch.signal.windows.blackman, x)


def hamming(x):
    """The Hamming window of `x` points, used to taper signals.

    Value `n` of an `M`-point window is `0.54 - 0.46 cos(2 pi n/(M-1))`, for `n = 0, ..., M-1` (a
    symmetric window, as NumPy; a single point gives `[1.]`).

    Args:
        x: Number of points of the window (an int; 0 or less gives an empty
            tensor).

    Returns:
        A 1-D `floatx()` tensor of `x` values.

    Raises:
        TypeError: if `x` is not an integer or is a symbolic tensor.

    Example:

    >>> keras.ops.hamming(5)
    tensor([0.0800, 0.5400, 1.0000, 0.5400, 0.0800])
    """
    return _window("hamming", torch.signal.windows.hamming, x)


def hanning(x):
    """The Hann (Hanning) window of `x` points, used to taper signals.

    Value `n` of an `M`-point window is `0.5 - 0.5 cos(2 pi n/(M-1))`, for `n = 0, ..., M-1` (a
    symmetric window, as NumPy; a single point gives `[1.]`).

    Args:
        x: Number of points of the window (an int; 0 or less gives an empty
            tensor).

    Returns:
        A 1-D `floatx()` tensor of `x` values.

    Raises:
        TypeError: if `x` is not an integer or is a symbolic tensor.

    Example:

    >>> keras.ops.hanning(5)
    tensor([0.0000, 0.5000, 1.0000, 0.5000, 0.0000])
    """
    return _window("hanning", torch.signal.windows.hann, x)


def kaiser(x, beta):
    """The Kaiser window of `x` points, with shape parameter `beta`.

    Value `n` of an `M`-point window is
    `I0(beta * sqrt(1 - (2n/(M-1) - 1)**2)) / I0(beta)`, with `I0` the modified
    Bessel function of order 0. `beta = 0` is a rectangular window; larger
    values narrow it.

    Args:
        x: Number of points of the window (an int; 0 or less gives an empty
            tensor).
        beta: Shape parameter (a Python number).

    Returns:
        A 1-D `floatx()` tensor of `x` values.

    Raises:
        TypeError: if `x` is not an integer, or `x` or `beta` is symbolic.

    Example:

    >>> keras.ops.kaiser(4, beta=5.0)
    tensor([0.0367, 0.7753, 0.7753, 0.0367])
    """
    _not_symbolic("kaiser", beta)
    return _window("kaiser", torch.signal.windows.kaiser, x, beta=float(beta))


@op
def vander(x, N=None, increasing=False):
    """The Vandermonde matrix of a vector: its columns are powers of `x`.

    Column `j` is `x ** (N - 1 - j)` (decreasing powers), or `x ** j` with
    `increasing=True`.

    Args:
        x: 1-D tensor.
        N: Number of columns (a non-negative int); `None` (default) means
            `len(x)`.
        increasing: If `True`, powers increase from left to right. Default
            `False`.

    Returns:
        A tensor of shape `(len(x), N)`, in the dtype Keras's promotion gives
        for `x` (int64 becomes int32).

    Raises:
        ValueError: if `x` is not 1-D.
        TypeError: if `N` is not an int or `increasing` not a bool.

    Example:

    >>> keras.ops.vander(np.array([1, 2, 3], dtype="int32"), N=3)
    tensor([[1, 1, 1],
            [4, 2, 1],
            [9, 3, 1]], dtype=torch.int32)
    """
    x = _t(x)
    if x.dim() != 1:
        raise ValueError(f"vander(): `x` must be 1-D; received shape {tuple(x.shape)}.")
    if N is not None:
        N = _check_int("vander", "N", N, 0)
    if not isinstance(increasing, bool):
        raise TypeError(f"vander(): `increasing` must be a bool; received {increasing!r}.")
    return _cast(torch.vander(x, N=N, increasing=increasing), result_type(x.dtype))


@op
def diag(x, k=0):
    """Extracts a diagonal of a matrix, or builds a matrix with a vector on a diagonal.

    Args:
        x: A 1-D tensor (the diagonal to place) or a 2-D tensor (the matrix to
            read).
        k: Which diagonal: 0 (default) the main one, positive above it, negative
            below.

    Returns:
        For 1-D `x`, a square matrix of size `len(x) + |k|`; for 2-D `x`, the
        1-D diagonal.

    Raises:
        ValueError: if `x` is not 1-D or 2-D.

    Example:

    >>> keras.ops.diag(np.array([1, 2]))
    tensor([[1, 0],
            [0, 2]])
    >>> keras.ops.diag(np.array([[1, 2], [3, 4]]), k=1)
    tensor([2])
    """
    x = _t(x)
    if x.dim() not in (1, 2):
        raise ValueError(f"diag(): `x` must be 1-D or 2-D; received shape {tuple(x.shape)}.")
    return torch.diag(x, diagonal=int(k))


@op
def diagflat(x, k=0):
    """A square matrix with the flattened `x` on a diagonal, zeros elsewhere.

    Args:
        x: Input tensor of any shape (flattened first).
        k: Which diagonal: 0 (default) the main one, positive above it, negative
            below.

    Returns:
        A 2-D tensor of size `x.size + |k|`.

    Example:

    >>> keras.ops.diagflat(np.array([[1, 2]]), k=-1)
    tensor([[0, 0, 0],
            [1, 0, 0],
            [0, 2, 0]])
    """
    return torch.diagflat(_t(x), offset=int(k))


@op
def meshgrid(*x, indexing="xy"):
    """Coordinate grids from 1-D coordinate vectors.

    For vectors of lengths `N1, ..., Nn`, returns `n` tensors of one common shape
    in which tensor `i` repeats vector `i` along its own axis. With `"xy"`
    (Cartesian, the default) the first two axes are swapped: the shape is
    `(N2, N1, N3, ...)`; with `"ij"` (matrix indexing) it is `(N1, N2, ...)`.

    Args:
        *x: 1-D tensors.
        indexing: `"xy"` (default) or `"ij"`.

    Returns:
        A tuple of tensors, one per input.

    Raises:
        ValueError: for another `indexing`.

    Example:

    >>> gx, gy = keras.ops.meshgrid(np.array([1, 2, 3]), np.array([10, 20]))
    >>> gx
    tensor([[1, 2, 3],
            [1, 2, 3]])
    >>> gy
    tensor([[10, 10, 10],
            [20, 20, 20]])
    """
    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid(): `indexing` must be 'xy' or 'ij'; received {indexing!r}.")
    return tuple(torch.meshgrid([_t(i) for i in x], indexing=indexing))


# ============================================================================
# Joining, splitting and rearranging
# ============================================================================
@op
def append(x1, x2, axis=None):
    """`x2` appended after `x1` along an axis.

    Args:
        x1: First tensor.
        x2: Tensor to append; with an `axis`, of the shape of `x1` except along
            it.
        axis: The axis to join along. `None` (default) flattens both first.

    Returns:
        A tensor.

    Example:

    >>> keras.ops.append(np.array([[1, 2]]), np.array([[3, 4]]))
    tensor([1, 2, 3, 4])
    >>> keras.ops.append(np.array([[1, 2]]), np.array([[3, 4]]), axis=0)
    tensor([[1, 2],
            [3, 4]])
    """
    x1, x2 = _t(x1), _t(x2)
    if axis is None:
        return torch.cat((x1.flatten(), x2.flatten()))
    return torch.cat((x1, x2), dim=axis)


@op
def hstack(xs):
    """Joins a sequence of tensors horizontally: along axis 1, or axis 0 for 1-D tensors.

    Args:
        xs: A list or tuple of tensors with equal shapes except along the
            joining axis.

    Returns:
        A tensor.

    Example:

    >>> keras.ops.hstack([np.array([1, 2]), np.array([3])])
    tensor([1, 2, 3])
    """
    return torch.hstack([_t(x) for x in xs])


@op
def vstack(xs):
    """Joins a sequence of tensors vertically: along axis 0, with 1-D tensors taken as rows of shape `(1, N)`.

    Args:
        xs: A list or tuple of tensors with equal shapes except along the
            joining axis.

    Returns:
        A tensor.

    Example:

    >>> keras.ops.vstack([np.array([1, 2]), np.array([3, 4])])
    tensor([[1, 2],
            [3, 4]])
    """
    return torch.vstack([_t(x) for x in xs])


@op
def dstack(xs):
    """Joins a sequence of tensors along the third axis (depth); 1-D and 2-D tensors get axes of size 1 first (`(N,)` becomes `(1, N, 1)`, `(M, N)` becomes `(M, N, 1)`).

    Args:
        xs: A list or tuple of tensors with equal shapes except along the
            joining axis.

    Returns:
        A tensor.

    Example:

    >>> keras.ops.dstack([np.array([1, 2]), np.array([3, 4])])
    tensor([[[1, 3],
             [2, 4]]])
    """
    return torch.dstack([_t(x) for x in xs])


def _sections(indices_or_sections):
    if isinstance(indices_or_sections, (int, np.integer)):
        return int(indices_or_sections)
    return [int(i) for i in _t(indices_or_sections).tolist()]


@op
def hsplit(x, indices_or_sections):
    """Splits `x` horizontally: along axis 1, or axis 0 for 1-D tensors.

    Args:
        x: Input tensor.
        indices_or_sections: An int `n`: `n` equal parts (the axis length must
            be divisible by `n`); or a sequence of indices at which to cut.

    Returns:
        A list of tensors.

    Example:

    >>> [t.shape for t in keras.ops.hsplit(np.zeros((2, 4)), 2)]
    [torch.Size([2, 2]), torch.Size([2, 2])]
    """
    return list(torch.hsplit(_t(x), _sections(indices_or_sections)))


@op
def vsplit(x, indices_or_sections):
    """Splits `x` vertically: along axis 0 (`x` must be at least 2-D).

    Args:
        x: Input tensor.
        indices_or_sections: An int `n`: `n` equal parts (the axis length must
            be divisible by `n`); or a sequence of indices at which to cut.

    Returns:
        A list of tensors.

    Example:

    >>> [t.shape for t in keras.ops.vsplit(np.zeros((4, 2)), 2)]
    [torch.Size([2, 2]), torch.Size([2, 2])]
    """
    return list(torch.vsplit(_t(x), _sections(indices_or_sections)))


@op
def dsplit(x, indices_or_sections):
    """Splits `x` along axis 2 (`x` must be at least 3-D).

    Args:
        x: Input tensor.
        indices_or_sections: An int `n`: `n` equal parts (the axis length must
            be divisible by `n`); or a sequence of indices at which to cut.

    Returns:
        A list of tensors.

    Example:

    >>> [t.shape for t in keras.ops.dsplit(np.zeros((1, 2, 4)), 2)]
    [torch.Size([1, 2, 2]), torch.Size([1, 2, 2])]
    """
    return list(torch.dsplit(_t(x), _sections(indices_or_sections)))


@op
def array_split(x, indices_or_sections, axis=0):
    """Splits `x` into a number of parts that may differ in size.

    Unlike `split`, the axis length need not be divisible: with length `L` and
    `n` parts, the first `L % n` parts have one element more than the others.

    Args:
        x: Input tensor.
        indices_or_sections: The number of parts (a positive int).
        axis: The axis to split. Default 0.

    Returns:
        A list of `indices_or_sections` tensors.

    Raises:
        TypeError: if `indices_or_sections` or `axis` is not an int.
        ValueError: if `indices_or_sections` is not positive.

    Example:

    >>> keras.ops.array_split(keras.ops.arange(5), 3)
    [tensor([0, 1], dtype=torch.int32), tensor([2, 3], dtype=torch.int32), tensor([4], dtype=torch.int32)]
    """
    if isinstance(indices_or_sections, bool) or not isinstance(indices_or_sections,
                                                                (int, np.integer)):
        raise TypeError("array_split(): `indices_or_sections` must be an integer; received "
                        f"indices_or_sections={indices_or_sections!r}.")
    if indices_or_sections <= 0:
        raise ValueError("array_split(): `indices_or_sections` must be positive; received "
                         f"indices_or_sections={indices_or_sections!r}.")
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"array_split(): `axis` must be an integer; received axis={axis!r}.")
    return list(torch.tensor_split(_t(x), int(indices_or_sections), dim=int(axis)))


@op
def fliplr(x):
    """Reverses the order of the columns (axis 1).

    Args:
        x: Tensor of rank >= 2.

    Returns:
        A tensor of the shape and dtype of `x`.

    Raises:
        ValueError: if `x` has fewer than 2 dimensions.

    Example:

    >>> keras.ops.fliplr(np.array([[1, 2, 3], [4, 5, 6]]))
    tensor([[3, 2, 1],
            [6, 5, 4]])
    """
    x = _t(x)
    if x.dim() < 2:
        raise ValueError(f"fliplr(): `x` must be at least 2-D; received shape {tuple(x.shape)}.")
    return torch.fliplr(x)


@op
def flipud(x):
    """Reverses the order of the rows (axis 0).

    Args:
        x: Tensor of rank >= 1.

    Returns:
        A tensor of the shape and dtype of `x`.

    Raises:
        ValueError: if `x` is a scalar.

    Example:

    >>> keras.ops.flipud(np.array([[1, 2], [3, 4]]))
    tensor([[3, 4],
            [1, 2]])
    """
    x = _t(x)
    if x.dim() < 1:
        raise ValueError("flipud(): `x` must be at least 1-D.")
    return torch.flipud(x)


@op
def rot90(array, k=1, axes=(0, 1)):
    """Rotates a tensor by 90 degrees, `k` times, in the plane of two axes.

    The rotation goes from the first axis of `axes` towards the second (counter-
    clockwise for a matrix shown with axis 0 downward and axis 1 to the right).
    Negative `k` rotates the other way.

    Args:
        array: Tensor of rank >= 2.
        k: Number of quarter turns. Default 1.
        axes: The two different axes of the plane. Default `(0, 1)`.

    Returns:
        The rotated tensor.

    Raises:
        ValueError: if `array` has rank < 2 or `axes` are not two different
            valid axes.

    Example:

    >>> keras.ops.rot90(np.array([[1, 2], [3, 4]]))
    tensor([[2, 4],
            [1, 3]])
    """
    array = _t(array)
    if array.dim() < 2:
        raise ValueError(f"rot90(): `array` must be at least 2-D; received shape "
                         f"{tuple(array.shape)}.")
    axes = tuple(int(a) for a in axes)
    if len(axes) != 2 or axes[0] == axes[1]:
        raise ValueError(f"rot90(): `axes` must be two different axes; received axes={axes}.")
    axes = tuple(a + array.dim() if a < 0 else a for a in axes)
    if not builtins.all(0 <= a < array.dim() for a in axes):
        raise ValueError(f"rot90(): `axes` {axes} out of bounds for rank {array.dim()}.")
    return torch.rot90(array, k=int(k), dims=axes)


@op
def roll(x, shift, axis=None):
    """Shifts elements cyclically along an axis: those leaving one end re-enter at the other.

    Args:
        x: Input tensor.
        shift: Number of places to shift (positive moves toward higher
            indices); a tuple gives one shift per axis of a tuple `axis`.
        axis: An int or a tuple of ints; `None` (default) rolls the flattened
            tensor and restores the shape.

    Returns:
        A tensor of the shape of `x`.

    Example:

    >>> keras.ops.roll(np.array([1, 2, 3, 4]), 1)
    tensor([4, 1, 2, 3])
    >>> keras.ops.roll(np.array([[1, 2], [3, 4]]), 1, axis=0)
    tensor([[3, 4],
            [1, 2]])
    """
    x = _t(x)
    shift = tuple(int(s) for s in shift) if isinstance(shift, (list, tuple)) else int(shift)
    if axis is None:
        return torch.roll(x, shift)
    axis = tuple(int(a) for a in axis) if isinstance(axis, (list, tuple)) else int(axis)
    return torch.roll(x, shift, dims=axis)


@op
def diff(a, n=1, axis=-1):
    """The `n`-th discrete difference along an axis: `a[i+1] - a[i]`, repeated `n` times.

    Args:
        a: Input tensor.
        n: Number of times to difference (a non-negative int; 0 returns `a`).
            Default 1.
        axis: The axis. Default -1.

    Returns:
        A tensor whose `axis` is shorter by `n`.

    Example:

    >>> keras.ops.diff(np.array([1, 4, 9, 16]))
    tensor([3, 5, 7])
    >>> keras.ops.diff(np.array([1, 4, 9, 16]), n=2)
    tensor([2, 2])
    """
    n = _check_int("diff", "n", n, 0)
    a = _t(a)
    if n == 0:
        return a
    return torch.diff(a, n=n, dim=int(axis))


@op
def view(x, dtype=None):
    """The same memory reinterpreted as another dtype (no conversion of values).

    When the item sizes differ, the last axis is rescaled (viewing 4 int8
    values as one int32, for example) and must have a compatible length.

    Args:
        x: Input tensor.
        dtype: The dtype to view as; `None` means `floatx()`.

    Returns:
        A tensor sharing memory with `x`.

    Example:

    >>> keras.ops.view(np.array([1.0], dtype="float32"), "int32")
    tensor([1065353216], dtype=torch.int32)
    """
    return _t(x).view(dtype=_creation_dtype(dtype))


# ============================================================================
# Products, correlation
# ============================================================================
@op
def inner(x1, x2):
    """Inner product over the last axes of `x1` and `x2`.

    For 1-D inputs the dot product; otherwise `result[i..., j...] = sum(x1[i..., :] * x2[j..., :])`. Computed in floating point and cast to the promoted dtype of the inputs.

    Args:
        x1: First input tensor.
        x2: Second input tensor, with the same last-axis length.

    Returns:
        A tensor of shape `x1.shape[:-1] + x2.shape[:-1]`.

    Example:

    >>> keras.ops.inner(np.array([[1, 2], [3, 4]]), np.array([1, 1]))
    tensor([3, 7], dtype=torch.int32)
    """
    x1, x2 = _t(x1), _t(x2)
    out_dtype = result_type(x1.dtype, x2.dtype)
    compute = result_type(out_dtype, float)
    if compute == "float16" and x1.device.type == "cpu":
        compute = "float32"
    return _cast(torch.inner(_cast(x1, compute), _cast(x2, compute)), out_dtype)


@op
def vdot(x1, x2):
    """Dot product of the flattened inputs, with `x1` complex-conjugated.

    Both inputs are flattened first and must have the same number of elements. Computed in floating point and cast to the promoted dtype of the inputs.

    Args:
        x1: First input tensor.
        x2: Second input tensor, with as many elements as `x1`.

    Returns:
        A scalar tensor.

    Example:

    >>> keras.ops.vdot(np.array([[1, 2], [3, 4]]), np.array([1, 0, 0, 1]))
    tensor(5, dtype=torch.int32)
    """
    x1, x2 = _t(x1), _t(x2)
    out_dtype = result_type(x1.dtype, x2.dtype)
    compute = result_type(out_dtype, float)
    if compute == "float16" and x1.device.type == "cpu":
        compute = "float32"
    return _cast(torch.vdot(_cast(x1, compute).flatten(), _cast(x2, compute).flatten()),
                 out_dtype)


@op
def kron(x1, x2):
    """The Kronecker product: every element of `x1` multiplies a whole copy of `x2`.

    The inputs are aligned by prepending axes of length 1 to the one of smaller rank.

    Args:
        x1: First input tensor.
        x2: Second input tensor.

    Returns:
        A tensor whose shape is the elementwise product of the input shapes.

    Example:

    >>> keras.ops.kron(np.array([1, 10]), np.array([1, 2, 3]))
    tensor([ 1,  2,  3, 10, 20, 30])
    """
    # torch.kron reshapes with view(): inputs with transposed strides (R
    # matrices arrive column-major) must be made contiguous first.
    return torch.kron(_t(x1).contiguous(), _t(x2).contiguous())


@op
def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """Cross product of 3-element vectors.

    The vectors lie along `axis` (default the last axis) of both inputs; the
    other axes broadcast. The result has the promoted dtype of the inputs
    (float16 is computed in float32 on CPU).

    Args:
        x1: Tensor whose `axis` has length 3.
        x2: Tensor whose `axis` has length 3, broadcastable with `x1`.
        axisa: Not supported on the torch backend (must stay -1).
        axisb: Not supported on the torch backend (must stay -1).
        axisc: Not supported on the torch backend (must stay -1).
        axis: The axis holding the vectors; `None` (default) means -1.

    Returns:
        A tensor of the broadcast shape.

    Raises:
        ValueError: if `axisa`, `axisb` or `axisc` is given, or the vectors have
            length 2 (NumPy's 2-D cross product is not supported on torch).

    Example:

    >>> keras.ops.cross(np.array([1.0, 0.0, 0.0]), np.array([0.0, 1.0, 0.0]))
    tensor([0., 0., 1.])
    """
    if axisa != -1 or axisb != -1 or axisc != -1:
        raise ValueError("cross(): `axisa`, `axisb` and `axisc` are not supported on the torch "
                         f"backend (use `axis`); received axisa={axisa}, axisb={axisb}, "
                         f"axisc={axisc}.")
    x1, x2 = _t(x1), _t(x2)
    out_dtype = result_type(x1.dtype, x2.dtype)
    compute = "float32" if out_dtype == "float16" and x1.device.type == "cpu" else out_dtype
    x1, x2 = _cast(x1, compute), _cast(x2, compute)
    dim = -1 if axis is None else int(axis)
    if x1.shape[dim] == 2 or x2.shape[dim] == 2:
        raise ValueError("cross(): vectors of length 2 are not supported on torch; pad them "
                         "to length 3.")
    x1, x2 = torch.broadcast_tensors(x1, x2)
    return _cast(torch.linalg.cross(x1, x2, dim=dim), out_dtype)


@op
def correlate(x1, x2, mode="valid"):
    """Cross-correlation of two 1-D sequences: `c[k] = sum_n x1[n + k] * x2[n]`.

    As `numpy.correlate` (no complex conjugation). Computed in float32 (float64
    for int64 inputs; float16/bfloat16/float64 are kept).

    Args:
        x1: First 1-D sequence.
        x2: Second 1-D sequence.
        mode: `"valid"` (default): only full overlaps, length
            `max(M, N) - min(M, N) + 1`; `"same"`: length of `x1`, centred;
            `"full"`: every partial overlap, length `M + N - 1`.

    Returns:
        A 1-D floating-point tensor.

    Raises:
        ValueError: for another `mode`.

    Example:

    >>> keras.ops.correlate(np.array([1.0, 2.0, 3.0]), np.array([0.0, 1.0, 0.5]), mode="full")
    tensor([0.5000, 2.0000, 3.5000, 3.0000, 0.0000])
    """
    if mode not in ("valid", "same", "full"):
        raise ValueError(f"correlate(): `mode` must be 'valid', 'same' or 'full'; received "
                         f"mode={mode!r}.")
    x1, x2 = _t(x1), _t(x2)
    name = result_type(x1.dtype, x2.dtype)
    if name == "int64":
        name = "float64"
    elif name not in ("bfloat16", "float16", "float64"):
        name = "float32"
    x1, x2 = _cast(x1, name), _cast(x2, name)
    n1, n2 = x1.shape[0], x2.shape[0]
    if x1.shape[:-1] != x2.shape[:-1]:
        lead = [builtins.max(i, j) for i, j in zip(x1.shape[:-1], x2.shape[:-1])]
        x1 = torch.broadcast_to(x1, lead + [x1.shape[-1]])
        x2 = torch.broadcast_to(x2, lead + [x2.shape[-1]])
    signals = int(np.prod(x1.shape[:-1]))
    a = x1.reshape(signals, x1.shape[-1])
    v = x2.reshape(signals, x2.shape[-1])
    full = torch.nn.functional.conv1d(a, v.unsqueeze(1), groups=signals,
                                      padding=v.shape[-1] - 1)
    full = full.reshape(tuple(a.shape[:-1]) + (-1,))
    if mode == "valid":
        length = builtins.max(n1, n2) - builtins.min(n1, n2) + 1
        begin = (full.shape[-1] - length) // 2
        full = full[..., begin:begin + length]
    elif mode == "same":
        begin = (full.shape[-1] - n1) // 2
        full = full[..., begin:begin + n1]
    return torch.squeeze(full)


@op
def corrcoef(x):
    """Pearson correlation coefficients between the rows of `x`.

    Each row is a variable and each column an observation (as
    `numpy.corrcoef` with its default `rowvar=True`). Booleans are computed in
    `floatx()` and int64 in float64.

    Args:
        x: A 1-D or 2-D tensor.

    Returns:
        A `(rows, rows)` matrix (a scalar for 1-D input).

    Example:

    >>> keras.ops.corrcoef(np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 7.0]]))
    tensor([[1.0000, 0.9934],
            [0.9934, 1.0000]])
    """
    x = _t(x)
    if x.dtype == torch.bool:
        x = x.to(_floatx())
    elif x.dtype == torch.int64:
        x = x.to(torch.float64)
    return torch.corrcoef(x)


@op
def trapezoid(y, x=None, dx=1.0, axis=-1):
    """Integral of `y` along an axis by the trapezoidal rule.

    Args:
        y: Sampled values.
        x: Optional sample points (of the length of `y` along `axis`, or of the
            shape of `y`); when given, `dx` is ignored.
        dx: Constant spacing between samples when `x` is `None`. Default 1.0.
        axis: The axis to integrate along. Default -1.

    Returns:
        A tensor with `axis` removed.

    Example:

    >>> keras.ops.trapezoid(np.array([1.0, 2.0, 3.0]))
    tensor(4.)
    >>> keras.ops.trapezoid(np.array([1.0, 2.0, 3.0]), x=np.array([0.0, 1.0, 3.0]))
    tensor(6.5000)
    """
    y = _t(y)
    if y.dtype == torch.bool:
        y = y.to(_floatx())
    if x is not None:
        return torch.trapezoid(y, x=_t(x), dim=int(axis))
    return torch.trapezoid(y, dx=_t(dx), dim=int(axis))


# ============================================================================
# Indexing, searching, counting
# ============================================================================
get_item = getitem


@op
def argpartition(x, kth, axis=-1):
    """Indices that partially sort `x` so that the `kth` element is in its sorted place.

    Along `axis`, position `kth` of the result holds the index of the value that
    would be there after a full sort; the positions before it hold the indices
    of the `kth` smaller-or-equal values (here in ascending order) and the
    positions after it the indices of the others (here in their original order).
    NumPy leaves both groups in an unspecified order, so only the grouping
    should be relied on.

    Args:
        x: Input tensor.
        kth: Position of the element to place (an int; negative counts from the
            end).
        axis: The axis to partition along. Default -1. `None` partitions the
            flattened tensor.

    Returns:
        An int32 tensor of indices of the shape of `x`.

    Raises:
        ValueError: if `kth` is out of range.

    Example:

    >>> keras.ops.argpartition(np.array([30, 10, 40, 20]), 1)
    tensor([1, 3, 0, 2], dtype=torch.int32)
    """
    x = _t(x)
    if axis is None:
        x, axis = x.flatten(), 0
    axis = int(axis)
    n = x.shape[axis]
    kth = _check_int("argpartition", "kth", kth)
    if not -n <= kth < n:
        raise ValueError(f"argpartition(): kth={kth} is out of bounds for an axis of size {n}.")
    kth %= n
    moved = torch.movedim(x, axis, -1)
    if moved.dtype == torch.bool:
        moved = moved.to(torch.int32)
    # Stable ordering: the kth+1 smallest in ascending order, then the others
    # in their original order.
    order = torch.argsort(moved, dim=-1, stable=True)
    low = order[..., :kth + 1]
    chosen = torch.zeros(moved.shape, dtype=torch.bool, device=moved.device)
    chosen.scatter_(-1, low, True)
    rest = torch.argsort(chosen.to(torch.int8), dim=-1, stable=True)[..., :n - kth - 1]
    out = torch.cat([low, rest], dim=-1)
    return torch.movedim(out, -1, axis).to(torch.int32)


@op
def bincount(x, weights=None, minlength=0, sparse=False):
    """Counts the occurrences of each non-negative integer in `x`.

    `result[i]` is the number of times `i` occurs (or, with `weights`, the sum of
    the weights at those positions). A 2-D `x` is counted row by row.

    Args:
        x: 1-D or 2-D tensor of non-negative integers.
        weights: Optional weights of the shape of `x`.
        minlength: Minimum length of the result (a non-negative int). Default 0.
        sparse: Must be `False` (sparse output is not supported on torch).

    Returns:
        A tensor of length `max(max(x) + 1, minlength)` (per row for 2-D `x`):
        int32 counts, or weight sums in the promoted dtype of `x` and
        `weights`.

    Raises:
        TypeError: if `x` does not hold integers.
        ValueError: if `x` is not 1-D or 2-D, holds negative values, or
            `sparse=True`.

    Example:

    >>> keras.ops.bincount(np.array([0, 1, 1, 3]))
    tensor([1, 2, 0, 1], dtype=torch.int32)
    >>> keras.ops.bincount(np.array([0, 1, 1]), weights=np.array([0.5, 1.0, 2.0]), minlength=4)
    tensor([0.5000, 3.0000, 0.0000, 0.0000])
    """
    if sparse:
        raise ValueError("bincount(): `sparse=True` is not supported on the torch backend.")
    minlength = _check_int("bincount", "minlength", minlength, 0)
    x = _t(x)
    if x.is_floating_point() or x.is_complex() or x.dtype == torch.bool:
        raise TypeError(f"bincount(): `x` must hold integers; received dtype {_dt(x)}.")
    if x.dim() not in (1, 2):
        raise ValueError(f"bincount(): `x` must be 1-D or 2-D; received shape "
                         f"{tuple(x.shape)}.")
    if x.numel() and int(x.min()) < 0:
        raise ValueError("bincount(): `x` must not hold negative values.")
    if weights is None:
        name = "int32"
    else:
        weights = _t(weights)
        name = result_type(x.dtype, weights.dtype)
    if x.dim() == 2:
        width = builtins.max(minlength, int(x.max()) + 1 if x.numel() else 0)
        rows = [torch.bincount(x[i], None if weights is None else weights[i], width)
                for i in range(x.shape[0])]
        return _cast(torch.stack(rows) if rows else torch.zeros((0, width)), name)
    return _cast(torch.bincount(x, weights, minlength), name)


@op
def digitize(x, bins):
    """The index of the bin each value of `x` falls into.

    For increasing `bins`, returns `i` such that `bins[i-1] <= x < bins[i]`: 0
    below the first edge, `len(bins)` at or above the last.

    Args:
        x: Input tensor.
        bins: 1-D tensor of increasing bin edges.

    Returns:
        An int32 tensor of the shape of `x`.

    Example:

    >>> keras.ops.digitize(np.array([0.5, 1.0, 2.5, 9.0]), np.array([1.0, 2.0, 3.0]))
    tensor([0, 1, 2, 3], dtype=torch.int32)
    """
    x, bins = _t(x), _t(bins)
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    if x.dtype != bins.dtype:
        common = dtypes.to_torch(result_type(x.dtype, bins.dtype))
        x, bins = x.to(common), bins.to(common)
    return torch.bucketize(x, bins, right=True).to(torch.int32)


@op
def searchsorted(sorted_sequence, values, side="left"):
    """Where `values` would be inserted into a sorted sequence to keep it sorted.

    For each value, the index `i` such that inserting before position `i`
    keeps `sorted_sequence` in ascending order.

    Args:
        sorted_sequence: 1-D tensor in ascending order.
        values: Tensor of values to place (any shape).
        side: On ties, `"left"` (default) gives the first suitable index and
            `"right"` the last.

    Returns:
        An integer tensor (int32 unless the sequence is longer than int32 can
        index, then int64) of the shape of `values`.

    Raises:
        ValueError: if `side` is neither `"left"` nor `"right"`, or
            `sorted_sequence` is not 1-D.

    Example:

    >>> keras.ops.searchsorted(np.array([1, 2, 2, 3]), np.array([2, 5]))
    tensor([1, 4], dtype=torch.int32)
    >>> keras.ops.searchsorted(np.array([1, 2, 2, 3]), np.array([2, 5]), side="right")
    tensor([3, 4], dtype=torch.int32)
    """
    if side not in ("left", "right"):
        raise ValueError(f"searchsorted(): `side` must be 'left' or 'right'; received "
                         f"side={side!r}.")
    sorted_sequence, values = _t(sorted_sequence), _t(values)
    if sorted_sequence.dim() != 1:
        raise ValueError("searchsorted(): `sorted_sequence` must be 1-D (use vectorized_map "
                         f"for N-D); received shape {tuple(sorted_sequence.shape)}.")
    if sorted_sequence.dtype != values.dtype:
        common = dtypes.to_torch(result_type(sorted_sequence.dtype, values.dtype))
        sorted_sequence, values = sorted_sequence.to(common), values.to(common)
    out_int32 = sorted_sequence.shape[0] <= np.iinfo(np.int32).max
    return torch.searchsorted(sorted_sequence, values, side=side, out_int32=out_int32)


@op
def histogram(x, bins=10, range=None):
    """Histogram of a 1-D tensor over equal-width bins.

    Every bin but the last is half-open `[a, b)`; the last also includes its
    right edge. Values outside `range` are not counted. Integer inputs are
    converted to `floatx()`.

    Args:
        x: 1-D tensor.
        bins: Number of bins (a non-negative int). Default 10.
        range: `(low, high)` covered by the bins; `None` (default) means the
            minimum and maximum of `x`.

    Returns:
        A tuple `(counts, bin_edges)`: `bins` counts (floating point) and
        `bins + 1` edges.

    Raises:
        TypeError: if `bins` is not an int.
        ValueError: if `bins` is negative, `range` is not an increasing pair,
            or `x` is not 1-D.

    Example:

    >>> keras.ops.histogram(np.array([0.0, 0.1, 0.6, 1.0]), bins=2)
    (tensor([2., 2.]), tensor([0.0000, 0.5000, 1.0000]))
    """
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)):
        raise TypeError(f"histogram(): `bins` must be an integer; received bins={bins!r}.")
    if bins < 0:
        raise ValueError(f"histogram(): `bins` must be non-negative; received bins={bins}.")
    if range is not None:
        if not isinstance(range, (tuple, list)) or len(range) != 2:
            raise ValueError(f"histogram(): `range` must be a tuple of two numbers; received "
                             f"range={range!r}.")
        if range[1] < range[0]:
            raise ValueError(f"histogram(): `range[1]` must be >= `range[0]`; received "
                             f"range={range!r}.")
    x = _t(x)
    if x.dim() > 1:
        raise ValueError(f"histogram(): `x` must be 1-D; received shape {tuple(x.shape)}.")
    if not x.is_floating_point():
        x = x.to(_floatx())
    if range is None:
        result = torch.histogram(x, bins=int(bins))
    else:
        result = torch.histogram(x, bins=int(bins), range=(float(range[0]), float(range[1])))
    return result.hist, result.bin_edges


@op
def nonzero(x):
    """The indices of the non-zero elements of `x`.

    Unlike NumPy (a tuple of arrays), the result is one int32 tensor of shape
    `(x.ndim, count)`: row `i` holds the indices along axis `i`, in row-major
    order of the elements. Under a symbolic input the count is unknown (`None`).

    Args:
        x: Input tensor.

    Returns:
        An int32 tensor of shape `(x.ndim, count)`.

    Example:

    >>> keras.ops.nonzero(np.array([[0, 7], [5, 0]]))
    tensor([[0, 1],
            [1, 0]], dtype=torch.int32)
    """
    return torch.nonzero(_t(x)).T.to(torch.int32)


@op
def unravel_index(indices, shape):
    """Converts flat (row-major) indices into coordinates for a given shape.

    Args:
        indices: Integer tensor of flat indices into a tensor of shape
            `shape`.
        shape: The shape the indices refer to.

    Returns:
        A tuple of `len(shape)` tensors of the shape of `indices`, one per axis,
        in the dtype Keras's promotion gives for `indices` (int64 becomes
        int32).

    Example:

    >>> keras.ops.unravel_index(np.array([1, 5], dtype="int32"), (2, 3))
    (tensor([0, 1], dtype=torch.int32), tensor([1, 2], dtype=torch.int32))
    """
    indices = _t(indices)
    shape = _shape_arg(shape)
    name = result_type(indices.dtype)
    return tuple(_cast(i, name) for i in torch.unravel_index(indices, shape))


@op
def select(condlist, choicelist, default=0):
    """Picks each element from the first choice whose condition is true.

    Element `i` of the result is `choicelist[j][i]` for the first `j` with
    `condlist[j][i]` true, or `default` when no condition is true. Conditions,
    choices and `default` broadcast together.

    Args:
        condlist: A non-empty list of boolean tensors.
        choicelist: A list of tensors, as long as `condlist`.
        default: The value where no condition holds. Default 0.

    Returns:
        A tensor of the broadcast shape.

    Raises:
        ValueError: if the lists are not lists, are empty or differ in length.

    Example:

    >>> x = np.array([-2, 0, 3])
    >>> keras.ops.select([x < 0, x > 0], [-x, x * 10], default=99)
    tensor([ 2, 99, 30])
    """
    if not isinstance(condlist, (list, tuple)) or not isinstance(choicelist, (list, tuple)):
        raise ValueError("select(): `condlist` and `choicelist` must be lists; received "
                         f"{type(condlist).__name__} and {type(choicelist).__name__}.")
    if not condlist or not choicelist:
        raise ValueError("select(): `condlist` and `choicelist` must not be empty.")
    if len(condlist) != len(choicelist):
        raise ValueError(f"select(): `condlist` ({len(condlist)}) and `choicelist` "
                         f"({len(choicelist)}) must have the same length.")
    out = _t(default)
    for cond, choice in reversed(list(zip(condlist, choicelist))):
        out = torch.where(_t(cond), _t(choice), out)
    return out


@op
def slogdet(x):
    """Sign and natural log of the absolute value of the determinant.

    More robust than `log(det(x))` for large or small determinants: the
    determinant is `sign * exp(logabsdet)`. For a singular matrix the sign is
    0 and the log `-inf`.

    Args:
        x: Tensor of shape `(..., M, M)` (square matrices, batched over
            leading axes).

    Returns:
        A tuple `(sign, logabsdet)` of tensors of shape `(...)`.

    Example:

    >>> keras.ops.slogdet(np.array([[2.0, 0.0], [0.0, -3.0]]))
    (tensor(-1.), tensor(1.7918))
    """
    return tuple(torch.linalg.slogdet(_t(x)))


@op
def unique(x, sorted=True, return_index=False, return_inverse=False, return_counts=False,
           axis=None, size=None, fill_value=None):
    """The unique values of `x` (or the unique slices along an axis).

    Args:
        x: Input tensor.
        sorted: If `True` (default), the unique values come in ascending order.
        return_index: If `True`, also return the index of the first occurrence
            of each unique value in the flattened `x` (along `axis` when given).
        return_inverse: If `True`, also return the indices that rebuild `x` from
            the unique values.
        return_counts: If `True`, also return how often each unique value
            occurs.
        axis: `None` (default) flattens `x`; an int finds unique slices along
            that axis.
        size: Optional fixed number of unique values to return (a non-negative
            int): extra ones are dropped, missing ones padded with `fill_value`
            (their counts are 0). Gives a static shape under symbolic inputs.
        fill_value: The padding value when `size` is larger than the number of
            unique values. Default 0.

    Returns:
        The unique values; with any `return_*` flag, a tuple `(values,
        [index], [inverse], [counts])` holding the requested extras in this
        order.

    Example:

    >>> keras.ops.unique(np.array([3, 1, 3, 2]))
    tensor([1, 2, 3])
    >>> keras.ops.unique(np.array([3, 1, 3, 2]), return_counts=True)
    (tensor([1, 2, 3]), tensor([1, 1, 2]))
    >>> keras.ops.unique(np.array([3, 1, 3]), size=4, fill_value=-1)
    tensor([ 1,  3, -1, -1])
    """
    x = _t(x)
    want_inverse = return_inverse or return_index
    out = torch.unique(x, sorted=sorted, return_inverse=want_inverse,
                       return_counts=return_counts, dim=axis)
    out = list(out) if isinstance(out, tuple) else [out]
    values = out[0]
    dim = 0 if axis is None else int(axis) % x.dim()
    first = None
    if return_index:
        inverse = out[1].flatten()
        positions = torch.arange(inverse.numel(), dtype=inverse.dtype, device=inverse.device)
        first = inverse.new_empty(values.shape[dim]).scatter_reduce_(
            0, inverse, positions, reduce="amin", include_self=False)
    counts = out[-1] if return_counts else None
    if size is not None:
        size = _check_int("unique", "size", size, 0)
        found = values.shape[dim]
        if found > size:
            values = values.narrow(dim, 0, size)
            counts = None if counts is None else counts[:size]
            first = None if first is None else first[:size]
        elif found < size:
            extra = size - found
            pad_shape = list(values.shape)
            pad_shape[dim] = extra
            filler = torch.full(pad_shape, 0 if fill_value is None else fill_value,
                                dtype=values.dtype, device=values.device)
            values = torch.cat([values, filler], dim=dim)
            if counts is not None:
                counts = torch.cat([counts, counts.new_zeros(extra)])
            if first is not None:
                first = torch.cat([first, first.new_ones(extra)])
    result = [values]
    if return_index:
        result.append(first)
    if return_inverse:
        result.append(out[1])
    if return_counts:
        result.append(counts)
    return result[0] if len(result) == 1 else tuple(result)


def vectorize(pyfunc, *, excluded=None, signature=None):
    """Turns a function written for single elements into one that maps over tensors.

    The returned function broadcasts its tensor arguments against each other
    and calls `pyfunc` on every element (or, with a `signature`, on every
    "core" sub-tensor), using `torch.vmap` over the loop dimensions.

    Args:
        pyfunc: The function to vectorize; it receives tensors of the core
            shape (0-d tensors without a signature) and must be expressible
            with torch operations (no Python branching on values).
        excluded: Optional set of positional indices and keyword names of
            arguments passed through unchanged (not mapped over).
        signature: Optional generalized-ufunc signature such as
            `"(n),(n)->()"`: the trailing core dimensions of each input; the
            leading dimensions are looped over.

    Returns:
        The vectorized function.

    Raises:
        ValueError: if `pyfunc` is not callable or `signature` is malformed.

    Example:

    >>> f = keras.ops.vectorize(lambda a, b: a * 2 + b)
    >>> f(np.array([1, 2, 3]), 10)
    tensor([12, 14, 16])
    >>> dot = keras.ops.vectorize(lambda a, b: keras.ops.sum(a * b), signature="(n),(n)->()")
    >>> dot(np.ones((4, 3)), np.array([1.0, 2.0, 3.0]))
    tensor([6., 6., 6., 6.])
    """
    if not callable(pyfunc):
        raise ValueError(f"vectorize(): `pyfunc` must be callable; received {pyfunc!r}.")
    excluded = set() if excluded is None else set(excluded)
    core_in = None
    if signature is not None:
        core_in, _ = _parse_gufunc_signature(signature)

    def vectorized(*args, **kwargs):
        fixed_pos = {i: a for i, a in enumerate(args) if i in excluded}
        fixed_kw = {k: v for k, v in kwargs.items() if k in excluded}
        mapped_pos = [i for i in range(len(args)) if i not in excluded]
        mapped_kw = [k for k in kwargs if k not in excluded]
        tensors = [_t(args[i]) for i in mapped_pos] + [_t(kwargs[k]) for k in mapped_kw]
        if core_in is not None and len(core_in) != len(tensors):
            raise TypeError(f"vectorize(): the signature {signature!r} names {len(core_in)} "
                            f"inputs; received {len(tensors)}.")
        cores = core_in or [()] * len(tensors)
        loop_shapes = [tuple(t.shape[:t.dim() - len(c)]) for t, c in zip(tensors, cores)]
        loop = torch.broadcast_shapes(*loop_shapes) if loop_shapes else ()
        tensors = [torch.broadcast_to(t, loop + tuple(t.shape[t.dim() - len(c):]))
                   for t, c in zip(tensors, cores)]

        def call(*ts):
            pos = list(args)
            kw = dict(kwargs)
            for i, t in zip(mapped_pos, ts):
                pos[i] = t
            for k, t in zip(mapped_kw, ts[len(mapped_pos):]):
                kw[k] = t
            for i, v in fixed_pos.items():
                pos[i] = v
            kw.update(fixed_kw)
            return pyfunc(*pos, **kw)

        fn = call
        for _ in loop:
            fn = torch.vmap(fn)
        return fn(*tensors)

    return vectorized


def _parse_gufunc_signature(signature):
    import re
    match = re.fullmatch(r"\s*(\(.*?\)(?:\s*,\s*\(.*?\))*)\s*->\s*(\(.*?\)(?:\s*,\s*\(.*?\))*)\s*",
                         signature)
    if match is None:
        raise ValueError(f"vectorize(): not a valid gufunc signature: {signature!r}.")

    def parse(part):
        return [tuple(d.strip() for d in group.split(",") if d.strip())
                for group in re.findall(r"\((.*?)\)", part)]

    return parse(match.group(1)), parse(match.group(2))


# -- symbolic outputs whose sizes depend on the values ---------------------------
def _with_unknown(spec, dims):
    shape = list(spec.shape)
    for d in dims:
        shape[d] = None
    return KerasTensor(tuple(shape), spec.dtype)


def _nonzero_unknown(spec, arguments):
    return _with_unknown(spec, [1])


def _bincount_unknown(spec, arguments):
    return _with_unknown(spec, [-1])


def _unique_unknown(spec, arguments):
    specs = list(spec) if isinstance(spec, (tuple, list)) else [spec]
    if arguments.get("size") is not None:
        return spec
    axis = arguments.get("axis")
    out = [_with_unknown(specs[0], [0 if axis is None else axis])]
    rest = specs[1:]
    if arguments.get("return_index"):
        out.append(_with_unknown(rest.pop(0), [0]))
    if arguments.get("return_inverse"):
        out.append(rest.pop(0))
    if arguments.get("return_counts"):
        out.append(_with_unknown(rest.pop(0), [0]))
    return out[0] if len(out) == 1 else tuple(out)


nonzero._raw._unknown_dims = _nonzero_unknown
bincount._raw._unknown_dims = _bincount_unknown
unique._raw._unknown_dims = _unique_unknown


def _where_unknown(spec, arguments, args, kwargs):
    x1 = args[1] if len(args) > 1 else kwargs.get("x1")
    x2 = args[2] if len(args) > 2 else kwargs.get("x2")
    return _with_unknown(spec, [1]) if x1 is None and x2 is None else spec


where._raw._keep_unknown_dims = _where_unknown
