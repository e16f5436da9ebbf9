"""`Optimizer`: the Keras 3 optimizer API with per-step work in foreach kernels.

Hot-path design (this runs once per training step):

* After `build`, the live tensors of the trainable variables and of every slot
  group are cached as Python lists; `apply` hands those lists straight to
  `torch._foreach_*` kernels. The cache is rebuilt when a variable's storage is
  replaced or moved to another device (slots follow their variable's device).
* The step counter and a constant learning rate are mirrored as Python numbers.
  Their Variables stay the source of truth: the mirror is re-read whenever the
  tensor's version counter shows an outside write (`assign`, weight loading),
  so reading them costs no tensor op and no device sync.
* Built-in schedules are evaluated on the Python step number (see
  `schedules._BuiltinSchedule`); user schedules get the `iterations` Variable.

Subclasses create slots in `build()` with `add_optimizer_variables` and
implement `_update(params, grads, indices, lr, step)` with foreach kernels
(`self._slots(group, indices)` gives a slot group's tensors). A user subclass
may implement the per-variable Keras hook `update_step(gradient, variable,
learning_rate)` instead.
"""

import copy
import re
import warnings

import numpy as np
import torch

from torkeras import naming
from torkeras.optimizers import schedules as _schedules
from torkeras.variables import Variable, substituted_values, values_for

_BASE_ARGS = ("learning_rate", "weight_decay", "clipnorm", "clipvalue", "global_clipnorm",
              "use_ema", "ema_momentum", "ema_overwrite_frequency", "loss_scale_factor",
              "gradient_accumulation_steps", "name")


def _is_number(value):
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    try:
        import numpy as np
        if isinstance(value, np.generic) and np.issubdtype(type(value), np.number):
            return True
    except ImportError:  # pragma: no cover
        pass
    return isinstance(value, torch.Tensor) and value.ndim == 0


def rounding(dtype):
    """A function rounding a Python float to `dtype` (a torch dtype): chained
    after each operation, Python arithmetic (+ - * / sqrt) then gives the
    dtype's own correctly rounded results. The optimizers compute their
    per-step scalar coefficients this way, in the variables' dtype, as Keras
    does with 0-d tensors, at no tensor-op cost."""
    if dtype == torch.float32:
        return _round_f32
    if dtype == torch.float64:
        return float
    return lambda x: float(torch.tensor(x, dtype=dtype))


def _round_f32(x):
    return float(np.float32(x))


def power(base, exponent, dtype):
    """`base ** exponent` in `dtype` (Keras' `ops.power` on two casted
    scalars), as a Python float. For float32, the power of the float32 base
    and exponent is taken in double precision and rounded: that is what
    torch's float32 `pow` returns (correctly rounded) but for a 1-ulp
    difference in about 1 step in 1000 past the first few dozen, at no tensor
    op cost (`torch.pow` on two 0-d tensors costs ~15 us per call)."""
    if dtype == torch.float32:
        return _round_f32(_round_f32(base) ** _round_f32(exponent))
    return float(torch.pow(torch.tensor(base, dtype=dtype), torch.tensor(exponent, dtype=dtype)))


def _as_grad(grad, param):
    """A gradient as a tensor of its variable's dtype and device."""
    if isinstance(grad, Variable):
        grad = grad.value
    if isinstance(grad, torch.Tensor) and grad.dtype == param.dtype and grad.device == param.device:
        return grad
    return torch.as_tensor(grad, dtype=param.dtype, device=param.device)


class Optimizer:
    """Base class of all optimizers.

    An optimizer updates variables from their gradients:
    `apply_gradients(list(zip(grads, variables)))` (or `apply(grads, variables)`)
    clips the gradients, applies weight decay, runs the update rule of the
    subclass and increments `iterations`. A subclass creates its per-variable
    slots in `build(variables)` with `add_variable_from_reference()` and
    implements `update_step(gradient, variable, learning_rate)`.

    Args:
        learning_rate: a float, a `LearningRateSchedule`, or a callable taking
            no argument and returning the rate.
        weight_decay: optional float; decoupled weight decay applied before each
            update as `w -= w * weight_decay * learning_rate` (variables excluded
            with `exclude_from_weight_decay()` are left out).
        clipnorm: optional float; each gradient is rescaled so that its L2 norm
            is at most this value.
        clipvalue: optional float; each gradient is clipped elementwise to
            `[-clipvalue, clipvalue]`.
        global_clipnorm: optional float; all gradients are rescaled together so
            that the L2 norm of their concatenation is at most this value (only
            one of the three clipping arguments can be set).
        use_ema: whether to keep an exponential moving average of the model
            weights: `ema = ema_momentum * ema + (1 - ema_momentum) * w` after
            each step.
        ema_momentum: the momentum of that average, in [0, 1] (default 0.99).
        ema_overwrite_frequency: optional integer; with `use_ema`, every this
            many steps the weights are overwritten by their average. None: only
            when `finalize_variable_values()` runs (end of `fit()`).
        loss_scale_factor: optional float; the loss is multiplied by it before
            the gradients are computed and the gradients are divided by it
            before the update (a fixed loss scale for float16 training).
        gradient_accumulation_steps: optional integer >= 2; gradients are summed
            over this many steps and the variables are updated only every this
            many steps, with the mean of the accumulated gradients.
        name: name of the optimizer (the prefix of its variables' paths;
            default: the snake-case class name).
        **kwargs: not accepted (an unknown argument is an error), except the
            deprecated `decay`, which is ignored with a warning.
    """

    def __init__(self, learning_rate, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        if kwargs.pop("decay", None) is not None:
            warnings.warn("Argument `decay` is no longer supported and will be ignored.",
                          stacklevel=2)
        if kwargs:
            raise ValueError(
                f"{type(self).__name__}: argument(s) not recognized: {sorted(kwargs)}. "
                f"Accepted base optimizer arguments: {', '.join(_BASE_ARGS)}.")
        if name is None:
            name = naming.auto_name(naming.to_snake_case(type(self).__name__))
        if not isinstance(name, str) or "/" in name:
            raise ValueError(f"`name` must be a string without '/'; received: {name!r}")
        self.name = name

        clip_args = {"clipnorm": clipnorm, "clipvalue": clipvalue, "global_clipnorm": global_clipnorm}
        if sum(v is not None for v in clip_args.values()) > 1:
            raise ValueError(
                "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: "
                + ", ".join(f"{k}={v}" for k, v in clip_args.items()))
        for key, value in clip_args.items():
            if value is not None and not _is_number(value):
                raise ValueError(f"`{key}` must be a number or None; received: {value!r}")
        if weight_decay is not None and not _is_number(weight_decay):
            raise ValueError(f"`weight_decay` must be a number or None; received: {weight_decay!r}")
        if gradient_accumulation_steps:
            if (not isinstance(gradient_accumulation_steps, int) or isinstance(gradient_accumulation_steps, bool)
                    or gradient_accumulation_steps < 2):
                raise ValueError(
                    "`gradient_accumulation_steps` must be an integer >= 2. "
                    f"Received: gradient_accumulation_steps={gradient_accumulation_steps!r}")
        if use_ema:
            if not 0 <= ema_momentum <= 1:
                raise ValueError(f"`ema_momentum` must be in the range [0, 1]. Received: ema_momentum={ema_momentum}")
            if ema_overwrite_frequency is not None and (
                    not isinstance(ema_overwrite_frequency, int) or ema_overwrite_frequency < 1):
                raise ValueError(
                    "`ema_overwrite_frequency` must be an integer >= 1 or None. "
                    f"Received: ema_overwrite_frequency={ema_overwrite_frequency!r}")

        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.global_clipnorm = global_clipnorm
        self.use_ema = bool(use_ema)
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps or None

        self.built = False
        self._variables = []
        self._slot_refs = []  # (slot, model variable) pairs: slots follow their variable's device
        self._trainable_variables = []
        self._var_index = {}
        self._exclude_ids = set()
        self._exclude_pattern = None
        self._last_var_list = None
        self._last_indices = None
        self._p0 = None  # cache marker: None means "rebuild the tensor caches"

        with naming.name_scope(self.name):
            self._iterations = Variable(0, dtype="int32", trainable=False, name="iteration",
                                        aggregation="only_first_replica")
        self._variables.append(self._iterations)
        self._it_tensor = None
        self._it_version = -1
        self._it_int = 0

        self._lr_var = None
        self._lr_tensor = None
        self._lr_version = -1
        self._lr_float = 0.0
        self._learning_rate = None
        self._set_learning_rate(learning_rate, initial=True)

    # ------------------------------------------------------------------
    # learning rate and step counter
    # ------------------------------------------------------------------
    def _set_learning_rate(self, learning_rate, initial=False):
        if isinstance(learning_rate, Variable):
            learning_rate = float(learning_rate.numpy())
        if isinstance(learning_rate, _schedules.LearningRateSchedule) or (
                callable(learning_rate) and not _is_number(learning_rate)):
            self._learning_rate = learning_rate
            if self._lr_var is not None:  # untracked, as in Keras
                self._variables = [v for v in self._variables if v is not self._lr_var]
                self._lr_var = None
            return
        if not _is_number(learning_rate):
            raise ValueError(
                "Argument `learning_rate` should be a float, a LearningRateSchedule instance, or a "
                "callable (taking no argument and returning the learning rate). "
                f"Received instead: learning_rate={learning_rate!r}")
        if isinstance(self._learning_rate, _schedules.LearningRateSchedule):
            raise TypeError(
                "This optimizer was created with a `LearningRateSchedule` object as its "
                "`learning_rate` constructor argument, hence its learning rate is not settable. "
                "If you need the learning rate to be settable, you should instantiate the "
                "optimizer with a float `learning_rate` argument.")
        value = float(learning_rate)
        if self._lr_var is None:
            with naming.name_scope(self.name):
                self._lr_var = Variable(value, dtype="float32", trainable=False,
                                        name="learning_rate", aggregation="only_first_replica")
            self._variables.insert(1, self._lr_var)
        else:
            self._lr_var.assign(value)
        self._learning_rate = self._lr_var
        # Mirror the exact value set (the Variable holds its float32 rounding).
        self._lr_float = value
        self._lr_tensor = self._lr_var._value
        self._lr_version = self._lr_tensor._version

    @property
    def learning_rate(self):
        """The current learning rate as a Python float (a schedule's value at
        the current step)."""
        lr = self._learning_rate
        if lr is self._lr_var and lr is not None:
            return self._constant_lr()
        if isinstance(lr, _schedules.LearningRateSchedule):
            return float(self._schedule_value(self._iteration_int()))
        return float(lr())

    @learning_rate.setter
    def learning_rate(self, value):
        self._set_learning_rate(value)

    def _constant_lr(self):
        t = self._lr_var._value
        if t is not self._lr_tensor or t._version != self._lr_version:
            self._lr_float = float(t)
            self._lr_tensor = t
            self._lr_version = t._version
        return self._lr_float

    def _schedule_value(self, step):
        schedule = self._learning_rate
        if isinstance(schedule, _schedules._BuiltinSchedule):
            return schedule._value_at(float(step))
        return float(schedule(self._iterations))

    def _current_lr(self, step):
        lr = self._learning_rate
        if lr is self._lr_var:
            return self._constant_lr()
        if isinstance(lr, _schedules.LearningRateSchedule):
            return self._schedule_value(step)
        return float(lr())

    def _iteration_int(self):
        t = self._iterations._value
        if t is not self._it_tensor or t._version != self._it_version:
            self._it_int = int(t)
            self._it_tensor = t
            self._it_version = t._version
        return self._it_int

    @property
    def iterations(self):
        """The step counter Variable (the number of `apply` calls). With
        gradient accumulation, the number of real updates (a tensor)."""
        if self.gradient_accumulation_steps:
            return self._iterations.value // self.gradient_accumulation_steps
        return self._iterations

    @property
    def variables(self):
        """Optimizer state in Keras order: iteration, learning_rate (absent with
        a schedule), EMA averages / gradient accumulators, then the slots."""
        return self._variables[:]

    # ------------------------------------------------------------------
    # variables
    # ------------------------------------------------------------------
    def add_variable(self, shape, initializer="zeros", dtype=None, aggregation="mean", name=None):
        """Creates an optimizer state variable (e.g. a custom slot or accumulator).

        Args:
            shape: the variable's shape.
            initializer: initializer name or instance (default "zeros").
            dtype: the variable's dtype.
            aggregation: how the value is aggregated across replicas.
            name: the variable's name (under the optimizer's name scope).

        Returns:
            The new `keras.Variable`.
        """
        if isinstance(initializer, str) or not callable(initializer):
            from torkeras import initializers
            initializer = initializers.get(initializer)
        with naming.name_scope(self.name):
            variable = Variable(initializer, shape=shape, dtype=dtype, trainable=False,
                                name=name, aggregation=aggregation)
        self._variables.append(variable)
        self._p0 = None
        return variable

    def add_variable_from_reference(self, reference_variable, name=None, initializer="zeros"):
        """A slot shaped, typed and placed like `reference_variable`, named
        `<variable path with _>_<name>`."""
        name = name or "var"
        base = getattr(reference_variable, "path", None) or str(getattr(reference_variable, "name", "var"))
        name = base.replace("/", "_").replace(":", "_") + "_" + name
        ref = reference_variable.value if isinstance(reference_variable, Variable) else reference_variable
        if isinstance(initializer, str) and initializer == "zeros":
            init = torch.zeros_like(ref.detach(), memory_format=torch.contiguous_format)
            with naming.name_scope(self.name):
                variable = Variable(init, trainable=False, name=name, dtype=ref.dtype,
                                    aggregation="mean")
            self._variables.append(variable)
            self._p0 = None
        else:
            variable = self.add_variable(tuple(ref.shape), initializer=initializer, dtype=ref.dtype,
                                         name=name)
            if variable.value.device != ref.device:
                variable._replace_tensor(variable.value.to(ref.device))
        if isinstance(reference_variable, Variable):
            self._slot_refs.append((variable, reference_variable))
        return variable

    def add_optimizer_variables(self, trainable_variables, name, initializer="zeros"):
        """One slot per trainable variable. With a list of names, the slots are
        created interleaved per variable (Keras order) and a tuple of lists is
        returned."""
        names = [name] if isinstance(name, str) else list(name)
        inits = [initializer] * len(names) if isinstance(initializer, str) or callable(initializer) \
            else list(initializer)
        if len(inits) != len(names):
            raise ValueError(f"Got {len(names)} names but {len(inits)} initializers.")
        groups = tuple([] for _ in names)
        for variable in trainable_variables:
            for group, slot_name, init in zip(groups, names, inits):
                group.append(self.add_variable_from_reference(variable, slot_name, init))
        return groups[0] if isinstance(name, str) else groups

    def build(self, variables):
        """Records the trainable variables and creates the base slots (EMA
        averages, gradient accumulators). Subclasses add their own slots after
        calling this. Building again is a no-op."""
        if self.built:
            return
        variables = list(variables)
        for v in variables:
            if not isinstance(v, Variable):
                raise TypeError(
                    f"Optimizer {self.name!r} expects torkeras Variables to build on; received {type(v).__name__}.")
        self._trainable_variables = variables[:]
        self._var_index = {id(v): i for i, v in enumerate(variables)}
        self._model_variables_moving_average = []
        self._accumulated_gradients = []
        if self.use_ema or self.gradient_accumulation_steps:
            for v in variables:
                if self.use_ema:
                    self._model_variables_moving_average.append(
                        self.add_variable_from_reference(v, "average"))
                if self.gradient_accumulation_steps:
                    self._accumulated_gradients.append(
                        self.add_variable_from_reference(v, "gradient_accumulator"))
        self._p0 = None
        self.built = True

    def _attributes(self):
        """A copy of the optimizer's attributes (containers copied, variables
        shared) that `_restore_attributes` returns to, undoing a `build`."""
        return {key: copy.copy(value) if isinstance(value, (list, dict, set)) else value
                for key, value in vars(self).items()}

    def _restore_attributes(self, attributes):
        vars(self).clear()
        vars(self).update(attributes)

    def _build_all_or_nothing(self, variables):
        """`build`, undone if it raises part-way: a subclass whose slot
        creation fails (e.g. out of memory) must not be left built with half
        its slots."""
        attributes = self._attributes()
        try:
            self.build(variables)
        except BaseException:
            self._restore_attributes(attributes)
            raise

    def _refresh_cache(self):
        """Re-reads the live tensors of every variable the update touches."""
        params = [v.value for v in self._trainable_variables]
        for slot, reference in self._slot_refs:
            device = reference.value.device
            if slot.value.device != device:
                slot._replace_tensor(slot.value.to(device))
        self._params = params
        self._slot_cache = {}
        self._decay_params = None
        if self.weight_decay:
            self._decay_mask = [self._use_weight_decay(v) for v in self._trainable_variables]
            self._decay_params = [p for p, keep in zip(params, self._decay_mask) if keep]
        self._constrained = [(i, v) for i, v in enumerate(self._trainable_variables)
                             if getattr(v, "constraint", None) is not None]
        self._p0 = params[0] if params else False
        self._p0_device = params[0].device if params else None

    def _check_cache(self):
        if self._p0 is None:
            self._refresh_cache()
            return
        if self._params:
            p0 = self._trainable_variables[0]._value
            if p0 is not self._p0 or p0.device != self._p0_device:
                self._refresh_cache()

    def _slots(self, group, indices=None):
        """Live tensors of a slot group (a list of Variables), optionally
        restricted to `indices`."""
        key = id(group)
        tensors = self._slot_cache.get(key)
        if tensors is None:
            tensors = self._slot_cache[key] = [s.value for s in group]
        if indices is None:
            return tensors
        return [tensors[i] for i in indices]

    def _get_variable_index(self, variable):
        return self._var_index[id(variable)]

    # ------------------------------------------------------------------
    # weight decay exclusion
    # ------------------------------------------------------------------
    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Excludes variables (given directly, or by a substring of their
        name) from weight decay. Must be called before the optimizer is built."""
        if self.built:
            raise ValueError("`exclude_from_weight_decay()` can only be configured before the optimizer is built.")
        self._exclude_ids = {id(v) for v in var_list} if var_list else set()
        names = list(var_names) if var_names else []
        self._exclude_pattern = re.compile("|".join(re.escape(n) for n in set(names))) if names else None

    def _use_weight_decay(self, variable):
        if id(variable) in self._exclude_ids:
            return False
        if self._exclude_pattern is not None and self._exclude_pattern.search(variable.name):
            return False
        return True

    # ------------------------------------------------------------------
    # applying gradients
    # ------------------------------------------------------------------
    def apply_gradients(self, grads_and_vars):
        """Applies gradients to variables: one optimizer step.

        Clips the gradients (`clipnorm`, `clipvalue`, `global_clipnorm`), applies
        weight decay, updates the variables by the optimizer's rule and increments
        `iterations`. The optimizer is built on the first call.

        Args:
            grads_and_vars: list of `(gradient, variable)` pairs.

        Returns:
            The `iterations` counter variable.
        """
        grads_and_vars = list(grads_and_vars)
        if not grads_and_vars:
            return self._iterations
        grads, variables = zip(*grads_and_vars)
        self.apply(list(grads), list(variables))
        return self._iterations

    def _index_variables(self, trainable_variables, n_grads):
        variables = list(trainable_variables)
        if len(variables) != n_grads:
            raise ValueError(
                f"Received {n_grads} gradients for {len(variables)} variables; they must correspond one to one.")
        if not self.built:
            self._build_all_or_nothing(variables)
        index = self._var_index
        try:
            indices = [index[id(v)] for v in variables]
        except KeyError:
            unknown = next(v for v in variables if id(v) not in index)
            raise ValueError(
                f"Unknown variable: {getattr(unknown, 'path', unknown)}. This optimizer can only be called "
                "for the variables it was originally built with. When working with a new set of "
                "variables, you should recreate a new optimizer instance.") from None
        if indices == list(range(len(self._trainable_variables))):
            indices = None
        self._last_var_list = trainable_variables
        self._last_indices = indices
        return indices

    # Under torch.compile (compile_function, `jit_compile=True`) the update runs
    # eagerly: its foreach kernels are already batched, and tracing it would
    # guard on the Python step/learning-rate mirrors and recompile every step.
    @torch.compiler.disable
    def apply(self, grads, trainable_variables=None):
        """Updates the variables from `grads` (a list matching
        `trainable_variables`, or the variables the optimizer was built with).
        `None` gradients are skipped. Increments `iterations`."""
        n = len(grads)
        if n == 0:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "When passing `grads` without `variables`, the optimizer must already be built on "
                    "a list of variables. Call `optimizer.build(trainable_variables)` first.")
            if n != len(self._trainable_variables):
                raise ValueError(
                    f"Received a list of {n} gradients, but the optimizer is tracking "
                    f"{len(self._trainable_variables)} trainable variables.")
            indices = None
        elif trainable_variables is self._last_var_list:
            indices = self._last_indices
        else:
            indices = self._index_variables(trainable_variables, n)

        for g in grads:
            if g is None:
                grads, indices = self._drop_missing(grads, indices)
                break
        else:
            if not isinstance(grads, list):
                grads = list(grads)

        with torch.no_grad():
            self._check_cache()
            it = self._iteration_int()
            if grads:
                params = self._params if indices is None else [self._params[i] for i in indices]
                for g, p in zip(grads, params):
                    if not isinstance(g, torch.Tensor) or g.dtype != p.dtype:
                        grads = [_as_grad(g, p) for g, p in zip(grads, params)]
                        break
                if self.loss_scale_factor is not None:
                    grads = torch._foreach_div(grads, float(self.loss_scale_factor))
                acc_steps = self.gradient_accumulation_steps
                if acc_steps:
                    accs = self._slots(self._accumulated_gradients, indices)
                    if (it + 1) % acc_steps == 0:
                        grads = torch._foreach_add(grads, accs)
                        torch._foreach_div_(grads, float(acc_steps))
                        self._update_all(params, grads, indices, it, it // acc_steps + 1)
                        torch._foreach_zero_(self._slots(self._accumulated_gradients))
                    else:
                        torch._foreach_add_(accs, grads)
                else:
                    self._update_all(params, grads, indices, it, it + 1)
                if self.use_ema:
                    self._update_ema(it // acc_steps if acc_steps else it)
            # The step is counted once the update is applied, before the
            # constraints run: a constraint that raises must not leave the
            # moments updated but the step uncounted.
            t = self._iterations._value
            t.add_(1)
            self._it_int = it + 1
            self._it_version = t._version
            if grads and self._constrained:
                for i, variable in self._constrained:
                    if indices is None or i in indices:
                        variable.assign(variable.constraint(variable))

    def stateless_apply(self, optimizer_variables, grads, trainable_variables):
        """One `apply` step on given values instead of the live state (Keras'
        stateless API). `optimizer_variables` is ordered like `self.variables`,
        `trainable_variables` like the variables the optimizer was built on.
        Returns `(new_trainable_values, new_optimizer_values)`, equal to what
        `apply(grads)` would leave in those variables; the optimizer's and the
        model's own variables are not changed."""
        if not self.built:
            raise ValueError(
                f"stateless_apply(): optimizer {self.name!r} is not built, so it has no variables "
                "yet. Build it first with `optimizer.build(trainable_variables)`.")
        grads = list(grads)
        if len(grads) != len(self._trainable_variables):
            raise ValueError(
                f"stateless_apply(): `grads` must hold one gradient per trainable variable: expected "
                f"{len(self._trainable_variables)}, received {len(grads)}.")
        opt_values = values_for(self._variables, optimizer_variables, "optimizer_variables", copy=True)
        train_values = values_for(self._trainable_variables, trainable_variables,
                                  "trainable_variables", copy=True)
        # The Python mirrors of the step and the learning rate belong to the
        # live tensors. A substituted learning rate equal to the live one keeps
        # the exact mirrored float, as `apply` would use it.
        mirrors = {k: self.__dict__[k] for k in ("_it_tensor", "_it_version", "_it_int",
                                                  "_lr_tensor", "_lr_version", "_lr_float")}
        exact_lr = None
        if self._lr_var is not None:
            live_lr = self._lr_var._value
            new_lr = next(t for v, t in zip(self._variables, opt_values) if v is self._lr_var)
            if torch.equal(new_lr, live_lr):
                exact_lr = self._constant_lr()
                self._lr_tensor, self._lr_version = new_lr, new_lr._version
        try:
            with substituted_values(self._variables + self._trainable_variables,
                                    opt_values + train_values):
                self._p0 = None  # the tensor caches must list the substituted tensors
                if exact_lr is not None:
                    self._lr_float = exact_lr
                self.apply(grads)
        finally:
            self._p0 = None  # ... and the live ones again afterwards
            self.__dict__.update(mirrors)
        return train_values, opt_values

    def _drop_missing(self, grads, indices):
        positions = list(range(len(self._trainable_variables))) if indices is None else indices
        kept_grads, kept_indices, missing = [], [], []
        for g, i in zip(grads, positions):
            if g is None:
                missing.append(self._trainable_variables[i].name)
            else:
                kept_grads.append(g)
                kept_indices.append(i)
        if missing:
            warnings.warn(
                f"Gradients do not exist for variables {missing} when minimizing the loss. If using "
                "`model.compile()`, did you forget to provide a `loss` argument?", stacklevel=3)
        return kept_grads, kept_indices

    def _update_all(self, params, grads, indices, it, step):
        grads = self._clip_gradients(grads)
        lr = self._current_lr(it)
        self._apply_weight_decay(params, indices, lr)
        self._update(params, grads, indices, lr, step)

    def _apply_weight_decay(self, params, indices, lr):
        """Decoupled weight decay, `w *= 1 - weight_decay * lr`, before the
        update; the factor is computed in the variables' dtype as in Keras."""
        if self.weight_decay:
            decay = self._decay_params if indices is None else \
                [self._params[i] for i in indices if self._decay_mask[i]]
            if decay:
                r = rounding(decay[0].dtype)
                torch._foreach_mul_(decay, r(1.0 - r(r(float(self.weight_decay)) * r(lr))))

    def _clip_gradients(self, grads):
        if self.clipnorm is not None and self.clipnorm > 0:
            clip = float(self.clipnorm)
            factors = torch._foreach_norm(grads)
            torch._foreach_clamp_min_(factors, clip)
            torch._foreach_reciprocal_(factors)
            torch._foreach_mul_(factors, clip)
            return torch._foreach_mul(grads, factors)
        if self.global_clipnorm is not None and self.global_clipnorm > 0:
            clip = float(self.global_clipnorm)
            norms = torch._foreach_norm(grads)
            if len({n.dtype for n in norms}) > 1:
                norms = [n.float() for n in norms]
            total = torch.linalg.vector_norm(torch.stack(norms))
            # min(clip / total, 1); a non-finite norm makes the scale NaN.
            scale = torch.clamp(clip / total, max=1.0) + (total - total)
            return torch._foreach_mul(grads, scale)
        if self.clipvalue is not None and self.clipvalue > 0:
            clip = float(self.clipvalue)
            clipped = torch._foreach_clamp_min(grads, -clip)
            torch._foreach_clamp_max_(clipped, clip)
            return clipped
        return grads

    def _update(self, params, grads, indices, lr, step):
        """Default: the per-variable Keras hook `update_step`."""
        variables = self._trainable_variables if indices is None else \
            [self._trainable_variables[i] for i in indices]
        for grad, variable in zip(grads, variables):
            self.update_step(grad, variable, lr)

    def update_step(self, gradient, variable, learning_rate):
        """Updates one variable from its gradient (the hook of custom optimizers).

        Built-in optimizers update all variables at once with fused kernels; a
        subclass may instead implement this per-variable rule.

        Args:
            gradient: the variable's gradient (a tensor).
            variable: the `keras.Variable` to update (use `variable.assign(...)`).
            learning_rate: the current learning rate (a float).
        """
        raise NotImplementedError(
            f"{type(self).__name__} must implement `update_step(gradient, variable, learning_rate)`.")

    def _update_ema(self, step):
        averages = self._slots(self._model_variables_moving_average)
        if step == 0:
            torch._foreach_copy_(averages, self._params)
        else:
            torch._foreach_lerp_(averages, self._params, 1.0 - float(self.ema_momentum))
        freq = self.ema_overwrite_frequency
        if freq and (step + 1) % freq == 0:
            torch._foreach_copy_(self._params, averages)

    def finalize_variable_values(self, var_list):
        """With EMA, overwrites the model variables with their moving averages."""
        if self.use_ema and self.built:
            var_list = list(var_list)
            if len(var_list) != len(self._model_variables_moving_average):
                raise ValueError(
                    f"Received {len(var_list)} variables but the optimizer holds "
                    f"{len(self._model_variables_moving_average)} moving averages.")
            for variable, average in zip(var_list, self._model_variables_moving_average):
                variable.assign(average)

    def scale_loss(self, loss):
        """The loss multiplied by `loss_scale_factor` (unchanged when that is None).

        Args:
            loss: the loss tensor.
        """
        if self.loss_scale_factor is not None:
            return loss * self.loss_scale_factor
        return loss

    # Keras helpers for user-written `update_step`.
    def assign(self, variable, value):
        variable.assign(value)

    def assign_add(self, variable, value):
        variable.assign_add(value)

    def assign_sub(self, variable, value):
        variable.assign_sub(value)

    # ------------------------------------------------------------------
    # state
    # ------------------------------------------------------------------
    def set_weights(self, weights):
        if not self.built:
            raise ValueError(
                "You are calling `set_weights()` on an optimizer that has not yet been built. Call "
                "`optimizer.build(trainable_variables)` to create the optimizer weights first.")
        weights = list(weights)
        if len(weights) != len(self._variables):
            raise ValueError(f"Expected {len(self._variables)} weights, received {len(weights)}.")
        for variable, weight in zip(self._variables, weights):
            if tuple(variable.shape) != tuple(getattr(weight, "shape", ())):
                raise ValueError(
                    f"Optimizer variable {variable.path} has shape {variable.shape}, not compatible with "
                    f"provided weight shape {tuple(getattr(weight, 'shape', ()))}.")
            variable.assign(weight)

    def get_weights(self):
        return [v.numpy() for v in self._variables]

    def save_own_variables(self, store):
        for i, variable in enumerate(self._variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store):
        if len(store.keys()) != len(self._variables):
            msg = (f"Skipping variable loading for optimizer '{self.name}', because it has "
                   f"{len(self._variables)} variables whereas the saved optimizer has "
                   f"{len(store.keys())} variables.")
            if len(self._variables) <= 2:
                msg += " This is likely because the optimizer has not been called/built yet."
            warnings.warn(msg, stacklevel=2)
            return
        for i, variable in enumerate(self._variables):
            variable.assign(store[str(i)])

    # ------------------------------------------------------------------
    # config
    # ------------------------------------------------------------------
    def get_config(self):
        """The optimizer's configuration: a JSON-compatible dict of its constructor arguments."""
        lr = self._learning_rate
        if isinstance(lr, _schedules.LearningRateSchedule):
            learning_rate = _schedules.serialize(lr)
        elif lr is self._lr_var:
            learning_rate = self._constant_lr()
        else:
            learning_rate = lr  # a plain callable
        return {
            "name": self.name,
            "learning_rate": learning_rate,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Builds an optimizer from the dict `get_config()` returned.

        Args:
            config: the configuration dict (a serialized schedule under
                "learning_rate" is rebuilt).
            custom_objects: optional dict of custom classes (e.g. a custom
                schedule) referenced by the config.
        """
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = _schedules.deserialize(config["learning_rate"], custom_objects)
        return cls(**config)
