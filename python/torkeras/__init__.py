"""torkeras: the Keras 3 API on a torch-native engine.

    import torkeras as keras
    inputs = keras.Input(shape=(784,))
    outputs = keras.layers.Dense(10, activation="softmax")(inputs)
    model = keras.Model(inputs, outputs)
"""

from torkeras._version import __version__  # noqa: F401

from torkeras import activations, config, constraints, initializers, regularizers  # noqa: F401
from torkeras import layers  # noqa: F401
from torkeras import ops, random  # noqa: F401
from torkeras import losses, metrics, optimizers, callbacks  # noqa: F401
from torkeras import datasets, utils  # noqa: F401
from torkeras import preprocessing  # noqa: F401
from torkeras.layers import Input, InputLayer, Layer  # noqa: F401
from torkeras.models import Functional, Model, Sequential  # noqa: F401
from torkeras.variables import Variable  # noqa: F401
from torkeras.graph import KerasTensor  # noqa: F401
from torkeras import models  # noqa: F401
from torkeras import saving  # noqa: F401
from torkeras.autodiff import GradientTape, value_and_grad  # noqa: F401
from torkeras.step_compiler import compile_function  # noqa: F401
from torkeras import dtype_policies, mixed_precision  # noqa: F401
from torkeras.dtype_policies import DTypePolicy, FloatDTypePolicy  # noqa: F401
