"""Large arrays going back to R, a block of rows at a time.

reticulate 1.28 converts a NumPy array to R through a full intermediate copy:
handing R an array of n values peaks at two R-sized copies (2 * 8n bytes for
doubles) besides the source. For predict() on a large matrix that doubled the
memory the result needs. R instead allocates its array once and fills it
from row blocks of a few MB (`.py_array_to_r()` in R/array-transfer.R); this
module cuts the blocks.

An R array is column-major: in the (rows, rest) matrix view of an array of
shape (n, d1, d2, ...), column j runs over the trailing dimensions with d1
varying fastest. `row_block` lays the rows out in that order, so R can assign
a block with `out[rows, ] <- block`.
"""

import numpy as np

# Rows per block: about this many bytes once converted to R doubles.
BLOCK_BYTES = 4 << 20


def rows_per_block(array):
    """Rows in one block of `array` (at least 1)."""
    values_per_row = max(1, int(np.prod(array.shape[1:], dtype=np.int64)))
    return max(1, BLOCK_BYTES // (8 * values_per_row))


def row_block(array, start, stop):
    """Rows `start:stop` of `array` (at least 1-d, with values in every row)
    as a (stop - start, values per row) array in R's column order."""
    return np.reshape(array[start:stop], (stop - start, -1), order="F")
