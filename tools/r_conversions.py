"""The tables that decide what the generated R wrappers look like.

tools/generate_r_wrappers.py reads the Python signatures; everything that is a
*decision* (how an argument is converted from R, which R name a class gets,
which classes are left out) lives here, in one place.

Conversion rules are names of R functions defined in R/conversions.R. Each is
called as `rule(value, "argument_name")` on arguments the user supplied, so its
error messages can name the argument.

    as_integer        whole number (or vector of them) -> integer; 64.5 is an error
    as_integer_tuple  one whole number stays scalar, several become a tuple
    as_axis           1-based axis (or axes) -> 0-based; 0 is an error; negatives unchanged
    as_shape_arg      shape: NA / NULL -> None, given as a tuple
    as_reshape_dims   target dims for a reshape: NA / NULL -> -1, given as a tuple
    as_py_index       1-based index values -> 0-based (positive values minus 1)
    as_activation     an R function -> a Python function with a name (its "name"
                      attribute or "custom_activation"), the name a saved model
                      records for it
"""

# --------------------------------------------------------------------------
# Per-argument conversion rules, by argument name, for every family.
# --------------------------------------------------------------------------

INTEGER_ARGS = [
    "units", "filters", "groups", "depth_multiplier", "input_dim", "output_dim",
    "num_classes", "num_heads", "key_dim", "value_dim", "epochs", "batch_size",
    "steps", "steps_per_epoch", "validation_steps", "seed", "k", "top_k", "n",
    "num_thresholds", "num_or_size_splits", "repeats", "n_bins",
    "num_tokens", "output_sequence_length", "max_tokens", "ema_overwrite_frequency",
    "gradient_accumulation_steps", "lora_rank", "verbose", "patience", "n_components",
    "sliding_window",
    "num", "num_samples", "decimals", "pad_width", "indices_or_sections", "N", "M",
    "sequence_length", "ngrams", "num_oov_indices", "length", "max_value_index",
    "start_from_epoch", "save_freq", "histogram_freq", "cooldown",
    # Confusion metrics: class_id stays a 0-based class id in R, as in keras3.
    "class_id", "num_labels",
    # IoU metrics / sparse crossentropy: 0-based class ids, as in keras3.
    "target_class_ids", "ignore_class", "num_regressors",
    # ops.math / control flow
    "sequence_stride", "fft_length", "num_segments", "maximum_iterations",
    # LossScaleOptimizer (optimizer_loss_scale)
    "dynamic_growth_steps",
    # SpectralNormalization
    "power_iterations",
]

INTEGER_TUPLE_ARGS = [
    "kernel_size", "strides", "pool_size", "dilation_rate", "output_padding",
    "cropping", "padding", "size",
]

# input_axes/output_axes: the variance-scaling initializers' fan axes.
AXIS_ARGS = ["axis", "axis1", "axis2", "input_axes", "output_axes"]

# Shapes are always given to Python as tuples (a single number too).
SHAPE_ARGS = ["shape", "input_shape", "batch_shape", "batch_input_shape", "noise_shape",
              "target_shape", "dims"]

# An R function given as an activation becomes a named Python function.
ACTIVATION_ARGS = ["activation", "recurrent_activation"]

ARG_RULES = {}
ARG_RULES.update({name: "as_integer" for name in INTEGER_ARGS})
ARG_RULES.update({name: "as_integer_tuple" for name in INTEGER_TUPLE_ARGS})
ARG_RULES.update({name: "as_axis" for name in AXIS_ARGS})
ARG_RULES.update({name: "as_shape_arg" for name in SHAPE_ARGS})
ARG_RULES.update({name: "as_activation" for name in ACTIVATION_ARGS})

# Arguments that Python receives through **kwargs (so they are not R formals)
# but still need converting when a user passes them in `...`.
DOTS_RULES = {
    "layers": {"input_shape": "as_shape_arg", "batch_input_shape": "as_shape_arg",
               "batch_size": "as_integer", "input_dim": "as_integer"},
}

# Rules for one callable that differ from the name-based table above.
# Key: (family, python name); value: {argument: rule or None (= no conversion)}.
CALLABLE_RULES = {
    ("ops", "reshape"): {"newshape": "as_reshape_dims", "new_shape": "as_reshape_dims",
                         "shape": "as_reshape_dims"},
    ("ops", "transpose"): {"axes": "as_axis"},
    ("ops", "moveaxis"): {"source": "as_axis", "destination": "as_axis"},
    ("ops", "expand_dims"): {"axis": "as_axis"},
    ("ops", "moments"): {"axes": "as_axis"},
    ("ops", "one_hot"): {"x": "as_py_index"},
    ("ops", "take"): {"indices": "as_py_index"},
    ("ops", "take_along_axis"): {"indices": "as_py_index"},
    ("ops", "tile"): {"repeats": "as_integer_tuple"},
    # keras3's layer_dot takes 1-based axes (`axes = c(2, 3)`), like op_* axes.
    ("layers", "Dot"): {"axes": "as_axis"},
    # keras3's layer_activation_parametric_relu: shared_axes are 1-based axes
    # of the full input shape (the batch axis is 1).
    ("layers", "PReLU"): {"shared_axes": "as_axis"},
    # Attention: attention_axes are 1-based axes of the query (batch = 1);
    # output shapes are integer tuples (NA: unknown, EinsumDense only).
    ("layers", "MultiHeadAttention"): {"attention_axes": "as_axis",
                                       "output_shape": "as_shape_arg"},
    ("layers", "EinsumDense"): {"output_shape": "as_shape_arg"},
    ("layers", "GroupedQueryAttention"): {"head_dim": "as_integer",
                                          "num_query_heads": "as_integer",
                                          "num_key_value_heads": "as_integer"},
    # layer_lambda: an R function becomes a Python function (it runs in R; it
    # cannot be saved in a .keras file, and saving says so).
    ("layers", "Lambda"): {"function": "as_activation"},
    # layer_torch_module_wrapper: output_shape is a full shape (NA: unknown).
    ("layers", "TorchModuleWrapper"): {"output_shape": "as_shape_arg"},
    # nn ops: window sizes are integer tuples; the CTC blank (`mask_index`) is a
    # 1-based class index in keras3 (default 1L, the first class).
    ("ops", "adaptive_average_pool"): {"output_size": "as_integer_tuple"},
    ("ops", "adaptive_max_pool"): {"output_size": "as_integer_tuple"},
    # Adaptive pooling layers: the target size is an integer (tuple).
    ("layers", "AdaptiveAveragePooling1D"): {"output_size": "as_integer_tuple"},
    ("layers", "AdaptiveAveragePooling2D"): {"output_size": "as_integer_tuple"},
    ("layers", "AdaptiveAveragePooling3D"): {"output_size": "as_integer_tuple"},
    ("layers", "AdaptiveMaxPooling1D"): {"output_size": "as_integer_tuple"},
    ("layers", "AdaptiveMaxPooling2D"): {"output_size": "as_integer_tuple"},
    ("layers", "AdaptiveMaxPooling3D"): {"output_size": "as_integer_tuple"},
    # Image preprocessing layers: output sizes in pixels.
    ("layers", "Resizing"): {"height": "as_integer", "width": "as_integer"},
    ("layers", "CenterCrop"): {"height": "as_integer", "width": "as_integer"},
    ("ops", "unfold"): {"dilation": "as_integer_tuple", "stride": "as_integer_tuple"},
    ("ops", "fold"): {"output_size": "as_integer_tuple", "dilation": "as_integer_tuple",
                      "stride": "as_integer_tuple"},
    ("ops", "depth_to_space"): {"block_size": "as_integer"},
    ("ops", "space_to_depth"): {"block_size": "as_integer"},
    ("ops", "ctc_loss"): {"mask_index": "as_py_index"},
    ("ops", "ctc_decode"): {"mask_index": "as_py_index", "beam_width": "as_integer",
                            "top_paths": "as_integer"},
    ("optimizers", "Muon"): {"ns_steps": "as_integer"},
    ("optimizers", "ScheduleFreeAdamW"): {"warmup_steps": "as_integer"},
    # keras.ops.image (op_image_*): padding is "valid"/"same" there; pixel
    # counts are integers; scale_and_translate's spatial_dims are axes
    # (1-based); map_coordinates' coordinates are positions, not indices, and
    # stay as given (0-based pixel centres, as in keras3).
    ("ops.image", "extract_patches"): {"padding": None},
    ("ops.image", "extract_patches_3d"): {"padding": None},
    ("ops.image", "pad_images"): {name: "as_integer" for name in (
        "top_padding", "left_padding", "bottom_padding", "right_padding", "target_height",
        "target_width")},
    ("ops.image", "crop_images"): {name: "as_integer" for name in (
        "top_cropping", "left_cropping", "bottom_cropping", "right_cropping", "target_height",
        "target_width")},
    ("ops.image", "map_coordinates"): {"order": "as_integer"},
    ("ops.image", "ssim"): {"filter_size": "as_integer"},
    ("ops.image", "scale_and_translate"): {"output_shape": "as_shape_arg",
                                           "spatial_dims": "as_axis"},
}

# Arguments whose keras3 R name differs from the Python name, per callable:
# {(family, python name): {R name: Python name}}. The wrapper's formal has the
# R name; the generated code passes it to Python under the Python name, and its
# conversion rule and help text are the Python argument's.
ARG_RENAMES = {
    # keras3: layer_lambda(object, f, ...); Python: Lambda(function, ...).
    ("layers", "Lambda"): {"f": "function"},
}

# Index arguments: 1-based in R. The wrapper gets an R-only `zero_indexed =
# FALSE` argument (as in keras3) that keeps the values 0-based when TRUE.
INDEX_INPUTS = {
    # keras3: op_scatter/op_scatter_update indices, op_slice/op_slice_update
    # start indices, op_segment_* segment ids and op_switch's branch are 1-based.
    ("ops", "scatter"): "indices",
    ("ops", "scatter_update"): "indices",
    ("ops", "slice"): "start_indices",
    ("ops", "slice_update"): "start_indices",
    ("ops", "segment_sum"): "segment_ids",
    ("ops", "segment_max"): "segment_ids",
    ("ops", "segment_min"): "segment_ids",
    ("ops", "segment_prod"): "segment_ids",
    ("ops", "switch"): "index",
    ("ops", "one_hot"): "x",
    ("ops", "multi_hot"): "inputs",
    ("ops", "take"): "indices",
    ("ops", "take_along_axis"): "indices",
}

# How a result comes back to R: name of an R function applied to the Python
# result. index_result/top_k_result also add `zero_indexed = FALSE`.
#   index_result  0-based indices -> 1-based
#   top_k_result  list(values, indices): only the indices shift
#   shape_result  tuple -> shape() (a keras_shape)
RESULT_RULES = {
    ("ops", "argmax"): "index_result",
    ("ops", "argmin"): "index_result",
    ("ops", "argsort"): "index_result",
    ("ops", "searchsorted"): "index_result",
    ("ops", "digitize"): "index_result",
    ("ops", "top_k"): "top_k_result",
    ("ops", "shape"): "shape_result",
    ("random", "categorical"): "index_result",
}

# ops.numpy: argument rules, 1-based index arguments and results.
CALLABLE_RULES.update({
    # keras3: op_rot90(axes = c(1, 2)); op_cross's axisa/axisb/axisc are axes.
    ("ops", "rot90"): {"axes": "as_axis"},
    ("ops", "cross"): {"axisa": "as_axis", "axisb": "as_axis", "axisc": "as_axis"},
    ("ops", "roll"): {"shift": "as_integer"},
    ("ops", "bincount"): {"minlength": "as_integer"},
    ("ops", "histogram"): {"bins": "as_integer"},
    # window functions take the number of points as `x`
    ("ops", "bartlett"): {"x": "as_integer"},
    ("ops", "blackman"): {"x": "as_integer"},
    ("ops", "hamming"): {"x": "as_integer"},
    ("ops", "hanning"): {"x": "as_integer"},
    ("ops", "kaiser"): {"x": "as_integer"},
    # hsplit/vsplit/dsplit/array_split: a number of sections, or split points
    # (element counts before each cut, the same in R and Python).
    ("ops", "hsplit"): {"indices_or_sections": "as_integer"},
    ("ops", "vsplit"): {"indices_or_sections": "as_integer"},
    ("ops", "dsplit"): {"indices_or_sections": "as_integer"},
    ("ops", "array_split"): {"indices_or_sections": "as_integer"},
    # Diagonal offsets and tensordot's axis count are whole numbers (R doubles
    # otherwise reach torch as floats and are refused).
    ("ops", "trace"): {"offset": "as_integer"},
    ("ops", "diagonal"): {"offset": "as_integer"},
    ("ops", "tensordot"): {"axes": "as_integer"},
})
# op_argpartition(x, kth): kth is the 1-based position that ends up sorted
# (keras3: op_argpartition(x, 3) puts the 3rd smallest 3rd).
INDEX_INPUTS[("ops", "argpartition")] = "kth"
RESULT_RULES.update({
    ("ops", "argpartition"): "index_result",
    # all-NaN slices give -1 in Python, 0 in R
    ("ops", "nanargmax"): "index_result",
    ("ops", "nanargmin"): "index_result",
})

# --------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------

# R prefix per family.
PREFIXES = {
    "layers": "layer_",
    "losses": "loss_",
    "metrics": "metric_",
    "optimizers": "optimizer_",
    "schedules": "learning_rate_schedule_",
    "ops": "op_",
    "ops.image": "op_image_",
    "random": "random_",
    "activations": "activation_",
    "initializers": "initializer_",
    "regularizers": "regularizer_",
    "constraints": "constraint_",
    "callbacks": "callback_",
}

# Class names whose snake_case form is not the keras3 R name (the suffix after
# the family prefix). Everything else goes through `snake_case()`.
NAME_OVERRIDES = {
    "layers": {
        "LeakyReLU": "activation_leaky_relu",
        "ReLU": "activation_relu",
        "ELU": "activation_elu",
        "PReLU": "activation_parametric_relu",
        "Softmax": "activation_softmax",
        "UpSampling1D": "upsampling_1d",
        # keras.layers.GroupQueryAttention is the class GroupedQueryAttention.
        "GroupedQueryAttention": "group_query_attention",
        "UpSampling2D": "upsampling_2d",
        "UpSampling3D": "upsampling_3d",
        "TFSMLayer": "tfsm",
        "TorchModuleWrapper": "torch_module_wrapper",
        "RMSNormalization": "rms_normalization",
    },
    "optimizers": {
        "RMSprop": "rmsprop",
        "LossScaleOptimizer": "loss_scale",
    },
    "metrics": {
        "MeanIoU": "mean_iou",
        "BinaryIoU": "binary_iou",
        "IoU": "iou",
        "OneHotIoU": "one_hot_iou",
        "OneHotMeanIoU": "one_hot_mean_iou",
        "F1Score": "f1_score",
        "FBetaScore": "fbeta_score",
        "R2Score": "r2_score",
        "AUC": "auc",
        "MeanMetricWrapper": "mean_wrapper",
    },
    "losses": {},
    "schedules": {},
    # keras3 names: op_image_crop(), op_image_pad().
    "ops.image": {"crop_images": "crop", "pad_images": "pad"},
    "regularizers": {"L1": "l1", "L2": "l2", "L1L2": "l1_l2",
                     "OrthogonalRegularizer": "orthogonal"},
    "constraints": {"MaxNorm": "maxnorm", "MinMaxNorm": "minmaxnorm", "NonNeg": "nonneg",
                    "UnitNorm": "unitnorm"},
    "callbacks": {"TensorBoard": "tensorboard", "TerminateOnNaN": "terminate_on_nan",
                  "CSVLogger": "csv_logger", "LambdaCallback": "lambda"},
}

# Extra R names for an existing wrapper: {alias: generated R name}.
# layer_leaky_relu is not a keras3 name (keras3 uses layer_activation_leaky_relu);
# it is kept because our own docs and brief use it.
ALIASES = {
    "layer_leaky_relu": "layer_activation_leaky_relu",
    # keras3 exports both names for the RNN wrapper.
    "bidirectional": "layer_bidirectional",
    # keras3 exports both names for the TimeDistributed wrapper.
    "time_distributed": "layer_time_distributed",
}

# Python name of the function form of a loss/metric class, when it is not the
# snake_case of the class name.
FUNCTION_FORM_OVERRIDES = {
    "losses": {},
    "metrics": {},
}

# What an uncalled wrapper (`loss = loss_mean_squared_error`,
# `activation = activation_relu`) resolves to when passed as an argument:
#   function_form  the loss/metric function (the class when there is none)
#   function       the Python function itself
#   class          an instance of the class with its default arguments
RESOLVE_AS = {
    "losses": "function_form",
    "metrics": "function_form",
    "activations": "function",
    "initializers": "class",
    "regularizers": "class",
    "constraints": "class",
}

# Merge layers take `inputs` first (a list, or tensors in `...`).
MERGE_LAYERS = {"Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum",
                "Concatenate", "Dot",
                # keras3: layer_attention(inputs = list(query, value[, key]), ...)
                "Attention", "AdditiveAttention"}

# Layers called on several tensors as separate arguments: `inputs` first, a
# list (query, value[, key]) whose elements become the call's arguments
# (named elements: keyword arguments), as keras3's layer_multi_head_attention.
MULTI_ARG_LAYERS = {"MultiHeadAttention", "GroupedQueryAttention"}

# Base classes and helpers that are not wrapped (per family, Python names).
EXCLUDE = {
    # InputLayer/Input: keras_input() is hand-written (R/model.R).
    # The RNN cells are keras3's rnn_cell_lstm() & co. (R/rnn-cells.R): a cell
    # is never composed with a tensor or a model, so it has no `object`.
    "layers": {"Layer", "InputLayer", "Input", "Wrapper", "Merge", "BaseConv",
               "BaseConvTranspose", "BasePooling", "BaseGlobalPooling",
               "LSTMCell", "GRUCell", "SimpleRNNCell", "StackedRNNCells"},
    "losses": {"Loss", "LossFunctionWrapper"},
    "metrics": {"Metric", "Reduce"},
    "optimizers": {"Optimizer", "BaseOptimizer", "TorchOptimizer"},
    "schedules": {"LearningRateSchedule"},
    # Ops that are hand-written in R or are not 1:1 wrappers. (The control-flow
    # ops are generated: R functions given as their bodies reach Python as
    # callables through reticulate.)
    "ops": {"op"},  # `op` is the engine's dispatch decorator, not an op
    "ops.image": {"op", "convert_to_tensor"},  # imported helpers, not image ops
    "random": {"SeedGenerator", "op"},
    "activations": {"get", "serialize", "deserialize"},
    "initializers": {"Initializer", "compute_fans", "get", "serialize", "deserialize"},
    "regularizers": {"Regularizer", "get", "serialize", "deserialize"},
    "constraints": {"Constraint", "get", "serialize", "deserialize"},
    # History and ProgbarLogger are added by fit(); LambdaCallback and
    # LearningRateScheduler call R functions with epoch numbers, which are
    # 1-based in R: they are hand-written, not generated.
    "callbacks": {"Callback", "CallbackList", "History", "ProgbarLogger", "LambdaCallback",
                  "LearningRateScheduler"},
}
# ops.numpy functions whose R wrappers are hand-written (R/ops-numpy.R):
# their index results are lists or (count, rank) matrices, 1-based in R.
# result_type is the engine's dtype-promotion helper, not a keras3 op.
EXCLUDE["ops"] = EXCLUDE["ops"] | {"nonzero", "unravel_index", "unique", "result_type"}
# op_arange follows keras3: `op_arange(end)` is 1..end and `end` is included
# (include_end = TRUE), unlike Python's half-open range (R/ops-numpy.R).
EXCLUDE["ops"] = EXCLUDE["ops"] | {"arange"}

# Functions of a loss/metric module that have no class but are keras3 wrappers
# of their own (`metric_huber(y_true, y_pred)`): generated like ops, and
# resolved to the Python function when passed uncalled (compile(metrics = )).
FUNCTION_ONLY = {
    "metrics": ["binary_focal_crossentropy", "categorical_focal_crossentropy", "huber",
                "log_cosh"],
}
