"""Fashion-MNIST: 70,000 28x28 grayscale images of 10 clothing categories.

Labels: 0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal,
6 Shirt, 7 Sneaker, 8 Bag, 9 Ankle boot. The data is (c) Zalando SE, MIT
licensed (https://github.com/zalandoresearch/fashion-mnist).

Where the files come from, in order:

1. ``load_data(data_dir=...)`` or the ``TORKERAS_FASHION_MNIST_DIR``
   environment variable: a directory holding the four ``.gz`` files (an
   explicit choice, so missing files there are an error);
2. Debian's ``dataset-fashion-mnist`` package, ``/usr/share/datasets/fashion-mnist``,
   when all four files are present;
3. otherwise the Keras origin, downloaded once into
   ``<keras cache>/datasets/fashion-mnist`` with sha256 verification.

Local files (1, 2) are not hash-checked: Debian recompressed its copies, so
their bytes differ from upstream's. They are validated structurally instead
(IDX magic numbers, 28x28 images, matching image/label counts).
"""

import os

from torkeras.datasets._idx import IMAGES_MAGIC, LABELS_MAGIC, read_idx
from torkeras.utils.file_utils import get_file

__all__ = ["load_data"]

ENV_VAR = "TORKERAS_FASHION_MNIST_DIR"
SYSTEM_DIR = "/usr/share/datasets/fashion-mnist"
BASE_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
CACHE_SUBDIR = os.path.join("datasets", "fashion-mnist")

TRAIN_LABELS = "train-labels-idx1-ubyte.gz"
TRAIN_IMAGES = "train-images-idx3-ubyte.gz"
TEST_LABELS = "t10k-labels-idx1-ubyte.gz"
TEST_IMAGES = "t10k-images-idx3-ubyte.gz"
FILES = (TRAIN_LABELS, TRAIN_IMAGES, TEST_LABELS, TEST_IMAGES)

# sha256 of the upstream .gz archives. Source: Keras's own
# keras/src/datasets/fashion_mnist.py (FILE_HASHES); the same four digests are
# published by many independent projects next to Zalando's official MD5s
# (8d4fb7e6..., 25c81989..., bef4ecab..., bb300cfd...), i.e. they are the
# hashes of the original Zalando files that Keras mirrors.
FILE_HASHES = {
    TRAIN_LABELS: "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
    TRAIN_IMAGES: "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
    TEST_LABELS: "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
    TEST_IMAGES: "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
}


def _local_paths(directory):
    return {name: os.path.join(directory, name) for name in FILES}


def _resolve_paths(data_dir):
    explicit = data_dir if data_dir is not None else os.environ.get(ENV_VAR) or None
    if explicit is not None:
        directory = os.path.expanduser(os.fspath(explicit))
        paths = _local_paths(directory)
        missing = [n for n, p in paths.items() if not os.path.isfile(p)]
        if missing:
            source = "data_dir" if data_dir is not None else f"${ENV_VAR}"
            raise FileNotFoundError(
                f"Fashion-MNIST files missing from {directory} (set by {source}): "
                f"{', '.join(missing)}."
            )
        return paths
    paths = _local_paths(SYSTEM_DIR)
    if all(os.path.isfile(p) for p in paths.values()):
        return paths
    return {
        name: get_file(
            name,
            origin=BASE_ORIGIN + name,
            cache_subdir=CACHE_SUBDIR,
            file_hash=FILE_HASHES[name],
        )
        for name in FILES
    }


def _load_split(labels_path, images_path):
    y = read_idx(labels_path, expected_magic=LABELS_MAGIC)
    x = read_idx(images_path, expected_magic=IMAGES_MAGIC, expected_shape=(None, 28, 28))
    if len(x) != len(y):
        raise ValueError(
            f"Fashion-MNIST files disagree: {images_path} holds {len(x)} images "
            f"but {labels_path} holds {len(y)} labels."
        )
    return x, y


def load_data(*, data_dir=None):
    """Load the Fashion-MNIST dataset.

    Args:
        data_dir: optional directory holding ``train-images-idx3-ubyte.gz``,
            ``train-labels-idx1-ubyte.gz``, ``t10k-images-idx3-ubyte.gz`` and
            ``t10k-labels-idx1-ubyte.gz`` (default: ``$TORKERAS_FASHION_MNIST_DIR``,
            then Debian's package directory, then download + cache).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 arrays, images of
        shape ``(n, 28, 28)`` (60,000 train / 10,000 test for the real data)
        and labels of shape ``(n,)`` with values 0-9.
    """
    paths = _resolve_paths(data_dir)
    x_train, y_train = _load_split(paths[TRAIN_LABELS], paths[TRAIN_IMAGES])
    x_test, y_test = _load_split(paths[TEST_LABELS], paths[TEST_IMAGES])
    return (x_train, y_train), (x_test, y_test)
