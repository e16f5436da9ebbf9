"""What BatchNormalization and LayerNormalization share: the `axis` argument
(checked when the layer is made, resolved against the input rank at build)
and the learned per-feature scale `gamma` and offset `beta` with their
initializers, regularizers and constraints."""

import numbers

from torkeras.layers.core import arg_utils as U


def axis_argument(layer_class, axis, allow_list=False):
    """`axis` as an int (or, when `allow_list`, a list of ints); a clear
    ValueError naming `layer_class` otherwise."""
    if allow_list and isinstance(axis, (list, tuple)):
        if all(_is_integer(a) for a in axis):
            return [int(a) for a in axis]
    elif _is_integer(axis):
        return int(axis)
    expected = "an integer or a list of integers" if allow_list else "an integer"
    raise ValueError(f"{layer_class}: `axis` must be {expected}; received: axis={axis!r}")


def _is_integer(x):
    return isinstance(x, numbers.Integral) and not isinstance(x, bool) or (
        isinstance(x, float) and x.is_integer())


def resolve_axes(layer, axes, input_shape):
    """The sorted non-negative positions of `axes` in inputs of `input_shape`;
    every one must be in range and of known size (the weights span them)."""
    rank = len(input_shape)
    where = f"{type(layer).__name__} {layer.name!r}"
    for a in axes:
        if not -rank <= a < rank:
            raise ValueError(f"{where}: axis {a} is out of range for inputs of shape "
                             f"{tuple(input_shape)}")
        if input_shape[a % rank] is None:
            raise ValueError(f"{where}: the dimension of axis {a} must be known; received input "
                             f"shape {tuple(input_shape)}")
    return sorted(a % rank for a in axes)


class GammaBetaMixin:
    """The `center`/`scale` switches and the gamma/beta arguments of a
    normalization layer, their weights and their config entries."""

    def _set_gamma_beta_args(self, center, scale, beta_initializer, gamma_initializer,
                             beta_regularizer, gamma_regularizer, beta_constraint,
                             gamma_constraint):
        self.center = bool(center)
        self.scale = bool(scale)
        self.beta_initializer = U.get_initializer(beta_initializer)
        self.gamma_initializer = U.get_initializer(gamma_initializer)
        self.beta_regularizer = U.get_regularizer(beta_regularizer)
        self.gamma_regularizer = U.get_regularizer(gamma_regularizer)
        self.beta_constraint = U.get_constraint(beta_constraint)
        self.gamma_constraint = U.get_constraint(gamma_constraint)
        self.gamma = None
        self.beta = None

    def _add_gamma_beta(self, shape, gamma, beta):
        """Adds gamma (when `gamma`) then beta (when `beta`), in Keras's order."""
        if gamma:
            self.gamma = self.add_weight(shape=shape, initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint, name="gamma")
        if beta:
            self.beta = self.add_weight(shape=shape, initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint, name="beta")

    def _gamma_beta_config(self, more_initializers=None):
        """The config entries, with a layer's other initializers (already
        serialized) after gamma's, where Keras lists them."""
        return {
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": U.serialize_initializer(self.beta_initializer),
            "gamma_initializer": U.serialize_initializer(self.gamma_initializer),
            **(more_initializers or {}),
            "beta_regularizer": U.serialize_regularizer(self.beta_regularizer),
            "gamma_regularizer": U.serialize_regularizer(self.gamma_regularizer),
            "beta_constraint": U.serialize_constraint(self.beta_constraint),
            "gamma_constraint": U.serialize_constraint(self.gamma_constraint),
        }
