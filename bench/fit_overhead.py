"""How much does torkeras's fit() cost over a hand-written torch loop?

Both train the same MLP (784-64-64-10, relu, softmax) with RMSprop and sparse
categorical crossentropy on 50,000 Fashion-MNIST rows, batch 64, 2 epochs,
tracking loss and accuracy, with the same per-epoch shuffling by index.
Each side is timed REPEATS times, interleaved, after a warm-up; the best
run of each counts (the machine may be busy with other work).

Prints seconds per epoch for both and, last, `fit/torch ratio: X.XX`.
"""

import time

import torch

import torkeras as keras

EPOCHS = 2
BATCH = 64
ROWS = 50_000
REPEATS = 3


def load_data():
    (x, y), _ = keras.datasets.fashion_mnist.load_data()
    x = (x[:ROWS].reshape(ROWS, 784) / 255.0).astype("float32")
    return x, y[:ROWS].astype("int64")


def torkeras_fit(x, y, epochs, verbose=0):
    inputs = keras.Input(shape=(784,))
    h = keras.layers.Dense(64, activation="relu")(inputs)
    h = keras.layers.Dense(64, activation="relu")(h)
    outputs = keras.layers.Dense(10, activation="softmax")(h)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.RMSprop(),
                  loss=keras.losses.SparseCategoricalCrossentropy(),
                  metrics=["accuracy"])
    start = time.perf_counter()
    model.fit(x, y, batch_size=BATCH, epochs=epochs, verbose=verbose)
    return time.perf_counter() - start


def torch_loop(x, y, epochs):
    x = torch.from_numpy(x)
    y = torch.from_numpy(y)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 64), torch.nn.ReLU(),
        torch.nn.Linear(64, 64), torch.nn.ReLU(),
        torch.nn.Linear(64, 10), torch.nn.Softmax(dim=-1))
    optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3, alpha=0.9, eps=1e-7, foreach=True)
    eps = 1e-7
    n = x.shape[0]
    start = time.perf_counter()
    for _ in range(epochs):
        loss_sum = torch.zeros(())
        correct = torch.zeros(())
        seen = 0
        order = torch.randperm(n)
        for i in range(0, n, BATCH):
            idx = order[i:i + BATCH]
            xb, yb = x.index_select(0, idx), y.index_select(0, idx)
            probs = model(xb)
            # the same crossentropy on probabilities that Keras computes
            probs = probs / probs.sum(-1, keepdim=True)
            loss = torch.nn.functional.nll_loss(torch.log(probs.clamp(eps, 1 - eps)), yb)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            with torch.no_grad():
                loss_sum += loss.detach() * xb.shape[0]
                correct += (probs.argmax(-1) == yb).sum()
                seen += xb.shape[0]
        _ = (loss_sum / seen).item(), (correct / seen).item()
    return time.perf_counter() - start


def main():
    torch.manual_seed(0)
    x, y = load_data()
    # warm up both paths (allocator, first-call costs)
    torch_loop(x[:6400], y[:6400], 1)
    torkeras_fit(x[:6400], y[:6400], 1)
    torch_times, fit_times = [], []
    for _ in range(REPEATS):
        torch_times.append(torch_loop(x, y, EPOCHS))
        fit_times.append(torkeras_fit(x, y, EPOCHS))
    t_torch, t_fit = min(torch_times), min(fit_times)
    print(f"rows={ROWS} batch={BATCH} epochs={EPOCHS} threads={torch.get_num_threads()}")
    print(f"hand-written torch loop: {t_torch / EPOCHS:.3f} s/epoch")
    print(f"torkeras fit(verbose=0): {t_fit / EPOCHS:.3f} s/epoch")
    print(f"fit/torch ratio: {t_fit / t_torch:.2f}")


if __name__ == "__main__":
    main()
