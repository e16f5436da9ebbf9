"""`keras.utils`: helpers that are not layers, models or training components."""

from torkeras.config import set_random_seed  # noqa: F401
from torkeras.utils.file_utils import get_file  # noqa: F401
from torkeras.utils.model_utils import (  # noqa: F401
    clear_session, get_source_inputs, pack_x_y_sample_weight, unpack_x_y_sample_weight)
from torkeras.utils.model_visualization import model_to_dot, plot_model  # noqa: F401
from torkeras.utils.numerical_utils import normalize, to_categorical  # noqa: F401
from torkeras.utils.py_dataset import PyDataset, Sequence  # noqa: F401
from torkeras.utils.sequence_utils import pad_sequences  # noqa: F401
from torkeras.utils.image_utils import array_to_img, img_to_array, load_img, save_img  # noqa: F401
from torkeras.utils.timeseries import timeseries_dataset_from_array  # noqa: F401
from torkeras.utils.dataset_split import split_dataset  # noqa: F401
