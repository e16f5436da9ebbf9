"""The torkeras version, written from DESCRIPTION's Version field by the
top-level cleanup script (R CMD build, R CMD INSTALL): edit DESCRIPTION."""

__version__ = "0.1.0"
