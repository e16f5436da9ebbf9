"""Every random number generator a `fit()` draws from, captured and put back.

`capture(model)` returns a flat dict `{name: numpy array}` and
`restore(model, states)` puts one back, so that training continues with the
same shuffles, dropout masks and noise as if it had never stopped
(BackupAndRestore stores the dict in its backup file). The names:

- `torch`: torch's global CPU generator. It draws the shuffle order of every
  data adapter (`randperm` of the rows, of a PyDataset's batches, of parquet
  fragments, `Dataset.shuffle` without a seed), the masks of dropout and noise
  layers without a seed, and `keras.random` calls without a seed.
- `numpy/keys`, `numpy/extras`: numpy's global generator (`np.random.*`),
  which user data pipelines often use.
- `python/state`, `python/gauss_next`: Python's `random`, which seeds the
  `SeedGenerator`s created without a seed.
- `generators/model[/<layer path>]/<attribute>[/<key>]/<state>`: generators
  owned by the model and its layers (the layer paths of the `.weights.h5`
  layout, e.g. `layers/dropout`). An owner is any attribute, or value of a dict
  attribute, that follows the random-state protocol, `rng_states()` returning
  `{name: array}` and `set_rng_states(states)` replacing its whole state (a
  generator absent from `states` starts afresh): the seeded generators of the
  Dropout family, GaussianNoise, GaussianDropout and the recurrent cells, and
  `keras.random.SeedGenerator`. Plain `torch.Generator` attributes count too.

CUDA generators are not captured (the engine's tests run on the CPU).
"""

import random

import numpy as np
import torch

_GENERATORS = "generators/"
_GLOBAL_NAMES = ("torch", "numpy/keys", "numpy/extras", "python/state", "python/gauss_next")


def capture(model):
    """The state of every generator, as `{name: numpy array}` (copies)."""
    states = {"torch": torch.get_rng_state().numpy()}
    _, keys, position, has_gauss, cached_gaussian = np.random.get_state()
    states["numpy/keys"] = np.array(keys, dtype=np.uint32)
    states["numpy/extras"] = np.array([position, has_gauss, cached_gaussian], dtype=np.float64)
    version, internal, gauss_next = random.getstate()
    states["python/state"] = np.array((version,) + internal, dtype=np.int64)
    states["python/gauss_next"] = np.array([] if gauss_next is None else [gauss_next],
                                           dtype=np.float64)
    for owner_name, owner in owned_generators(model).items():
        for key, value in owner.rng_states().items():
            states[f"{owner_name}/{key}"] = np.array(value)
    return states


def check(model, states):
    """Raises ValueError when `states` lacks one of the global generators or
    names a generator this model does not own; returns `{owner: {key:
    array}}` for `restore`."""
    missing = [name for name in _GLOBAL_NAMES if name not in states]
    if missing:
        raise ValueError(f"the random state lacks {missing}")
    owners = owned_generators(model)
    per_owner = {name: {} for name in owners}
    for name, value in states.items():
        if name in _GLOBAL_NAMES:
            continue
        owner_name, _, key = name.rpartition("/")
        if not name.startswith(_GENERATORS) or owner_name not in per_owner:
            raise ValueError(f"the random state holds the generator {owner_name or name!r}, "
                             "which this model does not have (a different model?)")
        per_owner[owner_name][key] = value
    return owners, per_owner


def restore(model, states):
    """Puts back what `capture` returned (after `check`, so nothing changes
    when `states` does not fit the model)."""
    owners, per_owner = check(model, states)
    torch.set_rng_state(torch.tensor(states["torch"], dtype=torch.uint8))
    position, has_gauss, cached_gaussian = states["numpy/extras"]
    np.random.set_state(("MT19937", np.array(states["numpy/keys"], dtype=np.uint32),
                         int(position), int(has_gauss), float(cached_gaussian)))
    python_state = [int(v) for v in states["python/state"]]
    gauss_next = states["python/gauss_next"]
    random.setstate((python_state[0], tuple(python_state[1:]),
                     float(gauss_next[0]) if len(gauss_next) else None))
    for owner_name, owner in owners.items():
        owner.set_rng_states(per_owner[owner_name])


def owned_generators(model):
    """{name: owner} for the generators held by the model and its layers."""
    from torkeras.saving import saving_lib
    found = {}

    def visit(obj, path):
        prefix = f"{_GENERATORS}model" + (f"/{path}" if path else "")
        for attr, value in vars(obj).items():
            owner = _as_owner(value)
            if owner is not None:
                found[f"{prefix}/{attr}"] = owner
            elif isinstance(value, dict):
                for key, item in value.items():
                    owner = _as_owner(item)
                    if owner is not None:
                        found[f"{prefix}/{attr}/{key}"] = owner

    # The layer paths of the weights file: structural (`layers/dropout_1` is
    # the second Dropout), so a model built again, even in the same process
    # where its layers get other auto-names, has the same names.
    saving_lib._walk(model, "", visit, set())
    return found


def _as_owner(value):
    if isinstance(value, torch.Generator):
        return _PlainGenerator(value)
    if callable(getattr(value, "rng_states", None)) and \
            callable(getattr(value, "set_rng_states", None)):
        return value
    return None


class _PlainGenerator:
    """The random-state protocol for a bare `torch.Generator`."""

    def __init__(self, generator):
        self.generator = generator

    def rng_states(self):
        return {"state": self.generator.get_state().numpy()}

    def set_rng_states(self, states):
        if "state" in states:
            self.generator.set_state(torch.tensor(states["state"], dtype=torch.uint8))
