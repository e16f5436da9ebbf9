# Chapter 7.4.4-7.4.5 ("using fit() with a custom training loop") from R:
# train_step overrides (torch-native, tape and JAX-style stateless versions),
# the metrics property, test_step / predict_step, on 256 Fashion-MNIST rows.

fashion_256 <- function() {
  # Debian's dataset-fashion-mnist (installed by `make test`).
  c(c(train_images, train_labels), .) %<-% dataset_fashion_mnist()
  list(images = array_reshape(train_images[1:256, , ], c(256, 28 * 28)) / 255,
       labels = train_labels[1:256])
}

# The chapter's model; `dropout = FALSE` and fewer units for the comparisons.
custom_graph <- function(units = 512, dropout = TRUE, seed = 1) {
  set_random_seed(seed)
  inputs <- keras_input(shape = (28 * 28))
  x <- inputs |> layer_dense(units, activation = "relu")
  if (dropout) x <- x |> layer_dropout(0.5)
  list(inputs = inputs, outputs = x |> layer_dense(10, activation = "softmax"))
}

compile_with_metrics <- function(model) {
  model |> compile(
    optimizer = optimizer_adam(),
    loss = loss_sparse_categorical_crossentropy(),
    metrics = c(metric_sparse_categorical_accuracy())
  )
}

# The built-in fit on the same graph with the same initial weights.
builtin_twin <- function(model, units) {
  g <- custom_graph(units = units, dropout = FALSE, seed = 2)
  reference <- keras_model(g$inputs, g$outputs)
  set_weights(reference, get_weights(model))
  compile_with_metrics(reference)
}

expect_same_weights <- function(a, b, tolerance = 1e-6) {
  for (i in seq_along(get_weights(a)))
    expect_equal(get_weights(a)[[i]], get_weights(b)[[i]], tolerance = tolerance)
}

skip_without_fashion <- function() {
  skip_if_not(dir.exists("/usr/share/datasets/fashion-mnist") ||
                nzchar(Sys.getenv("TORKERAS_TEST_DOWNLOADS")),
              "Fashion-MNIST not installed")
}

test_that("7.4.4.2: the torch-native train_step with a loss tracker and a metrics property", {
  skip_without_fashion()
  c(train_images, train_labels) %<-% fashion_256()
  torch <- import("torch")
  loss_fn <- loss_sparse_categorical_crossentropy()
  loss_tracker <- metric_mean(name = "loss")
  batch_losses <- c()

  CustomModel <- new_model_class(
    "CustomModel",
    train_step = function(data) {
      .[inputs, targets] <- data
      predictions <- self(inputs, training = TRUE)
      loss <- loss_fn(targets, predictions)
      loss$backward()
      trainable_weights <- self$trainable_weights
      gradients <- trainable_weights |> lapply(\(v) v$value$grad)
      with(torch$no_grad(), {
        self$optimizer$apply(gradients, trainable_weights)
      })
      batch_losses <<- c(batch_losses, as.numeric(loss$item()))
      loss_tracker$update_state(loss)
      list(loss = loss_tracker$result())
    },
    metrics = active_property(\() {
      list(loss_tracker)
    })
  )
  get_custom_model <- function() {
    g <- custom_graph()
    model <- CustomModel(g$inputs, g$outputs)
    model |> compile(optimizer = optimizer_adam())
    model
  }
  model <- get_custom_model()
  expect_length(model$metrics, 1L)
  expect_equal(model$metrics[[1]]$name, "loss")
  history <- model |> fit(train_images, train_labels, epochs = 3)
  # 8 batches of 32 per epoch; fit resets the property's metric each epoch.
  expect_length(batch_losses, 24L)
  expected <- vapply(1:3, \(e) mean(batch_losses[(e - 1) * 8 + 1:8]), 0)
  expect_equal(history$metrics$loss, expected, tolerance = 1e-6)
})

test_that("7.4.5.2: compute_loss and self$metrics; with zero_grad it equals the built-in fit", {
  skip_without_fashion()
  c(train_images, train_labels) %<-% fashion_256()
  torch <- import("torch")
  metrics_loop <- function(self, loss, targets, predictions) {
    logs <- list()
    for (metric in self$metrics) {
      if (metric$name == "loss")
        metric$update_state(loss)
      else
        metric$update_state(targets, predictions)
      logs[[metric$name]] <- metric$result()
    }
    logs
  }
  make_class <- function(zero_grad) new_model_class(
    "CustomModel",
    train_step = function(data) {
      .[inputs, targets] <- data
      predictions <- self(inputs, training = TRUE)
      loss <- self$compute_loss(y = targets, y_pred = predictions)
      # The chapter leaves gradients accumulating across steps (as Keras'
      # torch backend would); the built-in step clears them first.
      if (zero_grad) self$zero_grad()
      loss$backward()
      trainable_weights <- self$trainable_weights
      gradients <- trainable_weights |> lapply(\(v) v$value$grad)
      with(torch$no_grad(), {
        self$optimizer$apply(gradients, trainable_weights)
      })
      metrics_loop(self, loss, targets, predictions)
    }
  )
  # As written (dropout, 512 units): it trains and reports flattened logs.
  g <- custom_graph()
  model <- make_class(FALSE)(g$inputs, g$outputs) |> compile_with_metrics()
  history <- model |> fit(train_images, train_labels, epochs = 2)
  expect_named(history$metrics, c("loss", "sparse_categorical_accuracy"))
  expect_true(all(is.finite(history$metrics$loss)))

  g <- custom_graph(units = 32, dropout = FALSE)
  model <- make_class(TRUE)(g$inputs, g$outputs) |> compile_with_metrics()
  reference <- builtin_twin(model, 32)
  h_custom <- model |> fit(train_images, train_labels, batch_size = 64, epochs = 2,
                           shuffle = FALSE)
  h_ref <- reference |> fit(train_images, train_labels, batch_size = 64, epochs = 2,
                            shuffle = FALSE)
  expect_same_weights(model, reference)
  expect_equal(h_custom$metrics, h_ref$metrics, tolerance = 1e-6)
  expect_equal(evaluate(model, train_images, train_labels),
               evaluate(reference, train_images, train_labels), tolerance = 1e-6)
})

test_that("7.4.4.1 / 7.4.5.1: the gradient tape version equals the built-in fit", {
  skip_without_fashion()
  skip_if_not(exists("gradient_tape", envir = asNamespace("torkeras")), "no gradient_tape()")
  c(train_images, train_labels) %<-% fashion_256()
  CustomModel <- new_model_class(
    "CustomModel",
    train_step = function(data) {
      .[inputs, targets] <- data
      with(gradient_tape() %as% tape, {
        predictions <- self(inputs, training = TRUE)
        loss <- self$compute_loss(y = targets, y_pred = predictions)
      })
      gradients <- tape$gradient(loss, self$trainable_weights)
      self$optimizer$apply(gradients, self$trainable_weights)
      logs <- list()
      for (metric in self$metrics) {
        if (metric$name == "loss")
          metric$update_state(loss)
        else
          metric$update_state(targets, predictions)
        logs[[metric$name]] <- metric$result()
      }
      logs
    }
  )
  g <- custom_graph(units = 32, dropout = FALSE)
  model <- CustomModel(g$inputs, g$outputs) |> compile_with_metrics()
  reference <- builtin_twin(model, 32)
  h_custom <- model |> fit(train_images, train_labels, batch_size = 64, epochs = 2,
                           shuffle = FALSE)
  h_ref <- reference |> fit(train_images, train_labels, batch_size = 64, epochs = 2,
                            shuffle = FALSE)
  expect_same_weights(model, reference)
  expect_equal(h_custom$metrics, h_ref$metrics, tolerance = 1e-6)

  # 7.4.4.1 as written: a loss tracker, compile() with only an optimizer.
  loss_fn <- loss_sparse_categorical_crossentropy()
  loss_tracker <- metric_mean(name = "loss")
  TapeModel <- new_model_class(
    "TapeModel",
    train_step = function(data) {
      .[inputs, targets] <- data
      with(gradient_tape() %as% tape, {
        predictions <- self(inputs, training = TRUE)
        loss <- loss_fn(targets, predictions)
      })
      gradients <- tape$gradient(loss, model$trainable_weights)
      self$optimizer$apply(gradients, model$trainable_weights)
      loss_tracker$update_state(loss)
      list("loss" = loss_tracker$result())
    },
    metrics = active_property(\() {
      list(loss_tracker)
    })
  )
  g <- custom_graph()
  model <- TapeModel(g$inputs, g$outputs)
  model |> compile(optimizer = optimizer_adam())
  history <- model |> fit(train_images, train_labels, epochs = 3)
  expect_true(history$metrics$loss[3] < history$metrics$loss[1])
})

test_that("7.4.4.3 / 7.4.5.3: JAX-style train_step(self, state, data) on torch", {
  skip_without_fashion()
  skip_if_not(exists("value_and_grad", envir = asNamespace("torkeras")), "no value_and_grad()")
  c(train_images, train_labels) %<-% fashion_256()

  # 7.4.4.3 as written: per-batch loss in the logs, state returned.
  loss_fn <- loss_sparse_categorical_crossentropy()
  CustomModel <- new_model_class(
    "CustomModel",
    compute_loss_and_updates = function(
      trainable_variables,
      non_trainable_variables,
      inputs,
      targets,
      training = FALSE
    ) {
      .[predictions, non_trainable_variables] <- self$stateless_call(
        trainable_variables,
        non_trainable_variables,
        inputs,
        training = training
      )
      loss <- loss_fn(targets, predictions)
      list(loss, non_trainable_variables)
    },
    train_step = function(state, data) {
      .[
        trainable_variables,
        non_trainable_variables,
        optimizer_variables,
        metrics_variables
      ] <- state
      .[inputs, targets] <- data
      grad_fn <- value_and_grad(
        self$compute_loss_and_updates,
        has_aux = TRUE
      )
      .[.[loss, non_trainable_variables], grads] <- grad_fn(
        trainable_variables,
        non_trainable_variables,
        inputs,
        targets,
        training = TRUE
      )
      .[trainable_variables, optimizer_variables] <-
        self$optimizer$stateless_apply(
          optimizer_variables,
          grads,
          trainable_variables
        )
      logs <- list(loss = loss)
      new_state <- list(
        trainable_variables,
        non_trainable_variables,
        optimizer_variables,
        metrics_variables
      )
      list(logs, new_state)
    }
  )
  g <- custom_graph()
  model <- CustomModel(g$inputs, g$outputs)
  model |> compile(optimizer = optimizer_adam())
  before <- get_weights(model)
  history <- model |> fit(train_images, train_labels, epochs = 3)
  expect_true(all(is.finite(history$metrics$loss)))
  expect_false(isTRUE(all.equal(before[[1]], get_weights(model)[[1]])))
  expect_equal(as.numeric(model$optimizer$iterations$numpy()), 24)

  # 7.4.5.3 as written (an explicit `self` formal, metrics in the state).
  CustomModel <- new_model_class(
    "CustomModel",
    compute_loss_and_updates = function(
      trainable_variables,
      non_trainable_variables,
      inputs,
      targets,
      training = FALSE
    ) {
      .[predictions, non_trainable_variables] <-
        self$stateless_call(
          trainable_variables,
          non_trainable_variables,
          inputs,
          training = training
        )
      loss <- self$compute_loss(y = targets, y_pred = predictions)
      tuple(loss, tuple(predictions, non_trainable_variables))
    },
    train_step = function(self, state, data) {
      .[
        trainable_variables,
        non_trainable_variables,
        optimizer_variables,
        metrics_variables
      ] <- state
      .[inputs, targets] <- data
      grad_fn <-
        value_and_grad(self$compute_loss_and_updates, has_aux = TRUE)
      .[.[loss, .[predictions, non_trainable_variables]], grads] <-
        grad_fn(
          trainable_variables,
          non_trainable_variables,
          inputs,
          targets,
          training = TRUE
        )
      .[trainable_variables, optimizer_variables] <-
        self$optimizer$stateless_apply(
          optimizer_variables,
          grads,
          trainable_variables
        )
      logs <- new_metrics_vars <- list()
      for (metric in self$metrics) {
        this_metric_vars <- metrics_variables[seq(
          from = length(new_metrics_vars) + 1,
          along.with = metric$variables
        )]
        this_metric_vars <- if (metric$name == "loss") {
          metric$stateless_update_state(this_metric_vars, loss)
        } else {
          metric$stateless_update_state(this_metric_vars, targets, predictions)
        }
        logs[[metric$name]] <- metric$stateless_result(this_metric_vars)
        new_metrics_vars <- c(new_metrics_vars, this_metric_vars)
      }
      new_state <- list(
        trainable_variables,
        non_trainable_variables,
        optimizer_variables,
        new_metrics_vars
      )
      list(logs, new_state)
    }
  )
  g <- custom_graph(units = 32, dropout = FALSE)
  model <- CustomModel(g$inputs, g$outputs) |> compile_with_metrics()
  reference <- builtin_twin(model, 32)
  h_custom <- model |> fit(train_images, train_labels, batch_size = 64, epochs = 2,
                           shuffle = FALSE)
  h_ref <- reference |> fit(train_images, train_labels, batch_size = 64, epochs = 2,
                            shuffle = FALSE)
  expect_named(h_custom$metrics, c("loss", "sparse_categorical_accuracy"))
  expect_same_weights(model, reference)
  expect_equal(h_custom$metrics, h_ref$metrics, tolerance = 1e-6)
})

test_that("overridden test_step and predict_step are used by evaluate, fit and predict", {
  skip_without_fashion()
  c(train_images, train_labels) %<-% fashion_256()
  torch <- import("torch")
  ScoredModel <- new_model_class(
    "ScoredModel",
    initialize = function(...) {
      super$initialize(...)
      self$error_tracker <- metric_mean(name = "prob_error")
    },
    test_step = function(data) {
      .[x, y] <- data
      probs <- self(x, training = FALSE)
      one_hot <- torch$nn$functional$one_hot(y$long(), 10L)$to(probs$dtype)
      self$error_tracker$update_state(torch$abs(probs - one_hot)$mean(dim = 1L))
      list(prob_error = self$error_tracker$result())
    },
    predict_step = function(data) {
      probs <- self(data[[1]], training = FALSE)
      list(class = torch$argmax(probs, dim = 1L), double = probs * 2)
    },
    metrics = active_property(function() list(self$error_tracker))
  )
  g <- custom_graph(units = 16, dropout = FALSE)
  model <- ScoredModel(g$inputs, g$outputs)
  model |> compile(optimizer = "adam", loss = "sparse_categorical_crossentropy")
  probs <- predict(keras_model(g$inputs, g$outputs), train_images, verbose = 0)
  one_hot <- diag(10)[train_labels + 1, ]
  expected <- mean(abs(probs - one_hot))
  expect_equal(evaluate(model, train_images, train_labels, batch_size = 64),
               list(prob_error = expected), tolerance = 1e-5)
  out <- predict(model, train_images, batch_size = 100)
  expect_equal(as.integer(out$class), max.col(probs, ties.method = "first") - 1L)
  expect_equal(out$double, 2 * probs, tolerance = 1e-6)
  history <- model |> fit(train_images, train_labels, epochs = 1,
                          validation_data = list(train_images, train_labels))
  expect_true("val_prob_error" %in% names(history$metrics))
})

test_that("active_property() checks its argument", {
  expect_error(active_property(1), "`fn` must be an R function")
})

test_that("a model class's own compile() receives only the arguments given", {
  received <- NULL
  TwoOptimizers <- new_model_class(
    "TwoOptimizers",
    compile = function(d_optimizer, g_optimizer, loss_fn) {
      super$compile()
      received <<- list(d = d_optimizer$learning_rate, g = g_optimizer$learning_rate,
                        loss = loss_fn$name)
    }
  )
  model <- TwoOptimizers()
  model |> compile(d_optimizer = optimizer_adam(learning_rate = 0.25),
                   g_optimizer = optimizer_sgd(learning_rate = 0.5),
                   loss_fn = loss_binary_crossentropy(from_logits = TRUE))
  expect_equal(received, list(d = 0.25, g = 0.5, loss = "binary_crossentropy"))
  # the ordinary compile() still gets its defaults from Python
  g <- custom_graph(units = 4, dropout = FALSE)
  plain <- keras_model(g$inputs, g$outputs) |> compile(loss = "mse")
  expect_match(plain$optimizer$name, "^rm_sprop")  # Keras 3.15's auto-name
})

test_that("random_seed_generator() gives new, reproducible draws at each call", {
  draws <- function() {
    gen <- random_seed_generator(1337)
    list(as.array(random_normal(c(2, 3), seed = gen)),
         as.array(random_uniform(c(2, 3), seed = gen)))
  }
  first <- draws()
  expect_equal(dim(first[[1]]), c(2L, 3L))
  expect_false(isTRUE(all.equal(first[[1]], first[[2]])))
  expect_equal(draws(), first)
  expect_error(random_seed_generator(1.5), "whole number")
})
