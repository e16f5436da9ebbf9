"""`keras.losses`: the Loss base, built-in losses and `get`/`serialize`/`deserialize`."""

import inspect

from torkeras.losses.loss import (Loss, reduce_values, reduce_weighted_values,  # noqa: F401
                                  squeeze_or_expand_to_same_rank, standardize_reduction)
from torkeras.losses.losses import *  # noqa: F401,F403
from torkeras.losses.losses import (  # noqa: F401
    BinaryCrossentropy, CategoricalCrossentropy, CategoricalHinge, CosineSimilarity, Hinge, Huber,
    KLDivergence, LogCosh, LossFunctionWrapper, MeanAbsoluteError, MeanAbsolutePercentageError,
    MeanSquaredError, MeanSquaredLogarithmicError, Poisson, SparseCategoricalCrossentropy,
    SquaredHinge, binary_crossentropy, categorical_crossentropy, categorical_hinge,
    cosine_similarity, hinge, huber, kl_divergence, log_cosh, mean_absolute_error,
    mean_absolute_percentage_error, mean_squared_error, mean_squared_logarithmic_error, poisson,
    sparse_categorical_crossentropy, squared_hinge)
from torkeras.losses.classification_losses import (  # noqa: F401
    BinaryFocalCrossentropy, CategoricalFocalCrossentropy, CategoricalGeneralizedCrossEntropy,
    binary_focal_crossentropy, categorical_focal_crossentropy,
    categorical_generalized_cross_entropy)
from torkeras.losses.structured_losses import (  # noqa: F401
    CTC, Circle, Dice, Tversky, circle, ctc, dice, tversky)
from torkeras.saving import object_registration as _reg
from torkeras.utils.serialization import serialize_object_or_function

_CLASSES = (Loss, LossFunctionWrapper, BinaryCrossentropy, CategoricalCrossentropy,
            CategoricalHinge, CosineSimilarity, Hinge, Huber, KLDivergence, LogCosh,
            MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredError,
            MeanSquaredLogarithmicError, Poisson, SparseCategoricalCrossentropy, SquaredHinge,
            BinaryFocalCrossentropy, CategoricalFocalCrossentropy,
            CategoricalGeneralizedCrossEntropy, CTC, Circle, Dice, Tversky)
_FUNCTIONS = (binary_crossentropy, categorical_crossentropy, categorical_hinge,
              cosine_similarity, hinge, huber, kl_divergence, log_cosh, mean_absolute_error,
              mean_absolute_percentage_error, mean_squared_error,
              mean_squared_logarithmic_error, poisson, sparse_categorical_crossentropy,
              squared_hinge, binary_focal_crossentropy, categorical_focal_crossentropy,
              categorical_generalized_cross_entropy, circle, ctc, dice, tversky)

# As in Keras: class names give classes, function names and short aliases give
# functions (compile() wraps those in a LossFunctionWrapper named by the id).
_OBJECTS = {obj.__name__: obj for obj in _CLASSES + _FUNCTIONS}
_OBJECTS.update({
    "mse": mean_squared_error, "MSE": mean_squared_error,
    "mae": mean_absolute_error, "MAE": mean_absolute_error,
    "mape": mean_absolute_percentage_error, "MAPE": mean_absolute_percentage_error,
    "msle": mean_squared_logarithmic_error, "MSLE": mean_squared_logarithmic_error,
    "kld": kl_divergence, "KLD": kl_divergence,
    "kullback_leibler_divergence": kl_divergence,
    "bce": binary_crossentropy, "BCE": binary_crossentropy,
})


def serialize(loss):
    """The Keras config dict of a loss, as stored in `.keras` files.

    Returns `{"module": "keras.losses", "class_name": ..., "config": {...},
    "registered_name": ...}`; a plain function gives a `"class_name": "function"`
    entry naming it. `deserialize()` turns it back into a loss.

    Args:
        loss: the loss to serialize.

    Returns:
        A JSON-compatible dict.
    """
    return serialize_object_or_function(loss, "keras.losses", Loss, "loss")


_MALFORMED = "Could not deserialize loss: expected a name or a dict with 'class_name'"


def deserialize(config, custom_objects=None):
    """Rebuilds a loss from its config dict (the output of `serialize()`).

    The class name resolves as in Keras: custom-object scopes first, then
    registered classes, then `custom_objects`, then the built-in losses.

    Args:
        config: a dict with "class_name" and "config" entries (or a name).
        custom_objects: optional dict mapping names to user classes or functions.

    Returns:
        A loss instance.
    """
    if isinstance(config, str):
        obj = _reg.get_registered_object(config, custom_objects, _OBJECTS)
        if obj is None:
            raise ValueError(_unknown(config))
        return obj() if inspect.isclass(obj) else obj
    if isinstance(config, dict) and config.get("class_name") == "function":
        inner = config.get("config")
        return deserialize(inner if isinstance(inner, str) else config.get("registered_name"),
                           custom_objects)
    return _reg.deserialize_class_config(config, _OBJECTS, custom_objects,
                                         malformed=_MALFORMED, unknown=_unknown)


def get(identifier):
    """Retrieves a loss from an identifier.

    A name gives the built-in: class names ("MeanSquaredError") an instance
    with default arguments, function names and aliases ("mse", "bce") the
    function; a config dict is deserialized; a `Loss` class is instantiated; an
    instance or another callable is returned as is.

    Args:
        identifier: a name, a config dict, an instance, a callable, or None.

    Returns:
        A loss (or None for None).

    Example:
    >>> keras.losses.get("mse").__name__
    'mean_squared_error'
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = _OBJECTS.get(identifier)
        if obj is None:
            raise ValueError(_unknown(identifier))
    else:
        obj = identifier
    if inspect.isclass(obj):
        if not issubclass(obj, Loss):
            raise ValueError(f"Could not interpret loss identifier: {identifier!r}")
        obj = obj()
    if callable(obj):
        return obj
    raise ValueError(f"Could not interpret loss identifier: {identifier!r}")


def _unknown(name):
    known = sorted(k for k in _OBJECTS if k[:1].islower())
    return f"Could not interpret loss identifier: {name!r}. Known losses: {', '.join(known)}"
