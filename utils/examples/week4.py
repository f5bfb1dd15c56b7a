"""Week 4 (deep_neural_network): the examples of the public tests, their expected results, and
the results of known mistakes ({"what the student did": the value it gives}).

One small network is shared by the tests of Part 1: layer_dims = [4, 3, 2, 1] (L = 3), m = 5
examples, so that every size differs and a transpose shows. Its weights are chosen so that every
hidden unit is active on some examples and inactive on others (ReLU matters), and no entry of Z
lies within 0.1 of 0 (a numerical gradient check does not cross a kink).

Expected values come from one run of the reference solution, written here as literals rounded to
10 significant digits (the tests compare with a relative tolerance of 1e-6, 1e-5 for the models).
Reading an array, a dictionary, a list or a tuple of this module gives a fresh copy (see the end
of the file): a function that changes its inputs in place cannot change the next test's examples.
"""

import numpy as np

from utils.examples import copy_on_read

# --- layer_shapes([5, 4, 3], 10) -----------------------------------------------------------------
SHAPES = {"A0": (5, 10), "W1": (4, 5), "b1": (4, 1), "Z1": (4, 10), "A1": (4, 10),
          "W2": (3, 4), "b2": (3, 1), "Z2": (3, 10), "A2": (3, 10)}
_W_T = "wrote W's shape as (n[l-1], n[l]): W[l] has one row per unit of layer l"
_B_M = "gave b the shape (n[l], m): one bias per unit, (n[l], 1), broadcast over the examples"
_Z_T = "wrote the shape as (m, n[l]): the examples are the columns, (n[l], m)"
_Z_PREV = "used the size of the previous layer: Z[l] and A[l] have n[l] rows"
SHAPES_MISTAKES = {
    "A0": {"wrote X's shape as (m, n_x): the examples are the columns, (n_x, m)": (10, 5)},
    "W1": {_W_T: (5, 4)}, "W2": {_W_T: (4, 3)},
    "b1": {_B_M: (4, 10), "gave b the shape (1, n[l]): it is a column, (n[l], 1)": (1, 4)},
    "b2": {_B_M: (3, 10), "gave b the shape (1, n[l]): it is a column, (n[l], 1)": (1, 3)},
    "Z1": {_Z_T: (10, 4), _Z_PREV: (5, 10)}, "A1": {_Z_T: (10, 4), _Z_PREV: (5, 10)},
    "Z2": {_Z_T: (10, 3), _Z_PREV: (4, 10)}, "A2": {_Z_T: (10, 3), _Z_PREV: (4, 10)},
}

# --- initialize_parameters(3, 2, 1) after np.random.seed(1) --------------------------------------
INITIAL = {
    "W1": np.array([[0.01624345364, -0.006117564137, -0.005281717523],
                    [-0.01072968622, 0.008654076293, -0.02301538697]]),
    "b1": np.zeros((2, 1)),
    "W2": np.array([[0.01744811764, -0.007612069009]]),
    "b2": np.zeros((1, 1)),
}
_RAND = "used np.random.rand (uniform in [0, 1)) instead of np.random.randn (standard normal)"
_W2_FIRST = "drew W2 before W1 (draw W1 first)"
_TRANSPOSED = "drew an (n_x, n_h) array and transposed it: draw np.random.randn(n_h, n_x)"
_NO_SCALE = "forgot to multiply by 0.01"
INITIAL_MISTAKES = {
    "W1": {_RAND: np.array([[0.004170220047, 0.007203244934, 1.143748173e-06],
                           [0.003023325726, 0.001467558908, 0.0009233859477]]),
           _W2_FIRST: np.array([[-0.005281717523, -0.01072968622, 0.008654076293],
                                [-0.02301538697, 0.01744811764, -0.007612069009]]),
           _TRANSPOSED: np.array([[0.01624345364, -0.005281717523, 0.008654076293],
                                  [-0.006117564137, -0.01072968622, -0.02301538697]]),
           _NO_SCALE: np.array([[1.624345364, -0.6117564137, -0.5281717523],
                                [-1.072968622, 0.8654076293, -2.301538697]])},
    "W2": {_RAND: np.array([[0.001862602114, 0.00345560727]]),
           _W2_FIRST: np.array([[0.01624345364, -0.006117564137]]),
           _TRANSPOSED: np.array([[0.01744811764, -0.007612069009]]),
           _NO_SCALE: np.array([[1.744811764, -0.7612069009]])},
}
RESEEDED = (
    "Two calls of initialize_parameters in a row gave the same W1.\n"
    "Hint: do not call np.random.seed inside the function; the caller seeds the generator once."
)

# --- initialize_parameters_deep([5, 4, 3]) after np.random.seed(3) --------------------------------
DEEP = {
    "W1": np.array([[0.7998989706, 0.1952131397, 0.04315497965, -0.8333792721, -0.1240517754],
                    [-0.1586530387, -0.03700311543, -0.2804032271, -0.0195960809, -0.2134183912],
                    [-0.5875781804, 0.3956151554, 0.3941374104, 0.7645443166, 0.02237572501],
                    [-0.1809772416, -0.243892383, -0.6916056807, 0.4393280724, -0.4924124138]]),
    "b1": np.zeros((4, 1)),
    "W2": np.array([[-0.5925232635, -0.1028249497, 0.7430741775, 0.1183581336],
                    [-0.51189257, -0.3564966001, 0.3126224831, -0.08025668159],
                    [-0.3844181752, -0.1150153611, 0.3725281332, 0.9880553916]]),
    "b2": np.zeros((3, 1)),
}
_SMALL = ("multiplied by 0.01, the scale of the two-layer network: a deep network needs "
          "1 / np.sqrt(layer_dims[l - 1])")
_HE = "scaled by np.sqrt(2 / layer_dims[l - 1]) (He) instead of 1 / np.sqrt(layer_dims[l - 1])"
_OWN = ("scaled by 1 / np.sqrt(layer_dims[l]), the layer's own size, instead of "
        "1 / np.sqrt(layer_dims[l - 1]), the size of its input")
_NOSCALE_DEEP = "forgot to divide by np.sqrt(layer_dims[l - 1])"
_TRANSPOSED_DEEP = ("drew an (n[l-1], n[l]) array and transposed it: draw "
                    "np.random.randn(layer_dims[l], layer_dims[l - 1])")
DEEP_MISTAKES = {
    "W1": {
        _SMALL: np.array([[0.01788628473, 0.004365098505, 0.0009649746807,
                           -0.01863492703, -0.002773882025],
                          [-0.003547589793, -0.0008274148148, -0.006270006768,
                           -0.0004381816898, -0.004772180304],
                          [-0.01313864753, 0.008846223805, 0.008813180422,
                           0.01709573064, 0.0005003364218],
                          [-0.004046774146, -0.005453599476, -0.01546477316,
                           0.009823674343, -0.0110106763]]),
        _HE: np.array([[1.131227973, 0.2760730697, 0.06103035751, -1.178576269, -0.1754357032],
                       [-0.224369279, -0.05233030769, -0.3965500466,
                        -0.02771304337, -0.3018191833],
                       [-0.8309610316, 0.5594843183, 0.5573944713, 1.081228942, 0.03164405378],
                       [-0.2559404696, -0.3449159158, -0.9780781334,
                        0.6213037183, -0.6963763138]]),
        _OWN: np.array([[0.8943142367, 0.2182549253, 0.04824873404,
                         -0.9317463517, -0.1386941013],
                        [-0.1773794896, -0.04137074074, -0.3135003384,
                         -0.02190908449, -0.2386090152],
                        [-0.6569323767, 0.4423111902, 0.4406590211, 0.8547865318, 0.02501682109],
                        [-0.2023387073, -0.2726799738, -0.7732386578,
                         0.4911837171, -0.5505338151]]),
        _NOSCALE_DEEP: np.array([[1.788628473, 0.4365098505, 0.09649746807,
                                  -1.863492703, -0.2773882025],
                                 [-0.3547589793, -0.08274148148, -0.6270006768,
                                  -0.04381816898, -0.4772180304],
                                 [-1.313864753, 0.8846223805, 0.8813180422,
                                  1.709573064, 0.05003364218],
                                 [-0.4046774146, -0.5453599476, -1.546477316,
                                  0.9823674343, -1.10106763]]),
        _RAND: np.array([[0.2463243104, 0.3166933339, 0.1300965542, 0.22844905, 0.399338018],
                         [0.4008344549, 0.05616345823, 0.09268183267,
                          0.02301683304, 0.1971361551],
                         [0.01336104769, 0.2043020288, 0.2903060435, 0.124543299, 0.3024303862],
                         [0.264241885, 0.01072502384, 0.2499271461, 0.1159412189, 0.1856388988]]),
        _TRANSPOSED_DEEP: np.array([[0.7998989706, -0.1240517754, -0.0195960809,
                                     0.3941374104, -0.243892383],
                                    [0.1952131397, -0.1586530387, -0.2134183912,
                                     0.7645443166, -0.6916056807],
                                    [0.04315497965, -0.03700311543, -0.5875781804,
                                     0.02237572501, 0.4393280724],
                                    [-0.8333792721, -0.2804032271, 0.3956151554,
                                     -0.1809772416, -0.4924124138]]),
    },
    "W2": {
        _SMALL: np.array([[-0.01185046527, -0.002056498994, 0.01486148355, 0.002367162672],
                          [-0.0102378514, -0.007129932001, 0.006252449662, -0.001605133632],
                          [-0.007688363503, -0.002300307223, 0.007450562664, 0.01976110783]]),
        _HE: np.array([[-0.8379544353, -0.1454164384, 1.05086558, 0.1673836778],
                       [-0.7239254149, -0.5041623267, 0.4421149555, -0.1135000876],
                       [-0.5436493969, -0.1626562836, 0.5268343383, 1.397321335]]),
        _OWN: np.array([[-0.6841869314, -0.1187320248, 0.8580281529, 0.1366682006],
                        [-0.5910826261, -0.411646816, 0.3609853495, -0.09267243344],
                        [-0.4438878738, -0.1328082994, 0.430158436, 1.140908093]]),
        _NOSCALE_DEEP: np.array([[-1.185046527, -0.2056498994, 1.486148355, 0.2367162672],
                                 [-1.02378514, -0.7129932001, 0.6252449662, -0.1605133632],
                                 [-0.7688363503, -0.2300307223, 0.7450562664, 1.976110783]]),
        _RAND: np.array([[0.1417625409, 0.3465689592, 0.2202268588, 0.07843386924],
                         [0.272324509, 0.3901573823, 0.1531817662, 0.110978942],
                         [0.1939856288, 0.4681918249, 0.4879977112, 0.336191838]]),
        _TRANSPOSED_DEEP: np.array([[-0.5925232635, 0.1183581336, 0.3126224831, -0.1150153611],
                                    [-0.1028249497, -0.51189257, -0.08025668159, 0.3725281332],
                                    [0.7430741775, -0.3564966001, -0.3844181752, 0.9880553916]]),
    },
}

# --- the example network (layer_dims [4, 3, 2, 1], m = 5) -----------------------------------------
X = np.array([[0.21, 2.04, 1.25, 0.99, 0.6],
              [-1.5, 0.59, 1.59, -0.22, 0.82],
              [2.12, 0.89, -0.34, -2.34, -0.76],
              [0.18, -0.17, 0.21, -0.21, 2.1]])
Y = np.array([[1, 0, 0, 1, 1]])
PARAMETERS = {
    "W1": np.array([[-0.09, 0.42, -0.54, -0.99],
                    [0.54, -0.23, -1.38, -0.32],
                    [-1.04, -0.13, 0.67, 0.6]]),
    "b1": np.array([[0.76],
                    [-1.33],
                    [-0.52]]),
    "W2": np.array([[1.55, -1.76, 0.66],
                    [0.37, -0.98, -0.8]]),
    "b2": np.array([[0.37],
                    [0.15]]),
    "W3": np.array([[-0.72, -1.08]]),
    "b3": np.array([[1.46]]),
}
Z1 = np.array([[-1.2119, 0.5119, 1.291, 2.05, -0.6182],
               [-3.8548, -1.5379, -0.6187, 2.5516, -0.8178],
               [0.985, -2.224, -2.1285, -3.2148, -0.4998]])
_A1 = np.array([[0, 0.5119, 1.291, 2.05, 0],
                [0, 0, 0, 2.5516, 0],
                [0.985, 0, 0, 0, 0]])  # relu(Z1)
_Z2 = np.array([[1.0201, 1.163445, 2.37105, -0.943316, 0.37],
                [-0.638, 0.339403, 0.62767, -1.592068, 0.15]])
_A2 = np.array([[1.0201, 1.163445, 2.37105, 0, 0.37],
                [0, 0.339403, 0.62767, 0, 0.15]])  # relu(Z2)
_Z3 = np.array([[0.725528, 0.25576436, -0.9250396, 1.46, 1.0316]])
_P = PARAMETERS
CACHES = [((X, _P["W1"], _P["b1"]), Z1),   # layer 1: ((A_prev, W, b), Z)
          ((_A1, _P["W2"], _P["b2"]), _Z2),  # layer 2
          ((_A2, _P["W3"], _P["b3"]), _Z3)]  # layer 3

# --- linear_forward(X, W1, b1) ---
Z1_MISTAKES = {"forgot to add b": np.array([[-1.9719, -0.2481, 0.531, 1.29, -1.3782],
                              [-2.5248, -0.2079, 0.7113, 3.8816, 0.5122],
                              [1.505, -1.704, -1.6085, -2.6948, 0.0202]])}

# --- linear_activation_forward(X, W1, b1, activation) ---
A1 = {"relu": np.array([[0, 0.5119, 1.291, 2.05, 0],
                        [0, 0, 0, 2.5516, 0],
                        [0.985, 0, 0, 0, 0]]),
      "sigmoid": np.array([[0.2293650405, 0.6252517731, 0.7843164015,
                            0.8859476187, 0.3501909439],
                           [0.02073863891, 0.1768407604, 0.3500771738,
                            0.9276809306, 0.3062308583],
                           [0.7280991983, 0.09761588863, 0.1063574759,
                            0.03861255551, 0.3775876707]])}
_RETURNED_Z = "returned Z, the value before the activation"
A1_MISTAKES = {
    "relu": {'used sigmoid for the activation "relu"': A1["sigmoid"], _RETURNED_Z: Z1},
    "sigmoid": {'used relu for the activation "sigmoid"': A1["relu"], _RETURNED_Z: Z1},
}
CACHE_MISTAKES = {  # for the item 1 of the cache, the activation cache
    activation: {1: {"kept A instead of Z as the activation cache": A1[activation]}}
    for activation in A1
}

# --- L_model_forward(X, PARAMETERS) ---
AL = np.array([[0.6738231569, 0.5635947941, 0.2839321549, 0.8115326748, 0.7372259716]])
AL_MISTAKES = {
    "used the sigmoid in the hidden layers too: they use relu":
        np.array([[0.6151068471, 0.5856020163, 0.5950334426, 0.6588522235, 0.6312775336]]),
    "used relu in the output layer: it is a probability, so use the sigmoid":
        np.array([[0.725528, 0.25576436, 0, 1.46, 1.0316]]),
}
CACHES_LENGTH = (
    "caches should hold 3 caches, one per layer of the example network, but it holds {}.\n"
    "Hint: append the cache of every layer to caches, the output layer's too."
)

# --- compute_cost(AL, Y) ---
COST = 0.4143286979
COST_MISTAKES = {
    "summed the losses instead of averaging them: divide by m = Y.shape[1]": 2.07164349,
    "forgot the minus sign in front of the sum": -0.4143286979,
    "left out the (1 - Y) * log(1 - AL) term": 0.1816958066,
    "left out the Y * log(AL) term": 0.2326328913,
}

# --- linear_backward(DZ1, (X, W1, b1)) ---
DZ1 = np.array([[-1.09, -0.64, -1.34, 0.12, 1.54],
                [0.4, -0.37, 0.87, -0.24, -0.04],
                [-0.84, 1.64, -1.48, 1.71, -0.3]])
LINEAR_GRADS = {
    "dW": np.array([[-0.43334, 0.07264, -0.7752, 0.568],
                    [0.03102, 0.117, 0.16298, 0.0568],
                    [0.56642, -0.14956, -0.71828, -0.34598]]),
    "db": np.array([[-0.282],
                    [0.124],
                    [0.146]]),
    "dA_prev": np.array([[1.1877, -1.8478, 2.1296, -1.9188, 0.1518],
                         [-0.4406, -0.3969, -0.5705, -0.1167, 0.695],
                         [-0.5262, 1.955, -1.4686, 1.4121, -0.9774],
                         [0.4471, 1.736, 0.1602, 0.984, -1.6918]]),
}
_NO_M = "forgot the 1/m: divide by m = A_prev.shape[1], the number of examples"
LINEAR_MISTAKES = {
    "dW": {_NO_M: 5 * LINEAR_GRADS["dW"]},
    "db": {_NO_M: 5 * LINEAR_GRADS["db"]},
    "dA_prev": {"divided dA_prev by m: only dW and db average over the examples":
                LINEAR_GRADS["dA_prev"] / 5},
}

# --- linear_activation_backward(DA1, CACHES[0], activation) ---
DA1 = np.array([[-1.27, 0.32, -0.57, 0.52, -0],
                [-1.62, -0.69, -0.09, 1.23, -0.19],
                [-1.28, 0.18, 0.28, 0.05, -1.76]])
LAYER_GRADS = {  # (dA_prev, dW, db)
    "relu": (
        np.array([[1.3312, -0.0288, 0.0513, 0.6174, 0],
                  [0.1664, 0.1344, -0.2394, -0.0645, 0],
                  [-0.8576, -0.1728, 0.3078, -1.9782, 0],
                  [-0.768, -0.3168, 0.5643, -0.9084, 0]]),
        np.array([[0.09102, -0.16638, -0.14764, -0.05666],
                  [0.24354, -0.05412, -0.57564, -0.05166],
                  [-0.05376, 0.384, -0.54272, -0.04608]]),
        np.array([[0.054],
                  [0.246],
                  [-0.256]])),
    "sigmoid": (
        np.array([[0.2659760454, -0.07747675309, -0.03005677027, 0.03790132403, 0.4083741306],
                  [-0.0537727351, 0.05253195387, -0.03924783499, 0.002847329944, 0.06305570152],
                  [-0.00315817306, 0.1087441334, 0.0981576582, -0.1410066084, -0.2214246365],
                  [0.08072263317, -0.03257520281, 0.1179796702, -0.07731026558, -0.2352589]]),
        np.array([[0.007461209364, 0.04321733404, -0.09986691683, -0.0168872327],
                  [-0.03598647746, -0.01874482293, -0.06291923516, -0.01904901397],
                  [-0.04678831786, 0.01843813446, -0.0444274217, -0.1823450565]]),
        np.array([[-0.03867633463],
                  [-0.02233311914],
                  [-0.1245409707]])),
}
_LAYER_SWAPPED = {  # the other activation's backward function
    "relu": (
        np.array([[0.2659760454, -0.07747675309, -0.03005677027, 0.03790132403, 0.4083741306],
                  [-0.0537727351, 0.05253195387, -0.03924783499, 0.002847329944, 0.06305570152],
                  [-0.00315817306, 0.1087441334, 0.0981576582, -0.1410066084, -0.2214246365],
                  [0.08072263317, -0.03257520281, 0.1179796702, -0.07731026558, -0.2352589]]),
        np.array([[0.007461209364, 0.04321733404, -0.09986691683, -0.0168872327],
                  [-0.03598647746, -0.01874482293, -0.06291923516, -0.01904901397],
                  [-0.04678831786, 0.01843813446, -0.0444274217, -0.1823450565]]),
        np.array([[-0.03867633463],
                  [-0.02233311914],
                  [-0.1245409707]])),
    "sigmoid": (
        np.array([[1.3312, -0.0288, 0.0513, 0.6174, 0],
                  [0.1664, 0.1344, -0.2394, -0.0645, 0],
                  [-0.8576, -0.1728, 0.3078, -1.9782, 0],
                  [-0.768, -0.3168, 0.5643, -0.9084, 0]]),
        np.array([[0.09102, -0.16638, -0.14764, -0.05666],
                  [0.24354, -0.05412, -0.57564, -0.05166],
                  [-0.05376, 0.384, -0.54272, -0.04608]]),
        np.array([[0.054],
                  [0.246],
                  [-0.256]])),
}
_LAYER_SKIPPED = (  # linear_backward(dA, linear_cache): no activation derivative
    np.array([[0.5707, -0.5886, -0.2885, 0.5654, 1.7278],
              [0.0056, 0.2697, -0.2551, -0.071, 0.2725],
              [2.0638, 0.9, 0.6196, -1.9447, -0.917],
              [1.0077, 0.012, 0.7611, -0.8784, -0.9952]]),
    np.array([[0.03768, 0.21462, -0.68612, -0.10238],
              [-0.15132, 0.29068, -1.35034, -0.1701],
              [-0.11162, 0.20344, -0.2856, -0.78174]]),
    np.array([[-0.2],
              [-0.272],
              [-0.506]]))
LAYER_MISTAKES = {
    activation: {
        i: {f"used {other}_backward for a {activation} layer (the activations are swapped)":
            _LAYER_SWAPPED[activation][i],
            "passed dA to linear_backward: it needs dZ = relu_backward(dA, activation_cache) "
            "or sigmoid_backward(...)": _LAYER_SKIPPED[i]}
        for i in range(3)
    }
    for activation, other in [("relu", "sigmoid"), ("sigmoid", "relu")]
}

# --- L_model_backward(AL, Y, CACHES) ---
GRADS = {
    "dA2": np.array([[0.2348473271, -0.4057882517, -0.2044311515, 0.1356964742, 0.1891973004],
                     [0.3522709906, -0.6086823776, -0.3066467272, 0.2035447112, 0.2837959507]]),
    "dW3": np.array([[0.1797938986, 0.06601707106]]),
    "db3": np.array([[0.01402175044]]),
    "dA1": np.array([[0.364013357, -0.8541842699, -0.4303275739, 0, 0.3982603174],
                     [-0.4133312956, 1.310696053, 0.6603126193, 0, -0.6111072804],
                     [0.1549992359, 0.2191256559, 0.1103928218, 0, -0.1021665422]]),
    "dW2": np.array([[-0.09432872453, 0, 0.04626492343],
                     [-0.1414930868, 0, 0]]),
    "db2": np.array([[-0.03723495515],
                     [-0.1263066308]]),
    "dA0": np.array([[-0.1611992053, 0.07687658429, 0.03872948165, 0, 0],
                     [-0.02014990066, -0.3587573934, -0.180737581, 0, 0],
                     [0.103849488, 0.4612595058, 0.2323768899, 0, 0],
                     [0.09299954152, 0.8456424272, 0.4260242982, 0, 0]]),
    "dW1": np.array([[-0.4560890756, -0.2376379124, -0.122782525, 0.01096850707],
                     [0, 0, 0, 0],
                     [0.006509967906, -0.04649977076, 0.06571967601, 0.005579972491]]),
    "db1": np.array([[-0.2569023688],
                     [0],
                     [0.03099984717]]),
}  # in the order backward propagation computes them
_SWAPPED = {
    "dA2": np.array([[1.068529617, -1.64984283, 0, 0.8872101178, 0.9766340684],
                     [1.602794426, -2.474764245, 0, 1.330815177, 1.464951103]]),
    "dW3": np.array([[0.1300388121, 0.1148518044]]),
    "db3": np.array([[-0.3562586038]]),
    "dA1": np.array([[0.4567356128, -0.6862776719, 0, 0.3465578728, 0.5005318887],
                     [-0.7215903604, 1.115857366, 0, -0.4981957723, -0.7722427126],
                     [-0.1526666002, 0.2834664006, 0, -0.03147620211, -0.1355954244]]),
    "dW2": np.array([[0.04273348155, 0.09132262822, 0.04100098645],
                     [0.01511006324, 0.09541983761, 0.07141996413]]),
    "db2": np.array([[0.06476453123],
                     [0.06249869479]]),
    "dA0": np.array([[0.01625326093, 0.07621772839, 0, -0.01998508346, -0.06570476949],
                     [0.04120663898, -0.1081430061, 0, 0.02254674837, 0.08971567204],
                     [-0.04362140336, -0.1205945, 0, 0.02643194224, 0.1435539437],
                     [-0.09336846595, 0.1221982481, 0, -0.02467312648, -0.07937983676]]),
    "dW1": np.array([[-0.04161548226, -0.02605532778, -0.02809402107, 0.0547407355],
                     [0.03935154787, -0.00187268098, 0.06327979576, -0.07355409154],
                     [0.004862863439, 0.006838708294, -0.002979548751, -0.01527207747]]),
    "db1": np.array([[0.01376908042],
                     [-0.009942071692],
                     [-0.007657849257]]),
}
_ALL_SIGMOID = {
    "dA2": np.array([[0.2348473271, -0.4057882517, -0.2044311515, 0.1356964742, 0.1891973004],
                     [0.3522709906, -0.6086823776, -0.3066467272, 0.2035447112, 0.2837959507]]),
    "dW3": np.array([[0.1797938986, 0.06601707106]]),
    "db3": np.array([[0.01402175044]]),
    "dA1": np.array([[0.1003838697, -0.1687939067, -0.0504962475, 0.05300512301, 0.09696495871],
                     [-0.1585951055, 0.274451482, 0.09629380738, -0.07619774435, -0.1496018225],
                     [-0.03355390662, 0.0697201776, 0.04512512046,
                      -0.004814203039, -0.02626806608]]),
    "dW2": np.array([[-0.000436605479, 0.01396755787, 0.009011422723],
                     [-0.02137949282, 0.01459421536, 0.01569707325]]),
    "db2": np.array([[0.00585209716],
                     [-0.007724300424]]),
    "dA0": np.array([[0.003572231246, 0.0187461849, 0.008139191704,
                      -0.003056666404, -0.01272858015],
                     [0.009056622169, -0.02659838899, -0.009184354355,
                      0.003448466374, 0.01738006435],
                     [-0.009587352391, -0.02966090493, -0.02274816064,
                      0.004042696646, 0.02780982098],
                     [-0.02052103592, 0.0300553559, 0.004019198021,
                      -0.00377369036, -0.01537776667]]),
    "dW1": np.array([[-0.01381861704, -0.009323399764, -0.004796297625, 0.01066709766],
                     [0.01681596198, 0.007660044547, 0.01147940768, -0.01368845299],
                     [0.002522759126, 0.003076808125, -0.0009929798557, -0.002853130596]]),
    "db1": np.array([[-0.0005856236098],
                     [0.004348830052],
                     [-0.0005128826036]]),
}
_ALL_RELU = {
    "dA2": np.array([[1.068529617, -1.64984283, 0, 0.8872101178, 0.9766340684],
                     [1.602794426, -2.474764245, 0, 1.330815177, 1.464951103]]),
    "dW3": np.array([[0.1300388121, 0.1148518044]]),
    "db3": np.array([[-0.3562586038]]),
    "dA1": np.array([[1.656220907, -3.472919157, 0, 0, 2.055814714],
                     [-1.880612127, 5.328992341, 0, 0, -3.154528041],
                     [0.7052295475, 0.8909151283, 0, 0, -0.527382397]]),
    "dW2": np.array([[-0.1689109089, 0, 0.2105003346],
                     [-0.2533663634, 0, 0]]),
    "db2": np.array([[0.07906417114],
                     [-0.2019626285]]),
    "dA0": np.array([[-0.7334387294, 0.3125627242, 0, 0, 0],
                     [-0.09167984117, -1.458626046, 0, 0, 0],
                     [0.4725037968, 1.875376345, 0, 0, 0],
                     [0.4231377285, 3.438189966, 0, 0, 0]]),
    "dW1": np.array([[-1.416951016, -0.4098044606, -0.61817961, 0.1180792514],
                     [0, 0, 0, 0],
                     [0.02961964099, -0.2115688642, 0.2990173281, 0.02538826371]]),
    "db1": np.array([[-0.6945838315],
                     [0],
                     [0.1410459095]]),
}
_DAL_OVER_M = {key: value / 5 for key, value in GRADS.items()}  # every gradient / m
_SIGN = "flipped the sign of dAL: it is -(Y / AL - (1 - Y) / (1 - AL))"
_DAL_M = "divided dAL by m: the 1/m belongs to dW and db only"
GRADS_MISTAKES = {
    key: {
        _SIGN: -GRADS[key],
        "swapped the activations: sigmoid is for layer L, relu for the layers below":
            _SWAPPED[key],
        "used sigmoid for every layer: the hidden layers are relu": _ALL_SIGMOID[key],
        "used relu for every layer: layer L is a sigmoid": _ALL_RELU[key],
        _DAL_M: _DAL_OVER_M[key],
    }
    for key in GRADS
}
for _key in ["dA2", "dW3", "db3"]:  # layer L: swapping or relu everywhere give the same values
    GRADS_MISTAKES[_key] = {
        _SIGN: -GRADS[_key],
        "used relu for layer L (activations swapped, or relu in every layer): layer L is a "
        "sigmoid, relu is for the layers below": _ALL_RELU[_key],
        _DAL_M: _DAL_OVER_M[_key],
    }

# --- update_parameters(PARAMETERS, GRADS, 0.1) ---
UPDATED = {
    "W1": np.array([[-0.04439109244, 0.4437637912, -0.5277217475, -0.9910968507],
                    [0.54, -0.23, -1.38, -0.32],
                    [-1.040650997, -0.1253500229, 0.6634280324, 0.5994420028]]),
    "b1": np.array([[0.7856902369],
                    [-1.33],
                    [-0.5230999847]]),
    "W2": np.array([[1.559432872, -1.76, 0.6553735077],
                    [0.3841493087, -0.98, -0.8]]),
    "b2": np.array([[0.3737234955],
                    [0.1626306631]]),
    "W3": np.array([[-0.7379793899, -1.086601707]]),
    "b3": np.array([[1.458597825]]),
}
UPDATE_MISTAKES = {
    key: {"added the gradient instead of subtracting it": _P[key] + 0.1 * GRADS["d" + key]}
    for key in UPDATED
}
for _l in (1, 2, 3):
    UPDATE_MISTAKES[f"b{_l}"]["updated only the weights: update b[l] too"] = _P[f"b{_l}"]

# --- two_layer_model(train_x[:, :200], train_y[:, :200], (784, 5, 1), learning_rate=0.1,
#     num_iterations=300) after np.random.seed(1) ---
TWO_COSTS = [0.6930904343, 0.5762729567, 0.2777297584]
TWO_W2 = np.array([[-1.096028205, -0.0743666067, -1.29322988, -0.1404533303, 1.546201712]])
_KEEP = ("never kept the parameters returned by update_parameters (parameters = "
         "update_parameters(...)), or ran forward propagation only once, before the loop: the "
         "cost never changes")
_DEFAULT_LR = "used the default learning rate 0.0075 instead of the argument learning_rate"
_REINIT = "initialised the parameters inside the loop: every iteration starts again"
TWO_COSTS_MISTAKES = {
    _KEEP: [0.6930904343, 0.6930904343, 0.6930904343],
    _DEFAULT_LR: [0.6930904343, 0.6928008802, 0.6924789235],
    "started from initialize_parameters_deep: the two-layer model uses initialize_parameters":
        [0.6869112038, 0.2587287693, 0.1428086895],
    _REINIT: [0.6931236533, 0.6929673883, 0.6929674196],
}
COSTS_LENGTH = (
    "costs should hold 3 costs, of iterations 0, 100 and 200, but it holds {}.\n"
    "Hint: compute the cost at every iteration in the variable cost: the provided lines "
    "record it every 100 iterations."
)

# --- L_layer_model(train_x[:, :200], train_y[:, :200], [784, 10, 5, 1], learning_rate=0.03,
#     num_iterations=300) after np.random.seed(1) ---
DEEP_COSTS = [0.6964772514, 0.5681625287, 0.3911163986]
DEEP_W3 = np.array([[0.9580649367, 1.190377961, 0.1355899026, -1.095810812, -0.1192854188]])
DEEP_COSTS_MISTAKES = {
    _KEEP: [0.6964772514, 0.6964772514, 0.6964772514],
    _DEFAULT_LR: [0.6964772514, 0.6727020868, 0.6386289353],
    "started from weights np.random.randn(...) * 0.01: use initialize_parameters_deep":
        [0.693147696, 0.6927967922, 0.6927189487],
    _REINIT: [0.6901740007, 0.6911819757, 0.7014059464],
}

# --- predict(X, Y, PARAMETERS) ---
PREDICTIONS = np.array([[1, 1, 0, 1, 1]])
PREDICT_MISTAKES = {
    "returned the probabilities AL: compare them with 0.5 to get 0 or 1": AL,
    "predicted 1 where AL is below 0.5 (the comparison is the wrong way round)": 1 - PREDICTIONS,
    "compared AL with 0 instead of 0.5 (a sigmoid output is always positive)": np.ones((1, 5)),
    "returned whether each prediction is right (predictions == y) instead of the predictions":
        np.array([[1, 0, 1, 1, 1]]),
}


# -------------------------------------------------------------------------------------------------
# Every array, dictionary, list or tuple above is read as a fresh deep copy: ex.W is a new
# array at every use.
__getattr__, __dir__ = copy_on_read(globals())
