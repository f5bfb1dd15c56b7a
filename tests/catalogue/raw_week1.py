"""Week 1 (numpy basics): a capitalised or misspelt name, a function calling itself, math
functions and float() on arrays, a reduction that drops its axis, .shape called like a method."""

from functools import partial

from support.raw_mistakes import RawMistake, variant

NOTEBOOK = "week1/numpy_basics.ipynb"
answer = partial(variant, NOTEBOOK)

RAW = {
    "basic_sigmoid": [
        RawMistake("capital X for x", "basic_sigmoid: s = 1 / (1 + math.exp(-X))",
                   "X is not defined: did you mean x?",
                   answer("basic_sigmoid", ("math.exp(-x)", "math.exp(-X)"))),
    ],
    "sigmoid_derivative": [
        RawMistake("typo in a variable name", "sigmoid_derivative: ds = s * (1 - sig)",
                   "sigmoid_derivative never assigns sig (its variables: x, s, ds)",
                   answer("sigmoid_derivative", ("(1 - s)", "(1 - sig)"))),
        RawMistake("calls itself instead of sigmoid",
                   "sigmoid_derivative: s = sigmoid_derivative(x)",
                   "sigmoid_derivative calls itself on this line",
                   answer("sigmoid_derivative",
                          ("    s = sigmoid(x)", "    s = sigmoid_derivative(x)"))),
    ],
    "normalize_rows": [
        RawMistake("norm on its own line, without keepdims",
                   "normalize_rows: x_normalized = x / x_norm",
                   "x_norm lost the axis it was reduced along: keepdims=True keeps it, as a "
                   "column of shape (2, 1).",
                   answer("normalize_rows", ("axis=1, keepdims=True", "axis=1"))),
    ],
    "softmax": [
        RawMistake("transposes the 1-D sum", "softmax: s = x_exp / np.sum(x_exp, axis=1).T",
                   ".T leaves a 1-D array as it is: keepdims=True",
                   answer("softmax", ("np.sum(x_exp, axis=1, keepdims=True)",
                                      "np.sum(x_exp, axis=1).T"))),
    ],
    "L1": [
        RawMistake("math.fabs on an array", "L1: loss = np.sum(math.fabs(y - yhat))",
                   "math.fabs works on one number at a time: use np.fabs on arrays.",
                   answer("L1", ("np.abs(", "math.fabs("))),
    ],
    "L2": [  # float() of an expression: no value to show, so no hint
        RawMistake("float() of the squared differences", "L2: loss = float(diff ** 2)", None,
                   answer("L2", ("np.dot(diff, diff)", "float(diff ** 2)"))),
    ],
    "image2vector": [
        RawMistake("shape called like a method",
                   "image2vector: v = image.reshape(image.shape(0) * image.shape(1)",
                   "image.shape is a tuple: index it with square brackets, image.shape[0].",
                   answer("image2vector", ("(-1, 1)", "(image.shape(0) * image.shape(1) * 3, "
                                                      "1)"))),
    ],
}
