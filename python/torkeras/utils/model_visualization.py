"""`plot_model` / `model_to_dot`: the layer graph of a model, drawn by Graphviz.

The graph is written as DOT text by hand (no pydot); Graphviz's `dot`
program (Debian package `graphviz`) renders it to PNG, SVG, PDF, ...
"""

import html
import os
import shutil
import subprocess

from torkeras.graph.keras_tensor import KerasTensor
from torkeras.utils.atomic_files import atomic_write_bytes

_FORMATS = {"png", "svg", "pdf", "jpg", "jpeg", "gif", "ps", "eps", "bmp", "tif", "tiff"}


def _format_shape(spec):
    if spec is None:
        return "?"
    if isinstance(spec, KerasTensor):
        return "(" + ", ".join(str(d) for d in spec.shape) + ("," if len(spec.shape) == 1 else "") + ")"
    if isinstance(spec, dict):
        return "{" + ", ".join(f"{k}: {_format_shape(v)}" for k, v in spec.items()) + "}"
    if isinstance(spec, (list, tuple)):
        parts = [_format_shape(s) for s in spec]
        return parts[0] if len(parts) == 1 else "[" + ", ".join(parts) + "]"
    return str(spec)


def _format_dtype(spec):
    if isinstance(spec, KerasTensor):
        return spec.dtype
    if isinstance(spec, dict):
        return "{" + ", ".join(f"{k}: {_format_dtype(v)}" for k, v in spec.items()) + "}"
    if isinstance(spec, (list, tuple)):
        parts = [_format_dtype(s) for s in spec]
        return parts[0] if len(parts) == 1 else "[" + ", ".join(parts) + "]"
    return "?"


def _activation_name(layer):
    activation = getattr(layer, "activation", None)
    if activation is None:
        return None
    name = getattr(activation, "__name__", None) or type(activation).__name__
    return name


def _is_graph_model(layer):
    from torkeras.models.functional import Functional
    from torkeras.models.sequential import Sequential
    if isinstance(layer, Sequential):
        return layer._input_layer is not None and bool(getattr(layer, "_nodes_by_layer", None))
    return isinstance(layer, Functional)


def _graph(model):
    """(layers, edges, input layers, output layers) of a model, where edges are
    (parent layer, child layer) pairs in graph order."""
    from torkeras.models.sequential import Sequential
    if isinstance(model, Sequential):
        layers = ([model._input_layer] if model._input_layer is not None else []) + model.layers
        edges = list(zip(layers[:-1], layers[1:]))
        return layers, edges, layers[:1], layers[-1:]
    nodes_by_layer = model._nodes_by_layer
    layers = list(model._graph_layers)
    layer_ids = {id(l) for l in layers}
    edges = []
    seen = set()
    for layer in layers:
        for node in nodes_by_layer.get(id(layer), []):
            for parent in node.parent_nodes:
                key = (id(parent.layer), id(layer))
                if id(parent.layer) in layer_ids and key not in seen:
                    seen.add(key)
                    edges.append((parent.layer, layer))
    inputs = [t._keras_history[0] for t in model.inputs]
    outputs = [t._keras_history[0] for t in model.outputs]
    return layers, edges, inputs, outputs


def _layer_shapes(layer, model):
    nodes = getattr(model, "_nodes_by_layer", {}).get(id(layer)) or layer._inbound_nodes[:1]
    if not nodes:
        return None, None
    node = nodes[0]
    if node.is_input:
        return node.outputs, node.outputs
    inputs = node.input_tensors
    return (inputs[0] if len(inputs) == 1 else inputs), node.outputs


def _label(layer, model, opts):
    """An HTML-like Graphviz label: a title bar and one row per detail."""
    class_name = type(layer).__name__
    if opts["show_layer_names"]:
        title = f"<b>{html.escape(layer.name)}</b> ({html.escape(class_name)})"
    else:
        title = f"<b>{html.escape(class_name)}</b>"
    rows = []
    if opts["show_layer_activations"]:
        activation = _activation_name(layer)
        if activation is not None:
            rows.append([f"Activation: {html.escape(activation)}"])
    in_spec, out_spec = _layer_shapes(layer, model)
    if opts["show_dtype"]:
        rows.append([f"Input dtype: {html.escape(_format_dtype(in_spec))}",
                     f"Output dtype: {html.escape(_format_dtype(out_spec))}"])
    if opts["show_shapes"]:
        rows.append([f"Input shape: {html.escape(_format_shape(in_spec))}",
                     f"Output shape: {html.escape(_format_shape(out_spec))}"])
    if opts["show_trainable"]:
        rows.append([f"Trainable: {'True' if layer.trainable else 'False'}"])
    span = max([len(r) for r in rows] + [1])
    out = ['<<table border="0" cellborder="1" cellspacing="0" cellpadding="6" '
           'bgcolor="white">',
           f'<tr><td colspan="{span}" bgcolor="#2f3b52"><font color="white" '
           f'point-size="14">{title}</font></td></tr>']
    for row in rows:
        cells = "".join(
            f'<td colspan="{span // len(row) if i < len(row) - 1 else span - (span // len(row)) * (len(row) - 1)}">'
            f'{c}</td>' for i, c in enumerate(row))
        out.append(f"<tr>{cells}</tr>")
    out.append("</table>>")
    return "".join(out)


class _DotBuilder:
    def __init__(self, opts):
        self.opts = opts
        self.lines = []
        self._ids = {}
        self._clusters = 0

    def node_id(self, layer, prefix=""):
        key = (prefix, id(layer))
        if key not in self._ids:
            self._ids[key] = f"n{len(self._ids)}"
        return self._ids[key]

    def add_model(self, model, prefix="", indent="  "):
        """Adds a model's layers and edges; returns (entry ids, exit ids): the
        node ids edges into / out of this model attach to."""
        layers, edges, inputs, outputs = _graph(model)
        entries = {}
        exits = {}
        for layer in layers:
            if self.opts["expand_nested"] and _is_graph_model(layer):
                self._clusters += 1
                self.lines.append(f"{indent}subgraph cluster_{self._clusters} {{")
                self.lines.append(f'{indent}  label="{_dot_escape(layer.name)} '
                                  f'({type(layer).__name__})"; style="dashed"; fontname="Helvetica";')
                inner_prefix = prefix + f"{id(layer)}/"
                inner_entries, inner_exits = self.add_model(layer, inner_prefix, indent + "  ")
                self.lines.append(f"{indent}}}")
                entries[id(layer)] = inner_entries
                exits[id(layer)] = inner_exits
                continue
            nid = self.node_id(layer, prefix)
            entries[id(layer)] = exits[id(layer)] = [nid]
            self.lines.append(f"{indent}{nid} [label={_label(layer, model, self.opts)}];")
        for parent, child in edges:
            for a in exits[id(parent)]:
                for b in entries[id(child)]:
                    self.lines.append(f"{indent}{a} -> {b};")
        model_entries = [n for layer in inputs for n in entries[id(layer)]]
        model_exits = [n for layer in outputs for n in exits[id(layer)]]
        return model_entries, model_exits


def _dot_escape(text):
    return str(text).replace("\\", "\\\\").replace('"', '\\"')


def model_to_dot(model, show_shapes=False, show_dtype=False, show_layer_names=True,
                 rankdir="TB", expand_nested=False, dpi=200, subgraph=False,
                 show_layer_activations=False, show_trainable=False, **kwargs):
    """The Graphviz DOT source of a model's layer graph.

    Functional and Sequential models show one box per layer with arrows along
    the data flow; a subclassed model (no layer graph) is a single box.
    `plot_model()` renders this source to an image.

    Args:
        model: a built Keras model.
        show_shapes: show each layer's input and output shapes.
        show_dtype: show each layer's input and output dtypes.
        show_layer_names: show layer names (else only the class names).
        rankdir: "TB" (top to bottom) or "LR" (left to right).
        expand_nested: draw the layers of nested models inside a dashed box.
        dpi: image resolution in dots per inch (written into the graph).
        subgraph: accepted for Keras compatibility; the result is always a
            complete graph.
        show_layer_activations: show the activation of layers that have one.
        show_trainable: show whether each layer is trainable.
        **kwargs: ignored (accepted for Keras compatibility).

    Returns:
        The DOT source, a string.

    Example:
    >>> model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
    >>> keras.utils.model_to_dot(model).startswith("digraph")
    True
    """
    if rankdir not in ("TB", "LR"):
        raise ValueError(f'`rankdir` must be "TB" or "LR"; received {rankdir!r}.')
    if not getattr(model, "built", False):
        raise ValueError(f"The model {model.name!r} has not been built yet, so it has no layer "
                         "graph to plot. Build it first: give it an input shape, call it on "
                         "data, or call build().")
    opts = {"show_shapes": show_shapes, "show_dtype": show_dtype,
            "show_layer_names": show_layer_names, "expand_nested": expand_nested,
            "show_layer_activations": show_layer_activations, "show_trainable": show_trainable}
    builder = _DotBuilder(opts)
    if _is_graph_model(model):
        builder.add_model(model)
    else:
        builder.lines.append(f"  {builder.node_id(model)} [label={_label(model, model, opts)}];")
    head = [f'digraph "{_dot_escape(model.name)}" {{',
            f"  graph [rankdir={rankdir}, concentrate=true, dpi={int(dpi)}];",
            '  node [shape=plaintext, fontname="Helvetica", fontsize=11];',
            '  edge [color="#555555", arrowsize=0.8];']
    return "\n".join(head + builder.lines + ["}"]) + "\n"


def _dot_program():
    return shutil.which("dot")


def plot_model(model, to_file="model.png", show_shapes=False, show_dtype=False,
               show_layer_names=True, rankdir="TB", expand_nested=False, dpi=200,
               show_layer_activations=False, show_trainable=False, **kwargs):
    """Draws the model's layer graph to `to_file` with Graphviz's `dot`.

    The format follows the file extension (png, svg, pdf, ...; `.dot` writes
    the DOT source itself, without Graphviz). Returns the path written.

    Args:
        model: a Keras model.
        to_file: output file name.
        show_shapes: show each layer's input and output shapes.
        show_dtype: show each layer's input and output dtypes.
        show_layer_names: show layer names (else only the class names).
        rankdir: "TB" (vertical) or "LR" (horizontal).
        expand_nested: draw nested models' layers inside a dashed box.
        dpi: image resolution in dots per inch.
        show_layer_activations: show the activation of layers that have one.
        show_trainable: show whether each layer is trainable.
    """
    dot_source = model_to_dot(model, show_shapes=show_shapes, show_dtype=show_dtype,
                              show_layer_names=show_layer_names, rankdir=rankdir,
                              expand_nested=expand_nested, dpi=dpi,
                              show_layer_activations=show_layer_activations,
                              show_trainable=show_trainable)
    to_file = os.fspath(to_file)
    extension = os.path.splitext(to_file)[1][1:].lower() or "png"
    directory = os.path.dirname(os.path.abspath(to_file))
    os.makedirs(directory, exist_ok=True)
    if extension in ("dot", "gv"):
        atomic_write_bytes(to_file, dot_source.encode("utf-8"))
        return to_file
    if extension not in _FORMATS:
        raise ValueError(f"plot_model() cannot write a {extension!r} file; use one of "
                         f"{sorted(_FORMATS | {'dot'})}.")
    dot = _dot_program()
    if dot is None:
        raise ImportError(
            "plot_model() needs Graphviz's `dot` program, which was not found on the PATH. "
            "Install Graphviz (on Debian/Ubuntu: `apt-get install graphviz`), or pass a "
            "`to_file` ending in .dot to get the DOT source without Graphviz.")
    fmt = "jpg" if extension == "jpeg" else extension
    result = subprocess.run([dot, f"-T{fmt}"], input=dot_source.encode("utf-8"),
                            capture_output=True, timeout=120)
    if result.returncode != 0:
        raise RuntimeError(f"Graphviz `dot` failed (exit status {result.returncode}): "
                           f"{result.stderr.decode(errors='replace').strip()}")
    atomic_write_bytes(to_file, result.stdout)
    return to_file


