"""The optimizers added for Keras 3 breadth (Adadelta, Adafactor, Adagrad,
Adamax, Ftrl, Lamb, Lion, Muon, Nadam, ScheduleFreeAdamW, MultiOptimizer):
argument errors, edge cases, fit() end to end, .keras round trips,
stateless_apply and `keras.optimizers.legacy`. Numerics against Keras are in
test_keras_optimizers.py."""
import numpy as np
import pytest
import torch

import torkeras as keras
from torkeras import naming, optimizers
from torkeras.variables import Variable

NEW = {
    "adadelta": lambda: optimizers.Adadelta(learning_rate=1.0),
    "adafactor": lambda: optimizers.Adafactor(learning_rate=0.05),
    "adagrad": lambda: optimizers.Adagrad(learning_rate=0.1),
    "adamax": lambda: optimizers.Adamax(learning_rate=0.02),
    "ftrl": lambda: optimizers.Ftrl(learning_rate=0.1),
    "lamb": lambda: optimizers.Lamb(learning_rate=0.02),
    "lion": lambda: optimizers.Lion(learning_rate=0.002),
    "muon": lambda: optimizers.Muon(learning_rate=0.02, exclude_layers=["out"]),
    "nadam": lambda: optimizers.Nadam(learning_rate=0.02),
    "schedule_free_adamw": lambda: optimizers.ScheduleFreeAdamW(learning_rate=0.02),
    "multi": lambda: optimizers.MultiOptimizer(optimizers.OptimizerMap(
        optimizers.Nadam(learning_rate=0.02), {".*out/.*": optimizers.SGD(learning_rate=0.05)})),
}


def _data(n=64, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3)).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5]], "float32") + 0.3).astype("float32")
    return x, y


def _model():
    keras.utils.set_random_seed(1)
    return keras.Sequential([keras.Input((3,)), keras.layers.Dense(8, activation="relu", name="hidden"),
                             keras.layers.Dense(1, name="out")])


# -- fit() end to end --------------------------------------------------------
@pytest.mark.parametrize("name", sorted(NEW))
def test_fit_end_to_end(name):
    x, y = _data()
    model = _model()
    optimizer = NEW[name]()
    model.compile(optimizer=optimizer, loss="mse")
    history = model.fit(x, y, epochs=3, batch_size=16, verbose=0)
    losses = history.history["loss"]
    assert len(losses) == 3 and all(np.isfinite(losses))
    assert losses[-1] < losses[0], losses
    assert int(optimizer.iterations.numpy()) == 12
    before = [w.numpy().copy() for w in model.trainable_weights]
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    after = [w.numpy() for w in model.trainable_weights]
    assert any(not np.array_equal(a, b) for a, b in zip(after, before))


@pytest.mark.parametrize("name", sorted(NEW))
def test_keras_file_round_trip_continues_identically(name, tmp_path):
    x, y = _data(32)
    model = _model()
    model.compile(optimizer=NEW[name](), loss="mse")
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert type(loaded.optimizer) is type(model.optimizer)
    assert len(loaded.optimizer.variables) == len(model.optimizer.variables)
    for a, b in zip(loaded.optimizer.variables, model.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    model.fit(x, y, epochs=1, batch_size=8, verbose=0, shuffle=False)
    loaded.fit(x, y, epochs=1, batch_size=8, verbose=0, shuffle=False)
    for a, b in zip(loaded.weights, model.weights):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("name", sorted(set(NEW) - {"multi"}))
def test_stateless_apply_equals_apply(name):
    variables = [Variable(np.ones((3, 2), "float32"), name="kernel"),
                 Variable(np.full((2,), 0.5, "float32"), name="bias")]
    grads = [torch.full((3, 2), 0.3), torch.tensor([0.2, -0.4])]
    optimizer = NEW[name]()
    optimizer.build(variables)
    optimizer.apply(grads, variables)
    opt_values = [v.value.clone() for v in optimizer.variables]
    train_values = [v.value.clone() for v in variables]
    new_train, new_opt = optimizer.stateless_apply(opt_values, grads, train_values)
    # The live state did not move ...
    for v, t in zip(optimizer.variables, opt_values):
        assert torch.equal(v.value, t)
    # ... and apply() then gives what stateless_apply returned.
    optimizer.apply(grads, variables)
    for v, t in zip(variables, new_train):
        torch.testing.assert_close(v.value, t, rtol=0, atol=0)
    for v, t in zip(optimizer.variables, new_opt):
        torch.testing.assert_close(v.value, t, rtol=0, atol=0)


def test_get_by_name_any_case():
    for name, cls in [("adadelta", optimizers.Adadelta), ("Adafactor", optimizers.Adafactor),
                      ("ADAGRAD", optimizers.Adagrad), ("adamax", optimizers.Adamax),
                      ("ftrl", optimizers.Ftrl), ("lamb", optimizers.Lamb),
                      ("lion", optimizers.Lion), ("muon", optimizers.Muon),
                      ("nadam", optimizers.Nadam),
                      ("ScheduleFreeAdamW", optimizers.ScheduleFreeAdamW)]:
        assert type(optimizers.get(name)) is cls


def test_default_names_follow_keras():
    assert optimizers.ScheduleFreeAdamW().name == "schedule_free_adam_w"
    assert optimizers.Nadam().name == "nadam"
    assert optimizers.Nadam().name == "nadam_1"


# -- argument errors -----------------------------------------------------------
@pytest.mark.parametrize("make, match", [
    (lambda: optimizers.Lion(beta_1=0.0), "beta_1"),
    (lambda: optimizers.Lion(beta_1=1.5), "beta_1"),
    (lambda: optimizers.Ftrl(initial_accumulator_value=-0.1), "initial_accumulator_value"),
    (lambda: optimizers.Ftrl(learning_rate_power=0.5), "learning_rate_power=0.5"),
    (lambda: optimizers.Ftrl(l1_regularization_strength=-1), "l1_regularization_strength"),
    (lambda: optimizers.Ftrl(l2_regularization_strength=-1), "l2_regularization_strength"),
    (lambda: optimizers.Ftrl(l2_shrinkage_regularization_strength=-1),
     "l2_shrinkage_regularization_strength"),
    (lambda: optimizers.Muon(ns_steps=2.5), "ns_steps"),
    (lambda: optimizers.Muon(exclude_layers=[1]), "exclude_layers"),
    (lambda: optimizers.Muon(adam_weight_decay="x"), "adam_weight_decay"),
    (lambda: optimizers.ScheduleFreeAdamW(warmup_steps=-1), "warmup_steps"),
    (lambda: optimizers.Nadam(betta_1=0.5), "betta_1"),
    (lambda: optimizers.Adagrad(clipnorm=1.0, clipvalue=1.0), "clipnorm"),
    (lambda: optimizers.Adamax(gradient_accumulation_steps=1), "gradient_accumulation_steps"),
])
def test_bad_arguments_name_the_argument(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_lion_accepts_beta_1_of_one():
    assert optimizers.Lion(beta_1=1.0).beta_1 == 1.0


# -- edge cases ----------------------------------------------------------------
def test_adagrad_initial_accumulator_value():
    v = Variable(np.zeros((2,), "float32"))
    opt = optimizers.Adagrad(initial_accumulator_value=0.25)
    opt.build([v])
    np.testing.assert_allclose(opt.variables[-1].numpy(), [0.25, 0.25])


def test_adafactor_layout_and_placeholders():
    with naming.name_scope("d"):
        k = Variable(np.ones((2, 3, 4), "float32"), name="kernel")
        b = Variable(np.ones((4,), "float32"), name="bias")
    opt = optimizers.Adafactor()
    opt.build([k, b])
    shapes = [(tuple(v.shape), v.dtype) for v in opt.variables]
    assert shapes == [((), "int32"), ((), "float32"),
                      ((2, 3), "float32"), ((2, 4), "float32"), ((2, 3, 4), "float32"),
                      ((), "int32"), ((), "int32"), ((4,), "float32")]


def test_adafactor_zero_gradient_leaves_weights():
    v = Variable(np.ones((2, 2), "float32"))
    opt = optimizers.Adafactor()
    opt.apply([torch.zeros(2, 2)], [v])
    np.testing.assert_array_equal(v.numpy(), np.ones((2, 2)))


def test_lamb_zero_weights_use_ratio_one():
    v = Variable(np.zeros((3,), "float32"))
    opt = optimizers.Lamb(learning_rate=0.1)
    opt.apply([torch.tensor([1.0, -1.0, 0.5])], [v])
    # ratio 1: w = -lr * m_hat / (sqrt(v_hat) + eps) = -lr * sign(g) (up to eps)
    np.testing.assert_allclose(v.numpy(), [-0.1, 0.1, -0.1], rtol=1e-5)


def test_muon_routes_variables():
    with naming.name_scope("embedding"):
        e = Variable(np.ones((4, 2), "float32"), name="embeddings")
    with naming.name_scope("dense"):
        k = Variable(np.ones((2, 3), "float32"), name="kernel")
        b = Variable(np.ones((3,), "float32"), name="bias")
    with naming.name_scope("head"):
        h = Variable(np.ones((3, 1), "float32"), name="kernel")
    opt = optimizers.Muon(exclude_layers=["head/.*"])
    opt.build([e, k, b, h])
    assert opt._uses_adamw == [True, False, True, True]
    assert [v is None for v in opt.adam_velocities] == [False, True, False, False]
    assert not optimizers.Muon(exclude_embeddings=False)._should_use_adamw(e)
    assert optimizers.Muon(exclude_layers="dense")._should_use_adamw(k)


def test_muon_newton_schulz_orthogonalizes():
    opt = optimizers.Muon()
    x = torch.tensor(np.random.default_rng(0).normal(size=(6, 4)), dtype=torch.float32)
    y = opt.zeropower_via_newtonschulz5(x, 10)
    assert y.shape == x.shape
    singular = torch.linalg.svdvals(y)
    assert torch.all((singular > 0.5) & (singular < 1.5)), singular
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        opt.zeropower_via_newtonschulz5(torch.ones(3), 5)


def test_schedule_free_adamw_starts_momentum_at_the_weights():
    v = Variable(np.array([1.0, -2.0], "float32"))
    opt = optimizers.ScheduleFreeAdamW()
    opt.build([v])
    np.testing.assert_array_equal(opt.variables[2].numpy(), [1.0, -2.0])


def test_nadam_product_counts_real_updates_with_accumulation():
    v = Variable(np.ones((2,), "float32"))
    opt = optimizers.Nadam(gradient_accumulation_steps=2)
    for _ in range(4):
        opt.apply([torch.ones(2)], [v])
    # two real updates: product u_1 * u_2 with u_t = 0.9 * (1 - 0.5 * 0.96**t)
    u = [0.9 * (1 - 0.5 * 0.96 ** t) for t in (1, 2)]
    np.testing.assert_allclose(float(opt.variables[-1].numpy()), u[0] * u[1], rtol=1e-6)


# -- MultiOptimizer / OptimizerMap ----------------------------------------------
def _two_vars():
    with naming.name_scope("enc"):
        a = Variable(np.ones((2, 2), "float32"), name="kernel")
    with naming.name_scope("dec"):
        b = Variable(np.ones((2,), "float32"), name="bias")
    return a, b


def test_optimizer_map_lookup():
    adam, sgd, rms = optimizers.Adam(), optimizers.SGD(), optimizers.RMSprop()
    mapping = optimizers.OptimizerMap(default_optimizer=rms)
    mapping["enc/layer_0/dense"] = adam
    mapping["enc/.*"] = sgd
    assert mapping["enc/layer_0/dense"] is adam
    assert mapping["enc/layer_0/attention"] is sgd
    assert mapping["dec/dense"] is rms
    mapping["enc/layer_.*"] = adam
    with pytest.raises(ValueError, match="Multiple optimizers"):
        mapping["enc/layer_1/x"]
    with pytest.raises(ValueError, match="already exists"):
        mapping["enc/.*"] = adam
    with pytest.raises(ValueError, match="key must be a string"):
        mapping[3] = adam
    with pytest.raises(ValueError, match="Optimizer instance"):
        mapping["x"] = "adam"
    with pytest.raises(ValueError, match="MultiOptimizer"):
        mapping["y"] = optimizers.MultiOptimizer(optimizers.OptimizerMap(optimizers.SGD()))
    with pytest.raises(TypeError, match="default_optimizer"):
        optimizers.OptimizerMap("sgd")
    with pytest.raises(TypeError, match="optimizer_map"):
        optimizers.OptimizerMap(optimizers.SGD(), [("a", adam)])


def test_multi_optimizer_matches_separate_optimizers():
    a, b = _two_vars()
    multi = optimizers.MultiOptimizer(optimizers.OptimizerMap(
        optimizers.SGD(0.1, momentum=0.9), {"enc/.*": optimizers.Adam(0.05)}))
    a2, b2 = Variable(a.numpy()), Variable(b.numpy())
    adam, sgd = optimizers.Adam(0.05), optimizers.SGD(0.1, momentum=0.9)
    for step in range(3):
        ga, gb = torch.full((2, 2), 0.1 * (step + 1)), torch.tensor([0.3, -0.2])
        multi.apply([ga, gb], [a, b])
        adam.apply([ga], [a2])
        sgd.apply([gb], [b2])
    np.testing.assert_array_equal(a.numpy(), a2.numpy())
    np.testing.assert_array_equal(b.numpy(), b2.numpy())
    assert int(multi.iterations.numpy()) == 3
    assert [o.name for o in multi.optimizers] == [multi.optimizers[0].name, multi.optimizers[1].name]
    assert len(multi.variables) == 2 + len(multi.optimizers[0].variables) + \
        len(multi.optimizers[1].variables)
    with pytest.raises(AttributeError, match="sub-optimizers"):
        multi.learning_rate
    with pytest.raises(AttributeError, match="sub-optimizers"):
        multi.learning_rate = 0.1
    with pytest.raises(NotImplementedError, match="stateless_apply"):
        multi.stateless_apply(multi.variables, [ga, gb], [a, b])


def test_multi_optimizer_config_round_trip_and_weights():
    a, b = _two_vars()
    multi = optimizers.MultiOptimizer(optimizers.OptimizerMap(
        optimizers.SGD(0.1), {"enc/.*": optimizers.Adam(0.05)}), loss_scale_factor=2.0)
    assert all(o.loss_scale_factor == 2.0 for o in multi.optimizers)
    clone = optimizers.deserialize(optimizers.serialize(multi))
    assert type(clone) is optimizers.MultiOptimizer
    assert clone.loss_scale_factor == 2.0
    assert [type(o) for o in clone.optimizers] == [optimizers.Adam, optimizers.SGD]
    multi.apply([torch.ones(2, 2), torch.ones(2)], [a, b])
    a2, b2 = Variable(np.ones((2, 2), "float32")), Variable(np.ones((2,), "float32"))
    with naming.name_scope("enc"):
        a2 = Variable(np.ones((2, 2), "float32"), name="kernel")
    clone.build([a2, b2])
    clone.set_weights(multi.get_weights())
    for x, y in zip(clone.variables, multi.variables):
        np.testing.assert_array_equal(x.numpy(), y.numpy())
    with pytest.raises(ValueError, match="Expected"):
        clone.set_weights(multi.get_weights()[:-1])


def test_multi_optimizer_rejects_bad_inner_optimizers():
    a, b = _two_vars()
    with pytest.raises(ValueError, match="OptimizerMap or a callable"):
        optimizers.MultiOptimizer("adam")
    multi = optimizers.MultiOptimizer(lambda v: "sgd")
    with pytest.raises(ValueError, match="Optimizer instance"):
        multi.build([a, b])
    inner = optimizers.MultiOptimizer(optimizers.OptimizerMap(optimizers.SGD()))
    with pytest.raises(ValueError, match="MultiOptimizer"):
        optimizers.MultiOptimizer(lambda v: inner).build([a, b])
    multi = optimizers.MultiOptimizer(optimizers.OptimizerMap(optimizers.SGD()))
    multi.build([a])
    with pytest.raises(ValueError, match="Unknown variable"):
        multi.apply([torch.ones(2)], [b])


# -- keras.optimizers.legacy ---------------------------------------------------
@pytest.mark.parametrize("name", ["Adagrad", "Adam", "Ftrl", "Optimizer", "RMSprop", "SGD"])
def test_legacy_optimizers_raise_import_error(name):
    with pytest.raises(ImportError, match="not supported in Keras 3"):
        getattr(optimizers.legacy, name)(learning_rate=0.1)


def test_get_none_and_unknown():
    assert optimizers.get(None) is None
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier"):
        optimizers.get(3)
    with pytest.raises(ValueError):
        optimizers.get("no_such_optimizer")


@pytest.mark.parametrize("base", [0.9, 0.95, 0.96, 0.99, 0.999, 0.8])
def test_float32_power_equals_torch_pow_on_early_steps(base):
    # The optimizers' host-side beta**t must be torch's float32 pow (Keras
    # computes it so) where it matters most: the first steps, when 1 - beta**t
    # is small and amplifies any difference.
    from torkeras.optimizers.optimizer import power
    for step in range(1, 51):
        expected = torch.pow(torch.tensor(base, dtype=torch.float32),
                             torch.tensor(float(step), dtype=torch.float32))
        assert power(base, step, torch.float32) == float(expected), step
