"""MNIST handwritten digits: 70,000 28x28 grayscale images of the digits 0-9.

The data comes from Keras's copy, ``mnist.npz``, downloaded once into the
Keras cache (``$KERAS_HOME`` or ``~/.keras``, sub-directory ``datasets``) and
verified against its sha256 before use.
"""

import zipfile

import numpy as np

from torkeras.utils.file_utils import DownloadError, get_file

__all__ = ["load_data"]

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
# sha256 of mnist.npz, the file_hash Keras (keras/src/datasets/mnist.py and
# tf.keras before it) passes to get_file for this origin.
FILE_HASH = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
CACHE_SUBDIR = "datasets"

_KEYS = ("x_train", "y_train", "x_test", "y_test")


def load_data(path="mnist.npz"):
    """Load the MNIST dataset.

    Args:
        path: where to cache the file, relative to ``<keras cache>/datasets``
            (an absolute path is used as is).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 arrays, images of shape
        ``(60000, 28, 28)`` / ``(10000, 28, 28)``, labels of shape ``(n,)``
        with values 0-9.
    """
    try:
        fpath = get_file(
            path, origin=ORIGIN, file_hash=FILE_HASH, cache_subdir=CACHE_SUBDIR
        )
    except DownloadError as e:
        raise DownloadError(
            f"Could not load MNIST: {e}. The expected file is mnist.npz with "
            f"sha256 {FILE_HASH}."
        ) from e
    try:
        with np.load(fpath, allow_pickle=False) as f:
            missing = [k for k in _KEYS if k not in f.files]
            if missing:
                raise ValueError(
                    f"{fpath} is not an MNIST archive: missing {', '.join(missing)}."
                )
            x_train, y_train = f["x_train"], f["y_train"]
            x_test, y_test = f["x_test"], f["y_test"]
    except (zipfile.BadZipFile, OSError) as e:
        if isinstance(e, FileNotFoundError):
            raise
        raise ValueError(f"{fpath} is not a readable .npz archive ({e}).") from e
    return (x_train, y_train), (x_test, y_test)

