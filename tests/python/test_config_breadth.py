"""keras.config's switches: flash attention, interactive logging, traceback
filtering, max_epochs / max_steps_per_epoch, set_backend."""
import contextlib
import io
import logging
import traceback

import numpy as np
import pytest

import torkeras as keras
from torkeras import config


@pytest.fixture(autouse=True)
def restore_config():
    yield
    config.enable_flash_attention()
    config.enable_interactive_logging()
    config.enable_traceback_filtering()
    config.set_max_epochs(None)
    config.set_max_steps_per_epoch(None)


def _model():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    return model


def test_flash_attention_flag_as_keras():
    assert config.is_flash_attention_enabled() is None  # Keras's default
    config.disable_flash_attention()
    assert config.is_flash_attention_enabled() is False
    config.enable_flash_attention()
    assert config.is_flash_attention_enabled() is None


def test_set_backend_accepts_torch_only():
    config.set_backend("torch")
    assert config.backend() == "torch"
    for other in ("jax", "tensorflow", None):
        with pytest.raises(ValueError, match="only has the 'torch' backend"):
            config.set_backend(other)


def test_interactive_logging_moves_progress_to_the_logger(caplog):
    model = _model()
    x, y = np.ones((20, 3)), np.ones((20, 1))
    assert config.is_interactive_logging_enabled() is True
    config.disable_interactive_logging()
    assert config.is_interactive_logging_enabled() is False
    out = io.StringIO()
    with caplog.at_level(logging.INFO, logger="torkeras"), contextlib.redirect_stdout(out):
        model.fit(x, y, epochs=2, batch_size=10, verbose=1,
                  callbacks=[keras.callbacks.EarlyStopping("loss", min_delta=100, patience=0,
                                                           verbose=1)])
    assert out.getvalue() == ""
    messages = [r.getMessage() for r in caplog.records if r.name == "torkeras"]
    assert messages[0] == "Epoch 1/2"
    assert "Epoch 2: early stopping" in messages
    # Line mode: one record per update, no in-place redrawing.
    assert sum(m.startswith("\x1b[1m2/2") for m in messages) == 2
    assert not any("\b" in m or "\r" in m or "\n" in m for m in messages)
    config.enable_interactive_logging()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        model.fit(x, y, epochs=1, batch_size=10, verbose=2)
    assert "2/2" in out.getvalue()


def test_traceback_filtering_hides_internal_frames():
    class Failing(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            raise ValueError("boom")

    model = _model()

    def frames():
        with pytest.raises(ValueError, match="boom") as info:
            model.fit(np.ones((2, 3)), np.ones((2, 1)), verbose=0, callbacks=[Failing()])
        return [f.filename for f in traceback.extract_tb(info.value.__traceback__)]

    assert config.is_traceback_filtering_enabled() is True
    filtered = frames()
    inside = [f for f in filtered if "/torkeras/" in f and "traceback_utils" not in f]
    assert inside == [] and filtered[-1] == __file__
    config.disable_traceback_filtering()
    assert config.is_traceback_filtering_enabled() is False
    full = frames()
    assert len(full) > len(filtered) and any("trainer.py" in f for f in full)


def test_max_epochs_caps_fit():
    model = _model()
    config.set_max_epochs(2)
    assert config.max_epochs() == 2
    with pytest.warns(UserWarning, match="Limiting epochs to 2"):
        history = model.fit(np.ones((8, 3)), np.ones((8, 1)), epochs=5, verbose=0)
    assert len(history.history["loss"]) == 2
    config.set_max_epochs(None)
    assert len(model.fit(np.ones((8, 3)), np.ones((8, 1)), epochs=3,
                         verbose=0).history["loss"]) == 3


def test_max_steps_per_epoch_caps_fit_evaluate_and_predict():
    model = _model()
    seen = []

    class Count(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(("train", batch))

        def on_test_batch_end(self, batch, logs=None):
            seen.append(("test", batch))

    config.set_max_steps_per_epoch(3)
    assert config.max_steps_per_epoch() == 3
    x, y = np.ones((100, 3)), np.ones((100, 1))
    with pytest.warns(UserWarning, match="Limiting steps_per_epoch to 3"):
        model.fit(x, y, batch_size=10, epochs=2, verbose=0, validation_data=(x, y),
                  callbacks=[Count()])
    assert [b for k, b in seen if k == "train"] == [0, 1, 2, 0, 1, 2]
    assert [b for k, b in seen if k == "test"] == [0, 1, 2, 0, 1, 2]
    with pytest.warns(UserWarning, match="Limiting steps_per_epoch"):
        assert model.predict(x, batch_size=10, verbose=0).shape == (30, 1)
    # A cap at or above the data's batches changes nothing (and warns not).
    config.set_max_steps_per_epoch(10)
    assert model.predict(x, batch_size=10, verbose=0).shape == (100, 1)


@pytest.mark.parametrize("setter", [config.set_max_epochs, config.set_max_steps_per_epoch])
@pytest.mark.parametrize("bad", [0, -1, 2.5, "3", True])
def test_caps_reject_non_positive_integers(setter, bad):
    with pytest.raises(ValueError, match="positive integer"):
        setter(bad)


def test_caps_accept_whole_floats_from_r():
    config.set_max_epochs(3.0)
    assert config.max_epochs() == 3 and isinstance(config.max_epochs(), int)
