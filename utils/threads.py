"""One BLAS/OpenMP thread per kernel unless told otherwise, set when ``utils`` is imported.

numpy's BLAS (OpenBLAS, MKL) starts as many threads as the machine has cores. On a machine where
anything else runs (a hub with many students, a laptop with a browser, a grader with two kernels)
those threads spin against each other and a notebook gets many times slower; the matrices of this
course are too small to gain from them. So every notebook that imports ``utils`` uses one thread.

To choose another number, set the environment variable ``NNDL_THREADS`` before starting Jupyter
(``NNDL_THREADS=4 nndl lab``; ``NNDL_THREADS=0`` keeps the libraries' own default), or call
``use_threads(4)`` in a notebook. ``nndl grade --threads N`` sets it for the grading kernels.
"""

from __future__ import annotations

import os

VARIABLE = "NNDL_THREADS"
LIBRARY_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
_limits = None  # the threadpoolctl limiter in force, if any


def requested(environ=os.environ) -> int:
    """The number of threads asked for: ``NNDL_THREADS`` (0: the libraries' default), else 1."""
    value = environ.get(VARIABLE, "").strip()
    if not value:
        return 1
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"{VARIABLE}={value!r}: expected a whole number of threads "
                         "(0 for the libraries' default)") from None
    if number < 0:
        raise ValueError(f"{VARIABLE}={value!r}: expected 0 or more threads")
    return number


def use_threads(number: int) -> None:
    """Limit numpy's BLAS and OpenMP to ``number`` threads in this process (0: no limit).

    Libraries already loaded are limited through threadpoolctl; libraries loaded later read the
    environment variables set here."""
    global _limits
    import numpy  # noqa: F401 (loads the BLAS library, so that threadpoolctl can find it)
    from threadpoolctl import threadpool_limits

    if _limits is not None:
        _limits.restore_original_limits()
        _limits = None
    if number > 0:
        for name in LIBRARY_VARIABLES:
            os.environ[name] = str(number)
        _limits = threadpool_limits(limits=number)


def blas_threads() -> int:
    """The largest number of threads any loaded BLAS library may use now."""
    from threadpoolctl import threadpool_info

    return max((pool["num_threads"] for pool in threadpool_info()
                if pool.get("user_api") == "blas"), default=0)
