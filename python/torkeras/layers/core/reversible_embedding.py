"""ReversibleEmbedding: an Embedding that can also project hidden states
back to vocabulary logits (`reverse=True`), with the transposed embedding
matrix (tied weights) or a separate `reverse_embeddings` matrix."""

import torch

from torkeras import dtypes
from torkeras.graph.keras_tensor import KerasTensor
from torkeras.layers.core.embedding import Embedding


class ReversibleEmbedding(Embedding):
    """An `Embedding` that can be called in reverse.

    `layer(ids)` looks up embeddings as `Embedding` does;
    `layer(hidden, reverse=True)` computes `hidden @ embeddings^T` (or
    `hidden @ reverse_embeddings` when `tie_weights=False`), the logits over
    the `input_dim` vocabulary. No bias.

    Args:
        input_dim: Vocabulary size (largest id + 1).
        output_dim: Size of each embedding vector.
        tie_weights: Whether the reverse projection uses the transposed
            `embeddings` (default) or its own trainable
            `reverse_embeddings` matrix of shape `(output_dim, input_dim)`.
        embeddings_initializer: Initializer of the matrices.
        embeddings_regularizer: Regularizer of `embeddings`.
        embeddings_constraint: Constraint of `embeddings`.
        mask_zero: Whether id 0 is padding (masked); only the forward call
            produces a mask.
        reverse_dtype: Dtype of the reverse projection (inputs and matrix
            are cast to it); default the layer's compute dtype.
        logit_soft_cap: If set, reverse logits become
            `tanh(logits / logit_soft_cap) * logit_soft_cap`.
        **kwargs: Other `Embedding` arguments (`name`, `dtype`, `lora_rank`...).
    """

    def __init__(self, input_dim, output_dim, tie_weights=True, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False,
                 reverse_dtype=None, logit_soft_cap=None, **kwargs):
        super().__init__(input_dim, output_dim, embeddings_initializer=embeddings_initializer,
                         embeddings_regularizer=embeddings_regularizer,
                         embeddings_constraint=embeddings_constraint, mask_zero=mask_zero,
                         **kwargs)
        self.tie_weights = bool(tie_weights)
        if reverse_dtype is not None:
            reverse_dtype = dtypes.name_of(reverse_dtype)
        self.reverse_dtype = reverse_dtype
        if logit_soft_cap is not None and (isinstance(logit_soft_cap, bool) or
                                           not isinstance(logit_soft_cap, (int, float)) or
                                           logit_soft_cap <= 0):
            raise ValueError("ReversibleEmbedding: `logit_soft_cap` must be None or a positive "
                             f"number; received: logit_soft_cap={logit_soft_cap!r}")
        self.logit_soft_cap = logit_soft_cap

    def build(self, input_shape=None):
        if self.built:
            return
        super().build(input_shape)
        if not self.tie_weights:
            self.reverse_embeddings = self.add_weight(
                shape=(self.output_dim, self.input_dim), initializer=self.embeddings_initializer,
                name="reverse_embeddings", trainable=True)

    def call(self, inputs, reverse=False):
        if not reverse:
            return super().call(inputs)
        if self.tie_weights:
            kernel = self.embeddings
            kernel = (kernel.value if hasattr(kernel, "value") else kernel).t()
        else:
            kernel = self.reverse_embeddings.value
        if self.reverse_dtype is not None:
            target = dtypes.to_torch(self.reverse_dtype)
            inputs, kernel = inputs.to(target), kernel.to(target)
        elif kernel.dtype is not inputs.dtype:
            kernel = kernel.to(inputs.dtype)
        logits = torch.matmul(inputs, kernel)
        if self.logit_soft_cap is not None:
            logits = torch.tanh(logits / self.logit_soft_cap) * self.logit_soft_cap
        return logits

    def compute_mask(self, inputs, mask=None):
        # Only the forward (integer ids) call is masked.
        if not self.mask_zero or inputs.dtype.is_floating_point:
            return None
        return inputs != 0

    def compute_output_shape(self, input_shape, reverse=False):
        if reverse:
            return tuple(input_shape[:-1]) + (self.input_dim,)
        return tuple(input_shape) + (self.output_dim,)

    def compute_output_spec(self, inputs, reverse=False):
        dtype = self.compute_dtype
        if reverse and self.reverse_dtype is not None:
            dtype = self.reverse_dtype
        return KerasTensor(self.compute_output_shape(tuple(inputs.shape), reverse), dtype)

    def get_config(self):
        config = super().get_config()
        config.update({"tie_weights": self.tie_weights, "reverse_dtype": self.reverse_dtype,
                       "logit_soft_cap": self.logit_soft_cap})
        return config
