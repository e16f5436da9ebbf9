"""Model.get_state_tree() / set_state_tree(): every variable of a model
(trainable, non-trainable, optimizer, metrics) as nested dicts keyed by the
parts of the variable paths, as Keras 3 does."""

import numpy as np


def _metrics_variables(model):
    out = []
    for metric in getattr(model, "metrics", []) or []:
        out.extend(metric.variables)
    return out


def _groups(model):
    groups = {"trainable_variables": list(model.trainable_variables),
              "non_trainable_variables": list(model.non_trainable_variables)}
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None and hasattr(optimizer, "variables"):
        groups["optimizer_variables"] = list(optimizer.variables)
    groups["metrics_variables"] = _metrics_variables(model)
    return groups


def get_state_tree(model, value_format="backend_tensor"):
    if value_format not in ("backend_tensor", "numpy_array"):
        raise ValueError('`value_format` must be "backend_tensor" or "numpy_array"; received '
                         f"{value_format!r}.")
    tree = {}
    for group, variables in _groups(model).items():
        nested = {}
        for v in variables:
            parts = v.path.split("/")
            node = nested
            for part in parts[:-1]:
                node = node.setdefault(part, {})
            value = v.value.detach()
            node[parts[-1]] = value.cpu().numpy() if value_format == "numpy_array" else value
        tree[group] = nested
    return tree


def _flatten(tree, prefix=""):
    for key, value in tree.items():
        path = f"{prefix}/{key}" if prefix else key
        if isinstance(value, dict):
            yield from _flatten(value, path)
        else:
            yield path, value


def set_state_tree(model, state_tree):
    if not isinstance(state_tree, dict):
        raise ValueError("`state_tree` must be a dict like the one get_state_tree() returns.")
    groups = _groups(model)
    for group, subtree in state_tree.items():
        if group not in groups:
            raise ValueError(f"Unknown group {group!r} in `state_tree`; expected one of "
                             f"{sorted(groups)}.")
        by_path = {v.path: v for v in groups[group]}
        for path, value in _flatten(subtree):
            if path not in by_path:
                raise ValueError(f"`state_tree` has the variable {path!r} in {group!r}, which "
                                 "the model does not have.")
            var = by_path[path]
            value = np.array(value.detach().cpu() if hasattr(value, "detach") else value)
            if tuple(value.shape) != tuple(var.shape):
                raise ValueError(f"Variable {path!r} has shape {tuple(var.shape)}; the value "
                                 f"in `state_tree` has shape {tuple(value.shape)}.")
            var.assign(value)
