import os
import re
import runpy

DEMO = os.path.join(os.path.dirname(__file__), "..", "..", "inst", "examples", "demo.py")


# Uses Debian's dataset-fashion-mnist, which `make test` installs.
def test_python_demo_prints_guide_formats(capsys):
    demo = runpy.run_path(DEMO)
    model, history, results, predictions = demo["main"](rows=1200)
    out = capsys.readouterr().out
    assert " Total params: 55,050 (215.04 KB)" in out
    assert re.search(r"^Epoch 1/2\n16/16 - \d+s - \d+(ms|us|s)/step - loss: \d\.\d{4} - "
                     r"sparse_categorical_accuracy: \d\.\d{4} - val_loss: \d\.\d{4} - "
                     r"val_sparse_categorical_accuracy: \d\.\d{4}$", out, re.M)
    assert re.search(r"^79/79 - \d+s - \d+(ms|us|s)/step - loss: ", out, re.M)
    assert predictions.shape == (2, 10)
    assert sorted(history.history) == ["loss", "sparse_categorical_accuracy", "val_loss",
                                       "val_sparse_categorical_accuracy"]
    # training on real data learns something: better than chance (10%)
    assert results[1] > 0.5
