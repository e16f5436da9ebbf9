"""`DTypePolicyMap`: dtype policies by layer path (exact or regex keys)."""

import re
from collections.abc import MutableMapping

from torkeras.dtype_policies.dtype_policy import DTypePolicy, QuantizedDTypePolicy


class DTypePolicyMap(DTypePolicy, MutableMapping):
    """A map from layer paths to dtype policies, itself usable as a policy.

    A dict-like map from layer paths to `DTypePolicy` objects, itself
    usable as a policy (its dtypes are those of `default_policy`).

    Args:
        default_policy: the policy for paths not in the map (a policy or
            its name); `None` means the global policy.
        policy_map: an optional dict of path (or regex) -> policy.

    Lookup tries the exact key first, then every key as a regular
    expression (`re.fullmatch`); a path matching more than one pattern is
    an error, a path matching none gets `default_policy`.
    """

    def __init__(self, default_policy=None, policy_map=None):
        from torkeras import dtype_policies
        if isinstance(default_policy, DTypePolicyMap):
            raise ValueError("`default_policy` cannot be a `DTypePolicyMap`.")
        if policy_map is not None and not isinstance(policy_map, dict):
            raise TypeError("If specified, `policy_map` must be a dict. "
                            f"Received: policy_map={policy_map!r} of type {type(policy_map)}")
        self._default_policy_arg = default_policy
        self._default_policy = dtype_policies.get(default_policy)
        self._policy_map = policy_map or {}
        self._quantization_mode = None

    @property
    def name(self):
        return f"map_{self.default_policy._name}"

    @property
    def default_policy(self):
        """The policy of paths the map does not name."""
        from torkeras import dtype_policies
        if self._default_policy_arg is None:
            return dtype_policies.get(None)
        return self._default_policy

    @property
    def variable_dtype(self):
        return self.default_policy.variable_dtype

    @property
    def compute_dtype(self):
        return self.default_policy.compute_dtype

    @property
    def quantization_mode(self):
        return self.default_policy.quantization_mode

    def __getitem__(self, key):
        if key in self._policy_map:
            return self._policy_map[key]
        matching = [p for p in self._policy_map if re.fullmatch(p, key)]
        if len(matching) > 1:
            raise ValueError(
                f"Path '{key}' matches multiple dtype policy specification keys: {matching}. "
                "Please make sure each path only matches at most one dtype policy "
                "specification key in the DTypePolicyMap.")
        if matching:
            return self._policy_map[matching[0]]
        return self.default_policy

    def __setitem__(self, key, policy):
        from torkeras import dtype_policies
        if key in self._policy_map:
            raise ValueError(
                f"{key} already exist in the DTypePolicyMap with value {self._policy_map[key]}. "
                "Please make sure to not use duplicated keys.")
        try:
            policy = dtype_policies.get(policy)
        except Exception:
            raise ValueError("Cannot interpret the assigned value by `keras.dtype_policies.get`. "
                             f"Received: {policy!r} of type {type(policy)}") from None
        self._policy_map[key] = policy

    def __delitem__(self, key):
        return self._policy_map.pop(key)

    def __contains__(self, key):
        return key in self._policy_map

    def __len__(self):
        return len(self._policy_map)

    def __iter__(self):
        return iter(self._policy_map)

    def __eq__(self, other):
        return self is other

    __hash__ = object.__hash__

    def get_config(self):
        from torkeras import dtype_policies
        policy_map = self._policy_map
        if self._default_policy_arg is None:
            # As Keras 3: without an explicit default, the stored policies
            # drop their names (they are rebuilt from mode/source at load).
            for policy in policy_map.values():
                if isinstance(policy, QuantizedDTypePolicy):
                    policy._name = None
                    policy._source_name = None
                elif isinstance(policy, DTypePolicy):
                    policy._name = None
        return {"default_policy": self._default_policy_arg,
                "policy_map": {k: dtype_policies.serialize(v) for k, v in policy_map.items()}}

    @classmethod
    def from_config(cls, config_, custom_objects=None):
        from torkeras import dtype_policies
        config_ = dict(config_)
        config_["policy_map"] = {k: dtype_policies.deserialize(v, custom_objects)
                                 for k, v in (config_.get("policy_map") or {}).items()}
        return cls(**config_)

    def __repr__(self):
        default = self._default_policy.name if self._default_policy is not None else None
        mapping = [(k, v.name) for k, v in self._policy_map.items()]
        return (f"<DTypePolicyMap at {hex(id(self))} default_policy={default}, "
                f"mapping={mapping}>")
