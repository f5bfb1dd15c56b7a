"""Week 2 (logistic regression): a true division for a size, np.zeros given two numbers, float()
of a cost summed along one axis, a dict unpacked like a tuple, a missing transpose, the values
of optimize unpacked into too few names."""

from functools import partial

from support.raw_mistakes import RawMistake, variant

NOTEBOOK = "week2/logistic_regression.ipynb"
answer = partial(variant, NOTEBOOK)
SUMMED_ON_AXIS_0 = ("cost = float(-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m)",
                    "cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A), axis=0) / m\n"
                    "    cost = float(cost)")

RAW = {
    "flatten": [
        RawMistake("true division for a size",
                   "flatten: x_flat = x.reshape(x.shape[0], x.size / x.shape[0]).T",
                   "use a // b for sizes",
                   answer("flatten", ("-1).T", "x.size / x.shape[0]).T"))),
    ],
    "initialize_with_zeros": [
        RawMistake("np.zeros with two numbers", "initialize_with_zeros: w = np.zeros(dim, 1)",
                   "np.zeros takes the shape as one tuple: np.zeros((dim, 1)).",
                   answer("initialize_with_zeros", ("np.zeros((dim, 1))", "np.zeros(dim, 1)"))),
    ],
    "propagate": [
        RawMistake("float() of a cost summed along axis 0", "propagate: cost = float(cost)",
                   "cost is an array of shape (3,) (3 numbers), and float() takes one",
                   answer("propagate", SUMMED_ON_AXIS_0)),
    ],
    "optimize": [  # the message shows that dw is a str; no rule knows why
        RawMistake("unpacks the grads dict like a tuple",
                   "optimize: w = w - learning_rate * dw", None,
                   answer("optimize", ('grads["dw"], grads["db"]', "grads"))),
    ],
    "predict": [
        RawMistake("w without its transpose", "predict: A = sigmoid(np.dot(w, X) + b)",
                   "w.T would fit (shape (1, 3)): is a transpose missing?",
                   answer("predict", ("w.T", "w"))),
    ],
    "model": [
        RawMistake("unpacks params like a tuple", "predict: A = sigmoid(np.dot(w.T, X) + b)",
                   "predict passed its test: first check the arguments that model passes",
                   answer("model", ('params["w"], params["b"]', "params"))),
        RawMistake("unpacks optimize into two values",
                   "model: params, costs = optimize(w, b, X_train, Y_train",
                   "optimize returns 3 values, params, grads, costs (its docstring), and this "
                   "line unpacks 2.",
                   answer("model", ("params, grads, costs =", "params, costs ="))),
    ],
}
