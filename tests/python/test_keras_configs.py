"""Configs as Keras 3.15 writes them (reference: tests/keras_reference/configs.py):
torkeras's get_config() of each layer equals Keras's for the same constructor
call; a .keras file written by Keras 3.15 loads with Keras's predictions;
keys a newer Keras adds load with a warning, while unknown keyword arguments
in a constructor call stay errors."""
import json
import os
import zipfile

import pytest

import keras_reference
import torkeras as keras

CASES = ["Activation", "Add", "Average", "AveragePooling1D", "BatchNormalization",
         "BatchNormalization_full", "Concatenate", "Conv1D", "Conv1DTranspose", "Conv2D",
         "Conv2DTranspose", "Conv2D_full", "Conv3D", "Conv3DTranspose", "Cropping2D",
         "Dense", "Dense_full", "Dense_vs_axes", "DepthwiseConv1D", "DepthwiseConv2D", "Dot",
         "Dropout", "ELU", "Embedding", "Embedding_full", "Flatten", "GRU", "GRUCell",
         "GRU_full", "GaussianDropout", "GaussianNoise", "GlobalAveragePooling2D",
         "GlobalMaxPooling1D", "LSTM", "LSTMCell", "LSTM_full", "LayerNormalization",
         "LeakyReLU", "Masking", "MaxPooling2D", "Maximum", "Minimum", "Multiply", "Permute",
         "ReLU", "RepeatVector", "Reshape", "SeparableConv1D", "SeparableConv2D", "SimpleRNN",
         "SimpleRNNCell", "Softmax", "SpatialDropout1D", "Subtract", "UpSampling2D",
         "ZeroPadding2D", "AveragePooling2D", "AveragePooling3D", "Cropping1D", "Cropping3D",
         "GlobalAveragePooling1D", "GlobalAveragePooling3D", "GlobalMaxPooling2D",
         "GlobalMaxPooling3D", "MaxPooling1D", "MaxPooling3D", "SpatialDropout2D",
         "SpatialDropout3D"]

# Where torkeras writes more than Keras 3.15, on purpose (Keras reads both):
# SimpleRNN keeps its `seed` (Keras's SimpleRNN takes it but drops it from
# its config), and SpatialDropout writes its dtype as the DTypePolicy dict
# every other layer writes (Keras's SpatialDropout writes a bare string).
EXTRA_KEYS = {"SimpleRNN": {"seed"}}
DTYPE_AS_POLICY = {"SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D"}


@pytest.fixture(scope="module")
def ref():
    return keras_reference.load("configs")


def _calls(ref):
    return json.loads(str(ref["calls"]))


def test_case_list_matches_the_reference(ref):
    assert sorted(CASES) == sorted(_calls(ref))


@pytest.mark.parametrize("case", CASES)
def test_layer_config_equals_keras(ref, case):
    cls, kwargs = _calls(ref)[case]
    layer = getattr(keras.layers, cls)(name=f"layer_{case.lower()}", **kwargs)
    mine = layer.get_config()
    expected = json.loads(str(ref[f"config/{case}"]))
    for key in EXTRA_KEYS.get(cls, ()):
        mine.pop(key)
    if cls in DTYPE_AS_POLICY:
        assert mine["dtype"]["config"]["name"] == expected.pop("dtype")
        mine.pop("dtype")
    assert json.loads(json.dumps(mine)) == expected
    # The layer rebuilt from Keras's config writes the same config again.
    again = getattr(keras.layers, cls).from_config(json.loads(str(ref[f"config/{case}"])))
    assert json.loads(json.dumps(again.get_config())) == json.loads(json.dumps(
        layer.get_config()))


def test_wrapper_configs_equal_keras(ref):
    bi = keras.layers.Bidirectional(keras.layers.LSTM(3, name="l"), merge_mode="sum", name="bi")
    assert json.loads(json.dumps(bi.get_config())) == json.loads(str(ref["config/Bidirectional"]))
    rnn = keras.layers.RNN(keras.layers.GRUCell(3, name="c"), return_state=True, name="rnn")
    assert json.loads(json.dumps(rnn.get_config())) == json.loads(str(ref["config/RNN"]))


@pytest.mark.parametrize("case", ["Dense", "Dense_full", "Conv2D_full", "LSTM_full",
                                  "Embedding_full", "BatchNormalization_full"])
def test_serialized_envelope_equals_keras(ref, case):
    cls, kwargs = _calls(ref)[case]
    layer = getattr(keras.layers, cls)(name=f"layer_{case.lower()}", **kwargs)
    mine = json.loads(json.dumps(keras.saving.serialize_keras_object(layer)))
    assert mine == json.loads(str(ref[f"serialized/{case}"]))


def _write(tmp_path, ref, key, name):
    path = os.path.join(tmp_path, name)
    with open(path, "wb") as f:
        f.write(ref[key].tobytes())
    return path


def test_keras_written_functional_model_loads_with_keras_predictions(ref, tmp_path):
    path = _write(tmp_path, ref, "file/bytes", "model.keras")
    model = keras.saving.load_model(path)
    out = model.predict([ref["file/x_features"], ref["file/x_tokens"]], verbose=0)
    # Same weights and formulas; the LSTM and matmuls accumulate float32 in
    # torch's CPU kernels as Keras's torch backend does.
    keras_reference.assert_matches(out, ref["file/predictions"], rtol=1e-5, atol=1e-6)
    dense = model.get_layer("dense_in")
    assert dense.get_config()["kernel_initializer"]["config"] == {
        "seed": 1, "input_axes": None, "output_axes": None}
    assert type(dense.kernel_regularizer).__name__ == "L2"
    assert type(model.get_layer("conv").kernel_constraint).__name__ == "MaxNorm"


def test_keras_written_sequential_loads_with_keras_predictions(ref, tmp_path):
    path = _write(tmp_path, ref, "seqfile/bytes", "seq.keras")
    model = keras.saving.load_model(path)
    keras_reference.assert_matches(model.predict(ref["seqfile/x"], verbose=0),
                                   ref["seqfile/predictions"], rtol=1e-6, atol=1e-6)


def _rewrite_config(src, dst, edit):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "config.json":
                config = json.loads(data)
                edit(config)
                data = json.dumps(config).encode()
            zout.writestr(item, data)


def _layer_config(model_config, name):
    for layer in model_config["config"]["layers"]:
        if layer["config"]["name"] == name:
            return layer


def test_keys_from_a_newer_keras_load_with_a_warning(ref, tmp_path):
    src = _write(tmp_path, ref, "file/bytes", "model.keras")
    dst = os.path.join(tmp_path, "future.keras")

    def edit(config):
        dense = _layer_config(config, "dense_in")
        dense["config"]["future_option"] = 3
        dense["config"]["kernel_initializer"]["config"]["future_scale"] = 0.5
        _layer_config(config, "bn")["config"]["fancy_mode"] = "on"
        config["compile_config"]["future_compile_arg"] = True

    _rewrite_config(src, dst, edit)
    with pytest.warns(UserWarning) as record:
        model = keras.saving.load_model(dst)
    messages = [str(w.message) for w in record]
    assert any("Dense" in m and "future_option" in m for m in messages), messages
    assert any("HeUniform" in m and "future_scale" in m for m in messages), messages
    assert any("BatchNormalization" in m and "fancy_mode" in m for m in messages), messages
    assert any("future_compile_arg" in m for m in messages), messages
    out = model.predict([ref["file/x_features"], ref["file/x_tokens"]], verbose=0)
    keras_reference.assert_matches(out, ref["file/predictions"], rtol=1e-5, atol=1e-6)


def test_unknown_keys_in_a_constructor_call_stay_errors():
    with pytest.raises(ValueError, match="Unrecognized keyword arguments.*future_option"):
        keras.layers.Dense(3, future_option=1)
    with pytest.raises(TypeError, match="future_scale"):
        keras.initializers.HeUniform(future_scale=0.5)


def test_from_config_of_a_user_config_with_an_unknown_key_warns():
    config = keras.layers.Dense(3).get_config()
    config["added_in_keras_3_99"] = 1
    with pytest.warns(UserWarning, match=r"Dense: ignoring config keys.*added_in_keras_3_99"):
        layer = keras.saving.deserialize_keras_object(
            {"module": "keras.layers", "class_name": "Dense", "config": config})
    assert layer.units == 3


def test_quantization_config_only_at_its_default():
    assert keras.layers.Dense(2).get_config()["quantization_config"] is None
    assert keras.layers.Dense(2, quantization_config=None).units == 2
    assert keras.layers.Embedding(3, 2).get_config()["quantization_config"] is None
    # Only Keras's default int8 config is accepted (docs/quantization.md).
    with pytest.raises(ValueError, match="only the default int8 quantizers"):
        keras.layers.Dense(2, quantization_config={"class_name": "Int8QuantizationConfig"})
    with pytest.raises(ValueError, match="quantization_config.*only as None"):
        keras.layers.Dense(2, quantization_config={"class_name": "Int4QuantizationConfig"})
    assert "quantization_config" not in keras.layers.Flatten().get_config()


def test_user_layer_with_its_own_kwargs_keeps_them():
    class Custom(keras.layers.Layer):
        def __init__(self, scale=1.0, **kwargs):
            super().__init__(**kwargs)
            self.scale = scale

        def get_config(self):
            return {**super().get_config(), "scale": self.scale}

    config = Custom(scale=2.0, name="c").get_config()
    layer = keras.saving.deserialize_keras_object(
        {"class_name": "Custom", "config": config}, custom_objects={"Custom": Custom})
    assert layer.scale == 2.0 and layer.name == "c"


def test_initializer_configs_with_newer_keys_warn():
    for config in ({"class_name": "Constant", "config": {"value": 2.0, "new_key": 1}},
                   {"class_name": "GlorotUniform", "config": {"seed": 1, "new_key": 1}},
                   {"class_name": "L2", "config": {"l2": 0.1, "new_key": 1}}):
        module = keras.regularizers if config["class_name"] == "L2" else keras.initializers
        with pytest.warns(UserWarning, match=rf"{config['class_name']}: ignoring.*new_key"):
            module.deserialize(config)
