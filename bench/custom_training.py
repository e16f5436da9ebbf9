"""What do torkeras's custom-training paths cost over a hand-written torch loop?

The same MLP, data, optimizer (RMSprop), loss and per-epoch shuffling as
bench/fit_overhead.py, trained three ways:

* the hand-written torch loop of fit_overhead.py (the reference);
* a loop written as in the "training loop from scratch" guide:
  `keras.GradientTape`, `optimizer.apply`, loss and accuracy tracked with
  `keras.metrics` objects;
* `fit()` on a model whose overridden `train_step` is the chapter's
  torch-native step (`compute_loss`, `backward`, `optimizer.apply`,
  `self.metrics`).

Each is timed REPEATS times, interleaved, after a warm-up; the best run
counts. Prints seconds per epoch and, last, the two ratios
`tape loop/torch ratio` and `custom train_step/torch ratio`. Target: both at
most 1.15 (the custom paths run the user's Python per step, so they cannot
use fit's default step, which builds no logs per batch).
"""

import time

import torch

import torkeras as keras
from fit_overhead import BATCH, EPOCHS, REPEATS, load_data, torch_loop


def mlp():
    inputs = keras.Input(shape=(784,))
    h = keras.layers.Dense(64, activation="relu")(inputs)
    h = keras.layers.Dense(64, activation="relu")(h)
    outputs = keras.layers.Dense(10, activation="softmax")(h)
    return inputs, outputs


def tape_loop(x, y, epochs):
    x = torch.from_numpy(x)
    y = torch.from_numpy(y)
    model = keras.Model(*mlp())
    optimizer = keras.optimizers.RMSprop()
    loss_fn = keras.losses.SparseCategoricalCrossentropy()
    loss_tracker = keras.metrics.Mean(name="loss")
    accuracy = keras.metrics.SparseCategoricalAccuracy()
    weights = model.trainable_weights
    n = x.shape[0]
    start = time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(n)
        for i in range(0, n, BATCH):
            idx = order[i:i + BATCH]
            xb, yb = x.index_select(0, idx), y.index_select(0, idx)
            with keras.GradientTape() as tape:
                probs = model(xb, training=True)
                loss = loss_fn(yb, probs)
            optimizer.apply(tape.gradient(loss, weights), weights)
            loss_tracker.update_state(loss.detach(), sample_weight=xb.shape[0])
            accuracy.update_state(yb, probs.detach())
        _ = float(loss_tracker.result()), float(accuracy.result())
        loss_tracker.reset_state()
        accuracy.reset_state()
    return time.perf_counter() - start


class TorchStepModel(keras.Model):
    def train_step(self, data):
        x, y = data
        y_pred = self(x, training=True)
        loss = self.compute_loss(y=y, y_pred=y_pred)
        self.zero_grad()
        loss.backward()
        weights = self.trainable_weights
        with torch.no_grad():
            self.optimizer.apply([w.value.grad for w in weights], weights)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss.detach())
            else:
                metric.update_state(y, y_pred.detach())
        return {m.name: m.result() for m in self.metrics}


def custom_step_fit(x, y, epochs):
    model = TorchStepModel(*mlp())
    model.compile(optimizer=keras.optimizers.RMSprop(),
                  loss=keras.losses.SparseCategoricalCrossentropy(),
                  metrics=["accuracy"])
    start = time.perf_counter()
    model.fit(x, y, batch_size=BATCH, epochs=epochs, verbose=0)
    return time.perf_counter() - start


def main():
    torch.manual_seed(0)
    x, y = load_data()
    runs = {"torch": torch_loop, "tape": tape_loop, "step": custom_step_fit}
    for fn in runs.values():  # warm-up
        fn(x[:6400], y[:6400], 1)
    times = {name: [] for name in runs}
    for _ in range(REPEATS):
        for name, fn in runs.items():
            times[name].append(fn(x, y, EPOCHS))
    best = {name: min(t) for name, t in times.items()}
    print(f"rows={len(x)} batch={BATCH} epochs={EPOCHS} threads={torch.get_num_threads()}")
    print(f"hand-written torch loop:      {best['torch'] / EPOCHS:.3f} s/epoch")
    print(f"GradientTape loop:            {best['tape'] / EPOCHS:.3f} s/epoch")
    print(f"fit() with custom train_step: {best['step'] / EPOCHS:.3f} s/epoch")
    print(f"tape loop/torch ratio: {best['tape'] / best['torch']:.2f}")
    print(f"custom train_step/torch ratio: {best['step'] / best['torch']:.2f}")


if __name__ == "__main__":
    main()
