# Listings of the "deep dive on Keras" chapter run as written, on small data.

test_that("CustomerTicketModel (listing 7.14) runs as written", {
  vocabulary_size <- 50
  num_tags <- 10
  num_departments <- 4
  num_samples <- 32
  random_uniform_array <- function(dim) array(runif(prod(dim)), dim)
  random_integer_array <- function(dim, minval = 0L, maxval = 1L) {
    array(sample(minval:maxval, prod(dim), replace = TRUE), dim)
  }
  title_data <- random_integer_array(c(num_samples, vocabulary_size))
  text_body_data <- random_integer_array(c(num_samples, vocabulary_size))
  tags_data <- random_integer_array(c(num_samples, num_tags))
  priority_data <- random_uniform_array(c(num_samples, 1))
  department_data <- random_integer_array(c(num_samples, 1), maxval = num_departments - 1)

  CustomerTicketModel <- new_model_class(
    classname = "CustomerTicketModel",
    initialize = function(num_departments) {
      super$initialize()
      self$concat_layer <- layer_concatenate()
      self$mixing_layer <- layer_dense(, 64, activation = "relu")
      self$priority_scorer <- layer_dense(, 1, activation = "sigmoid")
      self$department_classifier <- layer_dense(, num_departments,
                                                activation = "softmax")
    },
    call = function(inputs) {
      .[title = title, text_body = text_body, tags = tags] <- inputs
      features <- list(title, text_body, tags) |>
        self$concat_layer() |>
        self$mixing_layer()
      priority <- features |> self$priority_scorer()
      department <- features |> self$department_classifier()
      list(priority, department)
    }
  )
  model <- CustomerTicketModel(num_departments = 4)
  .[priority, department] <- model(list(
    title = title_data, text_body = text_body_data, tags = tags_data
  ))
  expect_equal(dim(priority), c(num_samples, 1))
  expect_equal(dim(department), c(num_samples, num_departments))

  model |> compile(
    optimizer = "adam",
    loss = c("mean_squared_error", "sparse_categorical_crossentropy"),
    metrics = c("mean_absolute_error", "accuracy")
  )
  x <- list(title = title_data, text_body = text_body_data, tags = tags_data)
  model |> fit(x = x, y = list(priority_data, department_data), epochs = 1, verbose = 0)
  result <- model |> evaluate(x = x, y = list(priority_data, department_data), verbose = 0)
  .[priority_preds, department_preds] <- model |> predict(x, verbose = 0)
  mse <- mean((priority_preds - priority_data)^2)
  p_true <- department_preds[cbind(seq_len(num_samples), department_data[, 1] + 1)]
  cce <- -mean(log(pmin(pmax(p_true, 1e-7), 1 - 1e-7)))
  expect_equal(result$loss, mse + cce, tolerance = 1e-5)
})

test_that("a learning_rate given as an R function without arguments is called each step", {
  calls <- 0
  opt <- optimizer_sgd(learning_rate = function() {
    calls <<- calls + 1
    0.25
  })
  model <- keras_model_sequential(input_shape = 1) |>
    layer_dense(1, kernel_initializer = "zeros", use_bias = FALSE)
  model |> compile(optimizer = opt, loss = "mse")
  model |> fit(matrix(1, 4, 1), matrix(1, 4, 1), batch_size = 4, epochs = 2, verbose = 0)
  # w: 0 -> 0 - 0.25 * 2 * (0 - 1) = 0.5 -> 0.5 - 0.25 * 2 * (0.5 - 1) = 0.75
  expect_equal(as.numeric(op_convert_to_numpy(model$weights[[1]])), 0.75)
  expect_equal(calls, 2)
})
