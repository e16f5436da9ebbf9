"""A Node records one call of a layer on symbolic tensors."""

from torkeras.graph.keras_tensor import KerasTensor, _iter_flat
from torkeras.utils import tree


class Node:
    def __init__(self, layer, call_args, call_kwargs, outputs):
        self.layer = layer
        self.call_args = call_args
        self.call_kwargs = call_kwargs
        self.outputs = outputs
        self.input_tensors = [t for t in _iter_flat((call_args, call_kwargs)) if isinstance(t, KerasTensor)]
        self.output_tensors = [t for t in tree.flatten(outputs) if isinstance(t, KerasTensor)]
        self.parent_nodes = []
        for t in self.input_tensors:
            if t._keras_history is not None:
                parent_layer, node_index, _ = t._keras_history
                parent = parent_layer._inbound_nodes[node_index]
                if parent not in self.parent_nodes:
                    self.parent_nodes.append(parent)
        node_index = len(layer._inbound_nodes)
        layer._inbound_nodes.append(self)
        for i, t in enumerate(self.output_tensors):
            t._keras_history = (layer, node_index, i)
        for parent in self.parent_nodes:
            parent.layer._outbound_nodes.append(self)

    @property
    def is_input(self):
        return not self.input_tensors

    def __repr__(self):
        return f"<Node layer={self.layer.name}>"
