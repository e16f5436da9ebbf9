# The attention layers' R wrappers: keras3 names, `inputs = list(query,
# value[, key])`, 1-based attention_axes, values against base R.

to_r <- function(x) op_convert_to_numpy(x)

softmax_rows <- function(s) {
  e <- exp(s - apply(s, 1, max))
  e / rowSums(e)
}

test_that("the attention wrappers exist under their keras3 names", {
  for (name in c("layer_multi_head_attention", "layer_group_query_attention",
                 "layer_attention", "layer_additive_attention", "layer_einsum_dense"))
    expect_true(exists(name, mode = "function"), info = name)
})

test_that("layer_attention matches base R dot-product attention", {
  set.seed(1)
  q <- array(rnorm(1 * 3 * 4), c(1, 3, 4))
  v <- array(rnorm(1 * 5 * 4), c(1, 5, 4))
  out <- to_r(layer_attention(list(q, v)))
  qm <- q[1, , ]
  vm <- v[1, , ]
  expected <- softmax_rows(qm %*% t(vm)) %*% vm
  expect_equal(out[1, , ], expected, tolerance = 1e-5)
  # Without inputs: the layer, called later on a list.
  layer <- layer_attention(use_scale = TRUE)
  expect_equal(dim(to_r(layer(list(q, v)))), c(1, 3, 4))
  expect_equal(dim(to_r(layer_additive_attention(list(q, v)))), c(1, 3, 4))
})

test_that("layer_multi_head_attention takes list(query, value) and named arguments", {
  set.seed(2)
  q <- array(rnorm(2 * 4 * 6), c(2, 4, 6))
  v <- array(rnorm(2 * 5 * 6), c(2, 5, 6))
  out <- layer_multi_head_attention(list(q, v), num_heads = 2, key_dim = 3)
  expect_equal(dim(to_r(out)), c(2, 4, 6))
  res <- layer_multi_head_attention(list(query = q, value = v, return_attention_scores = TRUE),
                                    num_heads = 2, key_dim = 3, output_shape = 7)
  expect_equal(dim(to_r(res[[1]])), c(2, 4, 7))
  expect_equal(dim(to_r(res[[2]])), c(2, 2, 4, 5))
  # The causal mask: attention scores above the diagonal are 0.
  layer <- layer_multi_head_attention(num_heads = 1, key_dim = 2)
  res <- layer_multi_head_attention(list(q, q, use_causal_mask = TRUE,
                                         return_attention_scores = TRUE),
                                    num_heads = 1, key_dim = 2)
  s <- to_r(res[[2]])[1, 1, , ]
  expect_true(all(s[upper.tri(s)] == 0))
  expect_equal(rowSums(s), rep(1, 4), tolerance = 1e-6)
  expect_error(layer_multi_head_attention(q, num_heads = 2, key_dim = 3), "list")
})

test_that("attention_axes are 1-based in R", {
  layer <- layer_multi_head_attention(num_heads = 2, key_dim = 2, attention_axes = c(2, 3))
  cfg <- layer$get_config()
  expect_equal(unlist(cfg$attention_axes), c(1, 2))
  x <- array(runif(2 * 3 * 4 * 5), c(2, 3, 4, 5))
  res <- layer(x, x, return_attention_scores = TRUE)  # (output, scores): an R list
  expect_equal(dim(to_r(res[[2]])), c(2, 2, 3, 4, 3, 4))
  expect_error(layer_multi_head_attention(num_heads = 2, key_dim = 2, attention_axes = 0),
               "1-based")
})

test_that("layer_group_query_attention and functional models", {
  inp <- keras_input(shape = c(4, 6))
  out <- layer_group_query_attention(list(inp, inp), head_dim = 3, num_query_heads = 4,
                                     num_key_value_heads = 2)
  model <- keras_model(inp, out)
  expect_equal(unlist(model$output$shape), c(4, 6))
  x <- array(runif(2 * 4 * 6), c(2, 4, 6))
  expect_equal(dim(predict(model, x, verbose = 0)), c(2, 4, 6))
  expect_error(layer_group_query_attention(head_dim = 2, num_query_heads = 3,
                                           num_key_value_heads = 2), "divisible")
})

test_that("layer_einsum_dense equals base R matrix products", {
  set.seed(3)
  x <- matrix(rnorm(3 * 5), 3, 5)
  layer <- layer_einsum_dense(equation = "ab,bc->ac", output_shape = 4, bias_axes = "c")
  y <- to_r(layer(x))
  w <- layer$get_weights()
  expect_equal(y, x %*% w[[1]] + matrix(w[[2]], 3, 4, byrow = TRUE), tolerance = 1e-5)
  inp <- keras_input(shape = c(3, 5))
  out <- inp |> layer_einsum_dense("abc,cde->abde", output_shape = c(NA, 2, 4),
                                   bias_axes = "de")
  expect_equal(unlist(out$shape), c(3, 2, 4))
})
