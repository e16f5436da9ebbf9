"""Whole-sequence recurrent kernels from torch (`torch.lstm`, `torch.gru`,
`torch.rnn_tanh`, `torch.rnn_relu`: the functions behind `torch.nn.LSTM` & co.)
fed with Keras-layout weights.

torch stores weights as (gates*units, features) matrices, gate order
i, f, g, o for LSTM (the same as Keras's i, f, c, o) and r, z, n for GRU
(Keras: z, r, h), with separate input and recurrent biases. The weights are
re-laid out on every call (a transpose and, for GRU, a gate swap), so
gradients flow back to the Keras variables.
"""

import torch


def _run(kernel_fn, sequences, hx, weights, has_biases, go_backwards):
    if go_backwards:
        sequences = torch.flip(sequences, dims=(1,))
    # Arguments: input, hx, params, has_biases, num_layers, dropout, train,
    # bidirectional, batch_first.
    return kernel_fn(sequences, hx, weights, has_biases, 1, 0.0, False, False, True)


def lstm(sequences, h0, c0, kernel, recurrent_kernel, bias, go_backwards=False):
    """(outputs (batch, time, units), h_last, c_last) of a Keras LSTM with
    tanh / sigmoid activations."""
    weights = [kernel.t(), recurrent_kernel.t()]
    if bias is not None:
        weights += [bias, torch.zeros_like(bias)]
    outputs, h, c = _run(torch.lstm, sequences, (h0.unsqueeze(0), c0.unsqueeze(0)),
                         weights, bias is not None, go_backwards)
    return outputs, h[0], c[0]


def _zr_to_rz(matrix, units):
    """Keras GRU gate blocks z, r, h (last axis) -> torch's r, z, n."""
    return torch.cat([matrix[..., units:2 * units], matrix[..., :units],
                      matrix[..., 2 * units:]], dim=-1)


def gru(sequences, h0, kernel, recurrent_kernel, bias, units, go_backwards=False):
    """(outputs, h_last) of a Keras GRU with reset_after=True and tanh /
    sigmoid activations; `bias` is (2, 3*units): input bias, recurrent bias."""
    weights = [_zr_to_rz(kernel, units).t(), _zr_to_rz(recurrent_kernel, units).t()]
    if bias is not None:
        weights += [_zr_to_rz(bias[0], units), _zr_to_rz(bias[1], units)]
    outputs, h = _run(torch.gru, sequences, h0.unsqueeze(0), weights, bias is not None,
                      go_backwards)
    return outputs, h[0]


def simple_rnn(sequences, h0, kernel, recurrent_kernel, bias, nonlinearity, go_backwards=False):
    """(outputs, h_last) of a Keras SimpleRNN with `nonlinearity` "tanh" or "relu"."""
    kernel_fn = torch.rnn_tanh if nonlinearity == "tanh" else torch.rnn_relu
    weights = [kernel.t(), recurrent_kernel.t()]
    if bias is not None:
        weights += [bias, torch.zeros_like(bias)]
    outputs, h = _run(kernel_fn, sequences, h0.unsqueeze(0), weights, bias is not None,
                      go_backwards)
    return outputs, h[0]
