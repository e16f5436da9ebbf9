"""Where progress bars and training messages go: stdout, or Python's
`logging` when `keras.config.disable_interactive_logging()` was called."""

import logging
import sys

_LOGGER = logging.getLogger("torkeras")


def print_msg(message, line_break=True):
    """Writes `message` to stdout (interactive logging, the default) or, when
    interactive logging is disabled, logs it at INFO level on the "torkeras"
    logger, one record per non-empty line, without terminal control
    characters."""
    from torkeras import config
    message = str(message)
    if config.is_interactive_logging_enabled():
        sys.stdout.write(f"{message}\n" if line_break else message)
        sys.stdout.flush()
        return
    for line in message.replace("\b", "").replace("\r", "\n").split("\n"):
        if line.strip():
            _LOGGER.info(line)
