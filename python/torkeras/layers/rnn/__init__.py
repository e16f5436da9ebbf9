"""Recurrent layers: cells (one time step), the generic `RNN` loop over a
cell, the LSTM / GRU / SimpleRNN layers (fused torch kernels when the
configuration allows) and the `Bidirectional` wrapper."""
