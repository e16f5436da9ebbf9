"""Small `keras.utils` helpers: clear_session, get_source_inputs, and packing
data tuples (pack_x_y_sample_weight / unpack_x_y_sample_weight)."""

import gc

from torkeras.trainers import data_adapter


def clear_session(free_memory=True):
    """Resets the global state torkeras keeps: the automatic layer and model
    names start again at `dense`, `sequential`, ... .

    Args:
        free_memory: Whether to also run Python's garbage collector (and free
            cached CUDA memory, when CUDA is in use).
    """
    from torkeras import naming
    naming.reset_uids()
    if free_memory:
        gc.collect()
        import torch
        if torch.cuda.is_available():
            torch.cuda.empty_cache()


def get_source_inputs(tensor):
    """The input tensors (from `keras.Input()`) a symbolic tensor was computed
    from, in the order they are first reached.

    Args:
        tensor: A symbolic tensor (KerasTensor).

    Returns:
        A list of symbolic input tensors.
    """
    from torkeras.graph.keras_tensor import KerasTensor
    if not isinstance(tensor, KerasTensor):
        raise ValueError("get_source_inputs(): `tensor` must be a symbolic tensor (from "
                         f"keras.Input() or a layer called on one); received {type(tensor).__name__}.")
    found, seen = [], set()

    def visit(t):
        history = t._keras_history
        if history is None:
            if id(t) not in seen:
                seen.add(id(t))
                found.append(t)
            return
        layer, node_index, _ = history
        node = layer._inbound_nodes[node_index]
        if node.is_input:
            if id(t) not in seen:
                seen.add(id(t))
                found.append(t)
            return
        for parent in node.input_tensors:
            visit(parent)

    visit(tensor)
    return found


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """Packs data as `fit()` expects it from a generator or dataset: `x`
    alone when there is no `y`, else `(x, y)` or `(x, y, sample_weight)`.

    Args:
        x: Features.
        y: Targets, or None.
        sample_weight: Sample weights, or None.

    Returns:
        `x`, `(x, y)` or `(x, y, sample_weight)`.
    """
    if y is None:
        # A tuple or list x would be read back as (x, y): wrap it.
        if isinstance(x, (tuple, list)):
            return (x,)
        return x
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def unpack_x_y_sample_weight(data):
    """Splits what a generator or dataset yields into `(x, y, sample_weight)`.

    Args:
        data: `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)`.

    Returns:
        A tuple of three; missing parts are None.
    """
    return data_adapter.unpack_x_y_sample_weight(data)
