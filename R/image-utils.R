# keras3's image utilities: image_load(), image_to_array(), image_from_array(),
# image_array_save() and image_smart_resize(). Images are Pillow images
# (Python objects); arrays come back as R arrays of (height, width, channels)
# (or (channels, height, width) with data_format = "channels_first").

.image_path <- function(path, verb) {
  if (is_py_object(path)) return(path)
  if (!is.character(path) || length(path) != 1L || is.na(path))
    .stop_in_verb(paste0("`path` must be a single file path (a string); received ",
                         paste(deparse(path, nlines = 1L), collapse = ""), "."))
  path.expand(path)
}

.image_string_or_null <- function(x, name) {
  if (is.null(x)) return(NULL)
  if (!is.character(x) || length(x) != 1L || is.na(x))
    .stop_in_verb(paste0("`", name, "` must be NULL or a single string; received ",
                         paste(deparse(x, nlines = 1L), collapse = ""), "."))
  x
}

.image_size <- function(x, name, allow_null = TRUE) {
  if (is.null(x) && allow_null) return(NULL)
  if (is.list(x)) x <- unlist(x)
  if (!is.numeric(x) || length(x) != 2L || anyNA(x) || any(x != round(x)) || any(x < 1))
    .stop_in_verb(paste0("`", name, "` must be ", if (allow_null) "NULL or ",
                         "two positive whole numbers c(height, width); received ",
                         paste(deparse(x, nlines = 1L), collapse = ""), "."))
  reticulate::tuple(as.integer(x[[1L]]), as.integer(x[[2L]]))
}

.image_result <- function(x) {
  if (inherits(x, "numpy.ndarray")) .py_result_to_r(x) else x
}

# Runs a Python call and re-raises the Python warnings it emitted as R
# warnings (reticulate does not forward them).
.image_call_with_warnings <- function(callable, args, verb) {
  pywarn <- reticulate::import("warnings", convert = FALSE)
  ctx <- pywarn$catch_warnings(record = TRUE)
  caught <- ctx$`__enter__`()
  pywarn$simplefilter("always")
  out <- tryCatch(call_python(callable, args, verb), finally = ctx$`__exit__`(NULL, NULL, NULL))
  bi <- reticulate::import_builtins(convert = FALSE)
  messages <- bi$map(reticulate::import("operator", convert = FALSE)$attrgetter("message"), caught)
  for (w in reticulate::py_to_r(bi$list(bi$map(bi$str, messages))))
    warning(w, call. = FALSE)
  out
}

.image_array_arg <- function(x, verb) {
  if (is_py_object(x)) return(x)
  if (!is.numeric(x) && !is.logical(x))
    .stop_in_verb(paste0("`x` must be a numeric array; received ", class(x)[[1L]], "."))
  if (is.null(dim(x))) .stop_in_verb("`x` must be an array with dimensions (an image), not a vector.")
  x
}

#' Load an image file as a Pillow image
#'
#' Reads a PNG, JPEG, BMP, GIF, ... file with Pillow and converts it to the
#' requested colour mode, optionally resizing it. Convert the result with
#' [image_to_array()].
#'
#' @param path Path to the image file.
#' @param color_mode `"rgb"` (default), `"rgba"` or `"grayscale"`.
#' @param target_size `NULL` (keep the file's size) or `c(height, width)`.
#' @param interpolation Resampling filter used when resizing: `"nearest"`
#'   (default), `"bilinear"`, `"bicubic"`, `"hamming"`, `"box"` or
#'   `"lanczos"`.
#' @param keep_aspect_ratio If `TRUE`, the largest centred crop with the
#'   aspect ratio of `target_size` is resized, so the image is not distorted.
#' @returns A Pillow image (a Python object).
#' @family image utils
#' @examples
#' path <- tempfile(fileext = ".png")
#' image_array_save(array(runif(8 * 6 * 3), c(8, 6, 3)), path)
#' img <- image_load(path, target_size = c(4, 4))
#' dim(image_to_array(img))  # 4 4 3
#' @export
image_load <- function(path, color_mode = "rgb", target_size = NULL,
                       interpolation = "nearest", keep_aspect_ratio = FALSE) {
  path <- .image_path(path, "image_load")
  if (!is.character(color_mode) || length(color_mode) != 1L)
    .stop_in_verb("`color_mode` must be one of \"rgb\", \"rgba\" or \"grayscale\".")
  call_python(.tk()$utils$load_img, list(
    path, color_mode = color_mode, target_size = .image_size(target_size, "target_size"),
    interpolation = .image_string_or_null(interpolation, "interpolation"),
    keep_aspect_ratio = as_flag(keep_aspect_ratio, "keep_aspect_ratio")
  ), "image_load")
}

#' Convert a Pillow image to an array
#'
#' @param img A Pillow image, e.g. from [image_load()].
#' @param data_format `"channels_last"` (result `(height, width, channels)`)
#'   or `"channels_first"` (`(channels, height, width)`); `NULL` uses
#'   [config_image_data_format()].
#' @param dtype Dtype of the values before they come back to R; `NULL` uses
#'   [config_floatx()] (R arrays of doubles either way, or integers for an
#'   integer dtype).
#' @returns A 3-d R array; a grayscale image has a channel dimension of 1.
#' @family image utils
#' @examples
#' img <- image_from_array(array(runif(5 * 4 * 3), c(5, 4, 3)))
#' dim(image_to_array(img))                                  # 5 4 3
#' dim(image_to_array(img, data_format = "channels_first"))  # 3 5 4
#' @export
image_to_array <- function(img, data_format = NULL, dtype = NULL) {
  out <- call_python(.tk()$utils$img_to_array, list(
    img, data_format = .image_string_or_null(data_format, "data_format"),
    dtype = .image_string_or_null(dtype, "dtype")
  ), "image_to_array")
  .image_result(out)
}

#' Convert a 3-d array to a Pillow image
#'
#' @param x A 3-d array `(height, width, channels)` (or
#'   `(channels, height, width)` with `data_format = "channels_first"`) with 1,
#'   3 or 4 channels.
#' @param data_format Layout of `x`; `NULL` uses [config_image_data_format()].
#' @param scale If `TRUE` (default), values are shifted and scaled linearly
#'   so that the minimum becomes 0 and the maximum 255. If `FALSE`, values
#'   (expected in `[0, 255]`) are truncated to integers.
#' @param dtype Dtype `x` is converted to first; `NULL` uses
#'   [config_floatx()].
#' @returns A Pillow image (a Python object) of mode `"RGB"`, `"RGBA"`, `"L"`
#'   or (one channel above 255, unscaled) `"I"`.
#' @family image utils
#' @examples
#' img <- image_from_array(array(runif(30), c(5, 2, 3)))
#' img$size  # width, height: 2 5
#' @export
image_from_array <- function(x, data_format = NULL, scale = TRUE, dtype = NULL) {
  x <- .image_array_arg(x, "image_from_array")
  call_python(.tk()$utils$array_to_img, list(
    x, data_format = .image_string_or_null(data_format, "data_format"),
    scale = as_flag(scale, "scale"), dtype = .image_string_or_null(dtype, "dtype")
  ), "image_from_array")
}

#' Save a 3-d array as an image file
#'
#' @param x A 3-d array, as for [image_from_array()].
#' @param path Path of the file to write.
#' @param data_format Layout of `x`; `NULL` uses [config_image_data_format()].
#' @param file_format Format name for Pillow (`"png"`, `"jpeg"`, ...; `"jpg"`
#'   means `"jpeg"`); `NULL` takes it from the extension of `path`.
#' @param scale Whether to rescale values to `[0, 255]` (see
#'   [image_from_array()]).
#' @param ... Named options passed to Pillow's `Image.save()`, e.g.
#'   `quality = 95L` for JPEG.
#' @returns `x`, invisibly. An RGBA image saved as JPEG is converted to RGB,
#'   with a warning.
#' @family image utils
#' @examples
#' path <- tempfile(fileext = ".png")
#' image_array_save(array(runif(4 * 4 * 3), c(4, 4, 3)), path)
#' file.exists(path)
#' @export
image_array_save <- function(x, path, data_format = NULL, file_format = NULL,
                             scale = TRUE, ...) {
  arr <- .image_array_arg(x, "image_array_save")
  extra <- list(...)
  if (length(extra) && (is.null(names(extra)) || any(names(extra) == "")))
    .stop_in_verb("Options in `...` must be named (e.g. quality = 95L).")
  .image_call_with_warnings(.tk()$utils$save_img, c(list(
    .image_path(path, "image_array_save"), arr,
    data_format = .image_string_or_null(data_format, "data_format"),
    file_format = .image_string_or_null(file_format, "file_format"),
    scale = as_flag(scale, "scale")
  ), extra), "image_array_save")
  invisible(x)
}

#' Resize images to a target size without distorting them
#'
#' The largest centred crop with the aspect ratio of `size` is taken (a
#' `(340, 500)` image resized to `c(200, 200)` is first cropped to
#' `(340, 340)` around its centre), then resized to `size`.
#'
#' @param x An image `(height, width, channels)` or a batch
#'   `(batch, height, width, channels)` (channels first with
#'   `data_format = "channels_first"`): an R array or a tensor.
#' @param size `c(height, width)` of the output.
#' @param interpolation `"bilinear"` (default), `"nearest"` or `"bicubic"`.
#' @param data_format `"channels_last"` (default) or `"channels_first"`.
#' @param backend_module Not supported (must be `NULL`); kept for keras3
#'   compatibility.
#' @returns An R array for an R array input, otherwise a tensor.
#' @family image utils
#' @examples
#' x <- array(runif(34 * 50 * 3), c(34, 50, 3))
#' dim(image_smart_resize(x, c(20, 20)))  # 20 20 3
#' @export
image_smart_resize <- function(x, size, interpolation = "bilinear",
                               data_format = "channels_last", backend_module = NULL) {
  if (!is.null(backend_module))
    .stop_in_verb("`backend_module` is not supported (it must be NULL).")
  x <- .image_array_arg(x, "image_smart_resize")
  out <- call_python(.tk()$preprocessing$image$smart_resize, list(
    x, size = .image_size(size, "size", allow_null = FALSE),
    interpolation = .image_string_or_null(interpolation, "interpolation"),
    data_format = .image_string_or_null(data_format, "data_format")
  ), "image_smart_resize")
  .image_result(out)
}
