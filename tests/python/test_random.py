"""keras.random: shapes, dtypes, distributions and seeding."""

import numpy as np
import pytest
import torch

from torkeras import random
from torkeras.layers.core.input_layer import Input


def test_normal_and_uniform_statistics_and_dtypes():
    x = random.normal((20000,), mean=2.0, stddev=0.5, seed=1)
    assert x.dtype == torch.float32 and tuple(x.shape) == (20000,)
    assert abs(float(x.mean()) - 2.0) < 0.02 and abs(float(x.std()) - 0.5) < 0.02
    u = random.uniform((4, 5000), minval=-1.0, maxval=3.0, dtype="float64", seed=2)
    assert u.dtype == torch.float64
    assert float(u.min()) >= -1.0 and float(u.max()) < 3.0
    assert abs(float(u.mean()) - 1.0) < 0.05
    with pytest.raises(ValueError):
        random.normal((2,), dtype="int32")


def test_int_seed_is_stateless_and_seed_generator_advances():
    a = random.normal((5,), seed=42)
    b = random.normal((5,), seed=42)
    assert torch.equal(a, b)
    assert not torch.equal(a, random.normal((5,), seed=43))
    g1, g2 = random.SeedGenerator(7), random.SeedGenerator(7)
    s1 = random.uniform((5,), seed=g1)
    s2 = random.uniform((5,), seed=g1)
    assert not torch.equal(s1, s2)
    assert torch.equal(s1, random.uniform((5,), seed=g2))
    assert g1.state.shape == (2,) and int(g1.state.numpy()[1]) == 2
    assert g1.state.path.endswith("seed_generator_state")
    with pytest.raises(ValueError):
        random.normal((2,), seed="abc")
    with pytest.raises(ValueError):
        random.SeedGenerator(1.5)


def test_randint_truncated_normal_shuffle():
    r = random.randint((1000,), 3, 7, seed=0)
    assert r.dtype == torch.int32 and int(r.min()) >= 3 and int(r.max()) <= 6
    assert random.integer is random.randint
    t = random.truncated_normal((50000,), mean=1.0, stddev=2.0, seed=3)
    assert float(t.min()) >= 1.0 - 4.0 and float(t.max()) <= 1.0 + 4.0
    # Std of a normal truncated at +-2 sigma is about 0.88 sigma.
    assert abs(float(t.std()) - 2.0 * 0.8796) < 0.03
    x = torch.arange(10)
    s = random.shuffle(x, seed=4)
    assert sorted(s.tolist()) == list(range(10))
    assert torch.equal(s, random.shuffle(x, seed=4))
    m = torch.arange(12).reshape(3, 4)
    s = random.shuffle(m, axis=1, seed=5)
    assert sorted(s[0].tolist()) == [0, 1, 2, 3]


def test_dropout():
    x = torch.ones(10000)
    y = random.dropout(x, 0.25, seed=1)
    kept = y != 0
    assert abs(float(kept.float().mean()) - 0.75) < 0.02
    np.testing.assert_allclose(y[kept].numpy(), 1 / 0.75, rtol=1e-6)
    assert torch.equal(random.dropout(x, 0.0), x)
    z = random.dropout(torch.ones(4, 3), 0.5, noise_shape=(None, 1), seed=2)
    for row in z:
        assert len(set(row.tolist())) == 1
    assert random.dropout(Input((3,)), 0.5).shape == (None, 3)


def test_categorical_and_binomial():
    logits = torch.log(torch.tensor([[0.1, 0.9]]))
    c = random.categorical(logits, 2000, seed=0)
    assert c.dtype == torch.int32 and tuple(c.shape) == (1, 2000)
    assert abs(float(c.float().mean()) - 0.9) < 0.03
    b = random.binomial((1000,), counts=10, probabilities=0.3, seed=1)
    assert abs(float(b.mean()) - 3.0) < 0.2
