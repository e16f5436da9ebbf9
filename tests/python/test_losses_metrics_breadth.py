"""Errors, edge cases and integration of the losses and metrics added for issue 10
(the numbers themselves are compared with Keras in test_keras_losses.py /
test_keras_metrics.py)."""
import warnings

import numpy as np
import pytest
import torch

import torkeras as keras


# -- argument errors ---------------------------------------------------------
@pytest.mark.parametrize("make,match", [
    (lambda: keras.losses.CategoricalGeneralizedCrossEntropy(q=1.0), "`q`"),
    (lambda: keras.losses.CategoricalGeneralizedCrossEntropy(q=0), "`q`"),
    (lambda: keras.losses.BinaryFocalCrossentropy(alpha="big"), "`alpha`"),
    (lambda: keras.losses.BinaryFocalCrossentropy(gamma=None), "`gamma`"),
    (lambda: keras.losses.CategoricalFocalCrossentropy(axis=True), "`axis`"),
    (lambda: keras.losses.Dice(axis="rows"), "`axis`"),
    (lambda: keras.losses.Tversky(axis=[1.5]), "`axis`"),
    (lambda: keras.losses.Tversky(beta="x"), "`beta`"),
    (lambda: keras.losses.Circle(margin=[0.1]), "`margin`"),
    (lambda: keras.losses.Dice(reduction="avg"), "`reduction`"),
    (lambda: keras.metrics.FBetaScore(average="median"), "`average`"),
    (lambda: keras.metrics.FBetaScore(beta=2), "`beta`"),
    (lambda: keras.metrics.FBetaScore(beta=-1.0), "`beta`"),
    (lambda: keras.metrics.F1Score(threshold=1.5), "`threshold`"),
    (lambda: keras.metrics.F1Score(threshold=1), "`threshold`"),
    (lambda: keras.metrics.R2Score(class_aggregation="median"), "`class_aggregation`"),
    (lambda: keras.metrics.R2Score(num_regressors=-1), "`num_regressors`"),
    (lambda: keras.metrics.R2Score(num_regressors=1.5), "`num_regressors`"),
    (lambda: keras.metrics.IoU(num_classes=3, target_class_ids=[3]), "out of range"),
    (lambda: keras.metrics.IoU(num_classes=3, target_class_ids=[-1]), "out of range"),
    (lambda: keras.metrics.IoU(num_classes=3, target_class_ids=[]), "target_class_ids"),
    (lambda: keras.metrics.IoU(num_classes=3, target_class_ids=None), "target_class_ids"),
    (lambda: keras.metrics.MeanIoU(num_classes=2.5), "`num_classes`"),
    (lambda: keras.metrics.MeanIoU(num_classes=0), "`num_classes`"),
    (lambda: keras.metrics.BinaryIoU(threshold="half"), "`threshold`"),
    (lambda: keras.metrics.PearsonCorrelation(axis=None), "`axis`"),
])
def test_bad_arguments_name_the_argument(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_input_shape_errors():
    with pytest.raises(ValueError, match="y_true"):
        keras.losses.ctc(np.zeros((2, 3, 1)), np.zeros((2, 4, 5)))
    with pytest.raises(ValueError, match="y_pred"):
        keras.losses.ctc(np.zeros((2, 3)), np.zeros((2, 5)))
    with pytest.raises(ValueError, match="2D inputs"):
        keras.metrics.F1Score().update_state(np.zeros((2, 3, 1)), np.zeros((2, 3, 1)))
    with pytest.raises(ValueError, match="2D inputs"):
        keras.metrics.R2Score().update_state(np.zeros((2, 3, 2)), np.zeros((2, 3, 2)))
    with pytest.raises(ValueError, match="update_state"):
        keras.metrics.R2Score().result()
    with pytest.raises(ValueError, match="update_state"):
        keras.metrics.FBetaScore().result()


# -- edge cases ----------------------------------------------------------------
def test_binary_crossentropy_accepts_targets_outside_unit_interval():
    y_true = torch.tensor([[1.5, -0.5, 0.3]])
    y_pred = torch.tensor([[0.2, 0.7, 0.5]], requires_grad=True)
    loss = keras.losses.BinaryCrossentropy()(y_true, y_pred)
    expected = -(y_true * torch.log(y_pred) + (1 - y_true) * torch.log(1 - y_pred)).mean()
    assert torch.allclose(loss, expected)
    loss.backward()
    assert torch.isfinite(y_pred.grad).all()
    # Logits: torch's stable kernel takes any target already.
    assert torch.isfinite(keras.losses.binary_crossentropy(y_true, y_pred, from_logits=True)).all()
    # The focal form too.
    assert torch.isfinite(keras.losses.binary_focal_crossentropy(y_true, y_pred.detach())).all()


def test_circle_mean_runs_over_positive_losses_only():
    labels = np.array([0, 0, 1, 2])  # classes 1 and 2 have no positive pair
    emb = np.eye(4, dtype="float32")
    values = keras.losses.Circle(reduction="none")(labels, emb)
    positive = values[values > 0]
    mean = keras.losses.Circle()(labels, emb)
    assert torch.allclose(mean, positive.mean())


def test_masked_mean_with_nothing_valid_is_zero():
    # Every sample of a class with no positives and no negatives: all masked.
    loss = keras.losses.Circle()(np.array([0]), np.ones((1, 3), dtype="float32"))
    assert float(loss) == 0.0


def test_dice_and_tversky_known_values():
    y_true = np.array([[1.0, 0.0, 1.0, 1.0]])
    y_pred = np.array([[1.0, 0.0, 0.0, 1.0]])
    # 2 * 2 / (3 + 2) = 0.8
    assert float(keras.losses.dice(y_true, y_pred)) == pytest.approx(0.2, abs=1e-6)
    # TP = 2, FP (pred 0, true 1) = 1, FN = 0: 1 - 2 / (2 + 0.5) = 0.2
    assert float(keras.losses.tversky(y_true, y_pred)) == pytest.approx(0.2, abs=1e-6)
    assert float(keras.losses.tversky(y_true, y_pred, alpha=1.0, beta=0.0)) == \
        pytest.approx(1 / 3, abs=1e-6)


def test_generalized_cross_entropy_known_value():
    p = np.array([[0.1, 0.6, 0.3]], dtype="float32")
    value = keras.losses.categorical_generalized_cross_entropy(np.array([1]), p, q=0.5)
    assert float(value[0]) == pytest.approx((1 - 0.6 ** 0.5) / 0.5, rel=1e-6)


def test_iou_int_dtype_truncates_float_weights_with_a_warning():
    metric = keras.metrics.MeanIoU(num_classes=2)
    with pytest.warns(UserWarning, match="float"):
        metric.update_state([0, 1], [0, 1], sample_weight=np.array([0.5, 1.5]))
    # 0.5 -> 0, 1.5 -> 1: only class 1 counts.
    assert metric.total_cm.numpy().tolist() == [[0, 0], [0, 1]]
    assert float(metric.result()) == pytest.approx(1.0, abs=1e-6)
    assert metric.dtype == "int32"


def test_iou_skips_out_of_range_and_ignored_labels():
    metric = keras.metrics.IoU(num_classes=3, target_class_ids=2, ignore_class=0)
    metric.update_state([0, 2, 2, 5, -1, 1], [0, 2, 1, 2, 2, 1])
    assert metric.target_class_ids == [2]
    assert metric.total_cm.numpy().tolist() == [[0, 0, 0], [0, 1, 0], [0, 1, 1]]
    assert float(metric.result()) == pytest.approx(0.5, abs=1e-6)
    metric.reset_state()
    assert metric.total_cm.numpy().sum() == 0


def test_f1_score_known_values_and_reset():
    metric = keras.metrics.F1Score()
    y_true = np.array([[1, 0], [0, 1], [1, 0]], dtype="float32")
    y_pred = np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7]], dtype="float32")
    metric.update_state(y_true, y_pred)
    # class 0: TP 1, FP 1, FN 1 -> 0.5; class 1: TP 0 -> 0
    np.testing.assert_allclose(metric.result().numpy(), [0.5, 0.0], atol=1e-6)
    metric.reset_state()
    np.testing.assert_allclose(metric.true_positives.numpy(), [0.0, 0.0])


def test_r2_score_adjusted_falls_back_with_a_warning():
    metric = keras.metrics.R2Score(num_regressors=5)
    y = np.array([[1.0], [2.0], [3.0]])
    metric.update_state(y, y + 0.1)
    with pytest.warns(UserWarning, match="predictors"):
        value = metric.result()
    assert float(value) == pytest.approx(1 - 0.03 / 2.0, rel=1e-5)


def test_pearson_known_value():
    y = np.array([[1.0, 2.0, 3.0, 4.0]])
    assert float(keras.metrics.pearson_correlation(y, 2 * y + 1)[0]) == pytest.approx(1.0,
                                                                                      abs=1e-6)
    assert float(keras.metrics.pearson_correlation(y, -y)[0]) == pytest.approx(-1.0, abs=1e-6)


# -- names, serialization, training ------------------------------------------------
def test_get_and_serialize_round_trip():
    assert keras.losses.get("dice") is keras.losses.dice
    assert isinstance(keras.losses.get("Tversky"), keras.losses.Tversky)
    loss = keras.losses.deserialize(keras.losses.serialize(
        keras.losses.Tversky(alpha=0.3, beta=0.7, axis=(1, 2))))
    assert (loss.alpha, loss.beta, loss.axis) == (0.3, 0.7, (1, 2))
    assert isinstance(keras.metrics.get("f1_score"), keras.metrics.F1Score)
    assert isinstance(keras.metrics.get("R2Score"), keras.metrics.R2Score)
    metric = keras.metrics.deserialize(keras.metrics.serialize(
        keras.metrics.OneHotIoU(num_classes=4, target_class_ids=[1, 2])))
    assert metric.get_config()["target_class_ids"] == [1, 2]
    fn = keras.metrics.get("huber")
    assert float(fn(np.zeros((1, 2)), np.ones((1, 2)))) == pytest.approx(0.5)


def test_new_losses_and_metrics_train_in_a_functional_model(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.random((32, 4)).astype("float32")
    y = (rng.random((32, 3)) > 0.5).astype("float32")
    inputs = keras.Input((4,))
    model = keras.Model(inputs, keras.layers.Dense(3, activation="sigmoid")(inputs))
    model.compile(optimizer="adam", loss=keras.losses.BinaryFocalCrossentropy(),
                  metrics=[keras.metrics.F1Score(average="macro", threshold=0.5),
                           keras.metrics.R2Score(), keras.metrics.BinaryIoU(),
                           "binary_focal_crossentropy"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        history = model.fit(x, y, epochs=2, batch_size=8, validation_split=0.25, verbose=0)
    for key in ("loss", "f1_score", "r2_score", "binary_io_u", "val_f1_score"):
        assert key in history.history and np.isfinite(history.history[key]).all()
    # A loss with a per-sample mask (Circle) and an overlap loss also train.
    for loss in (keras.losses.Dice(), keras.losses.Tversky(alpha=0.7, beta=0.3),
                 keras.losses.CategoricalFocalCrossentropy()):
        model.compile(optimizer="adam", loss=loss)
        assert np.isfinite(model.fit(x, y, epochs=1, verbose=0).history["loss"]).all()
    path = str(tmp_path / "m.keras")
    model.save(path)
    keras.saving.load_model(path)
