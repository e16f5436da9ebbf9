# The R6-style class factories: Layer(), Loss(), Metric(), Callback(),
# Model(), LearningRateSchedule(), Constraint() (+ new_*_class() aliases),
# and plain R functions as components. The guides' class-based examples run
# here on small data, with their numbers checked against base R.

as_r <- function(x) as.array(op_convert_to_numpy(x))

test_that("defining a class does not start Python", {
  rscript <- file.path(R.home("bin"), "Rscript")
  code <- paste(
    "library(torkeras)",
    "l <- Layer('Lazy', call = function(x) x)",
    "m <- new_model_class('LazyModel', call = function(x) x)",
    "cb <- Callback('LazyCb', on_epoch_end = function(epoch, logs) NULL)",
    "ls <- Loss('LazyLoss', call = function(y_true, y_pred) y_pred)",
    "cat('PY', reticulate::py_available(), '\\n')",
    sep = "; ")
  out <- suppressWarnings(system2(rscript, c("-e", shQuote(code)), stdout = TRUE, stderr = TRUE))
  expect_true(any(grepl("PY FALSE", out, fixed = TRUE)), info = paste(out, collapse = "\n"))
})

test_that("the factories and their aliases make real Python subclasses", {
  tk <- keras
  cases <- list(
    list(Layer, new_layer_class, tk$layers$Layer, list(call = function(x) x)),
    list(Loss, new_loss_class, tk$losses$Loss, list(call = function(y_true, y_pred) y_pred)),
    list(Metric, new_metric_class, tk$metrics$Metric, list(result = function() 0)),
    list(Callback, new_callback_class, tk$callbacks$Callback, list()),
    list(Model, new_model_class, tk$Model, list(call = function(x) x)),
    list(LearningRateSchedule, new_learning_rate_schedule_class,
         tk$optimizers$schedules$LearningRateSchedule, list(call = function(step) 0.1)),
    list(Constraint, Constraint, tk$constraints$Constraint, list(call = function(w) w))
  )
  builtins <- reticulate::import_builtins()
  for (i in seq_along(cases)) {
    case <- cases[[i]]
    expect_identical(case[[1]], case[[2]])
    classname <- paste0("Thing", i)
    ctor <- do.call(case[[1]], c(list(classname), case[[4]]))
    expect_s3_class(ctor, "torkeras_class")
    obj <- if (identical(case[[1]], Layer)) ctor() else ctor()
    expect_true(builtins$isinstance(obj, case[[3]]))
    # reticulate names the class after its module: "<r-globalenv>" or, as
    # under testthat (a local environment), "<r-local>"
    expect_match(class(obj)[1], paste0("^<r-[a-z]+>\\.", classname, "$"))
    expect_identical(reticulate::py_to_r(reticulate::py_get_attr(
      reticulate::py_get_attr(obj, "__class__"), "__name__")), classname)
  }
})

test_that("instances and classes print sensibly", {
  loss_custom <- Loss("PrintLoss", call = function(y_true, y_pred) y_pred)
  expect_output(print(loss_custom), "<torkeras loss class PrintLoss>")
  expect_match(reticulate::py_repr(loss_custom(name = "pl")), "<PrintLoss name=pl", fixed = TRUE)
  cb <- Callback("PrintCallback")()
  expect_identical(reticulate::py_repr(cb), "<PrintCallback>")
  metric <- Metric("PrintMetric", result = function() 0)(name = "pm")
  expect_identical(reticulate::py_repr(metric), "<PrintMetric name=pm>")
})

test_that("methods see self with or without listing it; self$x <- value sets attributes", {
  Counter <- Layer(
    "Counter",
    initialize = function(step = 1, ...) {
      super$initialize(...)
      self$step <- step
      self$calls <- 0
    },
    call = function(self, inputs) {
      self$calls <- self$calls + self$step
      inputs
    },
    bump = function(by) {
      self$calls <- self$calls + by
      invisible(self$calls)
    }
  )
  layer <- Counter(step = 2, name = "counter")
  expect_identical(layer$name, "counter")
  layer(matrix(1, 2, 2))
  layer(matrix(1, 2, 2))
  expect_equal(layer$calls, 4)
  layer$bump(10)
  expect_equal(layer$calls, 14)
})

test_that("sub-layers and variables assigned through self$ are tracked", {
  Block <- Layer(
    "Block",
    initialize = function(units = 3, ...) {
      super$initialize(...)
      self$dense <- layer_dense(, units)
      self$scale <- self$add_weight(shape = shape(), initializer = "ones", name = "scale")
    },
    call = function(inputs) self$dense(inputs) * self$scale
  )
  block <- Block(units = 3)
  out <- block(matrix(1, 2, 4))
  expect_identical(dim(as_r(out)), c(2L, 3L))
  expect_length(block$trainable_weights, 3L)  # scale, kernel, bias
})

test_that("super reaches the parent's methods: super$initialize, super$call, super()$m()", {
  Doubler <- Layer(
    "Doubler",
    initialize = function(...) super$initialize(...),
    call = function(inputs) inputs * 2,
    describe = function() "doubler"
  )
  Quadrupler <- Layer(
    "Quadrupler",
    inherit = Doubler,
    call = function(inputs) super$call(inputs) * 2,
    describe = function() paste("quad of", super()$describe())
  )
  q <- Quadrupler(name = "q")
  expect_identical(q$name, "q")
  expect_equal(as.numeric(as_r(q(matrix(1.5, 1, 1)))), 6)
  expect_identical(q$describe(), "quad of doubler")
  # the R constructor of the child takes the parent's arguments
  expect_true("..." %in% names(formals(Quadrupler)))
  expect_true(reticulate::import_builtins()$isinstance(q, reticulate::py_get_attr(
    Doubler(), "__class__")))
})

test_that("inherit = a Python class", {
  tk <- keras
  MyDense <- Layer(
    "MyDense",
    inherit = tk$layers$Dense,
    call = function(inputs) super$call(inputs) + 100
  )
  layer <- MyDense(units = 2, kernel_initializer = "zeros")
  out <- as_r(layer(matrix(1, 3, 4)))
  expect_equal(out, matrix(100, 3, 2), ignore_attr = TRUE)
  expect_true(reticulate::import_builtins()$isinstance(layer, tk$layers$Dense))
})

test_that("private is per instance, hidden from Python, and freed with the object", {
  Stash <- Layer(
    "Stash",
    initialize = function(value, ...) {
      super$initialize(...)
      private$value <- value
    },
    get_value = function() private$value,
    set_value = function(v) private$value <- v,
    private = list(helper = function() paste("helper of", self$name))
  )
  a <- Stash(value = "a", name = "stash_a")
  b <- Stash(value = "b", name = "stash_b")
  expect_identical(a$get_value(), "a")
  expect_identical(b$get_value(), "b")
  a$set_value("changed")
  expect_identical(a$get_value(), "changed")
  expect_identical(b$get_value(), "b")
  # private members given to the factory see self
  Helper <- Layer("Helper", call = function(x) x, greet = function() private$helper(),
                  private = list(helper = function() paste("helper of", self$name)))
  expect_identical(Helper(name = "h1")$greet(), "helper of h1")
  # Python sees no attribute holding the private state
  expect_false(reticulate::py_has_attr(a, "private"))
  expect_false(any(grepl("private", names(reticulate::py_get_attr(a, "__dict__")))))

  registry <- torkeras:::.private_registry()
  key <- reticulate::py_id(a)
  expect_true(exists(key, envir = registry, inherits = FALSE))
  before <- torkeras:::.private_count()
  rm(a)
  gc(); reticulate::import("gc")$collect(); gc()
  expect_false(exists(key, envir = registry, inherits = FALSE))
  expect_true(torkeras:::.private_count() <= before - 1L)
})

test_that("initialize and finalize are __init__ and __del__", {
  log <- new.env()
  log$deleted <- 0
  Tracked <- Callback(
    "Tracked",
    initialize = function(tag) {
      super$initialize()
      self$tag <- tag
      "a value that Python must not see as __init__'s result"
    },
    finalize = function() log$deleted <- log$deleted + 1
  )
  obj <- Tracked("x")
  expect_identical(obj$tag, "x")
  rm(obj)
  gc(); reticulate::import("gc")$collect(); gc()
  expect_equal(log$deleted, 1)
})

test_that("call(inputs, training = NULL) gets training = TRUE in fit and FALSE in predict", {
  seen <- new.env()
  seen$values <- list()
  Probe <- Layer(
    "Probe",
    call = function(inputs, training = NULL) {
      seen$values[[length(seen$values) + 1L]] <- training
      inputs
    }
  )
  sig <- reticulate::import("inspect")$signature(
    reticulate::py_get_attr(reticulate::py_get_attr(Probe(), "__class__"), "call"))
  expect_identical(reticulate::py_str(sig), "(self, inputs, training=None)")
  inputs <- keras_input(shape = 2)
  outputs <- inputs |> layer_dense(1) |> Probe()
  model <- keras_model(inputs, outputs)
  model |> compile(optimizer = "sgd", loss = "mse")
  seen$values <- list()
  model |> fit(matrix(1, 4, 2), matrix(0, 4, 1), batch_size = 4, epochs = 1, verbose = 0)
  expect_true(length(seen$values) >= 1L)
  expect_true(all(vapply(seen$values, isTRUE, TRUE)))
  seen$values <- list()
  predict(model, matrix(1, 4, 2), verbose = 0)
  expect_true(length(seen$values) >= 1L)
  expect_true(all(vapply(seen$values, isFALSE, TRUE)))
})

test_that("argument names and defaults are visible to Python's inspect", {
  Sig <- Layer("Sig", call = function(inputs, training = NULL, mask = NULL, scale = 2L,
                                      label = "x", flag = TRUE, neg = -1, ...) inputs,
               other = function(a, b = c(1, 2), ..., key = NA) NULL)
  cls <- reticulate::py_get_attr(Sig(), "__class__")
  inspect <- reticulate::import("inspect")
  expect_identical(
    reticulate::py_str(inspect$signature(reticulate::py_get_attr(cls, "call"))),
    "(self, inputs, training=None, mask=None, scale=2, label='x', flag=True, neg=-1.0, *args, **kwargs)")
  expect_identical(
    reticulate::py_str(inspect$signature(reticulate::py_get_attr(cls, "other"))),
    "(self, a, b=c(1, 2), *args, key=NA, **kwargs)")
})

test_that("build() gets shape() with NA batch; compute_output_shape() returns shapes", {
  seen <- new.env()
  Proj <- Layer(
    "Proj",
    initialize = function(units = 2, ...) {
      super$initialize(...)
      self$units <- as.integer(units)
    },
    build = function(input_shape) {
      seen$shape <- input_shape
      self$w <- self$add_weight(shape = shape(input_shape[[2]], self$units),
                                initializer = "ones")
    },
    call = function(inputs) op_matmul(inputs, self$w),
    compute_output_shape = function(input_shape) {
      seen$out_in <- input_shape
      shape(input_shape[[1]], self$units)
    }
  )
  inputs <- keras_input(shape = 5)
  out <- inputs |> Proj(units = 3)
  expect_s3_class(seen$shape, "keras_shape")
  expect_identical(format(seen$shape), "shape(NA, 5)")
  expect_null(seen$shape[[1]])
  expect_identical(seen$shape[[2]], 5L)
  expect_identical(format(seen$out_in), "shape(NA, 5)")
  expect_identical(format(shape(out)), "shape(NA, 3)")
  # integer vectors with NA work as return values too
  Flat <- Layer("Flat", call = function(inputs) op_reshape(inputs, c(-1, 6)),
                compute_output_shape = function(input_shape) c(NA, 6L))
  expect_identical(format(shape(keras_input(shape = c(2, 3)) |> Flat())), "shape(NA, 6)")
})

test_that("Layer() constructors compose like layer_*(): instance, Sequential, tensor", {
  layer_scale <- Layer(
    "Scale",
    initialize = function(factor = 2, ...) {
      super$initialize(...)
      self$factor <- factor
    },
    call = function(inputs) inputs * self$factor
  )
  expect_identical(names(formals(layer_scale)), c("object", "factor", "..."))
  layer <- layer_scale(factor = 3)
  expect_s3_class(layer, "torkeras.layers.layer.Layer")
  model <- keras_model_sequential(input_shape = 2) |> layer_scale(factor = 10)
  expect_length(model$layers, 1L)
  expect_equal(as.numeric(predict(model, matrix(1, 1, 2), verbose = 0)), c(10, 10))
  expect_equal(as.numeric(as_r(matrix(1, 1, 2) |> layer_scale(factor = 4))), c(4, 4))
})

test_that("an R error inside a method reaches R with its message", {
  Broken <- Layer("Broken", call = function(inputs) stop("custom failure in call"))
  expect_error(Broken()(matrix(1, 2, 2)), "custom failure in call")
})

test_that("LearningRateSchedule() and Constraint() classes and R functions work", {
  schedule <- LearningRateSchedule(
    "Halving",
    initialize = function(initial = 0.1) self$initial <- initial,
    call = function(step) self$initial / (1 + as.numeric(op_convert_to_numpy(step)))
  )
  sched <- schedule(initial = 0.5)
  expect_equal(as.numeric(sched(1)), 0.25)
  opt <- optimizer_sgd(learning_rate = sched)
  model <- keras_model_sequential(input_shape = 1) |> layer_dense(1, use_bias = FALSE)
  model |> compile(optimizer = opt, loss = "mse")
  model |> fit(matrix(1, 2, 1), matrix(0, 2, 1), batch_size = 2, epochs = 2, verbose = 0)
  expect_equal(opt$learning_rate, 0.5 / 3, tolerance = 1e-6)

  clip <- Constraint(
    "ClipTo",
    initialize = function(limit) self$limit <- limit,
    call = function(w) op_clip(w, -self$limit, self$limit)
  )
  model <- keras_model_sequential(input_shape = 1) |>
    layer_dense(1, use_bias = FALSE, kernel_initializer = "zeros",
                kernel_constraint = clip(limit = 0.01))
  model |> compile(optimizer = optimizer_sgd(learning_rate = 1), loss = "mse")
  model |> fit(matrix(1, 4, 1), matrix(5, 4, 1), batch_size = 4, epochs = 2, verbose = 0)
  expect_equal(as.numeric(model$get_weights()[[1]]), 0.01, tolerance = 1e-6)

  # plain R functions: a constraint and an activation
  model <- keras_model_sequential(input_shape = 1) |>
    layer_dense(1, use_bias = FALSE, kernel_initializer = "zeros",
                kernel_constraint = function(w) op_clip(w, -0.02, 0.02),
                activation = function(x) x * 3)
  model |> compile(optimizer = optimizer_sgd(learning_rate = 1), loss = "mse")
  model |> fit(matrix(1, 4, 1), matrix(5, 4, 1), batch_size = 4, epochs = 1, verbose = 0)
  expect_equal(as.numeric(model$get_weights()[[1]]), 0.02, tolerance = 1e-6)
  expect_equal(as.numeric(predict(model, matrix(1, 1, 1), verbose = 0)), 0.06, tolerance = 1e-6)
})

# ---- the guides' examples ---------------------------------------------------------

set.seed(42)
n <- 96
x_train <- matrix(runif(n * 20), n, 20)
y_train <- sample(0:9, n, replace = TRUE)

get_uncompiled_model <- function() {
  inputs <- keras_input(shape = 20, name = "digits")
  outputs <- inputs |>
    layer_dense(units = 16, activation = "relu", name = "dense_1") |>
    layer_dense(units = 16, activation = "relu", name = "dense_2") |>
    layer_dense(units = 10, activation = "softmax", name = "predictions")
  keras_model(inputs = inputs, outputs = outputs)
}

test_that("a plain R loss function trains (custom_mean_squared_error)", {
  custom_mean_squared_error <- function(y_true, y_pred) {
    op_mean(op_square(y_true - y_pred), axis = -1)
  }
  model <- get_uncompiled_model()
  model |> compile(optimizer = "adam", loss = custom_mean_squared_error)
  y_train_one_hot <- op_one_hot(y_train, num_classes = 10)
  history <- model |> fit(x_train, y_train_one_hot, batch_size = 32, epochs = 2)
  expect_length(history$metrics$loss, 2L)
  pred <- predict(model, x_train, verbose = 0)
  onehot <- as_r(y_train_one_hot)
  expect_equal(evaluate(model, x_train, y_train_one_hot)$loss,
               mean(rowMeans((onehot - pred)^2)), tolerance = 1e-5)
})

test_that("a plain R metric function is logged under its name", {
  model <- get_uncompiled_model()
  mean_pred <- function(y_true, y_pred) op_mean(y_pred)
  model |> compile(optimizer = "adam", loss = "sparse_categorical_crossentropy",
                   metrics = list(mean_pred = mean_pred, function(y_true, y_pred) op_max(y_pred)))
  result <- evaluate(model, x_train, y_train, batch_size = n)
  expect_true(all(c("mean_pred", "custom_metric") %in% names(result)))
  pred <- predict(model, x_train, verbose = 0)
  expect_equal(result$mean_pred, mean(pred), tolerance = 1e-5)
  expect_equal(result$custom_metric, max(pred), tolerance = 1e-5)
})

test_that("CustomMSE: Loss() with initialize/super/self equals base R", {
  loss_custom_mse <- Loss(
    classname = "CustomMSE",
    initialize = function(regularization_factor = 0.1, name = "custom_mse") {
      super$initialize(name = name)
      self$regularization_factor <- regularization_factor
    },
    call = function(y_true, y_pred) {
      mse <- op_mean(op_square(y_true - y_pred), axis = -1)
      reg <- op_mean(op_square(0.5 - y_pred), axis = -1)
      mse + reg * self$regularization_factor
    }
  )
  expect_identical(names(formals(loss_custom_mse)), c("regularization_factor", "name"))
  loss <- loss_custom_mse()
  expect_identical(loss$name, "custom_mse")
  expect_equal(loss$regularization_factor, 0.1)
  y_true <- rbind(c(0, 1, 0), c(1, 0, 0))
  y_pred <- rbind(c(0.2, 0.7, 0.1), c(0.6, 0.3, 0.1))
  expected <- mean(rowMeans((y_true - y_pred)^2) + rowMeans((0.5 - y_pred)^2) * 0.1)
  expect_equal(as.numeric(as_r(loss(y_true, y_pred))), expected, tolerance = 1e-6)
  expect_equal(as.numeric(as_r(loss_custom_mse(regularization_factor = 1)(y_true, y_pred))),
               mean(rowMeans((y_true - y_pred)^2) + rowMeans((0.5 - y_pred)^2)), tolerance = 1e-6)

  model <- get_uncompiled_model()
  model |> compile(optimizer = "adam", loss = loss_custom_mse())
  y_train_one_hot <- op_one_hot(y_train, num_classes = 10)
  model |> fit(x_train, y_train_one_hot, batch_size = 32, epochs = 1)
  pred <- predict(model, x_train, verbose = 0)
  onehot <- as_r(y_train_one_hot)
  expect_equal(evaluate(model, x_train, y_train_one_hot, batch_size = n)$loss,
               mean(rowMeans((onehot - pred)^2) + rowMeans((0.5 - pred)^2) * 0.1),
               tolerance = 1e-5)
})

metric_categorical_true_positives <- Metric(
  "CategoricalTruePositives",

  initialize = function(name = "categorical_true_positives", ...) {
    super$initialize(name = name, ...)
    self$true_positives <- self$add_variable(shape = shape(),
                                             name = "ctp",
                                             initializer = "zeros")
  },

  update_state = function(y_true, y_pred, sample_weight = NULL) {
    y_pred <- op_argmax(y_pred, axis = 2) |> op_reshape(c(-1, 1))
    values <- op_cast(y_true, "int32") == op_cast(y_pred, "int32")
    values <- op_cast(values, "float32")
    if (!is.null(sample_weight)) {
      sample_weight <- op_cast(sample_weight, "float32")
      values <- op_multiply(values, sample_weight)
    }
    self$true_positives$assign_add(op_sum(values))
  },

  result = function() {
    self$true_positives$value
  },

  reset_state = function() {
    self$true_positives$assign(0.0)
  }
)

test_that("CategoricalTruePositives counts the correct argmax predictions", {
  m <- metric_categorical_true_positives()
  y_true <- matrix(c(1, 2, 0, 1), ncol = 1)   # 1-based op_argmax vs these labels
  y_pred <- rbind(c(0.1, 0.8, 0.1), c(0.2, 0.7, 0.1), c(0.3, 0.3, 0.4), c(0.9, 0.05, 0.05))
  m$update_state(y_true, y_pred)
  expected <- sum(max.col(y_pred, ties.method = "first") == y_true[, 1])
  expect_equal(as.numeric(as_r(m$result())), expected)
  m$update_state(y_true, y_pred, sample_weight = matrix(2, 4, 1))
  expect_equal(as.numeric(as_r(m$result())), 3 * expected)
  m$reset_state()
  expect_equal(as.numeric(as_r(m$result())), 0)

  model <- get_uncompiled_model()
  model |> compile(
    optimizer = optimizer_rmsprop(learning_rate = 1e-3),
    loss = loss_sparse_categorical_crossentropy(),
    metrics = c(metric_categorical_true_positives())
  )
  labels <- matrix(y_train, ncol = 1)
  history <- model |> fit(x_train, labels, batch_size = 32, epochs = 2)
  expect_length(history$metrics$categorical_true_positives, 2L)
  pred <- predict(model, x_train, verbose = 0)
  # labels are 0-based class ids, op_argmax in the metric is 1-based: the
  # guide's metric counts matches of label == argmax (1-based)
  expected <- sum(max.col(pred, ties.method = "first") == y_train)
  expect_equal(evaluate(model, x_train, labels)$categorical_true_positives, expected)
})

test_that("SparseRootMeanSquaredError (new_metric_class, add_weight) equals base R", {
  metric_sparse_root_mean_squared_error <- new_metric_class(
    classname = "SparseRootMeanSquaredError",
    initialize = function(name = "rmse", ...) {
      super$initialize(name = name, ...)
      self$sum_sq_error <- self$add_weight(name = "sum_sq_error", initializer = "zeros")
      self$total_samples <- self$add_weight(name = "total_samples", initializer = "zeros")
    },
    update_state = function(y_true, y_pred, sample_weight = NULL) {
      num_samples <- op_shape(y_pred)[[1]]
      num_classes <- op_shape(y_pred)[[2]]
      y_true <- op_one_hot(y_true, zero_indexed = TRUE, num_classes = num_classes)
      sse <- op_sum(op_square(y_true - y_pred))
      self$sum_sq_error$assign_add(sse)
      self$total_samples$assign_add(num_samples)
    },
    result = function() {
      op_sqrt(op_divide_no_nan(self$sum_sq_error, self$total_samples))
    },
    reset_state = function() {
      self$sum_sq_error$assign(0)
      self$total_samples$assign(0)
    }
  )
  model <- get_uncompiled_model()
  model |> compile(optimizer = "adam", loss = "sparse_categorical_crossentropy",
                   metrics = list("accuracy", metric_sparse_root_mean_squared_error()))
  model |> fit(x_train, y_train, epochs = 1, batch_size = 32,
               validation_data = list(x_train[1:16, ], y_train[1:16]))
  result <- evaluate(model, x_train, y_train)
  pred <- predict(model, x_train, verbose = 0)
  onehot <- outer(y_train, 0:9, "==") * 1
  expect_equal(result$rmse, sqrt(sum((onehot - pred)^2) / n), tolerance = 1e-5)
})

test_that("ActivityRegularization: self$add_loss() adds to the compiled loss", {
  layer_custom_activity_regularizer <- Layer(
    "ActivityRegularization",
    call = function(inputs) {
      self$add_loss(op_sum(inputs) * 0.1)
      inputs  # Pass-through layer.
    }
  )
  inputs <- keras_input(shape = 20, name = "digits")
  hidden <- inputs |>
    layer_dense(units = 8, activation = "relu", name = "dense_1")
  outputs <- hidden |>
    layer_custom_activity_regularizer() |>
    layer_dense(units = 10, name = "predictions")
  model <- keras_model(inputs = inputs, outputs = outputs)
  model |> compile(optimizer = optimizer_rmsprop(learning_rate = 1e-3),
                   loss = loss_sparse_categorical_crossentropy(from_logits = TRUE))
  model |> fit(x_train, y_train, batch_size = 32, epochs = 1)
  # evaluate on one batch: crossentropy + 0.1 * sum of the hidden activations
  logits <- predict(model, x_train, verbose = 0)
  ce <- mean(log(rowSums(exp(logits))) - logits[cbind(seq_len(n), y_train + 1)])
  features <- keras_model(inputs, hidden)
  act <- predict(features, x_train, verbose = 0)
  expect_equal(evaluate(model, x_train, y_train, batch_size = n)$loss,
               ce + 0.1 * sum(act), tolerance = 1e-4)
})

test_that("LogisticEndpoint: a two-input model compiled without a loss, fit on a named list", {
  layer_logistic_endpoint <- Layer(
    "LogisticEndpoint",
    initialize = function(name = NULL) {
      super$initialize(name = name)
      self$loss_fn <- loss_binary_crossentropy(from_logits = TRUE)
    },
    call = function(targets, logits, sample_weights = NULL) {
      # Compute the training-time loss value and add it
      # to the layer using `self.add_loss()`.
      loss <- self$loss_fn(targets, logits, sample_weights)
      self$add_loss(loss)

      # Return the inference-time prediction tensor (for `predict()`).
      op_softmax(logits)
    }
  )
  inputs <- keras_input(shape = 3, name = "inputs")
  targets <- keras_input(shape = 10, name = "targets")
  logits <- inputs |> layer_dense(10)
  predictions <- layer_logistic_endpoint(name = "predictions")(targets, logits)
  model <- keras_model(inputs = list(inputs, targets), outputs = predictions)
  model |> compile(optimizer = "adam")  # No loss argument!
  data <- list(
    inputs = random_normal(c(3, 3)),
    targets = random_normal(c(3, 10))
  )
  history <- model |> fit(data, epochs = 1)
  expect_length(history$metrics$loss, 1L)
  expect_true(is.finite(history$metrics$loss))
  # the reported loss is binary crossentropy from logits, computed in R
  x <- as_r(data$inputs); t <- as_r(data$targets)
  lg <- predict(keras_model(inputs, logits), x, verbose = 0)
  bce <- mean(pmax(lg, 0) - lg * t + log1p(exp(-abs(lg))))
  expect_equal(evaluate(model, data)$loss, bce, tolerance = 1e-4)
  expect_identical(model$get_layer("predictions")$name, "predictions")
})

# ---- models (7.2.3, 7.2.4) -----------------------------------------------------------

# CustomerTicketModel (listing 7.14) runs as written in test-guide-as-written.R.

test_that("Classifier (a subclassed model) inside a Functional model", {
  Classifier <- new_model_class(
    classname = "Classifier",

    initialize = function(num_classes = 2) {
      super$initialize()
      if (num_classes == 2) {
        num_units <- 1
        activation <- "sigmoid"
      } else {
        num_units <- num_classes
        activation <- "softmax"
      }
      self$dense <- layer_dense(, num_units, activation = activation)
    },

    call = function(inputs) {
      self$dense(inputs)
    }
  )
  classifier <- Classifier(num_classes = 10)
  inputs <- keras_input(shape = c(3))
  outputs <- inputs |>
    layer_dense(64, activation = "relu") |>
    classifier()
  model <- keras_model(inputs = inputs, outputs = outputs)
  expect_identical(format(shape(outputs)), "shape(NA, 10)")
  pred <- predict(model, matrix(runif(6), 2, 3), verbose = 0)
  expect_equal(rowSums(pred), c(1, 1), tolerance = 1e-5)
  binary <- Classifier()
  expect_identical(dim(predict(keras_model(inputs, inputs |> binary()), matrix(1, 2, 3),
                               verbose = 0)), c(2L, 1L))
})

test_that("a Functional model inside MyModel", {
  inputs <- keras_input(shape = c(64))
  outputs <- inputs |> layer_dense(1, activation = "sigmoid")
  binary_classifier <- keras_model(inputs = inputs, outputs = outputs)

  MyModel <- new_model_class(
    classname = "MyModel",

    initialize = function(num_classes = 2) {
      super$initialize()
      self$dense <- layer_dense(units = 64, activation = "relu")
      self$classifier <- binary_classifier
    },

    call = function(inputs) {
      inputs |>
        self$dense() |>
        self$classifier()
    }
  )
  model <- MyModel()
  model |> compile(optimizer = "adam", loss = "binary_crossentropy")
  xs <- matrix(runif(32 * 5), 32, 5)
  ys <- matrix(rbinom(32, 1, 0.5), 32, 1)
  model |> fit(xs, ys, epochs = 1, batch_size = 16)
  pred <- predict(model, xs, verbose = 0)
  expect_identical(dim(pred), c(32L, 1L))
  expect_true(all(pred > 0 & pred < 1))
})

test_that("active members are read-only Python properties; super(Class, self) works", {
  Base <- Layer("ActiveBase", call = function(x) x, greet = function() "base",
                initialize = function(units = 2, ...) {
                  super$initialize(...)
                  self$units <- units
                },
                active = list(double_units = function() self$units * 2))
  Child <- Layer("ActiveChild", inherit = Base,
                 greet = function() paste("child of", super(Child, self)$greet()))
  obj <- Child(units = 5)
  expect_equal(obj$double_units, 10)
  expect_identical(obj$greet(), "child of base")
  expect_s3_class(super_probe <- Layer("SuperProbe", call = function(x) x,
                                       probe = function() class(super))(), "torkeras.layers.layer.Layer")
  expect_identical(super_probe$probe(), "torkeras_super")
})
