# Package-level documentation and the NAMESPACE imports (roxygen2 writes
# NAMESPACE and man/ from the roxygen blocks of R/; see tools/README.md).

#' @keywords internal
"_PACKAGE"

#' @importFrom rlang %||% .data
#' @importFrom stats predict
#' @importFrom graphics plot
NULL

#' The torkeras Python module
#'
#' `keras` is the `torkeras` Python module (Keras 3 on torch), as the `keras`
#' object of keras3 is the Python `keras` module: everything the R functions do
#' not wrap is reached through it (`keras$layers$Dense`, `keras$ops$sum`, ...).
#' Python is started, and the module imported, the first time `keras` is used.
#'
#' @format A Python module (a reticulate proxy until it is first used).
#' @name keras
#' @usage keras
#' @returns The Python module.
#' @export keras
#' @examples
#' keras$ops$add(1, 2)
#' layer <- keras$layers$Dense(units = 2L)
#' layer$units
NULL
