"""`keras.preprocessing`: the legacy data-preprocessing namespace (`image`)."""

from torkeras.preprocessing import image  # noqa: F401
