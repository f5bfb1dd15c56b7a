"""Plots for the notebooks: cost curves, decision boundaries, grids of labelled images.

Every function draws with matplotlib and returns what it drew on (an Axes or a Figure); none
calls plt.show(), so a notebook shows the figure once, at the end of the cell.
"""

import math
import numbers

import matplotlib.pyplot as plt
import numpy as np

CMAP = "RdBu"  # class 0 red, class 1 blue


def _new_axes(ax):
    """Return ax, or the Axes of a new figure when ax is None."""
    if ax is None:
        _, ax = plt.subplots()
    return ax


def plot_costs(costs, learning_rate=None, every=100, ax=None, label=None):
    """Plot the cost recorded every `every` iterations of gradient descent.

    Arguments:
    costs -- list or 1-D array of the recorded costs, one per `every` iterations
    learning_rate -- learning rate, shown in the title when given
    every -- number of iterations between two recorded costs, a positive integer
    ax -- matplotlib Axes to draw on; a new figure when None
    label -- legend label of the curve (to compare several runs on one Axes)

    Returns:
    ax -- the matplotlib Axes drawn on
    """
    costs = np.asarray(costs, dtype=np.float64)
    if costs.ndim > 1 and sum(n > 1 for n in costs.shape) <= 1:
        costs = costs.ravel()  # e.g. shape (n, 1) or (1, n)
    if costs.ndim != 1:
        raise ValueError(f"costs should be a list or a 1-D array, got shape {costs.shape}")
    if costs.size == 0:
        raise ValueError("costs is empty: record the cost during training before plotting it")
    if isinstance(every, bool) or not isinstance(every, numbers.Integral) or every < 1:
        raise ValueError(f"every must be a positive integer, got {every!r}")
    ax = _new_axes(ax)
    ax.plot(np.arange(costs.size), costs, label=label)
    ax.set_xlabel("iterations" if every == 1 else f"iterations (per {every})")
    ax.set_ylabel("cost")
    if learning_rate is not None:
        ax.set_title(f"learning rate = {learning_rate:g}")
    if label is not None:
        ax.legend()
    return ax


def _check_points(X, Y):
    """Return X (2, m) float64 and Y (m,), or raise ValueError naming the expected shapes."""
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[0] != 2:
        hint = " (did you pass X.T?)" if X.ndim == 2 and X.shape[1] == 2 else ""
        raise ValueError(f"X should have shape (2, m), got {X.shape}{hint}")
    m = X.shape[1]
    Y = np.asarray(Y)
    if Y.shape not in ((1, m), (m,)):
        raise ValueError(f"Y should have shape (1, m) or (m,) with m = {m}, got {Y.shape}")
    return X.astype(np.float64), Y.ravel().astype(np.float64)


def plot_decision_boundary(predict, X, Y, ax=None, resolution=300, padding=1.0, title=None):
    """Colour the plane by the predictions of a classifier and draw the examples on top.

    Arguments:
    predict -- function mapping points of shape (2, k) to predictions of shape (1, k) or (k,)
    X -- examples, numpy array of shape (2, m)
    Y -- labels, numpy array of shape (1, m) or (m,)
    ax -- matplotlib Axes to draw on; a new figure when None
    resolution -- number of grid points along each axis
    padding -- margin added around the examples on every side
    title -- title of the Axes, if given

    Returns:
    ax -- the matplotlib Axes drawn on
    """
    X, Y = _check_points(X, Y)
    lo = X.min(axis=1) - padding
    hi = X.max(axis=1) + padding
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], resolution),
                         np.linspace(lo[1], hi[1], resolution))
    grid = np.stack([xx.ravel(), yy.ravel()])  # (2, k), k = resolution ** 2
    k = grid.shape[1]
    Z = np.asarray(predict(grid))
    if Z.shape not in ((1, k), (k,)):
        raise ValueError(f"predict returned shape {Z.shape} for points of shape (2, {k}); "
                         f"it should return shape (1, {k}) or ({k},)")
    Z = Z.astype(np.float64).reshape(xx.shape)
    if not np.all(np.isfinite(Z)):
        raise ValueError("predict returned NaN or inf for some points of the grid")
    vmin = min(Z.min(), Y.min()) - 0.5
    vmax = max(Z.max(), Y.max()) + 0.5
    ax = _new_axes(ax)
    ax.contourf(xx, yy, Z, levels=np.arange(vmin, vmax + 1.0), cmap=CMAP, vmin=vmin, vmax=vmax,
                alpha=0.35)
    points = ax.scatter(X[0], X[1], c=Y, cmap=CMAP, vmin=vmin, vmax=vmax, s=16,
                        edgecolors="k", linewidths=0.4)
    ax.legend(*points.legend_elements(), title="y")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if title is not None:
        ax.set_title(title)
    return ax


def _label_name(label, classes):
    """The name of an integer label: classes[label] (decoded if bytes), or the number itself."""
    if float(label) != int(label):
        raise ValueError(f"label {label} is not a whole number; pass class labels, not scores")
    label = int(label)
    if classes is None:
        return str(label)
    if not 0 <= label < len(classes):
        raise ValueError(f"label {label} is not an index of classes (which has {len(classes)})")
    name = classes[label]
    return name.decode("utf-8") if isinstance(name, bytes) else str(name)


def _check_labels(name, y, m):
    """Return y of shape (1, m) or (m,) as shape (m,), or raise ValueError."""
    y = np.asarray(y)
    if y.shape not in ((1, m), (m,)):
        raise ValueError(f"{name} should have shape (1, m) or (m,) with m = {m}, got {y.shape}")
    return y.ravel()


def _check_images(x):
    """Return x as images (m, h, w, c) with c = 1 or 3, or raise ValueError."""
    x = np.asarray(x)
    if x.ndim == 3:
        x = x[..., np.newaxis]  # (m, h, w) grayscale
    if x.ndim != 4 or x.shape[3] not in (1, 3):
        hint = ""
        if x.ndim == 2:
            hint = "; pass the images before flattening, not X of shape (n_x, m)"
        raise ValueError(f"x should have shape (m, h, w, c) with c = 1 or 3, got {x.shape}{hint}")
    return x


def _displayable(image):
    """An image (h, w, c) ready for imshow: uint8 as is, floats scaled into [0, 1] if needed."""
    if image.dtype == np.uint8:
        return image
    image = image.astype(np.float64)
    lo, hi = image.min(), image.max()
    if lo < 0 or hi > 1:
        image = (image - lo) / (hi - lo) if hi > lo else np.zeros_like(image)
    return image


def plot_images(x, y_true, y_pred=None, classes=None, ncols=8, max_images=32):
    """Show images in a grid, titled with their label (and prediction, in red when wrong).

    Arguments:
    x -- images, numpy array of shape (m, h, w, c), uint8 or float, c = 1 (gray) or 3 (RGB)
    y_true -- true labels, numpy array of shape (1, m) or (m,)
    y_pred -- predicted labels, numpy array of shape (1, m) or (m,), or None
    classes -- names of the labels, array of bytes or str (classes[label]); None shows numbers
    ncols -- number of images per row
    max_images -- at most this many images are shown (the first ones)

    Returns:
    fig -- the matplotlib Figure, one Axes per image shown
    """
    x = _check_images(x)
    m = x.shape[0]
    y_true = _check_labels("y_true", y_true, m)
    if y_pred is not None:
        y_pred = _check_labels("y_pred", y_pred, m)
    n = min(m, max_images)
    if n < 1:
        raise ValueError("there are no images to show")
    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.6 * ncols, 2.0 * nrows), squeeze=False,
                             layout="constrained")
    for i, ax in enumerate(axes.flat):
        if i >= n:
            fig.delaxes(ax)
            continue
        image = _displayable(x[i])
        if image.shape[2] == 1:
            vmax = 255 if image.dtype == np.uint8 else 1.0
            ax.imshow(image[..., 0], cmap="gray", vmin=0, vmax=vmax)
        else:
            ax.imshow(image)
        ax.set_xticks([])
        ax.set_yticks([])
        true_name = _label_name(y_true[i], classes)
        if y_pred is None:
            ax.set_title(true_name, fontsize=9)
        else:
            wrong = y_pred[i] != y_true[i]
            ax.set_title(f"true: {true_name}\npred: {_label_name(y_pred[i], classes)}",
                         fontsize=9, color="red" if wrong else "black")
    return fig


def plot_mislabelled(x, y_true, y_pred, classes, max_images=32):
    """Show only the images whose predicted label differs from the true one.

    Arguments:
    x -- images, numpy array of shape (m, h, w, c), uint8 or float, c = 1 or 3
    y_true -- true labels, numpy array of shape (1, m) or (m,)
    y_pred -- predicted labels, numpy array of shape (1, m) or (m,)
    classes -- names of the labels, array of bytes or str; None shows numbers
    max_images -- at most this many mislabelled images are shown (the first ones)

    Returns:
    fig -- the matplotlib Figure
    """
    x = _check_images(x)
    m = x.shape[0]
    y_true = _check_labels("y_true", y_true, m)
    y_pred = _check_labels("y_pred", y_pred, m)
    wrong = np.flatnonzero(y_true != y_pred)
    if wrong.size == 0:
        fig, ax = plt.subplots(figsize=(4, 1))
        ax.text(0.5, 0.5, "no mislabelled images", ha="center", va="center")
        ax.set_axis_off()
        return fig
    fig = plot_images(x[wrong], y_true[wrong], y_pred[wrong], classes, max_images=max_images)
    fig.suptitle(f"{wrong.size} of {m} images mislabelled")
    return fig
