"""Confusion-count metrics (TruePositives ... AUC) against NumPy references
computed by brute force: every prediction compared with every threshold."""

import json

import numpy as np
import pytest
import torch

import torkeras as keras
from torkeras import metrics

RNG = np.random.default_rng(7)
EPS = 1e-7


# -- NumPy references -------------------------------------------------------
def np_counts(y, p, thresholds, w=None, axis=None):
    """tp, fp, tn, fn per threshold (prediction positive when p > t). `axis`
    None pools every entry; axis=0 keeps the last axis (one count per label)."""
    y = np.asarray(y) != 0
    p = np.asarray(p, dtype=np.float32)
    w = np.ones(p.shape) if w is None else np.broadcast_to(w, p.shape)
    t = np.asarray(thresholds, dtype=np.float32).reshape((-1,) + (1,) * p.ndim)
    above = p[None] > t
    red = tuple(range(1, p.ndim + 1)) if axis is None else tuple(range(1, p.ndim))
    tp = (above & y) * w
    fp = (above & ~y) * w
    tn = (~above & ~y) * w
    fn = (~above & y) * w
    return [c.sum(axis=red) for c in (tp, fp, tn, fn)]


def auc_thresholds(n=200):
    return [-EPS] + [(i + 1) / (n - 1) for i in range(n - 2)] + [1 + EPS]


def ratio(a, b):
    return np.where(b == 0, 0.0, a / np.where(b == 0, 1, b))


def np_roc_auc(tp, fp, tn, fn, method="interpolation"):
    tpr, fpr = ratio(tp, tp + fn), ratio(fp, fp + tn)
    return _riemann(fpr, tpr, method)


def np_pr_auc(tp, fp, tn, fn, method):
    return _riemann(ratio(tp, tp + fn), ratio(tp, tp + fp), method)


def _riemann(x, y, method):
    total = 0.0
    for i in range(len(x) - 1):
        if method == "interpolation":
            h = (y[i] + y[i + 1]) / 2
        elif method == "minoring":
            h = min(y[i], y[i + 1])
        else:
            h = max(y[i], y[i + 1])
        total += (x[i] - x[i + 1]) * h
    return total


def np_pr_auc_davis_goadrich(tp, fp, fn):
    """Between consecutive thresholds A (lower) and B, TP and P = TP + FP move
    linearly; precision = TP / P is integrated over recall = TP / (TP + FN)
    numerically (fine midpoint rule), one interval at a time."""
    total = 0.0
    pos = tp + fn
    for i in range(len(tp) - 1):
        tp_a, tp_b, p_a, p_b = tp[i], tp[i + 1], tp[i] + fp[i], tp[i + 1] + fp[i + 1]
        if tp_a == tp_b or pos[i + 1] <= 0:
            continue
        s = (np.arange(20000) + 0.5) / 20000          # position from B to A
        tp_s = tp_b + s * (tp_a - tp_b)
        p_s = p_b + s * (p_a - p_b)
        prec = np.where(p_s > 0, tp_s / np.where(p_s > 0, p_s, 1), 0)
        if p_b == 0:
            # Keras imputes the slope dTP/dP as the precision of the first bucket.
            prec = np.full_like(s, (tp_a - tp_b) / (p_a - p_b))
        total += prec.mean() * (tp_a - tp_b) / pos[i + 1]
    return total


def exact_roc_auc(y, p, w=None):
    """Probability that a positive scores above a negative (ties count half)."""
    y = np.asarray(y).reshape(-1) != 0
    p = np.asarray(p).reshape(-1)
    w = np.ones(p.shape) if w is None else np.asarray(w).reshape(-1)
    pos, neg = p[y], p[~y]
    wp, wn = w[y], w[~y]
    gt = (pos[:, None] > neg[None]) + 0.5 * (pos[:, None] == neg[None])
    return float((gt * wp[:, None] * wn[None]).sum() / (wp.sum() * wn.sum()))


def value(x):
    return x.detach().cpu().numpy()


# -- counts -----------------------------------------------------------------------
@pytest.mark.parametrize("cls,index", [(metrics.TruePositives, 0), (metrics.FalsePositives, 1),
                                       (metrics.TrueNegatives, 2), (metrics.FalseNegatives, 3)])
def test_counts_match_numpy(cls, index):
    y = RNG.integers(0, 2, size=(40, 3))
    p = RNG.uniform(size=(40, 3)).astype("float32")
    p[0, 0], p[1, 1] = 0.5, 0.0
    w = RNG.uniform(size=(40, 1))
    m = cls()
    m.update_state(y[:25], p[:25])
    m.update_state(torch.tensor(y[25:]), torch.tensor(p[25:]))
    r = m.result()
    assert isinstance(r, torch.Tensor) and r.dim() == 0
    np.testing.assert_allclose(value(r), np_counts(y, p, [0.5])[index][0])
    m.reset_state()
    assert float(m.result()) == 0.0
    # Several thresholds, unsorted, with per-sample weights: one value per threshold.
    m = cls(thresholds=[0.8, 0.1, 0.45])
    m.update_state(y, p, sample_weight=w[:, 0])
    np.testing.assert_allclose(value(m.result()), np_counts(y, p, [0.8, 0.1, 0.45], w)[index],
                               rtol=1e-5)
    assert [v.path for v in m.variables] == [f"{m.name}/accumulator"]
    assert m.variables[0].shape == (3,)


def test_evenly_spaced_thresholds_count_exact_threshold_values_as_not_above():
    # [0, 0.5, 1] is bucketed arithmetically; 0.5 is not above 0.5, 1.0 not above 1.0.
    y = np.array([1, 1, 1, 0, 1])
    p = np.array([0.0, 0.5, 1.0, 0.75, 0.25], dtype="float32")
    m = metrics.TruePositives(thresholds=[0.0, 0.5, 1.0])
    m.update_state(y, p)
    np.testing.assert_allclose(value(m.result()), np_counts(y, p, [0.0, 0.5, 1.0])[0])
    np.testing.assert_allclose(value(m.result()), [3, 1, 0])


# -- precision / recall -----------------------------------------------------------
@pytest.mark.parametrize("cls", [metrics.Precision, metrics.Recall])
def test_precision_recall_weighted(cls):
    y = RNG.integers(0, 2, size=(60,))
    p = RNG.uniform(size=(60,)).astype("float32")
    w = RNG.uniform(size=(60,))
    tp, fp, tn, fn = np_counts(y, p, [0.5], w)
    ref = tp / (tp + (fp if cls is metrics.Precision else fn))
    m = cls()
    m.update_state(y[:30], p[:30], sample_weight=w[:30])
    m.update_state(y[30:, None], p[30:, None], sample_weight=w[30:])
    np.testing.assert_allclose(float(m.result()), ref[0], rtol=1e-5)
    names = ["true_positives", "false_positives" if cls is metrics.Precision
             else "false_negatives"]
    assert [v.path for v in m.variables] == [f"{m.name}/{n}" for n in names]
    m2 = cls(thresholds=[0.3, 0.7])
    m2.update_state(y, p)
    tp, fp, tn, fn = np_counts(y, p, [0.3, 0.7])
    ref = tp / (tp + (fp if cls is metrics.Precision else fn))
    np.testing.assert_allclose(value(m2.result()), ref, rtol=1e-6)


def test_precision_recall_no_positive_predictions_give_zero():
    m = metrics.Precision()
    m.update_state([1, 0], [0.1, 0.2])
    assert float(m.result()) == 0.0
    r = metrics.Recall()
    r.update_state([0, 0], [0.9, 0.2])
    assert float(r.result()) == 0.0


def test_precision_recall_class_id_and_top_k():
    y = np.array([[0, 1, 0, 1], [1, 0, 0, 0], [0, 0, 1, 1], [0, 1, 1, 0]])
    p = np.array([[0.1, 0.7, 0.6, 0.2], [0.8, 0.3, 0.55, 0.1],
                  [0.2, 0.9, 0.4, 0.65], [0.3, 0.35, 0.9, 0.6]], dtype="float32")
    # class_id=2 (0-based): the binary metric of column 2.
    tp, fp, tn, fn = np_counts(y[:, 2], p[:, 2], [0.5])
    m = metrics.Precision(class_id=2)
    m.update_state(y, p)
    np.testing.assert_allclose(float(m.result()), tp[0] / (tp[0] + fp[0]))
    m = metrics.Recall(class_id=2)
    m.update_state(y, p)
    np.testing.assert_allclose(float(m.result()), tp[0] / (tp[0] + fn[0]))
    # top_k=2: only each row's two largest predictions are positive.
    top = np.zeros_like(y, dtype=bool)
    np.put_along_axis(top, np.argsort(-p, axis=1)[:, :2], True, axis=1)
    hits = (top & (y == 1)).sum()
    m = metrics.Precision(top_k=2)
    m.update_state(y, p)
    np.testing.assert_allclose(float(m.result()), hits / top.sum())
    m = metrics.Recall(top_k=2)
    m.update_state(y, p)
    np.testing.assert_allclose(float(m.result()), hits / (y == 1).sum())
    # top_k and class_id together: column 1, positive where it is in the top 2.
    m = metrics.Precision(top_k=2, class_id=1)
    m.update_state(y, p)
    col_top = top[:, 1]
    np.testing.assert_allclose(float(m.result()), (col_top & (y[:, 1] == 1)).sum() /
                               col_top.sum())
    # top_k with a threshold: top 2 and above 0.62.
    m = metrics.Precision(top_k=2, thresholds=0.62)
    m.update_state(y, p)
    sel = top & (p > 0.62)
    np.testing.assert_allclose(float(m.result()), (sel & (y == 1)).sum() / sel.sum())


def test_nan_predictions_are_below_every_threshold():
    y = np.array([1, 0, 1, 0])
    p = np.array([np.nan, np.nan, 0.8, 0.3], dtype="float32")
    auc = metrics.AUC(num_thresholds=5)           # evenly spaced: arithmetic buckets
    auc.update_state(y, p)
    tp = metrics.TruePositives(thresholds=[0.2, 0.6])  # general buckets
    tp.update_state(y, p)
    np.testing.assert_allclose(value(tp.result()), [1, 1])
    np.testing.assert_allclose(auc.variables[0].numpy(), [1, 1, 1, 1, 0])
    np.testing.assert_allclose(auc.variables[3].numpy(), [1, 1, 1, 1, 2])


def test_top_k_ties_go_to_the_lower_index():
    # Keras' documented example: the first two of four equal scores.
    m = metrics.Precision(top_k=2)
    m.update_state([0, 0, 1, 1], [1, 1, 1, 1])
    assert float(m.result()) == 0.0
    m = metrics.Precision(top_k=4)
    m.update_state([0, 0, 1, 1], [1, 1, 1, 1])
    assert float(m.result()) == 0.5


# -- "X at Y" -----------------------------------------------------------------------
def _at_constraint(y, p, w, which, target, n=200):
    t = [0.0] + [(i + 1) / (n - 1) for i in range(n - 2)] + [1.0]
    tp, fp, tn, fn = np_counts(y, p, t, w)
    rec, spec, prec = ratio(tp, tp + fn), ratio(tn, tn + fp), ratio(tp, tp + fp)
    constrained, dependent = {"sens_at_spec": (spec, rec), "spec_at_sens": (rec, spec),
                              "prec_at_rec": (rec, prec), "rec_at_prec": (prec, rec)}[which]
    ok = constrained >= target
    return dependent[ok].max() if ok.any() else 0.0


@pytest.mark.parametrize("which,cls,target", [
    ("sens_at_spec", metrics.SensitivityAtSpecificity, 0.7),
    ("spec_at_sens", metrics.SpecificityAtSensitivity, 0.6),
    ("prec_at_rec", metrics.PrecisionAtRecall, 0.8),
    ("rec_at_prec", metrics.RecallAtPrecision, 0.65)])
def test_rate_at_constraint(which, cls, target):
    y = RNG.integers(0, 2, size=(80,))
    p = np.clip(0.35 * y + RNG.uniform(size=80) * 0.65, 0, 1).astype("float32")
    w = RNG.uniform(size=80)
    m = cls(target)
    m.update_state(y, p, sample_weight=w)
    np.testing.assert_allclose(float(m.result()), _at_constraint(y, p, w, which, target),
                               rtol=1e-5)
    m = cls(target, num_thresholds=17)
    m.update_state(y, p)
    np.testing.assert_allclose(float(m.result()),
                               _at_constraint(y, p, None, which, target, n=17), rtol=1e-6)
    assert [v.path.split("/")[1] for v in m.variables] == [
        "true_positives", "false_positives", "true_negatives", "false_negatives"]


def test_recall_at_unreachable_precision_is_zero():
    m = metrics.RecallAtPrecision(1.0)
    m.update_state([0, 1, 0, 1], [0.9, 0.1, 0.8, 0.2])
    assert float(m.result()) == 0.0


# -- AUC --------------------------------------------------------------------------
def test_auc_roc_default_matches_trapezoids_and_exact_auc():
    y = RNG.integers(0, 2, size=(300,))
    p = np.clip(0.3 * y + 0.7 * RNG.uniform(size=300), 0, 1).astype("float32")
    p[:3] = [0.0, 1.0, 0.5]
    w = RNG.uniform(size=300)
    m = metrics.AUC()
    assert m.name.startswith("auc") and m.num_thresholds == 200
    m.update_state(y[:100], p[:100], sample_weight=w[:100])
    m.update_state(y[100:], p[100:], sample_weight=w[100:])
    counts = np_counts(y, p, auc_thresholds(), w)
    for var, ref in zip(m.variables, counts):
        np.testing.assert_allclose(var.numpy(), ref, rtol=1e-5, atol=1e-4)
    np.testing.assert_allclose(float(m.result()), np_roc_auc(*counts), rtol=1e-5)
    # Thresholds between every pair of distinct scores make the curve exact.
    q = np.round(RNG.uniform(size=60), 3).astype("float32")
    yq = (RNG.uniform(size=60) < q).astype("int64")
    cuts = np.unique(q)
    mids = ((cuts[:-1] + cuts[1:]) / 2).tolist()
    m = metrics.AUC(thresholds=mids)
    m.update_state(yq, q)
    np.testing.assert_allclose(float(m.result()), exact_roc_auc(yq, q), rtol=1e-5)


@pytest.mark.parametrize("curve", ["ROC", "PR"])
@pytest.mark.parametrize("method", ["minoring", "majoring"])
def test_auc_riemann_sums(curve, method):
    y = RNG.integers(0, 2, size=(120,))
    p = RNG.uniform(size=120).astype("float32")
    m = metrics.AUC(num_thresholds=25, curve=curve, summation_method=method)
    m.update_state(y, p)
    counts = np_counts(y, p, auc_thresholds(25))
    ref = np_roc_auc(*counts, method) if curve == "ROC" else np_pr_auc(*counts, method)
    np.testing.assert_allclose(float(m.result()), ref, rtol=1e-5)


def test_auc_pr_interpolation_davis_goadrich():
    y = RNG.integers(0, 2, size=(150,))
    p = np.clip(0.25 * y + 0.75 * RNG.uniform(size=150), 0, 1).astype("float32")
    w = RNG.uniform(0.5, 2.0, size=150)
    m = metrics.AUC(num_thresholds=30, curve="pr")
    m.update_state(y, p, sample_weight=w)
    tp, fp, tn, fn = np_counts(y, p, auc_thresholds(30), w)
    np.testing.assert_allclose(float(m.result()), np_pr_auc_davis_goadrich(tp, fp, fn),
                               rtol=1e-4)
    # Keras' documented values.
    m = metrics.AUC(num_thresholds=3)
    m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    np.testing.assert_allclose(float(m.result()), 0.75)


def test_auc_prgain_curve():
    y = RNG.integers(0, 2, size=(90,))
    p = np.clip(0.3 * y + 0.7 * RNG.uniform(size=90), 0, 1).astype("float32")
    m = metrics.AUC(num_thresholds=20, curve="PRGAIN")
    m.update_state(y, p)
    tp, fp, tn, fn = np_counts(y, p, auc_thresholds(20))
    scale = ratio(tp + fn, tn + fp)
    rg = np.where(tp == 0, 0.0, 1 - scale * ratio(fn, tp))
    pg = np.where(tp == 0, 1.0, 1 - scale * ratio(fp, tp))
    np.testing.assert_allclose(float(m.result()), _riemann(np.maximum(rg, 0), pg,
                                                           "interpolation"), rtol=1e-5)


def test_auc_multi_label_and_label_weights():
    y = RNG.integers(0, 2, size=(100, 3))
    p = np.clip(0.3 * y + 0.7 * RNG.uniform(size=(100, 3)), 0, 1).astype("float32")
    t = auc_thresholds(50)
    per_label = np.array([np_roc_auc(*np_counts(y[:, j], p[:, j], t)) for j in range(3)])
    m = metrics.AUC(num_thresholds=50, multi_label=True)
    assert m.variables == []  # built on the first batch
    m.update_state(y, p)
    assert m.variables[0].shape == (50, 3)
    np.testing.assert_allclose(float(m.result()), per_label.mean(), rtol=1e-5)
    lw = np.array([0.2, 0.5, 1.3])
    m = metrics.AUC(num_thresholds=50, multi_label=True, num_labels=3, label_weights=lw)
    assert m.variables[0].shape == (50, 3)
    m.update_state(y, p)
    np.testing.assert_allclose(float(m.result()), (per_label * lw).sum() / lw.sum(), rtol=1e-5)
    pr_labels = np.array([np_pr_auc_davis_goadrich(*[c for i, c in enumerate(
        np_counts(y[:, j], p[:, j], t)) if i != 2]) for j in range(3)])
    m = metrics.AUC(num_thresholds=50, multi_label=True, curve="PR")
    m.update_state(y, p)
    np.testing.assert_allclose(float(m.result()), pr_labels.mean(), rtol=1e-4)
    # Pooled (multi_label=False): label_weights weight each column's entries.
    m = metrics.AUC(num_thresholds=50, label_weights=lw)
    m.update_state(y, p)
    counts = np_counts(y, p, t, np.broadcast_to(lw, y.shape))
    np.testing.assert_allclose(float(m.result()), np_roc_auc(*counts), rtol=1e-5)
    with pytest.raises(ValueError, match="100, 4"):
        m2 = metrics.AUC(multi_label=True)
        m2.update_state(y, p)
        m2.update_state(np.zeros((100, 4)), np.zeros((100, 4)))


def test_auc_from_logits_and_thresholds():
    y = RNG.integers(0, 2, size=(70,))
    logits = RNG.normal(size=70).astype("float32") + y
    probs = 1 / (1 + np.exp(-logits))
    m = metrics.AUC(from_logits=True)
    m.update_state(y, logits)
    np.testing.assert_allclose(float(m.result()), np_roc_auc(*np_counts(y, probs,
                                                                        auc_thresholds())),
                               rtol=1e-5)
    m = metrics.AUC(thresholds=[0.7, 0.2, 0.5])
    assert m.num_thresholds == 5
    np.testing.assert_allclose(m.thresholds, [-EPS, 0.2, 0.5, 0.7, 1 + EPS])
    m.update_state(y, probs)
    ref = np_roc_auc(*np_counts(y, probs, [-EPS, 0.2, 0.5, 0.7, 1 + EPS]))
    np.testing.assert_allclose(float(m.result()), ref, rtol=1e-5)


# -- errors ---------------------------------------------------------------------
def test_bad_arguments_are_clear_errors():
    with pytest.raises(ValueError, match=r"Threshold values must be in \[0, 1\]"):
        metrics.Precision(thresholds=[0.5, 1.5])
    with pytest.raises(ValueError, match="num_thresholds"):
        metrics.AUC(num_thresholds=1)
    with pytest.raises(ValueError, match="curve"):
        metrics.AUC(curve="RPC")
    with pytest.raises(ValueError, match="summation method"):
        metrics.AUC(summation_method="trapezoid")
    with pytest.raises(ValueError, match="only when `multi_label` is True"):
        metrics.AUC(num_labels=3)
    with pytest.raises(ValueError, match="rank 2"):
        metrics.AUC(multi_label=True).update_state(np.zeros(4), np.zeros(4))
    with pytest.raises(ValueError, match="recall"):
        metrics.PrecisionAtRecall(1.2)
    with pytest.raises(ValueError, match="top_k"):
        metrics.Precision(top_k=0)
    with pytest.raises(ValueError, match="class_id"):
        metrics.Recall(class_id=-1)
    with pytest.raises(ValueError, match="class_id.*out of range"):
        metrics.Recall(class_id=3).update_state(np.zeros((2, 3)), np.zeros((2, 3)))
    with pytest.raises(ValueError, match="2D array"):
        metrics.Precision(class_id=0).update_state([1, 0], [0.2, 0.7])


# -- config, ids, compile/fit, saving ------------------------------------------------
@pytest.mark.parametrize("make", [
    lambda: metrics.TruePositives(thresholds=[0.3, 0.6], name="tp"),
    lambda: metrics.Precision(thresholds=0.4, class_id=1, name="p1"),
    lambda: metrics.Recall(top_k=2),
    lambda: metrics.SensitivityAtSpecificity(0.4, num_thresholds=11),
    lambda: metrics.RecallAtPrecision(precision=0.3, class_id=0),
    lambda: metrics.AUC(num_thresholds=31, curve="PR", summation_method="majoring",
                        multi_label=True, num_labels=3, label_weights=[1.0, 2.0, 0.5]),
    lambda: metrics.AUC(thresholds=[0.25, 0.5], from_logits=True),
])
def test_config_round_trip(make):
    m = make()
    config = m.get_config()
    json.dumps(config)
    clone = type(m).from_config(config)
    assert clone.get_config() == config
    again = metrics.deserialize(json.loads(json.dumps(metrics.serialize(m))))
    assert type(again) is type(m) and again.get_config() == config
    y = RNG.integers(0, 2, size=(20, 3))
    p = RNG.uniform(size=(20, 3)).astype("float32")
    m.update_state(y, p)
    clone.update_state(y, p)
    np.testing.assert_allclose(value(m.result()), value(clone.result()))


def test_keras_config_keys():
    m = metrics.AUC()
    assert m.get_config() == {
        "name": m.name, "dtype": "float32",
        "num_thresholds": 200, "curve": "ROC", "summation_method": "interpolation",
        "multi_label": False, "num_labels": None, "label_weights": None, "from_logits": False}
    assert set(metrics.Precision().get_config()) == {"name", "dtype", "thresholds", "top_k",
                                                     "class_id"}
    assert set(metrics.SpecificityAtSensitivity(0.5).get_config()) == {
        "name", "dtype", "class_id", "num_thresholds", "sensitivity"}


def test_string_ids():
    for ident, cls in [("auc", metrics.AUC), ("AUC", metrics.AUC),
                       ("precision", metrics.Precision), ("Recall", metrics.Recall),
                       ("true_positives", metrics.TruePositives),
                       ("false_negatives", metrics.FalseNegatives)]:
        assert type(metrics.get(ident)) is cls
    with pytest.raises(TypeError):
        metrics.get("precision_at_recall")  # needs its `recall` argument, as in Keras


def _binary_data(n=64):
    x = RNG.normal(size=(n, 4)).astype("float32")
    y = (x[:, 0] + 0.5 * x[:, 1] + 0.3 * RNG.normal(size=n) > 0).astype("float32")[:, None]
    return x, y


def _binary_model():
    keras.utils.set_random_seed(3)
    inputs = keras.Input(shape=(4,))
    outputs = keras.layers.Dense(1, activation="sigmoid")(inputs)
    return keras.Model(inputs, outputs)


def test_compile_fit_evaluate_with_confusion_metrics():
    x, y = _binary_data()
    model = _binary_model()
    model.compile(optimizer="adam", loss="binary_crossentropy",
                  metrics=["auc", metrics.Precision(name="precision"),
                           metrics.Recall(name="recall"), metrics.TruePositives(name="tp")])
    history = model.fit(x, y, batch_size=16, epochs=2, validation_data=(x, y), verbose=0)
    for key in ("auc", "precision", "recall", "tp", "val_auc", "val_precision"):
        assert len(history.history[key]) == 2
    result = model.evaluate(x, y, batch_size=16, return_dict=True, verbose=0)
    p = model.predict(x, verbose=0)
    counts = np_counts(y, p, auc_thresholds())
    np.testing.assert_allclose(result["auc"], np_roc_auc(*counts), rtol=1e-5)
    tp, fp, tn, fn = np_counts(y, p, [0.5])
    np.testing.assert_allclose(result["precision"], ratio(tp, tp + fp)[0], rtol=1e-5)
    np.testing.assert_allclose(result["recall"], ratio(tp, tp + fn)[0], rtol=1e-5)
    assert result["tp"] == tp[0]
    # EarlyStopping's mode "auto" maximizes AUC.
    stop = keras.callbacks.EarlyStopping(monitor="val_auc", patience=0)
    model.fit(x, y, batch_size=16, epochs=1, validation_data=(x, y), verbose=0,
              callbacks=[stop])
    assert stop.monitor_op(2.0, 1.0)


def test_saved_model_keeps_confusion_metrics(tmp_path):
    x, y = _binary_data()
    model = _binary_model()
    model.compile(optimizer="adam", loss="binary_crossentropy",
                  metrics=[metrics.AUC(num_thresholds=50, curve="PR", name="pr_auc"),
                           metrics.Precision(thresholds=[0.3, 0.6], name="prec"),
                           metrics.SpecificityAtSensitivity(0.5, name="spec")])
    model.fit(x, y, batch_size=16, epochs=1, verbose=0)
    before = model.evaluate(x, y, batch_size=16, return_dict=True, verbose=0)
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    after = loaded.evaluate(x, y, batch_size=16, return_dict=True, verbose=0)
    assert set(after) == set(before)
    for key in before:
        np.testing.assert_allclose(after[key], before[key], rtol=1e-6)
    compiled = {m.name: m for c in loaded.metrics for m in getattr(c, "metrics", [c])}
    assert compiled["pr_auc"].get_config()["curve"] == "PR"
    assert compiled["prec"].thresholds == [0.3, 0.6]
