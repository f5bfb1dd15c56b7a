"""Week 2: catalogued student mistakes and alternative correct answers, per graded function."""

from support.notebook_harness import Alternative, Mistake

NOTEBOOK = "week2/logistic_regression.ipynb"

_PROPAGATE = """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)
    cost = {cost}
    dw = {dw}
    db = {db}
    grads = {{"dw": dw, "db": db}}
    return grads, cost
"""
_COST = "float(-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m)"
_DW = "np.dot(X, (A - Y).T) / m"
_DB = "float(np.sum(A - Y) / m)"


def _propagate(cost=_COST, dw=_DW, db=_DB):
    return _PROPAGATE.format(cost=cost, dw=dw, db=db)


_OPTIMIZE = """
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    w = copy.deepcopy(w)
    b = float(b)
    costs = []
    for i in progress(num_iterations, desc="gradient descent", leave=False):
{body}
        if i % 100 == 0:
            costs.append(cost)
            if print_cost:
                print(f"cost after iteration {{i}}: {{cost:.6f}}")
    params = {{"w": w, "b": b}}
    return params, grads, costs
"""


def _optimize(body):
    return _OPTIMIZE.format(body="\n".join("        " + line for line in body.strip().split("\n")))


_MODEL = """
def model(X_train, Y_train, X_test, Y_test, num_iterations=1500, learning_rate=0.05,
          print_cost=False):
{body}
    d = {{"costs": costs, "Y_prediction_test": Y_prediction_test,
         "Y_prediction_train": Y_prediction_train, "w": w, "b": b,
         "learning_rate": learning_rate, "num_iterations": num_iterations}}
    return d
"""


def _model(body):
    return _MODEL.format(body="\n".join("    " + line for line in body.strip().split("\n")))


def _model_calling(optimize):
    """model as in the text, but for its call of optimize."""
    return _model(f"""
w, b = initialize_with_zeros(X_train.shape[0])
params, grads, costs = {optimize}
w, b = params["w"], params["b"]
Y_prediction_test = predict(w, b, X_test)
Y_prediction_train = predict(w, b, X_train)
""")


MISTAKES = {
    "dataset_dimensions": [
        Mistake("image height as the number of images", "shape[1] (the image height)", """
def dataset_dimensions(train_x, test_x):
    return train_x.shape[1], test_x.shape[1], train_x.shape[1]
"""),
        Mistake("number of images as the height", "instead of shape[1] (the height)", """
def dataset_dimensions(train_x, test_x):
    return train_x.shape[0], test_x.shape[0], train_x.shape[0]
"""),
        Mistake("pixel count as the height", "counted all the pixels", """
def dataset_dimensions(train_x, test_x):
    return train_x.shape[0], test_x.shape[0], train_x.shape[1] * train_x.shape[2]
"""),
        Mistake("hard-coded numbers", "got 1000, expected 7", """
def dataset_dimensions(train_x, test_x):
    return 1000, 500, 28
"""),
    ],
    "flatten": [
        Mistake("reshape to (n_x, m) directly", "without the transpose", """
def flatten(x):
    return x.reshape(-1, x.shape[0])
"""),
        Mistake("one row per image (no transpose)", "looks transposed", """
def flatten(x):
    return x.reshape(x.shape[0], -1)
"""),
        Mistake("transposes the 4-D array first", "wrong places", """
def flatten(x):
    return x.T.reshape(-1, x.shape[0])
"""),
        Mistake("hard-coded n_x", "instead of writing fixed numbers", """
def flatten(x):
    return x.reshape(784, -1)
"""),
    ],
    "standardize": [
        Mistake("divides by 256", "divided by 256", """
def standardize(x_flat):
    return x_flat / 256
"""),
        Mistake("integer division", "from //", """
def standardize(x_flat):
    return x_flat // 255
"""),
        Mistake("in-place division", "write x_flat = x_flat / 255", """
def standardize(x_flat):
    x_flat /= 255
    return x_flat
"""),
        Mistake("mean and standard deviation", "standard deviation", """
def standardize(x_flat):
    return (x_flat - np.mean(x_flat)) / np.std(x_flat)
"""),
    ],
    "sigmoid": [
        Mistake("exponent without the minus sign", "np.exp(z) instead of np.exp(-z)", """
def sigmoid(z):
    return 1 / (1 + np.exp(z))
"""),
        Mistake("math.exp on an array", "use np.exp", """
import math
def sigmoid(z):
    return 1 / (1 + math.exp(-z))
"""),
        Mistake("operator precedence", "left out parentheses", """
def sigmoid(z):
    return 1 / 1 + np.exp(-z)
"""),
    ],
    "initialize_with_zeros": [
        Mistake("w as a 1-D array", "1-D (rank-1)", """
def initialize_with_zeros(dim):
    return np.zeros(dim), 0.0
"""),
        Mistake("w as a row", "looks transposed", """
def initialize_with_zeros(dim):
    return np.zeros((1, dim)), 0.0
"""),
        Mistake("b as an array", "holding one number", """
def initialize_with_zeros(dim):
    return np.zeros((dim, 1)), np.zeros((1, 1))
"""),
        Mistake("integer zeros", "should hold floats", """
def initialize_with_zeros(dim):
    return np.zeros((dim, 1), dtype=int), 0.0
"""),
        Mistake("b = 0, an int", "b should be a Python float, but it is an int", """
def initialize_with_zeros(dim):
    w = np.zeros((dim, 1))
    b = 0
    return w, b
"""),
        Mistake("b as a numpy float", "wrap the result with float", """
def initialize_with_zeros(dim):
    return np.zeros((dim, 1)), np.float64(0)
"""),
    ],
    "propagate": [
        Mistake("dw without 1/m", "forgot the 1/m in dw", _propagate(dw="np.dot(X, (A - Y).T)")),
        Mistake("db without 1/m", "forgot the 1/m in db", _propagate(db="float(np.sum(A - Y))")),
        Mistake("dw transposed", "looks transposed", _propagate(dw="np.dot(A - Y, X.T) / m")),
        Mistake("cost without the minus sign", "left out the minus sign",
                _propagate(cost="float(np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m)")),
        Mistake("cost without the mean", "without dividing by m",
                _propagate(cost="float(-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)))")),
        Mistake("db summed over the wrong axis", "check the axis",
                _propagate(db="np.sum(A - Y, axis=0) / m")),
        Mistake("cost left as a 1x1 array", "holding one number",
                _propagate(cost="-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A), axis=1, "
                                "keepdims=True) / m")),
        Mistake("dw with the wrong sign", "used Y - A instead of A - Y, or added a minus sign",
                _propagate(dw="X @ (Y - A).T / m")),
        Mistake("db with the wrong sign", "used Y - A instead of A - Y, or added a minus sign",
                _propagate(db="float(np.sum(Y - A) / m)")),
        Mistake("cost as a numpy number", "cost should be a Python float",
                _propagate(cost="-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))")),
        Mistake("db as a numpy number", "db should be a Python float",
                _propagate(db="np.sum(A - Y) / m")),
        Mistake("returns (cost, grads)", "returned its values in the wrong order",
                _propagate().replace("return grads, cost", "return cost, grads")),
    ],
    "optimize": [
        Mistake("+ instead of -", "updated with + instead of -", _optimize("""
grads, cost = propagate(w, b, X, Y)
w = w + learning_rate * grads["dw"]
b = b + learning_rate * grads["db"]
""")),
        Mistake("b never updated", "did not update b", _optimize("""
grads, cost = propagate(w, b, X, Y)
w = w - learning_rate * grads["dw"]
""")),
        Mistake("no learning rate", "multiply the gradient by the learning rate", _optimize("""
grads, cost = propagate(w, b, X, Y)
w = w - grads["dw"]
b = b - grads["db"]
""")),
        Mistake("w never updated", "did not update w", _optimize("""
grads, cost = propagate(w, b, X, Y)
b = b - learning_rate * grads["db"]
""")),
        Mistake("unpacks cost, grads", "write grads, cost = propagate(w, b, X, Y)", _optimize("""
cost, grads = propagate(w, b, X, Y)
w = w - learning_rate * grads["dw"]
b = b - learning_rate * grads["db"]
""")),
        Mistake("hard-coded learning rate", "instead of the argument learning_rate",
                _optimize("""
grads, cost = propagate(w, b, X, Y)
w = w - 0.009 * grads["dw"]
b = b - 0.009 * grads["db"]
""")),
    ],
    "predict": [
        Mistake("forgot the bias", "forgot to add the bias b", """
def predict(w, b, X):
    A = sigmoid(np.dot(w.T, X))
    return (A > 0.5).astype(int)
"""),
        Mistake("threshold 0 on the activation", "compared the activation with 0 instead", """
def predict(w, b, X):
    A = sigmoid(np.dot(w.T, X) + b)
    return (A > 0).astype(int)
"""),
        Mistake("threshold 0.5 on z", "compared z = w.T X + b with 0.5", """
def predict(w, b, X):
    Z = np.dot(w.T, X) + b
    return (Z > 0.5).astype(int)
"""),
        Mistake("returns booleans", "but they are booleans: convert with .astype(int)", """
def predict(w, b, X):
    return sigmoid(np.dot(w.T, X) + b) > 0.5
"""),
        Mistake("returns floats", "but they are floats (float64): convert with .astype(int)", """
def predict(w, b, X):
    A = sigmoid(np.dot(w.T, X) + b)
    return (A > 0.5).astype(float)
"""),
        Mistake("1-D result from a loop", "1-D (rank-1)", """
def predict(w, b, X):
    A = sigmoid(np.dot(w.T, X) + b)
    Y_prediction = np.zeros(X.shape[1])
    for i in range(X.shape[1]):
        Y_prediction[i] = 1.0 if A[0, i] > 0.5 else 0.0
    return Y_prediction
"""),
    ],
    "model": [
        Mistake("trains on the test set", "trained on the test set", _model("""
w, b = initialize_with_zeros(X_test.shape[0])
params, grads, costs = optimize(w, b, X_test, Y_test, num_iterations, learning_rate)
w, b = params["w"], params["b"]
Y_prediction_test = predict(w, b, X_test)
Y_prediction_train = predict(w, b, X_train)
""")),
        Mistake("optimize's defaults", "used its own defaults", _model("""
w, b = initialize_with_zeros(X_train.shape[0])
params, grads, costs = optimize(w, b, X_train, Y_train)
w, b = params["w"], params["b"]
Y_prediction_test = predict(w, b, X_test)
Y_prediction_train = predict(w, b, X_train)
""")),
        Mistake("predictions swapped", 'Y_prediction_train"] has shape (1, 5)', _model("""
w, b = initialize_with_zeros(X_train.shape[0])
params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate)
w, b = params["w"], params["b"]
Y_prediction_test = predict(w, b, X_train)
Y_prediction_train = predict(w, b, X_test)
""")),
        Mistake("predicts with the initial parameters", "kept the initial w and b", _model("""
w, b = initialize_with_zeros(X_train.shape[0])
params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate)
Y_prediction_test = predict(w, b, X_test)
Y_prediction_train = predict(w, b, X_train)
""")),
        Mistake("unpacks optimize in the wrong order", "optimize returns (params, grads, costs)",
                _model("""
w, b = initialize_with_zeros(X_train.shape[0])
grads, params, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate)
w, b = params["w"], params["b"]
Y_prediction_test = predict(w, b, X_test)
Y_prediction_train = predict(w, b, X_train)
""")),
        Mistake("unpacks optimize's costs as params", "optimize returns (params, grads, costs)",
                _model("""
w, b = initialize_with_zeros(X_train.shape[0])
costs, grads, params = optimize(w, b, X_train, Y_train, num_iterations, learning_rate)
w, b = params["w"], params["b"]
Y_prediction_test = predict(w, b, X_test)
Y_prediction_train = predict(w, b, X_train)
""")),
        Mistake("print_cost where learning_rate goes", "the costs then stay flat",
                _model_calling("optimize(w, b, X_train, Y_train, num_iterations, print_cost)")),
        Mistake("model's default learning rate, not the argument", "fall too slowly",
                _model_calling("optimize(w, b, X_train, Y_train, num_iterations, 0.05)")),
        Mistake("one weight per example", "shapes", _model("""
w, b = initialize_with_zeros(X_train.shape[1])
params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate)
w, b = params["w"], params["b"]
Y_prediction_test = predict(w, b, X_test)
Y_prediction_train = predict(w, b, X_train)
""")),
    ],
}

ALTERNATIVES = {
    "dataset_dimensions": [
        Alternative("len()", """
def dataset_dimensions(train_x, test_x):
    return len(train_x), len(test_x), train_x.shape[2]
"""),
        Alternative("unpacking the shape", """
def dataset_dimensions(train_x, test_x):
    m_train, num_px, _, _ = train_x.shape
    return int(m_train), int(test_x.shape[0]), int(num_px)
"""),
    ],
    "flatten": [
        Alternative("rows then transpose, explicit size", """
def flatten(x):
    return x.reshape(x.shape[0], np.prod(x.shape[1:])).T
"""),
        Alternative("one column per image, stacked", """
def flatten(x):
    return np.stack([image.ravel() for image in x], axis=1)
"""),
    ],
    "standardize": [
        Alternative("astype then divide", """
def standardize(x_flat):
    return x_flat.astype(np.float64) / 255
"""),
        Alternative("multiply by the reciprocal", """
def standardize(x_flat):
    return x_flat * (1 / 255)
"""),
    ],
    "sigmoid": [
        Alternative("through tanh", """
def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))
"""),
        Alternative("np.reciprocal", """
def sigmoid(z):
    return np.reciprocal(1 + np.exp(-z))
"""),
    ],
    "initialize_with_zeros": [
        Alternative("reshape a 1-D array", """
def initialize_with_zeros(dim):
    return np.zeros(dim).reshape(dim, 1), float(0)
"""),
        Alternative("np.full", """
def initialize_with_zeros(dim):
    w = np.full((dim, 1), 0.0)
    b = 0.
    return w, b
"""),
    ],
    "propagate": [
        Alternative("@ and np.mean", _propagate(
            cost="float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))",
            dw="X @ (A - Y).T / m", db="np.mean(A - Y).item()")),
        Alternative("cost with dot products", _propagate(
            cost="float(-(np.dot(np.log(A), Y.T) + np.dot(np.log(1 - A), (1 - Y).T))[0, 0] / m)",
            dw="(1 / m) * np.dot(X, (A - Y).T)", db="(1 / m) * float(np.sum(A - Y))")),
        Alternative("a loop for the cost", _propagate(
            cost="-sum(float(Y[0, i] * np.log(A[0, i]) + (1 - Y[0, i]) * np.log(1 - A[0, i])) "
                 "for i in range(m)) / m")),
    ],
    "optimize": [
        Alternative("in-place updates on the copy", _optimize("""
grads, cost = propagate(w, b, X, Y)
w -= learning_rate * grads["dw"]
b -= learning_rate * grads["db"]
""")),
        Alternative("unpacked gradients", _optimize("""
grads, cost = propagate(w, b, X, Y)
dw = grads["dw"]
db = grads["db"]
w, b = w - learning_rate * dw, b - learning_rate * db
""")),
    ],
    "predict": [
        Alternative("np.where", """
def predict(w, b, X):
    A = sigmoid(w.T @ X + b)
    return np.where(A > 0.5, 1, 0)
"""),
        Alternative("a loop over the examples", """
def predict(w, b, X):
    m = X.shape[1]
    Y_prediction = np.zeros((1, m), dtype=int)
    A = sigmoid(np.dot(w.T, X) + b)
    for i in range(m):
        Y_prediction[0, i] = 1 if A[0, i] > 0.5 else 0
    return Y_prediction
"""),
    ],
    "model": [
        Alternative("keyword arguments", _model("""
w, b = initialize_with_zeros(dim=X_train.shape[0])
params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations=num_iterations,
                                learning_rate=learning_rate, print_cost=print_cost)
w = params["w"]
b = params["b"]
Y_prediction_train = predict(w, b, X_train)
Y_prediction_test = predict(w, b, X_test)
""")),
        Alternative("positional", _model("""
params, grads, costs = optimize(*initialize_with_zeros(len(X_train)), X_train, Y_train,
                                num_iterations, learning_rate, print_cost)
w, b = params["w"], params["b"]
Y_prediction_test, Y_prediction_train = predict(w, b, X_test), predict(w, b, X_train)
""")),
    ],
}
