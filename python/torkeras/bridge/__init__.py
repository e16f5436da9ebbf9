"""R-specific helpers for the torkeras R package.

Everything the R package needs on the Python side that Python users do not:
converting what reticulate hands over from R (float64, column-major arrays,
lists for tuples) into what the engine expects, and returning results in
shapes that convert cleanly back to R. The engine never imports this package.
"""

from torkeras.bridge.data import from_r  # noqa: F401
from torkeras.bridge.training import (  # noqa: F401
    evaluate,
    fit,
    load_dataset,
    predict,
    predict_on_batch,
    summary_text,
    test_on_batch,
    train_on_batch,
)
