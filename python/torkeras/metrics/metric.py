"""The `Metric` base class: state in non-trainable Variables, results as 0-d
torch tensors (nothing here reads values back to the host)."""

import torch

from torkeras import config, dtypes, initializers, naming
from torkeras.variables import Variable, substituted_values, values_for


class Metric:
    """Base class of metrics: state kept in variables, updated batch by batch.

    A subclass creates its state in `__init__` with `self.add_variable(...)`
    (non-trainable variables), accumulates in `update_state(y_true, y_pred,
    sample_weight=None)` and computes the value from the state in `result()`;
    `reset_state()` zeroes the state (start of each epoch in `fit()`). Calling
    the metric object runs `update_state` and returns `result()`.

    Args:
        dtype: dtype of the state variables and result; None uses
            `keras.config.floatx()`.
        name: name of the metric instance (default: the snake-case class name).

    Example:
    >>> class CountPositives(keras.metrics.Metric):
    ...     def __init__(self, name="count_positives", **kwargs):
    ...         super().__init__(name=name, **kwargs)
    ...         self.count = self.add_variable(shape=(), initializer="zeros", name="count")
    ...     def update_state(self, y_true, y_pred, sample_weight=None):
    ...         self.count.assign_add(keras.ops.sum(keras.ops.cast(keras.ops.greater(y_pred, 0), "float32")))
    ...     def result(self):
    ...         return self.count.value
    >>> m = CountPositives()
    >>> float(m([0, 0, 0], [1.0, -1.0, 2.0]))
    2.0
    """

    def __init__(self, dtype=None, name=None):
        self.name = name or naming.auto_name(naming.to_snake_case(type(self).__name__))
        if isinstance(dtype, dict):
            dtype = dtype.get("config", {}).get("name")
        self._dtype = dtypes.name_of(dtype) if dtype is not None else config.floatx()
        self._torch_dtype = dtypes.to_torch(self._dtype)

    def __new__(cls, *args, **kwargs):
        obj = super().__new__(cls)
        obj.__dict__["_variables"] = []
        obj.__dict__["_metrics"] = []
        return obj

    def __setattr__(self, name, value):
        if isinstance(value, Variable):
            if not any(v is value for v in self._variables):
                self._variables.append(value)
        elif isinstance(value, Metric):
            if not any(m is value for m in self._metrics):
                self._metrics.append(value)
        object.__setattr__(self, name, value)

    # -- state ------------------------------------------------------------
    def add_variable(self, shape, initializer, dtype=None, aggregation="sum", name=None):
        """Creates a state variable of the metric (non-trainable).

        Args:
            shape: the variable's shape (None or `()` for a scalar).
            initializer: initializer name or instance ("zeros" when None).
            dtype: the variable's dtype (default: the metric's dtype).
            aggregation: how the value is aggregated across replicas ("sum",
                "mean", ...).
            name: the variable's name.

        Returns:
            The new `keras.Variable`.
        """
        shape = () if shape is None else tuple(int(d) for d in shape)
        init = initializers.get(initializer if initializer is not None else "zeros")
        with naming.name_scope(self.name.replace("/", ">")):
            variable = Variable(init, shape=shape, dtype=dtype or self._dtype, trainable=False,
                                name=name, aggregation=aggregation)
        self._variables.append(variable)
        return variable

    def add_weight(self, shape=(), initializer=None, dtype=None, name=None):
        """Creates a state variable of the metric (same as `add_variable`).

        Args:
            shape: the variable's shape (default `()`, a scalar).
            initializer: initializer name or instance ("zeros" when None).
            dtype: the variable's dtype (default: the metric's dtype).
            name: the variable's name.

        Returns:
            The new `keras.Variable`.
        """
        return self.add_variable(shape=shape, initializer=initializer, dtype=dtype, name=name)

    @property
    def variables(self):
        out = list(self._variables)
        for m in self._metrics:
            out.extend(v for v in m.variables if not any(v is o for o in out))
        return out

    @property
    def dtype(self):
        return self._dtype

    def reset_state(self):
        """Sets every state variable to zero (done at the start of each epoch and evaluation)."""
        with torch.no_grad():
            for v in self.variables:
                v.value.zero_()

    def update_state(self, *args, **kwargs):
        """Accumulates the statistics of one batch into the state variables.

        Implemented by subclasses, typically as `update_state(y_true, y_pred,
        sample_weight=None)`.
        """
        raise NotImplementedError(f"{type(self).__name__} must implement update_state()")

    def result(self):
        """Computes the metric's value from its state variables (implemented by subclasses)."""
        raise NotImplementedError(f"{type(self).__name__} must implement result()")

    def __call__(self, *args, **kwargs):
        self.update_state(*args, **kwargs)
        return self.result()

    def _to_device(self, device):
        """Moves the state to `device` (the first update on a new device)."""
        for v in self.variables:
            v._replace_tensor(v.value.to(device))

    # -- stateless API (functional training loops) --------------------------------
    # Each method runs the stateful one on copies of the given values (a list
    # ordered like `self.variables`, of tensors or Variables) and returns the
    # resulting values; the metric's own variables are left untouched.
    def _stateless_values(self, metric_variables):
        return values_for(self.variables, metric_variables, "metric_variables", copy=True)

    def stateless_update_state(self, metric_variables, *args, **kwargs):
        """`update_state(*args, **kwargs)` applied to `metric_variables`;
        returns the updated values."""
        variables = self.variables
        values = self._stateless_values(metric_variables)
        with substituted_values(variables, values):
            self.update_state(*args, **kwargs)
            # update_state may rebind a variable (first update on a new device).
            return [v._value for v in variables]

    def stateless_result(self, metric_variables):
        """`result()` computed from `metric_variables`."""
        variables = self.variables
        with substituted_values(variables, self._stateless_values(metric_variables)):
            return self.result()

    def stateless_reset_state(self):
        """The values `reset_state()` would leave in `self.variables`."""
        variables = self.variables
        values = [v._value.detach().clone() for v in variables]
        with substituted_values(variables, values):
            self.reset_state()
            return [v._value for v in variables]

    # -- config -------------------------------------------------------------
    def get_config(self):
        """The metric's configuration: a JSON-compatible dict of its constructor arguments."""
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config_):
        """Builds a metric from the dict `get_config()` returned.

        Args:
            config_: the configuration dict.
        """
        return cls(**config_)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"
