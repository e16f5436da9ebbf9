"""`keras.callbacks`: hooks into the fit/evaluate/predict loops."""

from torkeras.callbacks.callback import Callback
from torkeras.callbacks.callback_list import CallbackList
from torkeras.callbacks.history import History
from torkeras.callbacks.progbar_logger import ProgbarLogger
from torkeras.callbacks.remote_monitor import RemoteMonitor
from torkeras.callbacks.tensorboard import TensorBoard

__all__ = ["Callback", "CallbackList", "History", "ProgbarLogger", "RemoteMonitor",
           "TensorBoard"]
