"""Merge: base of the layers that combine a list of tensors elementwise.

Inputs of different rank are aligned on the batch axis: the lower-rank ones
get size-1 axes inserted after the batch axis, then broadcasting applies.
"""

from torkeras.layers.layer import Layer


class Merge(Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def _merge_function(self, inputs):
        raise NotImplementedError

    def _check_input_list(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or not input_shape or \
                not all(isinstance(s, (list, tuple)) for s in input_shape):
            raise ValueError(f"A merge layer ({type(self).__name__}) should be called on a list "
                             f"of inputs. Received: input_shape={input_shape!r} (not a list of "
                             "shapes)")

    def build(self, input_shape):
        self._check_input_list(input_shape)
        if len(input_shape) < 1:
            raise ValueError(f"A merge layer ({type(self).__name__}) should be called on a list "
                             f"of at least 1 input. Received: input_shape={input_shape!r}")
        self.compute_output_shape(input_shape)  # validates compatibility
        self.built = True

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(f"A merge layer ({type(self).__name__}) should be called on a list "
                             f"of inputs. Received: inputs={inputs!r}")
        ranks = [x.dim() for x in inputs]
        top = max(ranks)
        if min(ranks) != top:
            aligned = []
            for x in inputs:
                while x.dim() < top:
                    x = x.unsqueeze(1)
                aligned.append(x)
            inputs = aligned
        return self._merge_function(inputs)

    @staticmethod
    def _elementwise_shape(shape1, shape2):
        if shape1 is None or shape2 is None:
            return None
        if len(shape1) < len(shape2):
            shape1, shape2 = shape2, shape1
        if not shape2:
            return tuple(shape1)
        out = list(shape1[:-len(shape2)])
        for i, j in zip(shape1[-len(shape2):], shape2):
            if i is None or j is None:
                out.append(None)
            elif i == 1:
                out.append(j)
            elif j == 1 or i == j:
                out.append(i)
            else:
                raise ValueError("Inputs have incompatible shapes. Received shapes "
                                 f"{tuple(shape1)} and {tuple(shape2)}")
        return tuple(out)

    def compute_output_shape(self, input_shape):
        self._check_input_list(input_shape)
        out = tuple(input_shape[0][1:])
        for shape in input_shape[1:]:
            out = self._elementwise_shape(out, tuple(shape[1:]))
        batches = {s[0] for s in input_shape if s and s[0] is not None}
        batch = batches.pop() if len(batches) == 1 else None
        return (batch,) + tuple(out)

    def compute_mask(self, inputs, mask=None):
        if mask is None or all(m is None for m in mask):
            return None
        result = None
        for m in mask:
            if m is not None:
                result = m if result is None else (result & m)
        return result
