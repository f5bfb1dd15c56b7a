"""Week 3: catalogued student mistakes and alternative correct answers, per graded function."""

from support.notebook_harness import Alternative, Mistake

NOTEBOOK = "week3/planar_classification.ipynb"

# ------------------------------------------------------------------------------------------
# Pieces of correct answers reused by several mistakes of nn_model.
# ------------------------------------------------------------------------------------------
_NN_HEAD = """
def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False):
    n_x, _, n_y = layer_sizes(X, Y)
"""

_BACKWARD_STEPS = {
    "dZ2": "A2 - Y",
    "dW2": "np.dot(dZ2, A1.T) / m",
    "db2": "np.sum(dZ2, axis=1, keepdims=True) / m",
    "dZ1": 'np.dot(parameters["W2"].T, dZ2) * (1 - A1 ** 2)',
    "dW1": "np.dot(dZ1, X.T) / m",
    "db1": "np.sum(dZ1, axis=1, keepdims=True) / m",
}


def _nn(start="", update="update_parameters(parameters, grads)"):
    """nn_model as in the text (no cost), with a line ``start`` first or another update."""
    return _NN_HEAD + f"""
    {start}
    parameters = initialize_parameters(n_x, n_h, n_y)
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = {update}
    return parameters
"""


def _backward(**changed):
    """backward_propagation written as a student would, with some steps changed."""
    steps = {**_BACKWARD_STEPS, **changed}
    body = "\n".join(f"    {name} = {expr}" for name, expr in steps.items())
    return (
        "\ndef backward_propagation(parameters, cache, X, Y):\n"
        "    m = X.shape[1]\n"
        '    A1, A2 = cache["A1"], cache["A2"]\n'
        f"{body}\n"
        '    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}\n'
    )


MISTAKES = {
    "data_shapes": [
        Mistake("counts the rows", "counted the rows of X", """
def data_shapes(X, Y):
    return X.shape, Y.shape, len(X)
"""),
        Mistake("X.shape[0] as m", "the examples are its columns", """
def data_shapes(X, Y):
    shape_X = X.shape
    shape_Y = Y.shape
    m = X.shape[0]
    return shape_X, shape_Y, m
"""),
        Mistake("X.size as m", "counted all the entries of X (X.size)", """
def data_shapes(X, Y):
    return X.shape, Y.shape, X.size
"""),
        Mistake("Y.shape[0] as m", "counted the rows of Y", """
def data_shapes(X, Y):
    return X.shape, Y.shape, Y.shape[0]
"""),
        Mistake("hard-codes the flower's size", "fixed number", """
def data_shapes(X, Y):
    return X.shape, Y.shape, 400
"""),
    ],
    "layer_sizes": [
        Mistake("number of examples as n_x", "as n_x: n_x is the number of rows of X",
                """
def layer_sizes(X, Y):
    return (X.shape[1], 4, Y.shape[0])
"""),
        Mistake("number of examples as n_y", "as n_y: n_y is the number of rows of Y",
                """
def layer_sizes(X, Y):
    return (X.shape[0], 4, Y.shape[1])
"""),
        Mistake("hard-coded sizes", "fixed numbers", """
def layer_sizes(X, Y):
    n_x = 2
    n_h = 4
    n_y = 1
    return (n_x, n_h, n_y)
"""),
        Mistake("wrong order", "the sizes go in the order (n_x, n_h, n_y)", """
def layer_sizes(X, Y):
    return (X.shape[0], Y.shape[0], 4)
"""),
        Mistake("float sizes", "should be an int", """
def layer_sizes(X, Y):
    return (float(X.shape[0]), 4.0, float(Y.shape[0]))
"""),
    ],
    "initialize_parameters": [
        Mistake("zero weights: symmetry not broken", "symmetry", """
def initialize_parameters(n_x, n_h, n_y):
    W1 = np.zeros((n_h, n_x))
    b1 = np.zeros((n_h, 1))
    W2 = np.zeros((n_y, n_h))
    b2 = np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
"""),
        Mistake("constant weights: symmetry not broken", "symmetry", """
def initialize_parameters(n_x, n_h, n_y):
    W1 = np.full((n_h, n_x), 0.01)
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_y, n_h) * 0.01
    b2 = np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
"""),
        Mistake("no 0.01 factor", "multiply the random numbers by 0.01", """
def initialize_parameters(n_x, n_h, n_y):
    W1 = np.random.randn(n_h, n_x)
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_y, n_h)
    b2 = np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
"""),
        Mistake("uniform instead of normal", "used np.random.rand", """
def initialize_parameters(n_x, n_h, n_y):
    W1 = np.random.rand(n_h, n_x) * 0.01
    b1 = np.zeros((n_h, 1))
    W2 = np.random.rand(n_y, n_h) * 0.01
    b2 = np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
"""),
        Mistake("W2 drawn first", "drew W2 before W1", """
def initialize_parameters(n_x, n_h, n_y):
    W2 = np.random.randn(n_y, n_h) * 0.01
    W1 = np.random.randn(n_h, n_x) * 0.01
    b1 = np.zeros((n_h, 1))
    b2 = np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
"""),
        Mistake("transposed draw", "transposed it", """
def initialize_parameters(n_x, n_h, n_y):
    W1 = np.random.randn(n_x, n_h).T * 0.01
    W2 = np.random.randn(n_h, n_y).T * 0.01
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}
"""),
        Mistake("seeds inside the function", "do not call np.random.seed inside", """
def initialize_parameters(n_x, n_h, n_y):
    np.random.seed(2)
    W1 = np.random.randn(n_h, n_x) * 0.01
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_y, n_h) * 0.01
    b2 = np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
"""),
        Mistake("integer biases", "should hold floats", """
def initialize_parameters(n_x, n_h, n_y):
    W1 = np.random.randn(n_h, n_x) * 0.01
    b1 = np.zeros((n_h, 1), dtype=int)
    W2 = np.random.randn(n_y, n_h) * 0.01
    b2 = np.zeros((n_y, 1), dtype=int)
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
"""),
        Mistake("rank-1 biases", "1-D (rank-1)", """
def initialize_parameters(n_x, n_h, n_y):
    W1 = np.random.randn(n_h, n_x) * 0.01
    b1 = np.zeros(n_h)
    W2 = np.random.randn(n_y, n_h) * 0.01
    b2 = np.zeros(n_y)
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
"""),
    ],
    "forward_propagation": [
        Mistake("sigmoid in the hidden layer", "used the sigmoid in the hidden layer", """
def forward_propagation(X, parameters):
    Z1 = np.dot(parameters["W1"], X) + parameters["b1"]
    A1 = 1 / (1 + np.exp(-Z1))
    Z2 = np.dot(parameters["W2"], A1) + parameters["b2"]
    A2 = 1 / (1 + np.exp(-Z2))
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
"""),
        Mistake("tanh in the output layer", "used np.tanh in the output layer", """
def forward_propagation(X, parameters):
    Z1 = np.dot(parameters["W1"], X) + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = np.dot(parameters["W2"], A1) + parameters["b2"]
    A2 = np.tanh(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
"""),
        Mistake("forgets b1", "forgot to add b1", """
def forward_propagation(X, parameters):
    Z1 = np.dot(parameters["W1"], X)
    A1 = np.tanh(Z1)
    Z2 = np.dot(parameters["W2"], A1) + parameters["b2"]
    A2 = 1 / (1 + np.exp(-Z2))
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
"""),
        Mistake("forgets b2", "forgot to add b2", """
def forward_propagation(X, parameters):
    Z1 = np.dot(parameters["W1"], X) + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = np.dot(parameters["W2"], A1)
    A2 = 1 / (1 + np.exp(-Z2))
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
"""),
        Mistake("returns (cache, A2)", "returned its values in the wrong order", """
def forward_propagation(X, parameters):
    Z1 = np.dot(parameters["W1"], X) + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = np.dot(parameters["W2"], A1) + parameters["b2"]
    A2 = 1 / (1 + np.exp(-Z2))
    return {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}, A2
"""),
        Mistake("sign in the sigmoid", "np.exp(Z2) instead of np.exp(-Z2)", """
def forward_propagation(X, parameters):
    Z1 = np.dot(parameters["W1"], X) + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = np.dot(parameters["W2"], A1) + parameters["b2"]
    A2 = 1 / (1 + np.exp(Z2))
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
"""),
        Mistake("W1 transposed", "is that transpose one too many?", """
def forward_propagation(X, parameters):
    Z1 = np.dot(parameters["W1"].T, X) + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = np.dot(parameters["W2"], A1) + parameters["b2"]
    A2 = 1 / (1 + np.exp(-Z2))
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
"""),
        Mistake("cache with other key names", "should have the keys", """
def forward_propagation(X, parameters):
    Z1 = np.dot(parameters["W1"], X) + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = np.dot(parameters["W2"], A1) + parameters["b2"]
    A2 = 1 / (1 + np.exp(-Z2))
    return A2, {"z1": Z1, "a1": A1, "z2": Z2, "a2": A2}
"""),
    ],
    "compute_cost": [
        Mistake("sum instead of mean", "summed the losses without dividing by m", """
def compute_cost(A2, Y):
    return float(-np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)))
"""),
        Mistake("m from the wrong axis", "divided by Y.shape[0] (always 1)", """
def compute_cost(A2, Y):
    m = Y.shape[0]
    return float(-np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)) / m)
"""),
        Mistake("no minus sign", "forgot the minus sign", """
def compute_cost(A2, Y):
    m = Y.shape[1]
    return float(np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)) / m)
"""),
        Mistake("only the y log a term", "left out the (1 - Y) * log(1 - A2) term", """
def compute_cost(A2, Y):
    m = Y.shape[1]
    return float(-np.sum(Y * np.log(A2)) / m)
"""),
        Mistake("only the (1 - y) log(1 - a) term", "left out the Y * log(A2) term", """
def compute_cost(A2, Y):
    m = Y.shape[1]
    return float(-np.sum((1 - Y) * np.log(1 - A2)) / m)
"""),
        Mistake("np.dot leaves a (1, 1) array", "array holding one number", """
def compute_cost(A2, Y):
    m = Y.shape[1]
    return -(np.dot(Y, np.log(A2).T) + np.dot(1 - Y, np.log(1 - A2).T)) / m
"""),
    ],
    "backward_propagation": [
        Mistake("tanh derivative as 1 - A1", "(1 - A1) instead of (1 - A1**2)",
                _backward(dZ1='np.dot(parameters["W2"].T, dZ2) * (1 - A1)')),
        Mistake("Z1 instead of A1 in the derivative", "used Z1 instead of A1",
                _backward(dZ1='np.dot(parameters["W2"].T, dZ2) * (1 - np.power(cache["Z1"], 2))')),
        Mistake("sigmoid derivative for the tanh layer", "derivative of the sigmoid",
                _backward(dZ1='np.dot(parameters["W2"].T, dZ2) * A1 * (1 - A1)')),
        Mistake("no 1/m anywhere", "forgot the 1/m",
                _backward(dW2="np.dot(dZ2, A1.T)", db2="np.sum(dZ2, axis=1, keepdims=True)",
                          dW1="np.dot(dZ1, X.T)", db1="np.sum(dZ1, axis=1, keepdims=True)")),
        Mistake("1/m only in the second layer", "forgot the 1/m",
                _backward(dW1="np.dot(dZ1, X.T)", db1="np.sum(dZ1, axis=1, keepdims=True)")),
        Mistake("db without keepdims", "keepdims=True",
                _backward(db2="np.sum(dZ2, axis=1) / m", db1="np.sum(dZ1, axis=1) / m")),
        Mistake("db1 without keepdims (db2 right)", "keepdims=True",
                _backward(db1="np.sum(dZ1, axis=1) / m")),
        Mistake("grads with other key names", "should have the keys",
                _backward().replace('"dW1": dW1, "db1": db1', '"dw1": dW1, "dB1": db1')),
        Mistake("db summed over the wrong axis", "wrong axis",
                _backward(db2="np.sum(dZ2, axis=0, keepdims=True) / m",
                          db1="np.sum(dZ1, axis=0, keepdims=True) / m")),
        Mistake("W2 not transposed", "parameters['W2'].T would fit",
                _backward(dZ1='np.dot(parameters["W2"], dZ2) * (1 - A1 ** 2)')),
        Mistake("dZ2 with the sign flipped", "sign is flipped", _backward(dZ2="Y - A2")),
    ],
    "update_parameters": [
        Mistake("updates the arrays in place", "in place", """
def update_parameters(parameters, grads, learning_rate=1.2):
    for key in ["W1", "b1", "W2", "b2"]:
        parameters[key] -= learning_rate * grads["d" + key]
    return parameters
"""),
        Mistake("assigns into the caller's dictionary", "in place", """
def update_parameters(parameters, grads, learning_rate=1.2):
    parameters["W1"] = parameters["W1"] - learning_rate * grads["dW1"]
    parameters["b1"] = parameters["b1"] - learning_rate * grads["db1"]
    parameters["W2"] = parameters["W2"] - learning_rate * grads["dW2"]
    parameters["b2"] = parameters["b2"] - learning_rate * grads["db2"]
    return parameters
"""),
        Mistake("shallow copy, then -=", "in place", """
def update_parameters(parameters, grads, learning_rate=1.2):
    new_parameters = dict(parameters)
    for key in new_parameters:
        new_parameters[key] -= learning_rate * grads["d" + key]
    return new_parameters
"""),
        Mistake("adds the gradient", "added the gradient instead of subtracting it", """
def update_parameters(parameters, grads, learning_rate=1.2):
    return {key: parameters[key] + learning_rate * grads["d" + key] for key in parameters}
"""),
        Mistake("ignores the learning_rate argument", "instead of the argument learning_rate",
                """
def update_parameters(parameters, grads, learning_rate=1.2):
    return {key: parameters[key] - 1.2 * grads["d" + key] for key in parameters}
"""),
    ],
    "nn_model": [
        Mistake("discards the updated parameters", "never kept the parameters returned",
                _NN_HEAD + """
    parameters = initialize_parameters(n_x, n_h, n_y)
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)
        cost = compute_cost(A2, Y)
        grads = backward_propagation(parameters, cache, X, Y)
        update_parameters(parameters, grads)
    return parameters
"""),
        Mistake("re-initialises inside the loop", "called initialize_parameters inside the loop",
                _NN_HEAD + """
    parameters = initialize_parameters(n_x, n_h, n_y)
    for i in range(num_iterations):
        parameters = initialize_parameters(n_x, n_h, n_y)
        A2, cache = forward_propagation(X, parameters)
        cost = compute_cost(A2, Y)
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads)
    return parameters
"""),
        Mistake("hidden size from layer_sizes", "pass the argument n_h of nn_model", """
def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False):
    n_x, n_h, n_y = layer_sizes(X, Y)
    parameters = initialize_parameters(n_x, n_h, n_y)
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads)
    return parameters
"""),
        Mistake("seeds the generator as the original course did", "before any update, is wrong",
                _nn(start="np.random.seed(3)")),
        Mistake("learning rate of update_parameters' test", "fall too slowly",
                _nn(update="update_parameters(parameters, grads, learning_rate=0.5)")),
        Mistake("forward propagation once, before the loop", "(of old parameters?)",
                _NN_HEAD + """
    parameters = initialize_parameters(n_x, n_h, n_y)
    A2, cache = forward_propagation(X, parameters)
    for i in range(num_iterations):
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads)
    return parameters
"""),
        Mistake("returns the cost too", "the result of nn_model should be a dict", _NN_HEAD + """
    parameters = initialize_parameters(n_x, n_h, n_y)
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)
        cost = compute_cost(A2, Y)
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads)
    return parameters, cost
"""),
        Mistake("returns the gradients", "should have the keys", _NN_HEAD + """
    parameters = initialize_parameters(n_x, n_h, n_y)
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads)
    return grads
"""),
    ],
    "predict": [
        Mistake("returns the probabilities", "returned the probabilities A2", """
def predict(parameters, X):
    A2, cache = forward_propagation(X, parameters)
    return A2
"""),
        Mistake("comparison the wrong way round", "the comparison is the wrong way round", """
def predict(parameters, X):
    A2, cache = forward_propagation(X, parameters)
    return (A2 < 0.5).astype(int)
"""),
        Mistake("threshold at 0", "compared A2 with 0 instead of 0.5", """
def predict(parameters, X):
    A2, cache = forward_propagation(X, parameters)
    return (A2 > 0).astype(int)
"""),
        Mistake("rank-1 result", "1-D (rank-1)", """
def predict(parameters, X):
    A2, cache = forward_propagation(X, parameters)
    return (A2[0] > 0.5).astype(int)
"""),
        Mistake("predicts from the hidden layer", "should have shape (1, 5)", """
def predict(parameters, X):
    A2, cache = forward_propagation(X, parameters)
    return (cache["A1"] > 0.5).astype(int)
"""),
        Mistake("thresholds Z2 instead of A2", "compared Z2 with 0.5 instead of A2", """
def predict(parameters, X):
    A2, cache = forward_propagation(X, parameters)
    return (cache["Z2"] > 0.5).astype(int)
"""),
        Mistake("returns booleans", "but they are booleans: convert with .astype(int)", """
def predict(parameters, X):
    A2, cache = forward_propagation(X, parameters)
    return A2 > 0.5
"""),
        Mistake("returns floats", "but they are floats (float64): convert with .astype(int)", """
def predict(parameters, X):
    A2, _ = forward_propagation(X, parameters)
    return np.round(A2)
"""),
    ],
}

ALTERNATIVES = {
    "data_shapes": [
        Alternative("np.shape and Y.shape[1]", """
def data_shapes(X, Y):
    return np.shape(X), np.shape(Y), Y.shape[1]
"""),
        Alternative("m read from shape_X", """
def data_shapes(X, Y):
    shape_X, shape_Y = X.shape, Y.shape
    m = shape_X[1]
    return shape_X, shape_Y, m
"""),
        Alternative("columns counted with len(X.T)", """
def data_shapes(X, Y):
    return tuple(X.shape), tuple(Y.shape), len(X.T)
"""),
    ],
    "layer_sizes": [
        Alternative("len of the arrays", """
def layer_sizes(X, Y):
    return len(X), 4, len(Y)
"""),
        Alternative("np.shape", """
def layer_sizes(X, Y):
    n_x, _ = np.shape(X)
    n_y, _ = np.shape(Y)
    return (n_x, 4, n_y)
"""),
    ],
    "initialize_parameters": [
        Alternative("np.random.normal with scale 0.01", """
def initialize_parameters(n_x, n_h, n_y):
    W1 = np.random.normal(0.0, 0.01, size=(n_h, n_x))
    W2 = np.random.normal(0.0, 0.01, size=(n_y, n_h))
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}
"""),
        Alternative("standard_normal divided by 100", """
def initialize_parameters(n_x, n_h, n_y):
    W1 = np.random.standard_normal((n_h, n_x)) / 100
    b1 = np.zeros(shape=(n_h, 1), dtype=float)
    W2 = np.random.standard_normal((n_y, n_h)) / 100
    b2 = np.zeros_like(W2[:, :1])
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
"""),
        Alternative("a loop over the two layers", """
def initialize_parameters(n_x, n_h, n_y):
    parameters = {}
    for layer, (rows, columns) in enumerate([(n_h, n_x), (n_y, n_h)], start=1):
        parameters[f"W{layer}"] = 0.01 * np.random.randn(rows, columns)
        parameters[f"b{layer}"] = np.zeros((rows, 1))
    return {key: parameters[key] for key in ["W1", "b1", "W2", "b2"]}
"""),
    ],
    "forward_propagation": [
        Alternative("@ operator", """
def forward_propagation(X, parameters):
    Z1 = parameters["W1"] @ X + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = parameters["W2"] @ A1 + parameters["b2"]
    A2 = 1 / (1 + np.exp(-Z2))
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
"""),
        Alternative("sigmoid through tanh, np.matmul", """
def forward_propagation(X, parameters):
    W1, b1, W2, b2 = (parameters[k] for k in ["W1", "b1", "W2", "b2"])
    Z1 = np.matmul(W1, X) + b1
    A1 = np.tanh(Z1)
    Z2 = np.matmul(W2, A1) + b2
    A2 = 0.5 * (1 + np.tanh(0.5 * Z2))
    cache = {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
    return A2, cache
"""),
        Alternative("tanh from exponentials, a helper", """
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def forward_propagation(X, parameters):
    Z1 = np.dot(parameters["W1"], X) + parameters["b1"]
    A1 = (np.exp(Z1) - np.exp(-Z1)) / (np.exp(Z1) + np.exp(-Z1))
    Z2 = np.dot(parameters["W2"], A1) + parameters["b2"]
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
"""),
    ],
    "compute_cost": [
        Alternative("np.dot and np.squeeze", """
def compute_cost(A2, Y):
    m = Y.shape[1]
    cost = -(np.dot(Y, np.log(A2).T) + np.dot(1 - Y, np.log(1 - A2).T)) / m
    return float(np.squeeze(cost))
"""),
        Alternative("np.mean of np.multiply", """
def compute_cost(A2, Y):
    logprobs = np.multiply(Y, np.log(A2)) + np.multiply(1 - Y, np.log(1 - A2))
    return -np.mean(logprobs).item()
"""),
        Alternative("a loop over the examples", """
def compute_cost(A2, Y):
    m = Y.shape[1]
    total = 0.0
    for a, y in zip(A2[0], Y[0]):
        total += y * np.log(a) + (1 - y) * np.log(1 - a)
    return float(-total / m)
"""),
    ],
    "backward_propagation": [
        Alternative("@ and np.multiply", """
def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    dZ2 = cache["A2"] - Y
    dW2 = (dZ2 @ cache["A1"].T) / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dZ1 = np.multiply(parameters["W2"].T @ dZ2, 1 - cache["A1"] * cache["A1"])
    dW1 = (dZ1 @ X.T) / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
"""),
        Alternative("np.mean and reshape instead of keepdims", """
def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    A1 = cache["A1"]
    dZ2 = cache["A2"] - Y
    dZ1 = np.dot(parameters["W2"].T, dZ2) * (1 - np.tanh(cache["Z1"]) ** 2)
    return {"dW1": np.dot(dZ1, X.T) / m,
            "db1": np.mean(dZ1, axis=1).reshape(-1, 1),
            "dW2": np.dot(dZ2, A1.T) / m,
            "db2": np.mean(dZ2, axis=1).reshape(-1, 1)}
"""),
        Alternative("a loop over the examples", """
def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    W2, A1, A2 = parameters["W2"], cache["A1"], cache["A2"]
    grads = {"dW1": np.zeros(parameters["W1"].shape), "db1": np.zeros(parameters["b1"].shape),
             "dW2": np.zeros(W2.shape), "db2": np.zeros(parameters["b2"].shape)}
    for i in range(m):
        dz2 = A2[:, i:i + 1] - Y[:, i:i + 1]
        a1 = A1[:, i:i + 1]
        dz1 = W2.T @ dz2 * (1 - a1 ** 2)
        grads["dW2"] += dz2 @ a1.T / m
        grads["db2"] += dz2 / m
        grads["dW1"] += dz1 @ X[:, i:i + 1].T / m
        grads["db1"] += dz1 / m
    return grads
"""),
    ],
    "update_parameters": [
        Alternative("dictionary comprehension", """
def update_parameters(parameters, grads, learning_rate=1.2):
    return {key: parameters[key] - learning_rate * grads["d" + key] for key in parameters}
"""),
        Alternative("copy the dictionary, then assign new arrays", """
def update_parameters(parameters, grads, learning_rate=1.2):
    new_parameters = parameters.copy()
    for key in ["W1", "b1", "W2", "b2"]:
        new_parameters[key] = new_parameters[key] - learning_rate * grads["d" + key]
    return new_parameters
"""),
        Alternative("deep copy, then -=", """
import copy


def update_parameters(parameters, grads, learning_rate=1.2):
    new_parameters = copy.deepcopy(parameters)
    for key in new_parameters:
        new_parameters[key] -= learning_rate * grads["d" + key]
    return new_parameters
"""),
    ],
    "nn_model": [
        Alternative("plain range loop, explicit learning rate", _NN_HEAD + """
    parameters = initialize_parameters(n_x, n_h, n_y)
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)
        cost = compute_cost(A2, Y)
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads, learning_rate=1.2)
        if print_cost and i % 1000 == 0:
            print(f"Cost after iteration {i}: {cost:.6f}")
    return parameters
"""),
        Alternative("no cost computed when not printed, while loop", _NN_HEAD + """
    parameters = initialize_parameters(n_x, n_h, n_y)
    i = 0
    while i < num_iterations:
        A2, cache = forward_propagation(X, parameters)
        if print_cost and i % 1000 == 0:
            print(f"Cost after iteration {i}: {compute_cost(A2, Y):.6f}")
        parameters = update_parameters(parameters, backward_propagation(parameters, cache, X, Y))
        i += 1
    return parameters
"""),
    ],
    "predict": [
        Alternative("np.round of the probabilities, as integers", """
def predict(parameters, X):
    A2, _ = forward_propagation(X, parameters)
    return np.round(A2).astype(int)
"""),
        Alternative("np.where", """
def predict(parameters, X):
    A2 = forward_propagation(X, parameters)[0]
    return np.where(A2 > 0.5, 1, 0)
"""),
        Alternative("booleans times 1", """
def predict(parameters, X):
    A2, cache = forward_propagation(X, parameters)
    return (A2 > 0.5) * 1
"""),
    ],
}
