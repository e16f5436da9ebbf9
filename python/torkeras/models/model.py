"""Model: a Layer that can be trained (compile/fit/evaluate/predict).

`Model(inputs, outputs)` returns a Functional model; subclassing `Model`
gives a model whose forward pass is the subclass's `call`.
"""

from torkeras import naming
from torkeras.layers.layer import Layer
from torkeras.trainers.trainer import Trainer


class Model(Trainer, Layer):
    """A model: layers grouped into an object with training and inference.

    Two ways to make one:

    * Functional: `keras.Model(inputs, outputs)` with `inputs` from
      `keras.Input()` and `outputs` the result of calling layers on them; this
      returns a `Functional` model (a graph of layers).
    * Subclassing: define `__init__` (create the layers) and `call(inputs,
      training=None)` (the forward pass) in a subclass of `keras.Model`.

    A model is a `Layer` (and a `torch.nn.Module`) that adds `compile()`,
    `fit()`, `evaluate()`, `predict()`, `summary()`, `save()` and the weight
    saving/loading methods.

    Args:
        *args: for the functional form, `inputs` and `outputs` (positionally).
        **kwargs: `name` (default: the snake-case class name, or "functional"),
            `trainable` (default True) and `dtype`; for the functional form also
            `inputs` and `outputs`.

    Example:
    >>> inputs = keras.Input(shape=(3,))
    >>> outputs = keras.layers.Dense(2)(inputs)
    >>> model = keras.Model(inputs, outputs)
    >>> model.output_shape
    (None, 2)
    >>> class TwoLayers(keras.Model):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.hidden = keras.layers.Dense(4, activation="relu")
    ...         self.out = keras.layers.Dense(1)
    ...     def call(self, x):
    ...         return self.out(self.hidden(x))
    >>> tuple(TwoLayers()(np.zeros((5, 3), "float32")).shape)
    (5, 1)
    """

    def __new__(cls, *args, **kwargs):
        if _is_functional_call(args, kwargs):
            from torkeras.models.functional import Functional
            if cls is Model:
                return Functional.__new__(Functional, *args, **kwargs)
            if not issubclass(cls, Functional):
                # A Model subclass given inputs/outputs is a Functional model
                # that keeps the subclass's methods (e.g. a custom train_step).
                functional_cls = _functional_subclass(cls)
                return functional_cls.__new__(functional_cls, *args, **kwargs)
        return super().__new__(cls, *args, **kwargs)

    def __init__(self, *args, **kwargs):
        if _is_functional_call(args, kwargs):
            from torkeras.models.functional import Functional
            Functional.__init__(self, *args, **kwargs)
            return
        trainable = kwargs.pop("trainable", True)
        name = kwargs.pop("name", None)
        dtype = kwargs.pop("dtype", None)
        if args or kwargs:
            raise ValueError(f"Unrecognized arguments for {type(self).__name__}: "
                             f"positional {args!r}, keyword {sorted(kwargs)}")
        if name is None:
            name = naming.auto_name(naming.to_snake_case(type(self).__name__))
        Layer.__init__(self, name=name, trainable=trainable, dtype=dtype)
        Trainer.__init__(self)

    @property
    def layers(self):
        return [m for m in self._modules.values() if isinstance(m, Layer)]

    def get_layer(self, name=None, index=None):
        """Returns a layer by name or by (0-based) position in `layers`."""
        if index is not None and name is not None:
            raise ValueError("Provide only one of `name` or `index` to get_layer().")
        if index is not None:
            layers = self.layers
            if not -len(layers) <= int(index) < len(layers):
                raise ValueError(f"get_layer(): index {index} is out of range; the model has "
                                 f"{len(layers)} layers.")
            return layers[int(index)]
        if name is not None:
            for layer in self.layers:
                if layer.name == name:
                    return layer
            raise ValueError(f"No such layer: {name!r}. Existing layers are: "
                             f"{[layer.name for layer in self.layers]}.")
        raise ValueError("get_layer() needs a `name` or an `index`.")

    def get_state_tree(self, value_format="backend_tensor"):
        """All variables as nested dicts by path: trainable_variables,
        non_trainable_variables, optimizer_variables, metrics_variables.

        Args:
            value_format: "backend_tensor" (torch tensors) or "numpy_array".
        """
        from torkeras.models.state_tree import get_state_tree
        return get_state_tree(self, value_format)

    def set_state_tree(self, state_tree):
        """Assigns the variables named in `state_tree` (as get_state_tree()
        returns it; groups and variables may be left out).

        Args:
            state_tree: Nested dicts of values by variable path.
        """
        from torkeras.models.state_tree import set_state_tree
        set_state_tree(self, state_tree)

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False,
                show_trainable=False, layer_range=None):
        """Prints a table of the model's layers with their output shapes and parameter counts.

        The table has Keras 3's layout (layer name and class, output shape,
        parameter count, then the total, trainable and non-trainable counts).

        Args:
            line_length: accepted for Keras compatibility; the table has a fixed
                width.
            positions: accepted for Keras compatibility; the columns are fixed.
            print_fn: function called with the whole table as one string
                (default: `print`).
            expand_nested: accepted for Keras compatibility; nested models are
                shown as one row.
            show_trainable: whether to add a column telling whether each layer is
                trainable.
            layer_range: accepted for Keras compatibility; every layer is listed.

        Example:
        >>> model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
        >>> lines = []
        >>> model.summary(print_fn=lines.append)
        >>> "Total params: 8" in lines[0]
        True
        """
        from torkeras.models.summary import print_summary
        # An unbuilt model is summarized as Keras 3 does: its layers with
        # output shape "?" and "0 (unbuilt)" parameters.
        print_summary(self, line_length=line_length, positions=positions, print_fn=print_fn,
                      expand_nested=expand_nested, show_trainable=show_trainable,
                      layer_range=layer_range)

    def build(self, input_shape=None):
        if input_shape is not None and not self.built and type(self).call is not Model.call:
            # Subclassed models build by running call() on symbolic inputs.
            from torkeras.layers.layer import _infer_output_spec
            with naming.name_scope(self.name):
                _infer_output_spec(self.call, (_symbolic_inputs(input_shape),), {})
            self._build_shapes = input_shape
        self.built = True

    def _maybe_build(self, args, kwargs):
        if type(self).build is Model.build and type(self).call is not Model.call:
            # On real data the sub-layers build themselves during this first
            # call; no separate symbolic pass is needed.
            from torkeras.layers.layer import _shapes_of
            self._build_shapes = _shapes_of(args[0] if args else next(iter(kwargs.values())))
            self.built = True
            return
        super()._maybe_build(args, kwargs)

    # -- quantization ---------------------------------------------------------
    def quantize(self, mode=None, config=None, filters=None, **kwargs):
        """Quantizes the weights of the model's Dense, EinsumDense and
        Embedding layers in place (the model must be built).

        Only `mode="int8"` is implemented: each such layer's kernel (or
        embeddings table) becomes int8 with a float per-output-channel scale
        and its dtype policy becomes `"int8_from_<policy>"`; Dense and
        EinsumDense quantize their inputs per row at call time. Other layers
        are left as they are. See docs/quantization.md.

        Args:
            mode: "int8". The other Keras modes ("float8", "int4", "gptq",
                "awq") raise NotImplementedError; unknown names ValueError.
            config: must be None (custom quantization configs are not
                implemented).
            filters: optional regex string, list of regex strings (matched
                against layer names with `re.search`), or callable taking a
                layer and returning True for the layers to quantize.
        """
        import re
        import warnings
        from torkeras import quantizers
        type_check = kwargs.pop("type_check", True)
        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments passed to "
                             f"{type(self).__name__}: {kwargs}")
        if config is not None:
            raise NotImplementedError("quantize(): `config` is not implemented in torkeras; "
                                      "pass mode='int8' and config=None.")
        if mode is None:
            raise ValueError("You must provide either `mode` or `config` to `quantize`.")
        quantizers.check_mode(mode)
        if filters is not None and not (isinstance(filters, (str, list, tuple))
                                        or callable(filters)):
            raise ValueError("The `filters` argument must be a regex string, a list of regex "
                             f"strings, or a callable. Received: {type(filters)}")
        if not self.built:
            raise ValueError(f"Cannot quantize model {self.name!r}: it is not built yet; build "
                             "it (or call it on data) first.")

        def selected(layer):
            if filters is None:
                return True
            if isinstance(filters, str):
                return re.search(filters, layer.name) is not None
            if isinstance(filters, (list, tuple)):
                return any(re.search(f, layer.name) for f in filters)
            return bool(filters(layer))

        changed = False
        for layer in self._flatten_layers():
            if layer._sublayers() or not selected(layer):
                continue
            method = getattr(layer, "quantize", None)
            if method is None:
                continue
            try:
                method(mode, type_check=type_check)
                changed = True
            except NotImplementedError as e:
                warnings.warn(str(e), stacklevel=2)
        if changed:
            # Compiled train/test/predict steps captured the float weights.
            self.__dict__["_compiled_steps"] = {}

    # -- saving -------------------------------------------------------------
    def save(self, filepath, overwrite=True, zipped=None, **kwargs):
        """Saves the model to a `.keras` file (architecture, weights, compile configuration and optimizer state).

        Same as `keras.saving.save_model(model, filepath, ...)`.

        Args:
            filepath: path ending in `.keras` (with `zipped=False`, a directory).
            overwrite: whether to replace an existing file (False: an existing file
                is an error).
            zipped: whether to write a zip file (None or True, default) or a
                directory.
            **kwargs: not accepted (an unknown argument is an error).
        """
        from torkeras.saving import saving_api
        saving_api.save_model(self, filepath, overwrite=overwrite, zipped=zipped, **kwargs)

    def save_weights(self, filepath, overwrite=True, **kwargs):
        """Saves the weights to a `.weights.h5` file.

        Args:
            filepath: path ending in `.weights.h5`.
            overwrite: whether to replace an existing file (False: an existing file
                is an error).
            **kwargs: `max_shard_size` is not supported (an error when set).
        """
        from torkeras.saving import saving_api
        saving_api.save_weights(self, filepath, overwrite=overwrite, **kwargs)

    def load_weights(self, filepath, skip_mismatch=False, **kwargs):
        """Loads weights from a `.weights.h5` (or `.keras`) file into the model.

        Args:
            filepath: path of a `.weights.h5` or `.keras` file written for a model
                of the same architecture.
            skip_mismatch: whether to skip variables whose shape differs from the
                saved one (with a warning) instead of raising an error.
            **kwargs: ignored (accepted for Keras compatibility).
        """
        from torkeras.saving import saving_api
        saving_api.load_weights(self, filepath, skip_mismatch=skip_mismatch, **kwargs)

    def get_compile_config(self):
        if not self.compiled or self._compile_config is None:
            return None
        config = {k: v for k, v in self._compile_config.items() if k in _COMPILE_KEYS}
        # The optimizer as configured (its state is saved with the weights).
        config["optimizer"] = self.optimizer
        return config

    def compile_from_config(self, config):
        import inspect

        from torkeras.saving.serialization_lib import _deserialize, warn_unknown_config_keys
        config = dict(config)
        # compile() keys a newer Keras added are dropped with a warning.
        accepted = inspect.signature(self.compile).parameters
        unknown = [k for k in config if k not in accepted]
        if unknown:
            warn_unknown_config_keys(f"{type(self).__name__}.compile", unknown)
        config = {k: _deserialize(v) for k, v in config.items() if k in accepted}
        if config.get("jit_compile") == "auto":
            config["jit_compile"] = False
        self.compile(**config)
        if self.built:
            # Optimizer variables exist before weights are loaded into them.
            self.optimizer._build_all_or_nothing(self.trainable_weights)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from torkeras.models.functional import Functional
        if "layers" in config and "input_layers" in config and "output_layers" in config:
            target = cls if issubclass(cls, Functional) else Functional
            return Functional._from_functional_config(target, config, custom_objects)
        from torkeras.layers.layer import construct_from_config
        return construct_from_config(cls, config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


_COMPILE_KEYS = ("optimizer", "loss", "loss_weights", "metrics", "weighted_metrics",
                 "run_eagerly", "steps_per_execution", "jit_compile")


def _symbolic_inputs(shape):
    """Input tensors shaped like `shape`: a tuple, or a list/dict of tuples."""
    from torkeras.layers.core.input_layer import Input
    if isinstance(shape, dict):
        return {k: _symbolic_inputs(v) for k, v in shape.items()}
    if isinstance(shape, (list, tuple)) and shape and isinstance(shape[0], (list, tuple)):
        return [_symbolic_inputs(s) for s in shape]
    return Input(batch_shape=tuple(shape))


def _is_functional_call(args, kwargs):
    if "inputs" in kwargs and "outputs" in kwargs:
        return True
    if len(args) == 2:
        return True
    return len(args) == 1 and "outputs" in kwargs


_functional_classes = {}


def _functional_subclass(cls):
    from torkeras.models.functional import Functional
    if cls not in _functional_classes:
        _functional_classes[cls] = type(cls.__name__, (cls, Functional),
                                        {"__module__": cls.__module__})
    return _functional_classes[cls]
