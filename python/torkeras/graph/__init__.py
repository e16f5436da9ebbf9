"""Symbolic tensors and the nodes that connect layers into a graph."""

from torkeras.graph.keras_tensor import KerasTensor, any_symbolic, is_symbolic
from torkeras.graph.node import Node
