"""The end-to-end example of the "training loop from scratch" guide: a DCGAN
whose two models have the guide's summaries, trained for a few steps with
gradient tapes on Fashion-MNIST."""

import numpy as np
import torch

import torkeras as keras
from torkeras import layers, ops
from torkeras.data import Dataset

LATENT_DIM = 128


def make_discriminator():
    return keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(64, (3, 3), strides=(2, 2), padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2D(128, (3, 3), strides=(2, 2), padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.GlobalMaxPooling2D(),
        layers.Dense(1),
    ], name="discriminator")


def make_generator():
    return keras.Sequential([
        keras.Input(shape=(LATENT_DIM,)),
        layers.Dense(7 * 7 * 128),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Reshape((7, 7, 128)),
        layers.Conv2DTranspose(128, (4, 4), strides=(2, 2), padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2DTranspose(128, (4, 4), strides=(2, 2), padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2D(1, (7, 7), padding="same", activation="sigmoid"),
    ], name="generator")


def summary_text(model):
    lines = []
    model.summary(print_fn=lambda line, **_: lines.append(line))
    return "\n".join(lines)


def test_the_two_models_have_the_guides_shapes_and_parameter_counts():
    discriminator = make_discriminator()
    text = summary_text(discriminator)
    assert 'Model: "discriminator"' in text
    assert "Total params: 74,625 (291.50 KB)" in text
    assert [layer.output.shape for layer in discriminator.layers] == [
        (None, 14, 14, 64), (None, 14, 14, 64), (None, 7, 7, 128), (None, 7, 7, 128),
        (None, 128), (None, 1)]
    assert [layer.count_params() for layer in discriminator.layers] == [640, 0, 73856, 0, 0, 129]
    # 3*3*1*64 + 64 and 3*3*64*128 + 128, counted independently.
    assert 3 * 3 * 64 + 64 == 640 and 3 * 3 * 64 * 128 + 128 == 73856

    generator = make_generator()
    text = summary_text(generator)
    assert "Total params: 1,339,905 (5.11 MB)" in text
    assert [layer.output.shape for layer in generator.layers] == [
        (None, 6272), (None, 6272), (None, 7, 7, 128), (None, 14, 14, 128),
        (None, 14, 14, 128), (None, 28, 28, 128), (None, 28, 28, 128), (None, 28, 28, 1)]
    assert [layer.count_params() for layer in generator.layers] == [
        809088, 0, 0, 262272, 0, 262272, 0, 6273]


def test_the_gan_loop_trains_on_fashion_mnist_with_tapes():
    keras.utils.set_random_seed(3)
    discriminator = make_discriminator()
    generator = make_generator()
    d_optimizer = keras.optimizers.Adam(learning_rate=0.0003)
    g_optimizer = keras.optimizers.Adam(learning_rate=0.0004)
    loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)

    def train_step(real_images):
        batch_size = ops.shape(real_images)[0]
        random_latent_vectors = keras.random.normal((batch_size, LATENT_DIM))
        generated_images = generator(random_latent_vectors)
        combined_images = ops.concatenate([generated_images, real_images], axis=0)
        labels = ops.concatenate([ops.ones((batch_size, 1)), ops.zeros((batch_size, 1))], axis=0)
        labels = labels + keras.random.uniform(ops.shape(labels), maxval=0.05)
        with keras.GradientTape() as tape:
            predictions = discriminator(combined_images)
            d_loss = loss_fn(labels, predictions)
        grads = tape.gradient(d_loss, discriminator.trainable_weights)
        d_optimizer.apply(grads, discriminator.trainable_weights)

        random_latent_vectors = keras.random.normal((batch_size, LATENT_DIM))
        misleading_labels = ops.zeros((batch_size, 1))
        with keras.GradientTape() as tape:
            predictions = discriminator(generator(random_latent_vectors))
            g_loss = loss_fn(misleading_labels, predictions)
        grads = tape.gradient(g_loss, generator.trainable_weights)
        g_optimizer.apply(grads, generator.trainable_weights)
        return d_loss, g_loss, generated_images

    (x_train, _), (x_test, _) = keras.datasets.fashion_mnist.load_data()
    all_images = np.concatenate([x_train[:64], x_test[:64]]).reshape(-1, 28, 28, 1)
    dataset = (Dataset.from_tensor_slices(all_images)
               .map(lambda x: ops.cast(x, "float32") / 255)
               .shuffle(buffer_size=1024)
               .batch(32))

    d_before = [w.numpy() for w in discriminator.trainable_weights]
    g_before = [w.numpy() for w in generator.trainable_weights]
    d_losses, g_losses = [], []
    for real_images in dataset:
        d_loss, g_loss, generated_images = train_step(real_images)
        d_losses.append(float(d_loss.detach()))
        g_losses.append(float(g_loss.detach()))
    assert len(d_losses) == 4
    assert all(np.isfinite(d_losses)) and all(np.isfinite(g_losses))
    assert len(set(np.round(d_losses, 6))) > 1
    assert tuple(generated_images.shape) == (32, 28, 28, 1)
    images = generated_images.detach()
    assert float(images.min()) >= 0 and float(images.max()) <= 1
    assert all(not np.allclose(a, w.numpy()) for a, w in zip(d_before, discriminator.trainable_weights))
    assert all(not np.allclose(a, w.numpy()) for a, w in zip(g_before, generator.trainable_weights))
    assert int(d_optimizer.iterations.numpy()) == 4 and int(g_optimizer.iterations.numpy()) == 4


def test_the_generator_step_leaves_the_discriminator_alone():
    keras.utils.set_random_seed(4)
    discriminator = make_discriminator()
    generator = make_generator()
    g_optimizer = keras.optimizers.Adam(learning_rate=0.0004)
    loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)
    d_before = [w.numpy() for w in discriminator.trainable_weights]
    with keras.GradientTape() as tape:
        predictions = discriminator(generator(keras.random.normal((8, LATENT_DIM))))
        g_loss = loss_fn(ops.zeros((8, 1)), predictions)
    # The tape's gradients are autograd's.
    expected = torch.autograd.grad(g_loss, [w.value for w in generator.trainable_weights],
                                   retain_graph=True)
    grads = tape.gradient(g_loss, generator.trainable_weights)
    for g, e in zip(grads, expected):
        np.testing.assert_allclose(g.numpy(), e.numpy(), rtol=1e-5, atol=1e-7)
    g_optimizer.apply(grads, generator.trainable_weights)
    for a, w in zip(d_before, discriminator.trainable_weights):
        np.testing.assert_array_equal(a, w.numpy())
