# fit / evaluate / predict / compile arguments from R, with numbers checked in
# base R (Keras 3 semantics; keras3's R conventions: 1-based epochs, 0-based
# class ids in class_weight).

fa_data <- function(n = 40, d = 4, classes = 3, seed = 1) {
  set.seed(seed)
  list(x = matrix(rnorm(n * d), n, d), y = sample(0:(classes - 1), n, replace = TRUE))
}

fa_model <- function(d = 4, classes = 3, seed = 1) {
  set_random_seed(seed)
  inputs <- keras_input(shape = d)
  keras_model(inputs, inputs |> layer_dense(classes, activation = "softmax"))
}

fa_frozen <- function(model, ...) {
  model |> compile(optimizer = optimizer_sgd(0), ...)
  model
}

fa_cce <- function(p, y) -log(pmin(pmax(p[cbind(seq_along(y), y + 1L)], 1e-7), 1))

fa_counter <- function() {
  env <- new.env()
  env$events <- character()
  cb <- Callback(
    "Counter",
    on_epoch_begin = function(epoch, logs = NULL) env$events <- c(env$events, paste0("epoch:", epoch)),
    on_train_batch_begin = function(batch, logs = NULL) env$events <- c(env$events, paste0("batch:", batch)),
    on_train_batch_end = function(batch, logs = NULL) env$events <- c(env$events, paste0("end:", batch)),
    on_epoch_end = function(epoch, logs = NULL) {
      if ("val_loss" %in% names(logs)) env$events <- c(env$events, paste0("val:", epoch))
    }
  )
  list(callback = cb(), env = env)
}

test_that("sample_weight: sum of weighted losses over the batch size", {
  d <- fa_data()
  sw <- seq(0, 2, length.out = 40)
  model <- fa_frozen(fa_model(), loss = "sparse_categorical_crossentropy")
  per <- fa_cce(predict(model, d$x), d$y)
  res <- evaluate(model, d$x, d$y, sample_weight = sw, batch_size = 40)
  expect_equal(res$loss, sum(sw * per) / 40, tolerance = 1e-5)
  hist <- fit(model, d$x, d$y, sample_weight = sw, batch_size = 40, shuffle = FALSE)
  expect_equal(hist$metrics$loss, sum(sw * per) / 40, tolerance = 1e-5)
})

test_that("class_weight c('5' = 2) trains exactly like sample_weight 2 on class 5", {
  d <- fa_data(n = 60, classes = 6)
  d$y[1:10] <- 5L
  sw <- ifelse(d$y == 5, 2, 1)
  run <- function(...) {
    model <- fa_model(classes = 6)
    model |> compile(optimizer = optimizer_sgd(0.1), loss = "sparse_categorical_crossentropy")
    hist <- fit(model, d$x, d$y, batch_size = 16, epochs = 2, shuffle = FALSE, ...)
    list(loss = hist$metrics$loss, pred = predict(model, d$x))
  }
  a <- run(class_weight = c("5" = 2.0))
  b <- run(sample_weight = sw)
  c <- run(class_weight = list("0" = 1, "5" = 2))
  expect_equal(a$loss, b$loss, tolerance = 1e-6)
  expect_equal(a$pred, b$pred, tolerance = 1e-6)
  expect_equal(c$pred, b$pred, tolerance = 1e-6)
  # an unnamed vector gives the weights of classes 0, 1, 2, ... in order
  d$y[d$y > 2] <- 2L
  model <- fa_frozen(fa_model(), loss = "sparse_categorical_crossentropy")
  per <- fa_cce(predict(model, d$x), d$y)
  hist <- fit(model, d$x, d$y, class_weight = c(1, 1, 3), batch_size = 60)
  expect_equal(hist$metrics$loss, sum(ifelse(d$y == 2, 3, 1) * per) / 60, tolerance = 1e-5)
})

test_that("weighted_metrics get the sample weights, metrics do not", {
  d <- fa_data()
  sw <- rep(c(1, 0), each = 20)
  model <- fa_frozen(fa_model(), loss = "sparse_categorical_crossentropy",
                     metrics = "accuracy", weighted_metrics = "accuracy")
  correct <- max.col(predict(model, d$x), ties.method = "first") - 1L == d$y
  res <- evaluate(model, d$x, d$y, sample_weight = sw, batch_size = 40)
  expect_setequal(names(res), c("loss", "accuracy", "weighted_accuracy"))
  expect_equal(res$accuracy, mean(correct), tolerance = 1e-6)
  expect_equal(res$weighted_accuracy, mean(correct[1:20]), tolerance = 1e-6)
})

fa_two_by_two <- function(seed = 2) {
  set_random_seed(seed)
  num <- keras_input(shape = 3, name = "num")
  cat <- keras_input(shape = 2, name = "cat")
  h <- layer_concatenate(num, cat)
  priority <- h |> layer_dense(1, name = "priority")
  department <- h |> layer_dense(4, activation = "softmax", name = "department")
  keras_model(list(num, cat), list(priority, department))
}

fa_two_data <- function(n = 24) {
  set.seed(3)
  list(a = matrix(rnorm(n * 3), n, 3), b = matrix(rnorm(n * 2), n, 2),
       p = matrix(rnorm(n), n, 1), d = sample(0:3, n, replace = TRUE))
}

test_that("multi-input / multi-output: unnamed and named lists, per-output losses and loss_weights", {
  d <- fa_two_data()
  model <- fa_frozen(fa_two_by_two(),
                     loss = list(priority = "mse", department = "sparse_categorical_crossentropy"),
                     loss_weights = list(priority = 2, department = 0.5),
                     metrics = list(priority = list("mae"), department = "accuracy"))
  pred <- predict(model, list(d$a, d$b))
  expect_length(pred, 2)
  mse <- mean((pred[[1]] - d$p)^2)
  cce <- mean(fa_cce(pred[[2]], d$d))
  pos <- evaluate(model, list(d$a, d$b), list(d$p, d$d), batch_size = 24)
  named <- evaluate(model, list(num = d$a, cat = d$b), list(priority = d$p, department = d$d),
                    batch_size = 24)
  expect_equal(pos$loss, 2 * mse + 0.5 * cce, tolerance = 1e-5)
  expect_equal(pos$priority_loss, mse, tolerance = 1e-5)
  expect_equal(pos$department_loss, cce, tolerance = 1e-5)
  expect_equal(pos$priority_mae, mean(abs(pred[[1]] - d$p)), tolerance = 1e-5)
  expect_setequal(names(pos), c("loss", "priority_loss", "department_loss",
                                "priority_mae", "department_accuracy"))
  expect_equal(named[names(pos)], pos, tolerance = 1e-6)
  hist <- fit(model, list(num = d$a, cat = d$b), list(priority = d$p, department = d$d),
              batch_size = 24)
  expect_equal(hist$metrics$department_loss, cce, tolerance = 1e-5)
})

test_that("a NULL loss for an output, positional and named; a single loss for all outputs", {
  d <- fa_two_data()
  for (loss in list(list(NULL, "sparse_categorical_crossentropy"),
                    list(department = "sparse_categorical_crossentropy"))) {
    model <- fa_frozen(fa_two_by_two(), loss = loss)
    cce <- mean(fa_cce(predict(model, list(d$a, d$b))[[2]], d$d))
    expect_equal(evaluate(model, list(d$a, d$b), list(d$p, d$d), batch_size = 24),
                 list(loss = cce), tolerance = 1e-5)
    # targets only for the outputs that have a loss
    hist <- fit(model, list(d$a, d$b), list(d$d), batch_size = 24)
    expect_equal(hist$metrics$loss, cce, tolerance = 1e-5)
  }
  set_random_seed(4)
  inputs <- keras_input(shape = 3)
  model <- keras_model(inputs, list(inputs |> layer_dense(2, name = "u"),
                                    inputs |> layer_dense(2, name = "v")))
  model <- fa_frozen(model, loss = "mse")
  yu <- matrix(rnorm(48), 24, 2)
  yv <- matrix(rnorm(48), 24, 2)
  pred <- predict(model, d$a)
  res <- evaluate(model, d$a, list(yu, yv), batch_size = 24)
  expect_equal(res$loss, mean((pred[[1]] - yu)^2) + mean((pred[[2]] - yv)^2), tolerance = 1e-5)
})

test_that("steps_per_epoch runs exactly that many steps; validation_freq; validation_steps", {
  d <- fa_data(n = 80)
  model <- fa_model()
  model |> compile(optimizer = "sgd", loss = "sparse_categorical_crossentropy")
  cnt <- fa_counter()
  fit(model, d$x, d$y, batch_size = 8, steps_per_epoch = 5, epochs = 2,
      callbacks = list(cnt$callback))
  expect_identical(sum(startsWith(cnt$env$events, "batch:")), 10L)
  expect_identical(cnt$env$events[startsWith(cnt$env$events, "batch:")],
                   paste0("batch:", rep(1:5, 2)))

  cnt <- fa_counter()
  hist <- fit(model, d$x, d$y, epochs = 4, validation_data = list(d$x, d$y),
              validation_freq = 2, callbacks = list(cnt$callback))
  expect_identical(cnt$env$events[startsWith(cnt$env$events, "val:")], c("val:2", "val:4"))
  expect_length(hist$metrics$val_loss, 4)  # NA where not validated
  expect_identical(hist$metrics$val_loss[c(1, 3)], c(NA_real_, NA_real_))
  expect_false(anyNA(hist$metrics$val_loss[c(2, 4)]))
  # a vector of (1-based) epochs, as Keras 3 accepts a list
  hist <- fit(model, d$x, d$y, epochs = 4, validation_data = list(d$x, d$y),
              validation_freq = c(1, 3))
  expect_identical(is.na(hist$metrics$val_loss), c(FALSE, TRUE, FALSE, TRUE))

  model <- fa_frozen(model, loss = "sparse_categorical_crossentropy")
  ref <- evaluate(model, d$x[1:10, ], d$y[1:10])$loss
  hist <- fit(model, d$x, d$y, validation_data = list(d$x, d$y), validation_steps = 2,
              validation_batch_size = 5)
  expect_equal(hist$metrics$val_loss, ref, tolerance = 1e-5)
})

test_that("initial_epoch is 1-based in R and resumes the numbering", {
  d <- fa_data()
  model <- fa_model()
  model |> compile(optimizer = "sgd", loss = "sparse_categorical_crossentropy")
  cnt <- fa_counter()
  hist <- fit(model, d$x, d$y, epochs = 5, initial_epoch = 4, callbacks = list(cnt$callback))
  expect_identical(cnt$env$events[startsWith(cnt$env$events, "epoch:")], c("epoch:4", "epoch:5"))
  expect_identical(hist$params$epochs, 5L)
})

test_that("steps_per_execution = 4 calls the batch hooks once per 4 steps", {
  d <- fa_data(n = 80)
  model <- fa_model()
  model |> compile(optimizer = "sgd", loss = "sparse_categorical_crossentropy",
                   steps_per_execution = 4)
  cnt <- fa_counter()
  fit(model, d$x, d$y, batch_size = 8, callbacks = list(cnt$callback))
  ev <- cnt$env$events
  expect_identical(ev[startsWith(ev, "batch:")], c("batch:1", "batch:5", "batch:9"))
  expect_identical(ev[startsWith(ev, "end:")], c("end:4", "end:8", "end:10"))
})

test_that("jit_compile, run_eagerly and shuffle values are accepted and train", {
  d <- fa_data()
  for (args in list(list(run_eagerly = TRUE), list(auto_scale_loss = FALSE))) {
    model <- fa_model()
    do.call(compile, c(list(model, optimizer = "sgd", loss = "sparse_categorical_crossentropy"), args))
    for (shuffle in list(TRUE, FALSE, "batch"))
      expect_length(fit(model, d$x, d$y, shuffle = shuffle)$metrics$loss, 1)
  }
  expect_true(model$compiled)
})

test_that("train_on_batch / test_on_batch / predict_on_batch", {
  d <- fa_data(n = 16)
  sw <- ifelse(d$y == 2, 2, 1)
  model <- fa_frozen(fa_model(), loss = "sparse_categorical_crossentropy")
  per <- fa_cce(predict_on_batch(model, d$x), d$y)
  expect_equal(predict_on_batch(model, d$x), predict(model, d$x), tolerance = 1e-6)
  # just the loss: a number
  expect_equal(train_on_batch(model, d$x, d$y, sample_weight = sw), sum(sw * per) / 16,
               tolerance = 1e-5)
  model$reset_metrics()
  expect_equal(train_on_batch(model, d$x, d$y, class_weight = c("2" = 2)), sum(sw * per) / 16,
               tolerance = 1e-5)
  model <- fa_frozen(model, loss = "sparse_categorical_crossentropy", metrics = "accuracy")
  res <- test_on_batch(model, d$x, d$y)
  expect_identical(names(res), c("loss", "accuracy"))
  expect_equal(res$loss, mean(per), tolerance = 1e-5)
  # multi-io with named lists
  t <- fa_two_data()
  model <- fa_frozen(fa_two_by_two(), loss = list("mse", "sparse_categorical_crossentropy"))
  pred <- predict_on_batch(model, list(num = t$a, cat = t$b))
  res <- train_on_batch(model, list(t$a, t$b), list(priority = t$p, department = t$d))
  expect_equal(res$priority_loss, mean((pred[[1]] - t$p)^2), tolerance = 1e-5)
})
