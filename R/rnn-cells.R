# RNN cells (keras3's rnn_cell_lstm(), rnn_cell_gru(), rnn_cell_simple()).
# Hand-written rather than generated: a cell is given to layer_rnn(cell = ),
# never composed with a tensor or a model, so it takes no `object`.

rnn_cell_lstm <- function(units, activation = "tanh", recurrent_activation = "sigmoid",
                          use_bias = TRUE, kernel_initializer = "glorot_uniform",
                          recurrent_initializer = "orthogonal", bias_initializer = "zeros",
                          unit_forget_bias = TRUE, kernel_regularizer = NULL,
                          recurrent_regularizer = NULL, bias_regularizer = NULL,
                          kernel_constraint = NULL, recurrent_constraint = NULL,
                          bias_constraint = NULL, dropout = 0, recurrent_dropout = 0,
                          seed = NULL, ...) {
  args <- capture_args(c(list(units = as_integer, seed = as_integer, activation = as_activation,
                              recurrent_activation = as_activation),
                         layer_kwarg_rules()))
  call_python(.tk()$layers$LSTMCell, args, "rnn_cell_lstm")
}

rnn_cell_gru <- function(units, activation = "tanh", recurrent_activation = "sigmoid",
                         use_bias = TRUE, kernel_initializer = "glorot_uniform",
                         recurrent_initializer = "orthogonal", bias_initializer = "zeros",
                         kernel_regularizer = NULL, recurrent_regularizer = NULL,
                         bias_regularizer = NULL, kernel_constraint = NULL,
                         recurrent_constraint = NULL, bias_constraint = NULL, dropout = 0,
                         recurrent_dropout = 0, reset_after = TRUE, seed = NULL, ...) {
  args <- capture_args(c(list(units = as_integer, seed = as_integer, activation = as_activation,
                              recurrent_activation = as_activation),
                         layer_kwarg_rules()))
  call_python(.tk()$layers$GRUCell, args, "rnn_cell_gru")
}

rnn_cell_simple <- function(units, activation = "tanh", use_bias = TRUE,
                            kernel_initializer = "glorot_uniform",
                            recurrent_initializer = "orthogonal", bias_initializer = "zeros",
                            kernel_regularizer = NULL, recurrent_regularizer = NULL,
                            bias_regularizer = NULL, kernel_constraint = NULL,
                            recurrent_constraint = NULL, bias_constraint = NULL, dropout = 0,
                            recurrent_dropout = 0, seed = NULL, ...) {
  args <- capture_args(c(list(units = as_integer, seed = as_integer, activation = as_activation),
                         layer_kwarg_rules()))
  call_python(.tk()$layers$SimpleRNNCell, args, "rnn_cell_simple")
}

# keras3's rnn_cells_stack(): a list of cells run as one cell (StackedRNNCells).
# Unnamed arguments in `...` are further cells; named ones go to the layer.
rnn_cells_stack <- function(cells, ...) {
  dots <- rlang::list2(...)
  dot_names <- names(dots)
  if (is.null(dot_names)) dot_names <- rep("", length(dots))
  if (!is.list(cells)) cells <- list(cells)
  cells <- unname(c(cells, dots[dot_names == ""]))
  args <- c(list(cells = cells), dots[dot_names != ""])
  call_python(.tk()$layers$StackedRNNCells, args, "rnn_cells_stack")
}
