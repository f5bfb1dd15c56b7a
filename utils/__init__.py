"""Provided helpers for the nndl notebooks: data, plots, checks, gradient checking, progress.

Import what you need from the submodules, e.g. ``from utils.data import load_dataset``.
Nothing here is a solution to a graded exercise.

Importing ``utils`` limits numpy to one BLAS thread (``utils.threads``: set ``NNDL_THREADS`` to
change it).
"""

from utils.threads import requested as _requested
from utils.threads import use_threads as _use_threads

_use_threads(_requested())
