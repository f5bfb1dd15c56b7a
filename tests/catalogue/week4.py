"""Week 4: catalogued student mistakes and alternative correct answers, per graded function."""

from support.notebook_harness import Alternative, Mistake

NOTEBOOK = "week4/deep_neural_network.ipynb"

# ------------------------------------------------------------------------------------------
# Pieces of answers shared by several cases.
# ------------------------------------------------------------------------------------------


def _layer_shapes(
    W="(layer_dims[l], layer_dims[l - 1])",
    b="(layer_dims[l], 1)",
    Z="(layer_dims[l], m)",
    first='shapes = {"A0": (layer_dims[0], m)}',
):
    return f"""
def layer_shapes(layer_dims, m):
    {first}
    for l in range(1, len(layer_dims)):
        shapes[f"W{{l}}"] = {W}
        shapes[f"b{{l}}"] = {b}
        shapes[f"Z{{l}}"] = {Z}
        shapes[f"A{{l}}"] = {Z}
    return shapes
"""


def _init(
    first="W1 = np.random.randn(n_h, n_x) * 0.01",
    second="W2 = np.random.randn(n_y, n_h) * 0.01",
    before="",
):
    return f"""
def initialize_parameters(n_x, n_h, n_y):
    {before}
    {first}
    {second}
    return {{"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}}
"""


def _deep(draw="np.random.randn(n, n_prev) / np.sqrt(n_prev)", layers="range(1, len(layer_dims))"):
    return f"""
def initialize_parameters_deep(layer_dims):
    parameters = {{}}
    for l in {layers}:
        n, n_prev = layer_dims[l], layer_dims[l - 1]
        parameters[f"W{{l}}"] = {draw}
        parameters[f"b{{l}}"] = np.zeros((layer_dims[l], 1))
    return parameters
"""


def _lab_forward(
    relu_branch="relu(Z)",
    sigmoid_branch="sigmoid(Z)",
    cache="(linear_cache, activation_cache)",
    returned="A",
):
    return f"""
def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "relu":
        A, activation_cache = {relu_branch}
    else:
        A, activation_cache = {sigmoid_branch}
    cache = {cache}
    return {returned}, cache
"""


def _L_forward(hidden='"relu"', output='"sigmoid"', hidden_input="A", append_last=True):
    last = "    caches.append(cache)\n" if append_last else ""
    return f"""
def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        A, cache = linear_activation_forward({hidden_input}, parameters[f"W{{l}}"],
                                             parameters[f"b{{l}}"], {hidden})
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters[f"W{{L}}"], parameters[f"b{{L}}"], {output})
{last}    return AL, caches
"""


def _linear_backward(
    dW="np.dot(dZ, A_prev.T) / m",
    db="np.sum(dZ, axis=1, keepdims=True) / m",
    dA_prev="np.dot(W.T, dZ)",
):
    return f"""
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = {dW}
    db = {db}
    dA_prev = {dA_prev}
    return dA_prev, dW, db
"""


def _lab_backward(
    relu_line="relu_backward(dA, activation_cache)",
    sigmoid_line="sigmoid_backward(dA, activation_cache)",
    linear="linear_backward(dZ, linear_cache)",
):
    return f"""
def linear_activation_backward(dA, cache, activation):
    linear_cache, activation_cache = cache
    if activation == "relu":
        dZ = {relu_line}
    else:
        dZ = {sigmoid_line}
    return {linear}
"""


def _L_backward(
    dAL="-(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))",
    cache="caches[l - 1]",
    output='"sigmoid"',
    hidden='"relu"',
    dA_key='f"dA{l - 1}"',
):
    return f"""
def L_model_backward(AL, Y, caches):
    grads = {{}}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dA = {dAL}
    for l in range(L, 0, -1):
        activation = {output} if l == L else {hidden}
        dA, dW, db = linear_activation_backward(dA, {cache}, activation)
        grads[{dA_key}] = dA
        grads[f"dW{{l}}"] = dW
        grads[f"db{{l}}"] = db
    return grads
"""


_TWO_HEAD = """
def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000,
                    print_cost=False):
    costs = []
    n_x, n_h, n_y = layers_dims
"""


def _two(
    init="initialize_parameters(n_x, n_h, n_y)",
    update="parameters = ",
    lr="learning_rate",
    reinit="",
):
    return (
        _TWO_HEAD
        + f"""
    parameters = {init}
    for i in range(num_iterations):
        {reinit}
        A1, cache1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], "relu")
        A2, cache2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"], "sigmoid")
        cost = compute_cost(A2, Y)
        dA2 = -(np.divide(Y, A2) - np.divide(1 - Y, 1 - A2))
        dA1, dW2, db2 = linear_activation_backward(dA2, cache2, "sigmoid")
        dA0, dW1, db1 = linear_activation_backward(dA1, cache1, "relu")
        grads = {{"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}}
        {update}update_parameters(parameters, grads, {lr})
        if i % 100 == 0:
            costs.append(cost)
    return parameters, costs
"""
    )


_DEEP_HEAD = """
def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000,
                  print_cost=False):
    costs = []
"""


def _deep_model(
    init="initialize_parameters_deep(layers_dims)",
    update="parameters = ",
    lr="learning_rate",
    reinit="",
):
    return (
        _DEEP_HEAD
        + f"""
    parameters = {init}
    for i in range(num_iterations):
        {reinit}
        AL, caches = L_model_forward(X, parameters)
        cost = compute_cost(AL, Y)
        grads = L_model_backward(AL, Y, caches)
        {update}update_parameters(parameters, grads, {lr})
        if i % 100 == 0:
            costs.append(cost)
    return parameters, costs
"""
    )


_SMALL_INIT = """{**{f"W{l}": np.random.randn(layers_dims[l], layers_dims[l - 1]) * 0.01
                       for l in range(1, len(layers_dims))},
                    **{f"b{l}": np.zeros((layers_dims[l], 1))
                       for l in range(1, len(layers_dims))}}"""


def _predict(rule="(AL > 0.5).astype(int)"):
    return f"""
def predict(X, y, parameters, caption="Accuracy"):
    AL, _ = L_model_forward(X, parameters)
    predictions = {rule}
    print(f"{{caption}}: {{np.mean(predictions == y):.4f}}")
    return predictions
"""


MISTAKES = {
    "layer_shapes": [
        Mistake(
            "W transposed",
            "wrote W's shape as (n[l-1], n[l])",
            _layer_shapes(W="(layer_dims[l - 1], layer_dims[l])"),
        ),
        Mistake(
            "b of shape (n, m)", "gave b the shape (n[l], m)", _layer_shapes(b="(layer_dims[l], m)")
        ),
        Mistake(
            "Z from the previous layer's size",
            "used the size of the previous layer",
            _layer_shapes(Z="(layer_dims[l - 1], m)"),
        ),
        Mistake(
            "Z as (m, n)", "the examples are the columns", _layer_shapes(Z="(m, layer_dims[l])")
        ),
        Mistake("no A0", "should have the keys", _layer_shapes(first="shapes = {}")),
    ],
    "initialize_parameters": [
        Mistake(
            "uniform instead of normal",
            "used np.random.rand",
            _init("W1 = np.random.rand(n_h, n_x) * 0.01", "W2 = np.random.rand(n_y, n_h) * 0.01"),
        ),
        Mistake(
            "W2 drawn first",
            "drew W2 before W1",
            _init("W2 = np.random.randn(n_y, n_h) * 0.01", "W1 = np.random.randn(n_h, n_x) * 0.01"),
        ),
        Mistake(
            "seeds inside the function",
            "do not call np.random.seed inside",
            _init(before="np.random.seed(1)"),
        ),
        Mistake(
            "no 0.01 factor",
            "forgot to multiply by 0.01",
            _init("W1 = np.random.randn(n_h, n_x)", "W2 = np.random.randn(n_y, n_h)"),
        ),
        Mistake(
            "transposed draw",
            "transposed it",
            _init(
                "W1 = np.random.randn(n_x, n_h).T * 0.01", "W2 = np.random.randn(n_h, n_y).T * 0.01"
            ),
        ),
    ],
    "initialize_parameters_deep": [
        Mistake(
            "* 0.01 in the deep init",
            "multiplied by 0.01",
            _deep(draw="np.random.randn(n, n_prev) * 0.01"),
        ),
        Mistake(
            "W of shape (n_prev, n)",
            "looks transposed",
            _deep(draw="np.random.randn(n_prev, n) / np.sqrt(n_prev)"),
        ),
        Mistake(
            "He instead of 1/sqrt(n_prev)",
            "(He) instead of 1 / np.sqrt(layer_dims[l - 1])",
            _deep(draw="np.random.randn(n, n_prev) * np.sqrt(2 / n_prev)"),
        ),
        Mistake(
            "scale from the layer's own size",
            "the layer's own size",
            _deep(draw="np.random.randn(n, n_prev) / np.sqrt(n)"),
        ),
        Mistake(
            "misses the last layer",
            "should have the keys",
            _deep(layers="range(1, len(layer_dims) - 1)"),
        ),
    ],
    "linear_forward": [
        Mistake(
            "cache entries in the wrong order",
            "wrong order",
            """
def linear_forward(A, W, b):
    Z = np.dot(W, A) + b
    return Z, (W, A, b)
""",
        ),
        Mistake(
            "forgets b",
            "forgot to add b",
            """
def linear_forward(A, W, b):
    Z = np.dot(W, A)
    return Z, (A, W, b)
""",
        ),
        Mistake(
            "cache without b",
            "should be the tuple (A, W, b) of 3 items",
            """
def linear_forward(A, W, b):
    Z = np.dot(W, A) + b
    return Z, (A, W)
""",
        ),
        Mistake(
            "W transposed",
            "W without .T would fit",
            """
def linear_forward(A, W, b):
    Z = np.dot(W.T, A) + b
    return Z, (A, W, b)
""",
        ),
    ],
    "linear_activation_forward": [
        Mistake(
            "activations swapped",
            'used sigmoid for the activation "relu"',
            _lab_forward(relu_branch="sigmoid(Z)", sigmoid_branch="relu(Z)"),
        ),
        Mistake(
            "always relu",
            'used relu for the activation "sigmoid"',
            _lab_forward(sigmoid_branch="relu(Z)"),
        ),
        Mistake(
            "cache parts in the wrong order",
            "wrong order",
            _lab_forward(cache="(activation_cache, linear_cache)"),
        ),
        Mistake(
            "A kept as the activation cache",
            "kept A instead of Z",
            _lab_forward(cache="(linear_cache, A)"),
        ),
        Mistake(
            "returns Z", "returned Z, the value before the activation", _lab_forward(returned="Z")
        ),
    ],
    "L_model_forward": [
        Mistake(
            "sigmoid in the hidden layers",
            "used the sigmoid in the hidden layers",
            _L_forward(hidden='"sigmoid"'),
        ),
        Mistake(
            "relu on the output layer", "used relu in the output layer", _L_forward(output='"relu"')
        ),
        Mistake(
            "last cache not appended",
            "append the cache of every layer",
            _L_forward(append_last=False),
        ),
        Mistake(
            "X fed to every layer",
            "check the arguments that L_model_forward passes",
            _L_forward(hidden_input="X"),
        ),
    ],
    "compute_cost": [
        Mistake(
            "sum instead of mean",
            "summed the losses",
            """
def compute_cost(AL, Y):
    return float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))
""",
        ),
        Mistake(
            "no minus sign",
            "forgot the minus sign",
            """
def compute_cost(AL, Y):
    return float(np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))
""",
        ),
        Mistake(
            "only the y log a term",
            "left out the (1 - Y) * log(1 - AL) term",
            """
def compute_cost(AL, Y):
    return float(-np.mean(Y * np.log(AL)))
""",
        ),
        Mistake(
            "np.dot leaves a (1, 1) array",
            "array holding one number",
            """
def compute_cost(AL, Y):
    m = Y.shape[1]
    return -(np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T)) / m
""",
        ),
    ],
    "linear_backward": [
        Mistake(
            "db without keepdims", "1-D (rank-1)", _linear_backward(db="np.sum(dZ, axis=1) / m")
        ),
        Mistake("dW without 1/m", "forgot the 1/m", _linear_backward(dW="np.dot(dZ, A_prev.T)")),
        Mistake(
            "dA_prev divided by m",
            "divided dA_prev by m",
            _linear_backward(dA_prev="np.dot(W.T, dZ) / m"),
        ),
        Mistake(
            "dW transposed", "looks transposed", _linear_backward(dW="np.dot(A_prev, dZ.T) / m")
        ),
        Mistake(
            "db over the wrong axis",
            "wrong axis",
            _linear_backward(db="np.sum(dZ, axis=0, keepdims=True) / m"),
        ),
    ],
    "linear_activation_backward": [
        Mistake(
            "activations swapped in the backward",
            "the activations are swapped",
            _lab_backward(
                relu_line="sigmoid_backward(dA, activation_cache)",
                sigmoid_line="relu_backward(dA, activation_cache)",
            ),
        ),
        Mistake(
            "wrong cache part",
            "the linear cache",
            _lab_backward(
                relu_line="relu_backward(dA, linear_cache)",
                sigmoid_line="sigmoid_backward(dA, linear_cache)",
            ),
        ),
        Mistake(
            "activation derivative skipped",
            "passed dA to linear_backward",
            _lab_backward(linear="linear_backward(dA, linear_cache)"),
        ),
        Mistake(
            "whole cache to linear_backward",
            "not enough values to unpack",
            _lab_backward(linear="linear_backward(dZ, cache)"),
        ),
    ],
    "L_model_backward": [
        Mistake(
            "dAL with the wrong sign",
            "flipped the sign of dAL",
            _L_backward(dAL="np.divide(Y, AL) - np.divide(1 - Y, 1 - AL)"),
        ),
        Mistake(
            "caches indexed off by one (caches[l])",
            "list index out of range",
            _L_backward(cache="caches[l]"),
        ),
        Mistake(
            "caches indexed off by one (caches[l - 2])",
            "the cache belongs to the layer of dA",
            _L_backward(cache="caches[l - 2]"),
        ),
        Mistake(
            "activations swapped",
            "used relu for layer L",
            _L_backward(output='"relu"', hidden='"sigmoid"'),
        ),
        Mistake("relu for every layer", "used relu for layer L", _L_backward(output='"relu"')),
        Mistake("dA keys off by one", "should have the keys", _L_backward(dA_key='f"dA{l}"')),
        Mistake(
            "dAL divided by m",
            "divided dAL by m",
            _L_backward(dAL="-(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL)) / Y.shape[1]"),
        ),
    ],
    "update_parameters": [
        Mistake(
            "loop stops a layer early",
            "stop one layer early",
            """
def update_parameters(params, grads, learning_rate):
    parameters = {}
    L = len(params) // 2
    for l in range(1, L):
        parameters[f"W{l}"] = params[f"W{l}"] - learning_rate * grads[f"dW{l}"]
        parameters[f"b{l}"] = params[f"b{l}"] - learning_rate * grads[f"db{l}"]
    return parameters
""",
        ),
        Mistake(
            "updates the arrays in place",
            "in place",
            """
def update_parameters(params, grads, learning_rate):
    for key in params:
        params[key] -= learning_rate * grads["d" + key]
    return params
""",
        ),
        Mistake(
            "assigns into the caller's dictionary",
            "in place",
            """
def update_parameters(params, grads, learning_rate):
    for l in range(1, len(params) // 2 + 1):
        params[f"W{l}"] = params[f"W{l}"] - learning_rate * grads[f"dW{l}"]
        params[f"b{l}"] = params[f"b{l}"] - learning_rate * grads[f"db{l}"]
    return params
""",
        ),
        Mistake(
            "shallow copy, then -=",
            "in place",
            """
def update_parameters(params, grads, learning_rate):
    parameters = params.copy()
    for key in parameters:
        parameters[key] -= learning_rate * grads["d" + key]
    return parameters
""",
        ),
        Mistake(
            "adds the gradient",
            "added the gradient instead of subtracting it",
            """
def update_parameters(params, grads, learning_rate):
    return {key: params[key] + learning_rate * grads["d" + key] for key in params}
""",
        ),
        Mistake(
            "updates only the weights",
            "updated only the weights",
            """
def update_parameters(params, grads, learning_rate):
    return {key: params[key] - learning_rate * grads["d" + key] if key[0] == "W"
            else params[key] for key in params}
""",
        ),
        Mistake(
            "misses the last layer",
            "should have the keys",
            """
def update_parameters(params, grads, learning_rate):
    parameters = {}
    for l in range(1, len(params) // 2):
        parameters[f"W{l}"] = params[f"W{l}"] - learning_rate * grads[f"dW{l}"]
        parameters[f"b{l}"] = params[f"b{l}"] - learning_rate * grads[f"db{l}"]
    return parameters
""",
        ),
    ],
    "two_layer_model": [
        Mistake("discards the updated parameters", "never kept the parameters", _two(update="")),
        Mistake(
            "default learning rate", "used the default learning rate 0.0075", _two(lr="0.0075")
        ),
        Mistake(
            "deep initialisation",
            "started from initialize_parameters_deep",
            _two(init="initialize_parameters_deep([n_x, n_h, n_y])"),
        ),
        Mistake(
            "re-initialises inside the loop",
            "initialised the parameters inside the loop",
            _two(reinit="parameters = initialize_parameters(n_x, n_h, n_y)"),
        ),
        # dA2 = A2 - Y is dZ2: costs[0] is right, then the costs fall too slowly
        Mistake("dA2 = A2 - Y", "fall too slowly", _two().replace(
            "dA2 = -(np.divide(Y, A2) - np.divide(1 - Y, 1 - A2))", "dA2 = A2 - Y")),
        Mistake("dA2 with the sign flipped", "the costs then rise",
                _two().replace("dA2 = -(np.divide(Y, A2)", "dA2 = (np.divide(Y, A2)")),
    ],
    "L_layer_model": [
        Mistake(
            "discards the updated parameters", "never kept the parameters", _deep_model(update="")
        ),
        Mistake(
            "default learning rate",
            "used the default learning rate 0.0075",
            _deep_model(lr="0.0075"),
        ),
        Mistake(
            "* 0.01 initialisation", "np.random.randn(...) * 0.01", _deep_model(init=_SMALL_INIT)
        ),
        Mistake(
            "re-initialises inside the loop",
            "initialised the parameters inside the loop",
            _deep_model(reinit="parameters = initialize_parameters_deep(layers_dims)"),
        ),
        Mistake("compute_cost(Y, AL)", "np.log(0) makes the cost infinite",
                _deep_model().replace("compute_cost(AL, Y)", "compute_cost(Y, AL)")),
        Mistake("L_model_backward(Y, AL, caches)", "the costs then become nan",
                _deep_model().replace("L_model_backward(AL, Y,", "L_model_backward(Y, AL,")),
        Mistake(
            "forward propagation once, before the loop",
            "ran forward propagation only once",
            _DEEP_HEAD
            + """
    parameters = initialize_parameters_deep(layers_dims)
    AL, caches = L_model_forward(X, parameters)
    for i in range(num_iterations):
        cost = compute_cost(AL, Y)
        grads = L_model_backward(AL, Y, caches)
        parameters = update_parameters(parameters, grads, learning_rate)
        if i % 100 == 0:
            costs.append(cost)
    return parameters, costs
""",
        ),
    ],
    "predict": [
        Mistake("returns the probabilities", "returned the probabilities AL", _predict("AL")),
        Mistake(
            "comparison the wrong way round",
            "the comparison is the wrong way round",
            _predict("(AL < 0.5).astype(int)"),
        ),
        Mistake("threshold at 0", "compared AL with 0", _predict("(AL > 0).astype(int)")),
        Mistake(
            "returns whether each prediction is right",
            "returned whether each prediction",
            _predict("((AL > 0.5) == y).astype(int)"),
        ),
        Mistake("returns booleans", "but they are booleans: convert with .astype(int)",
                _predict("AL > 0.5")),
        Mistake("returns floats", "but they are floats (float64): convert with .astype(int)",
                _predict("(AL > 0.5) * 1.0")),
    ],
}

ALTERNATIVES = {
    "layer_shapes": [
        Alternative(
            "pairs of consecutive sizes",
            """
def layer_shapes(layer_dims, m):
    shapes = {"A0": (layer_dims[0], m)}
    for l, (n_prev, n) in enumerate(zip(layer_dims[:-1], layer_dims[1:]), start=1):
        shapes.update({f"W{l}": (n, n_prev), f"b{l}": (n, 1), f"Z{l}": (n, m), f"A{l}": (n, m)})
    return shapes
""",
        ),
        Alternative(
            "shapes of zero arrays",
            """
def layer_shapes(layer_dims, m):
    shapes = {"A0": np.zeros((layer_dims[0], m)).shape}
    for l in range(1, len(layer_dims)):
        W = np.zeros((layer_dims[l], layer_dims[l - 1]))
        b = np.zeros((layer_dims[l], 1))
        Z = W @ np.zeros((layer_dims[l - 1], m)) + b
        shapes[f"W{l}"], shapes[f"b{l}"], shapes[f"Z{l}"], shapes[f"A{l}"] = (
            W.shape, b.shape, Z.shape, Z.shape)
    return shapes
""",
        ),
    ],
    "initialize_parameters": [
        Alternative(
            "np.random.normal with scale 0.01",
            _init(
                "W1 = np.random.normal(0.0, 0.01, size=(n_h, n_x))",
                "W2 = np.random.normal(0.0, 0.01, size=(n_y, n_h))",
            ),
        ),
        Alternative(
            "standard_normal divided by 100",
            _init(
                "W1 = np.random.standard_normal((n_h, n_x)) / 100",
                "W2 = np.random.standard_normal((n_y, n_h)) / 100",
            ),
        ),
    ],
    "initialize_parameters_deep": [
        Alternative(
            "np.random.normal with the He scale",
            _deep(
                draw="np.random.normal(0.0, 1 / np.sqrt(layer_dims[l - 1]), "
                "size=(layer_dims[l], layer_dims[l - 1]))"
            ),
        ),
        Alternative(
            "zip over consecutive sizes",
            """
def initialize_parameters_deep(layer_dims):
    parameters = {}
    for l, (n_prev, n) in enumerate(zip(layer_dims, layer_dims[1:]), start=1):
        parameters["W" + str(l)] = np.random.randn(n, n_prev) * n_prev ** -0.5
        parameters["b" + str(l)] = np.zeros(shape=(n, 1))
    return parameters
""",
        ),
    ],
    "linear_forward": [
        Alternative(
            "@ operator",
            """
def linear_forward(A, W, b):
    return W @ A + b, (A, W, b)
""",
        ),
        Alternative(
            "np.matmul and np.add",
            """
def linear_forward(A, W, b):
    Z = np.add(np.matmul(W, A), b)
    cache = (A, W, b)
    return Z, cache
""",
        ),
    ],
    "linear_activation_forward": [
        Alternative(
            "a dictionary of activations",
            """
def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    A, activation_cache = {"relu": relu, "sigmoid": sigmoid}[activation](Z)
    return A, (linear_cache, activation_cache)
""",
        ),
        Alternative(
            "the linear part written out",
            """
def linear_activation_forward(A_prev, W, b, activation):
    Z = W @ A_prev + b
    if activation == "sigmoid":
        A, _ = sigmoid(Z)
    elif activation == "relu":
        A, _ = relu(Z)
    return A, ((A_prev, W, b), Z)
""",
        ),
    ],
    "L_model_forward": [
        Alternative(
            "one loop, activation chosen per layer",
            """
def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L + 1):
        activation = "sigmoid" if l == L else "relu"
        A, cache = linear_activation_forward(A, parameters["W" + str(l)],
                                             parameters["b" + str(l)], activation)
        caches.append(cache)
    return A, caches
""",
        ),
        Alternative(
            "while loop",
            """
def L_model_forward(X, parameters):
    caches, A, l = [], X, 1
    L = len(parameters) // 2
    while l < L:
        A_prev = A
        A, cache = linear_activation_forward(A_prev, parameters[f"W{l}"], parameters[f"b{l}"],
                                             activation="relu")
        caches += [cache]
        l += 1
    AL, cache = linear_activation_forward(A, parameters[f"W{L}"], parameters[f"b{L}"],
                                          activation="sigmoid")
    caches += [cache]
    return AL, caches
""",
        ),
    ],
    "compute_cost": [
        Alternative(
            "np.dot and np.squeeze",
            """
def compute_cost(AL, Y):
    m = Y.shape[1]
    cost = -(np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T)) / m
    return float(np.squeeze(cost))
""",
        ),
        Alternative(
            "np.mean and .item()",
            """
def compute_cost(AL, Y):
    return -np.mean(np.multiply(Y, np.log(AL)) + np.multiply(1 - Y, np.log(1 - AL))).item()
""",
        ),
    ],
    "linear_backward": [
        Alternative(
            "@ and np.mean",
            """
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = dZ @ A_prev.T / m
    db = np.mean(dZ, axis=1, keepdims=True)
    dA_prev = W.T @ dZ
    return dA_prev, dW, db
""",
        ),
        Alternative(
            "reshape instead of keepdims, 1/m first",
            """
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = (1 / m) * np.dot(dZ, A_prev.T)
    db = ((1 / m) * np.sum(dZ, axis=1)).reshape(b.shape)
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db
""",
        ),
    ],
    "linear_activation_backward": [
        Alternative(
            "a dictionary of backward functions",
            """
def linear_activation_backward(dA, cache, activation):
    linear_cache, activation_cache = cache
    backward = {"relu": relu_backward, "sigmoid": sigmoid_backward}[activation]
    return linear_backward(backward(dA, activation_cache), linear_cache)
""",
        ),
        Alternative(
            "the derivatives written out",
            """
def linear_activation_backward(dA, cache, activation):
    linear_cache, Z = cache
    if activation == "relu":
        dZ = dA * (Z > 0)
    else:
        s = 1 / (1 + np.exp(-Z))
        dZ = dA * s * (1 - s)
    dA_prev, dW, db = linear_backward(dZ, linear_cache)
    return dA_prev, dW, db
""",
        ),
    ],
    "L_model_backward": [
        Alternative(
            "output layer first, then reversed(range(L - 1))",
            """
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    current_cache = caches[L - 1]
    dA_prev, dW, db = linear_activation_backward(dAL, current_cache, "sigmoid")
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = dA_prev, dW, db
    for l in reversed(range(L - 1)):
        current_cache = caches[l]
        dA_prev, dW, db = linear_activation_backward(grads["dA" + str(l + 1)], current_cache,
                                                     "relu")
        grads["dA" + str(l)] = dA_prev
        grads["dW" + str(l + 1)] = dW
        grads["db" + str(l + 1)] = db
    return grads
""",
        ),
        Alternative(
            "dZ of the output layer computed directly as AL - Y",
            """
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    linear_cache, _ = caches[-1]
    dA, grads[f"dW{L}"], grads[f"db{L}"] = linear_backward(AL - Y.reshape(AL.shape), linear_cache)
    grads[f"dA{L - 1}"] = dA
    for l in range(L - 1, 0, -1):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(dA, caches[l - 1],
                                                                          "relu")
        grads[f"dA{l - 1}"] = dA
    return grads
""",
        ),
    ],
    "update_parameters": [
        Alternative(
            "dictionary comprehension",
            """
def update_parameters(params, grads, learning_rate):
    return {key: params[key] - learning_rate * grads["d" + key] for key in params}
""",
        ),
        Alternative(
            "deep copy, then -=",
            """
import copy


def update_parameters(params, grads, learning_rate):
    parameters = copy.deepcopy(params)
    L = len(parameters) // 2
    for l in range(L):
        parameters["W" + str(l + 1)] -= learning_rate * grads["dW" + str(l + 1)]
        parameters["b" + str(l + 1)] -= learning_rate * grads["db" + str(l + 1)]
    return parameters
""",
        ),
    ],
    "two_layer_model": [
        Alternative("plain loop as in the text", _two()),
        Alternative(
            "cost only when recorded, grads built by a comprehension",
            _TWO_HEAD
            + """
    parameters = initialize_parameters(n_x, n_h, n_y)
    for i in range(num_iterations):
        A1, cache1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], "relu")
        A2, cache2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"], "sigmoid")
        if i % 100 == 0:
            costs.append(compute_cost(A2, Y))
        dA2 = -(Y / A2 - (1 - Y) / (1 - A2))
        dA1, *second = linear_activation_backward(dA2, cache2, "sigmoid")
        _, *first = linear_activation_backward(dA1, cache1, "relu")
        grads = {f"{name}{l}": value for l, pair in [(1, first), (2, second)]
                 for name, value in zip(["dW", "db"], pair)}
        parameters = update_parameters(parameters, grads, learning_rate=learning_rate)
    return parameters, costs
""",
        ),
    ],
    "L_layer_model": [
        Alternative("plain loop as in the text", _deep_model()),
        Alternative(
            "while loop",
            _DEEP_HEAD
            + """
    parameters = initialize_parameters_deep(layers_dims)
    i = 0
    while i < num_iterations:
        AL, caches = L_model_forward(X, parameters)
        if i % 100 == 0:
            costs.append(compute_cost(AL, Y))
        parameters = update_parameters(parameters, L_model_backward(AL, Y, caches), learning_rate)
        i += 1
    return parameters, costs
""",
        ),
    ],
    "predict": [
        Alternative("np.where", _predict("np.where(AL > 0.5, 1, 0)")),
        Alternative("booleans as integers", _predict("(AL > 0.5).astype(np.int64)")),
    ],
}
