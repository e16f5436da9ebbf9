"""Issue 9, data given to fit / evaluate / predict: x is checked against the
model's inputs (item 5); NaN/Inf, empty data, negative weights, bad
class_weight tables and class labels a sparse loss cannot use are refused
(item 6). Every error comes before the first step, so the model is left as
it was; a streamed source is checked batch by batch, before each batch is
used. Messages come from docs/reliability.md."""

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import torkeras as keras
from reliability_table import documented_message, documented_pattern
from torkeras import layers


def classifier(name="classifier"):
    inputs = keras.Input(shape=(784,), name="digits")
    outputs = layers.Dense(10, activation="softmax")(inputs)
    model = keras.Model(inputs, outputs, name=name)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def two_inputs():
    a = keras.Input(shape=(3,), name="a")
    b = keras.Input(shape=(5,), name="b")
    out = layers.Dense(4, activation="softmax")(layers.Concatenate()([a, b]))
    model = keras.Model([a, b], out, name="two_inputs")
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    return model


def digits(rows=32):
    rng = np.random.RandomState(0)
    return rng.rand(rows, 784).astype("float32"), np.arange(rows) % 10


def state(model):
    return [w.numpy().copy() for w in model.weights], int(model.optimizer.iterations.numpy())


def assert_unchanged(model, before):
    weights, iterations = state(model)
    assert iterations == before[1]
    for got, want in zip(weights, before[0]):
        np.testing.assert_array_equal(got, want)


class CountBatches(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.batches = 0

    def on_train_batch_end(self, batch, logs=None):
        self.batches += 1


# -- item 5: x against the model's inputs -----------------------------------------------------
def test_wrong_feature_count_names_the_input_and_both_shapes():
    model = classifier()
    x, y = digits()
    before = state(model)
    with pytest.raises(ValueError, match=documented_pattern("9.5-feature-count")):
        model.fit(x[:, :783], y, verbose=0)
    assert_unchanged(model, before)
    with pytest.raises(ValueError, match=documented_pattern("9.5-feature-count")):
        model.evaluate(x[:, :783], y, verbose=0)
    with pytest.raises(ValueError, match=documented_pattern("9.5-feature-count")):
        model.predict(x[:, :783], verbose=0)
    with pytest.raises(ValueError, match=documented_pattern("9.5-feature-count")):
        model.train_on_batch(x[:, :783], y)
    assert_unchanged(model, before)


def test_wrong_rank():
    model = classifier()
    x, y = digits()
    with pytest.raises(ValueError, match=documented_pattern("9.5-wrong-rank")):
        model.fit(x.reshape(32, 28, 28), y, verbose=0)


def test_a_missing_trailing_axis_of_size_one_is_added_as_in_keras():
    inputs = keras.Input(shape=(1,), name="t")
    model = keras.Model(inputs, layers.Dense(1)(inputs))
    model.compile(optimizer="sgd", loss="mse")
    x = np.linspace(0, 1, 8).astype("float32")
    np.testing.assert_array_equal(model.predict(x, verbose=0),
                                  model.predict(x[:, None], verbose=0))
    np.testing.assert_array_equal(model.predict(x[:, None, None], verbose=0),
                                  model.predict(x[:, None], verbose=0))
    history = model.fit(x, 2 * x, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2 and np.isfinite(history.history["loss"]).all()


def test_swapped_inputs_are_caught_and_a_dict_is_matched_by_name():
    model = two_inputs()
    xa, xb = np.ones((8, 3), "float32"), np.ones((8, 5), "float32")
    y = np.arange(8) % 4
    before = state(model)
    with pytest.raises(ValueError, match=documented_pattern("9.5-swapped-inputs")):
        model.fit([xb, xa], y, verbose=0)
    assert_unchanged(model, before)
    np.testing.assert_array_equal(model.predict({"b": xb, "a": xa}, verbose=0),
                                  model.predict([xa, xb], verbose=0))
    with pytest.raises(ValueError, match=documented_pattern("9.5-dict-unknown-key")):
        model.fit({"a": xa, "b": xb, "c": xa}, y, verbose=0)
    with pytest.raises(ValueError, match=documented_pattern("9.5-dict-missing-key")):
        model.fit({"a": xa}, y, verbose=0)
    with pytest.raises(ValueError, match=documented_pattern("9.5-input-count")):
        model.fit(xa, y, verbose=0)
    assert_unchanged(model, before)


def test_a_dict_for_one_input_must_use_its_name():
    model = classifier()
    x, y = digits()
    model.fit({"digits": x}, y, verbose=0)
    with pytest.raises(ValueError, match=documented_pattern("9.5-dict-wrong-name")):
        model.fit({"pixels": x}, y, verbose=0)


def test_wrong_validation_data_is_found_before_the_first_step():
    model = classifier()
    x, y = digits()
    counter = CountBatches()
    before = state(model)
    with pytest.raises(ValueError, match=documented_pattern("9.5-validation-shape")):
        model.fit(x, y, validation_data=(x[:10, :783], y[:10]), callbacks=[counter], verbose=0)
    assert counter.batches == 0
    assert_unchanged(model, before)


def test_a_streamed_validation_source_is_checked_at_fit_start():
    model = classifier()
    x, y = digits()
    counter = CountBatches()

    def validation():
        yield x[:8, :783], y[:8]

    with pytest.raises(ValueError, match=documented_pattern("9.5-validation-stream-shape")):
        model.fit(x, y, validation_data=validation(), callbacks=[counter], verbose=0)
    assert counter.batches == 0


def with_nan(x):
    x = x.copy()
    x[6, 100] = np.nan
    return x


@pytest.mark.parametrize("second_batch, case", [
    (lambda x, y: (x[:, :783], y), "9.5-stream-shape"),
    (lambda x, y: (with_nan(x), y), "9.6-nan-stream"),
    (lambda x, y: (x, np.full(8, 12)), "9.6-stream-labels"),
])
def test_each_streamed_batch_is_checked_before_it_is_used(second_batch, case):
    model = classifier()
    x, y = digits()

    def batches():
        yield x[:8], y[:8]
        yield second_batch(x[8:16], y[8:16])
        yield x[16:24], y[16:24]

    with pytest.raises(ValueError, match=documented_pattern(case)):
        model.fit(batches(), verbose=0)
    assert int(model.optimizer.iterations.numpy()) == 1  # batch 0 only


def test_row_counts_of_y_and_sample_weight():
    model = classifier()
    x, y = digits()
    with pytest.raises(ValueError, match=documented_pattern("9.5-y-rows")):
        model.fit(x, y[:31], verbose=0)
    with pytest.raises(ValueError, match=documented_pattern("9.5-sample-weight-rows")):
        model.fit(x, y, sample_weight=np.ones(31), verbose=0)


def test_strings_where_numbers_are_expected():
    model = classifier()
    _, y = digits()
    with pytest.raises(ValueError, match=documented_pattern("9.5-strings")):
        model.fit(np.full((32, 784), "a"), y, verbose=0)


def test_a_model_without_declared_inputs_skips_the_shape_checks():
    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(1)

        def call(self, x):
            return self.dense(x)

    model = Net()
    model.compile(optimizer="sgd", loss="mse")
    x = np.ones((8, 3), "float32")
    model.fit(x, np.ones(8), verbose=0)
    bad = x.copy()
    bad[2, 1] = np.nan
    with pytest.raises(ValueError, match=documented_pattern("9.6-nan-subclassed")):
        model.fit(bad, np.ones(8), verbose=0)


# -- item 6: values ---------------------------------------------------------------------------
def test_nan_and_inf_in_x_name_the_count_and_first_row():
    model = classifier()
    x, y = digits()
    x[5, 3] = np.nan
    x[9, 0] = np.inf
    before = state(model)
    for call in (lambda: model.fit(x, y, verbose=0), lambda: model.evaluate(x, y, verbose=0),
                 lambda: model.predict(x, verbose=0)):
        with pytest.raises(ValueError, match=documented_pattern("9.6-nan-x")):
            call()
    assert_unchanged(model, before)


def test_nan_in_y_sample_weight_and_validation_data():
    model = classifier()
    x, y = digits()
    before = state(model)
    with pytest.raises(ValueError, match=documented_pattern("9.6-nan-y")):
        model.fit(x, np.where(np.arange(32) == 7, np.nan, y), verbose=0)
    weights = np.ones(32)
    weights[12] = np.inf
    with pytest.raises(ValueError, match=documented_pattern("9.6-nan-sample-weight")):
        model.fit(x, y, sample_weight=weights, verbose=0)
    bad = x[:10].copy()
    bad[4, 4] = np.nan
    with pytest.raises(ValueError, match=documented_pattern("9.6-nan-validation")):
        model.fit(x, y, validation_data=(bad, y[:10]), verbose=0)
    assert_unchanged(model, before)


def test_missing_values_of_pandas_and_pyarrow_name_the_column():
    model = keras.Sequential([keras.Input(shape=(2,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    y = np.zeros(4)
    tables = [
        pd.DataFrame({"p": [1.0, 2, 3, 4], "q": [1.0, np.nan, 3, np.nan]}),
        pd.DataFrame({"p": pd.array([1, 2, 3, 4], dtype="Int64"),
                      "q": pd.array([1, None, 3, None], dtype="Int64")}),
        pa.table({"p": pa.array([1, 2, 3, 4]), "q": pa.array([1.0, None, 3, None])}),
    ]
    for table in tables:
        with pytest.raises(ValueError) as error:
            model.fit(table, y, verbose=0)
        assert str(error.value) == documented_message("9.6-missing-in-table")
    labels = pd.Series(pd.Categorical(["a", None, "b", "a"]), name="label")
    with pytest.raises(ValueError, match=documented_pattern("9.6-missing-category")):
        model.fit(np.ones((4, 2)), labels, verbose=0)


def test_missing_values_of_a_streamed_pyarrow_dataset_are_reported_per_batch(tmp_path):
    import pyarrow.dataset as pads
    import pyarrow.parquet as pq
    model = keras.Sequential([keras.Input(shape=(2,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    q = [1.0] * 12
    q[9] = None
    pq.write_table(pa.table({"p": [1.0] * 12, "q": q, "t": [0.0] * 12}), tmp_path / "part.parquet")
    with pytest.raises(ValueError, match=documented_pattern("9.6-missing-arrow-stream")):
        model.fit(pads.dataset(tmp_path), y="t", batch_size=4, shuffle=False, verbose=0)
    assert int(model.optimizer.iterations.numpy()) == 2


def test_empty_data():
    model = classifier()
    x, y = digits()
    for call in (lambda: model.fit(x[:0], y[:0], verbose=0),
                 lambda: model.evaluate(x[:0], y[:0], verbose=0),
                 lambda: model.predict(x[:0], verbose=0)):
        with pytest.raises(ValueError, match=documented_pattern("9.6-empty")):
            call()
    with pytest.raises(ValueError, match=documented_pattern("9.6-empty-stream-fit")):
        model.fit(iter([]), verbose=0)
    with pytest.raises(ValueError, match=documented_pattern("9.6-empty-stream-evaluate")):
        model.evaluate(iter([]), verbose=0)
    with pytest.raises(ValueError, match=documented_pattern("9.6-empty-validation-stream")):
        model.fit(x, y, validation_data=iter([]), verbose=0)
    unbuilt = keras.Sequential([layers.Dense(1)])
    unbuilt.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match=documented_pattern("9.6-empty-stream-fit")):
        unbuilt.fit(iter([]), verbose=0)


def test_negative_sample_weights():
    model = classifier()
    x, y = digits()
    weights = np.ones(32)
    weights[[3, 20]] = -0.5
    with pytest.raises(ValueError, match=documented_pattern("9.6-negative-sample-weight")):
        model.fit(x, y, sample_weight=weights, verbose=0)
    model.fit(x, y, sample_weight=np.where(np.arange(32) < 4, 0.0, 1.0), verbose=0)


def test_class_weight_tables():
    model = classifier()
    x, y = digits()
    before = state(model)
    cases = [({0: -1.0}, "9.6-class-weight-negative"), ({0: float("nan")}, "9.6-class-weight-nan"),
             ({-1: 2.0}, "9.6-class-weight-key"), ({10: 2.0}, "9.6-class-weight-key-range")]
    for class_weight, case in cases:
        with pytest.raises(ValueError, match=documented_pattern(case)):
            model.fit(x, y, class_weight=class_weight, verbose=0)
    labels = y.copy()
    labels[6] = -1
    with pytest.raises(ValueError, match=documented_pattern("9.6-class-weight-label-negative")):
        model.fit(x, labels, class_weight={0: 2.0}, verbose=0)
    assert_unchanged(model, before)
    model.fit(x, y, class_weight={"3": 2.0, 4.0: 0.5}, verbose=0)


def test_class_weight_with_one_sigmoid_unit_takes_labels_0_and_1():
    inputs = keras.Input(shape=(2,))
    model = keras.Model(inputs, layers.Dense(1, activation="sigmoid")(inputs), name="binary")
    model.compile(optimizer="sgd", loss="binary_crossentropy")
    x = np.ones((6, 2), "float32")
    model.fit(x, np.array([0, 1, 0, 1, 1, 0.0]), class_weight={0: 1.0, 1: 3.0}, verbose=0)
    with pytest.raises(ValueError, match=documented_pattern("9.6-class-weight-binary-label")):
        model.fit(x, np.array([0, 1, 2, 1, 1, 0.0]), class_weight={0: 1.0, 1: 3.0}, verbose=0)


def test_sparse_labels_must_be_class_ids_of_the_output():
    model = classifier()
    x, y = digits()
    before = state(model)
    with pytest.raises(ValueError, match=documented_pattern("9.6-fractional-labels")):
        model.fit(x, np.where(np.arange(32) == 2, 2.5, y), verbose=0)
    with pytest.raises(ValueError, match=documented_pattern("9.6-label-too-large")):
        model.fit(x, np.where(np.arange(32) == 11, 10, y), verbose=0)
    with pytest.raises(ValueError, match=documented_pattern("9.6-label-negative")):
        model.evaluate(x, np.where(np.arange(32) == 0, -1, y), verbose=0)
    assert_unchanged(model, before)


def test_ignore_class_labels_are_allowed():
    inputs = keras.Input(shape=(784,), name="digits")
    model = keras.Model(inputs, layers.Dense(10, activation="softmax")(inputs))
    model.compile(optimizer="sgd",
                  loss=keras.losses.SparseCategoricalCrossentropy(ignore_class=-1))
    x, y = digits()
    model.fit(x, np.where(np.arange(32) < 3, -1, y), verbose=0)


def test_a_sparse_metric_alone_asks_for_class_ids_and_outputs_are_named():
    inputs = keras.Input(shape=(4,))
    scores = layers.Dense(3, name="scores")(inputs)
    value = layers.Dense(1, name="value")(inputs)
    model = keras.Model(inputs, [scores, value], name="two_outputs")
    model.compile(optimizer="sgd", loss={"value": "mse"},
                  metrics={"scores": ["sparse_categorical_accuracy"]})
    x = np.ones((6, 4), "float32")
    targets = {"scores": np.array([0, 1, 2, 3, 1, 0]), "value": np.full(6, 7.5)}
    with pytest.raises(ValueError, match=documented_pattern("9.6-label-output-named")):
        model.evaluate(x, targets, verbose=0)
    targets["scores"] = np.array([0, 1, 2, 2, 1, 0])
    model.evaluate(x, targets, verbose=0)  # 7.5 for "value" is fine: no class labels there


def test_rows_and_batches_count_from_one_through_the_r_bridge():
    from torkeras.bridge import training
    model = classifier()
    x, y = digits()
    x[5, 3] = np.nan
    x[9, 0] = np.inf
    with pytest.raises(ValueError) as error:
        training.fit(model, x, y, verbose=0)
    assert str(error.value) == documented_message("9.6-nan-x-r")


def test_r_na_narrowed_to_float32_stays_nan_without_a_warning():
    import warnings

    from torkeras.bridge import data
    r_na = np.array([0x7FF00000000007A2], dtype=np.uint64).view(np.float64)[0]  # R's NA_real_
    x = np.asfortranarray(np.ones((4, 3)))
    x[1, 2] = r_na
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        converted = data.from_r(x)
    assert converted.dtype == np.float32 and np.isnan(converted[1, 2])
    assert np.isfinite(np.delete(converted.ravel(), 5)).all()
