"""Runs inside a subprocess of test_bridge_rpy2.py: embeds R with rpy2 in this
Python process, lets R hand real R objects to Python through reticulate (as
the R package does), and prints what the bridge made of them as JSON.

rpy2 + reticulate crash while shutting R down, so the script leaves with
os._exit once its report is printed.
"""

import json
import os
import sys

import numpy as np
import rpy2.robjects as ro

import torkeras
from torkeras.bridge.data import from_r
from torkeras.trainers.data_adapter import to_tensor


def seen_by_engine(obj):
    """What fit() trains on: the bridge conversion, then the data adapter's."""
    t = to_tensor(from_r(obj))
    return {"dtype": str(t.dtype).replace("torch.", ""), "values": t.tolist()}


def main():
    ro.r("library(torkeras)")
    # reticulate attaches to this interpreter, so `py$...` is our __main__.
    ro.r("""
      py <- reticulate::import_main(convert = FALSE)
      py$dbl_matrix <- matrix(c(1.5, 2.5, 3.5, 4.5, 5.5, 6.5), nrow = 2)
      py$int_vector <- c(3L, 1L, 2L)
      py$lgl_vector <- c(TRUE, FALSE, TRUE)
      py$array_3d <- array(as.numeric(1:24), dim = c(2, 3, 4))
      py$named <- list(a = 1.5, b = c(1L, 2L))
      py$unnamed <- list(1.5, "x")
      py$null <- NULL
      py$na_shape <- reticulate::r_to_py(shape(NA, 3))
    """)
    shared = sys.modules["__main__"]
    report = {"same_interpreter": ro.r('reticulate::py_eval("__import__(\\"torkeras\\").__file__")')[0]
              == torkeras.__file__}

    m = from_r(shared.dbl_matrix)
    report["dbl_matrix"] = {"dtype": str(m.dtype), "c_contiguous": bool(m.flags.c_contiguous),
                            "values": m.tolist()}
    report["dbl_matrix_tensor"] = seen_by_engine(shared.dbl_matrix)["dtype"]
    report["int_vector"] = seen_by_engine(shared.int_vector)
    report["lgl_vector"] = seen_by_engine(shared.lgl_vector)
    a = from_r(shared.array_3d)
    report["array_3d"] = {"shape": list(a.shape), "a_1_2_3": float(a[1, 2, 3])}
    report["named"] = {k: (v.tolist() if isinstance(v, np.ndarray) else v)
                       for k, v in from_r(shared.named).items()}
    report["unnamed"] = from_r(shared.unnamed)
    report["null"] = shared.null
    report["na_shape"] = list(shared.na_shape)

    # The R API: 1-based axes, integer coercion errors, and a model's numbers.
    report["op_sum_axis1"] = list(ro.r("as.numeric(op_convert_to_numpy(op_sum(matrix(c(1, 2, 3, 4), 2), axis = 1)))"))
    report["op_argmax_axis2"] = list(ro.r("as.integer(op_convert_to_numpy(op_argmax(matrix(c(1, 9, 5, 2), 2), axis = 2)))"))
    report["units_error"] = str(ro.r("tryCatch(layer_dense(units = 2.5), error = conditionMessage)")[0])
    report["predict"] = list(ro.r("""
      model <- keras_model_sequential(input_shape = 2) |>
        layer_dense(1, kernel_initializer = "ones")
      as.numeric(predict(model, matrix(c(1.5, 2, 3, 4), 2), verbose = 0))
    """))
    return report


if __name__ == "__main__":
    try:
        out = main()
    except BaseException as e:  # report the failure instead of dying in R's shutdown
        out = {"error": f"{type(e).__name__}: {e}"}
    # R's startup warning may leave the line open: start a fresh one.
    print("\nREPORT " + json.dumps(out), flush=True)
    os._exit(0)
