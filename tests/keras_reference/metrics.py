"""Keras reference values for every metric in keras.metrics.

CLASS_CASES / FUNCTION_CASES are literals read by tests/python/test_keras_metrics.py
(ast.literal_eval): (case name, Keras name, kwargs, input kind). A class case
streams two batches through update_state(), without and with sample weights,
stores result() after each; then reset_state() and one more batch (the
result must equal the first batch's alone). get_config() is stored too.
"""

CLASS_CASES = [
    ("accuracy", "Accuracy", {}, "labels"),
    ("binary_accuracy", "BinaryAccuracy", {"threshold": 0.4}, "bin_prob"),
    ("categorical_accuracy", "CategoricalAccuracy", {}, "cat_prob"),
    ("sparse_categorical_accuracy", "SparseCategoricalAccuracy", {}, "sparse_prob"),
    ("top_k", "TopKCategoricalAccuracy", {"k": 2}, "cat_prob"),
    ("sparse_top_k", "SparseTopKCategoricalAccuracy", {"k": 2}, "sparse_prob"),
    ("sparse_top_k_sorted_ids", "SparseTopKCategoricalAccuracy",
     {"k": 2, "from_sorted_ids": True}, "sorted_ids"),
    ("auc", "AUC", {"num_thresholds": 20}, "bin_prob"),
    ("auc_pr", "AUC", {"num_thresholds": 20, "curve": "PR"}, "bin_prob"),
    ("true_positives", "TruePositives", {"thresholds": [0.3, 0.6]}, "bin_prob"),
    ("true_negatives", "TrueNegatives", {}, "bin_prob"),
    ("false_positives", "FalsePositives", {}, "bin_prob"),
    ("false_negatives", "FalseNegatives", {"thresholds": 0.7}, "bin_prob"),
    ("precision", "Precision", {}, "bin_prob"),
    ("recall", "Recall", {"thresholds": 0.3}, "bin_prob"),
    ("precision_at_recall", "PrecisionAtRecall", {"recall": 0.5, "num_thresholds": 20},
     "bin_prob"),
    ("recall_at_precision", "RecallAtPrecision", {"precision": 0.5, "num_thresholds": 20},
     "bin_prob"),
    ("sensitivity_at_specificity", "SensitivityAtSpecificity",
     {"specificity": 0.5, "num_thresholds": 20}, "bin_prob"),
    ("specificity_at_sensitivity", "SpecificityAtSensitivity",
     {"sensitivity": 0.5, "num_thresholds": 20}, "bin_prob"),
    ("binary_crossentropy", "BinaryCrossentropy", {}, "bin_prob"),
    ("binary_crossentropy_logits", "BinaryCrossentropy",
     {"from_logits": True, "label_smoothing": 0.1}, "bin_logit"),
    ("categorical_crossentropy", "CategoricalCrossentropy", {}, "cat_prob"),
    ("categorical_crossentropy_logits", "CategoricalCrossentropy",
     {"from_logits": True, "label_smoothing": 0.2}, "cat_logit"),
    ("sparse_categorical_crossentropy", "SparseCategoricalCrossentropy", {}, "sparse_prob"),
    ("sparse_categorical_crossentropy_logits", "SparseCategoricalCrossentropy",
     {"from_logits": True}, "sparse_logit"),
    ("sparse_categorical_crossentropy_ignore", "SparseCategoricalCrossentropy",
     {"ignore_class": 2}, "sparse_prob"),
    ("kl_divergence", "KLDivergence", {}, "cat_prob"),
    ("poisson", "Poisson", {}, "pos"),
    ("hinge", "Hinge", {}, "bin_logit"),
    ("squared_hinge", "SquaredHinge", {}, "bin_logit"),
    ("categorical_hinge", "CategoricalHinge", {}, "cat_logit"),
    ("mse", "MeanSquaredError", {}, "reg"),
    ("mae", "MeanAbsoluteError", {}, "reg"),
    ("mape", "MeanAbsolutePercentageError", {}, "reg"),
    ("msle", "MeanSquaredLogarithmicError", {}, "pos"),
    ("rmse", "RootMeanSquaredError", {}, "reg"),
    ("log_cosh", "LogCoshError", {}, "reg"),
    ("cosine_similarity", "CosineSimilarity", {}, "reg"),
    ("mean", "Mean", {}, "values"),
    ("sum", "Sum", {}, "values"),
    ("iou", "IoU", {"num_classes": 4, "target_class_ids": [0, 2]}, "sparse_labels"),
    ("iou_float", "IoU", {"num_classes": 4, "target_class_ids": [1, 3], "dtype": "float32"},
     "sparse_labels"),
    ("iou_ignore", "IoU", {"num_classes": 4, "target_class_ids": [0, 1, 2],
                           "ignore_class": 1, "dtype": "float32"}, "sparse_labels"),
    ("iou_dense", "IoU", {"num_classes": 5, "target_class_ids": [0, 4], "sparse_y_true": False,
                          "sparse_y_pred": False, "dtype": "float32"}, "cat_prob"),
    ("binary_iou", "BinaryIoU", {}, "bin_prob_1d"),
    ("binary_iou_float", "BinaryIoU",
     {"target_class_ids": [1], "threshold": 0.3, "dtype": "float32"}, "bin_prob_1d"),
    ("mean_iou", "MeanIoU", {"num_classes": 4}, "sparse_labels"),
    ("mean_iou_float", "MeanIoU", {"num_classes": 4, "dtype": "float32", "ignore_class": 0},
     "sparse_labels"),
    ("one_hot_iou", "OneHotIoU", {"num_classes": 5, "target_class_ids": [0, 1, 3],
                                  "dtype": "float32"}, "cat_prob"),
    ("one_hot_mean_iou", "OneHotMeanIoU", {"num_classes": 5}, "cat_prob"),
    ("one_hot_mean_iou_sparse_pred", "OneHotMeanIoU",
     {"num_classes": 5, "sparse_y_pred": True, "dtype": "float32"}, "onehot_true_sparse_pred"),
    ("f1", "F1Score", {}, "multilabel"),
    ("f1_micro", "F1Score", {"average": "micro", "threshold": 0.5}, "multilabel"),
    ("f1_macro", "F1Score", {"average": "macro"}, "cat_prob"),
    ("f1_weighted", "F1Score", {"average": "weighted", "threshold": 0.4}, "multilabel"),
    ("fbeta", "FBetaScore", {"beta": 2.0}, "multilabel"),
    ("fbeta_macro", "FBetaScore", {"average": "macro", "beta": 0.5, "threshold": 0.3},
     "multilabel"),
    ("pearson", "PearsonCorrelation", {}, "reg"),
    ("pearson_axis0", "PearsonCorrelation", {"axis": 0}, "reg"),
    ("concordance", "ConcordanceCorrelation", {}, "reg"),
    ("concordance_axis0", "ConcordanceCorrelation", {"axis": 0}, "reg"),
    ("r2", "R2Score", {}, "reg"),
    ("r2_variance", "R2Score", {"class_aggregation": "variance_weighted_average"}, "reg"),
    ("r2_raw", "R2Score", {"class_aggregation": None}, "reg"),
    ("r2_adjusted", "R2Score", {"num_regressors": 2}, "reg"),
]

FUNCTION_CASES = [
    ("binary_accuracy", "binary_accuracy", {"threshold": 0.6}, "bin_prob"),
    ("binary_crossentropy", "binary_crossentropy", {}, "bin_prob"),
    ("binary_focal_crossentropy", "binary_focal_crossentropy", {"gamma": 1.0}, "bin_prob"),
    ("categorical_accuracy", "categorical_accuracy", {}, "cat_prob"),
    ("categorical_crossentropy", "categorical_crossentropy", {}, "cat_prob"),
    ("categorical_focal_crossentropy", "categorical_focal_crossentropy",
     {"from_logits": True}, "cat_logit"),
    ("categorical_hinge", "categorical_hinge", {}, "cat_logit"),
    ("concordance_correlation", "concordance_correlation", {}, "reg"),
    ("concordance_correlation_axis0", "concordance_correlation", {"axis": 0}, "reg"),
    ("hinge", "hinge", {}, "bin_logit"),
    ("huber", "huber", {"delta": 0.8}, "reg"),
    ("kl_divergence", "kl_divergence", {}, "cat_prob"),
    ("log_cosh", "log_cosh", {}, "reg"),
    ("mean_absolute_error", "mean_absolute_error", {}, "reg"),
    ("mean_absolute_percentage_error", "mean_absolute_percentage_error", {}, "reg"),
    ("mean_squared_error", "mean_squared_error", {}, "reg"),
    ("mean_squared_logarithmic_error", "mean_squared_logarithmic_error", {}, "pos"),
    ("pearson_correlation", "pearson_correlation", {}, "reg"),
    ("pearson_correlation_axis0", "pearson_correlation", {"axis": 0}, "reg"),
    ("poisson", "poisson", {}, "pos"),
    ("sparse_categorical_accuracy", "sparse_categorical_accuracy", {}, "sparse_prob"),
    ("sparse_categorical_crossentropy", "sparse_categorical_crossentropy",
     {"from_logits": True}, "sparse_logit"),
    ("sparse_top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy", {"k": 2},
     "sparse_prob"),
    ("squared_hinge", "squared_hinge", {}, "bin_logit"),
    ("top_k_categorical_accuracy", "top_k_categorical_accuracy", {"k": 3}, "cat_prob"),
    ("sparse_top_k_sorted_ids", "sparse_top_k_categorical_accuracy",
     {"k": 3, "from_sorted_ids": True}, "sorted_ids"),
]

if __name__ == "__main__":
    import json
    import warnings

    from refkit import Reference, keras, np

    ref = Reference()
    rng = ref.rng
    f32 = "float32"

    def softmax(x):
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return (e / e.sum(axis=-1, keepdims=True)).astype(f32)

    def inputs(kind, batch=6):
        if kind == "reg":
            y = rng.standard_normal((batch, 3)).astype(f32)
            return y, (y + 0.7 * rng.standard_normal((batch, 3))).astype(f32)
        if kind == "pos":
            return rng.uniform(0, 3, (batch, 3)).astype(f32), \
                rng.uniform(0.1, 3, (batch, 3)).astype(f32)
        if kind == "labels":
            return rng.integers(0, 3, (batch, 1)).astype(f32), \
                rng.integers(0, 3, (batch, 1)).astype(f32)
        if kind == "bin_prob":
            return rng.integers(0, 2, (batch, 3)).astype(f32), \
                rng.uniform(0.02, 0.98, (batch, 3)).astype(f32)
        if kind == "bin_prob_1d":
            # IoU flattens its inputs: the weights are then one per element.
            return rng.integers(0, 2, 2 * batch).astype(f32), \
                rng.uniform(0.02, 0.98, 2 * batch).astype(f32)
        if kind == "bin_logit":
            return rng.integers(0, 2, (batch, 3)).astype(f32), \
                (2 * rng.standard_normal((batch, 3))).astype(f32)
        if kind == "multilabel":
            return rng.integers(0, 2, (batch, 4)).astype(f32), \
                rng.uniform(0, 1, (batch, 4)).astype(f32)
        if kind == "cat_prob":
            return np.eye(5, dtype=f32)[rng.integers(0, 5, batch)], \
                softmax(rng.standard_normal((batch, 5)))
        if kind == "cat_logit":
            return np.eye(5, dtype=f32)[rng.integers(0, 5, batch)], \
                (2 * rng.standard_normal((batch, 5))).astype(f32)
        if kind == "onehot_true_sparse_pred":
            return np.eye(5, dtype=f32)[rng.integers(0, 5, batch)], \
                rng.integers(0, 5, batch).astype("int32")
        if kind == "sparse_prob":
            return rng.integers(0, 5, (batch, 1)).astype("int32"), \
                softmax(rng.standard_normal((batch, 5)))
        if kind == "sparse_logit":
            return rng.integers(0, 5, batch).astype("int32"), \
                rng.standard_normal((batch, 5)).astype(f32)
        if kind == "sparse_labels":
            # Includes ids outside [0, num_classes) (-1 and 4/5), which IoU skips.
            return rng.integers(-1, 5, 3 * batch).astype("int32"), \
                rng.integers(0, 5, 3 * batch).astype("int32")
        if kind == "sorted_ids":
            order = np.argsort(-rng.standard_normal((batch, 5)), axis=-1)
            return rng.integers(0, 5, batch).astype("int32"), order.astype(f32)
        if kind == "values":
            return None, rng.standard_normal((batch, 2)).astype(f32)
        raise ValueError(kind)

    def snapshot(value):
        # A copy: some Keras results are the state variable itself (TruePositives),
        # whose NumPy view would change with the next update.
        return np.array(keras.ops.convert_to_numpy(value), copy=True)

    def update(metric, kind, y_true, y_pred, sw=None):
        if kind == "values":
            metric.update_state(y_pred, sample_weight=sw)
        else:
            metric.update_state(y_true, y_pred, sample_weight=sw)

    for case, cls_name, kwargs, kind in CLASS_CASES:
        cls = getattr(keras.metrics, cls_name)
        ref.put(f"class/{case}/config", np.array(json.dumps(cls(**kwargs).get_config(),
                                                            sort_keys=True)))
        batches = []
        for i in (1, 2):
            y_true, y_pred = inputs(kind)
            # With axis=0 the per-sample values run along the second axis.
            n_weights = y_pred.shape[1] if kwargs.get("axis") == 0 else y_pred.shape[0]
            sw = rng.uniform(0.2, 2.0, n_weights).astype(f32)
            sw[0] = 0.0
            if y_true is not None:
                ref.put(f"class/{case}/y_true{i}", y_true)
            ref.put(f"class/{case}/y_pred{i}", y_pred)
            ref.put(f"class/{case}/sw{i}", sw)
            batches.append((y_true, y_pred, sw))
        for weighted in (False, True):
            tag = "weighted" if weighted else "plain"
            metric = cls(**kwargs)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for i, (y_true, y_pred, sw) in enumerate(batches, start=1):
                    update(metric, kind, y_true, y_pred, sw if weighted else None)
                    ref.put(f"class/{case}/{tag}/result{i}", snapshot(metric.result()))
                metric.reset_state()
                y_true, y_pred, sw = batches[1]
                update(metric, kind, y_true, y_pred, sw if weighted else None)
                ref.put(f"class/{case}/{tag}/after_reset", snapshot(metric.result()))

    for case, fn_name, kwargs, kind in FUNCTION_CASES:
        y_true, y_pred = inputs(kind)
        ref.put(f"function/{case}/y_true", y_true)
        ref.put(f"function/{case}/y_pred", y_pred)
        fn = getattr(keras.metrics, fn_name)
        tensor = keras.ops.convert_to_tensor
        ref.put(f"function/{case}/out", fn(tensor(y_true), tensor(y_pred), **kwargs))
    ref.save()
