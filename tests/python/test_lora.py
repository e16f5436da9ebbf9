"""LoRA on Dense, Embedding and Conv1D/2D/3D (lora_rank, lora_alpha, enable_lora).

Expected values are computed with numpy (and plain torch convolutions) from
the layers' own variables: effective weight = W + (alpha / rank) * (a @ b).
"""

import zipfile

import h5py
import numpy as np
import pytest
import torch

import torkeras as keras
from torkeras import layers


def _np(tensor):
    return tensor.detach().numpy()


def _randomize_factors(layer, rng, names=("lora_kernel_a", "lora_kernel_b")):
    for name in names:
        var = getattr(layer, name)
        var.assign(rng.normal(size=var.shape).astype("float32"))


# -- Dense ---------------------------------------------------------------------
def test_dense_lora_weights_shapes_order_and_initial_values():
    keras.utils.set_random_seed(1)
    layer = layers.Dense(5, lora_rank=3)
    x = np.random.default_rng(0).normal(size=(4, 7)).astype("float32")
    layer(x)
    assert layer.lora_enabled and layer.lora_rank == 3 and layer.lora_alpha == 3
    # Keras order: creation order, the frozen kernel first.
    assert [w.name for w in layer.weights] == ["kernel", "bias", "lora_kernel_a", "lora_kernel_b"]
    assert [w.name for w in layer.trainable_weights] == ["bias", "lora_kernel_a",
                                                        "lora_kernel_b"]
    assert [w.name for w in layer.non_trainable_weights] == ["kernel"]
    assert layer.lora_kernel_a.shape == (7, 3) and layer.lora_kernel_b.shape == (3, 5)
    a = layer.lora_kernel_a.numpy()
    # he_uniform: U(-sqrt(6 / fan_in), sqrt(6 / fan_in)), fan_in = 7.
    assert np.abs(a).max() <= np.sqrt(6 / 7) and a.std() > 0.1
    np.testing.assert_array_equal(layer.lora_kernel_b.numpy(), 0)
    # b = 0: the layer starts out as the plain Dense.
    expected = x @ layer._kernel.numpy() + layer.bias.numpy()
    np.testing.assert_allclose(_np(layer(x)), expected, rtol=1e-5, atol=1e-6)
    assert layer.count_params() == 7 * 5 + 5 + 7 * 3 + 3 * 5


def test_dense_lora_output_matches_numpy_with_alpha_scaling():
    rng = np.random.default_rng(2)
    layer = layers.Dense(4, activation="relu", lora_rank=2, lora_alpha=6)
    x = rng.normal(size=(3, 5)).astype("float32")
    layer(x)
    _randomize_factors(layer, rng)
    w = layer._kernel.numpy()
    a, b = layer.lora_kernel_a.numpy(), layer.lora_kernel_b.numpy()
    merged = w + (6 / 2) * (a @ b)
    expected = np.maximum(x @ merged + layer.bias.numpy(), 0)
    np.testing.assert_allclose(_np(layer(x)), expected, rtol=1e-5, atol=1e-5)
    # `kernel` is the adapted kernel (a tensor), as in Keras.
    np.testing.assert_allclose(layer.kernel.detach().numpy(), merged, rtol=1e-6, atol=1e-6)
    # Rank-3 inputs go through the same kernel.
    x3 = rng.normal(size=(2, 3, 5)).astype("float32")
    np.testing.assert_allclose(_np(layer(x3)),
                               np.maximum(x3 @ merged + layer.bias.numpy(), 0),
                               rtol=1e-5, atol=1e-5)


def test_enable_lora_on_built_dense_and_its_errors():
    layer = layers.Dense(3)
    with pytest.raises(ValueError, match="not built"):
        layer.enable_lora(2)
    layer.build((None, 4))
    assert layer.kernel is layer._kernel  # the Variable while LoRA is off
    layer.enable_lora(2, lora_alpha=1)
    assert layer.lora_rank == 2 and layer.lora_alpha == 1
    assert layer._kernel.trainable is False
    assert layer._kernel.value.requires_grad is False
    with pytest.raises(ValueError, match="already enabled"):
        layer.enable_lora(2)
    constrained = layers.Dense(3, kernel_constraint="non_neg")
    constrained.build((None, 4))
    with pytest.raises(ValueError, match="kernel_constraint"):
        constrained.enable_lora(2)
    with pytest.raises(ValueError, match="kernel_constraint"):
        layers.Dense(3, kernel_constraint="non_neg", lora_rank=2).build((None, 4))
    plain = layers.Dense(3)
    plain.build((None, 4))
    with pytest.raises(ValueError, match="`rank` must be a positive integer"):
        plain.enable_lora(0)
    with pytest.raises(ValueError, match="`lora_rank` must be a positive integer"):
        layers.Dense(3, lora_rank=1.5)
    with pytest.raises(ValueError, match="`lora_alpha` must be a positive number"):
        layers.Dense(3, lora_rank=2, lora_alpha="big")
    with pytest.raises(AttributeError):  # as in Keras: no kernel before build
        layers.Dense(3).kernel


def test_dense_lora_config_round_trip():
    layer = layers.Dense(3, lora_rank=4.0, lora_alpha=8.0, name="d")
    config = layer.get_config()
    assert config["lora_rank"] == 4 and config["lora_alpha"] == 8
    assert isinstance(config["lora_rank"], int)
    clone = layers.Dense.from_config(config)
    assert clone.lora_rank == 4 and clone.lora_alpha == 8
    assert "lora_rank" not in layers.Dense(3).get_config()
    # Enabled after construction: the config carries the rank too.
    later = layers.Dense(3)
    later.build((None, 2))
    later.enable_lora(2)
    assert later.get_config()["lora_rank"] == 2 and later.get_config()["lora_alpha"] == 2


def test_fit_with_lora_changes_only_lora_weights_and_bias():
    keras.utils.set_random_seed(3)
    rng = np.random.default_rng(3)
    x = rng.normal(size=(32, 6)).astype("float32")
    y = rng.normal(size=(32, 2)).astype("float32")
    model = keras.Sequential([keras.Input((6,)), layers.Dense(2, lora_rank=2)])
    dense = model.layers[0]
    kernel0 = dense._kernel.numpy()
    a0, b0, bias0 = (dense.lora_kernel_a.numpy(), dense.lora_kernel_b.numpy(),
                     dense.bias.numpy())
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    loss0 = model.evaluate(x, y, verbose=0)
    model.fit(x, y, epochs=3, batch_size=8, verbose=0)
    np.testing.assert_array_equal(dense._kernel.numpy(), kernel0)
    assert not np.allclose(dense.lora_kernel_b.numpy(), b0)
    assert not np.allclose(dense.lora_kernel_a.numpy(), a0)
    assert not np.allclose(dense.bias.numpy(), bias0)
    assert model.evaluate(x, y, verbose=0) < loss0
    assert len(model.trainable_weights) == 3


def test_save_load_round_trip_stores_merged_kernel(tmp_path):
    keras.utils.set_random_seed(4)
    rng = np.random.default_rng(4)
    x = rng.normal(size=(5, 6)).astype("float32")
    model = keras.Sequential([keras.Input((6,)), layers.Dense(3, lora_rank=2, lora_alpha=4)])
    dense = model.layers[0]
    _randomize_factors(dense, rng)
    merged = dense._kernel.numpy() + 2.0 * (dense.lora_kernel_a.numpy()
                                            @ dense.lora_kernel_b.numpy())
    before = model.predict(x, verbose=0)
    path = tmp_path / "lora.keras"
    model.save(path)
    with zipfile.ZipFile(path) as zf:
        zf.extract("model.weights.h5", tmp_path)
    with h5py.File(tmp_path / "model.weights.h5", "r") as f:
        group = f["layers/dense/vars"]
        # The file holds the plain Dense variables: merged kernel, bias.
        assert sorted(group.keys()) == ["0", "1"]
        np.testing.assert_allclose(group["0"][()], merged, rtol=1e-6, atol=1e-6)
    loaded = keras.models.load_model(path)
    ldense = loaded.layers[0]
    assert ldense.lora_enabled and ldense.lora_rank == 2 and ldense.lora_alpha == 4
    np.testing.assert_allclose(ldense._kernel.numpy(), merged, rtol=1e-6, atol=1e-6)
    np.testing.assert_array_equal(ldense.lora_kernel_a.numpy(), 0)
    np.testing.assert_array_equal(ldense.lora_kernel_b.numpy(), 0)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), before, rtol=1e-5, atol=1e-5)
    # The weights load into a model without LoRA too.
    plain = keras.Sequential([keras.Input((6,)), layers.Dense(3)])
    weights_path = tmp_path / "lora.weights.h5"
    model.save_weights(weights_path)
    plain.load_weights(weights_path)
    np.testing.assert_allclose(plain.predict(x, verbose=0), before, rtol=1e-5, atol=1e-5)


def test_load_weights_with_wrong_count_is_an_error(tmp_path):
    src = keras.Sequential([keras.Input((4,)), layers.Dense(3, use_bias=False)])
    path = tmp_path / "w.weights.h5"
    src.save_weights(path)
    dst = keras.Sequential([keras.Input((4,)), layers.Dense(3, lora_rank=1)])
    with pytest.raises(ValueError, match="expected 2 variables, but received 1"):
        dst.load_weights(path)


# -- Embedding -------------------------------------------------------------------
def test_embedding_lora_matches_numpy():
    rng = np.random.default_rng(5)
    layer = layers.Embedding(10, 4, lora_rank=2, lora_alpha=3)
    ids = np.array([[1, 2, 9], [0, 0, 5]])
    layer(ids)
    assert [w.name for w in layer.weights] == ["embeddings", "lora_embeddings_a",
                                              "lora_embeddings_b"]
    assert [w.name for w in layer.trainable_weights] == ["lora_embeddings_a",
                                                        "lora_embeddings_b"]
    assert layer.lora_embeddings_a.shape == (10, 2)
    assert layer.lora_embeddings_b.shape == (2, 4)
    _randomize_factors(layer, rng, ("lora_embeddings_a", "lora_embeddings_b"))
    table = layer._embeddings.numpy() + 1.5 * (layer.lora_embeddings_a.numpy()
                                               @ layer.lora_embeddings_b.numpy())
    np.testing.assert_allclose(_np(layer(ids)), table[ids], rtol=1e-6, atol=1e-6)
    assert layer.get_config()["lora_rank"] == 2
    with pytest.raises(ValueError, match="embeddings_constraint"):
        e = layers.Embedding(10, 4, embeddings_constraint="non_neg")
        e.build()
        e.enable_lora(2)


# -- Convolutions ------------------------------------------------------------------
@pytest.mark.parametrize("rank_dims", [1, 2, 3])
def test_conv_lora_matches_torch_conv_with_merged_kernel(rank_dims):
    rng = np.random.default_rng(6)
    cls = {1: layers.Conv1D, 2: layers.Conv2D, 3: layers.Conv3D}[rank_dims]
    conv = {1: torch.nn.functional.conv1d, 2: torch.nn.functional.conv2d,
            3: torch.nn.functional.conv3d}[rank_dims]
    layer = cls(4, 2, lora_rank=2, lora_alpha=5)
    x = rng.normal(size=(2,) + (5,) * rank_dims + (3,)).astype("float32")
    layer(x)
    kshape = (2,) * rank_dims + (3,)
    assert layer.lora_kernel_a.shape == kshape + (2,)
    assert layer.lora_kernel_b.shape == (2, 4)
    _randomize_factors(layer, rng)
    merged = layer._kernel.numpy() + 2.5 * np.einsum(
        "...r,rf->...f", layer.lora_kernel_a.numpy(), layer.lora_kernel_b.numpy())
    # Reference: torch's conv on channels_first data with an (out, in, *k) kernel.
    xt = torch.from_numpy(np.moveaxis(x, -1, 1).copy())
    wt = torch.from_numpy(np.moveaxis(np.moveaxis(merged, -1, 0), -1, 1).copy())
    ref = conv(xt, wt, torch.from_numpy(layer.bias.numpy())).numpy()
    np.testing.assert_allclose(_np(layer(x)), np.moveaxis(ref, 1, -1), rtol=1e-5,
                               atol=1e-5)
    assert layer.get_config()["lora_alpha"] == 5


def test_conv_lora_round_trips_through_keras_file(tmp_path):
    rng = np.random.default_rng(7)
    model = keras.Sequential([keras.Input((6, 6, 2)), layers.Conv2D(3, 3, lora_rank=1)])
    _randomize_factors(model.layers[0], rng)
    x = rng.normal(size=(2, 6, 6, 2)).astype("float32")
    before = model.predict(x, verbose=0)
    model.save(tmp_path / "c.keras")
    loaded = keras.models.load_model(tmp_path / "c.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), before, rtol=1e-5, atol=1e-5)
