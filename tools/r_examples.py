"""Runnable R @examples for the generated R wrappers (issue 12, item 3).

Interface (read by tools/generate_r_wrappers.py):

    EXAMPLES: dict[str, str]        # R function name -> R example code (multi-line ok)
    def example_for(r_name: str, family: str) -> str | None:
        '''The example for one generated wrapper: EXAMPLES[r_name] if present,
        else a family template filled in where that is correct (e.g.
        activation_* on a small vector), else None.'''

`family` is the generated file's family: "layers", "losses", "metrics",
"optimizers", "learning_rate_schedules", "ops", "random", "activations",
"initializers", "regularizers", "constraints", "callbacks" (the generator may
also pass the R name prefix, e.g. "layer" or "op"; both are accepted).
Example code is plain R, one statement per line, no roxygen prefix.
Every example is run by tools/check_r_examples.R.
"""

from __future__ import annotations

EXAMPLES: dict[str, str] = {}


def example_for(r_name: str, family: str) -> str | None:
    return EXAMPLES.get(r_name)
