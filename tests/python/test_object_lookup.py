"""Every module's `deserialize()`/`get()` resolves names through the one lookup
in saving/object_registration.py: custom-object scopes, then classes
registered with `register_keras_serializable`, then `custom_objects`, then
the module's built-ins (Keras's order)."""

import pytest

import torkeras as keras
from torkeras import (constraints, initializers, losses, metrics, optimizers, regularizers)
from torkeras.optimizers import schedules
from torkeras.saving import object_registration

register = keras.saving.register_keras_serializable


@register(package="LookupTest")
class ScaledMSE(losses.Loss):
    def __init__(self, scale=1.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale

    def call(self, y_true, y_pred):
        return self.scale * (y_true - y_pred) ** 2

    def get_config(self):
        return {**super().get_config(), "scale": self.scale}


@register(package="LookupTest")
class CountingMean(metrics.Mean):
    def __init__(self, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.offset = offset

    def get_config(self):
        return {**super().get_config(), "offset": self.offset}


@register(package="LookupTest")
class SlowSGD(optimizers.SGD):
    pass


@register(package="LookupTest")
class HalvingSchedule(schedules.LearningRateSchedule):
    def __init__(self, start):
        self.start = start

    def __call__(self, step):
        return self.start / 2 ** step

    def get_config(self):
        return {"start": self.start}


@register(package="LookupTest")
class FilledInit(initializers.Constant):
    pass


@register(package="LookupTest")
class TinyL2(regularizers.L2):
    pass


@register(package="LookupTest")
class ClipTo(constraints.Constraint):
    def __init__(self, limit=1.0):
        self.limit = limit

    def __call__(self, w):
        return w.clamp(-self.limit, self.limit)

    def get_config(self):
        return {"limit": self.limit}


def _saved(obj):
    """The config `serialize_keras_object` writes: module, class_name, config
    and the "package>name" registered_name."""
    return keras.saving.serialize_keras_object(obj)


def test_a_registered_class_resolves_in_every_module_without_custom_objects():
    cfg = _saved(ScaledMSE(scale=3.0))
    assert cfg["registered_name"] == "LookupTest>ScaledMSE"
    loss = losses.deserialize(cfg)
    assert type(loss) is ScaledMSE and loss.scale == 3.0
    assert type(losses.get(cfg)) is ScaledMSE

    metric = metrics.deserialize(_saved(CountingMean(offset=2.5, name="cm")))
    assert type(metric) is CountingMean and metric.offset == 2.5 and metric.name == "cm"

    opt = optimizers.deserialize(_saved(SlowSGD(learning_rate=0.25)))
    assert type(opt) is SlowSGD and opt.learning_rate == pytest.approx(0.25)
    # A registered name is also a `get()` identifier for optimizers (as in Keras).
    assert type(optimizers.get("LookupTest>SlowSGD")) is SlowSGD

    sched = schedules.deserialize(_saved(HalvingSchedule(0.8)))
    assert type(sched) is HalvingSchedule and sched(3) == pytest.approx(0.1)

    init = initializers.get(_saved(FilledInit(value=4.0)))
    assert type(init) is FilledInit and init.get_config()["value"] == 4.0
    reg = regularizers.get(_saved(TinyL2(l2=0.5)))
    assert type(reg) is TinyL2 and reg.get_config()["l2"] == 0.5
    con = constraints.get(_saved(ClipTo(limit=0.3)))
    assert type(con) is ClipTo and con.limit == 0.3


class PlainLoss(losses.Loss):
    def call(self, y_true, y_pred):
        return y_true - y_pred


class PlainSchedule(schedules.LearningRateSchedule):
    def __init__(self, value):
        self.value = value

    def __call__(self, step):
        return self.value

    def get_config(self):
        return {"value": self.value}


def test_an_unregistered_class_needs_custom_objects_or_a_scope():
    cfg = {"module": __name__, "class_name": "PlainLoss", "config": {"name": "p"},
           "registered_name": "PlainLoss"}
    with pytest.raises(ValueError, match="Could not interpret loss identifier: 'PlainLoss'"):
        losses.deserialize(cfg)
    assert type(losses.deserialize(cfg, custom_objects={"PlainLoss": PlainLoss})) is PlainLoss
    with keras.saving.custom_object_scope({"PlainLoss": PlainLoss}):
        assert losses.deserialize(cfg).name == "p"
        assert type(losses.deserialize("PlainLoss")) is PlainLoss

    sched_cfg = {"class_name": "PlainSchedule", "config": {"value": 0.5}}
    with pytest.raises(ValueError, match="Unknown learning rate schedule: 'PlainSchedule'"):
        schedules.deserialize(sched_cfg)
    sched = schedules.deserialize(sched_cfg, custom_objects={"PlainSchedule": PlainSchedule})
    assert type(sched) is PlainSchedule and sched.value == 0.5
    # The optimizer hands its custom_objects on to its schedule.
    opt_cfg = {"class_name": "SGD", "config": {"learning_rate": sched_cfg}}
    opt = optimizers.deserialize(opt_cfg, custom_objects={"PlainSchedule": PlainSchedule})
    assert type(opt._learning_rate) is PlainSchedule and opt.learning_rate == 0.5
    with keras.saving.custom_object_scope({"PlainSchedule": PlainSchedule}):
        assert type(optimizers.deserialize(opt_cfg)._learning_rate) is PlainSchedule


class OtherHuber(losses.Huber):
    pass


def test_custom_objects_beat_the_built_ins():
    cfg = losses.serialize(losses.Huber(delta=2.0))
    back = losses.deserialize(cfg, custom_objects={"Huber": OtherHuber})
    assert type(back) is OtherHuber and back.get_config()["delta"] == 2.0
    assert type(losses.deserialize(cfg)) is losses.Huber


def test_precedence_is_scope_then_registry_then_custom_objects_then_module():
    key = "LookupTest>ScaledMSE"
    table = {key: "module"}
    get = object_registration.get_registered_object
    assert get(key, {key: "argument"}, table) is ScaledMSE
    with keras.saving.custom_object_scope({key: "scope"}):
        assert get(key, {key: "argument"}, table) == "scope"
    assert get("Plain", {"Plain": "argument"}, {"Plain": "module"}) == "argument"
    assert get("Plain", None, {"Plain": "module"}) == "module"
    assert get("Plain") is None


def test_registered_name_is_tried_before_class_name():
    # A registered class that shares its plain name with a built-in.
    @register(package="LookupShadow", name="Huber")
    class ShadowHuber(losses.Huber):
        pass

    cfg = _saved(ShadowHuber(delta=1.5))
    assert (cfg["class_name"], cfg["registered_name"]) == ("ShadowHuber", "LookupShadow>Huber")
    cfg["class_name"] = "Huber"
    assert type(losses.deserialize(cfg)) is ShadowHuber
    cfg["registered_name"] = None
    assert type(losses.deserialize(cfg)) is losses.Huber


def test_metric_function_configs_give_the_function():
    # "mean_squared_error" names the MeanSquaredError class as an identifier,
    # but a config of class "function" stands for the function.
    fn_cfg = metrics.serialize(metrics.mean_squared_error)
    assert metrics.deserialize(fn_cfg) is metrics.mean_squared_error
    assert metrics.deserialize({"class_name": "function", "config": "mae"}) is \
        metrics.mean_absolute_error
    with pytest.raises(ValueError, match="Could not interpret metric identifier: 'nope'"):
        metrics.deserialize({"class_name": "function", "config": "nope"})


def test_unknown_names_in_config_dicts_are_value_errors():
    with pytest.raises(ValueError, match=r"Unknown initializer: 'Nope'; known: \["):
        initializers.get({"class_name": "Nope", "config": {}})
    with pytest.raises(ValueError, match="Unknown regularizer: 'Nope'"):
        regularizers.get({"class_name": "Nope", "config": {}})
    with pytest.raises(ValueError, match="Unknown constraint: 'Nope'"):
        constraints.get({"class_name": "Nope", "config": {}})
    with pytest.raises(ValueError, match="Expected a dict with keys 'class_name' and 'config' "
                                         "to deserialize an optimizer"):
        optimizers.deserialize("adam")
    with pytest.raises(ValueError, match="Could not deserialize loss: expected a name"):
        losses.deserialize(3)


def test_optimizer_names_resolve_in_any_case():
    assert type(optimizers.get("ADAM")) is optimizers.Adam
    assert type(optimizers.deserialize({"class_name": "rmsProp", "config": {}})) is \
        optimizers.RMSprop
    assert optimizers.serialize(optimizers.SGD())["registered_name"] is None
    assert optimizers.serialize(SlowSGD())["registered_name"] == "SlowSGD"


@pytest.mark.parametrize("module,kind,custom", [(initializers, "initializer", FilledInit),
                                                (regularizers, "regularizer", TinyL2),
                                                (constraints, "constraint", ClipTo)])
def test_small_configurable_get_paths(module, kind, custom):
    assert module.get(None) is None

    def plain(*args):
        return args

    assert module.get(plain) is plain
    with pytest.raises(ValueError, match=f"Could not interpret {kind}: 3"):
        module.get(3)
    with pytest.raises(ValueError, match=f"Unknown {kind}: 'nope'"):
        module.get("nope")
    # A scoped name gives that class with its defaults.
    with keras.saving.custom_object_scope({"Scoped": custom}):
        assert type(module.get("Scoped")) is custom


@pytest.mark.parametrize("module,kind,keras_module", [(losses, "loss", "keras.losses"),
                                                      (metrics, "metric", "keras.metrics")])
def test_loss_and_metric_serialize_paths(module, kind, keras_module):
    assert module.serialize(None) is None
    assert module.serialize(module.mean_absolute_error) == {
        "module": keras_module,
        "class_name": "function", "config": "mean_absolute_error",
        "registered_name": "mean_absolute_error"}
    with pytest.raises(ValueError, match=f"Cannot serialize {kind} 3"):
        module.serialize(3)
