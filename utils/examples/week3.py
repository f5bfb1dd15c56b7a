"""Week 3 (planar_classification): the examples of the public tests, their expected results, and
the results of known mistakes ({"what the student did": the value it gives}).

One small network is shared by the tests of forward_propagation, compute_cost,
backward_propagation, update_parameters and predict: n_x = 2 inputs, n_h = 4 hidden units,
n_y = 1 output, and m = 5 examples (every size different, so that a transpose shows).

Expected values come from one run of the reference solution, written here as literals rounded to
10 significant digits (the tests compare with a relative tolerance of 1e-6, 1e-5 for
nn_model's parameters).
Reading an array or a dictionary of this module gives a fresh copy (see the end of the file): a
function that changes its inputs in place cannot change the examples of the next test.
"""

import numpy as np

from utils.examples import copy_on_read

# --- data_shapes ---------------------------------------------------------------------------------
X_SHAPES = np.zeros((3, 7))  # 3 features, 7 examples
Y_SHAPES = np.zeros((1, 7))
M_MISTAKES = {  # m for X_SHAPES, Y_SHAPES
    "counted the rows of X (len(X) or X.shape[0]): the examples are its columns": 3,
    "counted all the entries of X (X.size), which is n_x * m": 21,
    "counted the rows of Y (len(Y) or Y.shape[0]), always 1 here: m is its number of columns": 1,
    "wrote the flower's m = 400 as a fixed number instead of reading it from X.shape": 400,
}

# --- layer_sizes ---------------------------------------------------------------------------------
X_SIZES = np.zeros((5, 3))  # n_x = 5 features, m = 3 examples
Y_SIZES = np.zeros((2, 3))  # n_y = 2 outputs
SIZES = (5, 4, 2)
SIZES_MISTAKES = {  # for X_SIZES, Y_SIZES
    "took the number of examples (X.shape[1], or Y.shape[1]) as n_x: n_x is the number of "
    "rows of X": (3, 4, 2),
    "took the number of examples (Y.shape[1], or X.shape[1]) as n_y: n_y is the number of "
    "rows of Y": (5, 4, 3),
    "returned (n_x, n_y, n_h): the sizes go in the order (n_x, n_h, n_y)": (5, 2, 4),
    "wrote the flower's sizes (2, 4, 1) as fixed numbers: read n_x and n_y from X.shape and "
    "Y.shape": (2, 4, 1),
}

# --- initialize_parameters -----------------------------------------------------------------------
INITIAL = {  # initialize_parameters(2, 4, 1) after np.random.seed(2)
    "W1": np.array([[-0.004167578474, -0.0005626682723],
                    [-0.02136196096, 0.01640270808],
                    [-0.01793435585, -0.008417473657],
                    [0.005028814172, -0.01245288087]]),
    "b1": np.zeros((4, 1)),
    "W2": np.array([[-0.01057952219, -0.009090076149, 0.005514540445, 0.02292208013]]),
    "b2": np.zeros((1, 1)),
}
_RAND = "used np.random.rand (uniform in [0, 1)) instead of np.random.randn (standard normal)"
_W2_FIRST = "drew W2 before W1 (draw W1 first)"
INITIAL_MISTAKES = {
    "W1": {
        _RAND: np.array([[0.004359949021, 0.0002592623183],
                         [0.005496624779, 0.004353223926],
                         [0.004203678021, 0.00330334821],
                         [0.00204648634, 0.006192709664]]),
        _W2_FIRST: np.array([[-0.01793435585, -0.008417473657],
                             [0.005028814172, -0.01245288087],
                             [-0.01057952219, -0.009090076149],
                             [0.005514540445, 0.02292208013]]),
        "drew an (n_x, n_h) array and transposed it: draw np.random.randn(n_h, n_x) directly":
            np.array([[-0.004167578474, -0.01793435585],
                      [-0.0005626682723, -0.008417473657],
                      [-0.02136196096, 0.005028814172],
                      [0.01640270808, -0.01245288087]]),
    },
    "W2": {
        _RAND: np.array([[0.002996546737, 0.002668272751, 0.006211338328, 0.005291420943]]),
        _W2_FIRST: np.array([[-0.004167578474, -0.0005626682723, -0.02136196096,
                              0.01640270808]]),
    },
}
SYMMETRY = (
    "initialize_parameters: all rows of W1 are equal, the symmetry is not broken.\n"
    "Hint: the hidden units then compute the same thing, get the same gradients and stay "
    "identical. Draw W1 at random: np.random.randn(n_h, n_x) * 0.01 (not zeros or a constant)."
)
TOO_LARGE = (
    "initialize_parameters: the weights are too large (some above 0.1 in size).\n"
    "Hint: multiply the random numbers by 0.01: large weights saturate tanh and the sigmoid, "
    "whose gradients are then nearly zero."
)
RESEEDED = (
    "initialize_parameters: two calls in a row gave the same W1.\n"
    "Hint: do not call np.random.seed inside initialize_parameters: the caller seeds the "
    "generator once, and each call draws new numbers."
)

# --- the example network: forward_propagation ----------------------------------------------------
X = np.array([[1.62, -0.61, -0.53, -0.4, 0.0],
              [-1.07, 0.87, -2.3, -0.3, 0.2]])
Y = np.array([[1, 0, 1, 0, 1]])
PARAMETERS = {
    "W1": np.array([[-2.02, -0.23], [-0.87, 1.32], [0.23, -0.35], [0.58, -0.67]]),
    "b1": np.array([[-0.53], [-0.2], [0.24], [-0.12]]),
    "W2": np.array([[0.96, -1.2, 0.62, 1.55]]),
    "b2": np.array([[0.27]]),
}
A2 = np.array([[0.9158729668, 0.153502691, 0.9805004072, 0.6906839067, 0.3573907001]])
CACHE = {
    "Z1": np.array([[-3.5563, 0.5021, 1.0696, 0.347, -0.576],
                    [-3.0218, 1.4791, -2.7749, -0.248, 0.064],
                    [0.9871, -0.2048, 0.9231, 0.253, 0.17],
                    [1.5365, -1.0567, 1.1136, -0.151, -0.254]]),
    "A1": np.array([[-0.998371779, 0.4637670939, 0.789310473, 0.3337123103, -0.519752071],
                    [-0.9952652342, 0.901299231, -0.99225365, -0.2430377139, 0.0639127616],
                    [0.7561230391, -0.2019839249, 0.7273606436, 0.247736628, 0.1683810459],
                    [0.9115303605, -0.7843975639, 0.8053312543, -0.149862721, -0.2486750218]]),
    "Z2": np.array([[2.387549716, -1.707388925, 3.917669477, 0.8033185663, -0.5867073373]]),
    "A2": A2,
}
_SIGMOID_HIDDEN = "used the sigmoid in the hidden layer instead of np.tanh"
A2_MISTAKES = {
    _SIGMOID_HIDDEN:
        np.array([[0.8774134614, 0.6385058759, 0.9258664698, 0.7977161443, 0.7329523174]]),
    "used np.tanh in the output layer: the output is a probability, use the sigmoid":
        np.array([[0.9832666928, -0.9363264021, 0.9992092963, 0.6658879458, -0.527523359]]),
    "forgot to add b1": np.array([[0.9121248413, 0.1821729298, 0.9823029837, 0.7239813957,
                                   0.417373823]]),
    "forgot to add b2": np.array([[0.8925972531, 0.1215974554, 0.9746096902, 0.6302567817,
                                   0.298027736]]),
    "wrote np.exp(Z2) instead of np.exp(-Z2) in the sigmoid, or returned 1 - sigmoid(Z2)":
        np.array([[0.08412703318, 0.846497309, 0.01949959281, 0.3093160933, 0.6426092999]]),
}
CACHE_MISTAKES = {
    "A1": {_SIGMOID_HIDDEN: np.array(
        [[0.02775208112, 0.6229527119, 0.7445208394, 0.5858898982, 0.359853512],
         [0.04645068197, 0.8144366025, 0.0586956998, 0.4383158283, 0.5159945409],
         [0.7285147377, 0.4489782095, 0.7156733308, 0.5629147649, 0.5423979408],
         [0.8229553521, 0.2579405939, 0.7527996534, 0.462321565, 0.4368392089]])},
}

# --- compute_cost (of A2 for the labels Y) -------------------------------------------------------
COST = 0.4953070696
COST_MISTAKES = {
    "summed the losses without dividing by m, or divided by Y.shape[0] (always 1) instead of "
    "m = Y.shape[1], the number of examples": 2.476535348,
    "forgot the minus sign in front of the sum": -COST,
    "left out the (1 - Y) * log(1 - A2) term": 0.2272991044,
    "left out the Y * log(A2) term": 0.2680079652,
}

# --- backward_propagation (of PARAMETERS, CACHE, X, Y) -------------------------------------------
GRADS = {
    "dW1": np.array([[-0.06058584687, -0.0299343723],
                     [0.06687711802, 0.07112615958],
                     [-0.04992677406, -0.01631765303],
                     [-0.1009075598, -0.07463644265]]),
    "db1": np.array([[0.04946222027], [-0.009027189292], [0.01561550352], [0.0341858305]]),
    "dW2": np.array([[0.1408551113, 0.006499187644, -0.009178844868, -0.03130040026]]),
    "db2": np.array([[0.01959013438]]),
}
_NO_1_OVER_M = "forgot the 1/m: divide by m = X.shape[1], the number of examples"
_ONE_MINUS_A1 = "wrote the derivative of tanh as (1 - A1) instead of (1 - A1**2)"
_Z1_FOR_A1 = "used Z1 instead of A1 in the derivative of tanh: it is 1 - A1**2 = 1 - tanh(Z1)**2"
_SIGMOID_DERIVATIVE = ("used the derivative of the sigmoid, A1 * (1 - A1), but the hidden layer "
                       "is tanh")
GRADS_MISTAKES = {
    "dW2": {_NO_1_OVER_M: 5 * GRADS["dW2"]},
    "db2": {_NO_1_OVER_M: 5 * GRADS["db2"]},
    "dW1": {
        _NO_1_OVER_M: 5 * GRADS["dW1"],
        _ONE_MINUS_A1: np.array([[-0.0968565073, -0.01390706423],
                                 [0.1449593426, 0.02297614415],
                                 [-0.04349913999, -0.008438434201],
                                 [-0.1533901579, -0.04456051647]]),
        _Z1_FOR_A1: np.array([[0.2443834673, -0.2348462851],
                              [-0.213808218, 0.3632428521],
                              [-0.04343272665, -0.02255111086],
                              [-0.02358298716, -0.1461803438]]),
        _SIGMOID_DERIVATIVE: np.array([[0.03627066044, -0.01602730807],
                                       [-0.07808222461, 0.04815001543],
                                       [-0.006427634069, -0.007879218826],
                                       [0.05248259816, -0.03007592618]]),
    },
    "db1": {
        _NO_1_OVER_M: 5 * GRADS["db1"],
        _ONE_MINUS_A1: np.array([[-0.1164143778], [-0.01570913608], [0.01783676713],
                                 [0.07888032869]]),
        _Z1_FOR_A1: np.array([[0.2449104813], [-0.1537475553], [0.02039305844],
                              [0.05426516957]]),
        _SIGMOID_DERIVATIVE: np.array([[0.1658765981], [0.00668194679], [-0.002221263612],
                                       [-0.04469449819]]),
    },
}

# --- update_parameters (of PARAMETERS and GRADS) -------------------------------------------------
UPDATED = {  # learning_rate=0.5
    "W1": np.array([[-1.989707077, -0.2150328138],
                    [-0.903438559, 1.28443692],
                    [0.254963387, -0.3418411735],
                    [0.6304537799, -0.6326817787]]),
    "b1": np.array([[-0.5547311101], [-0.1954864054], [0.2321922482], [-0.1370929153]]),
    "W2": np.array([[0.8895724443, -1.203249594, 0.6245894224, 1.5656502]]),
    "b2": np.array([[0.2602049328]]),
}
UPDATED_DEFAULT = {  # the default learning_rate=1.2
    "W1": np.array([[-1.947296984, -0.1940787532],
                    [-0.9502525416, 1.234648609],
                    [0.2899121289, -0.3304188164],
                    [0.7010890717, -0.5804362688]]),
    "b1": np.array([[-0.5893546643], [-0.1891673728], [0.2212613958], [-0.1610229966]]),
    "W2": np.array([[0.7909738664, -1.207799025, 0.6310146138, 1.58756048]]),
    "b2": np.array([[0.2464918387]]),
}
UPDATE_MISTAKES = {  # learning_rate=0.5
    key: {"added the gradient instead of subtracting it":
              PARAMETERS[key] + 0.5 * GRADS["d" + key],
          "used 1.2 instead of the argument learning_rate": UPDATED_DEFAULT[key]}
    for key in PARAMETERS
}

# --- nn_model: 60 points of the flower, n_h = 3, 1000 iterations, after np.random.seed(2) --------
TRAINED = {
    "W1": np.array([[-1.46296411, -1.673947003],
                    [-2.67215285, 1.700316675],
                    [-1.947435877, 2.232052354]]),
    "b1": np.array([[-3.83754548], [-4.028155966], [3.436560078]]),
    "W2": np.array([[-6.958948627, 5.683052933, -5.028001805]]),
    "b2": np.array([[2.45915538]]),
}
_KEPT = ("never kept the parameters returned by update_parameters (write parameters = "
         "update_parameters(...)), or never ran the loop: W1 is still the initial one")
_REINIT = ("called initialize_parameters inside the loop, so that every iteration starts again "
           "from new random weights")
TRAINED_MISTAKES = {
    "W1": {
        _KEPT: np.array([[-0.004167578474, -0.0005626682723],
                         [-0.02136196096, 0.01640270808],
                         [-0.01793435585, -0.008417473657]]),
        _REINIT: np.array([[0.0004425671749, 0.002579548796],
                           [-0.005565626316, 0.001996211893],
                           [0.002225542506, 0.009919632585]]),
    },
}
# The cost curve of nn_model: the cost (compute_cost of forward_propagation's A2 on the same 60
# points) of the parameters it returns after 0, 10, 100 and 1000 iterations, each run after
# np.random.seed(2); computed by running the reference, and the catalogue's mistakes
# (tests/catalogue/week3.py), in this way.
NN_STEPS = [0, 10, 100, 1000]
NN_COSTS = [0.6931825958, 0.6930717342, 0.5180099906, 0.2155302114]
NN_COSTS_MISTAKES = {
    _KEPT: [0.6931825958, 0.6931825958, 0.6931825958, 0.6931825958],
    _REINIT: [0.6931825958, 0.6931176638, 0.6931480959, 0.6931567898],
}
HIDDEN_SIZE = (
    "nn_model(X, Y, n_h=3) should return W1 of shape (3, 2): 3 hidden units.\n"
    "Hint: pass the argument n_h of nn_model to initialize_parameters (layer_sizes always "
    "says 4)."
)

# --- predict (PARAMETERS on X) -------------------------------------------------------------------
PREDICTIONS = np.array([[1, 0, 1, 1, 0]])
PREDICT_MISTAKES = {
    "returned the probabilities A2: compare them with 0.5 to get 0 or 1": A2,
    "predicted 1 where A2 is below 0.5 (the comparison is the wrong way round)":
        1 - PREDICTIONS,
    "compared A2 with 0 instead of 0.5, or rounded it up with np.ceil (a sigmoid output is "
    "always positive)":
        np.ones((1, 5)),
}
# Three points near the decision boundary: Z2 = 0.299, -0.104, 0.290, A2 = 0.574, 0.474, 0.572.
X_BOUNDARY = np.array([[0.5, -0.5, 0.0],
                       [0.1, 0.0, -0.1]])
PREDICTIONS_BOUNDARY = np.array([[1, 0, 1]])
BOUNDARY_MISTAKES = {
    "compared Z2 with 0.5 instead of A2 (or A2 with a number above 0.5): predict 1 where "
    "A2 = sigmoid(Z2) > 0.5, that is where Z2 > 0": np.zeros((1, 3)),
}


# -------------------------------------------------------------------------------------------------
# Every array, dictionary, list or tuple above is read as a fresh deep copy: ex.W is a new
# array at every use.
__getattr__, __dir__ = copy_on_read(globals())
