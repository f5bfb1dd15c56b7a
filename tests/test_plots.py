"""Tests of utils.plots: cost curves, decision boundaries and image grids."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402
from matplotlib.contour import ContourSet  # noqa: E402

from utils.plots import (  # noqa: E402
    plot_costs,
    plot_decision_boundary,
    plot_images,
    plot_mislabelled,
)

CLASSES = np.array([b"t-shirt", b"shirt", b"sneaker"])


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def points():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((2, 30))
    Y = (X[0:1] > 0).astype(np.int64)
    return X, Y


def predict_right_half(points):
    return (points[0:1] > 0).astype(np.int64)


@pytest.fixture
def images():
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, size=(5, 8, 8, 3), dtype=np.uint8)


def test_plot_costs_draws_one_curve_with_the_costs():
    ax = plot_costs([0.7, 0.5, 0.4])
    (line,) = ax.get_lines()
    np.testing.assert_array_equal(line.get_ydata(), [0.7, 0.5, 0.4])
    np.testing.assert_array_equal(line.get_xdata(), [0, 1, 2])


def test_plot_costs_labels_axes_with_the_recording_interval():
    ax = plot_costs(np.array([0.7, 0.5]), every=10)
    assert ax.get_xlabel() == "iterations (per 10)"
    assert ax.get_ylabel() == "cost"


def test_plot_costs_puts_learning_rate_in_title():
    assert "0.0075" in plot_costs([0.7, 0.5], learning_rate=0.0075).get_title()


def test_plot_costs_draws_on_given_axes_and_adds_legend_for_labels():
    _, ax = plt.subplots()
    assert plot_costs([0.7, 0.5], ax=ax, label="lr = 0.01") is ax
    plot_costs([0.7, 0.6], ax=ax, label="lr = 0.001")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["lr = 0.01", "lr = 0.001"]


def test_plot_costs_accepts_list_of_0d_arrays():
    ax = plot_costs([np.array(0.7), np.float64(0.5)])
    assert len(ax.get_lines()[0].get_ydata()) == 2


def test_plot_costs_rejects_empty_costs():
    with pytest.raises(ValueError, match="costs is empty"):
        plot_costs([])


def test_plot_costs_rejects_2d_costs():
    with pytest.raises(ValueError, match=r"1-D array, got shape \(2, 3\)"):
        plot_costs(np.ones((2, 3)))


def test_plots_never_call_plt_show(monkeypatch, images):
    monkeypatch.setattr(plt, "show", lambda *a, **k: pytest.fail("plt.show() was called"))
    plot_costs([0.7, 0.5])
    plot_decision_boundary(predict_right_half, np.zeros((2, 2)), np.array([[0, 1]]))
    plot_mislabelled(images, np.zeros(5, dtype=int), np.ones(5, dtype=int), CLASSES)


def test_decision_boundary_draws_filled_contour_and_all_points(points):
    X, Y = points
    ax = plot_decision_boundary(predict_right_half, X, Y, resolution=50)
    assert any(isinstance(c, ContourSet) and c.filled for c in ax.collections)
    scatters = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(scatters) == 1
    np.testing.assert_allclose(scatters[0].get_offsets(), X.T)


def test_decision_boundary_colours_points_by_label(points):
    X, Y = points
    ax = plot_decision_boundary(predict_right_half, X, Y, resolution=50)
    (scatter,) = [c for c in ax.collections if isinstance(c, PathCollection)]
    np.testing.assert_array_equal(scatter.get_array(), Y.ravel())


def test_decision_boundary_grid_covers_points_plus_padding(points):
    X, Y = points
    ax = plot_decision_boundary(predict_right_half, X, Y, resolution=50, padding=0.5)
    np.testing.assert_allclose(ax.get_xlim(), [X[0].min() - 0.5, X[0].max() + 0.5])
    np.testing.assert_allclose(ax.get_ylim(), [X[1].min() - 0.5, X[1].max() + 0.5])


def test_decision_boundary_calls_predict_with_points_of_shape_2_k(points):
    X, Y = points
    shapes = []

    def predict(P):
        shapes.append(P.shape)
        return np.zeros(P.shape[1])  # shape (k,) is accepted too

    plot_decision_boundary(predict, X, Y, resolution=20)
    assert shapes == [(2, 400)]


def test_decision_boundary_sets_title_and_uses_given_axes(points):
    X, Y = points
    _, ax = plt.subplots()
    assert plot_decision_boundary(predict_right_half, X, Y, ax=ax, title="n_h = 4") is ax
    assert ax.get_title() == "n_h = 4"


def test_decision_boundary_rejects_X_of_shape_m_2(points):
    X, Y = points
    with pytest.raises(ValueError, match=r"X should have shape \(2, m\), got \(30, 2\) "
                                         r"\(did you pass X.T\?\)"):
        plot_decision_boundary(predict_right_half, X.T, Y)


def test_decision_boundary_rejects_Y_of_wrong_length(points):
    X, Y = points
    with pytest.raises(ValueError, match=r"Y should have shape \(1, m\) or \(m,\) with m = 30, "
                                         r"got \(1, 29\)"):
        plot_decision_boundary(predict_right_half, X, Y[:, :29])


def test_decision_boundary_rejects_predictions_of_wrong_shape(points):
    X, Y = points
    with pytest.raises(ValueError, match=r"predict returned shape \(400, 1\)"):
        plot_decision_boundary(lambda P: np.zeros((P.shape[1], 1)), X, Y, resolution=20)


def test_plot_images_makes_one_subplot_per_image_in_rows_of_ncols(images):
    fig = plot_images(images, np.array([[0, 1, 2, 0, 1]]), classes=CLASSES, ncols=2)
    assert len(fig.axes) == 5
    assert fig.axes[0].get_gridspec().get_geometry() == (3, 2)


def test_plot_images_shows_at_most_max_images(images):
    assert len(plot_images(images, np.zeros(5, dtype=int), max_images=3).axes) == 3


def test_plot_images_titles_with_decoded_class_names(images):
    fig = plot_images(images, np.array([0, 1, 2, 0, 1]), classes=CLASSES)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["t-shirt", "shirt", "sneaker", "t-shirt", "shirt"]


def test_plot_images_without_classes_titles_with_numbers(images):
    fig = plot_images(images, np.array([[0, 1, 1, 0, 1]]))
    assert fig.axes[1].get_title() == "1"


def test_plot_images_marks_mismatches_in_red(images):
    y_true = np.array([0, 1, 2, 0, 1])
    y_pred = np.array([[0, 0, 2, 0, 1.0]])
    fig = plot_images(images, y_true, y_pred, classes=np.array(["t-shirt", "shirt", "sneaker"]))
    title = fig.axes[1].title
    assert title.get_text() == "true: shirt\npred: t-shirt"
    assert to_rgba(title.get_color()) == to_rgba("red")
    assert to_rgba(fig.axes[0].title.get_color()) != to_rgba("red")


def test_plot_images_shows_grayscale_with_gray_colormap():
    x = np.linspace(0, 1, 2 * 6 * 6).reshape(2, 6, 6, 1)
    fig = plot_images(x, np.array([0, 1]))
    (image,) = fig.axes[0].get_images()
    assert image.get_cmap().name == "gray"
    assert image.get_array().shape == (6, 6)


def test_plot_images_rescales_float_images_outside_0_1(images):
    fig = plot_images(images.astype(np.float64) - 128.0, np.zeros(5, dtype=int))
    data = fig.axes[0].get_images()[0].get_array()
    assert data.min() >= 0.0 and data.max() <= 1.0


def test_plot_images_rejects_flattened_X(images):
    with pytest.raises(ValueError, match="before flattening"):
        plot_images(images.reshape(5, -1).T, np.zeros(5, dtype=int))


def test_plot_images_rejects_labels_of_wrong_length(images):
    with pytest.raises(ValueError, match=r"y_true should have shape \(1, m\) or \(m,\) with m = 5"):
        plot_images(images, np.zeros(4, dtype=int))


def test_plot_images_rejects_scores_instead_of_labels(images):
    with pytest.raises(ValueError, match="not a whole number"):
        plot_images(images, np.zeros(5, dtype=int), np.full(5, 0.7))


def test_plot_mislabelled_shows_only_the_mismatches(images):
    y_true = np.array([[0, 1, 2, 0, 1]])
    y_pred = np.array([[0, 2, 2, 1, 1]])
    fig = plot_mislabelled(images, y_true, y_pred, CLASSES)
    assert [ax.get_title() for ax in fig.axes] == ["true: shirt\npred: sneaker",
                                                   "true: t-shirt\npred: shirt"]
    assert "2 of 5" in fig.get_suptitle()


def test_plot_mislabelled_without_mistakes_says_so(images):
    y = np.array([0, 1, 2, 0, 1])
    fig = plot_mislabelled(images, y, y.reshape(1, -1), CLASSES)
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert texts == ["no mislabelled images"]
