"""The R bridge on real R objects: R (embedded with rpy2) passes its values to
this package through reticulate, exactly as the R package does."""

import json
import os
import subprocess
import sys

import pytest

SESSION = os.path.join(os.path.dirname(__file__), "rpy2_bridge_session.py")


@pytest.fixture(scope="module")
def report():
    env = dict(os.environ, RETICULATE_PYTHON=sys.executable)
    proc = subprocess.run([sys.executable, SESSION], capture_output=True, text=True, env=env,
                          timeout=300)
    lines = [l for l in proc.stdout.splitlines() if l.lstrip().startswith("REPORT ")]
    assert lines, f"no report (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    result = json.loads(lines[-1].lstrip()[len("REPORT "):])
    assert "error" not in result, result.get("error")
    return result


def test_r_and_python_share_one_interpreter(report):
    assert report["same_interpreter"]


def test_double_matrix_becomes_row_major_floatx(report):
    m = report["dbl_matrix"]
    assert m["dtype"] == "float32" and m["c_contiguous"]
    assert report["dbl_matrix_tensor"] == "float32"
    # R fills column by column: matrix(c(1.5, ..., 6.5), nrow = 2)
    assert m["values"] == [[1.5, 3.5, 5.5], [2.5, 4.5, 6.5]]


def test_integer_labels_stay_integers_and_logicals_become_floats(report):
    # reticulate passes dimensionless vectors as Python lists
    assert report["int_vector"] == {"dtype": "int64", "values": [3, 1, 2]}
    assert report["lgl_vector"] == {"dtype": "float32", "values": [1.0, 0.0, 1.0]}


def test_three_dimensional_array_keeps_r_indexing(report):
    # R's x[2, 3, 4] of array(1:24, c(2, 3, 4)) is 2 + (3-1)*2 + (4-1)*6 = 24
    assert report["array_3d"] == {"shape": [2, 3, 4], "a_1_2_3": 24.0}


def test_lists_and_null(report):
    assert report["named"] == {"a": 1.5, "b": [1, 2]}
    assert report["unnamed"] == [1.5, "x"]
    assert report["null"] is None
    assert report["na_shape"] == [None, 3]


def test_r_api_conventions(report):
    assert report["op_sum_axis1"] == [3.0, 7.0]        # colSums
    assert report["op_argmax_axis2"] == [2, 1]          # max.col, 1-based
    assert "units" in report["units_error"]
    assert report["predict"] == [4.5, 6.0]
