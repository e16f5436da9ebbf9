"""`keras.models.clone_model`: a new model with the same structure and new
layers (so new, freshly initialized weights)."""

from torkeras.layers.core.input_layer import InputLayer


def _default_clone(layer):
    return layer.__class__.from_config(layer.get_config())


def clone_model(model, input_tensors=None, clone_function=None, call_function=None,
                recursive=False, **kwargs):
    """Clones a Functional or Sequential model (a subclassed model is rebuilt
    from its config).

    Args:
        model: The model to clone.
        input_tensors: Not supported by torkeras (must be None).
        clone_function: Called on each layer of the model (except input
            layers); returns the layer to use in the clone. Default: a new
            layer from the layer's config. Returning the layer itself shares
            it (and its weights) between the two models.
        call_function: Not supported by torkeras (must be None).
        recursive: Whether nested Sequential / Functional models are cloned
            layer by layer with `clone_function` too (instead of being passed
            to `clone_function` whole).
        **kwargs: Unused; an error when given.

    Returns:
        The new model. Its weights are new; copy them with
        `clone.set_weights(model.get_weights())` when wanted.
    """
    from torkeras.models.functional import Functional
    from torkeras.models.model import Model
    from torkeras.models.sequential import Sequential

    if kwargs:
        raise ValueError(f"clone_model(): unexpected arguments {sorted(kwargs)}.")
    if not isinstance(model, Model):
        raise ValueError("clone_model(): `model` must be a Keras model; received "
                         f"{type(model).__name__}.")
    if input_tensors is not None:
        raise NotImplementedError("clone_model(): `input_tensors` is not supported by torkeras; "
                                  "clone the model, then call it on the new inputs.")
    if call_function is not None:
        raise NotImplementedError("clone_model(): `call_function` is not supported by torkeras.")
    fn = clone_function or _default_clone
    if not callable(fn):
        raise ValueError("clone_model(): `clone_function` must be callable.")

    def clone_layer(layer):
        if recursive and isinstance(layer, (Sequential, Functional)):
            return clone_model(layer, clone_function=clone_function, recursive=True)
        return fn(layer)

    if isinstance(model, Sequential):
        clone = Sequential(name=model.name, trainable=model.trainable)
        input_layer = model._input_layer
        if input_layer is not None:
            clone.add(InputLayer.from_config(input_layer.get_config()), rebuild=False)
        for layer in model.layers:
            clone.add(clone_layer(layer), rebuild=False)
        clone._rebuild()
        return clone
    if isinstance(model, Functional):
        by_name = {layer.name: layer for layer in model.layers}

        def make_layer(name, envelope):
            layer = by_name.get(name)
            if layer is None or isinstance(layer, InputLayer):
                return None  # rebuilt from the config
            return clone_layer(layer)

        return Functional._from_functional_config(type(model), model.get_config(),
                                                  make_layer=make_layer)
    if clone_function is not None:
        raise ValueError("clone_model(): `clone_function` applies to Functional and Sequential "
                         "models only; a subclassed model is cloned from its config.")
    return model.__class__.from_config(model.get_config())
