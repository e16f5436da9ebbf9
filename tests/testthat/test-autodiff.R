# Custom training steps from R: chapter 7.4.2.2 (torch), 7.4.2.3 (JAX-style,
# on value_and_grad + the stateless API), 7.4.3 (metrics by hand) and the first
# loop of the "training loop from scratch" guide on gradient_tape(). Small data;
# values are checked against plain R arithmetic or against fit().

torch <- reticulate::import("torch")
np <- reticulate::import("numpy", convert = FALSE)

set.seed(3)
n_features <- 12L
x_all <- matrix(rnorm(48 * n_features), nrow = 48)
y_all <- sample(0:2, 48, replace = TRUE)

get_model <- function(dropout = FALSE) {
  inputs <- keras_input(shape = n_features)
  x <- inputs |> layer_dense(16, activation = "relu")
  if (dropout) x <- x |> layer_dropout(0.5)
  outputs <- x |> layer_dense(3, activation = "softmax")
  keras_model(inputs, outputs)
}

# A tensor's values as an R vector (0-d and 1-d) or array.
as_r <- function(t) {
  a <- t$detach()$numpy()
  if (length(dim(a)) <= 1L) as.vector(a) else a
}
weights_of <- function(variables) lapply(variables, function(v) as_r(v$value))

test_that("chapter 7.4.2.2: the torch training step runs from R with the values of Adam", {
  model <- get_model(dropout = TRUE)
  loss_fn <- loss_sparse_categorical_crossentropy()
  optimizer <- optimizer_adam()
  train_step <- function(inputs, targets) {
    predictions <- model(inputs, training = TRUE)
    loss <- loss_fn(targets, predictions)
    loss$backward()
    gradients <- model$trainable_weights |> lapply(\(weight) weight$value$grad)
    with(torch$no_grad(), {
      optimizer$apply(gradients, model$trainable_weights)
    })
    model$zero_grad()
    list(loss, predictions, gradients)
  }
  before <- weights_of(model$trainable_weights)
  .[loss, predictions, gradients] <- train_step(x_all[1:8, ], y_all[1:8])
  # The loss is the mean negative log-probability of the targets.
  probs <- as_r(predictions)
  expect_equal(as.numeric(as_r(loss)), -mean(log(probs[cbind(1:8, y_all[1:8] + 1)])),
               tolerance = 1e-5)
  # First Adam step: w - lr * sqrt(1 - b2) / (1 - b1) * m / (sqrt(v) + eps).
  after <- weights_of(model$trainable_weights)
  for (i in seq_along(before)) {
    g <- as_r(gradients[[i]])
    m <- 0.1 * g
    v <- 0.001 * g^2
    expected <- before[[i]] - 0.001 * sqrt(1 - 0.999) / (1 - 0.9) * m / (sqrt(v) + 1e-7)
    expect_equal(after[[i]], expected, tolerance = 1e-5)
  }
  expect_null(model$trainable_weights[[1]]$value$grad)  # zero_grad() cleared it
})

test_that("the guide's first loop on gradient_tape() gives the weights fit() gives", {
  batch_size <- 16L
  model <- get_model()
  initial <- get_weights(model)
  model |> compile(optimizer = optimizer_adam(learning_rate = 1e-2),
                   loss = loss_sparse_categorical_crossentropy())
  model |> fit(x_all, y_all, batch_size = batch_size, epochs = 2, shuffle = FALSE, verbose = 0)

  loop_model <- get_model()
  set_weights(loop_model, initial)
  optimizer <- optimizer_adam(learning_rate = 1e-2)
  loss_fn <- loss_sparse_categorical_crossentropy()
  train_dataset <- list(x_all, y_all) |>
    tensor_slices_dataset() |>
    dataset_batch(batch_size)
  losses <- c()
  for (epoch in seq_len(2)) {
    iterator <- as_iterator(train_dataset)
    while (!is.null(batch <- iter_next(iterator))) {
      c(x_batch_train, y_batch_train) %<-% batch
      with(gradient_tape() %as% tape, {
        logits <- loop_model(x_batch_train, training = TRUE)
        loss_value <- loss_fn(y_batch_train, logits)
      })
      gradients <- tape$gradient(loss_value, loop_model$trainable_weights)
      optimizer$apply(gradients, loop_model$trainable_weights)
      losses <- c(losses, as.numeric(as_r(loss_value)))
    }
  }
  expect_length(losses, 6)
  expect_equal(as.integer(optimizer$iterations$numpy()), 6L)
  fitted <- get_weights(model)
  looped <- get_weights(loop_model)
  for (i in seq_along(fitted)) expect_equal(looped[[i]], fitted[[i]], tolerance = 1e-5)
  expect_false(isTRUE(all.equal(fitted[[1]], initial[[1]])))
})

test_that("the chapter's torch-native loop gives the weights fit() gives", {
  batch_size <- 16L
  model <- get_model()
  initial <- get_weights(model)
  model |> compile(optimizer = optimizer_adam(learning_rate = 1e-2),
                   loss = loss_sparse_categorical_crossentropy())
  model |> fit(x_all, y_all, batch_size = batch_size, epochs = 2, shuffle = FALSE, verbose = 0)

  loop_model <- get_model()
  set_weights(loop_model, initial)
  optimizer <- optimizer_adam(learning_rate = 1e-2)
  loss_fn <- loss_sparse_categorical_crossentropy()
  for (epoch in 1:2) {
    for (start in seq(1, nrow(x_all), by = batch_size)) {
      rows <- start:(start + batch_size - 1)
      predictions <- loop_model(x_all[rows, ], training = TRUE)
      loss <- loss_fn(y_all[rows], predictions)
      loss$backward()
      gradients <- loop_model$trainable_weights |> lapply(\(weight) weight$value$grad)
      with(torch$no_grad(), {
        optimizer$apply(gradients, loop_model$trainable_weights)
      })
      loop_model$zero_grad()
    }
  }
  expect_equal(as.integer(optimizer$iterations$numpy()), 6L)
  fitted <- get_weights(model)
  looped <- get_weights(loop_model)
  for (i in seq_along(fitted)) expect_equal(looped[[i]], fitted[[i]], tolerance = 1e-5)
})

test_that("gradient_tape() gradients are the derivatives, None when unconnected", {
  x <- torch$tensor(c(1, 2, 3))
  with(gradient_tape(persistent = TRUE) %as% tape, {
    tape$watch(x)
    y <- torch$sum(x^3)
  })
  expect_equal(as_r(tape$gradient(y, x)), 3 * c(1, 2, 3)^2, tolerance = 1e-6)
  other <- torch$tensor(c(5, 6))
  grads <- tape$gradient(y, list(x, other))
  expect_null(grads[[2]])
  grads <- tape$gradient(y, list(x, other), unconnected_gradients = "zero")
  expect_equal(as_r(grads[[2]]), c(0, 0))
  with(gradient_tape() %as% once, {
    once$watch(x)
    z <- torch$sum(x * 2)
  })
  expect_equal(as_r(once$gradient(z, x)), c(2, 2, 2))
  expect_error(once$gradient(z, x), "non-persistent GradientTape can compute gradients only once")
})

test_that("chapter 7.4.2.3: the JAX-style train step on value_and_grad() and the stateless API", {
  model <- get_model()
  model$build(shape(n_features))
  initial <- get_weights(model)
  loss_fn <- loss_sparse_categorical_crossentropy()

  compute_loss_and_updates <- function(trainable_variables, non_trainable_variables,
                                       inputs, targets) {
    .[outputs, non_trainable_variables] <-
      model$stateless_call(trainable_variables, non_trainable_variables, inputs,
                           training = TRUE)
    loss <- loss_fn(targets, outputs)
    list(loss, non_trainable_variables)
  }
  grad_fn <- value_and_grad(compute_loss_and_updates, has_aux = TRUE)

  optimizer <- optimizer_adam(learning_rate = 1e-2)
  optimizer$build(model$trainable_variables)

  train_step <- function(state, inputs, targets) {
    .[trainable_variables, non_trainable_variables, optimizer_variables] <- state
    .[.[loss, non_trainable_variables], grads] <- grad_fn(
      trainable_variables, non_trainable_variables, inputs, targets)
    .[trainable_variables, optimizer_variables] <- optimizer$stateless_apply(
      optimizer_variables, grads, trainable_variables)
    list(loss, list(trainable_variables, non_trainable_variables, optimizer_variables))
  }

  trainable_variables <- model$trainable_variables |> lapply(\(w) w$value)
  non_trainable_variables <- model$non_trainable_variables |> lapply(\(w) w$value)
  optimizer_variables <- optimizer$variables |> lapply(\(w) w$value)
  state <- list(trainable_variables, non_trainable_variables, optimizer_variables)
  inputs <- x_all[1:32, ]
  targets <- y_all[1:32]
  losses <- c()
  for (i in 1:10) {
    .[loss, state] <- train_step(state, inputs, targets)
    losses <- c(losses, as.numeric(as_r(loss)))
  }
  expect_lt(losses[10], losses[1])
  # The model's own weights and the optimizer are untouched ...
  now <- get_weights(model)
  for (i in seq_along(now)) expect_identical(now[[i]], initial[[i]])
  expect_equal(as.integer(optimizer$iterations$numpy()), 0L)
  # ... and the state equals 10 stateful steps of the same optimizer.
  stateful_optimizer <- optimizer_adam(learning_rate = 1e-2)
  for (i in 1:10) {
    with(gradient_tape() %as% tape, {
      loss <- loss_fn(targets, model(inputs, training = TRUE))
    })
    stateful_optimizer$apply(tape$gradient(loss, model$trainable_weights),
                             model$trainable_weights)
  }
  stateful <- weights_of(model$trainable_variables)
  for (i in seq_along(stateful)) expect_equal(as_r(state[[1]][[i]]), stateful[[i]], tolerance = 1e-5)
})

test_that("value_and_grad() takes 1-based argnums and checks them", {
  f <- function(a, b) torch$sum(a * b)
  .[value, grads] <- value_and_grad(f, argnums = 2)(torch$tensor(c(1, 2)), torch$tensor(c(3, 4)))
  expect_equal(as.numeric(as_r(value)), 11)
  expect_equal(as_r(grads), c(1, 2))
  .[value, grads] <- value_and_grad(f, argnums = c(1, 2))(torch$tensor(c(1, 2)), torch$tensor(c(3, 4)))
  expect_equal(as_r(grads[[1]]), c(3, 4))
  expect_equal(as_r(grads[[2]]), c(1, 2))
  expect_error(value_and_grad(f, argnums = 0), "`argnums` counts arguments from 1; received 0")
  expect_error(value_and_grad(function(a) a * 2)(torch$tensor(c(1, 2))),
               "must return a scalar")
})

test_that("chapter 7.4.3: metrics by hand, stateful and stateless", {
  metric <- metric_sparse_categorical_accuracy()
  targets <- op_array(c(0, 1, 2), dtype = "int32")
  predictions <- op_array(rbind(c(1, 0, 0), c(0, 1, 0), c(0, 0, 0.4)))
  metric_variables <- metric$variables
  metric_variables <- metric$stateless_update_state(metric_variables, targets, predictions)
  expect_equal(as.numeric(as_r(metric$stateless_result(metric_variables))), 1)
  expect_equal(vapply(metric$variables, function(v) as.numeric(v$numpy()), 1), c(0, 0))
  metric$update_state(targets, predictions)
  expect_equal(as.numeric(as_r(metric$result())), 1)
  blank <- metric$stateless_reset_state()
  expect_equal(vapply(blank, function(t) as.numeric(as_r(t)), 1), c(0, 0))
  expect_equal(vapply(metric$variables, function(v) as.numeric(v$numpy()), 1), c(3, 3))
})

test_that("compile_function(): R functions run as written, Python callables go to torch.compile", {
  step <- function(x) x * 2
  expect_identical(compile_function(step), step)
  py_fn <- reticulate::py_eval("lambda x: x + 1")
  # the same Python callable comes back (its R function is a new wrapper)
  expect_identical(reticulate::py_id(compile_function(py_fn, jit_compile = FALSE)),
                   reticulate::py_id(py_fn))
  compiled <- compile_function(py_fn)
  expect_false(identical(compiled, py_fn))
  expect_error(compile_function(step, jit_compile = NA), "`jit_compile` must be TRUE or FALSE")
  expect_error(compile_function(42), "`fn` must be a function")
})
