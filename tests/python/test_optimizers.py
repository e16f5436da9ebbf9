"""Optimizer update rules against the Keras formulas computed in numpy."""

import math

import numpy as np
import pytest
import torch

from torkeras import optimizers
from torkeras.optimizers import schedules
from torkeras.variables import Variable

RNG = np.random.default_rng(0)
W0 = RNG.normal(size=(3, 2)).astype("float32")
B0 = RNG.normal(size=(2,)).astype("float32")
GRADS = [[RNG.normal(size=(3, 2)).astype("float32"), RNG.normal(size=(2,)).astype("float32")]
         for _ in range(4)]


def make_vars():
    return [Variable(W0.copy(), name="kernel"), Variable(B0.copy(), name="bias")]


def run(opt, steps=3, grads=GRADS):
    variables = make_vars()
    for i in range(steps):
        opt.apply([torch.tensor(g) for g in grads[i]], variables)
    return [v.numpy() for v in variables]


def reference(step_fn, steps=3, state_init=None, grads=GRADS):
    """Applies `step_fn(w, g, state, t)` (numpy, float64) per variable."""
    out = []
    for j, w in enumerate([W0, B0]):
        w = w.astype("float64")
        state = state_init(w) if state_init else {}
        for t in range(steps):
            w = step_fn(w, grads[t][j].astype("float64"), state, t + 1)
        out.append(w)
    return out


def assert_close(actual, expected, tol=1e-5):
    for a, e in zip(actual, expected):
        np.testing.assert_allclose(a, e, rtol=tol, atol=tol)


# -- SGD -----------------------------------------------------------------
@pytest.mark.parametrize("steps", [1, 3])
def test_sgd_plain(steps):
    got = run(optimizers.SGD(), steps)
    assert_close(got, reference(lambda w, g, s, t: w - 0.01 * g, steps))


@pytest.mark.parametrize("nesterov", [False, True])
def test_sgd_momentum(nesterov):
    lr, mom = 0.1, 0.9

    def step(w, g, s, t):
        s["m"] = mom * s["m"] - lr * g
        return w + (mom * s["m"] - lr * g if nesterov else s["m"])

    got = run(optimizers.SGD(lr, momentum=mom, nesterov=nesterov), 4)
    assert_close(got, reference(step, 4, lambda w: {"m": np.zeros_like(w)}))


# -- RMSprop -------------------------------------------------------------
@pytest.mark.parametrize("momentum,centered", [(0.0, False), (0.5, False), (0.0, True), (0.5, True)])
def test_rmsprop(momentum, centered):
    lr, rho, eps = 0.01, 0.9, 1e-7

    def step(w, g, s, t):
        s["v"] = rho * s["v"] + (1 - rho) * g * g
        if centered:
            s["a"] = rho * s["a"] + (1 - rho) * g
            denom = s["v"] - s["a"] ** 2 + eps
        else:
            denom = s["v"] + eps
        inc = lr * g / np.sqrt(denom)
        if momentum > 0:
            s["m"] = momentum * s["m"] + inc
            return w - s["m"]
        return w - inc

    init = lambda w: {"v": np.zeros_like(w), "a": np.zeros_like(w), "m": np.zeros_like(w)}  # noqa: E731
    got = run(optimizers.RMSprop(lr, momentum=momentum, centered=centered), 4)
    assert_close(got, reference(step, 4, init))


def test_rmsprop_defaults_single_step():
    # First step: v = 0.1 g^2, w -= 0.001 g / sqrt(0.1 g^2 + 1e-7)
    got = run(optimizers.RMSprop(), 1)
    exp = reference(lambda w, g, s, t: w - 0.001 * g / np.sqrt(0.1 * g * g + 1e-7), 1)
    assert_close(got, exp)


# -- Adam / AdamW --------------------------------------------------------
def adam_step(lr=0.001, b1=0.9, b2=0.999, eps=1e-7, wd=None, amsgrad=False):
    def step(w, g, s, t):
        if wd:
            w = w * (1 - wd * lr)
        alpha = lr * math.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        s["m"] += (g - s["m"]) * (1 - b1)
        s["v"] += (g * g - s["v"]) * (1 - b2)
        v = s["v"]
        if amsgrad:
            s["vh"] = np.maximum(s["vh"], s["v"])
            v = s["vh"]
        return w - alpha * s["m"] / (np.sqrt(v) + eps)
    return step


ADAM_INIT = lambda w: {"m": np.zeros_like(w), "v": np.zeros_like(w), "vh": np.zeros_like(w)}  # noqa: E731


@pytest.mark.parametrize("steps", [1, 4])
def test_adam(steps):
    got = run(optimizers.Adam(), steps)
    assert_close(got, reference(adam_step(), steps, ADAM_INIT), 1e-6)


def test_adam_amsgrad_custom_hparams():
    opt = optimizers.Adam(0.05, beta_1=0.8, beta_2=0.95, epsilon=1e-3, amsgrad=True)
    got = run(opt, 4)
    assert_close(got, reference(adam_step(0.05, 0.8, 0.95, 1e-3, amsgrad=True), 4, ADAM_INIT))


def test_adamw():
    opt = optimizers.AdamW(0.01)
    assert opt.weight_decay == 0.004 and opt.name == "adam_w"  # Keras 3.15's auto-name
    got = run(opt, 3)
    assert_close(got, reference(adam_step(0.01, wd=0.004), 3, ADAM_INIT))


def test_weight_decay_sgd_and_exclusion():
    lr, wd = 0.1, 0.5
    opt = optimizers.SGD(lr, weight_decay=wd)
    opt.exclude_from_weight_decay(var_names=["bias"])
    got = run(opt, 2)
    kernel = reference(lambda w, g, s, t: w * (1 - wd * lr) - lr * g, 2)[0]
    bias = reference(lambda w, g, s, t: w - lr * g, 2)[1]
    assert_close(got, [kernel, bias])
    with pytest.raises(ValueError, match="before the optimizer is built"):
        opt.exclude_from_weight_decay(var_names=["kernel"])


# -- clipping ------------------------------------------------------------
def test_clipnorm():
    c = 0.5
    got = run(optimizers.SGD(1.0, clipnorm=c), 2)
    exp = reference(lambda w, g, s, t: w - g * c / max(np.linalg.norm(g), c), 2)
    assert_close(got, exp)


def test_clipvalue():
    got = run(optimizers.SGD(1.0, clipvalue=0.3), 2)
    assert_close(got, reference(lambda w, g, s, t: w - np.clip(g, -0.3, 0.3), 2))


def test_global_clipnorm():
    c = 0.7
    variables = make_vars()
    opt = optimizers.SGD(1.0, global_clipnorm=c)
    expected = [W0.astype("float64"), B0.astype("float64")]
    for i in range(2):
        gs = GRADS[i]
        total = math.sqrt(sum(float(np.sum(g.astype("float64") ** 2)) for g in gs))
        scale = min(c / total, 1.0)
        expected = [w - g * scale for w, g in zip(expected, gs)]
        opt.apply([torch.tensor(g) for g in gs], variables)
    assert_close([v.numpy() for v in variables], expected)


def test_only_one_clip_argument():
    with pytest.raises(ValueError, match="Only one of"):
        optimizers.SGD(clipnorm=1.0, clipvalue=1.0)


def test_loss_scale_factor_unscales_gradients():
    opt = optimizers.SGD(0.1, loss_scale_factor=4.0)
    assert float(opt.scale_loss(torch.tensor(2.0))) == 8.0
    got = run(opt, 1, grads=[[g * 4 for g in GRADS[0]]])
    assert_close(got, reference(lambda w, g, s, t: w - 0.1 * g, 1))


# -- variables and state ---------------------------------------------------
def test_adam_variables_order():
    opt = optimizers.Adam()
    variables = make_vars()
    opt.build(variables)
    names = [v.name for v in opt.variables]
    assert names == ["iteration", "learning_rate", "kernel_momentum", "kernel_velocity",
                     "bias_momentum", "bias_velocity"]
    shapes = [v.shape for v in opt.variables]
    assert shapes == [(), (), (3, 2), (3, 2), (2,), (2,)]
    assert opt.variables[0].dtype == "int32" and not opt.variables[0].trainable
    assert opt.variables[1].dtype == "float32"
    assert opt.variables[2].path == "adam/kernel_momentum"


def test_slot_counts():
    for opt, n in [(optimizers.SGD(), 2), (optimizers.SGD(momentum=0.9), 4),
                   (optimizers.RMSprop(), 4), (optimizers.RMSprop(momentum=0.9, centered=True), 8),
                   (optimizers.Adam(amsgrad=True), 8)]:
        opt.build(make_vars())
        assert len(opt.variables) == n, type(opt).__name__
    opt = optimizers.RMSprop(momentum=0.5)
    opt.build(make_vars())
    assert [v.name for v in opt.variables[2:]] == ["kernel_velocity", "bias_velocity",
                                                   "kernel_momentum", "bias_momentum"]


def test_schedule_removes_learning_rate_variable():
    opt = optimizers.SGD(schedules.ExponentialDecay(0.1, 10, 0.5))
    opt.build(make_vars())
    assert [v.name for v in opt.variables] == ["iteration"]


def test_iterations_and_learning_rate_setter():
    opt = optimizers.SGD(0.1)
    variables = make_vars()
    assert int(opt.iterations) == 0
    assert opt.learning_rate == pytest.approx(0.1)
    opt.apply([torch.tensor(g) for g in GRADS[0]], variables)
    assert int(opt.iterations) == 1
    opt.learning_rate = 0.5
    assert opt.learning_rate == 0.5
    assert float(opt.variables[1].numpy()) == 0.5
    before = variables[0].numpy().copy()
    opt.apply([torch.tensor(g) for g in GRADS[1]], variables)
    np.testing.assert_allclose(variables[0].numpy(), before - 0.5 * GRADS[1][0], rtol=1e-6)
    # an outside write to the Variable is seen (weights loading)
    opt.variables[1].assign(0.25)
    assert opt.learning_rate == 0.25
    opt.iterations.assign(10)
    opt.apply([torch.tensor(g) for g in GRADS[2]], variables)
    assert int(opt.iterations) == 11
    # to a schedule and back is refused, as in Keras
    opt.learning_rate = schedules.ExponentialDecay(1.0, 1, 0.5)
    assert opt.learning_rate == pytest.approx(0.5 ** 11)
    assert "learning_rate" not in [v.name for v in opt.variables]
    with pytest.raises(TypeError, match="not settable"):
        opt.learning_rate = 0.1
    with pytest.raises(ValueError, match="learning_rate"):
        optimizers.SGD(learning_rate="fast")


def test_schedule_drives_updates():
    sched = schedules.PiecewiseConstantDecay([1], [1.0, 0.1])
    got = run(optimizers.SGD(sched), 3)
    lrs = [1.0, 1.0, 0.1]  # steps 0, 1 -> 1.0 (step <= 1), step 2 -> 0.1
    exp = reference(lambda w, g, s, t: w - lrs[t - 1] * g, 3)
    assert_close(got, exp)


def test_callable_learning_rate():
    got = run(optimizers.SGD(lambda: 0.2), 2)
    assert_close(got, reference(lambda w, g, s, t: w - 0.2 * g, 2))


def test_none_gradients_are_skipped():
    variables = make_vars()
    opt = optimizers.Adam(0.1)
    with pytest.warns(UserWarning, match="Gradients do not exist"):
        opt.apply([torch.tensor(GRADS[0][0]), None], variables)
    np.testing.assert_array_equal(variables[1].numpy(), B0)
    assert not np.allclose(variables[0].numpy(), W0)
    assert int(opt.iterations) == 1


def test_apply_subset_and_order_of_variables():
    variables = make_vars()
    opt = optimizers.SGD(0.1, momentum=0.5)
    opt.build(variables)
    opt.apply([torch.tensor(GRADS[0][1]), torch.tensor(GRADS[0][0])], [variables[1], variables[0]])
    exp = reference(lambda w, g, s, t: w - 0.1 * g, 1)
    assert_close([v.numpy() for v in variables], exp)
    with pytest.raises(ValueError, match="Unknown variable"):
        opt.apply([torch.zeros(1)], [Variable(np.zeros(1, "float32"))])


def test_apply_without_variables_and_apply_gradients():
    variables = make_vars()
    opt = optimizers.SGD(0.1)
    with pytest.raises(ValueError, match="must already be built"):
        opt.apply([torch.tensor(g) for g in GRADS[0]])
    opt.build(variables)
    opt.apply([torch.tensor(g) for g in GRADS[0]])
    opt.apply_gradients(zip([torch.tensor(g) for g in GRADS[1]], variables))
    assert_close([v.numpy() for v in variables], reference(lambda w, g, s, t: w - 0.1 * g, 2))
    assert int(opt.iterations) == 2


def test_constraint_applied_after_update():
    from torkeras.constraints import NonNeg
    variables = make_vars()
    variables[0].constraint = NonNeg()
    optimizers.SGD(1.0).apply([torch.tensor(g) for g in GRADS[0]], variables)
    assert (variables[0].numpy() >= 0).all()
    np.testing.assert_allclose(variables[0].numpy(), np.maximum(W0 - GRADS[0][0], 0), rtol=1e-6)


def test_ema():
    variables = make_vars()
    opt = optimizers.SGD(0.1, use_ema=True, ema_momentum=0.5)
    w = W0.astype("float64")
    avg = None
    for i in range(3):
        opt.apply([torch.tensor(g) for g in GRADS[i]], variables)
        w = w - 0.1 * GRADS[i][0]
        avg = w.copy() if avg is None else 0.5 * avg + 0.5 * w
    assert opt.variables[2].name == "kernel_average"
    np.testing.assert_allclose(opt.variables[2].numpy(), avg, rtol=1e-5)
    opt.finalize_variable_values(variables)
    np.testing.assert_allclose(variables[0].numpy(), avg, rtol=1e-5)


def test_gradient_accumulation():
    variables = make_vars()
    opt = optimizers.SGD(0.1, gradient_accumulation_steps=2)
    for i in range(4):
        opt.apply([torch.tensor(g) for g in GRADS[i]], variables)
    w = W0.astype("float64")
    w = w - 0.1 * (GRADS[0][0] + GRADS[1][0]) / 2
    w = w - 0.1 * (GRADS[2][0] + GRADS[3][0]) / 2
    np.testing.assert_allclose(variables[0].numpy(), w, rtol=1e-5)
    assert int(opt.iterations) == 2
    with pytest.raises(ValueError, match="gradient_accumulation_steps"):
        optimizers.SGD(gradient_accumulation_steps=1)


# -- construction, config, get ---------------------------------------------
def test_default_names_and_unknown_kwargs():
    # Keras 3.15: `name=None`, auto-named from the class (uniquified).
    assert optimizers.Adam().name == "adam"
    assert optimizers.Adam().name == "adam_1"
    assert optimizers.RMSprop().name == "rm_sprop"
    assert optimizers.SGD().name == "sgd"
    assert optimizers.SGD(name="SGD").name == "SGD"
    with pytest.raises(ValueError, match="not recognized.*betta_1"):
        optimizers.Adam(betta_1=0.5)


def test_get_config_round_trip():
    opt = optimizers.Adam(0.01, beta_1=0.8, clipnorm=1.0)
    config = opt.get_config()
    assert config["learning_rate"] == 0.01 and config["beta_1"] == 0.8 and config["clipnorm"] == 1.0
    clone = optimizers.Adam.from_config(config)
    assert clone.get_config() == config
    sched_opt = optimizers.SGD(schedules.CosineDecay(0.1, 100))
    cfg = sched_opt.get_config()
    assert cfg["learning_rate"]["class_name"] == "CosineDecay"
    clone = optimizers.SGD.from_config(cfg)
    assert isinstance(clone._learning_rate, schedules.CosineDecay)


def test_get():
    assert isinstance(optimizers.get("adam"), optimizers.Adam)
    assert isinstance(optimizers.get("RMSprop"), optimizers.RMSprop)
    assert isinstance(optimizers.get("sgd"), optimizers.SGD)
    assert isinstance(optimizers.get("adamw"), optimizers.AdamW)
    opt = optimizers.SGD()
    assert optimizers.get(opt) is opt
    from_dict = optimizers.get({"class_name": "Adam", "config": {"learning_rate": 0.5}})
    assert from_dict.learning_rate == 0.5
    round_trip = optimizers.deserialize(optimizers.serialize(optimizers.RMSprop(rho=0.5)))
    assert round_trip.rho == 0.5
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier"):
        optimizers.get("adamm")
    with pytest.raises(ValueError, match="Could not interpret"):
        optimizers.get(3)


# -- schedules ---------------------------------------------------------------
def test_exponential_and_inverse_time():
    s = schedules.ExponentialDecay(0.1, 10, 0.5)
    assert float(s(5)) == pytest.approx(0.1 * 0.5 ** 0.5, rel=1e-6)
    s = schedules.ExponentialDecay(0.1, 10, 0.5, staircase=True)
    assert float(s(15)) == pytest.approx(0.05, rel=1e-6)
    s = schedules.InverseTimeDecay(0.1, 10, 0.5)
    assert float(s(torch.tensor(20))) == pytest.approx(0.1 / (1 + 0.5 * 2), rel=1e-6)
    s = schedules.InverseTimeDecay(0.1, 10, 0.5, staircase=True)
    assert float(s(15)) == pytest.approx(0.1 / 1.5, rel=1e-6)
    assert isinstance(s(1), torch.Tensor) and s(1).dtype == torch.float32


def test_piecewise_constant():
    s = schedules.PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1])
    assert [float(s(x)) for x in (0, 10, 11, 20, 21)] == pytest.approx([1.0, 1.0, 0.5, 0.5, 0.1])
    with pytest.raises(ValueError, match="1 less"):
        schedules.PiecewiseConstantDecay([1, 2], [1.0])


def test_polynomial_decay():
    s = schedules.PolynomialDecay(0.1, 100, end_learning_rate=0.01, power=0.5)
    assert float(s(50)) == pytest.approx(0.09 * 0.5 ** 0.5 + 0.01, rel=1e-6)
    assert float(s(500)) == pytest.approx(0.01, rel=1e-6)
    s = schedules.PolynomialDecay(0.1, 100, end_learning_rate=0.0, cycle=True)
    assert float(s(150)) == pytest.approx(0.1 * (1 - 150 / 200), rel=1e-6)
    assert float(s(0)) == pytest.approx(0.1)


def test_cosine_decay():
    s = schedules.CosineDecay(0.1, 100, alpha=0.1)
    expect = lambda step: 0.1 * (0.9 * 0.5 * (1 + math.cos(math.pi * min(step, 100) / 100)) + 0.1)  # noqa: E731
    for step in (0, 30, 100, 150):
        assert float(s(step)) == pytest.approx(expect(step), rel=1e-6)
    w = schedules.CosineDecay(0.0, 100, warmup_target=1.0, warmup_steps=10)
    assert float(w(5)) == pytest.approx(0.5)
    assert float(w(10)) == pytest.approx(1.0)
    assert float(w(60)) == pytest.approx(0.5 * (1 + math.cos(math.pi * 0.5)), abs=1e-6)
    assert float(w(1000)) == pytest.approx(0.0, abs=1e-6)


def test_cosine_decay_restarts():
    s = schedules.CosineDecayRestarts(1.0, 10, t_mul=2.0, m_mul=0.5, alpha=0.0)
    # period 0: [0, 10), period 1: [10, 30) at half height
    assert float(s(5)) == pytest.approx(0.5 * (1 + math.cos(math.pi * 0.5)), abs=1e-6)
    assert float(s(10)) == pytest.approx(0.5, abs=1e-6)
    assert float(s(20)) == pytest.approx(0.5 * 0.5 * (1 + math.cos(math.pi * 0.5)), abs=1e-6)
    s = schedules.CosineDecayRestarts(1.0, 10, t_mul=1.0)
    assert float(s(15)) == pytest.approx(float(s(5)), abs=1e-6)


def test_schedule_serialize_round_trip():
    s = schedules.CosineDecay(0.1, 100, warmup_target=0.2, warmup_steps=5)
    d = schedules.serialize(s)
    assert d["module"] == "keras.optimizers.schedules" and d["class_name"] == "CosineDecay"
    again = schedules.deserialize(d)
    assert again.get_config() == s.get_config()


def test_custom_schedule_receives_iterations():
    seen = []

    class Halving(schedules.LearningRateSchedule):
        def __call__(self, step):
            seen.append(int(step))
            return 1.0 / (int(step) + 1)

    got = run(optimizers.SGD(Halving()), 2)
    assert seen == [0, 1]
    assert_close(got, reference(lambda w, g, s, t: w - (1.0 / t) * g, 2))


def test_user_update_step_subclass():
    class Plain(optimizers.Optimizer):
        def __init__(self, learning_rate=0.1, **kwargs):
            super().__init__(learning_rate, **kwargs)

        def update_step(self, gradient, variable, learning_rate):
            self.assign_sub(variable, gradient * learning_rate)

    opt = Plain()
    assert opt.name.startswith("plain")
    got = run(opt, 2)
    assert_close(got, reference(lambda w, g, s, t: w - 0.1 * g, 2))


def test_gradients_are_cast_to_the_variable_dtype():
    for opt in (optimizers.SGD(0.1), optimizers.Adam(0.1), optimizers.RMSprop(0.1)):
        variables = make_vars()
        opt.apply([torch.tensor(GRADS[0][0], dtype=torch.float64), GRADS[0][1]], variables)
        assert variables[0].value.dtype == torch.float32
        assert not np.allclose(variables[1].numpy(), B0)
