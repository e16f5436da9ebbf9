"""`RemoteMonitor`: posts each epoch's logs to an HTTP server."""

import json
import urllib.error
import urllib.parse
import urllib.request
import warnings

from torkeras.callbacks.callback import Callback


class RemoteMonitor(Callback):
    """Sends the epoch logs to `root + path` with an HTTP POST at each epoch end.

    The payload is a dict with `epoch` (0-based, as in Keras) and every log
    value as a Python number. With `send_as_json=False` (the default, as in
    Keras) it is sent form-encoded, the JSON text in the form field `field`;
    with `send_as_json=True` the body is the JSON itself
    (`Content-Type: application/json`). A failed request only warns: training
    goes on.

    Args:
        root: root URL of the target server.
        path: path relative to `root` the events are sent to.
        field: form field holding the JSON payload (form-encoded mode only).
        headers: optional dict of extra HTTP headers.
        send_as_json: send the payload as a JSON body.
        timeout: seconds to wait for the server (not in Keras; default 10).
    """

    def __init__(self, root="http://localhost:9000", path="/publish/epoch/end/", field="data",
                 headers=None, send_as_json=False, timeout=10):
        super().__init__()
        self.root = root
        self.path = path
        self.field = field
        self.headers = dict(headers) if headers else {}
        self.send_as_json = send_as_json
        self.timeout = timeout

    def _payload(self, epoch, logs):
        send = {"epoch": epoch}
        for key, value in (logs or {}).items():
            if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
                value = value.item()
            elif hasattr(value, "tolist"):
                value = value.tolist()
            send[key] = value
        return send

    def on_epoch_end(self, epoch, logs=None):
        send = self._payload(epoch, logs)
        headers = dict(self.headers)
        if self.send_as_json:
            body = json.dumps(send).encode("utf-8")
            headers.setdefault("Content-Type", "application/json")
        else:
            body = urllib.parse.urlencode({self.field: json.dumps(send)}).encode("utf-8")
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        request = urllib.request.Request(self.root + self.path, data=body, headers=headers,
                                         method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except (urllib.error.URLError, OSError, ValueError) as e:
            warnings.warn(f"RemoteMonitor could not reach the server at {self.root + self.path}: "
                          f"{e}", stacklevel=2)
