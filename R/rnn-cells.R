# RNN cells (keras3's rnn_cell_lstm(), rnn_cell_gru(), rnn_cell_simple()).
# Hand-written rather than generated: a cell is given to layer_rnn(cell = ),
# never composed with a tensor or a model, so it takes no `object`.

#' Cell of a long short-term memory (LSTM) layer
#'
#' One step of an LSTM, for `layer_rnn(cell = )` or `rnn_cells_stack()`. A cell is not
#' composed with a tensor or a model, so it takes no `object`.
#'
#' @inheritParams layer_lstm
#' @param units Positive whole number, the size of the output and of the state.
#' @param ... Further cell arguments, such as `name` and `dtype`.
#' @returns An RNN cell object.
#' @family rnn cells
#' @export
#' @examples
#' cell <- rnn_cell_lstm(units = 4)
#' rnn <- layer_rnn(cell = cell)
#' rnn(op_ones(c(2, 3, 5)))$shape
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

#' Cell of a gated recurrent unit (GRU) layer
#'
#' One step of a GRU, for `layer_rnn(cell = )` or `rnn_cells_stack()`.
#'
#' @inheritParams layer_gru
#' @param units Positive whole number, the size of the output and of the state.
#' @param ... Further cell arguments, such as `name` and `dtype`.
#' @returns An RNN cell object.
#' @family rnn cells
#' @export
#' @examples
#' rnn <- layer_rnn(cell = rnn_cell_gru(units = 4))
#' rnn(op_ones(c(2, 3, 5)))$shape
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

#' Cell of a fully-connected recurrent layer (SimpleRNN)
#'
#' One step of a simple RNN, for `layer_rnn(cell = )` or `rnn_cells_stack()`.
#'
#' @inheritParams layer_simple_rnn
#' @param units Positive whole number, the size of the output and of the state.
#' @param ... Further cell arguments, such as `name` and `dtype`.
#' @returns An RNN cell object.
#' @family rnn cells
#' @export
#' @examples
#' rnn <- layer_rnn(cell = rnn_cell_simple(units = 4))
#' rnn(op_ones(c(2, 3, 5)))$shape
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
#' Several RNN cells run as one cell
#'
#' The cells run in order at each step, each one's output the next one's input; the
#' result is a cell for `layer_rnn(cell = )`.
#'
#' @param cells A list of RNN cells (or one cell).
#' @param ... More cells (unnamed), and further arguments (named), such as `name`.
#' @returns An RNN cell object.
#' @family rnn cells
#' @export
#' @examples
#' cells <- rnn_cells_stack(list(rnn_cell_simple(4), rnn_cell_gru(2)))
#' rnn <- layer_rnn(cell = cells)
#' rnn(op_ones(c(2, 3, 5)))$shape
rnn_cells_stack <- function(cells, ...) {
  dots <- rlang::list2(...)
  dot_names <- names(dots)
  if (is.null(dot_names)) dot_names <- rep("", length(dots))
  if (!is.list(cells)) cells <- list(cells)
  cells <- unname(c(cells, dots[dot_names == ""]))
  args <- c(list(cells = cells), dots[dot_names != ""])
  call_python(.tk()$layers$StackedRNNCells, args, "rnn_cells_stack")
}
