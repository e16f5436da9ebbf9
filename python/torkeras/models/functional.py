"""Functional models: a graph of layer calls recorded on KerasTensors."""

import numpy as np
import torch

from torkeras import dtypes, naming
from torkeras.graph.keras_tensor import KerasTensor
from torkeras.layers.core.input_layer import InputLayer
from torkeras.layers.layer import Layer
from torkeras.models.model import Model
from torkeras.utils import tree


class Functional(Model):
    # Inputs are converted to their Input's dtype in `call`, not to the
    # compute dtype (Keras 3 does the same).
    """A model defined by a graph of layer calls from `keras.Input()` tensors to outputs.

    `keras.Model(inputs, outputs)` creates one. Calling the model runs the
    recorded layer calls on new inputs; the graph may have several inputs and
    outputs (lists or dicts of tensors), shared layers and branches.

    Args:
        inputs: an `Input()` tensor, or a list or dict of them.
        outputs: a tensor computed from `inputs` by layer calls, or a list or
            dict of them.
        name: name of the model (default "functional", then "functional_1", ...).
        trainable: whether the model's weights are trainable.
        **kwargs: `dtype` only (other keyword arguments are an error).
    """

    _convert_input_args = False

    def __init__(self, inputs, outputs, name=None, trainable=True, **kwargs):
        unknown = [k for k in kwargs if k not in ("dtype",)]
        if unknown:
            raise ValueError(f"Unrecognized keyword arguments for a Functional model: {unknown}")
        if name is None:
            # "functional", then "functional_1", ... (Keras 3.15 numbering).
            name = naming.auto_name("functional")
        Layer.__init__(self, name=name, trainable=trainable)
        from torkeras.trainers.trainer import Trainer
        Trainer.__init__(self)
        if isinstance(inputs, dict) and not inputs:
            raise ValueError("`inputs` must not be empty.")
        self._inputs_struct = _as_structure(inputs)
        self._outputs_struct = _as_structure(outputs)
        self.inputs = tree.flatten(self._inputs_struct)
        self.outputs = tree.flatten(self._outputs_struct)
        for t in self.inputs:
            if not isinstance(t, KerasTensor):
                raise ValueError("All `inputs` of a Functional model must be symbolic tensors "
                                 f"created by `Input()`; received: {t!r}")
            if t._keras_history is None or not isinstance(t._keras_history[0], InputLayer):
                raise ValueError(f"Input {t.name!r} was not created by `Input()`; a Functional "
                                 "model's inputs must come from `Input()`.")
        for t in self.outputs:
            if not isinstance(t, KerasTensor):
                raise ValueError("All `outputs` of a Functional model must be symbolic tensors "
                                 f"produced by layers; received: {t!r}")
        self._build_graph()
        self._input_dtypes = [dtypes.to_torch(t.dtype) for t in self.inputs]
        self._build_shapes = [t.shape for t in self.inputs] if len(self.inputs) > 1 \
            else self.inputs[0].shape
        self.built = True

    # -- graph ----------------------------------------------------------
    def _build_graph(self):
        input_ids = {id(t) for t in self.inputs}
        ordered = []
        visited = set()
        active = set()

        def visit(tensor):
            history = tensor._keras_history
            if history is None:
                raise ValueError(f"Tensor {tensor.name!r} was not produced by a layer.")
            layer, node_index, _ = history
            node = layer._inbound_nodes[node_index]
            if id(node) in visited:
                return
            if id(node) in active:
                raise ValueError("The layer graph has a cycle.")
            active.add(id(node))
            if id(tensor) not in input_ids:
                for t in node.input_tensors:
                    visit(t)
                if node.is_input:
                    raise ValueError(
                        f"Graph disconnected: cannot reach output tensor from input "
                        f"{layer.name!r}, which is not among the model's `inputs` "
                        f"{[t.name for t in self.inputs]}.")
            active.discard(id(node))
            visited.add(id(node))
            ordered.append(node)

        for t in self.outputs:
            visit(t)
        # Inputs come first, in the order the model declares them.
        input_nodes = [t._keras_history[0]._inbound_nodes[t._keras_history[1]] for t in self.inputs]
        input_node_ids = {id(n) for n in input_nodes}
        self._nodes = [n for n in ordered if id(n) not in input_node_ids]
        layers = []
        seen = set()
        for node in input_nodes + self._nodes:
            if id(node.layer) not in seen:
                seen.add(id(node.layer))
                layers.append(node.layer)
        self._graph_layers = layers
        self._nodes_by_layer = {}
        for node in input_nodes + self._nodes:
            self._nodes_by_layer.setdefault(id(node.layer), []).append(node)
        for i, layer in enumerate(layers):
            self.add_module(_module_key(layer.name, self), layer)
        self._plan = [self._compile_node(n) for n in self._nodes]

    @staticmethod
    def _compile_node(node):
        """Precomputes how to feed a node, with a fast case for one tensor in/out."""
        args, kwargs = node.call_args, node.call_kwargs
        single_in = (len(args) == 1 and isinstance(args[0], KerasTensor) and not kwargs)
        single_out = isinstance(node.outputs, KerasTensor)
        return (node, single_in, single_out,
                id(args[0]) if single_in else None,
                id(node.outputs) if single_out else None)

    @property
    def layers(self):
        # Nodes made by `ops.*` on symbolic tensors are operations, not layers.
        return [l for l in self._graph_layers if not getattr(l, "_is_op_layer", False)]

    @property
    def input(self):
        return self._inputs_struct

    @property
    def output(self):
        return self._outputs_struct

    @property
    def input_shape(self):
        """The inputs' shapes: one tuple for a single input, else a list of them."""
        return _one_or_list([tuple(t.shape) for t in self.inputs])

    @property
    def output_shape(self):
        """The outputs' shapes: one tuple for a single output, else a list of them."""
        return _one_or_list([tuple(t.shape) for t in self.outputs])

    @property
    def input_names(self):
        return [t._keras_history[0].name for t in self.inputs]

    @property
    def output_names(self):
        return [t._keras_history[0].name for t in self.outputs]

    # -- running ----------------------------------------------------------
    def call(self, inputs, training=None, mask=None):
        flat = self._flatten_call_inputs(inputs)
        values = {}
        for t, x, dtype in zip(self.inputs, flat, self._input_dtypes):
            if not isinstance(x, torch.Tensor) or x.dtype is not dtype:
                x = _cast_input(x, dtype)
            values[id(t)] = x
        if mask is not None:
            # An explicit `mask=` (one per input) is attached to the inputs, as in Keras.
            for t, m in zip(self.inputs, tree.flatten(mask)):
                if m is not None:
                    values[id(t)]._keras_mask = m
        for node, single_in, single_out, in_id, out_id in self._plan:
            if single_in:
                out = node.layer(values[in_id])
            else:
                args = tree.map_structure(lambda a: values[id(a)] if isinstance(a, KerasTensor) else a,
                                          node.call_args)
                kwargs = tree.map_structure(lambda a: values[id(a)] if isinstance(a, KerasTensor) else a,
                                            node.call_kwargs)
                out = node.layer(*args, **kwargs)
            if single_out:
                values[out_id] = out
            else:
                for t, v in zip(node.output_tensors, tree.flatten(out)):
                    values[id(t)] = v
        if isinstance(self._outputs_struct, KerasTensor):
            return values[id(self._outputs_struct)]
        return tree.map_structure(lambda t: values[id(t)], self._outputs_struct)

    def _flatten_call_inputs(self, inputs):
        struct = self._inputs_struct
        if isinstance(struct, KerasTensor):
            if isinstance(inputs, (list, tuple)) and len(inputs) == 1:
                inputs = inputs[0]
            if isinstance(inputs, dict) and len(inputs) == 1:
                inputs = next(iter(inputs.values()))
            return [inputs]
        if isinstance(struct, dict):
            if isinstance(inputs, dict):
                missing = [k for k in struct if k not in inputs]
                if missing:
                    raise ValueError(f"Missing input(s) {missing} for model {self.name!r}; it "
                                     f"expects {list(struct)}, received {list(inputs)}.")
                return [inputs[k] for k in struct]
            inputs = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        elif isinstance(inputs, dict):
            names = [t.name for t in self.inputs]
            try:
                return [inputs[n] for n in names]
            except KeyError:
                raise ValueError(f"Model {self.name!r} expects inputs named {names}; received "
                                 f"{list(inputs)}.") from None
        flat = tree.flatten(inputs)
        if len(flat) != len(self.inputs):
            raise ValueError(f"Model {self.name!r} expects {len(self.inputs)} input(s), but it "
                             f"received {len(flat)}.")
        return flat

    def compute_output_spec(self, inputs, training=None, mask=None):
        flat = self._flatten_call_inputs(inputs)
        compatible = all(isinstance(x, KerasTensor) and len(x.shape) == len(t.shape)
                         for x, t in zip(flat, self.inputs))
        if compatible:
            return tree.map_structure(lambda t: KerasTensor(t.shape, t.dtype), self._outputs_struct)
        return super().compute_output_spec(inputs, training=training, mask=mask)

    # -- config -------------------------------------------------------------
    def _model_node_index(self, node):
        """A node's index among this model's nodes of its layer, as Keras
        counts them (a nested Functional model's own node is number 0)."""
        layer = node.layer
        own = self._nodes_by_layer.get(id(layer), [])
        ordered = [n for n in layer._inbound_nodes if any(n is m for m in own)]
        offset = 1 if isinstance(layer, Functional) else 0
        return offset + next(i for i, n in enumerate(ordered) if n is node)

    def _tensor_history(self, tensor):
        layer, node_index, tensor_index = tensor._keras_history
        return [layer.name, self._model_node_index(layer._inbound_nodes[node_index]), tensor_index]

    def _serialize_node_value(self, value):
        from torkeras.saving.serialization_lib import serialize_keras_object
        if isinstance(value, KerasTensor):
            return {"class_name": "__keras_tensor__",
                    "config": {"shape": list(value.shape), "dtype": value.dtype,
                               "keras_history": self._tensor_history(value)}}
        if isinstance(value, (list, tuple)):
            return [self._serialize_node_value(v) for v in value]
        if isinstance(value, dict):
            return {k: self._serialize_node_value(v) for k, v in value.items()}
        return serialize_keras_object(value)

    def get_config(self):
        from torkeras.saving.serialization_lib import serialize_keras_object
        layers = []
        # Operations (ops.* on symbolic tensors) are listed with the layers,
        # as Keras does: their envelope plus the nodes' call arguments.
        for layer in self._graph_layers:
            entry = serialize_keras_object(layer)
            entry["name"] = layer.name
            own = self._nodes_by_layer.get(id(layer), [])
            nodes = [n for n in layer._inbound_nodes if any(n is m for m in own) and not n.is_input]
            entry["inbound_nodes"] = [
                {"args": self._serialize_node_value(list(n.call_args)),
                 "kwargs": self._serialize_node_value(dict(n.call_kwargs))} for n in nodes]
            layers.append(entry)

        def structure(x):
            if isinstance(x, KerasTensor):
                return self._tensor_history(x)
            if isinstance(x, dict):
                return {k: structure(v) for k, v in x.items()}
            return [structure(v) for v in x]

        return {"name": self.name, "trainable": self.trainable, "layers": layers,
                "input_layers": structure(self._inputs_struct),
                "output_layers": structure(self._outputs_struct)}

    def get_build_config(self):
        return {"input_shape": None}

    def build_from_config(self, config):
        pass  # A Functional model is built when its graph is made.

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return Functional._from_functional_config(cls, config, custom_objects)

    @staticmethod
    def _from_functional_config(cls, config, custom_objects=None, make_layer=None):
        # make_layer(name, envelope) -> a layer to use instead of deserializing
        # the envelope, or None (clone_model's clone_function).
        from torkeras.saving import object_registration
        from torkeras.saving.serialization_lib import _deserialize
        with object_registration.custom_object_scope(custom_objects):
            created = {}
            outputs = {}      # layer name -> flat output tensors of each rebuilt node
            pending = {}
            order = []
            for layer_data in config["layers"]:
                name = layer_data["name"]
                envelope = {k: v for k, v in layer_data.items()
                            if k not in ("name", "inbound_nodes")}
                layer = make_layer(name, envelope) if make_layer is not None else None
                if layer is None:
                    layer = _deserialize(envelope)
                created[name] = layer
                order.append(name)
                outputs[name] = [[layer.output]] if isinstance(layer, InputLayer) else []
                if layer_data.get("inbound_nodes"):
                    pending[name] = list(layer_data["inbound_nodes"])

            class NotReady(Exception):
                pass

            def tensor(history):
                name, node_index, tensor_index = history[0], int(history[1]), int(history[2])
                if name not in created:
                    raise ValueError(f"The model config refers to an unknown layer {name!r}.")
                if isinstance(created[name], Functional):
                    node_index -= 1
                made = outputs[name]
                if node_index >= len(made):
                    raise NotReady()
                return made[node_index][tensor_index]

            def resolve(value):
                if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
                    return tensor(value["config"]["keras_history"])
                if isinstance(value, list):
                    return [resolve(v) for v in value]
                if isinstance(value, dict) and "class_name" not in value:
                    return {k: resolve(v) for k, v in value.items()}
                return _deserialize(value)

            def node_call(node_data):
                if isinstance(node_data, dict):
                    return (resolve(node_data.get("args") or []),
                            resolve(node_data.get("kwargs") or {}))
                # Keras 2 form: [[layer_name, node_index, tensor_index, kwargs], ...]
                tensors = [tensor(entry[:3]) for entry in node_data]
                kwargs = node_data[0][3] if len(node_data[0]) > 3 else {}
                return [tensors[0] if len(tensors) == 1 else tensors], resolve(kwargs or {})

            while pending:
                progress = False
                for name in order:
                    queue = pending.get(name)
                    while queue:
                        try:
                            args, kwargs = node_call(queue[0])
                        except NotReady:
                            break
                        out = created[name](*args, **kwargs)
                        outputs[name].append(tree.flatten(out))
                        queue.pop(0)
                        progress = True
                    if name in pending and not pending[name]:
                        del pending[name]
                if pending and not progress:
                    raise ValueError("Cannot rebuild the model graph: the nodes of layers "
                                     f"{sorted(pending)} refer to tensors that are never made.")

            def structure(x):
                if isinstance(x, list) and len(x) == 3 and isinstance(x[0], str) \
                        and not isinstance(x[1], (list, dict)):
                    return tensor(x)
                if isinstance(x, dict):
                    return {k: structure(v) for k, v in x.items()}
                return [structure(v) for v in x]

            inputs = _unpack_singleton(structure(config["input_layers"]))
            outputs_struct = _unpack_singleton(structure(config["output_layers"]))
            kwargs = {"name": config.get("name"), "trainable": config.get("trainable", True)}
            model = cls.__new__(cls, inputs, outputs_struct, **kwargs) if cls is not Functional \
                else Functional.__new__(Functional, inputs, outputs_struct, **kwargs)
            model.__init__(inputs, outputs_struct, **kwargs)
            return model


def _as_structure(x):
    if isinstance(x, tuple):
        return list(x)
    if isinstance(x, list) and len(x) == 1 and isinstance(x[0], KerasTensor):
        return x
    return x


def _unpack_singleton(x):
    # Keras writes one tensor as `[[name, node, index]]`, and rebuilds it as
    # that tensor, not a one-element list.
    if isinstance(x, list) and len(x) == 1:
        return x[0]
    return x


def _cast_input(x, dtype):
    """Converts an input to the dtype its Input declared (Keras does the same)."""
    if isinstance(x, torch.Tensor):
        return x.to(dtype)
    if hasattr(x, "value") and isinstance(x.value, torch.Tensor):
        return x.value.to(dtype)
    return torch.as_tensor(np.asarray(x)).to(dtype)


def _module_key(name, owner):
    """A name under which `owner` can register a sub-layer: the layer's name,
    suffixed when it would clash with a sub-module or an attribute (a layer
    named "inputs" must not shadow `model.inputs`)."""
    key = name.replace(".", "_") or "layer"
    base, i = key, 0
    while key in owner._modules or key in owner.__dict__ or hasattr(type(owner), key):
        i += 1
        key = f"{base}_{i}"
    return key


def _one_or_list(shapes):
    return shapes[0] if len(shapes) == 1 else shapes
