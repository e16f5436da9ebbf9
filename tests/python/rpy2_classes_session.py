"""Runs inside a subprocess of test_bridge_classes.py: embeds R with rpy2,
defines classes with the R factories (Layer(), Loss(), Callback()) and hands
the resulting Python classes to this interpreter through reticulate; Python
then uses (and subclasses) them like any class, and prints what happened as
JSON. Also drives torkeras.bridge.classes.make_class directly with R
functions made callable by reticulate.

rpy2 + reticulate crash while shutting R down, so the script leaves with
os._exit once its report is printed.
"""

import inspect
import json
import os
import sys

import numpy as np
import rpy2.robjects as ro
import torch

import torkeras
from torkeras.bridge import classes


def main():
    ro.r("""
      suppressPackageStartupMessages(library(torkeras))
      py <- reticulate::import_main(convert = FALSE)
      py_class_of <- function(ctor) torkeras:::.class_py(environment(ctor)$`__torkeras_class__`)

      Scale <- Layer(
        "Scale",
        initialize = function(factor = 2, ...) {
          super$initialize(...)
          self$factor <- factor
          private$calls <- 0
        },
        call = function(inputs, training = NULL) {
          private$calls <- private$calls + 1
          seen_training <<- c(seen_training, if (is.null(training)) NA else training)
          inputs * self$factor
        },
        calls = function() private$calls
      )
      seen_training <- logical()
      py$Scale <- py_class_of(Scale)

      CustomMSE <- Loss(
        "CustomMSE",
        initialize = function(regularization_factor = 0.1, name = "custom_mse") {
          super$initialize(name = name)
          self$regularization_factor <- regularization_factor
        },
        call = function(y_true, y_pred) {
          mse <- op_mean(op_square(y_true - y_pred), axis = -1)
          reg <- op_mean(op_square(0.5 - y_pred), axis = -1)
          mse + reg * self$regularization_factor
        }
      )
      py$CustomMSE <- py_class_of(CustomMSE)

      epochs_seen <- integer()
      EpochLog <- Callback(
        "EpochLog",
        on_epoch_end = function(epoch, logs = NULL) {
          epochs_seen <<- c(epochs_seen, epoch)
          list(r_epoch = epoch, loss_names = paste(sort(names(logs)), collapse = ","))
        }
      )
      py$EpochLog <- py_class_of(EpochLog)

      # a bare R function, made callable the way the factories do it
      py$r_twice <- reticulate::r_to_py(function(self, x, by = 2) x * by, convert = TRUE)
    """)
    main_mod = sys.modules["__main__"]
    report = {}

    Scale = main_mod.Scale
    report["scale_is_layer"] = issubclass(Scale, torkeras.layers.Layer)
    report["scale_name"] = Scale.__name__
    report["scale_module"] = Scale.__module__
    report["call_signature"] = str(inspect.signature(Scale.call))
    report["init_signature"] = str(inspect.signature(Scale.__init__))
    layer = Scale(factor=3.0, name="scale_py")
    out = layer(torch.ones(2, 2))
    report["scale_out"] = out.tolist()
    report["scale_layer_name"] = layer.name
    report["scale_calls"] = float(layer.calls())

    # a Python subclass of the R-defined class; super() reaches the R method
    class Shifted(Scale):
        def call(self, inputs, training=None):
            return super().call(inputs, training=training) + 1

    shifted = Shifted(factor=2.0)
    report["shifted_out"] = shifted(torch.ones(1, 2)).tolist()

    # in a model: training=True in fit, False in predict (R sees the flags)
    inputs = torkeras.Input(shape=(2,))
    model = torkeras.Model(inputs, Scale(factor=1.0)(torkeras.layers.Dense(1)(inputs)))
    model.compile(optimizer="sgd", loss=main_mod.CustomMSE())
    ro.r("seen_training <- logical()")
    history = model.fit(np.ones((4, 2), "float32"), np.zeros((4, 1), "float32"), epochs=2,
                        batch_size=4, verbose=0, callbacks=[main_mod.EpochLog()])
    report["training_in_fit"] = [bool(v) for v in ro.r("seen_training")]
    ro.r("seen_training <- logical()")
    model.predict(np.ones((4, 2), "float32"), verbose=0)
    report["training_in_predict"] = [bool(v) for v in ro.r("seen_training")]
    report["epochs_seen_in_r"] = [int(v) for v in ro.r("epochs_seen")]
    report["history_r_epoch"] = history.history.get("r_epoch")
    report["history_loss_names"] = history.history.get("loss_names")

    loss = main_mod.CustomMSE(regularization_factor=1.0)
    y_true = np.array([[0.0, 1.0], [1.0, 0.0]], "float32")
    y_pred = np.array([[0.2, 0.7], [0.6, 0.3]], "float32")
    report["custom_mse"] = float(loss(y_true, y_pred))
    report["custom_mse_expected"] = float(np.mean(np.mean((y_true - y_pred) ** 2, -1)
                                                  + np.mean((0.5 - y_pred) ** 2, -1)))

    # make_class with a bare R function as a method
    spec = [{"name": "x", "kind": "positional"},
            {"name": "by", "kind": "positional", "default": 2}]
    Twice = classes.make_class(
        "Twice", [torkeras.layers.Layer],
        {"twice": classes.r_method("twice", main_mod.r_twice, spec)})
    t = Twice()
    report["twice_signature"] = str(inspect.signature(Twice.twice))
    report["twice_default"] = float(t.twice(5.0))
    report["twice_by"] = float(t.twice(5.0, by=10))

    # private state is per instance (its release on garbage collection is
    # tested in testthat: R's gc() cannot run under rpy2, which releases the GIL)
    other = Scale(factor=1.0)
    other(torch.ones(1, 1))
    other(torch.ones(1, 1))
    report["private_per_instance"] = [float(layer.calls()), float(other.calls())]
    return report


if __name__ == "__main__":
    try:
        out = main()
    except BaseException as e:  # report the failure instead of dying in R's shutdown
        import traceback
        out = {"error": f"{type(e).__name__}: {e}", "traceback": traceback.format_exc()}
    print("\nREPORT " + json.dumps(out), flush=True)
    os._exit(0)
