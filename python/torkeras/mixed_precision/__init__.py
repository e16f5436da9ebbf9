"""`keras.mixed_precision`: Keras 3's legacy names for dtype policies and the
loss scale optimizer."""

from torkeras.dtype_policies.dtype_policy import DTypePolicy, dtype_policy, set_dtype_policy
from torkeras.optimizers.loss_scale_optimizer import LossScaleOptimizer

Policy = DTypePolicy
global_policy = dtype_policy
set_global_policy = set_dtype_policy

__all__ = ["DTypePolicy", "LossScaleOptimizer", "Policy", "dtype_policy", "global_policy",
           "set_dtype_policy", "set_global_policy"]
