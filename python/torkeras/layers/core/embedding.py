"""Embedding: integer indices -> rows of an `(input_dim, output_dim)` matrix.

With `lora_rank` (or after `enable_lora()`) the matrix is frozen and the
layer learns a low-rank update of it (layers/core/lora.py).
"""

import warnings

import torch
import torch.nn.functional as F

from torkeras.layers.core import arg_utils as U
from torkeras.layers.core.lora import LoraMixin
from torkeras.layers.layer import Layer
from torkeras import quantizers
from torkeras.quantizers.layer_support import Int8QuantizeMixin


class Embedding(Int8QuantizeMixin, LoraMixin, Layer):
    """Turns non-negative integer indices into dense vectors of fixed size.

    The layer holds an `embeddings` matrix of shape `(input_dim, output_dim)`;
    each index `i` of the input is replaced by row `i`. With `mask_zero=True`
    index 0 is reserved for padding and the layer emits a mask (False where the
    input is 0) that downstream layers such as RNNs use.

    Args:
        input_dim: size of the vocabulary (largest index + 1).
        output_dim: size of each embedding vector.
        embeddings_initializer: initializer of the `embeddings` weight (a name such as
            "uniform", or an initializer). Default "uniform".
        embeddings_regularizer: optional regularizer applied to the `embeddings` weight.
        embeddings_constraint: optional constraint applied to the `embeddings` weight
            after each optimizer update.
        mask_zero: whether input value 0 is a padding value to mask out (then
            the vocabulary should have `input_dim = vocabulary size + 1`).
        weights: optional initial embeddings matrix (an array of shape
            `(input_dim, output_dim)`).
        lora_rank: optional integer; when set, the layer is built with LoRA
            (low-rank adaptation): the embeddings is frozen and two trainable matrices
            `lora_embeddings_a`, `lora_embeddings_b` of rank `lora_rank` are added, the
            effective embeddings being `embeddings + (lora_alpha / lora_rank) * a @ b`.
        lora_alpha: scale of the LoRA update (default: `lora_rank`).
        quantization_config: None, or the default int8 config Keras writes
            for a quantized layer (accepted when loading such a layer).
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Input shape:
        Integer tensor `(batch_size, input_length)` (any rank).

    Output shape:
        `(batch_size, input_length, output_dim)` (the input shape plus
        `output_dim`).

    Example:
    >>> layer = keras.layers.Embedding(input_dim=10, output_dim=3)
    >>> tuple(layer(np.array([[1, 2, 0]])).shape)
    (1, 3, 3)
    """

    _lora_weight_name = "embeddings"
    _quant_weight = "embeddings"
    _quant_scale = "embeddings_scale"
    _int8_save_order = ("embeddings", "embeddings_scale")

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False,
                 weights=None, lora_rank=None, lora_alpha=None, quantization_config=None,
                 **kwargs):
        if "input_length" in kwargs:
            kwargs.pop("input_length")
            warnings.warn("Argument `input_length` is deprecated. Just remove it.", stacklevel=2)
        quantization_config = quantizers.check_quantization_config(quantization_config,
                                                                   "Embedding")
        super().__init__(**kwargs)
        self.quantization_config = quantization_config
        # As Keras 3: ids are never cast to the compute dtype.
        self.autocast = False
        self.input_dim = U.positive_int(input_dim, "input_dim")
        self.output_dim = U.positive_int(output_dim, "output_dim")
        self.embeddings_initializer = U.get_initializer(embeddings_initializer)
        self.embeddings_regularizer = U.get_regularizer(embeddings_regularizer)
        self.embeddings_constraint = U.get_constraint(embeddings_constraint)
        self.mask_zero = bool(mask_zero)
        self.supports_masking = self.mask_zero
        self._init_lora(lora_rank, lora_alpha)
        if weights is not None:
            self.build()
            if not (isinstance(weights, list) and len(weights) == 1):
                weights = [weights]
            self.set_weights(weights)

    def build(self, input_shape=None):
        if self.built:
            return
        if quantizers.check_build_mode(self) == "int8":
            self._int8_build((self.input_dim, self.output_dim))
        else:
            self._embeddings = self.add_weight(shape=(self.input_dim, self.output_dim),
                                               initializer=self.embeddings_initializer,
                                               regularizer=self.embeddings_regularizer,
                                               constraint=self.embeddings_constraint,
                                               name="embeddings")
        self.built = True
        self._build_lora()

    @property
    def embeddings(self):
        """The embeddings Variable; with LoRA enabled, the adapted matrix."""
        return self._lora_weight_property()

    # -- int8: one scale per row (Keras reduces over output_dim) ---------
    def _int8_build(self, shape):
        self._embeddings = self.add_weight(shape=shape, initializer="zeros", dtype="int8",
                                           trainable=False, name="embeddings")
        self.embeddings_scale = self.add_weight(shape=(shape[0],), initializer="ones",
                                                trainable=False, name="embeddings_scale")

    def _int8_weights(self, table):
        q, scale = quantizers.abs_max_quantize(table, axis=-1)
        return q, scale.squeeze(-1)

    def call(self, inputs):
        if inputs.dtype is not torch.int64:
            inputs = inputs.long()
        if self.quantization_mode == "int8":
            dtype = self._torch_dtype
            rows = F.embedding(inputs, self._embeddings.value).to(dtype)
            scale = self.embeddings_scale.value.to(dtype)[inputs]
            return rows / scale.unsqueeze(-1)
        table = self._embeddings.value if not self.lora_enabled else self._lora_weight_value()
        out = F.embedding(inputs, table)
        # Keras 3: the output is in the compute dtype.
        return out if out.dtype is self._torch_dtype else out.to(self._torch_dtype)

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
            "quantization_config": self.quantization_config,
        })
        config.update(self._lora_config())
        return config


Embedding._quantizable_class = Embedding
