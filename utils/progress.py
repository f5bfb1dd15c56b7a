"""A progress bar for training loops: a notebook widget in JupyterLab, plain text elsewhere."""

import numbers

from tqdm.auto import tqdm


def progress(iterable=None, total=None, desc=None, silent=False, **kwargs):
    """Wrap an iterable (or range(n) for an integer n) in a tqdm progress bar.

    Arguments:
    iterable -- what to iterate over, or an integer n meaning range(n); None for a bar that
                is advanced by hand with .update()
    total -- number of steps, when it cannot be taken from len(iterable)
    desc -- text shown before the bar, e.g. "training"
    silent -- True shows no bar at all
    kwargs -- passed on to tqdm, e.g. leave=False

    Returns:
    bar -- the tqdm bar; iterating over it yields the items of iterable
    """
    if isinstance(iterable, numbers.Integral) and not isinstance(iterable, bool):
        iterable = range(int(iterable))
    kwargs["disable"] = silent or kwargs.get("disable", False)
    return tqdm(iterable, total=total, desc=desc, **kwargs)
