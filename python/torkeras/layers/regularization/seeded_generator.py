"""Per-device torch generators for layers with a `seed` argument.

A layer given a seed draws its noise from its own `torch.Generator` (one per
device, seeded once), so its sequence of masks is reproducible and does not
depend on, or disturb, torch's global generator. Without a seed it uses the
global generator (`None`).
"""

import torch


class SeededGenerators:
    def __init__(self, seed):
        self.seed = seed
        self._by_device = {}

    def get(self, device):
        if self.seed is None:
            return None
        gen = self._by_device.get(device)
        if gen is None:
            gen = torch.Generator(device=device)
            gen.manual_seed(self.seed)
            self._by_device[device] = gen
        return gen

    # -- the random-state protocol (torkeras.utils.random_state) --------------
    def rng_states(self):
        """{device name: generator state} of the generators drawn from so far."""
        return {str(device): gen.get_state().numpy() for device, gen in self._by_device.items()}

    def set_rng_states(self, states):
        """Puts back `rng_states()`: the generators it names get their state,
        the others start afresh (seeded on their first draw)."""
        if states and self.seed is None:
            raise ValueError("generator states were given for a layer without a seed")
        self._by_device = {}
        for device, state in states.items():
            self.get(torch.device(device)).set_state(torch.tensor(state, dtype=torch.uint8))


def check_seed(seed, layer):
    """`seed` as an int or None (whole floats such as 42.0 are accepted)."""
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, float))
                             or int(seed) != seed):
        raise ValueError(f"{layer}: `seed` must be an integer or None; received: seed={seed!r}")
    return None if seed is None else int(seed)


def check_fraction(value, name):
    """A number in [0, 1] (Keras's rule for `rate` and GaussianNoise's `stddev`)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ValueError(f"Invalid value received for argument `{name}`. Expected a float value "
                         f"between 0 and 1. Received: {name}={value!r}")
    return float(value)
