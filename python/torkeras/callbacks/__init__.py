"""`keras.callbacks`: hooks into the fit/evaluate/predict loops."""

from torkeras.callbacks.backup_and_restore import BackupAndRestore
from torkeras.callbacks.callback import Callback
from torkeras.callbacks.callback_list import CallbackList
from torkeras.callbacks.csv_logger import CSVLogger
from torkeras.callbacks.early_stopping import EarlyStopping
from torkeras.callbacks.history import History
from torkeras.callbacks.lambda_callback import LambdaCallback
from torkeras.callbacks.learning_rate_scheduler import LearningRateScheduler
from torkeras.callbacks.model_checkpoint import ModelCheckpoint
from torkeras.callbacks.progbar_logger import ProgbarLogger
from torkeras.callbacks.reduce_lr_on_plateau import ReduceLROnPlateau
from torkeras.callbacks.remote_monitor import RemoteMonitor
from torkeras.callbacks.swap_ema_weights import SwapEMAWeights
from torkeras.callbacks.tensorboard import TensorBoard
from torkeras.callbacks.terminate_on_nan import TerminateOnNaN

__all__ = ["BackupAndRestore", "Callback", "CallbackList", "CSVLogger", "EarlyStopping",
           "History", "LambdaCallback", "LearningRateScheduler", "ModelCheckpoint",
           "ProgbarLogger", "ReduceLROnPlateau", "RemoteMonitor", "SwapEMAWeights",
           "TensorBoard", "TerminateOnNaN"]
