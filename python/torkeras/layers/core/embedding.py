"""Embedding: integer indices -> rows of an `(input_dim, output_dim)` matrix."""

import warnings

import torch
import torch.nn.functional as F

from torkeras.layers.core import arg_utils as U
from torkeras.layers.layer import Layer


class Embedding(Layer):
    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False,
                 weights=None, lora_rank=None, **kwargs):
        if "input_length" in kwargs:
            kwargs.pop("input_length")
            warnings.warn("Argument `input_length` is deprecated. Just remove it.", stacklevel=2)
        super().__init__(**kwargs)
        self.input_dim = U.positive_int(input_dim, "input_dim", "Embedding")
        self.output_dim = U.positive_int(output_dim, "output_dim", "Embedding")
        self.embeddings_initializer = U.get_initializer(embeddings_initializer)
        self.embeddings_regularizer = U.get_regularizer(embeddings_regularizer)
        self.embeddings_constraint = U.get_constraint(embeddings_constraint)
        self.mask_zero = bool(mask_zero)
        self.supports_masking = self.mask_zero
        U.check_lora(lora_rank, "Embedding")
        self.lora_rank = lora_rank
        if weights is not None:
            self.build()
            if not (isinstance(weights, list) and len(weights) == 1):
                weights = [weights]
            self.set_weights(weights)

    def build(self, input_shape=None):
        if self.built:
            return
        self.embeddings = self.add_weight(shape=(self.input_dim, self.output_dim),
                                          initializer=self.embeddings_initializer,
                                          regularizer=self.embeddings_regularizer,
                                          constraint=self.embeddings_constraint,
                                          name="embeddings")
        self.built = True

    def call(self, inputs):
        if inputs.dtype is not torch.int64:
            inputs = inputs.long()
        return F.embedding(inputs, self.embeddings._value)

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return inputs != 0

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.output_dim,)

    def get_config(self):
        config = super().get_config()
        config.update({
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": U.serialize_initializer(self.embeddings_initializer),
            "embeddings_regularizer": U.serialize_regularizer(self.embeddings_regularizer),
            "activity_regularizer": U.serialize_regularizer(self.activity_regularizer),
            "embeddings_constraint": U.serialize_constraint(self.embeddings_constraint),
            "mask_zero": self.mask_zero,
        })
        return config
