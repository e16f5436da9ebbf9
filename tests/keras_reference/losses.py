"""Keras reference values for every loss in keras.losses (classes and functions).

CLASS_CASES / FUNCTION_CASES are literals: tests/python/test_keras_losses.py
reads them from this file (ast.literal_eval), so the case table lives in one
place. Each case: (case name, Keras name, constructor/function kwargs, input kind).
A class case is evaluated with every reduction, with and without sample_weight;
its get_config() is stored too.
"""

CLASS_CASES = [
    ("mse", "MeanSquaredError", {}, "reg"),
    ("mae", "MeanAbsoluteError", {}, "reg"),
    ("mape", "MeanAbsolutePercentageError", {}, "reg"),
    ("msle", "MeanSquaredLogarithmicError", {}, "pos"),
    ("cosine", "CosineSimilarity", {"axis": -1}, "reg"),
    ("huber", "Huber", {"delta": 0.7}, "reg"),
    ("log_cosh", "LogCosh", {}, "reg"),
    ("hinge", "Hinge", {}, "bin_logit"),
    ("squared_hinge", "SquaredHinge", {}, "bin_logit"),
    ("categorical_hinge", "CategoricalHinge", {}, "cat_logit"),
    ("kld", "KLDivergence", {}, "cat_prob"),
    ("poisson", "Poisson", {}, "pos"),
    ("bce", "BinaryCrossentropy", {}, "bin_prob"),
    ("bce_logits", "BinaryCrossentropy", {"from_logits": True}, "bin_logit"),
    ("bce_smooth", "BinaryCrossentropy", {"label_smoothing": 0.2}, "bin_prob"),
    ("bce_soft_logits", "BinaryCrossentropy", {"from_logits": True}, "out_of_range_logit"),
    ("bfce", "BinaryFocalCrossentropy", {}, "bin_prob"),
    ("bfce_logits_balanced", "BinaryFocalCrossentropy",
     {"from_logits": True, "apply_class_balancing": True, "gamma": 3.0, "alpha": 0.4},
     "bin_logit"),
    ("bfce_smooth", "BinaryFocalCrossentropy", {"label_smoothing": 0.1, "gamma": 1.5},
     "bin_prob"),
    ("cce", "CategoricalCrossentropy", {}, "cat_prob"),
    ("cce_logits", "CategoricalCrossentropy", {"from_logits": True}, "cat_logit"),
    ("cce_smooth", "CategoricalCrossentropy", {"label_smoothing": 0.1}, "cat_prob"),
    ("cfce", "CategoricalFocalCrossentropy", {}, "cat_prob"),
    ("cfce_logits", "CategoricalFocalCrossentropy",
     {"from_logits": True, "alpha": 0.5, "gamma": 1.5}, "cat_logit"),
    ("cfce_smooth", "CategoricalFocalCrossentropy", {"label_smoothing": 0.2}, "cat_prob"),
    ("scce", "SparseCategoricalCrossentropy", {}, "sparse_prob"),
    ("scce_logits", "SparseCategoricalCrossentropy", {"from_logits": True}, "sparse_logit"),
    ("scce_ignore", "SparseCategoricalCrossentropy", {"ignore_class": 1}, "sparse_prob"),
    ("gce", "CategoricalGeneralizedCrossEntropy", {}, "sparse_prob"),
    ("gce_q", "CategoricalGeneralizedCrossEntropy", {"q": 0.8}, "sparse_prob"),
    ("dice", "Dice", {}, "seg"),
    ("dice_axis", "Dice", {"axis": (1, 2)}, "seg"),
    ("tversky", "Tversky", {}, "seg"),
    ("tversky_axis", "Tversky", {"alpha": 0.3, "beta": 0.7, "axis": (1, 2)}, "seg"),
    ("circle", "Circle", {}, "circle"),
    ("circle_args", "Circle", {"gamma": 10.0, "margin": 0.25}, "circle"),
    ("circle_keep_diagonal", "Circle", {"gamma": 5.0, "remove_diagonal": False}, "circle"),
    ("ctc", "CTC", {}, "ctc"),
]

FUNCTION_CASES = [
    ("binary_crossentropy", "binary_crossentropy", {}, "bin_prob"),
    ("binary_crossentropy_logits", "binary_crossentropy",
     {"from_logits": True, "label_smoothing": 0.1}, "bin_logit"),
    ("binary_focal_crossentropy", "binary_focal_crossentropy", {"gamma": 2.5}, "bin_prob"),
    ("binary_focal_crossentropy_logits", "binary_focal_crossentropy",
     {"from_logits": True, "apply_class_balancing": True}, "bin_logit"),
    ("categorical_crossentropy", "categorical_crossentropy", {}, "cat_prob"),
    ("categorical_crossentropy_axis0", "categorical_crossentropy",
     {"from_logits": True, "axis": 0}, "cat_logit"),
    ("categorical_focal_crossentropy", "categorical_focal_crossentropy", {}, "cat_prob"),
    ("categorical_focal_crossentropy_logits", "categorical_focal_crossentropy",
     {"from_logits": True, "gamma": 0.5}, "cat_logit"),
    ("categorical_generalized_cross_entropy", "categorical_generalized_cross_entropy",
     {"q": 0.3}, "sparse_prob"),
    ("categorical_hinge", "categorical_hinge", {}, "cat_logit"),
    ("circle", "circle", {}, "circle"),
    ("circle_refs", "circle", {"remove_diagonal": False, "gamma": 20}, "circle_refs"),
    ("cosine_similarity", "cosine_similarity", {"axis": 0}, "reg"),
    ("ctc", "ctc", {}, "ctc"),
    ("dice", "dice", {}, "seg"),
    ("dice_axis", "dice", {"axis": (1, 2)}, "seg"),
    ("hinge", "hinge", {}, "bin_logit"),
    ("hinge_pm1", "hinge", {}, "pm1"),
    ("huber", "huber", {"delta": 0.5}, "reg"),
    ("kl_divergence", "kl_divergence", {}, "cat_prob"),
    ("log_cosh", "log_cosh", {}, "reg"),
    ("mean_absolute_error", "mean_absolute_error", {}, "reg"),
    ("mean_absolute_percentage_error", "mean_absolute_percentage_error", {}, "reg"),
    ("mean_squared_error", "mean_squared_error", {}, "reg"),
    ("mean_squared_logarithmic_error", "mean_squared_logarithmic_error", {}, "pos"),
    ("poisson", "poisson", {}, "pos"),
    ("sparse_categorical_crossentropy", "sparse_categorical_crossentropy", {}, "sparse_prob"),
    ("sparse_categorical_crossentropy_logits", "sparse_categorical_crossentropy",
     {"from_logits": True, "ignore_class": 0}, "sparse_logit"),
    ("squared_hinge", "squared_hinge", {}, "bin_logit"),
    ("tversky", "tversky", {"alpha": 0.6, "beta": 0.4}, "seg"),
    ("tversky_axis", "tversky", {"axis": (1, 2)}, "seg"),
]

REDUCTIONS = ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none"]

if __name__ == "__main__":
    import json

    from refkit import Reference, keras, np

    ref = Reference()
    rng = ref.rng

    def softmax(x):
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return (e / e.sum(axis=-1, keepdims=True)).astype("float32")

    def inputs(kind, batch=4):
        """y_true, y_pred (and extra function kwargs) for an input kind."""
        f32 = "float32"
        if kind == "reg":
            return rng.standard_normal((batch, 3)).astype(f32), \
                rng.standard_normal((batch, 3)).astype(f32), {}
        if kind == "pos":
            return rng.uniform(0, 3, (batch, 3)).astype(f32), \
                rng.uniform(0.1, 3, (batch, 3)).astype(f32), {}
        if kind == "bin_prob":
            return rng.integers(0, 2, (batch, 3)).astype(f32), \
                rng.uniform(0.02, 0.98, (batch, 3)).astype(f32), {}
        if kind == "bin_logit":
            return rng.integers(0, 2, (batch, 3)).astype(f32), \
                (2 * rng.standard_normal((batch, 3))).astype(f32), {}
        if kind == "pm1":
            return (2 * rng.integers(0, 2, (batch, 3)) - 1).astype(f32), \
                rng.standard_normal((batch, 3)).astype(f32), {}
        if kind == "out_of_range_logit":
            return rng.uniform(-0.5, 1.5, (batch, 3)).astype(f32), \
                (2 * rng.standard_normal((batch, 3))).astype(f32), {}
        if kind == "cat_prob":
            return np.eye(5, dtype=f32)[rng.integers(0, 5, batch)], \
                softmax(rng.standard_normal((batch, 5))), {}
        if kind == "cat_logit":
            return np.eye(5, dtype=f32)[rng.integers(0, 5, batch)], \
                (2 * rng.standard_normal((batch, 5))).astype(f32), {}
        if kind == "sparse_prob":
            return rng.integers(0, 5, batch).astype("int32"), \
                softmax(rng.standard_normal((batch, 5))), {}
        if kind == "sparse_logit":
            return rng.integers(0, 5, batch).astype("int32"), \
                rng.standard_normal((batch, 5)).astype(f32), {}
        if kind == "seg":
            return rng.integers(0, 2, (batch, 3, 3, 1)).astype(f32), \
                rng.uniform(0, 1, (batch, 3, 3, 1)).astype(f32), {}
        if kind in ("circle", "circle_refs"):
            n = 6
            labels = rng.integers(0, 3, n).astype("int32")
            emb = rng.standard_normal((n, 4))
            emb = (emb / np.linalg.norm(emb, axis=1, keepdims=True)).astype(f32)
            extra = {}
            if kind == "circle_refs":
                ref_emb = rng.standard_normal((5, 4))
                extra = {"ref_labels": rng.integers(0, 3, 5).astype("int32"),
                         "ref_embeddings": (ref_emb / np.linalg.norm(ref_emb, axis=1,
                                                                     keepdims=True)).astype(f32)}
            return labels, emb, extra
        if kind == "ctc":
            labels = np.array([[1, 2, 2, 0], [3, 1, 0, 0], [4, 4, 2, 3]], dtype="int32")
            return labels, rng.standard_normal((3, 7, 5)).astype(f32), {}
        raise ValueError(kind)

    def to_cfg(config):
        # Tuples become lists in JSON; the test compares after the same conversion.
        return json.dumps(config, sort_keys=True)

    for case, cls_name, kwargs, kind in CLASS_CASES:
        y_true, y_pred, _ = inputs(kind)
        sw = rng.uniform(0.2, 2.0, y_true.shape[0]).astype("float32")
        sw[1] = 0.0
        ref.put(f"class/{case}/y_true", y_true)
        ref.put(f"class/{case}/y_pred", y_pred)
        ref.put(f"class/{case}/sample_weight", sw)
        cls = getattr(keras.losses, cls_name)
        ref.put(f"class/{case}/config", np.array(to_cfg(cls(**kwargs).get_config())))
        for reduction in REDUCTIONS:
            loss = cls(reduction=reduction, **kwargs)
            ref.put(f"class/{case}/{reduction}/plain", loss(y_true, y_pred))
            ref.put(f"class/{case}/{reduction}/weighted", loss(y_true, y_pred, sample_weight=sw))

    for case, fn_name, kwargs, kind in FUNCTION_CASES:
        y_true, y_pred, extra = inputs(kind)
        ref.put(f"function/{case}/y_true", y_true)
        ref.put(f"function/{case}/y_pred", y_pred)
        for name, value in extra.items():
            ref.put(f"function/{case}/extra/{name}", value)
        fn = getattr(keras.losses, fn_name)
        # As tensors: some Keras functions (categorical_generalized_cross_entropy)
        # do not convert NumPy inputs themselves.
        tensor = keras.ops.convert_to_tensor
        ref.put(f"function/{case}/out", fn(tensor(y_true), tensor(y_pred), **kwargs,
                                           **{k: tensor(v) for k, v in extra.items()}))

    # binary_crossentropy with probability targets outside [0, 1]: Keras's torch
    # backend refuses them (torch's kernel checks the range); its TensorFlow and
    # JAX backends compute the formula, which is the reference here (NumPy).
    y_true = rng.uniform(-0.5, 1.5, (4, 3)).astype("float32")
    y_pred = rng.uniform(0.0, 1.0, (4, 3)).astype("float32")
    eps = np.float32(keras.config.epsilon())
    clipped = np.clip(y_pred, eps, np.float32(1) - eps)
    formula = -(y_true * np.log(clipped) + (1 - y_true) * np.log(1 - clipped))
    ref.put("out_of_range/y_true", y_true)
    ref.put("out_of_range/y_pred", y_pred)
    ref.put("out_of_range/out", formula.mean(axis=-1).astype("float32"))
    ref.save()
