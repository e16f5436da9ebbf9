"""The model summary table, drawn with box characters as Keras 3 prints it."""

import textwrap

import numpy as np

from torkeras.graph.keras_tensor import KerasTensor

# Inner widths of the three columns (text plus one space of padding each side).
_WIDTHS = (33, 24, 15)
_WIDTHS_CONNECTED = (31, 22, 11, 20)


def readable_memory_size(num_bytes):
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if num_bytes < 1024 or unit == "TB":
            return f"{num_bytes:.2f} {unit}"
        num_bytes /= 1024


def _format_shape(spec):
    if spec is None:
        return "?"
    if isinstance(spec, KerasTensor):
        shape = spec.shape
        return "(" + ", ".join(str(d) for d in shape) + ")"
    if isinstance(spec, dict):
        return "{" + ", ".join(f"{k}: {_format_shape(v)}" for k, v in spec.items()) + "}"
    if isinstance(spec, (list, tuple)):
        return "[" + ", ".join(_format_shape(s) for s in spec) + "]"
    return str(spec)


def _wrap(text, width):
    lines = []
    for paragraph in text.split("\n"):
        lines.extend(textwrap.wrap(paragraph, width=width, break_long_words=True,
                                   break_on_hyphens=False) or [""])
    return lines


def _row(cells, widths, aligns):
    wrapped = [_wrap(c, w - 2) for c, w in zip(cells, widths)]
    height = max(len(w) for w in wrapped)
    out = []
    for i in range(height):
        parts = []
        for lines, w, align in zip(wrapped, widths, aligns):
            text = lines[i] if i < len(lines) else ""
            text = text.rjust(w - 2) if align == "right" else text.ljust(w - 2)
            parts.append(" " + text + " ")
        out.append("│" + "│".join(parts) + "│")
    return out


def _rule(widths, left, mid, right, fill):
    return left + mid.join(fill * w for w in widths) + right


def _count(variables):
    return int(sum(int(np.prod(v.shape)) for v in variables))


def _bytes(variables):
    total = 0
    for v in variables:
        total += int(np.prod(v.shape)) * v.value.element_size()
    return total


def summary_lines(model, show_trainable=False):
    layers, connected = _layer_rows(model)
    widths = _WIDTHS_CONNECTED if connected else _WIDTHS
    headers = ["Layer (type)", "Output Shape", "Param #"] + (["Connected to"] if connected else [])
    aligns = ["left", "left", "right"] + (["left"] if connected else [])
    lines = [f'Model: "{model.name}"']
    lines.append(_rule(widths, "┏", "┳", "┓", "━"))
    header_cells = []
    for text, w, align in zip(headers, widths, aligns):
        text = text.rjust(w - 2) if align == "right" else text.ljust(w - 2)
        header_cells.append(" " + text + " ")
    lines.append("┃" + "┃".join(header_cells) + "┃")
    lines.append(_rule(widths, "┡", "╇", "┩", "━"))
    for i, cells in enumerate(layers):
        if i > 0:
            lines.append(_rule(widths, "├", "┼", "┤", "─"))
        lines.extend(_row(cells, widths, aligns))
    lines.append(_rule(widths, "└", "┴", "┘", "─"))
    weights = model.weights
    trainable = model.trainable_weights
    trainable_ids = {id(v) for v in trainable}
    non_trainable = [v for v in weights if id(v) not in trainable_ids]
    optimizer = getattr(model, "optimizer", None)
    opt_vars = []
    if optimizer is not None and getattr(optimizer, "built", False):
        opt_vars = list(optimizer.variables)
    # As in Keras 3, the total includes the optimizer's variables once built.
    total = list(weights) + opt_vars
    lines.append(f" Total params: {_count(total):,} ({readable_memory_size(_bytes(total))})")
    lines.append(f" Trainable params: {_count(trainable):,} ({readable_memory_size(_bytes(trainable))})")
    lines.append(f" Non-trainable params: {_count(non_trainable):,} "
                 f"({readable_memory_size(_bytes(non_trainable))})")
    if opt_vars:
        lines.append(f" Optimizer params: {_count(opt_vars):,} "
                     f"({readable_memory_size(_bytes(opt_vars))})")
    return lines


def _layer_rows(model):
    """Returns (rows, has_connected_column)."""
    from torkeras.models.functional import Functional
    from torkeras.models.sequential import Sequential

    rows = []
    if isinstance(model, Functional) and not isinstance(model, Sequential):
        multi = _needs_connected_column(model)
        for layer in model.layers:
            cells = [f"{layer.name} ({type(layer).__name__})", _layer_output_shape(layer, model),
                     _param_count(layer)]
            if multi:
                cells.append(_connections(layer, model))
            rows.append(cells)
        return rows, multi
    for layer in model.layers:
        rows.append([f"{layer.name} ({type(layer).__name__})", _layer_output_shape(layer, model),
                     _param_count(layer)])
    return rows, False


def _param_count(layer):
    if not layer.built:
        return "0 (unbuilt)"
    return f"{layer.count_params():,}"


def _layer_output_shape(layer, model):
    nodes = getattr(model, "_nodes_by_layer", {}).get(id(layer))
    if nodes:
        return _format_shape(nodes[0].outputs)
    if layer._inbound_nodes:
        return _format_shape(layer._inbound_nodes[-1].outputs)
    return _built_output_shape(layer)


def _built_output_shape(layer):
    """A layer built by an eager call (inside a subclassed model) has no node;
    as Keras 3, its output shape comes from the shape it was built with."""
    shapes = getattr(layer, "_build_shapes", None)
    if not layer.built or shapes is None:
        return "?"
    try:
        return _format_shape(layer.compute_output_spec(_symbolic(shapes)))
    except Exception:
        return "?"


def _symbolic(shapes):
    if isinstance(shapes, dict):
        return {k: _symbolic(v) for k, v in shapes.items()}
    if isinstance(shapes, (list, tuple)) and shapes and \
            all(isinstance(s, (list, tuple)) or s is None for s in shapes):
        return [_symbolic(s) for s in shapes]
    return KerasTensor(tuple(shapes))


def _needs_connected_column(model):
    if len(model.inputs) > 1:
        return True
    for layer in model.layers:
        for node in model._nodes_by_layer.get(id(layer), []):
            if len(node.parent_nodes) > 1:
                return True
    return False


def _connections(layer, model):
    parts = []
    for node in model._nodes_by_layer.get(id(layer), []):
        for t in node.input_tensors:
            src, node_index, tensor_index = t._keras_history
            parts.append(f"{src.name}[{node_index}][{tensor_index}]")
    return ", ".join(parts) if parts else "-"


def print_summary(model, line_length=None, positions=None, print_fn=None, expand_nested=False,
                  show_trainable=False, layer_range=None):
    text = "\n".join(summary_lines(model, show_trainable=show_trainable))
    if print_fn is None:
        print(text, flush=True)
    else:
        print_fn(text)
