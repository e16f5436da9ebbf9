"""The first end-to-end example of the training guide, in Python, on Fashion-MNIST.

    .venv/bin/python inst/examples/demo.py [rows]

`rows` (default: all 60,000) limits the training rows, for quick runs.
"""

import sys

import torkeras as keras
from torkeras import layers


def main(rows=None):
    inputs = keras.Input(shape=(784,), name="digits")
    x = layers.Dense(64, activation="relu", name="dense_1")(inputs)
    x = layers.Dense(64, activation="relu", name="dense_2")(x)
    outputs = layers.Dense(10, activation="softmax", name="predictions")(x)
    model = keras.Model(inputs=inputs, outputs=outputs)
    model.summary()

    (x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
    x_train = x_train.reshape(60000, 784).astype("float32") / 255
    x_test = x_test.reshape(10000, 784).astype("float32") / 255
    if rows is not None:
        x_train, y_train = x_train[:rows], y_train[:rows]
    # Reserve the first rows for validation (10,000 of them with the full data).
    n_val = len(x_train) // 6
    x_val, y_val = x_train[:n_val], y_train[:n_val]
    x_train, y_train = x_train[n_val:], y_train[n_val:]

    model.compile(
        optimizer=keras.optimizers.RMSprop(),
        loss=keras.losses.SparseCategoricalCrossentropy(),
        metrics=[keras.metrics.SparseCategoricalAccuracy()],
    )
    history = model.fit(x_train, y_train, batch_size=64, epochs=2,
                        validation_data=(x_val, y_val), verbose=2)
    print(history.history)

    results = model.evaluate(x_test, y_test, batch_size=128, verbose=2)
    print("test loss, test acc:", results)

    predictions = model.predict(x_test[:2], verbose=2)
    print("predictions shape:", predictions.shape)
    return model, history, results, predictions


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else None)
