"""The Layer base class: a torch.nn.Module with the Keras layer contract.

Two call paths exist. Symbolic calls (on KerasTensors) build the layer from
shapes, infer the output spec with fake tensors and record a graph Node.
Concrete calls (on torch tensors) are the training hot path: they do the
minimum needed for Keras semantics (lazy build, `training` propagation,
resetting `add_loss` losses once per outermost call) and then run `call`.
"""

import inspect
import json
import threading
import warnings
import weakref

import numpy as np
import torch

from torkeras import config, dtype_policies, dtypes, initializers, naming
from torkeras import variables as _variables
from torkeras.graph.keras_tensor import KerasTensor, any_symbolic
from torkeras.graph.node import Node
from torkeras.utils import tree
from torkeras.variables import Variable, autocast_scope, substituted_values, values_for


class _CallContext(threading.local):
    def __init__(self):
        self.depth = 0
        self.training = None


_context = _CallContext()
# Layers holding losses from add_loss() (weakly): an outermost call clears
# its own tree's losses only while some layer holds any. A flag reset by any
# model's call would leave stale losses in layers of other models.
_layers_with_losses = weakref.WeakSet()

# Sizes substituted for unknown (None) dimensions during shape inference.
# Two runs with different sizes tell which output dimensions depend on them.
_SENTINELS = (96, 97)

_BASE_KWARGS = ("input_shape", "input_dim", "batch_input_shape", "batch_size")


def _signature_flags(cls):
    """Whether `cls.call` takes `training` / `mask` / `**kwargs`, and whether
    the class computes its own output masks (cached per class)."""
    flags = cls.__dict__.get("_torkeras_call_flags")
    if flags is None:
        try:
            params = inspect.signature(cls.call).parameters
        except (TypeError, ValueError):
            params = {}
        var_kw = any(p.kind is p.VAR_KEYWORD for p in params.values())
        flags = ("training" in params, "mask" in params, var_kw, _overrides_compute_mask(cls))
        setattr(cls, "_torkeras_call_flags", flags)
    return flags


def _overrides_compute_mask(cls):
    return getattr(cls, "compute_mask", None) is not Layer.compute_mask


class Layer(torch.nn.Module):
    # False for models that convert their inputs themselves (Functional,
    # Sequential: to their Input dtypes), as in Keras 3.
    """Base class of all layers: a callable holding state (weights) and computation.

    A layer is a `torch.nn.Module`. A subclass creates its weights in `build(
    input_shape)` with `self.add_weight(...)` (called automatically on the first
    call) and implements the forward computation in `call(inputs, ...)`;
    `call` may take `training` (True during `fit()`) and `mask` arguments.
    Override `compute_output_shape()` when symbolic shape inference is not
    enough, and `get_config()` when `__init__` takes arguments, so that the layer
    can be saved and rebuilt.

    Args:
        activity_regularizer: optional regularizer applied to the layer's output
            (its value is added to the model's losses).
        trainable: whether the layer's weights are updated by training.
        dtype: the layer's dtype policy: a `DTypePolicy` or a name such as
            "float32" or "mixed_float16" (default: the global policy).
        autocast: whether floating-point inputs are cast to the compute dtype
            when the layer is called.
        name: name of the layer (default: the snake-case class name, numbered
            to be unique: "dense", "dense_1", ...).
        **kwargs: `input_shape`, `input_dim`, `batch_input_shape` or `batch_size`,
            giving the input shape of the first layer of a Sequential model.

    Example:
    >>> class Scale(keras.layers.Layer):
    ...     def build(self, input_shape):
    ...         self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")
    ...     def call(self, x):
    ...         return x * self.w
    >>> Scale()(np.array([[1.0, 2.0]], "float32")).tolist()
    [[1.0, 2.0]]
    """

    _convert_input_args = True
    # Config keys Keras 3.15 writes for this class that name features torkeras
    # has only at their default value: {key: default}. They are written by
    # get_config(), accepted at that value by the constructor, refused
    # otherwise (e.g. Dense's and Embedding's quantization_config).
    _keras_config_keys = {}

    def __new__(cls, *args, **kwargs):
        obj = super().__new__(cls)
        # Module state exists before any subclass __init__ body runs, so
        # subclasses may set attributes before calling super().__init__().
        torch.nn.Module.__init__(obj)
        object.__setattr__(obj, "_layer_state_ready", False)
        obj._init_layer_state()
        obj._init_args = (args, dict(kwargs))
        return obj

    def _init_layer_state(self):
        d = self.__dict__
        d["built"] = False
        d["_variables"] = []
        d["_var_keys"] = {}
        d["_regularized"] = []
        d["_losses"] = []
        d["_inbound_nodes"] = []
        d["_outbound_nodes"] = []
        d["_trainable"] = True
        _set_policy_fields(self, dtype_policies.dtype_policy())
        d["_batch_input_shape"] = None
        d["_build_shapes"] = None
        d["name"] = None
        # As in Keras 3: a layer that defines compute_mask() supports masking.
        d["supports_masking"] = _overrides_compute_mask(type(self))
        d["input_spec"] = None
        d["activity_regularizer"] = None
        d["autocast"] = True
        d["_layer_state_ready"] = True

    def __init__(self, *, activity_regularizer=None, trainable=True, dtype=None, autocast=True,
                 name=None, **kwargs):
        for key, default in type(self)._keras_config_keys.items():
            if key in kwargs:
                value = kwargs.pop(key)
                if value != default:
                    raise ValueError(f"{type(self).__name__}: torkeras does not support `{key}` "
                                     f"(only {default!r}); received: {key}={value!r}")
        unknown = [k for k in kwargs if k not in _BASE_KWARGS]
        if unknown:
            from torkeras.saving import serialization_lib
            if not serialization_lib.in_lenient_config_scope():
                raise ValueError("Unrecognized keyword arguments passed to "
                                 f"{type(self).__name__}: { {k: kwargs[k] for k in unknown} }")
            # Rebuilding from a config a newer Keras wrote: keys it added are dropped.
            serialization_lib.warn_unknown_config_keys(type(self).__name__, unknown)
        if name is None:
            name = naming.auto_name(naming.to_snake_case(type(self).__name__))
        elif not isinstance(name, str):
            raise ValueError(f"`name` must be a string; received: {name!r}")
        self.__dict__["name"] = name
        _set_policy_fields(self, _policy_of(dtype))
        self.__dict__["autocast"] = bool(autocast)
        self.__dict__["_trainable"] = bool(trainable)
        from torkeras import regularizers
        self.__dict__["activity_regularizer"] = regularizers.get(activity_regularizer)
        shape = kwargs.get("batch_input_shape")
        if shape is None and kwargs.get("input_shape") is not None:
            shape = (kwargs.get("batch_size"),) + _as_shape_tuple(kwargs["input_shape"], "input_shape")
        elif shape is None and kwargs.get("input_dim") is not None:
            shape = (kwargs.get("batch_size"), int(kwargs["input_dim"]))
        self.__dict__["_batch_input_shape"] = tuple(shape) if shape is not None else None

    # -- attribute tracking ---------------------------------------------
    def __setattr__(self, name, value):
        if isinstance(value, Variable):
            self._track_variable(value)
            object.__setattr__(self, name, value)
            return
        if isinstance(value, (list, tuple)) and not isinstance(value, KerasTensor):
            for i, item in enumerate(value):
                if isinstance(item, torch.nn.Module) and not _is_registered(self, item):
                    self.add_module(f"{name}_{i}", item)
                elif isinstance(item, Variable):
                    self._track_variable(item)
        super().__setattr__(name, value)

    def _track_variable(self, variable):
        if variable._owner is self or any(v is variable for v in self._variables):
            return
        if variable._owner is not None:
            # Owned by another layer: that layer registers its storage.
            return
        key = naming.to_snake_case(variable.name).replace(".", "_") or "variable"
        base, i = key, 0
        while key in self._parameters or key in self._buffers or key in self._modules \
                or key in self.__dict__:
            i += 1
            key = f"{base}_{i}"
        if isinstance(variable.value, torch.nn.Parameter):
            self.register_parameter(key, variable.value)
        else:
            self.register_buffer(key, variable.value)
        variable._owner = self
        variable._owner_attr = key
        self._variables.append(variable)
        if not self._trainable and isinstance(variable.value, torch.nn.Parameter):
            variable.value.requires_grad_(False)

    def _apply(self, fn, *args, **kwargs):
        # Buffers are replaced (not updated in place) by .to()/.double();
        # point each variable at its layer's current tensor.
        result = super()._apply(fn, *args, **kwargs)
        for layer in self._flatten_layers():
            for v in layer._variables:
                key = v._owner_attr
                tensor = layer._parameters.get(key)
                if tensor is None:
                    tensor = layer._buffers.get(key)
                if tensor is not None:
                    v._replace_tensor(tensor)
        return result

    # -- weights --------------------------------------------------------
    def add_weight(self, shape=None, initializer=None, dtype=None, trainable=True, autocast=True,
                   regularizer=None, constraint=None, aggregation="none", name=None):
        """Creates a weight variable of the layer (usually in `build()`).

        Args:
            shape: the variable's shape (fully known), default `()`.
            initializer: initializer name or instance; default "glorot_uniform"
                for float dtypes, "zeros" otherwise.
            dtype: the variable's dtype (default: the layer's variable dtype).
            trainable: whether training updates it (else a non-trainable buffer).
            autocast: whether it is cast to the layer's compute dtype when read
                in `call` (mixed precision).
            regularizer: optional regularizer whose penalty is added to the losses.
            constraint: optional constraint applied after each optimizer update.
            aggregation: how the variable is aggregated across replicas ("none",
                "mean", "sum", "only_first_replica").
            name: the variable's name (its path is "layer_name/name").

        Returns:
            The new `keras.Variable`.
        """
        shape = () if shape is None else _as_shape_tuple(shape, "shape")
        if any(d is None for d in shape):
            raise ValueError(f"add_weight(): `shape` must be fully known; received: {shape}")
        dtype = _dtype_name(dtype) if dtype is not None else self._dtype
        if initializer is None:
            initializer = "glorot_uniform" if dtypes.is_float(dtype) else "zeros"
        init = initializers.get(initializer)
        with naming.scope_unless_current(self.name):
            variable = Variable(init, shape=shape, dtype=dtype, trainable=trainable, name=name,
                                aggregation=aggregation, autocast=autocast)
        from torkeras import constraints, regularizers
        variable.regularizer = regularizers.get(regularizer)
        variable.constraint = constraints.get(constraint)
        self._track_variable(variable)
        if variable.regularizer is not None:
            self._regularized.append(variable)
        return variable

    def add_variable(self, shape, initializer, dtype=None, trainable=True, autocast=True,
                     regularizer=None, constraint=None, name=None):
        return self.add_weight(shape=shape, initializer=initializer, dtype=dtype, trainable=trainable,
                               autocast=autocast, regularizer=regularizer, constraint=constraint,
                               name=name)

    def _flatten_layers(self, include_self=True, recursive=True):
        """Self and tracked sub-layers, depth first, each once."""
        seen = set()
        out = []

        def visit(layer, is_self):
            if id(layer) in seen:
                return
            seen.add(id(layer))
            if not is_self or include_self:
                out.append(layer)
            if is_self or recursive:
                for child in layer._sublayers():
                    visit(child, False)

        visit(self, True)
        return out

    def _sublayers(self):
        return [m for m in self._modules.values() if isinstance(m, Layer)]

    @property
    def variables(self):
        return _unique([v for layer in self._flatten_layers() for v in layer._variables])

    @property
    def weights(self):
        """All the layer's weights (trainable first, then non-trainable, then those of nested layers)."""
        own_t = [v for v in self._variables if v.trainable]
        own_nt = [v for v in self._variables if not v.trainable]
        nested = [w for layer in self._sublayers() for w in layer.weights]
        return _unique(own_t + own_nt + nested)

    @property
    def trainable_weights(self):
        """The weights updated by training (none when the layer is frozen)."""
        if not self.trainable:
            return []
        own = [v for v in self._variables if v.trainable]
        nested = [w for layer in self._sublayers() for w in layer.trainable_weights]
        return _unique(own + nested)

    @property
    def non_trainable_weights(self):
        """The weights not updated by training (all of them when the layer is frozen)."""
        if not self.trainable:
            return self.weights
        own = [v for v in self._variables if not v.trainable]
        nested = [w for layer in self._sublayers() for w in layer.non_trainable_weights]
        return _unique(own + nested)

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        value = bool(value)
        for layer in self._flatten_layers():
            layer.__dict__["_trainable"] = value
        self._sync_requires_grad()

    def _sync_requires_grad(self):
        def walk(layer, parent_trainable):
            effective = parent_trainable and layer._trainable
            for v in layer._variables:
                if isinstance(v.value, torch.nn.Parameter):
                    v.value.requires_grad_(effective and v.trainable)
            for child in layer._sublayers():
                walk(child, effective)
        walk(self, True)

    def get_weights(self):
        """The layer's weights as a list of NumPy arrays (in the order of `weights`)."""
        return [v.numpy() for v in self.weights]

    def set_weights(self, weights):
        """Sets the layer's weights from a list of arrays.

        Args:
            weights: a list of arrays, one per entry of `weights`, with matching
                shapes (the order of `get_weights()`).
        """
        params = self.weights
        if len(params) != len(weights):
            raise ValueError(f"Layer {self.name!r} expects {len(params)} weights, "
                             f"but set_weights() received {len(weights)}.")
        for v, w in zip(params, weights):
            w = np.asarray(w)
            if tuple(w.shape) != v.shape:
                raise ValueError(f"Layer {self.name!r} weight {v.path}: expected shape {v.shape}, "
                                 f"received {tuple(w.shape)}")
        for v, w in zip(params, weights):
            v.assign(w)

    def count_params(self):
        """The total number of scalars in the layer's weights (the layer must be built)."""
        if not self.built:
            raise ValueError(f"You tried to call `count_params` on layer {self.name!r}, but the "
                             "layer isn't built. Call it on data or call `build()` first.")
        return int(sum(int(np.prod(v.shape)) for v in self.weights))

    # -- losses ---------------------------------------------------------
    def add_loss(self, loss):
        """Adds a loss term (a scalar tensor) to the layer, typically from `call()`.

        The term is added to the model's training loss for the current step.

        Args:
            loss: a scalar tensor.
        """
        self._losses.append(loss)
        _layers_with_losses.add(self)

    @property
    def losses(self):
        """The loss terms added by `add_loss()` and the weight regularization penalties."""
        out = []
        for layer in self._flatten_layers():
            out.extend(layer._losses)
            for v in layer._regularized:
                out.append(v.regularizer(v.value))
        return out

    def _clear_losses(self):
        for layer in self._flatten_layers():
            layer._losses.clear()
            _layers_with_losses.discard(layer)

    # -- stateless call -------------------------------------------------
    def stateless_call(self, trainable_variables, non_trainable_variables, *args,
                       return_losses=False, **kwargs):
        """Calls the layer with the given variable values instead of its own
        (Keras' stateless API): returns `(outputs, non_trainable_values)`, or
        `(outputs, non_trainable_values, losses)` with `return_losses=True`.

        `trainable_variables` / `non_trainable_variables` are lists ordered like
        `self.trainable_variables` / `self.non_trainable_variables` (tensors or
        Variables). Gradients flow from the outputs and losses to the given
        trainable tensors. Non-trainable values are copied before the call, so
        updates made during it (BatchNormalization's moving statistics) appear
        in the returned values only; the layer's own variables and its
        `losses` are left as they were."""
        if not self.built:
            raise ValueError(
                f"stateless_call(): layer {self.name!r} is not built yet, so it has no variables "
                "to substitute. Build it first (call it on data or call `build()`).")
        trainable = self.trainable_variables
        non_trainable = self.non_trainable_variables
        trainable_values = values_for(trainable, trainable_variables, "trainable_variables",
                                      copy=False)
        non_trainable_values = values_for(non_trainable, non_trainable_variables,
                                          "non_trainable_variables", copy=True)
        layers = self._flatten_layers()
        saved_losses = [(layer, list(layer._losses)) for layer in layers]
        try:
            with substituted_values(trainable + non_trainable, trainable_values + non_trainable_values):
                outputs = self(*args, **kwargs)
                losses = self.losses if return_losses else None
        finally:
            for layer, layer_losses in saved_losses:
                layer._losses[:] = layer_losses
                if layer_losses:
                    _layers_with_losses.add(layer)
                else:
                    _layers_with_losses.discard(layer)
        if return_losses:
            return outputs, non_trainable_values, losses
        return outputs, non_trainable_values

    # -- dtype ----------------------------------------------------------
    @property
    def dtype(self):
        """The dtype of the layer's variables (`variable_dtype`)."""
        return self.variable_dtype

    @property
    def compute_dtype(self):
        """The dtype the layer computes in and returns."""
        return self._path_policy().compute_dtype

    @property
    def variable_dtype(self):
        """The dtype the layer creates its variables in."""
        return self._path_policy().variable_dtype

    @property
    def input_dtype(self):
        """The dtype floating inputs are cast to (with `autocast`)."""
        return self.compute_dtype

    @property
    def quantization_mode(self):
        """The policy's quantization mode, None when not quantized."""
        return self._path_policy().quantization_mode

    @property
    def dtype_policy(self):
        """The layer's `DTypePolicy`; settable with a policy or its name."""
        return self._dtype_policy

    @dtype_policy.setter
    def dtype_policy(self, value):
        policy = dtype_policies.get(value)
        current = self._dtype_policy
        path = getattr(self, "path", None) or self.name
        if isinstance(current, dtype_policies.DTypePolicyMap) and path:
            if path in current:
                del current[path]
            current[path] = policy
            _set_policy_fields(self, current)
        else:
            _set_policy_fields(self, policy)

    def _path_policy(self):
        policy = self._dtype_policy
        if isinstance(policy, dtype_policies.DTypePolicyMap):
            path = getattr(self, "path", None) or self.name
            if path:
                return policy[path]
        return policy

    # -- graph accessors --------------------------------------------------
    @property
    def input(self):
        return self._node_tensor("input")

    @property
    def output(self):
        return self._node_tensor("output")

    def _node_tensor(self, kind):
        if not self._inbound_nodes:
            raise AttributeError(f"Layer {self.name!r} has never been called and thus has no "
                                 f"defined {kind}.")
        if len(self._inbound_nodes) > 1:
            raise AttributeError(f"Layer {self.name!r} has multiple inbound nodes; its {kind} is "
                                 "ambiguous. Use the tensors of the node you need.")
        node = self._inbound_nodes[0]
        if kind == "output":
            return node.outputs
        tensors = node.input_tensors
        return tensors[0] if len(tensors) == 1 else tensors

    # -- build / shape inference ------------------------------------------
    def build(self, input_shape=None):
        """Creates the layer's weights for the given input shape.

        Called automatically on the first call; override it in subclasses to
        create weights with `add_weight()` once the input shape is known.

        Args:
            input_shape: the shape of the input (a tuple, with None for unknown
                sizes), or a list / dict of shapes for several inputs.
        """
        self.built = True

    def _maybe_build(self, args, kwargs):
        if self.built:
            return
        shapes = _shapes_of(args[0] if args else next(iter(kwargs.values()), None))
        with naming.scope_unless_current(self.name):
            self._call_build(shapes)
        self.built = True

    def _call_build(self, shapes):
        self._build_shapes = shapes
        self.build(shapes)

    def compute_output_shape(self, *args, **kwargs):
        """The output shape for a given input shape (override when symbolic inference is not enough)."""
        raise NotImplementedError(f"Layer {type(self).__name__} does not implement "
                                  "compute_output_shape()")

    def compute_output_spec(self, *args, **kwargs):
        if type(self).compute_output_shape is not Layer.compute_output_shape:
            shapes = [_shapes_of(a) for a in args]
            out_shape = self.compute_output_shape(*shapes)
            return _spec_from_shape(out_shape, self.compute_dtype)
        return _infer_output_spec(self.call, args, kwargs)

    # -- masking ----------------------------------------------------------
    def compute_mask(self, inputs, previous_mask):
        """The mask of the outputs; by default the mask of the first input."""
        return previous_mask

    def _mask_arguments(self, args, kwargs):
        """Fills `mask=` (one tensor argument) or `<name>_mask=` (several) from
        the masks the tensors carry, as Keras does, unless the caller gave them.
        Returns the mask of the first argument (`previous_mask`)."""
        first = args[0] if args else next(iter(kwargs.values()), None)
        previous_mask = _mask_of(first)
        has_mask = self._call_flags[1]
        tensor_kwargs = [k for k, v in kwargs.items()
                         if k not in ("training", "mask") and _holds_tensor(v)]
        if len(args) + len(tensor_kwargs) == 1:
            if has_mask and kwargs.get("mask") is None and previous_mask is not None:
                kwargs["mask"] = previous_mask
        else:
            names = _mask_argument_names(type(self))
            if names:
                try:
                    bound = inspect.signature(self.call).bind_partial(*args, **kwargs).arguments
                except TypeError:
                    bound = {}
                for name, mask_name in names.items():
                    if name in bound and kwargs.get(mask_name) is None:
                        mask = _mask_of(bound[name])
                        if mask is not None:
                            kwargs[mask_name] = mask
        if kwargs.get("mask") is not None:
            previous_mask = kwargs["mask"]
        return previous_mask

    def _set_output_masks(self, inputs, outputs, previous_mask):
        """Attaches `compute_mask(inputs, previous_mask)` to outputs that do not
        carry a mask yet (a layer may set its outputs' masks itself)."""
        flat = [outputs] if isinstance(outputs, torch.Tensor) else tree.flatten(outputs)
        if all(getattr(t, "_keras_mask", None) is not None for t in flat):
            return
        masks = self.compute_mask(inputs, previous_mask)
        if masks is None:
            return
        flat_masks = [masks] if isinstance(masks, torch.Tensor) else tree.flatten(masks)
        for tensor, mask in zip(flat, flat_masks):
            if mask is not None and isinstance(tensor, torch.Tensor) \
                    and getattr(tensor, "_keras_mask", None) is None:
                tensor._keras_mask = mask

    def _warn_mask_dropped(self):
        warnings.warn(
            f"Layer '{self.name}' (of type {type(self).__name__}) was passed an input with a "
            "mask attached to it. However, this layer does not support masking and will "
            "therefore destroy the mask information. Downstream layers will not see the mask.",
            stacklevel=3)

    def _symbolic_output_masks(self, args, kwargs, outputs, previous_mask):
        """Masks of symbolic outputs: KerasTensors (shape and dtype only) from
        running compute_mask on fake tensors, attached as `_keras_mask`."""
        if getattr(self, "_is_op_layer", False):
            return
        if not self.supports_masking:
            if previous_mask is not None:
                self._warn_mask_dropped()
            return
        if previous_mask is None and not _overrides_compute_mask(type(self)):
            return
        first = args[0] if args else next(iter(kwargs.values()), None)
        if not _overrides_compute_mask(type(self)):
            masks = previous_mask
        else:
            masks = _infer_output_spec(self.compute_mask, (first, previous_mask), {})
        if masks is None:
            return
        flat = tree.flatten(outputs)
        flat_masks = [masks] if isinstance(masks, KerasTensor) else tree.flatten(masks)
        for tensor, mask in zip(flat, flat_masks):
            if isinstance(tensor, KerasTensor) and isinstance(mask, KerasTensor) \
                    and tensor._keras_mask is None:
                tensor._keras_mask = mask

    # -- calling ----------------------------------------------------------
    def call(self, *args, **kwargs):
        """The layer's forward computation (implemented by subclasses).

        A subclass defines `call(inputs, ...)`; it may also take `training`
        (True during `fit()`) and `mask` arguments, which the base class passes
        when the signature has them.
        """
        raise NotImplementedError(f"Layer {type(self).__name__} does not implement call()")

    def forward(self, *args, **kwargs):
        return self.call(*args, **kwargs)

    def __call__(self, *args, **kwargs):
        flags = self.__dict__.get("_call_flags") or self._init_call_flags()
        if not (args and type(args[0]) is torch.Tensor):
            if any_symbolic(args, kwargs):
                return self._symbolic_call(args, kwargs)
            args = tree.map_structure(_to_tensor, args)
            previous_mask = self._mask_arguments(args, kwargs)
            cast_to = self._input_torch_dtype
            if cast_to is not None and self.autocast:
                args = tree.map_structure(lambda x: _cast_float(x, cast_to), args)
                if self._cast_all:
                    kwargs = _cast_kwargs(kwargs, cast_to)
        else:
            # The one check masking costs on the hot path: a tensor without a
            # mask has no `_keras_mask` attribute.
            previous_mask = getattr(args[0], "_keras_mask", None)
            if previous_mask is not None or len(args) > 1 or "mask" in kwargs:
                previous_mask = self._mask_arguments(args, kwargs)
            cast_to = self._input_torch_dtype
            if cast_to is not None and args[0].dtype is not cast_to and self.autocast \
                    and args[0].is_floating_point():
                args = (args[0].to(cast_to),) + args[1:]
            if self._cast_all and self.autocast and (len(args) > 1 or kwargs):
                args = (args[0],) + tuple(tree.map_structure(lambda x: _cast_float(x, cast_to),
                                                             list(args[1:])))
                kwargs = _cast_kwargs(kwargs, cast_to)
        if self.__dict__["input_spec"] is not None and self.built:
            self._check_input_spec(args, kwargs)
        has_training, _, var_kw, computes_mask = flags
        ctx = _context
        training = kwargs.get("training")
        if has_training or var_kw:
            if training is None and ctx.training is not None:
                kwargs["training"] = ctx.training
        elif "training" in kwargs:
            del kwargs["training"]
        outermost = ctx.depth == 0
        if outermost and _layers_with_losses:
            self._clear_losses()
        previous_training = ctx.training
        if training is not None:
            ctx.training = training
        ctx.depth += 1
        try:
            if not self.built:
                with naming.name_scope(self.name):
                    self._maybe_build(args, kwargs)
                    if self.__dict__["input_spec"] is not None:
                        self._check_input_spec(args, kwargs)
                    outputs = self._autocast_call(args, kwargs)
            elif self._mixed or _variables._autocast_dtype is not None:
                outputs = self._autocast_call(args, kwargs)
            else:
                outputs = torch.nn.Module.__call__(self, *args, **kwargs)
        finally:
            ctx.depth -= 1
            ctx.training = previous_training
        if self.activity_regularizer is not None:
            self.add_loss(self.activity_regularizer(outputs) / outputs.shape[0])
        if previous_mask is not None or computes_mask:
            if self.supports_masking:
                self._set_output_masks(args[0] if args else next(iter(kwargs.values()), None),
                                       outputs, previous_mask)
            elif previous_mask is not None:
                self._warn_mask_dropped()
        return outputs

    def _autocast_target(self):
        """The variable autocast dtype for this layer's call: as Keras 3, a
        mixed layer starts casting float variables to its compute dtype; inside
        a casting scope a layer switches it to its own compute dtype, or off
        when it does not autocast or computes in a non-float dtype.
        `_KEEP` means no change."""
        current = _variables._autocast_dtype
        compute = self._torch_dtype
        if current is not None:
            if not self.autocast or not compute.is_floating_point:
                return None
            return compute if current is not compute else _KEEP
        return compute if self._mixed else _KEEP

    def _autocast_call(self, args, kwargs):
        target = self._autocast_target()
        if target is _KEEP:
            return torch.nn.Module.__call__(self, *args, **kwargs)
        with autocast_scope(target):
            return torch.nn.Module.__call__(self, *args, **kwargs)

    def _check_input_spec(self, args, kwargs):
        """Checks the first call argument against `self.input_spec` (Keras's
        messages; layers/input_spec.py)."""
        from torkeras.layers.input_spec import assert_input_compatibility
        first = args[0] if args else next(iter(kwargs.values()), None)
        assert_input_compatibility(self.input_spec, first, self.name)

    def _init_call_flags(self):
        flags = _signature_flags(type(self))
        self.__dict__["_call_flags"] = flags
        return flags

    def _symbolic_call(self, args, kwargs):
        if not self.built:
            shapes = _shapes_of(args[0] if args else next(iter(kwargs.values())))
            with naming.name_scope(self.name):
                self._call_build(shapes)
            self.built = True
        if self.__dict__["input_spec"] is not None:
            self._check_input_spec(args, kwargs)
        kwargs = dict(kwargs)
        has_training, _, var_kw, _ = _signature_flags(type(self))
        if not (has_training or var_kw):
            kwargs.pop("training", None)
        first = args[0] if args else next(iter(kwargs.values()), None)
        previous_mask = kwargs.get("mask")
        if previous_mask is None:
            previous_mask = _mask_of(first)
        spec_args, spec_kwargs = args, kwargs
        if previous_mask is not None or len(args) > 1:
            # As Keras, inference runs `call` with the masks the symbolic inputs
            # carry (`mask=` / `<name>_mask=`); the node keeps the caller's
            # kwargs: at run time the masks ride on the tensors again.
            if "_call_flags" not in self.__dict__:
                self._init_call_flags()
            spec_kwargs = dict(kwargs)
            previous_mask = self._mask_arguments(args, spec_kwargs)
        cast_to = self._input_torch_dtype
        if cast_to is not None and self.autocast:
            # Inference sees the inputs the concrete call would: cast to the
            # compute dtype (the graph node keeps the original inputs).
            spec_args = tree.map_structure(lambda x: _cast_float(x, cast_to), args)
            if self._cast_all:
                spec_kwargs = _cast_kwargs(spec_kwargs, cast_to)
        target = self._autocast_target()
        if target is _KEEP:
            spec = self.compute_output_spec(*spec_args, **spec_kwargs)
        else:
            with autocast_scope(target):
                spec = self.compute_output_spec(*spec_args, **spec_kwargs)
        # Losses added while inferring shapes hold fake values: drop them.
        self._clear_losses()
        outputs = tree.map_structure(
            lambda s: KerasTensor(s.shape, s.dtype) if isinstance(s, KerasTensor) else s, spec)
        self._symbolic_output_masks(args, kwargs, outputs, previous_mask)
        Node(self, args, kwargs, outputs)
        return outputs

    # -- config -----------------------------------------------------------
    def get_config(self):
        """The layer's configuration: a JSON-compatible dict of its constructor arguments.

        `type(layer).from_config(config)` rebuilds an equivalent (unbuilt)
        layer; `.keras` files store it. Subclasses whose `__init__` takes arguments
        other than plain values override it (calling `super().get_config()`).
        """
        config_ = {"name": self.name, "trainable": self.trainable,
                   "dtype": dtype_policies.serialize(self._dtype_policy)}
        # User-defined classes get their constructor arguments, as in Keras 3,
        # when those are plain values (built-in layers write their own).
        config_.update(_auto_config(self) or {})
        if self.activity_regularizer is not None:
            # As Keras 3's base config (only when set).
            from torkeras import regularizers
            config_["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        # Keys Keras 3.15 writes for features torkeras has only at their default.
        config_.update(type(self)._keras_config_keys)
        return config_

    @classmethod
    def from_config(cls, config_):
        """Builds a layer from the dict `get_config()` returned.

        Args:
            config_: the configuration dict.
        """
        return construct_from_config(cls, config_)

    def get_build_config(self):
        """The input shape the layer was built with, as saved in `.keras` files (None if unbuilt)."""
        if self._build_shapes is not None:
            return {"input_shape": _jsonable_shape(self._build_shapes)}
        return None

    def build_from_config(self, config_):
        """Builds the layer from the dict `get_build_config()` returned (used when loading).

        Args:
            config_: dict with an "input_shape" entry, or None.
        """
        if config_ and config_.get("input_shape") is not None:
            shape = config_["input_shape"]
            with naming.name_scope(self.name):
                self._call_build(_shape_from_json(shape))
            self.built = True

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"

    def __hash__(self):
        return id(self)

    def __eq__(self, other):
        return self is other


# -- helpers ---------------------------------------------------------------
def _mask_of(x):
    """The mask a tensor (or each tensor of a list/tuple/dict) carries; None
    when none of them has one."""
    if isinstance(x, (torch.Tensor, KerasTensor)):
        return getattr(x, "_keras_mask", None)
    if isinstance(x, (list, tuple)):
        masks = [_mask_of(t) for t in x]
        return masks if any(m is not None for m in masks) else None
    if isinstance(x, dict):
        masks = {k: _mask_of(t) for k, t in x.items()}
        return masks if any(m is not None for m in masks.values()) else None
    return None


def _holds_tensor(x):
    return any(isinstance(t, (torch.Tensor, KerasTensor)) for t in tree.flatten(x))


def _mask_argument_names(cls):
    """`{name: name + "_mask"}` for the arguments of `cls.call` that have a
    companion mask argument (cached per class)."""
    names = cls.__dict__.get("_torkeras_mask_arguments")
    if names is None:
        try:
            params = inspect.signature(cls.call).parameters
        except (TypeError, ValueError):
            params = {}
        names = {p: f"{p}_mask" for p in params if f"{p}_mask" in params}
        setattr(cls, "_torkeras_mask_arguments", names)
    return names


def _auto_config(obj):
    """The constructor arguments `obj` was made with, by parameter name, if its
    class is user-defined and every value is JSON-serializable; else None."""
    init = type(obj).__init__
    if (getattr(init, "__module__", "") or "").startswith("torkeras."):
        return None
    args, kwargs = obj.__dict__.get("_init_args", ((), {}))
    try:
        signature = inspect.signature(init)
        bound = signature.bind(None, *args, **kwargs)
    except (TypeError, ValueError):
        return None
    config_ = {}
    for i, (name, value) in enumerate(bound.arguments.items()):
        if i == 0:
            continue  # self
        kind = signature.parameters[name].kind
        if kind is inspect.Parameter.VAR_POSITIONAL:
            if value:
                return None  # positional extras cannot be passed back by name
        elif kind is inspect.Parameter.VAR_KEYWORD:
            config_.update(value)
        else:
            config_[name] = value
    try:
        json.dumps(config_)
    except (TypeError, ValueError):
        return None
    return config_


def construct_from_config(cls, config_):
    """`cls(**config_)`, leaving out keys the constructor cannot take (a user
    class whose __init__ has no **kwargs), and restoring the saved name."""
    config_ = dict(config_)
    try:
        params = inspect.signature(cls.__init__).parameters
    except (TypeError, ValueError):
        return cls(**config_)
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return cls(**config_)
    obj = cls(**{k: v for k, v in config_.items() if k in params})
    if "name" not in params and isinstance(config_.get("name"), str):
        obj.__dict__["name"] = config_["name"]
    if "trainable" not in params and "trainable" in config_:
        obj.trainable = bool(config_["trainable"])
    return obj


def _unique(variables):
    seen = set()
    out = []
    for v in variables:
        if id(v) not in seen:
            seen.add(id(v))
            out.append(v)
    return out


def _is_registered(layer, module):
    return any(m is module for m in layer._modules.values())


_KEEP = object()  # "leave the variable autocast scope as it is"
_HALF = (torch.float16, torch.bfloat16)


def _policy_of(dtype):
    """The DTypePolicy a layer's `dtype` argument names (None: the global one)."""
    if dtype is None:
        return dtype_policies.dtype_policy()
    try:
        return dtype_policies.get(dtype)
    except (ValueError, TypeError) as e:
        raise ValueError(f"Invalid `dtype` argument: expected a dtype policy name such as "
                         f"'float32', 'mixed_float16' or 'mixed_bfloat16', a DTypePolicy or a "
                         f"dtype. Received: dtype={dtype!r} ({e})") from None


def _set_policy_fields(layer, policy):
    """Stores `policy` on `layer` with the fields the call path reads:
    `_dtype` (variable dtype name, the default of `add_weight`),
    `_torch_dtype` (compute dtype), `_mixed` (compute != variable dtype),
    `_input_torch_dtype` (floating inputs are cast to it; None: no cast) and
    `_cast_all` (half-precision compute: cast every floating argument)."""
    d = layer.__dict__
    d["_dtype_policy"] = policy
    effective = layer._path_policy()
    compute = dtypes.to_torch(effective.compute_dtype)
    d["_dtype"] = effective.variable_dtype
    d["_torch_dtype"] = compute
    d["_mixed"] = effective.compute_dtype != effective.variable_dtype
    convert = type(layer)._convert_input_args and compute.is_floating_point
    d["_input_torch_dtype"] = compute if convert else None
    d["_cast_all"] = convert and compute in _HALF


def _cast_float(x, dtype):
    """A floating tensor (or KerasTensor) as `dtype`; anything else as is."""
    if isinstance(x, torch.Tensor):
        if x.is_floating_point() and x.dtype is not dtype:
            mask = getattr(x, "_keras_mask", None)
            x = x.to(dtype)
            if mask is not None:
                x._keras_mask = mask
        return x
    if isinstance(x, KerasTensor) and dtypes.is_float(x.dtype) \
            and dtypes.to_torch(x.dtype) is not dtype:
        cast = KerasTensor(x.shape, dtypes.name_of(dtype), name=x.name)
        cast._keras_mask = getattr(x, "_keras_mask", None)
        return cast
    return x


def _cast_kwargs(kwargs, dtype):
    return {k: v if k == "mask" or k.endswith("_mask") or k == "training"
            else tree.map_structure(lambda x: _cast_float(x, dtype), v)
            for k, v in kwargs.items()}


def _dtype_name(dtype):
    if dtype is None:
        return config.floatx()
    if isinstance(dtype, dict):
        dtype = dtype.get("config", {}).get("name", config.floatx())
    return dtypes.name_of(dtype)


def _as_shape_tuple(shape, argname):
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    try:
        return tuple(None if d is None else int(d) for d in shape)
    except (TypeError, ValueError):
        raise ValueError(f"`{argname}` must be a tuple of integers (or None); received: {shape!r}") from None


def _shapes_of(x):
    if isinstance(x, KerasTensor):
        return x.shape
    if isinstance(x, (torch.Tensor, np.ndarray)):
        return tuple(x.shape)
    if isinstance(x, Variable):
        return x.shape
    if isinstance(x, (list, tuple)):
        return [_shapes_of(i) for i in x]
    if isinstance(x, dict):
        return {k: _shapes_of(v) for k, v in x.items()}
    return None


def _to_tensor(x):
    if isinstance(x, np.ndarray):
        # Arrays sharing another runtime's memory can be read-only; torch
        # tensors need writable storage, so those are copied.
        x = np.ascontiguousarray(x) if x.flags.writeable else np.array(x, order="C")
        t = torch.from_numpy(x)
        if t.is_floating_point() and t.dtype != dtypes.to_torch(None):
            t = t.to(dtypes.to_torch(None))
        return t
    if isinstance(x, Variable):
        return x.value
    return x


def _spec_from_shape(shape, dtype):
    if isinstance(shape, dict):
        return {k: _spec_from_shape(v, dtype) for k, v in shape.items()}
    if isinstance(shape, (list, tuple)) and shape and all(
            isinstance(s, (list, tuple)) for s in shape):
        return [_spec_from_shape(s, dtype) for s in shape]
    return KerasTensor(tuple(shape), dtype)


def _jsonable_shape(shapes):
    if isinstance(shapes, tuple):
        return list(shapes)
    if isinstance(shapes, list):
        return [_jsonable_shape(s) for s in shapes]
    if isinstance(shapes, dict):
        return {k: _jsonable_shape(v) for k, v in shapes.items()}
    return shapes


def _shape_from_json(shape):
    if isinstance(shape, dict):
        return {k: _shape_from_json(v) for k, v in shape.items()}
    if isinstance(shape, list) and shape and isinstance(shape[0], list):
        return [_shape_from_json(s) for s in shape]
    return tuple(shape)


def _infer_output_spec(fn, args, kwargs):
    """Runs `fn` twice on fake tensors, with different sizes for unknown
    dimensions; output dimensions that differ between the runs are unknown."""
    from torch._subclasses.fake_tensor import FakeTensorMode
    runs = []
    for sentinel in _SENTINELS:
        def materialize(x, sentinel=sentinel):
            if isinstance(x, KerasTensor):
                shape = tuple(sentinel if d is None else d for d in x.shape)
                return torch.zeros(shape, dtype=dtypes.to_torch(x.dtype))
            return x
        try:
            with FakeTensorMode(allow_non_fake_inputs=True):
                out = _run_detached(fn, materialize, args, kwargs)
        except Exception:
            # Some code (e.g. reading values back to numpy) cannot run on fake
            # tensors; fall back to small real tensors without gradients.
            with torch.no_grad():
                out = _run_detached(fn, materialize, args, kwargs)
        runs.append(out)

    def combine(a, b):
        if isinstance(a, torch.Tensor):
            shape = tuple(da if da == db else None for da, db in zip(a.shape, b.shape))
            return KerasTensor(shape, dtypes.name_of(a.dtype))
        return a

    return _zip_map(combine, runs[0], runs[1])


def _run_detached(fn, materialize, args, kwargs):
    ctx = _context
    saved_depth, saved_training = ctx.depth, ctx.training
    ctx.depth = 1  # never clear real losses from inside shape inference
    try:
        fargs = tree.map_structure(materialize, args)
        fkwargs = tree.map_structure(materialize, kwargs)
        return fn(*fargs, **fkwargs)
    finally:
        ctx.depth, ctx.training = saved_depth, saved_training


def _zip_map(fn, a, b):
    if isinstance(a, (list, tuple)):
        return type(a)(_zip_map(fn, x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return {k: _zip_map(fn, a[k], b[k]) for k in a}
    return fn(a, b)
