"""`keras.ops`: NumPy-style and neural-network functions on torch tensors.

Inputs may be torch tensors, NumPy arrays, Python scalars or Variables; any
KerasTensor argument turns the call into a graph node (see `symbolic.py`).
"""

from torkeras.ops.core import convert_to_tensor
from torkeras.ops.numpy import *  # noqa: F401,F403
from torkeras.ops.numpy import (abs, all, amax, amin, any, max, min, round, sum,  # noqa: F401
                                 shape, dtype)
from torkeras.ops.nn import *  # noqa: F401,F403
from torkeras.ops import numpy, nn  # noqa: F401
from torkeras.ops import image  # noqa: F401
# Keras's ops.linalg / ops.math / ops.core families (after numpy and nn: their
# norm, logsumexp, ... are the Keras-family versions).
from torkeras.ops.linalg import *  # noqa: F401,F403,E402
from torkeras.ops.math import *  # noqa: F401,F403,E402
from torkeras.ops.control_flow import *  # noqa: F401,F403,E402
from torkeras.ops import linalg, math, control_flow  # noqa: F401,E402
