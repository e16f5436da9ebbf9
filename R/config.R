# keras3's config_*() functions: global settings of the engine
# (torkeras.config). Each one is a single call into Python.

.config_call <- function(name, args = list()) {
  call_python(.tk()$config[[name]], args, paste0("config_", name))
}

#' Global configuration
#'
#' keras3's `config_*()` functions.
#'
#' * `config_backend()` is always `"torch"`; `config_set_backend("torch")` is
#'   accepted, any other backend is an error.
#' * `config_floatx()` / `config_set_floatx()`: the default float dtype
#'   (`"float32"`); `config_epsilon()` / `config_set_epsilon()`: the fuzz factor
#'   of numeric formulas (1e-7); `config_image_data_format()` /
#'   `config_set_image_data_format()`: `"channels_last"` or `"channels_first"`.
#' * `config_enable_interactive_logging()` / `config_disable_interactive_logging()`
#'   / `config_is_interactive_logging_enabled()`: when disabled, progress bars and
#'   training messages go to Python's `logging` ("torkeras" logger, INFO) one
#'   line per update, instead of being printed.
#' * `config_enable_traceback_filtering()` / `config_disable_traceback_filtering()`
#'   / `config_is_traceback_filtering_enabled()`: whether errors raised through
#'   `fit()`, `evaluate()` and `predict()` drop torkeras's internal frames.
#' * `config_enable_flash_attention()` / `config_disable_flash_attention()` /
#'   `config_is_flash_attention_enabled()` (`NULL` by default: used where
#'   possible; `FALSE` once disabled).
#' * `config_set_max_epochs()` / `config_max_epochs()` and
#'   `config_set_max_steps_per_epoch()` / `config_max_steps_per_epoch()`: caps on
#'   the epochs of every `fit()` and on the steps of every epoch, `evaluate()`
#'   and `predict()` (`NULL`: no cap), for quick debugging runs.
#'
#' @param value,backend,data_format,max_epochs,max_steps_per_epoch The new setting.
#' @return The setting for getters; `NULL`, invisibly, for setters.
#' @name config
#' @examples
#' config_backend()
#' config_floatx()
#' config_epsilon()
#' old <- config_set_epsilon(1e-5)
#' config_epsilon()
#' config_set_epsilon(1e-7)
#' config_image_data_format()
#' @export
config_backend <- function() .config_call("backend")

#' @rdname config
#' @export
config_set_backend <- function(backend) {
  .config_call("set_backend", list(backend))
  invisible(NULL)
}

#' @rdname config
#' @export
config_floatx <- function() .config_call("floatx")

#' @rdname config
#' @export
config_set_floatx <- function(value) {
  .config_call("set_floatx", list(value))
  invisible(NULL)
}

#' @rdname config
#' @export
config_epsilon <- function() .config_call("epsilon")

#' @rdname config
#' @export
config_set_epsilon <- function(value) {
  .config_call("set_epsilon", list(value))
  invisible(NULL)
}

#' @rdname config
#' @export
config_image_data_format <- function() .config_call("image_data_format")

#' @rdname config
#' @export
config_set_image_data_format <- function(data_format) {
  .config_call("set_image_data_format", list(data_format))
  invisible(NULL)
}

#' @rdname config
#' @export
config_enable_interactive_logging <- function() {
  .config_call("enable_interactive_logging")
  invisible(NULL)
}

#' @rdname config
#' @export
config_disable_interactive_logging <- function() {
  .config_call("disable_interactive_logging")
  invisible(NULL)
}

#' @rdname config
#' @export
config_is_interactive_logging_enabled <- function() {
  .config_call("is_interactive_logging_enabled")
}

#' @rdname config
#' @export
config_enable_traceback_filtering <- function() {
  .config_call("enable_traceback_filtering")
  invisible(NULL)
}

#' @rdname config
#' @export
config_disable_traceback_filtering <- function() {
  .config_call("disable_traceback_filtering")
  invisible(NULL)
}

#' @rdname config
#' @export
config_is_traceback_filtering_enabled <- function() {
  .config_call("is_traceback_filtering_enabled")
}

#' @rdname config
#' @export
config_enable_flash_attention <- function() {
  .config_call("enable_flash_attention")
  invisible(NULL)
}

#' @rdname config
#' @export
config_disable_flash_attention <- function() {
  .config_call("disable_flash_attention")
  invisible(NULL)
}

#' @rdname config
#' @export
config_is_flash_attention_enabled <- function() {
  .config_call("is_flash_attention_enabled")
}

#' @rdname config
#' @export
config_max_epochs <- function() .config_call("max_epochs")

#' @rdname config
#' @export
config_set_max_epochs <- function(max_epochs) {
  .config_call("set_max_epochs", list(max_epochs))
  invisible(NULL)
}

#' @rdname config
#' @export
config_max_steps_per_epoch <- function() .config_call("max_steps_per_epoch")

#' @rdname config
#' @export
config_set_max_steps_per_epoch <- function(max_steps_per_epoch) {
  .config_call("set_max_steps_per_epoch", list(max_steps_per_epoch))
  invisible(NULL)
}

#' @rdname config
#' @details `config_is_nnx_enabled()` is always `FALSE`: Flax NNX is a JAX
#'   feature, and torkeras runs on torch.
#' @export
config_is_nnx_enabled <- function() FALSE
