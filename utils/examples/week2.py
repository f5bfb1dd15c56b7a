"""Week 2 (logistic_regression): the examples of the public tests, their expected results, and
the results of known mistakes ({"what the student did": the value it gives}).

One small problem is shared by the tests of propagate and optimize: n_x = 2 features, m = 3
examples. predict has its own, with a bias large enough to change two of the six predictions.

Expected values come from one run of the reference solution, written here as literals rounded to
10 significant digits (the tests compare with a relative tolerance of 1e-6). Reading an array, a
dictionary or a tuple of this module gives a fresh copy (see the end of the file): a function
that changes its inputs in place cannot change the examples of the next test.
"""

import numpy as np

from utils.examples import copy_on_read

# --- dataset_dimensions --------------------------------------------------------------------------
DIMS_TRAIN = np.zeros((7, 5, 5, 3), dtype=np.uint8)  # 7 images of 5 x 5 pixels, 3 channels
DIMS_TEST = np.zeros((2, 5, 5, 3), dtype=np.uint8)  # 2 images
DIMS = (7, 2, 5)  # m_train, m_test, num_px
DIMS_MISTAKES = {  # {index in the returned tuple: {mistake: value}}
    0: {"took train_x.shape[1] (the image height) instead of shape[0] (the number of images)": 5},
    2: {"took shape[0] (the number of images) instead of shape[1] (the height)": 7,
        "counted all the pixels of an image instead of its height": 25},
}

# --- flatten -------------------------------------------------------------------------------------
IMAGES = np.arange(24).reshape(2, 2, 2, 3)  # 2 images of 2 x 2 pixels, 3 channels
IMAGES_FLAT = np.array([[0, 12], [1, 13], [2, 14], [3, 15], [4, 16], [5, 17],
                        [6, 18], [7, 19], [8, 20], [9, 21], [10, 22], [11, 23]])
FLATTEN_MISTAKES = {
    "reshaped straight to (n_x, m) without the transpose: pixels of different images are mixed":
        np.arange(24).reshape(12, 2),
}

# --- standardize ---------------------------------------------------------------------------------
PIXELS = np.array([[0, 51, 255], [102, 204, 17]], dtype=np.uint8)
PIXELS_STD = np.array([[0.0, 0.2, 1.0], [0.4, 0.8, 0.0666666667]])
STANDARDIZE_MISTAKES = {
    "divided by 256 instead of 255":
        np.array([[0.0, 0.19921875, 0.99609375], [0.3984375, 0.796875, 0.06640625]]),
    "subtracted the mean and divided by the standard deviation; here, divide by 255":
        np.array([[-1.1050932285, -0.5674803065, 1.5829713814],
                  [-0.0298673846, 1.0453584594, -0.9258889212]]),
    "used integer division (//), which rounds down to 0 or 1":
        np.array([[0.0, 0.0, 1.0], [0.0, 0.0, 0.0]]),
}

# --- sigmoid -------------------------------------------------------------------------------------
Z_ROW = np.array([0.0, 2.0])  # the example of the text
SIGMOID_Z_ROW = np.array([0.5, 0.880797078])
SIGMOID_MISTAKES = {  # at Z_ROW
    "wrote np.exp(z) instead of np.exp(-z)": np.array([0.5, 0.119202922]),
    "left out parentheses: 1 / 1 + np.exp(-z) means (1 / 1) + np.exp(-z)":
        np.array([2.0, 1.1353352832]),
}
Z_COLUMN = np.array([[-1.0], [3.0]])
SIGMOID_Z_COLUMN = np.array([[0.2689414214], [0.9525741268]])

# --- propagate and optimize: n_x = 2, m = 3 ------------------------------------------------------
W = np.array([[0.5], [-1.0]])
B = 1.5
X = np.array([[1.0, -2.0, 0.5], [3.0, 0.5, -1.5]])
Y = np.array([[1, 0, 1]])
DW = np.array([[-0.5832406741], [-0.6290618016]])
DB = -0.08946182199
COST = 0.6814834133
M = 3
SIGN_FLIPPED = "used Y - A instead of A - Y, or added a minus sign"
DW_MISTAKES = {"forgot the 1/m in dw": M * DW, SIGN_FLIPPED: -DW}
DB_MISTAKES = {"forgot the 1/m in db": M * DB, SIGN_FLIPPED: -DB}
COST_MISTAKES = {
    "left out the minus sign in front of the sum": -COST,
    "summed the losses without dividing by m (the mean)": M * COST,
}

# optimize(W, B, X, Y, num_iterations=150, learning_rate=0.05)
ITERATIONS, LEARNING_RATE = 150, 0.05
W_150 = np.array([[1.9548205386], [-0.20791437]])
B_150 = 1.568155477
DW_150 = np.array([[-0.0801017363], [-0.0119273563]])  # the gradients of the last step
DB_150 = -0.008857008396
COSTS_150 = [COST, 0.08781696327]  # at iterations 0 and 100
PLUS = "updated with + instead of -: gradient descent moves against the gradient"
NO_RATE = "forgot to multiply the gradient by the learning rate"
NO_B = "did not update b (or returned the initial b)"
FIXED_RATE = "used a fixed learning rate (0.009, the default) instead of the argument learning_rate"
PARAMS_MISTAKES = {
    "w": {PLUS: np.array([[-6.5236406475], [-7.2229562279]]),
          NO_RATE: np.array([[3.9952348989], [-0.2900874054]]),
          NO_B: np.array([[1.9449467147], [-0.195781046]]),
          FIXED_RATE: np.array([[1.0646346594], [-0.5156172269]]),
          "did not update w (or returned the initial w)": W},
    "b": {PLUS: 1.296073964, NO_RATE: 2.396185365, NO_B: B, FIXED_RATE: 1.546753218},
}
UNPACK_PROPAGATE = {  # error text -> hint, for optimize's test
    "not subscriptable": "a number was indexed like a dict: propagate returns grads first, "
                         "then cost, so write grads, cost = propagate(w, b, X, Y), and check "
                         "that your propagate ends with `return grads, cost`.",
}

# --- predict: n_x = 3, m = 6; w.T x = [1.5, 0.5, 1, -0.5, 0.2, -2], z = w.T x + b ----------------
W_PREDICT = np.array([[1.0], [-2.0], [0.5]])
B_PREDICT = -0.75
X_PREDICT = np.array([[1.0, 1.0, 0.0, -1.0, -0.8, -1.0],
                      [-0.5, 0.5, -0.25, 0.0, -0.5, 0.75],
                      [-1.0, 1.0, 1.0, 1.0, 0.0, 1.0]])
PREDICTIONS = np.array([[1, 0, 1, 0, 0, 0]])  # integers 0 or 1 (dtype int)
PREDICT_MISTAKES = {
    "forgot to add the bias b to w.T X": np.array([[1, 1, 1, 0, 1, 0]]),
    "compared the activation with 0 instead of 0.5 (a > 0 is always true)":
        np.ones((1, 6), dtype=int),
    "compared z = w.T X + b with 0.5 instead of the activation a": np.array([[1, 0, 0, 0, 0, 0]]),
}

# --- model: n_x = 3, m_train = 8, m_test = 5; 300 iterations at learning rate 0.1 ----------------
X_TRAIN = np.array([[2.04, -2.56, 0.42, -0.57, -0.45, -0.22, -2.02, -0.23],
                    [-0.87, 3.32, 0.23, -0.35, -0.28, -0.67, -1.06, -0.39],
                    [0.48, -0.24, 0.96, -0.2, 0.02, 1.55, 0.55, -0.51]])
Y_TRAIN = np.array([[1, 1, 0, 1, 0, 1, 0, 0]])
X_TEST = np.array([[-0.29, 0.88, 0.58, 0.09, 0.67],
                   [-2.83, 1.02, -0.96, -1.67, 0.28],
                   [0.7, -0.44, -1.08, 0.03, -0.05]])
Y_TEST = np.array([[0, 1, 0, 0, 0]])
MODEL_KEYS = ["costs", "Y_prediction_test", "Y_prediction_train", "w", "b", "learning_rate",
              "num_iterations"]
MODEL_W = np.array([[0.547671978], [0.896023944], [0.5690442144]])
MODEL_B = 0.0694179413
MODEL_COSTS = [0.6931471806, 0.5961535231, 0.58981367]
MODEL_PREDICTION_TRAIN = np.array([[1, 1, 1, 0, 0, 1, 0, 0]])
MODEL_PREDICTION_TEST = np.array([[0, 1, 0, 0, 1]])
MODEL_D = {  # in the order of the checks: w first, whose mistakes are catalogued
    "w": MODEL_W, "b": MODEL_B, "costs": MODEL_COSTS,
    "Y_prediction_train": MODEL_PREDICTION_TRAIN, "Y_prediction_test": MODEL_PREDICTION_TEST,
    "learning_rate": 0.1, "num_iterations": 300,
}
_TEST_SET = "trained on the test set: optimize must use X_train and Y_train only"
_DEFAULTS = ("called optimize without num_iterations and learning_rate, so it used its own "
             "defaults")
MODEL_W_MISTAKES = {
    _TEST_SET: np.array([[-0.1972871586], [2.5820811524], [-0.2203803746]]),
    _DEFAULTS: np.array([[0.0574933769], [0.1431740443], [0.0343421825]]),
    "kept the initial w and b: take the learnt ones from params": np.zeros((3, 1)),
}
# The costs (iterations 0, 100, 200) of model with these mistakes, from runs of the reference
# with the mistake made (the catalogue's code in tests/catalogue/week2.py).
MODEL_COSTS_MISTAKES = {
    _TEST_SET: [0.6931471806, 0.2008985947, 0.1585533422],
    _DEFAULTS: [0.6931471806],  # optimize's default num_iterations=100: one cost
}
_OPTIMIZE_ORDER = ("optimize returns (params, grads, costs) in this order: unpack them in the "
                   "same order, then read w and b from params.")
UNPACK_OPTIMIZE = {  # error text -> hint, for model's test
    "KeyError": _OPTIMIZE_ORDER,
    "indices must be integers": _OPTIMIZE_ORDER,
}


# -------------------------------------------------------------------------------------------------
# Every array, dictionary, list or tuple above is read as a fresh deep copy: ex.W is a new
# array at every use.
__getattr__, __dir__ = copy_on_read(globals())
