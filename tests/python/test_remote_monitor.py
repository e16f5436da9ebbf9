"""RemoteMonitor against a local HTTP server on 127.0.0.1 (in a thread,
bounded: it serves until the test stops it, with a timeout on each request)."""

import http.server
import json
import threading
import urllib.parse
import warnings

import numpy as np
import pytest

import torkeras as keras


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length)
        self.server.received.append({"path": self.path, "headers": dict(self.headers),
                                     "body": body})
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):  # keep the test output quiet
        pass


@pytest.fixture
def server():
    srv = http.server.HTTPServer(("127.0.0.1", 0), _Handler)
    srv.timeout = 5
    srv.received = []
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(timeout=5)
        assert not thread.is_alive()


def _root(srv):
    return f"http://127.0.0.1:{srv.server_address[1]}"


def _fit(callback, epochs=2):
    keras.utils.set_random_seed(3)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 3)).astype("float32")
    y = x @ np.array([[1.0], [-2.0], [0.5]], dtype="float32")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    return model.fit(x, y, epochs=epochs, batch_size=8, validation_data=(x, y),
                     callbacks=[callback], verbose=0)


def test_posts_json_body_each_epoch(server):
    cb = keras.callbacks.RemoteMonitor(root=_root(server), path="/metrics",
                                       headers={"X-Run": "abc"}, send_as_json=True)
    history = _fit(cb)
    assert len(server.received) == 2
    for epoch, req in enumerate(server.received):
        assert req["path"] == "/metrics"
        assert req["headers"]["Content-Type"] == "application/json"
        assert req["headers"]["X-Run"] == "abc"
        payload = json.loads(req["body"])
        assert payload["epoch"] == epoch
        assert set(payload) == {"epoch", "loss", "mae", "val_loss", "val_mae"}
        for key in ("loss", "mae", "val_loss", "val_mae"):
            assert payload[key] == pytest.approx(history.history[key][epoch], rel=1e-6)


def test_posts_form_field_by_default(server):
    cb = keras.callbacks.RemoteMonitor(root=_root(server), field="payload")
    assert cb.path == "/publish/epoch/end/"
    history = _fit(cb, epochs=1)
    (req,) = server.received
    assert req["path"] == "/publish/epoch/end/"
    assert req["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    form = urllib.parse.parse_qs(req["body"].decode())
    assert list(form) == ["payload"]
    payload = json.loads(form["payload"][0])
    assert payload["epoch"] == 0
    assert payload["loss"] == pytest.approx(history.history["loss"][0], rel=1e-6)


def test_unreachable_server_warns_and_training_goes_on():
    # A port nothing listens on: bind one, then close it.
    probe = http.server.HTTPServer(("127.0.0.1", 0), _Handler)
    port = probe.server_address[1]
    probe.server_close()
    cb = keras.callbacks.RemoteMonitor(root=f"http://127.0.0.1:{port}", timeout=2)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = _fit(cb)
    assert len(history.history["loss"]) == 2
    assert sum("RemoteMonitor could not reach" in str(w.message) for w in caught) == 2
