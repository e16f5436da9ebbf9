"""Progress output in the Keras 3 formats."""

import re

import torch

from torkeras import callbacks
from torkeras.utils.progbar import Progbar

ESC = re.escape
NUM = r"\d+\.\d{4}"
TIME = r"\d+(ms|us|s)/step"


def run_fit(verbose, epochs, steps, logs_fn, epoch_logs, target=None):
    cbl = callbacks.CallbackList(None, add_history=True, add_progbar=True, verbose=verbose,
                                 epochs=epochs, steps=target if target is not None else steps)
    cbl.on_train_begin()
    for epoch in range(epochs):
        cbl.on_epoch_begin(epoch)
        for step in range(steps):
            cbl.on_train_batch_begin(step)
            cbl.on_train_batch_end(step, logs_fn)
        # validation inside fit is silent
        cbl.on_test_begin()
        cbl.on_test_batch_end(0, logs_fn)
        cbl.on_test_end({"loss": 1.0})
        cbl.on_epoch_end(epoch, epoch_logs)
    cbl.on_train_end()
    return cbl


EPOCH_LOGS = {"sparse_categorical_accuracy": 0.9004, "loss": 0.3483,
              "val_sparse_categorical_accuracy": 0.9444, "val_loss": 0.1972}


def test_verbose2_fit_lines(capsys):
    calls = []

    def logs():
        calls.append(1)
        return {"loss": torch.tensor(0.5)}

    run_fit(2, 2, 782, logs, EPOCH_LOGS)
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "Epoch 1/2" and lines[2] == "Epoch 2/2"
    pattern = (rf"^782/782 - \d+s - {TIME} - loss: 0\.3483 - sparse_categorical_accuracy: 0\.9004"
               rf" - val_loss: 0\.1972 - val_sparse_categorical_accuracy: 0\.9444$")
    assert re.match(pattern, lines[1]), lines[1]
    assert re.match(pattern, lines[3]), lines[3]
    assert len(lines) == 4
    assert calls == []  # verbose=2 never resolves batch logs


def test_single_epoch_has_no_epoch_header(capsys):
    run_fit(2, 1, 3, None, {"loss": 0.0002, "accuracy": 0.25})
    out = capsys.readouterr().out
    assert re.match(rf"^3/3 - \d+s - {TIME} - accuracy: 0\.2500 - loss: 2\.0000e-04\n$", out), out


def test_count_is_padded_to_target_width():
    bar = Progbar(100, verbose=2)
    import io
    import sys
    buf, old = io.StringIO(), sys.stdout
    sys.stdout = buf
    try:
        bar.update(100, [("loss", 1.0)])
    finally:
        sys.stdout = old
    assert buf.getvalue().startswith("100/100 - ")
    bar = Progbar(100, verbose=2)
    sys.stdout = buf = io.StringIO()
    try:
        bar.update(7, [("loss", -0.5)], finalize=True)
    finally:
        sys.stdout = old
    # verbose=2 compares the signed value with 1e-3, as Keras does
    assert buf.getvalue().startswith("  7/100 - ") and "loss: -5.0000e-01" in buf.getvalue()


def test_evaluate_and_predict_lines(capsys):
    cbl = callbacks.CallbackList(None, add_progbar=True, verbose=2, epochs=1, steps=79)
    cbl.on_test_begin()
    for step in range(79):
        cbl.on_test_batch_end(step, lambda: {"loss": torch.tensor(0.1)})
    cbl.on_test_end({"sparse_categorical_accuracy": 0.9591, "loss": 0.1356})
    out = capsys.readouterr().out
    assert re.match(rf"^79/79 - \d+s - {TIME} - loss: 0\.1356 - sparse_categorical_accuracy: 0\.9591\n$", out), out

    cbl = callbacks.CallbackList(None, add_progbar=True, verbose=2, epochs=1, steps=1)
    cbl.on_predict_begin()
    cbl.on_predict_batch_end(0, {"outputs": torch.ones(3)})
    cbl.on_predict_end()
    out = capsys.readouterr().out
    assert re.match(rf"^1/1 - \d+s - {TIME}\n$", out), out


def test_verbose1_final_line_and_lazy_resolution(capsys):
    calls = []

    def logs():
        calls.append(1)
        return {"loss": torch.tensor(1.2598)}

    cbl = callbacks.CallbackList(None, add_progbar=True, verbose=1, epochs=1, steps=200)
    cbl.on_train_begin()
    cbl.on_epoch_begin(0)
    for step in range(200):
        cbl.on_train_batch_end(step, logs)
    cbl.on_epoch_end(0, {"loss": 1.2598})
    out = capsys.readouterr().out
    # drawn at step 1, then at most every 0.05 s: far fewer resolutions than steps
    assert 1 <= len(calls) < 50
    final = out.split("\r")[-1]
    bar = "━" * 20
    pattern = (rf"^{ESC(chr(27))}\[1m200/200{ESC(chr(27))}\[0m {ESC(chr(27))}\[32m{bar}{ESC(chr(27))}\[0m"
               rf"{ESC(chr(27))}\[37m{ESC(chr(27))}\[0m {ESC(chr(27))}\[1m\d+s{ESC(chr(27))}\[0m {TIME}"
               rf" - loss: 1\.2598 *\n$")  # padded to overwrite a wider previous line
    assert re.match(pattern, final), repr(final)
    assert not out.startswith("Epoch")


def test_verbose1_running_line_shows_eta_and_partial_bar(capsys):
    bar = Progbar(10, verbose=1)
    bar.update(1, [("loss", 2.0)])
    bar.update(5, [("loss", 1.0)])  # throttled: no redraw
    out = capsys.readouterr().out
    assert out.count("\r") == 1
    assert "\x1b[1m 1/10\x1b[0m \x1b[32m━━\x1b[0m\x1b[37m" + "━" * 18 + "\x1b[0m" in out
    assert re.search(r"\x1b\[1m\d+s\x1b\[0m \d+(ms|us|s)/step - loss: 2\.0000$", out)
    bar.update(10, [("loss", 0.5)])
    out = capsys.readouterr().out
    assert out.startswith("\b") and "\r" in out  # erases the previous line, then redraws
    assert out.endswith(" - loss: 0.5000\n")


def test_unknown_target_is_learned_after_first_epoch(capsys):
    cbl = callbacks.CallbackList(None, add_progbar=True, verbose=2, epochs=2, steps=None)
    cbl.on_train_begin()
    for epoch in range(2):
        cbl.on_epoch_begin(epoch)
        for step in range(12):
            cbl.on_train_batch_end(step, None)
        cbl.on_epoch_end(epoch, {"loss": 0.5})
    out = capsys.readouterr().out.splitlines()
    assert re.match(rf"^12/12 - \d+s - {TIME} - loss: 0\.5000$", out[1])
    assert re.match(r"^12/12 - ", out[3])


def test_unknown_target_live_bar(capsys):
    bar = Progbar(None, verbose=1)
    bar.update(3, [("loss", 1.0)])
    out = capsys.readouterr().out
    assert "      3/Unknown" in out


def test_time_units():
    from torkeras.utils.progbar import format_duration_per_unit
    assert format_duration_per_unit(2.4) == " 2s/step"
    assert format_duration_per_unit(0.003) == " 3ms/step"
    assert format_duration_per_unit(0.000818) == " 818us/step"
    assert format_duration_per_unit(0) == " 0s/step"


def test_values_averaged_unless_stateful(capsys):
    bar = Progbar(4, verbose=2, stateful_metrics=["acc"])
    bar.update(1, [("loss", 1.0), ("acc", 0.1)])
    bar.update(2, [("loss", 3.0), ("acc", 0.2)])
    # loss is averaged over steps ((1 + 3) / 2); acc is shown as given
    assert bar._values["loss"] == [4.0, 2] and bar._values["acc"] == [0.2, 1]
    bar.update(4, [("loss", 0.7)])
    out = capsys.readouterr().out
    assert "loss: 0.7000" in out and "acc: 0.2000" in out
