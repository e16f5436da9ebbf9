"""torch's matrix products inside an R process.

libtorch_cpu exports the BLAS symbols of the MKL it contains (`sgemm_`, ...)
without binding its own calls to them. Inside R, the BLAS that R itself is
linked with was loaded first, so the dynamic linker sends torch's calls to
R's BLAS instead:

- Debian's reference BLAS (R's default) makes torch's matmuls 10-30x slower;
- OpenBLAS is fast, but its threads then compete with torch's OpenMP threads
  (2-3x slower training on small models). Setting OpenBLAS to one thread
  removes the contention.

`configure()` finds out which case applies to this process and does what can
be done at run time. Starting R with
LD_PRELOAD=<torch>/lib/libtorch_cpu.so avoids the problem entirely (torch then
uses its own MKL, and so does R).
"""

import ctypes
import os

import torch


def configure(openblas_threads=1):
    """Returns "torch" (torch uses its own BLAS), "openblas" (R's OpenBLAS, now
    set to `openblas_threads` threads) or "other" (a BLAS we cannot tune, e.g.
    the slow reference BLAS)."""
    torch_lib = os.path.join(os.path.dirname(torch.__file__), "lib", "libtorch_cpu.so")
    try:
        process = ctypes.CDLL(None)
        own = ctypes.CDLL(torch_lib)
        used = ctypes.cast(process.sgemm_, ctypes.c_void_p).value
        if used == ctypes.cast(own.sgemm_, ctypes.c_void_p).value:
            return "torch"
    except (OSError, AttributeError):
        return "torch"  # no separate sgemm_ in this build or process
    setter = getattr(process, "openblas_set_num_threads", None)
    if setter is None:
        return "other"
    setter(int(openblas_threads))
    return "openblas"
