# The last gaps of issue 11 through the R wrappers: gated and sliding-window
# attention, EinsumDense LoRA, AveragePooling's required pool_size, and a
# custom Layer() that sets an InputSpec.

to_r <- function(x) as.array(op_convert_to_numpy(x))

sigmoid <- function(z) 1 / (1 + exp(-z))

test_that("layer_multi_head_attention(use_gate = TRUE) matches base R", {
  set.seed(11)
  q <- array(rnorm(1 * 3 * 4), c(1, 3, 4))
  layer <- layer_multi_head_attention(num_heads = 1, key_dim = 2, use_gate = TRUE)
  out <- to_r(layer(q, q))
  expect_equal(dim(out), c(1, 3, 4))
  expect_true(layer$get_config()$use_gate)
  w <- lapply(layer$get_weights(), as.array)
  # Weights in Keras's order: query, key, gate, value, attention_output (kernel, bias).
  expect_equal(lapply(w, dim), list(c(4, 1, 2), c(1, 2), c(4, 1, 2), c(1, 2),
                                    c(4, 1, 2), c(1, 2), c(4, 1, 2), c(1, 2),
                                    c(1, 2, 4), 4L))
  x <- q[1, , ]
  proj <- function(k, b) sweep(x %*% matrix(k, 4, 2), 2, as.vector(b), "+")
  qp <- proj(w[[1]], w[[2]]); kp <- proj(w[[3]], w[[4]])
  gate <- sigmoid(proj(w[[5]], w[[6]])); vp <- proj(w[[7]], w[[8]])
  s <- qp %*% t(kp) / sqrt(2)
  p <- exp(s - apply(s, 1, max)); p <- p / rowSums(p)
  ctx <- (p %*% vp) * gate
  expected <- sweep(ctx %*% matrix(w[[9]], 2, 4), 2, as.vector(w[[10]]), "+")
  expect_equal(out[1, , ], expected, tolerance = 1e-5)
})

test_that("sliding_window restricts attention to a band (whole numbers from R)", {
  set.seed(12)
  q <- array(rnorm(2 * 5 * 4), c(2, 5, 4))
  layer <- layer_multi_head_attention(num_heads = 2, key_dim = 2, sliding_window = 2)
  expect_identical(layer$get_config()$sliding_window, 2L)
  res <- layer(q, q, return_attention_scores = TRUE)
  s <- to_r(res[[2]])
  expect_equal(dim(s), c(2, 2, 5, 5))
  band <- abs(outer(1:5, 1:5, "-")) < 2
  expect_true(all(s[1, 1, , ][!band] == 0))
  expect_equal(rowSums(s[1, 1, , ]), rep(1, 5), tolerance = 1e-6)
  # The fused path (no scores asked) computes the same output.
  expect_equal(to_r(layer(q, q)), to_r(res[[1]]), tolerance = 1e-5)
  gqa <- layer_group_query_attention(head_dim = 2, num_query_heads = 2,
                                     num_key_value_heads = 1, sliding_window = 3,
                                     use_gate = TRUE)
  res <- gqa(q, q, use_causal_mask = TRUE, return_attention_scores = TRUE)
  s <- to_r(res[[2]])[2, 2, , ]
  allowed <- abs(outer(1:5, 1:5, "-")) < 3 & lower.tri(diag(5), diag = TRUE)
  expect_true(all(s[!allowed] == 0))
  expect_true(all(s[allowed] > 0))
  expect_error(layer_multi_head_attention(num_heads = 2, key_dim = 2, sliding_window = 0),
               "sliding_window")
  expect_error(layer_multi_head_attention(num_heads = 2, key_dim = 2, sliding_window = 1.5),
               "sliding_window")
})

test_that("layer_einsum_dense(lora_rank = 2L) freezes the kernel and adds the factors", {
  layer <- layer_einsum_dense(equation = "abc,cd->abd", output_shape = c(NA, 3),
                              bias_axes = "d", lora_rank = 2L)
  x <- array(runif(2 * 4 * 5), c(2, 4, 5))
  out <- to_r(layer(x))
  expect_equal(dim(out), c(2, 4, 3))
  names <- vapply(layer$weights, function(w) w$name, "")
  expect_equal(names, c("kernel", "bias", "lora_kernel_a", "lora_kernel_b"))
  expect_equal(length(layer$trainable_weights), 3L)
  expect_equal(layer$get_config()$lora_rank, 2L)
  # b starts at zero: the output is the plain einsum.
  w <- lapply(layer$get_weights(), as.array)
  expected <- sweep(x[1, , ] %*% w[[1]], 2, w[[2]], "+")
  expect_equal(out[1, , ], expected, tolerance = 1e-5)
  expect_error(layer_einsum_dense(equation = "ab,bc->ac", output_shape = 3, lora_rank = 0),
               "lora_rank")
})

test_that("layer_average_pooling_2d needs pool_size; max pooling keeps its default", {
  expect_error(layer_average_pooling_2d(), "pool_size")
  x <- array(as.numeric(1:16), c(1, 4, 4, 1))
  out <- to_r(layer_average_pooling_2d(x, pool_size = 2))
  expect_equal(out[1, , , 1], matrix(c(3.5, 5.5, 11.5, 13.5), 2, byrow = FALSE))
  expect_equal(unlist(layer_max_pooling_2d()$pool_size), c(2, 2))
})

test_that("a custom Layer() can set an InputSpec and gets a clear error on bad input", {
  Rank3 <- Layer(
    "Rank3",
    initialize = function(...) {
      super$initialize(...)
      self$input_spec <- keras$layers$InputSpec(min_ndim = 3L)
    },
    call = function(inputs) inputs * 2
  )
  layer <- Rank3()
  ok <- to_r(layer(array(1, c(1, 2, 2))))
  expect_equal(ok, array(2, c(1, 2, 2)))
  err <- tryCatch(layer(matrix(1, 2, 2)), error = function(e) conditionMessage(e))
  expect_match(err, "min_ndim=3")
  expect_match(err, "ndim=2")
})
