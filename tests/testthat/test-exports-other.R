# keras3's "other" exports: model utilities, serialization, R helpers,
# class syntax (%py_class%, R6), backend functions.

small_model <- function() {
  keras_model_sequential(input_shape = 3) |>
    layer_dense(4, name = "d1") |>
    layer_dense(2, name = "d2")
}

test_that("layer_input is keras_input", {
  x <- layer_input(shape = c(NA, 3), name = "inp")
  expect_equal(dim(x), c(NA, NA, 3))
  model <- keras_model(x, x |> layer_dense(2))
  expect_equal(model$layers[[1]]$name, "inp")
})

test_that("clear_session restarts automatic names", {
  clear_session()
  expect_equal(layer_dense(units = 2)$name, "dense")
  expect_equal(layer_dense(units = 2)$name, "dense_1")
  clear_session(free_memory = FALSE)
  expect_equal(layer_dense(units = 2)$name, "dense")
  expect_error(clear_session("yes"), "free_memory")
})

test_that("count_params, get_layer and pop_layer", {
  model <- small_model()
  expect_identical(count_params(model), as.integer(3 * 4 + 4 + 4 * 2 + 2))
  expect_equal(get_layer(model, "d2")$name, "d2")
  expect_equal(get_layer(model, index = 1)$name, "d1")
  expect_equal(get_layer(model, index = -1)$name, "d2")
  expect_error(get_layer(model, index = 0), "1-based")
  expect_error(get_layer(model, "nope"), "nope")
  removed <- pop_layer(model)
  expect_equal(removed$name, "d2")
  expect_length(model$layers, 1L)
  expect_equal(dim(predict(model, matrix(1, 2, 3))), c(2L, 4L))
  inp <- keras_input(3)
  expect_error(pop_layer(keras_model(inp, inp |> layer_dense(1))), "Sequential")
})

test_that("freeze_weights / unfreeze_weights by name, position and which", {
  model <- keras_model_sequential(input_shape = 3) |>
    layer_dense(4, name = "a") |> layer_dense(4, name = "b") |> layer_dense(2, name = "c")
  trainable <- function() vapply(model$layers, function(l) l$trainable, TRUE)
  freeze_weights(model)
  expect_false(model$trainable)
  expect_length(model$trainable_weights, 0L)
  unfreeze_weights(model)
  expect_equal(trainable(), c(TRUE, TRUE, TRUE))
  freeze_weights(model, from = "a", to = 2)
  expect_true(model$trainable)
  expect_equal(trainable(), c(FALSE, FALSE, TRUE))
  expect_length(model$trainable_weights, 2L)
  freeze_weights(model)
  unfreeze_weights(model, from = -1)
  expect_equal(trainable(), c(FALSE, FALSE, TRUE))
  unfreeze_weights(model, from = "b")
  expect_equal(trainable(), c(FALSE, TRUE, TRUE))
  freeze_weights(model, which = c(TRUE, FALSE, TRUE))
  expect_equal(trainable(), c(FALSE, TRUE, FALSE))
  freeze_weights(model, which = "b")
  expect_equal(trainable(), c(TRUE, FALSE, TRUE))
  unfreeze_weights(model, which = function(layer) layer$name != "b")
  expect_equal(trainable(), c(TRUE, FALSE, TRUE))
  freeze_weights(model, which = list(model$layers[[1]], -1))
  expect_equal(trainable(), c(FALSE, TRUE, FALSE))
  expect_error(freeze_weights(model, which = function(layer) NA), "TRUE or FALSE")
  freeze_weights(model, from = model$layers[[3]])
  expect_equal(trainable(), c(TRUE, TRUE, FALSE))
  expect_error(freeze_weights(model, from = 4), "there are 3 layers")
  expect_error(freeze_weights(model, from = "c", to = "a"), "comes after")
  expect_error(freeze_weights(model, from = "zz"), "no layer named \"zz\"")
  expect_error(freeze_weights(model, which = c(TRUE, FALSE)), "TRUE/FALSE")
})

test_that("clone_model makes new layers with the same structure", {
  model <- small_model()
  clone <- clone_model(model)
  expect_equal(vapply(clone$layers, function(l) l$name, ""), c("d1", "d2"))
  expect_false(identical(reticulate::py_id(clone$layers[[1]]), reticulate::py_id(model$layers[[1]])))
  set_weights(clone, get_weights(model))
  x <- matrix(c(1, 2, 3, 4, 5, 6), 2, 3)
  expect_equal(predict(clone, x), predict(model, x), tolerance = 1e-6)
  # functional, with a clone_function that shares the first layer
  inp <- keras_input(3)
  out <- inp |> layer_dense(4, name = "f1") |> layer_dense(1, name = "f2")
  fmodel <- keras_model(inp, out)
  shared <- clone_model(fmodel, clone_function = function(layer) {
    if (layer$name == "f1") layer else layer$`__class__`$from_config(layer$get_config())
  })
  expect_identical(reticulate::py_id(shared$get_layer("f1")),
                   reticulate::py_id(fmodel$get_layer("f1")))
  expect_false(identical(reticulate::py_id(shared$get_layer("f2")),
                         reticulate::py_id(fmodel$get_layer("f2"))))
  expect_error(clone_model(fmodel, input_tensors = list(keras_input(3))), "input_tensors")
})

test_that("reset_state clears a metric and a stateful RNN", {
  m <- metric_mean()
  m$update_state(c(2, 4))
  expect_equal(as.numeric(m$result()), 3)
  reset_state(m)
  expect_equal(as.numeric(m$result()), 0)
  expect_error(reset_state(1), "layer, a metric or a model")
})

test_that("get_state_tree / set_state_tree round trip", {
  model <- small_model()
  compile(model, optimizer = "adam", loss = "mse", metrics = "mae")
  fit(model, matrix(1, 4, 3), matrix(0, 4, 2), epochs = 1, verbose = 0)
  state <- get_state_tree(model)
  expect_setequal(names(state), c("trainable_variables", "non_trainable_variables",
                                  "optimizer_variables", "metrics_variables"))
  # variables are keyed by path: <model name>/<layer name>/<variable>
  kernel <- state$trainable_variables[[model$name]][["d1"]][["kernel"]]
  expect_equal(dim(kernel), c(3L, 4L))
  expect_equal(kernel, get_weights(model$layers[[1]])[[1]])
  state$trainable_variables[[model$name]][["d1"]][["bias"]][] <- c(1, 2, 3, 4)
  set_state_tree(model, list(trainable_variables = state$trainable_variables))
  expect_equal(as.numeric(get_weights(model$layers[[1]])[[2]]), c(1, 2, 3, 4))
  expect_error(set_state_tree(model, list(trainable_variables = list(zz = list(k = 1)))),
               "does not have")
})

test_that("keras_variable and as_tensor / op_convert_to_array", {
  v <- keras_variable(matrix(1:6, 2, 3), dtype = "float32", trainable = FALSE, name = "v")
  expect_equal(as.array(v), matrix(as.numeric(1:6), 2, 3))
  expect_false(v$trainable)
  z <- keras_variable(initializer_zeros(), shape = c(2, 2))
  expect_equal(as.array(z), matrix(0, 2, 2))
  t <- as_tensor(1:6, "float32", shape = c(2, 3))
  expect_equal(dim(t), c(2L, 3L))
  # row-major fill, as tensorflow::as_tensor()
  expect_equal(op_convert_to_array(t), matrix(c(1, 4, 2, 5, 3, 6), 2, 3))
  expect_equal(op_convert_to_array(3), 3)
})

test_that("get_source_inputs and pack/unpack_x_y_sample_weight", {
  a <- keras_input(3, name = "a")
  b <- keras_input(2, name = "b")
  y <- layer_concatenate(list(a |> layer_dense(2), b))
  src <- get_source_inputs(y)
  expect_length(src, 2L)
  expect_equal(vapply(src, function(t) t$name, ""), c("a", "b"))
  expect_identical(pack_x_y_sample_weight(1:3), 1:3)
  expect_equal(pack_x_y_sample_weight(1:3, 4:6), list(1:3, 4:6))
  expect_equal(unpack_x_y_sample_weight(list(1:3, 4:6)), list(1:3, 4:6, NULL))
  expect_equal(unpack_x_y_sample_weight(1:3), list(1:3, NULL, NULL))
  expect_equal(unpack_x_y_sample_weight(pack_x_y_sample_weight(1, 2, 3)), list(1, 2, 3))
  expect_error(unpack_x_y_sample_weight(list(1, 2, 3, 4)), "list of 4")
})

test_that("serialize / deserialize and custom objects", {
  config <- serialize_keras_object(layer_dense(units = 3, activation = "relu", name = "s"))
  expect_equal(config$class_name, "Dense")
  expect_equal(config$config$units, 3L)
  layer <- deserialize_keras_object(config)
  expect_equal(layer$units, 3L)
  expect_equal(layer$name, "s")

  Scale <- Layer("ScaleExp", initialize = function(factor = 2, ...) {
    super$initialize(...)
    self$factor <- factor
  }, call = function(x) x * self$factor,
  get_config = function() list(factor = self$factor, name = self$name))
  old <- set_custom_objects(list(ScaleExp = Scale), clear = FALSE)
  expect_true("ScaleExp" %in% names(get_custom_objects()))
  expect_equal(get_registered_object("ScaleExp")$`__name__`, "ScaleExp")
  clear_registered_custom_objects()
  expect_false("ScaleExp" %in% names(get_custom_objects()))
  set_custom_objects(old)
  expect_error(set_custom_objects(list(1)), "named list")

  model <- keras_model_sequential(input_shape = 2) |> Scale(factor = 3)
  f <- tempfile(fileext = ".json")
  save_model_config(model, f)
  expect_true(file.exists(f))
  expect_error(save_model_config(model, f), "overwrite")
  expect_error(load_model_config(f), "ScaleExp")
  m2 <- with_custom_object_scope(list(ScaleExp = Scale), load_model_config(f))
  expect_equal(predict(m2, matrix(c(1, 2), 1)), matrix(c(3, 6), 1))
  m3 <- load_model_config(f, custom_objects = list(ScaleExp = Scale))
  expect_equal(m3$layers[[1]]$factor, 3)
  expect_error(load_model_config(tempfile()), "no such file")

  expect_equal(get_registered_name(layer_dense(units = 1)$`__class__`), "Dense")
})

test_that("custom_metric names the metric in the history", {
  model <- keras_model_sequential(input_shape = 2) |> layer_dense(1)
  mm <- custom_metric("my_mae", function(y_true, y_pred) op_mean(op_abs(y_true - y_pred), axis = -1))
  compile(model, optimizer = "sgd", loss = "mse", metrics = list(mm))
  x <- matrix(c(1, 2, 3, 4), 2)
  h <- fit(model, x, matrix(0, 2, 1), epochs = 1, verbose = 0)
  expect_true("my_mae" %in% names(h$metrics))
  expect_equal(evaluate(model, x, matrix(0, 2, 1), verbose = 0)$my_mae,
               mean(abs(predict(model, x))), tolerance = 1e-5)
  expect_error(custom_metric(NA, identity), "`name`")
})

test_that("named_list and zip_lists", {
  a <- 1; b <- "x"
  expect_equal(named_list(a, b, c = 3), list(a = 1, b = "x", c = 3))
  expect_equal(zip_lists(list(1, 2), list("a", "b")), list(list(1, "a"), list(2, "b")))
  expect_equal(zip_lists(x = 1:2, y = c("a", "b")),
               list(list(x = 1L, y = "a"), list(x = 2L, y = "b")))
  expect_equal(zip_lists(list(a = 1, b = 2), list(b = "B", a = "A")),
               list(a = list(1, "A"), b = list(2, "B")))
  expect_error(zip_lists(list(1, 2), list(1)), "same length")
  expect_equal(zip_lists(list(list(1, 2), list(3, 4))), list(list(1, 3), list(2, 4)))
  expect_error(zip_lists(list(a = 1, b = 2), list(1, 2)), "same names")
  expect_error(zip_lists(list(a = 1, b = 2), list(a = 1, c = 2)), "same names")
})

test_that("op_subset with R indexing, newaxis and all_dims", {
  m <- matrix(1:12, 3, 4)
  x <- op_convert_to_tensor(m)
  expect_equal(as.vector(op_convert_to_array(op_subset(x, 2, ))), m[2, ])
  expect_equal(op_convert_to_array(op_subset(x, 2:3, c(1, 4))), m[2:3, c(1, 4)])
  expect_equal(as.vector(op_convert_to_array(op_subset(x, -1, ))), m[3, ])
  expect_equal(dim(op_subset(x, newaxis)), c(1L, 3L, 4L))
  expect_equal(dim(op_subset(x, , newaxis, )), c(3L, 1L, 4L))
  expect_equal(dim(op_subset(x, 1, newaxis)), c(1L, 4L))
  a <- array(1:24, c(2, 3, 4))
  y <- op_convert_to_tensor(a)
  expect_equal(op_convert_to_array(op_subset(y, all_dims(), 2)), a[, , 2])
  expect_equal(op_convert_to_array(op_subset(y, 1, all_dims())), a[1, , ])
  expect_equal(op_convert_to_array(op_subset(m, 1, 1)), 1L)
  expect_error(op_subset(y, all_dims(), all_dims()), "only once")
  # open ranges: NA:b from the start, a:NA to the end (negative ends count back)
  expect_equal(op_convert_to_array(op_subset(x, NA:2, 3:NA)), m[1:2, 3:4])
  expect_equal(op_convert_to_array(op_subset(x, 2:NA, NA:-2)), m[2:3, 1:3])
  i <- 2
  expect_equal(as.vector(op_convert_to_array(op_subset(x, i:NA, i))), m[2:3, 2])
})

test_that("op_subset<- replaces with R's rules", {
  x <- op_convert_to_tensor(matrix(0, 3, 4))
  op_subset(x, 1, ) <- 7
  expected <- matrix(0, 3, 4); expected[1, ] <- 7
  expect_equal(op_convert_to_array(x), expected)
  op_subset(x, 2:3, 2:3) <- c(1, 2, 3, 4)
  expected[2:3, 2:3] <- c(1, 2, 3, 4)
  expect_equal(op_convert_to_array(x), expected)
  op_subset(x, -1, -1) <- 9
  expected[3, 4] <- 9
  expect_equal(op_convert_to_array(x), expected)
  op_subset(x, 2:NA, 1) <- c(5, 6)
  expected[2:3, 1] <- c(5, 6)
  expect_equal(op_convert_to_array(x), expected)
  expect_error(op_subset(x, 1, ) <- c(1, 2, 3), "does not fit")
  expect_error(op_subset(x, newaxis) <- 1, "newaxis")
  sym <- keras_input(3)
  expect_error(op_subset(sym, 1) <- 1, "symbolic")
})

test_that("%py_class% and %<-active% define a Keras class", {
  Twice(keras$layers$Layer) %py_class% {
    initialize <- function(k = 2, ...) {
      super$initialize(...)
      self$k <- k
    }
    call <- function(x) x * self$k
    doubled_k %<-active% function() self$k * 2
  }
  layer <- Twice(k = 3)
  expect_equal(as.numeric(layer(op_ones(2))), c(3, 3))
  expect_equal(layer$doubled_k, 6)
  # inheriting from it, with %py_class% again
  Thrice(Twice) %py_class% {
    call <- function(x) super$call(x) + 1
  }
  expect_equal(as.numeric(Thrice(k = 2)(op_ones(1))), 3)
  e <- new.env()
  local(counter %<-active% function() 42, e)
  expect_equal(e$counter, 42)
  expect_true(inherits(mark_active(function() 1), "torkeras_active_property"))
  expect_error(1 %<-active% 2, "function")
})

test_that("R6 classes inheriting from a Keras layer", {
  skip_if_not_installed("R6")
  R6Scale <- R6::R6Class("R6Scale",
    inherit = keras$layers$Layer,
    public = list(
      initialize = function(factor, ...) {
        super$initialize(...)
        self$factor <- factor
      },
      call = function(x) x * self$factor * private$bonus()
    ),
    private = list(bonus = function() 10),
    active = list(twice = function() self$factor * 2)
  )
  py_cls <- r_to_py(R6Scale)
  expect_true(reticulate::import_builtins()$issubclass(py_cls, keras$layers$Layer))
  layer <- create_layer(R6Scale, args = list(factor = 2))
  expect_equal(as.numeric(layer(op_ones(2))), c(20, 20))
  expect_equal(layer$twice, 4)
  # an R6 class inheriting from an R6 Keras layer
  R6Child <- R6::R6Class("R6Child", inherit = R6Scale,
    public = list(call = function(x) super$call(x) + 1))
  child <- create_layer(R6Child, args = list(factor = 1))
  expect_equal(as.numeric(child(op_ones(1))), 11)
  # in a Sequential model through create_layer(object = model)
  model <- keras_model_sequential(input_shape = 2)
  create_layer(R6Scale, model, list(factor = 1))
  expect_equal(predict(model, matrix(1, 1, 2)), matrix(10, 1, 2))
  # Layer() inheriting from an R6 class, and a wrapper function
  Sub <- Layer("SubOfR6", inherit = R6Scale, call = function(x) super$call(x) * 0)
  expect_equal(as.numeric(Sub(factor = 1)(op_ones(1))), 0)
  layer_r6_scale <- create_layer_wrapper(R6Scale)
  expect_equal(as.numeric(layer_r6_scale(factor = 3)(op_ones(1))), 30)
  # R6 callbacks (1-based epochs, as R callbacks) and R6 models
  CB <- R6::R6Class("CB", inherit = keras$callbacks$Callback,
    public = list(epochs = NULL,
                  on_epoch_end = function(epoch, logs = NULL) {
                    private$seen <- c(private$seen, epoch)
                    self$epochs <- private$seen
                  }),
    private = list(seen = NULL))
  cb <- r_to_py(CB)()
  model <- keras_model_sequential(input_shape = 2) |> layer_dense(1)
  compile(model, optimizer = "sgd", loss = "mse")
  fit(model, matrix(1, 4, 2), matrix(0, 4, 1), epochs = 3, verbose = 0, callbacks = list(cb))
  expect_equal(as.numeric(cb$epochs), c(1, 2, 3))
  M <- R6::R6Class("M", inherit = keras$Model,
    public = list(initialize = function(...) {
      super$initialize(...)
      self$d <- layer_dense(units = 1, kernel_initializer = "ones", use_bias = FALSE)
    }, call = function(x) self$d(x)))
  m <- r_to_py(M)()
  expect_equal(as.array(m(op_ones(c(2, 3)))), matrix(3, 2, 1))
})

test_that("backend functions: use_backend, py_require, install_keras, exports", {
  expect_identical(use_backend("torch"), "torch")
  expect_error(use_backend("jax"), "torch only")
  expect_identical(py_require("numpy"), "numpy")
  expect_error(py_require("surely_not_a_package_zz"), "pip install")
  # install_keras() forwards to install_torkeras(): same check of `source`
  expect_error(install_keras(source = tempdir()), "pyproject.toml")
  expect_false(config_is_nnx_enabled())
  expect_error(export_savedmodel(small_model(), tempfile()), "needs TensorFlow")
  expect_error(quantize_weights(small_model(), "int4"), "not implemented")
  expect_identical(torkeras::use_python, reticulate::use_python)
  expect_identical(torkeras::generate, generics::generate)
})

test_that("named_list, zip_lists and create_layer_wrapper accept a trailing comma", {
  a <- 1; b <- "x"
  expect_identical(named_list(a, b,), list(a = 1, b = "x"))
  expect_identical(zip_lists(list(1, 2), list("a", "b"),),
                   list(list(1, "a"), list(2, "b")))
  layer_my_dense <- create_layer_wrapper(keras$layers$Dense)
  expect_equal(layer_my_dense(units = 3L,)$units, 3L)
})
