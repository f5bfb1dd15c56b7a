"""Week 4 (a deep network): a whole cache or the list of caches passed on, an index one past
the end, a layer count without // 2, a loop from layer 0, a helper without `return`, the
linear cache forgotten, a missing transpose, a call without its activation."""

from functools import partial

from support.raw_mistakes import RawMistake, variant

NOTEBOOK = "week4/deep_neural_network.ipynb"
answer = partial(variant, NOTEBOOK)
# A helper of the student's own, in the answer cell, that forgets to return what it computed.
HELPER_WITHOUT_RETURN = '''
def forward_layer(A, parameters, layer, activation):
    W, b = parameters[f"W{layer}"], parameters[f"b{layer}"]
    A, cache = linear_activation_forward(A, W, b, activation)


def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for layer in range(1, L):
        A, cache = forward_layer(A, parameters, layer, "relu")
        caches.append(cache)
    AL, cache = forward_layer(A, parameters, L, "sigmoid")
    caches.append(cache)
    return AL, caches
'''

RAW = {
    "linear_activation_backward": [
        RawMistake("passes the whole cache to linear_backward",
                   "linear_backward: A_prev, W, b = cache",
                   "linear_backward was given a cache of 2 values; it unpacks 3: check what "
                   "linear_activation_backward passes as cache",
                   answer("linear_activation_backward", ("(dZ, linear_cache)", "(dZ, cache)"))),
    ],
    "L_model_backward": [
        RawMistake("passes the list of caches",
                   "linear_activation_backward: linear_cache, activation_cache = cache",
                   "linear_activation_backward was given a cache of 3 values; it unpacks 2: "
                   "check what L_model_backward passes as cache",
                   answer("L_model_backward", ("caches[layer - 1]", "caches"))),
        RawMistake("caches[layer] for layer L",
                   "L_model_backward: dA, dW, db = linear_activation_backward(dA, caches[lay",
                   "indices start at 0: the last of the 3 items is caches[2].",
                   answer("L_model_backward", ("caches[layer - 1]", "caches[layer]"))),
    ],
    "update_parameters": [
        RawMistake("number of layers without // 2",
                   'update_parameters: parameters[f"W{layer}"] = params[f"W{layer}"]',
                   "params ends at W3: check where the loop's range stops.",
                   answer("update_parameters", ("len(params) // 2", "len(params)"))),
    ],
    "L_model_forward": [
        RawMistake("loop from layer 0",
                   'L_model_forward: W, b = parameters[f"W{layer}"], parameters[f"b{layer}"]',
                   "parameters starts at W1: check where the loop's range starts",
                   answer("L_model_forward", ("range(1, L)", "range(L - 1)"))),
        RawMistake("a helper without its return line",
                   'L_model_forward: A, cache = forward_layer(A, parameters, layer, "relu")',
                   "forward_layer returned None: does it end with a `return` line?",
                   HELPER_WITHOUT_RETURN),
    ],
    "linear_activation_forward": [  # relu's own message says it all
        RawMistake("forgets linear_forward's cache",
                   "linear_activation_forward: A, activation_cache = relu(Z)", None,
                   answer("linear_activation_forward", ("Z, linear_cache =", "Z ="))),
    ],
    "linear_backward": [
        RawMistake("W not transposed", "linear_backward: dA_prev = np.dot(W, dZ)",
                   "W.T would fit (shape (4, 3)): is a transpose missing?",
                   answer("linear_backward", ("np.dot(W.T, dZ)", "np.dot(W, dZ)"))),
    ],
    "two_layer_model": [
        RawMistake("linear_activation_forward without its activation",
                   'two_layer_model: A1, cache1 = linear_activation_forward(X, parameters["W',
                   "linear_activation_forward takes (A_prev, W, b, activation)",
                   answer("two_layer_model", ('parameters["b1"], "relu")', 'parameters["b1"])'))),
    ],
}
