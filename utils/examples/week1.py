"""Week 1 (numpy_basics): the examples of the public tests, their expected results, and the
results of known mistakes ({"what the student did": the value it gives}).

Expected values come from one run of the reference solution, written here as literals rounded to
10 significant digits (the tests compare with a relative tolerance of 1e-6 or looser, except
basic_sigmoid(1), quoted in full by the text).
"""

import numpy as np

from utils.examples import copy_on_read

# --- basic_sigmoid ------------------------------------------------------------------------------
SIGMOID_OF_1 = 0.7310585786300049
SIGMOID_OF_MINUS_2_5 = 0.07585818002
BASIC_SIGMOID_MISTAKES = {  # at x = 1
    "used math.exp(x) instead of math.exp(-x), or computed 1 - sigmoid(x), which is "
    "math.exp(-x)/(1+math.exp(-x))": 0.2689414214,
    "subtracted math.exp(-x) in the denominator instead of adding it": 1.581976707,
    "returned the denominator 1+math.exp(-x): either 1/ is missing, or parentheses are "
    "(1/1+math.exp(-x) means 1+math.exp(-x))": 1.367879441,
    "left out the 1+ in the denominator (1/math.exp(-x) is math.exp(x))": 2.718281828,
}

# --- sigmoid -------------------------------------------------------------------------------------
X_INT = np.array([1, 2, 3])  # the example of the text (an integer array)
SIGMOID_X_INT = np.array([0.7310585786, 0.880797078, 0.9525741268])
SIGMOID_MISTAKES = {  # at X_INT
    "used np.exp(x) instead of np.exp(-x), or computed 1 - sigmoid(x), which is "
    "np.exp(-x)/(1+np.exp(-x))":
        np.array([0.2689414214, 0.119202922, 0.04742587318]),
    "returned the denominator 1+np.exp(-x): either 1/ is missing, or parentheses are "
    "(1/1+np.exp(-x) means 1+np.exp(-x))": np.array([1.367879441, 1.135335283, 1.049787068]),
    "subtracted np.exp(-x) in the denominator instead of adding it":
        np.array([1.581976707, 1.156517643, 1.052395696]),
}
X_3D = np.array([[[0.0, -1.0, 4.0]], [[0.5, -3.0, 2.0]]])  # shape (2, 1, 3)
SIGMOID_X_3D = np.array([[[0.5, 0.2689414214, 0.98201379]],
                         [[0.6224593312, 0.04742587318, 0.880797078]]])

# --- sigmoid_derivative (also on X_INT and X_3D) ----------------------------------------------
X_FLOAT = np.array([1.0, 2.0, 3.0])  # the example of the text
DSIGMOID_X = np.array([0.1966119332, 0.1049935854, 0.04517665973])
DSIGMOID_MISTAKES = {  # at X_FLOAT
    "computed x*(1-x): apply the sigmoid first, s = sigmoid(x)": np.array([0.0, -2.0, -6.0]),
    "computed s*(1+s) instead of s*(1-s)":
        np.array([1.265505224, 1.656600571, 1.859971594]),
    "computed 1-s**2 = (1-s)*(1+s), the derivative of tanh, not of the sigmoid":
        np.array([0.4655533546, 0.2241965074, 0.09260253291]),
    "multiplied sigmoid(x) by 1-x instead of 1-sigmoid(x)":
        np.array([0.0, -0.880797078, -1.905148254]),
    "returned s = sigmoid(x) itself, not s*(1-s)":
        np.array([0.7310585786, 0.880797078, 0.9525741268]),
}
DSIGMOID_X_3D = np.array([[[0.25, 0.1966119332, 0.01766270621]],
                          [[0.2350037122, 0.04517665973, 0.1049935854]]])
X_GRAD = np.linspace(-4.0, 3.0, 12).reshape(3, 4)  # where the gradient check runs

# --- image2vector --------------------------------------------------------------------------------
IMAGE = np.arange(18).reshape(3, 3, 2) / 10  # the example of the text
IMAGE_VECTOR = np.arange(18).reshape(18, 1) / 10  # 0.0, 0.1, ..., 1.7 from top to bottom
IMAGE_WIDE = np.arange(24).reshape(2, 4, 3) / 10  # not square, 3 channels
IMAGE_WIDE_VECTOR = np.arange(24).reshape(24, 1) / 10
COLUMN_MAJOR = "flattened in column-major order (image.T, or order='F'); keep numpy's default order"
IMAGE_MISTAKES = {COLUMN_MAJOR: IMAGE.reshape(-1, 1, order="F")}
IMAGE_WIDE_MISTAKES = {COLUMN_MAJOR: IMAGE_WIDE.reshape(-1, 1, order="F")}

# --- normalize_rows ------------------------------------------------------------------------------
X_ROWS = np.array([[0.0, 3.0, 4.0], [1.0, 6.0, 4.0]])  # the example of the text
X_ROWS_NORMALIZED = np.array([[0.0, 0.6, 0.8], [0.1373605639, 0.8241633837, 0.5494422558]])
NORMALIZE_MISTAKES = {  # at X_ROWS
    "divided by the squared norm (take the square root of the sum of squares)":
        np.array([[0.0, 0.12, 0.16], [0.01886792453, 0.1132075472, 0.07547169811]]),
    "normalised the columns (axis=0) instead of the rows (axis=1)":
        np.array([[0.0, 0.4472135955, 0.7071067812], [1.0, 0.894427191, 0.7071067812]]),
    "divided by the norm of the whole matrix (np.linalg.norm(x) without axis=1)":
        np.array([[0.0, 0.3396831102, 0.4529108137], [0.1132277034, 0.6793662205, 0.4529108137]]),
    "divided by each row's sum of absolute values instead of its Euclidean norm":
        np.array([[0.0, 0.4285714286, 0.5714285714],
                  [0.09090909091, 0.5454545455, 0.3636363636]]),
}
X_SQUARE = np.array([[1.0, 2.0, 2.0], [0.0, 3.0, 4.0], [2.0, 0.0, 0.0]])  # (n,) norms broadcast
X_SQUARE_NORMALIZED = np.array([[0.3333333333, 0.6666666667, 0.6666666667],
                                [0.0, 0.6, 0.8], [1.0, 0.0, 0.0]])
NORMALIZE_SQUARE_MISTAKES = {
    "divided column j by the norm of row j: norms of shape (n,) (no keepdims=True) or (1, n) "
    "broadcast as a row":
        np.array([[0.3333333333, 0.4, 1.0], [0.0, 0.6, 2.0], [0.6666666667, 0.0, 0.0]]),
    "normalised the columns (axis=0) instead of the rows (axis=1)":
        np.array([[0.4472135955, 0.5547001962, 0.4472135955], [0.0, 0.8320502943, 0.894427191],
                  [0.894427191, 0.0, 0.0]]),
}

# --- softmax -------------------------------------------------------------------------------------
SCORES = np.array([[9.0, 2.0, 5.0, 0.0, 0.0], [7.0, 5.0, 0.0, 0.0, 0.0]])  # example of the text
SOFTMAX_SCORES = np.array(
    [[0.9808976649, 0.0008944628907, 0.01796576742, 0.0001210523887, 0.0001210523887],
     [0.8786798559, 0.1189163872, 0.0008012523141, 0.0008012523141, 0.0008012523141]])
SOFTMAX_MISTAKES = {  # at SCORES
    "divided by the sum of the whole matrix (np.sum without axis) instead of each row's sum":
        np.array([[0.4634896955, 0.0004226478945, 0.008489109891, 5.719917252e-05,
                   5.719917252e-05],
                  [0.4634896955, 0.06272650922, 0.0004226478945, 0.0004226478945,
                   0.0004226478945]]),
    "took the softmax of the whole matrix (np.sum, and np.max if any, without axis)":
        np.array([[0.8521549566, 0.0007770647367, 0.01560776246, 0.0001051642762,
                   0.0001051642762],
                  [0.1153266324, 0.01560776246, 0.0001051642762, 0.0001051642762,
                   0.0001051642762]]),
    "subtracted each row's maximum but summed over the columns (axis=0), not the rows (axis=1)":
        np.array([[0.5, 0.006692850924, 0.9525741268, 0.119202922, 0.119202922],
                  [0.5, 0.9933071491, 0.04742587318, 0.880797078, 0.880797078]]),
    "took the softmax of each column: summed over axis=0 instead of axis=1":
        np.array([[0.880797078, 0.04742587318, 0.9933071491, 0.5, 0.5],
                  [0.119202922, 0.9525741268, 0.006692850924, 0.5, 0.5]]),
}
SCORES_SQUARE = np.array([[1.0, 2.0, 3.0], [2.0, 0.0, 1.0], [0.5, 0.5, 4.0]])  # (n,) broadcasts
SOFTMAX_SQUARE = np.array([[0.09003057317, 0.2447284711, 0.6652409558],
                           [0.6652409558, 0.09003057317, 0.2447284711],
                           [0.02847749194, 0.02847749194, 0.9430450161]])
SOFTMAX_SQUARE_MISTAKES = {
    "divided column j by the sum of row j: np.sum(..., axis=1) without keepdims=True has shape "
    "(n,), which broadcasts as a row":
        np.array([[0.09003057317, 0.2447284711, 0.9430450161],
                  [0.6652409558, 0.09003057317, 0.3469268735],
                  [0.02008853621, 0.02008853621, 0.9430450161]]),
    "shifted column j by the maximum of row j: np.max(..., axis=1) without keepdims=True has "
    "shape (n,), which broadcasts as a row":
        np.array([[0.09003057317, 0.6652409558, 0.2447284711],
                  [0.6652409558, 0.2447284711, 0.09003057317],
                  [0.06289001325, 0.1709527802, 0.7661572066]]),
    "subtracted each row's maximum but summed over the columns (axis=0), not the rows (axis=1)":
        np.array([[0.1161145347, 0.6896720861, 0.4223187983],
                  [0.8579768106, 0.2537161816, 0.1553624035],
                  [0.02590865472, 0.05661173224, 0.4223187983]]),
    "took the softmax of each column: summed over axis=0 instead of axis=1":
        np.array([[0.2312238976, 0.7361247243, 0.2594964603],
                  [0.6285317192, 0.09962364806, 0.03511902696],
                  [0.1402443832, 0.1642516276, 0.7053845127]]),
}
SCORES_LARGE = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -999.0, -998.0]])
SOFTMAX_LARGE = np.array([[0.09003057317, 0.2447284711, 0.6652409558],
                          [0.09003057317, 0.2447284711, 0.6652409558]])

# --- L1 and L2 -----------------------------------------------------------------------------------
YHAT = np.array([0.9, 0.2, 0.1, 0.4, 0.9])  # the example of the text
Y = np.array([1.0, 0.0, 0.0, 1.0, 1.0])
L1_LOSS = 1.1
L1_MISTAKES = {
    "took the mean instead of the sum (divided by m)": 0.22,
    "summed y - yhat without the absolute value, or took the absolute value of the sum": 0.5,
    "summed yhat - y without the absolute value": -0.5,
    "squared the differences instead of taking their absolute values (that is L2)": 0.43,
    "took the Euclidean norm np.linalg.norm(y - yhat) (use ord=1 for L1)": 0.6557438524,
}
L2_LOSS = 0.43
L2_MISTAKES = {
    "took the square root: np.linalg.norm(y-yhat) is the square root of the L2 loss":
        0.6557438524,
    "took the mean instead of the sum (divided by m)": 0.086,
    "summed absolute differences instead of squared ones (that is L1)": 1.1,
    "squared the sum instead of summing the squares": 0.25,
    "summed y - yhat without squaring": 0.5,
}

# -------------------------------------------------------------------------------------------------
# Every array, dictionary, list or tuple above is read as a fresh deep copy: ex.X_INT is a new
# array at every use.
__getattr__, __dir__ = copy_on_read(globals())
