"""Sequential: a plain stack of layers, each feeding the next."""

from torkeras import dtype_policies, naming
from torkeras.graph.keras_tensor import KerasTensor
from torkeras.layers.core.input_layer import InputLayer
from torkeras.layers.layer import Layer
from torkeras.models.functional import _module_key
from torkeras.models.model import Model


class Sequential(Model):
    # Each layer converts what it receives; the model itself does not cast.
    """A model that is a plain stack of layers, each feeding the next.

    Layers are given at creation or appended with `add()` and removed from the
    end with `pop()`. When the input shape is known (an `keras.Input()` first
    or a first call on data) the model is built as a `Functional` graph and has
    `inputs`, `outputs` and a summary with shapes.

    Args:
        layers: optional list of layers (an `Input()` tensor or `InputLayer`
            may come first).
        trainable: whether the model's weights are trainable.
        name: name of the model (default "sequential", then "sequential_1", ...).

    Example:
    >>> model = keras.Sequential([keras.Input(shape=(4,)),
    ...                           keras.layers.Dense(8, activation="relu"),
    ...                           keras.layers.Dense(1)])
    >>> model.output_shape
    (None, 1)
    >>> len(model.layers)
    2
    """

    _convert_input_args = False

    def __new__(cls, *args, **kwargs):
        return Layer.__new__(cls, *args, **kwargs)

    def __init__(self, layers=None, trainable=True, name=None):
        if name is None:
            name = naming.auto_name("sequential")
        Model.__init__(self, name=name, trainable=trainable)
        self._stack = []           # layers in order, InputLayer (if any) first
        self._graph_nodes = []     # nodes this model added while inferring shapes
        self._nodes_by_layer = {}
        self.inputs = self.outputs = None
        for layer in layers or []:
            self.add(layer, rebuild=False)
        self._rebuild()

    # -- structure --------------------------------------------------------
    def add(self, layer, rebuild=True):
        """Appends a layer (or an `Input()` tensor, as the first entry) to the stack.

        Args:
            layer: a layer instance, or an `Input()` tensor / `InputLayer` to give
                the model its input shape.
            rebuild: whether to rebuild the model graph now (when the input shape
                is known).
        """
        if isinstance(layer, KerasTensor) and layer._keras_history is not None \
                and isinstance(layer._keras_history[0], InputLayer):
            layer = layer._keras_history[0]
        if not isinstance(layer, Layer):
            raise ValueError("Only instances of a Layer can be added to a Sequential model; "
                             f"received: {layer!r} (of type {type(layer).__name__}).")
        if isinstance(layer, InputLayer):
            if self._stack:
                raise ValueError("An InputLayer can only be the first layer of a Sequential "
                                 f"model; model {self.name!r} already has layers.")
        elif not self._stack and layer._batch_input_shape is not None:
            self._append(InputLayer(batch_shape=layer._batch_input_shape))
        if any(existing is layer for existing in self._stack):
            raise ValueError(f"Layer {layer.name!r} is already in model {self.name!r}.")
        names = {l.name for l in self._stack}
        if layer.name in names:
            raise ValueError(f"All layers added to a Sequential model should have unique names. "
                             f"Name {layer.name!r} is already the name of a layer in this model.")
        self._append(layer)
        if rebuild:
            self._rebuild()

    def _append(self, layer):
        self._stack.append(layer)
        self.add_module(_module_key(layer.name, self), layer)

    def pop(self, rebuild=True):
        """Removes the last layer of the stack and returns it.

        Args:
            rebuild: whether to rebuild the model graph now.

        Returns:
            The removed layer.
        """
        layers = self.layers
        if not layers:
            raise ValueError(f"There are no layers in model {self.name!r} to pop.")
        layer = layers[-1]
        self._stack.remove(layer)
        for key, module in list(self._modules.items()):
            if module is layer:
                del self._modules[key]
        if rebuild:
            self._rebuild()
        return layer

    @property
    def layers(self):
        return [l for l in self._stack if not isinstance(l, InputLayer)]

    @property
    def _input_layer(self):
        if self._stack and isinstance(self._stack[0], InputLayer):
            return self._stack[0]
        return None

    def _rebuild(self):
        """With a known input shape, runs the stack symbolically to build every
        layer and record its output shape."""
        for node in self._graph_nodes:
            if node in node.layer._inbound_nodes:
                node.layer._inbound_nodes.remove(node)
        self._graph_nodes = []
        self._nodes_by_layer = {}
        input_layer = self._input_layer
        if input_layer is None:
            self.built = False
            self.inputs = self.outputs = None
            return
        x = input_layer.output
        self._nodes_by_layer[id(input_layer)] = input_layer._inbound_nodes[:1]
        for layer in self.layers:
            with naming.scope_unless_current(self.name):
                x = layer(x)
            node = layer._inbound_nodes[-1]
            self._graph_nodes.append(node)
            self._nodes_by_layer[id(layer)] = [node]
        self.inputs = [input_layer.output]
        self.outputs = [x]
        self._build_shapes = input_layer.batch_shape
        self.built = True

    def build(self, input_shape=None):
        if self._input_layer is None:
            if input_shape is None:
                raise ValueError(f"Sequential model {self.name!r} cannot be built: pass an "
                                 "`input_shape`, e.g. build((None, 3)).")
            shape = tuple(input_shape)
            self._stack.insert(0, InputLayer(batch_shape=shape))
            self._rebuild()
        self.built = True

    # -- running ----------------------------------------------------------
    def call(self, inputs, training=None, mask=None):
        x = inputs
        for layer in self.layers:
            x = layer(x)
        return x

    def _maybe_build(self, args, kwargs):
        if self.built:
            return
        x = args[0] if args else next(iter(kwargs.values()))
        # Built from the first data it sees, batch size included, as Keras 3
        # does: the summary then shows concrete shapes such as (8, 4). Later
        # calls may use other batch sizes.
        self.build(tuple(x.shape))

    def compute_output_spec(self, inputs, training=None, mask=None):
        if self.outputs and isinstance(inputs, KerasTensor):
            out = self.outputs[0]
            return KerasTensor(out.shape, out.dtype)
        return super().compute_output_spec(inputs, training=training, mask=mask)

    @property
    def input_shape(self):
        layer = self._input_layer
        return layer.batch_shape if layer is not None else None

    @property
    def output_shape(self):
        return self.outputs[0].shape if self.outputs else None

    # -- config -------------------------------------------------------------
    def get_config(self):
        from torkeras.saving.serialization_lib import serialize_keras_object
        config = {"name": self.name, "trainable": self.trainable,
                  "dtype": dtype_policies.serialize(self.dtype_policy),
                  "layers": [serialize_keras_object(layer) for layer in self._stack]}
        if self._input_layer is not None:
            config["build_input_shape"] = list(self._input_layer.batch_shape)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from torkeras.saving import object_registration
        from torkeras.saving.serialization_lib import _deserialize
        with object_registration.custom_object_scope(custom_objects):
            model = cls(name=config.get("name"), trainable=config.get("trainable", True))
            for layer_config in config.get("layers", []):
                model.add(_deserialize(layer_config), rebuild=False)
            model._rebuild()
            shape = config.get("build_input_shape")
            if not model.built and shape is not None:
                model.build(tuple(shape))
        return model

    def build_from_config(self, config):
        if not self.built and config and config.get("input_shape") is not None:
            self.build(tuple(config["input_shape"]))
