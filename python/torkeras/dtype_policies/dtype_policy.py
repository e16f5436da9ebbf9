"""Dtype policies: which dtype a layer computes in and which its variables use.

`DTypePolicy("float32")` computes and stores in float32; `"mixed_float16"` /
`"mixed_bfloat16"` compute in float16 / bfloat16 and keep float32 variables.
The quantized policies (`int8_from_float32`, `float8_from_mixed_bfloat16`,
`int4/128_from_float32`, `gptq/4/128_from_float32`, `awq/4/128_from_float32`)
carry Keras 3's names, properties and configs. Dense, EinsumDense and
Embedding build int8 kernels under an "int8_from_..." policy (and
`quantize("int8")` sets one, docs/quantization.md); the other quantized
modes are names and configs only (those layers refuse to build with them).
"""

from torkeras import config, dtypes

QUANTIZATION_MODES = ("int8", "float8", "int4", "gptq", "awq")

# The global policy set with `set_dtype_policy`; None: follow `config.floatx()`.
_GLOBAL_POLICY = None


def _standard_dtype_name(name):
    """The Keras dtype name of `name`, or None when it is not a dtype."""
    try:
        return dtypes.name_of(name)
    except (ValueError, KeyError, TypeError):
        return None


class DTypePolicy:
    """A dtype policy for a layer: its compute dtype and its variable dtype.

    Args:
        name: `"mixed_float16"` (compute in float16, float32 variables),
            `"mixed_bfloat16"` (compute in bfloat16, float32 variables), or a
            dtype name such as `"float32"`, `"float64"` or `"bfloat16"` (both
            dtypes the same). `None` means the global policy's name
            (`keras.config.dtype_policy()`).

    A layer's `dtype` argument accepts a policy or its name; the global
    default is set with `keras.config.set_dtype_policy()`.
    """

    def __init__(self, name=None):
        if name is None:
            name = dtype_policy().name
        self._name = name
        self._compute_dtype, self._variable_dtype = self._parse_name(name)
        self._quantization_mode = None

    def _parse_name(self, name):
        if not isinstance(name, str):
            raise TypeError("'name' must be a string, such as 'mixed_float16'. "
                            f"Received: name={name!r} (of type {type(name)})")
        if name == "mixed_float16":
            return "float16", "float32"
        if name == "mixed_bfloat16":
            return "bfloat16", "float32"
        dtype = _standard_dtype_name(name)
        if dtype is None:
            raise ValueError(
                f"Cannot convert '{name}' to a mixed precision DTypePolicy. Valid policies "
                "include 'mixed_float16', 'mixed_bfloat16', and the name of any float dtype "
                "such as 'float32'.")
        return dtype, dtype

    @property
    def variable_dtype(self):
        """The dtype layers create their variables in (a string)."""
        return self._variable_dtype

    @property
    def compute_dtype(self):
        """The dtype layers compute in and return (a string)."""
        return self._compute_dtype

    @property
    def name(self):
        """The policy's name."""
        return self._name

    @property
    def quantization_mode(self):
        """The quantization mode ("int8", "float8", ...), None when not quantized."""
        return self._quantization_mode

    def convert_input(self, x, autocast, dtype):
        """`x` (a tensor, KerasTensor or array) with floating values cast to
        `dtype` when `autocast` is true; integer and boolean inputs unchanged."""
        import numpy as np
        import torch
        from torkeras.graph.keras_tensor import KerasTensor
        target = dtypes.to_torch(dtype)
        if isinstance(x, KerasTensor):
            if autocast and dtypes.is_float(x.dtype) and dtypes.to_torch(x.dtype) != target:
                from torkeras import ops
                return ops.cast(x, dtypes.name_of(target))
            return x
        if not isinstance(x, torch.Tensor):
            if not hasattr(x, "__array__"):
                return x
            x = torch.as_tensor(np.asarray(x))
        if autocast and x.is_floating_point() and x.dtype != target:
            x = x.to(target)
        return x

    def get_config(self):
        return {"name": self.name}

    @classmethod
    def from_config(cls, config_):
        return cls(**config_)

    def __repr__(self):
        class_name = type(self).__name__
        if class_name == "FloatDTypePolicy":
            class_name = "DTypePolicy"
        return f'<{class_name} "{self._name}">'

    def __eq__(self, other):
        if type(self) in (DTypePolicy, FloatDTypePolicy):
            if type(other) not in (DTypePolicy, FloatDTypePolicy):
                return False
        elif type(other) is not type(self):
            return False
        return self._name == other._name

    def __hash__(self):
        return hash((type(self).__name__, self._name))


class FloatDTypePolicy(DTypePolicy):
    """A floating-point dtype policy (another name of `DTypePolicy`, as in Keras 3).

    Args:
        name: "mixed_float16", "mixed_bfloat16" or a float dtype name such as
            "float32"; None means the global policy's name.
    """


class QuantizedDTypePolicy(DTypePolicy):
    """A dtype policy for quantized layers.

    Its name is `"<mode>_from_<source_name>"` (e.g. "int8_from_float32"); its
    compute and variable dtypes are those of the source policy.

    Args:
        mode: the quantization mode: "int8", "float8", "int4", "gptq" or "awq"
            ("int8" does not combine with a float16 compute dtype).
        source_name: the policy whose compute and variable dtypes the
            quantized layers keep (default: the global policy's name).
    """

    def __init__(self, mode, source_name=None):
        if source_name is None:
            source_name = dtype_policy().name
        self._compute_dtype, self._variable_dtype = self._parse_name(source_name)
        self._check_quantization_mode(mode, self._compute_dtype)
        self._name = f"{mode}_from_{source_name}"
        self._source_name = source_name
        self._quantization_mode = mode

    def __eq__(self, other):
        if super().__eq__(other) is False:
            return False
        return (self._quantization_mode == other._quantization_mode
                and self._source_name == other._source_name)

    __hash__ = DTypePolicy.__hash__

    def get_config(self):
        return {"mode": self._quantization_mode, "source_name": self._source_name}

    def _check_quantization_mode(self, mode, compute_dtype):
        if mode not in QUANTIZATION_MODES:
            raise ValueError(f"Invalid quantization mode. Expected one of {QUANTIZATION_MODES}. "
                             f"Received: mode={mode}")
        if compute_dtype == "float16" and mode == "int8":
            raise ValueError(f"Quantization mode='{mode}' doesn't work well with "
                             "compute_dtype='float16'.")


class QuantizedFloat8DTypePolicy(QuantizedDTypePolicy):
    """The dtype policy of float8-quantized layers.

    Args:
        mode: the quantization mode, "float8".
        source_name: the policy whose compute and variable dtypes the
            quantized layers keep (default: the global policy's name).
        amax_history_length: length of the window of absolute maxima used to
            compute the float8 scaling factors (an integer, default 1024).
    """

    default_amax_history_length = 1024

    def __init__(self, mode, source_name=None, amax_history_length=1024):
        super().__init__(mode=mode, source_name=source_name)
        if not isinstance(amax_history_length, int) or isinstance(amax_history_length, bool):
            raise TypeError("`amax_history_length` must be an integer. "
                            f"Received: amax_history_length={amax_history_length!r}")
        self._amax_history_length = amax_history_length

    @property
    def amax_history_length(self):
        """The length of the amax history window."""
        return self._amax_history_length

    def __eq__(self, other):
        if super().__eq__(other) is False:
            return False
        return self._amax_history_length == other._amax_history_length

    __hash__ = DTypePolicy.__hash__

    def get_config(self):
        config_ = super().get_config()
        config_["amax_history_length"] = self.amax_history_length
        return config_


def _mode_parts(cls_name, mode, expected, n_ints):
    parts = mode.split("/") if isinstance(mode, str) else []
    head = expected.strip("'").split("/")[0]
    if len(parts) != n_ints + 1 or parts[0] != head:
        raise ValueError(f"Invalid mode for {cls_name}. Expected format {expected}, "
                         f"but got '{mode}'.")
    try:
        return [int(p) for p in parts[1:]]
    except ValueError:
        what = "<block_size> must be an integer" if n_ints == 1 else \
            "<weight_bits> and <group_size> must be integers"
        raise ValueError(f"Invalid mode for {cls_name}. {what}. Expected format {expected}, "
                         f"but got '{mode}'.") from None


class Int4DTypePolicy(QuantizedDTypePolicy):
    """The dtype policy of int4-quantized layers, with a block size.

    Args:
        mode: `"int4/<block_size>"`, where the block size is -1 (one scale per
            channel) or a positive integer (sub-channel blocks of that size).
        source_name: the policy whose compute and variable dtypes the
            quantized layers keep (default: the global policy's name).
    """

    def __init__(self, mode, source_name=None):
        (block_size,) = _mode_parts("Int4DTypePolicy", mode, "'int4/<block_size>'", 1)
        if block_size < -1 or block_size == 0:
            raise ValueError("Invalid block_size in mode. Supported values are -1 (per-channel) "
                             f"or a positive integer (sub-channel), but got {block_size} from "
                             f"'{mode}'.")
        super().__init__(mode="int4", source_name=source_name)
        self._name = f"{mode}_from_{source_name}"
        self.mode = "int4"
        self.block_size = block_size

    def __eq__(self, other):
        if super().__eq__(other) is False:
            return False
        return self.block_size == other.block_size

    __hash__ = DTypePolicy.__hash__

    def get_config(self):
        config_ = super().get_config()
        config_["mode"] = f"{self.mode}/{self.block_size}"
        return config_


class _GroupedPolicy(QuantizedDTypePolicy):
    _head = None
    _bits = ()

    def __init__(self, mode, source_name=None):
        cls_name = type(self).__name__
        weight_bits, group_size = _mode_parts(
            cls_name, mode, f"'{self._head}/<weight_bits>/<group_size>'", 2)
        if weight_bits not in self._bits:
            if self._head == "awq":
                raise ValueError("Invalid weight_bits in mode. AWQ only supports 4-bit "
                                 f"quantization, but got {weight_bits} from '{mode}'.")
            raise ValueError("Invalid weight_bits in mode. Supported values are 2, 3, 4, and 8, "
                             f"but got {weight_bits} from '{mode}'.")
        if group_size < -1 or group_size == 0:
            whole = "per-channel" if self._head == "awq" else "whole-tensor"
            raise ValueError(f"Invalid group_size in mode. Supported values are -1 ({whole}) "
                             f"or a positive integer, but got {group_size} from '{mode}'.")
        super().__init__(mode=self._head, source_name=source_name)
        self._name = f"{mode}_from_{source_name}"
        self.mode = self._head
        self.weight_bits = weight_bits
        self.group_size = group_size

    def __eq__(self, other):
        if super().__eq__(other) is False:
            return False
        return self.weight_bits == other.weight_bits and self.group_size == other.group_size

    __hash__ = DTypePolicy.__hash__

    def get_config(self):
        config_ = super().get_config()
        config_["mode"] = f"{self.mode}/{self.weight_bits}/{self.group_size}"
        return config_


class GPTQDTypePolicy(_GroupedPolicy):
    """The dtype policy of GPTQ-quantized layers.

    Args:
        mode: `"gptq/<weight_bits>/<group_size>"`, with 2, 3, 4 or 8 weight bits
            and a group size of -1 (whole tensor) or a positive integer.
        source_name: the policy whose compute and variable dtypes the
            quantized layers keep (default: the global policy's name).
    """

    _head = "gptq"
    _bits = (2, 3, 4, 8)


class AWQDTypePolicy(_GroupedPolicy):
    """The dtype policy of AWQ-quantized layers (4-bit weights).

    Args:
        mode: `"awq/4/<group_size>"`, with a group size of -1 (per channel) or a
            positive integer.
        source_name: the policy whose compute and variable dtypes the
            quantized layers keep (default: the global policy's name).
    """

    _head = "awq"
    _bits = (4,)


def set_dtype_policy(policy):
    """Sets the default dtype policy of layers created from now on.

    Args:
        policy: a `DTypePolicy` or its name: "mixed_float16" (compute in float16,
            float32 variables), "mixed_bfloat16", a float dtype such as "float32",
            or a quantized name such as "int8_from_float32".

    Example:
    >>> keras.config.set_dtype_policy("mixed_float16")
    >>> keras.layers.Dense(2).compute_dtype
    'float16'
    >>> keras.config.set_dtype_policy("float32")
    """
    global _GLOBAL_POLICY
    if not isinstance(policy, DTypePolicy):
        if isinstance(policy, str):
            policy = _quantized_policy_from_name(policy) if policy.startswith(QUANTIZATION_MODES) \
                else DTypePolicy(policy)
        else:
            raise ValueError(
                "Invalid `policy` argument. Expected the string name of a policy (such as "
                f"'mixed_float16') or a `DTypePolicy` instance. Received: policy={policy!r} "
                f"(of type {type(policy)})")
    _GLOBAL_POLICY = policy


def dtype_policy():
    """The default dtype policy of new layers.

    The default dtype policy of new layers. Until one is set with
    `set_dtype_policy`, it is the policy named by `keras.config.floatx()`.
    """
    policy = _GLOBAL_POLICY
    if policy is None:
        return _floatx_policy(config.floatx())
    return policy


_FLOATX_POLICIES = {}


def _floatx_policy(name):
    policy = _FLOATX_POLICIES.get(name)
    if policy is None:
        policy = _FLOATX_POLICIES[name] = DTypePolicy(name)
    return policy


def _quantized_policy_from_name(policy):
    if not isinstance(policy, str):
        raise TypeError(f"`policy` must be a string. Received: policy={policy!r}")
    if not policy.startswith(QUANTIZATION_MODES):
        raise ValueError("`policy` is incompatible with the current supported quantization.")
    split_name = policy.split("_from_")
    if len(split_name) != 2:
        raise ValueError(
            "Cannot convert `policy` into a valid pair (`mode`, `source_name`) to instantiate "
            f"`QuantizedDTypePolicy`. Received: policy={policy}")
    mode, source_name = split_name
    if policy.startswith("int8"):
        return QuantizedDTypePolicy(mode, source_name)
    if policy.startswith("int4"):
        if "/" in mode:
            return Int4DTypePolicy(mode, source_name)
        return QuantizedDTypePolicy(mode, source_name)
    if policy.startswith("gptq"):
        return GPTQDTypePolicy(mode, source_name)
    if policy.startswith("awq"):
        return AWQDTypePolicy(mode, source_name)
    return QuantizedFloat8DTypePolicy(mode, source_name)
