"""`torkeras.layers`: the Keras 3 layer classes (and aliases) on torch."""

from torkeras.layers.layer import Layer
from torkeras.layers.input_spec import InputSpec
from torkeras.layers.core.input_layer import Input, InputLayer
from torkeras.layers.core.dense import Dense
from torkeras.layers.core.einsum_dense import EinsumDense
from torkeras.layers.attention.multi_head_attention import MultiHeadAttention
from torkeras.layers.attention.attention import Attention
from torkeras.layers.attention.additive_attention import AdditiveAttention
from torkeras.layers.attention.grouped_query_attention import (GroupQueryAttention,
                                                             GroupedQueryAttention)
from torkeras.layers.core.activation import Activation
from torkeras.layers.core.embedding import Embedding
from torkeras.layers.core.masking import Masking
from torkeras.layers.core.identity import Identity
from torkeras.layers.core.torch_module_wrapper import TorchModuleWrapper
from torkeras.layers.core.lambda_layer import Lambda
from torkeras.layers.core.reversible_embedding import ReversibleEmbedding
from torkeras.layers.core.wrapper import Wrapper
from torkeras.layers.core.time_distributed import TimeDistributed
from torkeras.layers.regularization.activity_regularization import ActivityRegularization
from torkeras.layers.activations.prelu import PReLU
from torkeras.layers.serialization import serialize, deserialize

from torkeras.layers.regularization.dropout import Dropout
from torkeras.layers.regularization.spatial_dropout import (SpatialDropout1D, SpatialDropout2D,
                                                            SpatialDropout3D)
from torkeras.layers.regularization.gaussian_noise import GaussianNoise
from torkeras.layers.regularization.gaussian_dropout import GaussianDropout
from torkeras.layers.regularization.alpha_dropout import AlphaDropout

from torkeras.layers.reshaping.flatten import Flatten
from torkeras.layers.reshaping.permute import Permute
from torkeras.layers.reshaping.repeat_vector import RepeatVector
from torkeras.layers.reshaping.reshape import Reshape
from torkeras.layers.reshaping.up_sampling2d import UpSampling2D
from torkeras.layers.reshaping.zero_padding2d import ZeroPadding2D
from torkeras.layers.reshaping.up_sampling1d import UpSampling1D
from torkeras.layers.reshaping.up_sampling3d import UpSampling3D
from torkeras.layers.reshaping.zero_padding1d import ZeroPadding1D
from torkeras.layers.reshaping.zero_padding3d import ZeroPadding3D
from torkeras.layers.reshaping.cropping1d import Cropping1D
from torkeras.layers.reshaping.cropping2d import Cropping2D
from torkeras.layers.reshaping.cropping3d import Cropping3D

from torkeras.layers.preprocessing import CenterCrop, Rescaling, Resizing

from torkeras.layers.merging.add import Add, add
from torkeras.layers.merging.average import Average, average
from torkeras.layers.merging.concatenate import Concatenate, concatenate
from torkeras.layers.merging.maximum import Maximum, maximum
from torkeras.layers.merging.minimum import Minimum, minimum
from torkeras.layers.merging.multiply import Multiply, multiply
from torkeras.layers.merging.subtract import Subtract, subtract
from torkeras.layers.merging.dot import Dot, dot

from torkeras.layers.convolutional.conv1d import Conv1D
from torkeras.layers.convolutional.conv2d import Conv2D
from torkeras.layers.convolutional.conv3d import Conv3D
from torkeras.layers.convolutional.conv1d_transpose import Conv1DTranspose
from torkeras.layers.convolutional.conv2d_transpose import Conv2DTranspose
from torkeras.layers.convolutional.conv3d_transpose import Conv3DTranspose
from torkeras.layers.convolutional.separable_conv1d import SeparableConv1D
from torkeras.layers.convolutional.separable_conv2d import SeparableConv2D
from torkeras.layers.convolutional.depthwise_conv1d import DepthwiseConv1D
from torkeras.layers.convolutional.depthwise_conv2d import DepthwiseConv2D

from torkeras.layers.pooling.max_pooling1d import MaxPooling1D
from torkeras.layers.pooling.max_pooling2d import MaxPooling2D
from torkeras.layers.pooling.max_pooling3d import MaxPooling3D
from torkeras.layers.pooling.average_pooling1d import AveragePooling1D
from torkeras.layers.pooling.average_pooling2d import AveragePooling2D
from torkeras.layers.pooling.average_pooling3d import AveragePooling3D
from torkeras.layers.pooling.global_max_pooling1d import GlobalMaxPooling1D
from torkeras.layers.pooling.global_max_pooling2d import GlobalMaxPooling2D
from torkeras.layers.pooling.global_max_pooling3d import GlobalMaxPooling3D
from torkeras.layers.pooling.global_average_pooling1d import GlobalAveragePooling1D
from torkeras.layers.pooling.global_average_pooling2d import GlobalAveragePooling2D
from torkeras.layers.pooling.global_average_pooling3d import GlobalAveragePooling3D
from torkeras.layers.pooling.adaptive_average_pooling1d import AdaptiveAveragePooling1D
from torkeras.layers.pooling.adaptive_average_pooling2d import AdaptiveAveragePooling2D
from torkeras.layers.pooling.adaptive_average_pooling3d import AdaptiveAveragePooling3D
from torkeras.layers.pooling.adaptive_max_pooling1d import AdaptiveMaxPooling1D
from torkeras.layers.pooling.adaptive_max_pooling2d import AdaptiveMaxPooling2D
from torkeras.layers.pooling.adaptive_max_pooling3d import AdaptiveMaxPooling3D

from torkeras.layers.normalization.batch_normalization import BatchNormalization
from torkeras.layers.normalization.layer_normalization import LayerNormalization
from torkeras.layers.normalization.group_normalization import GroupNormalization
from torkeras.layers.normalization.unit_normalization import UnitNormalization
from torkeras.layers.normalization.rms_normalization import RMSNormalization
from torkeras.layers.normalization.spectral_normalization import SpectralNormalization

from torkeras.layers.rnn.rnn import RNN
from torkeras.layers.rnn.lstm_cell import LSTMCell
from torkeras.layers.rnn.lstm import LSTM
from torkeras.layers.rnn.gru_cell import GRUCell
from torkeras.layers.rnn.stacked_rnn_cells import StackedRNNCells
from torkeras.layers.rnn.conv_lstm1d import ConvLSTM1D
from torkeras.layers.rnn.conv_lstm2d import ConvLSTM2D
from torkeras.layers.rnn.conv_lstm3d import ConvLSTM3D
from torkeras.layers.rnn.gru import GRU
from torkeras.layers.rnn.simple_rnn_cell import SimpleRNNCell
from torkeras.layers.rnn.simple_rnn import SimpleRNN
from torkeras.layers.rnn.bidirectional import Bidirectional

from torkeras.layers.activations.elu import ELU
from torkeras.layers.activations.leaky_relu import LeakyReLU
from torkeras.layers.activations.relu import ReLU
from torkeras.layers.activations.softmax import Softmax

# Aliases Keras exports for the same classes.
Convolution1D = Conv1D
Convolution2D = Conv2D
Convolution3D = Conv3D
Convolution1DTranspose = Conv1DTranspose
Convolution2DTranspose = Conv2DTranspose
Convolution3DTranspose = Conv3DTranspose
SeparableConvolution1D = SeparableConv1D
SeparableConvolution2D = SeparableConv2D
MaxPool1D = MaxPooling1D
MaxPool2D = MaxPooling2D
MaxPool3D = MaxPooling3D
AvgPool1D = AveragePooling1D
AvgPool2D = AveragePooling2D
AvgPool3D = AveragePooling3D
GlobalMaxPool1D = GlobalMaxPooling1D
GlobalMaxPool2D = GlobalMaxPooling2D
GlobalMaxPool3D = GlobalMaxPooling3D
GlobalAvgPool1D = GlobalAveragePooling1D
GlobalAvgPool2D = GlobalAveragePooling2D
GlobalAvgPool3D = GlobalAveragePooling3D
