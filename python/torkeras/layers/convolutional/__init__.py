"""Built-in layers of this family; import them from `torkeras.layers`."""
