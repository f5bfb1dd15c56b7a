"""Week 3 (a planar classifier): randn given a tuple, a key in the wrong case, float() of a cost
summed along one axis, a missing transpose, a call with the arguments swapped or one missing,
.shape called like a method."""

from functools import partial

from support.raw_mistakes import RawMistake, variant

NOTEBOOK = "week3/planar_classification.ipynb"
answer = partial(variant, NOTEBOOK)

RAW = {
    "initialize_parameters": [
        RawMistake("randn given a tuple",
                   "initialize_parameters: W1 = np.random.randn((n_h, n_x)) * 0.01",
                   "np.random.randn takes the sizes one by one, not as a tuple: "
                   "np.random.randn(n_h, n_x).",
                   answer("initialize_parameters", ("randn(n_h, n_x)", "randn((n_h, n_x))"))),
    ],
    "forward_propagation": [
        RawMistake("lower-case key", 'forward_propagation: W1 = parameters["w1"]',
                   "did you mean 'W1'?",
                   answer("forward_propagation", ('parameters["W1"]', 'parameters["w1"]'))),
    ],
    "compute_cost": [
        RawMistake("float() of a cost summed along axis 0", "compute_cost: cost = float(cost)",
                   "cost is an array of shape (5,) (5 numbers), and float() takes one: np.sum "
                   "or np.mean without axis",
                   answer("compute_cost", ("cost = float(-np.sum(logprobs) / m)",
                                           "cost = -np.sum(logprobs, axis=0) / m\n"
                                           "    cost = float(cost)"))),
    ],
    "backward_propagation": [
        RawMistake("X not transposed in dW1", "backward_propagation: dW1 = np.dot(dZ1, X) / m",
                   "X.T would fit (shape (5, 2)): is a transpose missing?",
                   answer("backward_propagation", ("np.dot(dZ1, X.T)", "np.dot(dZ1, X)"))),
    ],
    "nn_model": [
        RawMistake("update_parameters(grads, parameters)",
                   'update_parameters: W1 = parameters["W1"] - learning_rate * grads["dW1"]',
                   "update_parameters passed its test: first check the arguments that "
                   "nn_model passes",
                   answer("nn_model", ("update_parameters(parameters, grads)",
                                       "update_parameters(grads, parameters)"))),
        RawMistake("forward_propagation without the parameters",
                   "nn_model: A2, cache = forward_propagation(X)",
                   "forward_propagation takes (X, parameters)",
                   answer("nn_model", ("forward_propagation(X, parameters)",
                                       "forward_propagation(X)"))),
    ],
    "predict": [
        RawMistake("forward_propagation(parameters, X)",
                   'forward_propagation: W1 = parameters["W1"]',
                   "forward_propagation passed its test: first check the arguments that "
                   "predict passes",
                   answer("predict", ("forward_propagation(X, parameters)",
                                      "forward_propagation(parameters, X)"))),
    ],
    "layer_sizes": [
        RawMistake("X.shape called like a method", "layer_sizes: n_x = X.shape(0)",
                   "X.shape is a tuple: index it with square brackets, X.shape[0].",
                   answer("layer_sizes", ("X.shape[0]", "X.shape(0)"))),
    ],
}
