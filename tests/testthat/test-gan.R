# The GAN of the "training loop from scratch" guide, from R: the two models
# have the guide's summaries and the loop trains on Fashion-MNIST.

make_discriminator <- function() {
  keras_model_sequential(name = "discriminator", input_shape = c(28, 28, 1)) |>
    layer_conv_2d(filters = 64, kernel_size = c(3, 3),
                  strides = c(2, 2), padding = "same") |>
    layer_activation_leaky_relu(negative_slope = 0.2) |>
    layer_conv_2d(filters = 128, kernel_size = c(3, 3),
                  strides = c(2, 2), padding = "same") |>
    layer_activation_leaky_relu(negative_slope = 0.2) |>
    layer_global_max_pooling_2d() |>
    layer_dense(units = 1)
}

latent_dim <- 128L
make_generator <- function() {
  keras_model_sequential(name = "generator", input_shape = latent_dim) |>
    layer_dense(7 * 7 * 128) |>
    layer_activation_leaky_relu(negative_slope = 0.2) |>
    layer_reshape(target_shape = c(7, 7, 128)) |>
    layer_conv_2d_transpose(filters = 128, kernel_size = c(4, 4),
                            strides = c(2, 2), padding = "same") |>
    layer_activation_leaky_relu(negative_slope = 0.2) |>
    layer_conv_2d_transpose(filters = 128, kernel_size = c(4, 4),
                            strides = c(2, 2), padding = "same") |>
    layer_activation_leaky_relu(negative_slope = 0.2) |>
    layer_conv_2d(filters = 1, kernel_size = c(7, 7), padding = "same",
                  activation = "sigmoid")
}

param_counts <- function(model)
  vapply(model$layers, function(l) as.integer(l$count_params()), integer(1))

test_that("the discriminator and generator have the guide's summaries", {
  discriminator <- make_discriminator()
  text <- capture.output(summary(discriminator))
  expect_true(any(grepl('Model: "discriminator"', text, fixed = TRUE)))
  expect_true(any(grepl("Total params: 74,625 (291.50 KB)", text, fixed = TRUE)))
  expect_identical(param_counts(discriminator), c(640L, 0L, 73856L, 0L, 0L, 129L))
  expect_true(any(grepl("(None, 7, 7, 128)", text, fixed = TRUE)))

  generator <- make_generator()
  text <- capture.output(summary(generator))
  expect_true(any(grepl("Total params: 1,339,905 (5.11 MB)", text, fixed = TRUE)))
  expect_identical(param_counts(generator),
                   c(809088L, 0L, 0L, 262272L, 0L, 262272L, 0L, 6273L))
  expect_true(any(grepl("(None, 28, 28, 1)", text, fixed = TRUE)))
  # 4*4*128*128 + 128 weights in each transposed convolution, by hand.
  expect_equal(4 * 4 * 128 * 128 + 128, 262272)
})

test_that("the guide's GAN training loop runs on Fashion-MNIST", {
  set_random_seed(2)
  discriminator <- make_discriminator()
  generator <- make_generator()
  d_optimizer <- optimizer_adam(learning_rate = 0.0003)
  g_optimizer <- optimizer_adam(learning_rate = 0.0004)
  loss_fn <- loss_binary_crossentropy(from_logits = TRUE)

  train_step <- compile_function(function(real_images) {
    c(batch_size, ...) %<-% op_shape(real_images)
    random_latent_vectors <- random_normal(shape(batch_size, latent_dim))
    generated_images <- generator(random_latent_vectors)
    combined_images <- op_concatenate(list(generated_images, real_images), axis = 1)
    labels <- op_concatenate(list(op_ones(shape(batch_size, 1)),
                                  op_zeros(shape(batch_size, 1))), axis = 1)
    labels %<>% `+`(random_uniform(op_shape(.), maxval = 0.05))
    with(gradient_tape() %as% tape, {
      predictions <- discriminator(combined_images)
      d_loss <- loss_fn(labels, predictions)
    })
    grads <- tape$gradient(d_loss, discriminator$trainable_weights)
    d_optimizer$apply(grads, discriminator$trainable_weights)

    random_latent_vectors <- random_normal(shape(batch_size, latent_dim))
    misleading_labels <- op_zeros(shape(batch_size, 1))
    with(gradient_tape() %as% tape, {
      predictions <- discriminator(generator(random_latent_vectors))
      g_loss <- loss_fn(misleading_labels, predictions)
    })
    grads <- tape$gradient(g_loss, generator$trainable_weights)
    g_optimizer$apply(grads, generator$trainable_weights)
    list(d_loss, g_loss, generated_images)
  })

  c(c(x_train, .), c(x_test, .)) %<-% dataset_fashion_mnist()
  all_digits <- op_concatenate(list(x_train[1:48, , ], x_test[1:48, , ]))
  all_digits <- op_reshape(all_digits, c(-1, 28, 28, 1))
  expect_identical(as.integer(op_shape(all_digits)), c(96L, 28L, 28L, 1L))
  dataset <- all_digits |>
    tensor_slices_dataset() |>
    dataset_map(\(x) op_cast(x, "float32") / 255) |>
    dataset_shuffle(buffer_size = 1024) |>
    dataset_batch(batch_size = 32)

  g_before <- lapply(generator$trainable_weights, function(w) as.array(w))
  d_losses <- g_losses <- numeric()
  step <- 0
  train_iterator <- as_iterator(dataset)
  while (!is.null(real_images <- iter_next(train_iterator))) {
    step <- step + 1
    c(d_loss, g_loss, generated_images) %<-% train_step(real_images)
    d_losses <- c(d_losses, as.numeric(d_loss))
    g_losses <- c(g_losses, as.numeric(g_loss))
  }
  expect_identical(step, 3)
  expect_true(all(is.finite(c(d_losses, g_losses))))
  expect_gt(length(unique(round(d_losses, 6))), 1)
  expect_identical(dim(generated_images), c(32L, 28L, 28L, 1L))
  expect_identical(as.integer(as.array(d_optimizer$iterations)), 3L)
  moved <- mapply(function(a, w) !isTRUE(all.equal(a, as.array(w))),
                  g_before, generator$trainable_weights)
  expect_true(all(moved))
})
