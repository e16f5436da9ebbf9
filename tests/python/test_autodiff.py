"""GradientTape, value_and_grad and compile_function against autograd / numpy,
and the training loops of chapter 7.4 and guide 002 against fit()."""

import numpy as np
import pytest
import torch

import torkeras as keras
from torkeras import layers

RNG = np.random.default_rng(11)
X = RNG.normal(size=(32, 6)).astype("float32")
LABELS = RNG.integers(0, 3, size=32)


def small_model(batch_norm=False):
    stack = [keras.Input((6,)), layers.Dense(8, activation="relu")]
    if batch_norm:
        stack.append(layers.BatchNormalization())
    stack.append(layers.Dense(3))
    return keras.Sequential(stack)


def close(a, b, **tol):
    tol = tol or {"rtol": 1e-5, "atol": 1e-6}
    assert len(a) == len(b)
    for x, y in zip(a, b):
        np.testing.assert_allclose(np.asarray(x), np.asarray(y), **tol)


# -- GradientTape -----------------------------------------------------------------------

def test_tape_gradient_of_a_dense_model_matches_numpy():
    model = keras.Sequential([keras.Input((6,)), layers.Dense(2)])
    y = RNG.normal(size=(32, 2)).astype("float32")
    with keras.GradientTape() as tape:
        loss = torch.mean((model(X) - torch.tensor(y)) ** 2)
    grads = tape.gradient(loss, model.trainable_weights)
    w, b = [v.numpy().astype("float64") for v in model.trainable_weights]
    resid = X @ w + b - y
    np.testing.assert_allclose(grads[0].numpy(), 2 / resid.size * X.T @ resid, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(grads[1].numpy(), 2 / resid.size * resid.sum(0), rtol=1e-4, atol=1e-6)
    # The tape does not populate .grad (as TF: gradients are returned, not stored).
    assert all(v.value.grad is None for v in model.trainable_weights)


def test_tape_turns_grad_mode_on_under_no_grad():
    x = torch.tensor([1.0, 2.0, 3.0])
    with torch.no_grad():
        with keras.GradientTape() as tape:
            tape.watch(x)
            y = torch.sum(x ** 3)
        assert not torch.is_grad_enabled()
        grad = tape.gradient(y, x)
    np.testing.assert_allclose(grad.numpy(), 3 * np.array([1.0, 2.0, 3.0]) ** 2)
    # watch() is undone once the tape is used up.
    assert not x.requires_grad


def test_tape_non_persistent_is_used_once_persistent_is_not():
    x = torch.tensor(2.0)
    with keras.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    assert float(tape.gradient(y, x)) == 4.0
    with pytest.raises(RuntimeError, match="non-persistent GradientTape.*only once"):
        tape.gradient(y, x)
    x = torch.tensor(3.0)
    with keras.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        z = y * x
    assert float(tape.gradient(y, x)) == 6.0
    assert float(tape.gradient(z, x)) == 27.0


def test_tape_unconnected_sources_and_structures():
    v = keras.Variable(np.array([1.0, 2.0], dtype="float32"))
    unused = keras.Variable(np.ones(3, dtype="float32"))
    frozen = keras.Variable(np.ones(2, dtype="float32"), trainable=False)
    with keras.GradientTape() as tape:
        loss = torch.sum(v.value * 5.0) + torch.sum(frozen.value)
    grads = tape.gradient(loss, {"v": v, "others": [unused, frozen]})
    assert set(grads) == {"v", "others"}
    np.testing.assert_allclose(grads["v"].numpy(), [5.0, 5.0])
    assert grads["others"] == [None, None]
    with keras.GradientTape() as tape:
        loss = torch.sum(v.value * 5.0)
    grads = tape.gradient(loss, [v, unused], unconnected_gradients="zero")
    np.testing.assert_allclose(grads[1].numpy(), np.zeros(3))
    with pytest.raises(ValueError, match="unconnected_gradients.*'none' or 'zero'"):
        tape.gradient(loss, [v], unconnected_gradients="zeros")


def test_tape_watch_makes_non_trainable_variables_differentiable():
    frozen = keras.Variable(np.array([1.0, -2.0], dtype="float32"), trainable=False)
    with keras.GradientTape() as tape:
        tape.watch(frozen)
        loss = torch.sum(frozen.value ** 2)
    np.testing.assert_allclose(tape.gradient(loss, frozen).numpy(), [2.0, -4.0])
    assert not frozen.value.requires_grad


def test_tape_watch_accessed_variables_false():
    a = keras.Variable(np.array(2.0, dtype="float32"))
    b = keras.Variable(np.array(3.0, dtype="float32"))
    with keras.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(b)
        loss = a * b
    grads = tape.gradient(loss, [a, b])
    assert grads[0] is None
    assert float(grads[1]) == 2.0


def test_tape_output_gradients_and_target_lists():
    x = torch.tensor([1.0, 2.0])
    with keras.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x ** 2                      # non-scalar
        z = torch.sum(x) * 3.0
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [2.0, 4.0])  # summed, as TF
    np.testing.assert_allclose(
        tape.gradient(y, x, output_gradients=torch.tensor([10.0, 1.0])).numpy(), [20.0, 4.0])
    np.testing.assert_allclose(tape.gradient([y, z], x).numpy(), [5.0, 7.0])
    with pytest.raises(ValueError, match="output_gradients.*one tensor per target"):
        tape.gradient([y, z], x, output_gradients=[torch.ones(2)])
    with pytest.raises(TypeError, match="sources.*Variables or torch tensors"):
        tape.gradient(z, "x")


def test_tape_loop_matches_fit_with_adam():
    model = small_model()
    initial = model.get_weights()
    batch_size = 8
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(X, LABELS, batch_size=batch_size, epochs=2, shuffle=False, verbose=0)
    fitted = model.get_weights()

    loop_model = small_model()
    loop_model.set_weights(initial)
    optimizer = keras.optimizers.Adam(learning_rate=0.01)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    for _epoch in range(2):
        for start in range(0, len(X), batch_size):
            x_batch = torch.tensor(X[start:start + batch_size])
            y_batch = torch.tensor(LABELS[start:start + batch_size])
            with keras.GradientTape() as tape:
                logits = loop_model(x_batch, training=True)
                loss_value = loss_fn(y_batch, logits)
            gradients = tape.gradient(loss_value, loop_model.trainable_weights)
            optimizer.apply(gradients, loop_model.trainable_weights)
    assert int(optimizer.iterations.numpy()) == 8
    close(loop_model.get_weights(), fitted)
    assert not np.allclose(fitted[0], initial[0])



def test_torch_native_loop_matches_fit_with_adam():
    """Chapter 7.4.2.2's step (backward, .grad, apply under no_grad, zero_grad)
    run by hand gives the weights fit() gives on the same batches."""
    model = small_model()
    initial = model.get_weights()
    batch_size = 8
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(X, LABELS, batch_size=batch_size, epochs=2, shuffle=False, verbose=0)
    fitted = model.get_weights()

    loop_model = small_model()
    loop_model.set_weights(initial)
    optimizer = keras.optimizers.Adam(learning_rate=0.01)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    for _epoch in range(2):
        for start in range(0, len(X), batch_size):
            predictions = loop_model(X[start:start + batch_size], training=True)
            loss = loss_fn(LABELS[start:start + batch_size], predictions)
            loss.backward()
            gradients = [w.value.grad for w in loop_model.trainable_weights]
            with torch.no_grad():
                optimizer.apply(gradients, loop_model.trainable_weights)
            loop_model.zero_grad()
    assert int(optimizer.iterations.numpy()) == 8
    close(loop_model.get_weights(), fitted)

# -- value_and_grad ----------------------------------------------------------------------

def test_value_and_grad_matches_autograd():
    def fn(params, x):
        w, b = params
        return torch.sum(torch.tanh(x @ w + b))

    w = torch.tensor(RNG.normal(size=(6, 2)).astype("float32"))
    b = torch.tensor([0.1, -0.2])
    value, grads = keras.value_and_grad(fn)([w, b], torch.tensor(X))
    wr, br = w.clone().requires_grad_(), b.clone().requires_grad_()
    expected = fn([wr, br], torch.tensor(X))
    expected.backward()
    assert value.shape == () and not value.requires_grad
    np.testing.assert_allclose(float(value), float(expected.detach()), rtol=1e-6)
    assert isinstance(grads, list) and len(grads) == 2
    np.testing.assert_allclose(grads[0].numpy(), wr.grad.numpy(), rtol=1e-6)
    np.testing.assert_allclose(grads[1].numpy(), br.grad.numpy(), rtol=1e-6)
    # The caller's tensors are untouched (no grad, no requires_grad).
    assert not w.requires_grad and w.grad is None


def test_value_and_grad_has_aux_argnums_and_variables():
    v = keras.Variable(np.array([1.0, 2.0], dtype="float32"))

    def fn(a, scale, offset=0.0):
        loss = torch.sum(a * a) * scale + offset
        return loss, {"double": a * 2, "note": "kept"}

    (value, aux), grad = keras.value_and_grad(fn, has_aux=True)(v, 3.0, offset=1.0)
    assert float(value) == 16.0
    np.testing.assert_allclose(grad.numpy(), [6.0, 12.0])
    np.testing.assert_allclose(aux["double"].numpy(), [2.0, 4.0])
    assert aux["note"] == "kept" and not aux["double"].requires_grad
    np.testing.assert_allclose(v.numpy(), [1.0, 2.0])
    assert v.value.grad is None

    value, (ga, gs) = keras.value_and_grad(lambda a, s: torch.sum(a) * s, argnums=(0, 1))(
        torch.tensor([1.0, 2.0]), torch.tensor(4.0))
    np.testing.assert_allclose(ga.numpy(), [4.0, 4.0])
    assert float(gs) == 3.0
    # An input the value does not depend on gets zeros, as in JAX.
    _, g = keras.value_and_grad(lambda a, b: torch.sum(b))(torch.ones(3), torch.ones(2))
    np.testing.assert_allclose(g.numpy(), np.zeros(3))


def test_value_and_grad_errors():
    with pytest.raises(ValueError, match="scalar tensor.*shape \\(2,\\)"):
        keras.value_and_grad(lambda a: a * 2)(torch.ones(2))
    with pytest.raises(ValueError, match="has_aux=True.*pair"):
        keras.value_and_grad(lambda a: torch.sum(a), has_aux=True)(torch.ones(2))
    with pytest.raises(ValueError, match="argnums"):
        keras.value_and_grad(lambda a: torch.sum(a), argnums=-1)
    with pytest.raises(ValueError, match="argnums=1.*1 positional"):
        keras.value_and_grad(lambda a: torch.sum(a), argnums=1)(torch.ones(2))
    with pytest.raises(TypeError, match="dtype torch.int64"):
        keras.value_and_grad(lambda a: torch.sum(a))(torch.ones(2, dtype=torch.int64))
    with pytest.raises(TypeError, match="callable"):
        keras.value_and_grad(3)


def test_jax_style_train_step_matches_the_stateful_loop_and_trains():
    """Chapter 7.4.2.3 on torch: stateless_call + value_and_grad + stateless_apply."""
    model = small_model(batch_norm=True)
    model(X[:2])
    initial = model.get_weights()
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    def compute_loss_and_updates(trainable_variables, non_trainable_variables, inputs, targets):
        outputs, non_trainable_variables = model.stateless_call(
            trainable_variables, non_trainable_variables, inputs, training=True)
        return loss_fn(targets, outputs), non_trainable_variables

    grad_fn = keras.value_and_grad(compute_loss_and_updates, has_aux=True)
    optimizer = keras.optimizers.Adam(learning_rate=0.01)
    optimizer.build(model.trainable_variables)

    def train_step(state, inputs, targets):
        trainable_variables, non_trainable_variables, optimizer_variables = state
        (loss, non_trainable_variables), grads = grad_fn(
            trainable_variables, non_trainable_variables, inputs, targets)
        trainable_variables, optimizer_variables = optimizer.stateless_apply(
            optimizer_variables, grads, trainable_variables)
        return loss, (trainable_variables, non_trainable_variables, optimizer_variables)

    state = ([v.value for v in model.trainable_variables],
             [v.value for v in model.non_trainable_variables],
             [v.value for v in optimizer.variables])
    losses = []
    x, y = torch.tensor(X), torch.tensor(LABELS)
    for _ in range(15):
        loss, state = train_step(state, x, y)
        losses.append(float(loss))
    assert losses[-1] < 0.8 * losses[0]
    # The model and optimizer themselves never changed.
    close(model.get_weights(), initial, rtol=0, atol=0)
    assert int(optimizer.iterations.numpy()) == 0

    # The same 15 steps done statefully with a tape land on the same values.
    loop_optimizer = keras.optimizers.Adam(learning_rate=0.01)
    for _ in range(15):
        with keras.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        loop_optimizer.apply(tape.gradient(loss, model.trainable_weights), model.trainable_weights)
    close([t.numpy() for t in state[0]], [v.numpy() for v in model.trainable_variables])
    close([t.numpy() for t in state[1]], [v.numpy() for v in model.non_trainable_variables])
    close([t.numpy() for t in state[2]], [v.numpy() for v in loop_optimizer.variables])


# -- compile_function -------------------------------------------------------------------

def test_compile_function_arguments():
    def f(x):
        return x + 1
    assert keras.compile_function(f, jit_compile=False) is f
    assert keras.compile_function(jit_compile=False)(f) is f
    with pytest.raises(TypeError, match="jit_compile.*True or False"):
        keras.compile_function(f, jit_compile="yes")
    with pytest.raises(TypeError, match="callable"):
        keras.compile_function(42)


def test_compiled_train_step_matches_eager():
    x, y = torch.tensor(X), torch.tensor(LABELS)
    first = small_model()
    initial = first.get_weights()
    results = []
    for jit_compile in (False, True):
        model = small_model()
        model.set_weights(initial)
        optimizer = keras.optimizers.Adam(learning_rate=0.01)
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

        @keras.compile_function(jit_compile=jit_compile)
        def train_step(x_batch, y_batch):
            with keras.GradientTape() as tape:
                loss = loss_fn(y_batch, model(x_batch, training=True))
            optimizer.apply(tape.gradient(loss, model.trainable_weights), model.trainable_weights)
            return loss.detach()

        losses = [float(train_step(x, y)) for _ in range(4)]
        results.append((losses, model.get_weights()))
    (eager_losses, eager_weights), (compiled_losses, compiled_weights) = results
    np.testing.assert_allclose(compiled_losses, eager_losses, rtol=1e-5)
    close(compiled_weights, eager_weights, rtol=1e-5, atol=1e-6)
    assert eager_losses[-1] < eager_losses[0]
