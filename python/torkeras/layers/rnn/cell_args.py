"""Argument checks and config entries shared by the recurrent cells and the
layers wrapping them (LSTM, GRU, SimpleRNN and their cells)."""

from torkeras import activations, constraints, initializers, regularizers
from torkeras.layers.core import arg_utils
from torkeras.layers.regularization.seeded_generator import check_seed


def check_units(units):
    return arg_utils.positive_int(units, "units")


def clamp_rate(value, name, layer):
    """Keras clips `dropout` / `recurrent_dropout` into [0, 1]; anything that
    is not a number is an error."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{layer}: `{name}` must be a float between 0 and 1; "
                         f"received: {name}={value!r}")
    return min(1.0, max(0.0, float(value)))


def set_cell_arguments(cell, layer, activation, use_bias, kernel_initializer,
                       recurrent_initializer, bias_initializer, kernel_regularizer,
                       recurrent_regularizer, bias_regularizer, kernel_constraint,
                       recurrent_constraint, bias_constraint, dropout, recurrent_dropout, seed):
    """Stores the arguments every built-in cell has, resolved and checked."""
    cell.activation = activations.get(activation)
    cell.use_bias = bool(use_bias)
    cell.kernel_initializer = initializers.get(kernel_initializer)
    cell.recurrent_initializer = initializers.get(recurrent_initializer)
    cell.bias_initializer = initializers.get(bias_initializer)
    cell.kernel_regularizer = regularizers.get(kernel_regularizer)
    cell.recurrent_regularizer = regularizers.get(recurrent_regularizer)
    cell.bias_regularizer = regularizers.get(bias_regularizer)
    cell.kernel_constraint = constraints.get(kernel_constraint)
    cell.recurrent_constraint = constraints.get(recurrent_constraint)
    cell.bias_constraint = constraints.get(bias_constraint)
    cell.dropout = clamp_rate(dropout, "dropout", layer)
    cell.recurrent_dropout = clamp_rate(recurrent_dropout, "recurrent_dropout", layer)
    cell.seed = check_seed(seed, layer)
    # The seeded generators exist from the start, so a restored training
    # state (BackupAndRestore) finds them before the first draw.
    cell._dropout_state()


def cell_config(cell):
    """The config entries of a built-in cell's arguments (Keras's keys)."""
    return {
        "units": cell.units,
        "activation": activations.serialize(cell.activation),
        "use_bias": cell.use_bias,
        "kernel_initializer": initializers.serialize(cell.kernel_initializer),
        "recurrent_initializer": initializers.serialize(cell.recurrent_initializer),
        "bias_initializer": initializers.serialize(cell.bias_initializer),
        "kernel_regularizer": regularizers.serialize(cell.kernel_regularizer),
        "recurrent_regularizer": regularizers.serialize(cell.recurrent_regularizer),
        "bias_regularizer": regularizers.serialize(cell.bias_regularizer),
        "kernel_constraint": constraints.serialize(cell.kernel_constraint),
        "recurrent_constraint": constraints.serialize(cell.recurrent_constraint),
        "bias_constraint": constraints.serialize(cell.bias_constraint),
        "dropout": cell.dropout,
        "recurrent_dropout": cell.recurrent_dropout,
        "seed": cell.seed,
    }


def build_cell_weights(cell, input_dim, gates, bias_shape, bias_initializer):
    """kernel (input_dim, gates*units), recurrent_kernel (units, gates*units)
    and the optional bias, in Keras's creation order (the h5 `vars/0,1,2`)."""
    if input_dim is None:
        raise ValueError(f"{type(cell).__name__} {cell.name!r}: the last dimension of the input "
                         "(features) must be known")
    width = gates * cell.units
    cell.kernel = cell.add_weight(shape=(input_dim, width), initializer=cell.kernel_initializer,
                                  regularizer=cell.kernel_regularizer,
                                  constraint=cell.kernel_constraint, name="kernel")
    cell.recurrent_kernel = cell.add_weight(
        shape=(cell.units, width), initializer=cell.recurrent_initializer,
        regularizer=cell.recurrent_regularizer, constraint=cell.recurrent_constraint,
        name="recurrent_kernel")
    cell.bias = None
    if cell.use_bias:
        cell.bias = cell.add_weight(shape=bias_shape, initializer=bias_initializer,
                                    regularizer=cell.bias_regularizer,
                                    constraint=cell.bias_constraint, name="bias")


UNFUSABLE = ("use_cudnn=True was specified, but the fused kernel needs activation='tanh', "
             "recurrent_activation='sigmoid'{extra} and no recurrent_dropout in training. Pass "
             "use_cudnn='auto' to fall back to the step loop.")
UNFUSABLE_MASK = ("use_cudnn=True was specified, but the fused kernel does not take a mask. "
                  "Pass use_cudnn='auto' to fall back to the step loop.")


def check_use_cudnn(value):
    """LSTM/GRU's `use_cudnn` picks torch's fused kernel: "auto" when the
    configuration allows, False never, True always (an error otherwise)."""
    if value not in ("auto", True, False):
        raise ValueError("Invalid value received for argument `use_cudnn`. Expected one of "
                         f"{{'auto', True, False}}. Received: use_cudnn={value!r}")
    return value


def set_implementation(cell, implementation, gates):
    """Keras's `implementation` switch of LSTMCell / GRUCell: 2 (default)
    drops inputs and state with one mask shared by all gates; 1, which a
    non-zero `recurrent_dropout` forces, draws one mask per gate."""
    if implementation not in (1, 2):
        raise ValueError(f"{type(cell).__name__}: `implementation` must be 1 or 2; received: "
                         f"implementation={implementation!r}")
    cell.implementation = 1 if cell.recurrent_dropout != 0.0 else implementation
    if cell.implementation == 1:
        cell.dropout_mask_count = gates


def gate_inputs(cell, inputs, state, training):
    """The cell's input and previous state as seen by each gate: lists of
    `dropout_mask_count` tensors (per-gate masks) or the single tensors."""
    count = getattr(cell, "dropout_mask_count", None)
    if training and 0.0 < cell.dropout < 1.0:
        mask = cell.get_dropout_mask(inputs)
        inputs = [inputs * m for m in mask] if count else inputs * mask
    elif count:
        inputs = [inputs] * count
    if training and 0.0 < cell.recurrent_dropout < 1.0:
        mask = cell.get_recurrent_dropout_mask(state)
        state = [state * m for m in mask] if count else state * mask
    elif count:
        state = [state] * count
    return inputs, state
