"""`keras.metrics`: the Metric base, reduction/accuracy/regression/confusion
metrics and `get`/`serialize`/`deserialize`."""

import inspect

from torkeras.losses import (binary_crossentropy, categorical_crossentropy,  # noqa: F401
                             binary_focal_crossentropy, categorical_focal_crossentropy,
                             categorical_hinge, hinge, huber, kl_divergence, log_cosh,
                             mean_absolute_error, mean_absolute_percentage_error,
                             mean_squared_error, mean_squared_logarithmic_error, poisson,
                             sparse_categorical_crossentropy, squared_hinge)
from torkeras.metrics.accuracy_metrics import (  # noqa: F401
    Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy,
    SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy, accuracy, binary_accuracy,
    categorical_accuracy, sparse_categorical_accuracy, sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy)
from torkeras.metrics.confusion_metrics import (  # noqa: F401
    AUC, FalseNegatives, FalsePositives, Precision, PrecisionAtRecall, Recall, RecallAtPrecision,
    SensitivityAtSpecificity, SpecificityAtSensitivity, TrueNegatives, TruePositives)
from torkeras.metrics.correlation_metrics import (  # noqa: F401
    ConcordanceCorrelation, PearsonCorrelation, R2Score, concordance_correlation,
    pearson_correlation)
from torkeras.metrics.f_score_metrics import F1Score, FBetaScore  # noqa: F401
from torkeras.metrics.iou_metrics import (  # noqa: F401
    BinaryIoU, IoU, MeanIoU, OneHotIoU, OneHotMeanIoU)
from torkeras.metrics.metric import Metric  # noqa: F401
from torkeras.metrics.reduction_metrics import Mean, MeanMetricWrapper, Sum  # noqa: F401
from torkeras.metrics.regression_metrics import (  # noqa: F401
    BinaryCrossentropy, CategoricalCrossentropy, CategoricalHinge, CosineSimilarity, Hinge,
    KLDivergence, LogCoshError, MeanAbsoluteError, MeanAbsolutePercentageError,
    MeanSquaredError, MeanSquaredLogarithmicError, Poisson, RootMeanSquaredError,
    SparseCategoricalCrossentropy, SquaredHinge, cosine_similarity)
from torkeras.saving import object_registration as _reg
from torkeras.utils.serialization import serialize_object_or_function

_CLASSES = (Metric, Mean, Sum, MeanMetricWrapper, Accuracy, BinaryAccuracy, CategoricalAccuracy,
            SparseCategoricalAccuracy, SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy,
            BinaryCrossentropy, CategoricalCrossentropy, CategoricalHinge, CosineSimilarity,
            Hinge, KLDivergence, LogCoshError, MeanAbsoluteError, MeanAbsolutePercentageError,
            MeanSquaredError, MeanSquaredLogarithmicError, Poisson, RootMeanSquaredError,
            SparseCategoricalCrossentropy, SquaredHinge, AUC, FalseNegatives, FalsePositives,
            Precision, PrecisionAtRecall, Recall, RecallAtPrecision, SensitivityAtSpecificity,
            SpecificityAtSensitivity, TrueNegatives, TruePositives, BinaryIoU, IoU, MeanIoU,
            OneHotIoU, OneHotMeanIoU, F1Score, FBetaScore, ConcordanceCorrelation,
            PearsonCorrelation, R2Score)
_FUNCTIONS = (accuracy, binary_accuracy, categorical_accuracy, sparse_categorical_accuracy,
              sparse_top_k_categorical_accuracy, top_k_categorical_accuracy,
              binary_crossentropy, categorical_crossentropy, categorical_hinge, hinge,
              kl_divergence, log_cosh, mean_absolute_error, mean_absolute_percentage_error,
              mean_squared_error, mean_squared_logarithmic_error, poisson,
              sparse_categorical_crossentropy, squared_hinge, cosine_similarity,
              binary_focal_crossentropy, categorical_focal_crossentropy, huber,
              concordance_correlation, pearson_correlation)

# Short ids name the metric after the id, as compile() shows them ("mae").
_ALIASES = {
    "mse": mean_squared_error, "MSE": mean_squared_error,
    "mae": mean_absolute_error, "MAE": mean_absolute_error,
    "mape": mean_absolute_percentage_error, "MAPE": mean_absolute_percentage_error,
    "msle": mean_squared_logarithmic_error, "MSLE": mean_squared_logarithmic_error,
    "bce": binary_crossentropy, "BCE": binary_crossentropy,
    "kld": kl_divergence, "KLD": kl_divergence,
}

# As in Keras: class names and their snake-case forms give classes (a snake
# name shared with a function, e.g. "mean_squared_error", gives the class).
_OBJECTS = {}
for _fn in _FUNCTIONS:
    _OBJECTS[_fn.__name__] = _fn
for _cls in _CLASSES:
    _OBJECTS[_cls.__name__] = _cls
for _cls in _CLASSES:
    from torkeras import naming as _naming
    _OBJECTS[_naming.to_snake_case(_cls.__name__)] = _cls
_OBJECTS.update(_ALIASES)


# The functions by name, for configs of class "function" (a snake-case name
# such as "mean_squared_error" stands for the function there, not the class).
_FUNCTION_OBJECTS = {fn.__name__: fn for fn in _FUNCTIONS}
_FUNCTION_OBJECTS.update(_ALIASES)


def _function_by_name(name):
    if name not in _FUNCTION_OBJECTS:
        raise ValueError(_unknown(name))
    return _FUNCTION_OBJECTS[name]


def serialize(metric):
    """The Keras config dict of a metric, as stored in `.keras` files.

    Returns `{"module": "keras.metrics", "class_name": ..., "config": {...},
    "registered_name": ...}`; a plain function gives a `"class_name": "function"`
    entry naming it. `deserialize()` turns it back into a metric.

    Args:
        metric: the metric to serialize.

    Returns:
        A JSON-compatible dict.
    """
    return serialize_object_or_function(metric, "keras.metrics", Metric, "metric")


_MALFORMED = "Could not deserialize metric: expected a name or a dict with 'class_name'"


def deserialize(config, custom_objects=None):
    """Rebuilds a metric from its config dict (the output of `serialize()`).

    The class name resolves as in Keras: custom-object scopes first, then
    registered classes, then `custom_objects`, then the built-in metrics.

    Args:
        config: a dict with "class_name" and "config" entries (or a name).
        custom_objects: optional dict mapping names to user classes or functions.

    Returns:
        A metric instance.
    """
    if isinstance(config, str):
        custom = _reg.get_registered_object(config, custom_objects)
        return get(config) if custom is None else _instantiate(custom, config)
    if isinstance(config, dict) and config.get("class_name") == "function":
        inner = config.get("config")
        name = inner if isinstance(inner, str) else config.get("registered_name")
        obj = _reg.get_registered_object(name, custom_objects, _FUNCTION_OBJECTS)
        if obj is None:
            raise ValueError(_unknown(name))
        return obj
    return _reg.deserialize_class_config(config, _OBJECTS, custom_objects,
                                         malformed=_MALFORMED, unknown=_unknown)


def _instantiate(obj, identifier):
    if inspect.isclass(obj):
        if not issubclass(obj, Metric):
            raise ValueError(f"Could not interpret metric identifier: {identifier!r}")
        return obj()
    return obj


def get(identifier):
    """Retrieves a metric from an identifier.

    A name gives a Metric instance ("mae" a mean of `mean_absolute_error` named
    "mae", "AUC" an `AUC()`); a config dict is deserialized; a Metric instance
    or another callable is returned as is.

    Args:
        identifier: a name, a config dict, an instance, a callable, or None.

    Returns:
        A metric (or None for None).
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        obj = _OBJECTS.get(identifier)
        if obj is None:
            raise ValueError(_unknown(identifier))
        if inspect.isclass(obj):
            return obj()
        return MeanMetricWrapper(obj, name=identifier)
    if inspect.isclass(identifier):
        return _instantiate(identifier, identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret metric identifier: {identifier!r}")


def _unknown(name):
    known = sorted(k for k in _OBJECTS if k[:1].islower())
    return f"Could not interpret metric identifier: {name!r}. Known metrics: {', '.join(known)}"
