"""Week 1: catalogued student mistakes and alternative correct answers, per graded function."""

from support.notebook_harness import Alternative, Mistake

NOTEBOOK = "week1/numpy_basics.ipynb"

MISTAKES = {
    "basic_sigmoid": [
        Mistake("exponent without the minus sign", "math.exp(x) instead of math.exp(-x)", """
def basic_sigmoid(x):
    return 1 / (1 + math.exp(x))
"""),
        Mistake("one minus the sigmoid", "or computed 1 - sigmoid(x)", """
def basic_sigmoid(x):
    return math.exp(-x) / (1 + math.exp(-x))
"""),
        Mistake("minus in the denominator", "subtracted math.exp(-x) in the denominator", """
def basic_sigmoid(x):
    return 1 / (1 - math.exp(-x))
"""),
        Mistake("operator precedence", "either 1/ is missing, or parentheses are", """
def basic_sigmoid(x):
    s = 1 / 1 + math.exp(-x)
    return s
"""),
        Mistake("returns the denominator", "returned the denominator", """
def basic_sigmoid(x):
    return 1 + math.exp(-x)
"""),
        Mistake("no 1 + in the denominator", "left out the 1+ in the denominator", """
def basic_sigmoid(x):
    return 1 / math.exp(-x)
"""),
        Mistake("result stored under another name", "is not defined", """
def basic_sigmoid(x):
    sig = 1 / (1 + math.exp(-x))
    return s
"""),
        Mistake("no return statement", "missing `return`", """
def basic_sigmoid(x):
    s = 1 / (1 + math.exp(-x))
"""),
        Mistake("returns an array holding the number", "array holding one number", """
def basic_sigmoid(x):
    return np.array([1 / (1 + math.exp(-x))])
"""),
    ],
    "sigmoid": [
        Mistake("math.exp on an array", "use np.exp", """
def sigmoid(x):
    return 1 / (1 + math.exp(-x))
"""),
        Mistake("exponent without the minus sign", "np.exp(x) instead of np.exp(-x)", """
def sigmoid(x):
    return 1 / (1 + np.exp(x))
"""),
        Mistake("operator precedence", "either 1/ is missing, or parentheses are", """
def sigmoid(x):
    return 1 / 1 + np.exp(-x)
"""),
        Mistake("minus in the denominator", "subtracted np.exp(-x) in the denominator", """
def sigmoid(x):
    return 1 / (1 - np.exp(-x))
"""),
        Mistake("negates the input in place", "in place", """
def sigmoid(x):
    x *= -1
    return 1 / (1 + np.exp(x))
"""),
        Mistake("python list comprehension returns a list", "should be an ndarray", """
def sigmoid(x):
    return [1 / (1 + math.exp(-v)) for v in x]
"""),
        Mistake("loop into an array of the input's integer dtype", "should hold floats", """
def sigmoid(x):
    s = np.empty_like(x)
    for index, value in np.ndenumerate(x):
        s[index] = 1 / (1 + math.exp(-value))
    return s
"""),
    ],
    "sigmoid_derivative": [
        Mistake("forgets to apply the sigmoid", "apply the sigmoid first", """
def sigmoid_derivative(x):
    return x * (1 - x)
"""),
        Mistake("plus instead of minus", "s*(1+s) instead of s*(1-s)", """
def sigmoid_derivative(x):
    s = sigmoid(x)
    return s * (1 + s)
"""),
        Mistake("tanh derivative", "derivative of tanh", """
def sigmoid_derivative(x):
    s = sigmoid(x)
    return 1 - s ** 2
"""),
        Mistake("tanh derivative, factored", "(1-s)*(1+s)", """
def sigmoid_derivative(x):
    s = sigmoid(x)
    return (1 - s) * (1 + s)
"""),
        Mistake("mixes x and s", "instead of 1-sigmoid(x)", """
def sigmoid_derivative(x):
    return sigmoid(x) * (1 - x)
"""),
        Mistake("returns the sigmoid itself", "returned s = sigmoid(x) itself", """
def sigmoid_derivative(x):
    s = sigmoid(x)
    return s
"""),
        Mistake("sign flipped", "sign is flipped", """
def sigmoid_derivative(x):
    s = sigmoid(x)
    return s * (s - 1)
"""),
    ],
    "image2vector": [
        Mistake("flattens to 1-D", "1-D (rank-1) array: reshape it to (18, 1)", """
def image2vector(image):
    return image.reshape(-1)
"""),
        Mistake("row vector", "transposed", """
def image2vector(image):
    return image.reshape(1, -1)
"""),
        Mistake("keeps the channel axis", "reshape the result to (18, 1)", """
def image2vector(image):
    return image.reshape(image.shape[0] * image.shape[1], image.shape[2])
"""),
        Mistake("transposes before flattening", "column-major order", """
def image2vector(image):
    return image.T.reshape(-1, 1)
"""),
        Mistake("Fortran order", "column-major order", """
def image2vector(image):
    return image.reshape(-1, 1, order="F")
"""),
        Mistake("hard-codes the example's size", "instead of writing fixed numbers", """
def image2vector(image):
    return image.reshape(18, 1)
"""),
        Mistake("hard-codes three channels", "instead of writing fixed numbers", """
def image2vector(image):
    return image.reshape(image.shape[0] * image.shape[1] * 3, 1)
"""),
        Mistake("reshapes the caller's image in place", "in place", """
def image2vector(image):
    image.shape = (image.size, 1)
    return image
"""),
    ],
    "normalize_rows": [
        Mistake("column norms", "normalised the columns (axis=0)", """
def normalize_rows(x):
    return x / np.linalg.norm(x, axis=0, keepdims=True)
"""),
        Mistake("no square root", "squared norm", """
def normalize_rows(x):
    return x / np.sum(x ** 2, axis=1, keepdims=True)
"""),
        Mistake("no keepdims", "keepdims=True", """
def normalize_rows(x):
    return x / np.linalg.norm(x, axis=1)
"""),
        Mistake("norm of the whole matrix", "norm of the whole matrix", """
def normalize_rows(x):
    return x / np.linalg.norm(x)
"""),
        Mistake("L1 norm of the rows", "sum of absolute values", """
def normalize_rows(x):
    return x / np.sum(np.abs(x), axis=1, keepdims=True)
"""),
        Mistake("divides in place", "in place", """
def normalize_rows(x):
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x
"""),
    ],
    "softmax": [
        Mistake("no shift: overflows", "subtract each row's own maximum", """
def softmax(x):
    e = np.exp(x)
    return e / np.sum(e, axis=1, keepdims=True)
"""),
        Mistake("shifts by the global maximum: underflows", "each row's own maximum", """
def softmax(x):
    e = np.exp(x - np.max(x))
    return e / np.sum(e, axis=1, keepdims=True)
"""),
        Mistake("sum over the columns", "summed over the columns (axis=0)", """
def softmax(x):
    e = np.exp(x - np.max(x, axis=1, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)
"""),
        Mistake("softmax of each column", "softmax of each column", """
def softmax(x):
    e = np.exp(x - np.max(x, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)
"""),
        Mistake("sum of the whole matrix", "sum of the whole matrix", """
def softmax(x):
    e = np.exp(x - np.max(x, axis=1, keepdims=True))
    return e / np.sum(e)
"""),
        Mistake("softmax of the whole matrix", "softmax of the whole matrix", """
def softmax(x):
    e = np.exp(x - np.max(x))
    return e / np.sum(e)
"""),
        Mistake("no keepdims on the sum", "keepdims=True", """
def softmax(x):
    e = np.exp(x - np.max(x, axis=1, keepdims=True))
    return e / np.sum(e, axis=1)
"""),
        Mistake("no keepdims on the maximum", "keepdims=True", """
def softmax(x):
    e = np.exp(x - np.max(x, axis=1))
    return e / np.sum(e, axis=1, keepdims=True)
"""),
        Mistake("shifts the caller's scores in place", "in place", """
def softmax(x):
    x -= np.max(x, axis=1, keepdims=True)
    e = np.exp(x)
    return e / np.sum(e, axis=1, keepdims=True)
"""),
    ],
    "L1": [
        Mistake("mean instead of sum", "mean instead of the sum", """
def L1(yhat, y):
    return np.mean(np.abs(y - yhat))
"""),
        Mistake("no absolute value", "without the absolute value", """
def L1(yhat, y):
    return np.sum(y - yhat)
"""),
        Mistake("no absolute value, yhat - y", "yhat - y without the absolute value", """
def L1(yhat, y):
    return np.sum(yhat - y)
"""),
        Mistake("absolute value of the sum", "absolute value of the sum", """
def L1(yhat, y):
    return abs(np.sum(y - yhat))
"""),
        Mistake("squares instead of absolute values", "that is L2", """
def L1(yhat, y):
    return np.sum((y - yhat) ** 2)
"""),
        Mistake("no sum: returns an array", "forget to sum", """
def L1(yhat, y):
    return np.abs(y - yhat)
"""),
        Mistake("keepdims: an array holding the loss", "array holding one number", """
def L1(yhat, y):
    return np.sum(np.abs(y - yhat), keepdims=True)
"""),
        Mistake("subtracts in place", "in place", """
def L1(yhat, y):
    y -= yhat
    return np.sum(np.abs(y))
"""),
    ],
    "L2": [
        Mistake("euclidean norm", "square root", """
def L2(yhat, y):
    return np.linalg.norm(y - yhat)
"""),
        Mistake("mean instead of sum", "mean instead of the sum", """
def L2(yhat, y):
    return np.mean((y - yhat) ** 2)
"""),
        Mistake("absolute values instead of squares", "that is L1", """
def L2(yhat, y):
    return np.sum(np.abs(y - yhat))
"""),
        Mistake("square of the sum", "squared the sum", """
def L2(yhat, y):
    return np.sum(y - yhat) ** 2
"""),
        Mistake("no square", "without squaring", """
def L2(yhat, y):
    return np.sum(y - yhat)
"""),
        Mistake("no sum: returns an array", "forget to sum", """
def L2(yhat, y):
    return (y - yhat) ** 2
"""),
        Mistake("row times column: a (1, 1) array", "array holding one number", """
def L2(yhat, y):
    d = (y - yhat).reshape(1, -1)
    return np.dot(d, d.T)
"""),
    ],
}

ALTERNATIVES = {
    "basic_sigmoid": [
        Alternative("exp(x) / (1 + exp(x))", """
def basic_sigmoid(x):
    return math.exp(x) / (1 + math.exp(x))
"""),
        Alternative("through tanh", """
def basic_sigmoid(x):
    return 0.5 * (1 + math.tanh(x / 2))
"""),
        Alternative("numpy on a scalar (a numpy float)", """
def basic_sigmoid(x):
    return 1 / (1 + np.exp(-x))
"""),
    ],
    "sigmoid": [
        Alternative("np.reciprocal", """
def sigmoid(x):
    return np.reciprocal(1 + np.exp(-x))
"""),
        Alternative("through tanh", """
def sigmoid(x):
    return 0.5 * (1 + np.tanh(0.5 * x))
"""),
        Alternative("np.divide with a new array", """
def sigmoid(x):
    denominator = np.exp(-x) + 1.0
    return np.divide(1.0, denominator)
"""),
        Alternative("loop into a float array", """
def sigmoid(x):
    s = np.empty(x.shape)
    for index, value in np.ndenumerate(x):
        s[index] = 1 / (1 + math.exp(-value))
    return s
"""),
    ],
    "sigmoid_derivative": [
        Alternative("s - s**2", """
def sigmoid_derivative(x):
    s = sigmoid(x)
    return s - s ** 2
"""),
        Alternative("from the exponential", """
def sigmoid_derivative(x):
    e = np.exp(-x)
    return e / (1 + e) ** 2
"""),
        Alternative("sigmoid(x) * sigmoid(-x)", """
def sigmoid_derivative(x):
    return sigmoid(x) * sigmoid(-x)
"""),
    ],
    "image2vector": [
        Alternative("explicit size", """
def image2vector(image):
    return image.reshape(image.shape[0] * image.shape[1] * image.shape[2], 1)
"""),
        Alternative("ravel then new axis", """
def image2vector(image):
    return image.ravel()[:, np.newaxis]
"""),
        Alternative("np.reshape with image.size", """
def image2vector(image):
    return np.reshape(image, (image.size, 1))
"""),
        Alternative("flatten then reshape", """
def image2vector(image):
    return image.flatten().reshape(-1, 1)
"""),
    ],
    "normalize_rows": [
        Alternative("square root of the sum of squares", """
def normalize_rows(x):
    return x / np.sqrt(np.sum(x * x, axis=1, keepdims=True))
"""),
        Alternative("loop over the rows", """
def normalize_rows(x):
    out = np.empty_like(x, dtype=float)
    for i in range(x.shape[0]):
        out[i] = x[i] / np.sqrt(np.dot(x[i], x[i]))
    return out
"""),
        Alternative("norm reshaped to a column", """
def normalize_rows(x):
    return x / np.linalg.norm(x, axis=1).reshape(-1, 1)
"""),
        Alternative("divides a copy in place", """
def normalize_rows(x):
    out = x.copy()
    out /= np.linalg.norm(out, axis=1, keepdims=True)
    return out
"""),
    ],
    "softmax": [
        Alternative("log-sum-exp", """
def softmax(x):
    shifted = x - x.max(axis=1, keepdims=True)
    return np.exp(shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True)))
"""),
        Alternative("loop over the rows", """
def softmax(x):
    out = np.empty(x.shape)
    for i, row in enumerate(x):
        e = np.exp(row - row.max())
        out[i] = e / e.sum()
    return out
"""),
        Alternative("new axis instead of keepdims", """
def softmax(x):
    e = np.exp(x - np.max(x, axis=1)[:, None])
    return e / e.sum(axis=1)[:, None]
"""),
    ],
    "L1": [
        Alternative("a loop", """
def L1(yhat, y):
    total = 0.0
    for a, b in zip(yhat, y):
        total += abs(b - a)
    return total
"""),
        Alternative("np.linalg.norm with ord=1", """
def L1(yhat, y):
    return np.linalg.norm(y - yhat, ord=1)
"""),
        Alternative("abs of yhat - y", """
def L1(yhat, y):
    return float(np.abs(yhat - y).sum())
"""),
    ],
    "L2": [
        Alternative("sum of squares", """
def L2(yhat, y):
    return np.sum((y - yhat) ** 2)
"""),
        Alternative("squared norm", """
def L2(yhat, y):
    return np.linalg.norm(y - yhat) ** 2
"""),
        Alternative("@ operator", """
def L2(yhat, y):
    d = yhat - y
    return d @ d
"""),
        Alternative("(1, 1) product turned into a number", """
def L2(yhat, y):
    d = (y - yhat).reshape(1, -1)
    return np.dot(d, d.T).item()
"""),
    ],
}
