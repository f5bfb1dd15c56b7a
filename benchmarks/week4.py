"""Week 4 in numbers: the deep reference networks' accuracy, and one training step against PyTorch.

    .venv/bin/python benchmarks/week4.py [--data ../shared/reference-data/catvnoncat]
        [--profile] [--threads 1 2] [--repeats 60] [--skip accuracy speed run-all]

Accuracy: the reference two_layer_model [n_x, 7, 1] and L_layer_model [n_x, 20, 7, 5, 1], read
from source/week4/deep_neural_network.ipynb, on the shipped coats-and-shirts data prepared and
trained as in the notebook (pixels / 255, centred; its learning rates and iterations), next to
the notebook's logistic-regression baseline; with --data (the folder of the original
train_catvnoncat.h5 / test_catvnoncat.h5), on the cat pictures at the original course's settings
(pixels / 255, learning rate 0.0075, 2500 iterations) next to its published 72 % and 80 % test
accuracy.
np.random.seed(1) before each model.

Speed: one training step (forward, cost, backward, update) of the reference [12288, 20, 7, 5, 1]
network on the 209 cat pictures (without --data: 209 random 64x64x3 pictures, prepared the same
way), against the same step in PyTorch on the CPU: float64, same data, same weights, in this
process; once with the input gradient dA0 (X a leaf that requires grad: the work the reference
does, since L_model_backward returns dA0), once without, and once in float32 (for reference:
not the same work). The candidate changes of CANDIDATES below are measured too, each in place
of the reference's function. Variants run interleaved, rotating their order each round; medians
of wall and CPU time are printed, and ratios as medians of per-round ratios. CPU time is the
steadier figure on a shared machine with one thread; with more threads it also counts helper
threads, spinning included. Both libraries are pinned to the same number of threads
(threadpoolctl and torch.set_num_threads; default 1). --profile adds the time of each block of
the numpy step and PyTorch's own profile of its step.

PyTorch is optional (`pip install -e .[bench]`); without it the comparison is skipped.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import importlib.util
import io
import os
import sys
import time
import types
from functools import partial
from pathlib import Path

import numpy as np

from autograder.hidden.reference import read_notebook, reference, source_dir
from utils.baselines import logistic_regression_baseline
from utils.data import load_dataset

NOTEBOOK = "week4/deep_neural_network.ipynb"
HIDDEN = {"2-layer": [7], "4-layer": [20, 7, 5]}  # layers_dims = [n_x, *HIDDEN[model], 1]
SEED = 1                                          # np.random.seed before each initialisation
CAT = {"learning_rate": 0.0075, "num_iterations": 2500}  # the original course's settings
BASELINE_L2 = [1e-4, 1e-3, 1e-2]   # the notebook's choices for the logistic-regression baseline
BASELINE_VALIDATION = 500          # last training images, held out to choose l2
BASELINE_TOL = 1e-6                # the notebook's tolerance for Newton's method
# Published figures of the original course on the cat pictures (train / test accuracy, %).
PUBLISHED_CAT = {"2-layer": {"train": 100.0, "test": 72.0},
                 "4-layer": {"train": 98.6, "test": 80.0}}
SPEED_DIMS = [12288, 20, 7, 5, 1]

# Other versions of the reference's linear_backward, each measured side by side with it (the
# speed table and --profile). Each is a whole function: the other reference functions are used as
# written and call it. All keep the course's data preparation
# `train_x_orig.reshape(train_x_orig.shape[0], -1).T / 255`, whose X is in Fortran (column) order.
# The reference adopted B (dZ / m before the product); "straightforward" is the version before.
CANDIDATES = {
    "dW = np.dot(dZ, A_prev.T) / m": '''
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = np.dot(dZ, A_prev.T) / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db
''',
    "A: dA_prev = np.dot(dZ.T, W).T": '''
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = np.dot(dZ / m, A_prev.T)
    db = np.sum(dZ, axis=1, keepdims=True) / m
    # W.T dZ computed as (dZ.T W).T: the same numbers, stored column by column like X
    # (what PyTorch's autograd does for a column-major input)
    dA_prev = np.dot(dZ.T, W).T
    return dA_prev, dW, db
''',
}


def prepare(images):
    """Images (m, h, w, c) uint8 -> X (n_x, m) float64 in [0, 1], as the notebook prepares them."""
    return images.reshape(images.shape[0], -1).T / 255


def layout(array) -> str:
    if array.flags.c_contiguous and array.flags.f_contiguous:
        return "C/F"
    return "C" if array.flags.c_contiguous else "F" if array.flags.f_contiguous else "strided"


# ---------------------------------------------------------------------------------------------
# accuracy


def prepare_data(name: str = "fashion", data_dir=None):
    """X_train, Y_train, X_test, Y_test as the notebook (fashion) or the original course prepares
    them: flattened to (n_x, m), divided by 255; the notebook also centres its inputs."""
    train_x, train_y, test_x, test_y, _ = load_dataset(name, data_dir=data_dir)
    X_train, X_test = prepare(train_x), prepare(test_x)
    if name == "fashion":  # the notebook subtracts the mean training image
        mean_image = X_train.mean(axis=1, keepdims=True)
        X_train, X_test = X_train - mean_image, X_test - mean_image
    return X_train, train_y, X_test, test_y


def notebook_settings() -> dict:
    """The learning rate and number of iterations with which the notebook trains each model on
    the shipped data: the keywords of its calls two_layer_model(train_x, ...) and
    L_layer_model(train_x, ...), e.g. {"2-layer": {"learning_rate": 0.1, ...}, ...}."""
    models = {"two_layer_model": "2-layer", "L_layer_model": "4-layer"}
    settings = {}
    for cell in read_notebook(NOTEBOOK).cells:
        try:
            tree = ast.parse(cell.source) if cell.cell_type == "code" else None
        except SyntaxError:  # e.g. a cell with IPython magics
            continue
        for node in ast.walk(tree) if tree else ():
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in models and node.args
                    and isinstance(node.args[0], ast.Name) and node.args[0].id == "train_x"):
                settings[models[node.func.id]] = {
                    k.arg: ast.literal_eval(k.value) for k in node.keywords
                    if k.arg in ("learning_rate", "num_iterations")}
    if set(settings) != set(HIDDEN):
        raise RuntimeError(f"source/{NOTEBOOK} has no cell calling two_layer_model(train_x, ...) "
                           f"and L_layer_model(train_x, ...): found {settings}")
    return settings


def train_reference(model: str, name: str = "fashion", data_dir=None) -> dict:
    """Train the reference 2-layer or 4-layer model; returns accuracies (%) and seconds."""
    settings = CAT if name == "catvnoncat" else notebook_settings()[model]
    X_train, Y_train, X_test, Y_test = prepare_data(name, data_dir)
    layers_dims = [X_train.shape[0], *HIDDEN[model], 1]
    ns = reference_namespace()
    fit = ns["two_layer_model" if model == "2-layer" else "L_layer_model"]
    predict = ns["predict"]
    np.random.seed(SEED)
    start = time.perf_counter()
    parameters, costs = fit(X_train, Y_train, layers_dims, **settings)
    seconds = time.perf_counter() - start
    with contextlib.redirect_stdout(io.StringIO()):  # predict prints its accuracy
        p_train, p_test = predict(X_train, Y_train, parameters), predict(X_test, Y_test, parameters)
    return {
        "train": 100 * float(np.mean(p_train == Y_train)),
        "test": 100 * float(np.mean(p_test == Y_test)),
        "cost": float(costs[-1]) if len(costs) else float("nan"),
        "seconds": seconds, "layers_dims": layers_dims, **settings,
    }


def logistic_baseline(name: str = "fashion", data_dir=None) -> dict:
    """The notebook's baseline: utils.baselines.logistic_regression_baseline with the l2 of
    BASELINE_L2 that does best on the last 500 training images when fitted on the first 1500,
    refitted on all training images."""
    X_train, Y_train, X_test, Y_test = prepare_data(name, data_dir)
    fit = (X_train[:, :-BASELINE_VALIDATION], Y_train[:, :-BASELINE_VALIDATION])
    val = (X_train[:, -BASELINE_VALIDATION:], Y_train[:, -BASELINE_VALIDATION:])

    def validation_accuracy(l2):
        return logistic_regression_baseline(*fit, l2=l2, tol=BASELINE_TOL).accuracy(*val)

    best_l2 = max(BASELINE_L2, key=validation_accuracy)
    baseline = logistic_regression_baseline(X_train, Y_train, l2=best_l2, tol=BASELINE_TOL)
    return {"train": 100 * baseline.accuracy(X_train, Y_train),
            "test": 100 * baseline.accuracy(X_test, Y_test), "l2": best_l2}


def print_accuracy(data_dir) -> None:
    print(f"{'data set':<11} {'model':<8} {'layers_dims':<22} {'lr':>6} {'iter':>5} "
          f"{'train %':>7} {'test %':>6} {'published':>9} {'cost':>7} {'seconds':>7}")
    runs = [("fashion", None)] + ([("catvnoncat", data_dir)] if data_dir else [])
    for name, folder in runs:
        for model in HIDDEN:
            r = train_reference(model, name, data_dir=folder)
            published = (f"{PUBLISHED_CAT[model]['train']:.0f}/{PUBLISHED_CAT[model]['test']:.0f}"
                         if name == "catvnoncat" else "-")
            print(f"{name:<11} {model:<8} {str(r['layers_dims']):<22} "
                  f"{r['learning_rate']:>6} {r['num_iterations']:>5} "
                  f"{r['train']:>7.1f} {r['test']:>6.1f} {published:>9} {r['cost']:>7.4f} "
                  f"{r['seconds']:>7.1f}")
            if name == "catvnoncat":
                print(f"{'':<11} {model:<8} test minus published: "
                      f"{r['test'] - PUBLISHED_CAT[model]['test']:+.1f} points")
        if name == "fashion":
            b = logistic_baseline(name)
            label = f"Newton, l2 = {b['l2']:g}"
            print(f"{name:<11} {'logreg':<8} {label:<22} {'-':>6} {'-':>5} "
                  f"{b['train']:>7.1f} {b['test']:>6.1f} {'-':>9}")
    print("fashion: centred inputs, as in the notebook; catvnoncat: pixels / 255, as in the "
          "original course")


# ---------------------------------------------------------------------------------------------
# one training step: reference, candidates, PyTorch


def reference_namespace() -> dict:
    """The namespace in which the reference solution cells ran (name -> object)."""
    return reference(NOTEBOOK, "L_model_forward").__globals__


def patched_namespace(source: str) -> dict:
    """The reference functions, with those defined in ``source`` replacing their namesakes.

    Every reference function is re-bound to the new namespace, so that e.g. the reference's
    L_model_backward calls a patched linear_backward.
    """
    base = reference_namespace()
    namespace = dict(base)
    exec(compile(source, "<patch>", "exec"), namespace)
    replaced = {name for name, obj in namespace.items() if obj is not base.get(name)}
    for name, obj in base.items():
        if (isinstance(obj, types.FunctionType) and obj.__globals__ is base
                and name not in replaced):
            namespace[name] = types.FunctionType(obj.__code__, namespace, obj.__name__,
                                                 obj.__defaults__, obj.__closure__)
    return namespace


def numpy_step(namespace, X, Y, parameters, learning_rate):
    """One step with the functions of ``namespace``: (cost, grads, new parameters)."""
    AL, caches = namespace["L_model_forward"](X, parameters)
    cost = namespace["compute_cost"](AL, Y)
    grads = namespace["L_model_backward"](AL, Y, caches)
    return cost, grads, namespace["update_parameters"](parameters, grads, learning_rate)


def torch_step(torch, X, Y, parameters, learning_rate, input_grad, dtype=np.float64):
    """The same step in PyTorch (CPU, autograd); returns a function of no argument.

    The tensors share the numpy arrays' memory and strides (X stays in Fortran order), unless
    dtype asks for a converted copy.
    """
    X_t, Y_t = torch.from_numpy(X.astype(dtype, copy=False)), torch.from_numpy(Y.astype(dtype))
    params = {key: torch.from_numpy(value.astype(dtype, copy=False)).requires_grad_()
              for key, value in parameters.items()}
    keys, L, m = list(params), len(params) // 2, X.shape[1]

    def step():
        x = X_t.detach().requires_grad_(input_grad)
        A = x
        for layer in range(1, L + 1):
            Z = params[f"W{layer}"] @ A + params[f"b{layer}"]
            A = torch.relu(Z) if layer < L else torch.sigmoid(Z)
        cost = -(Y_t * torch.log(A) + (1 - Y_t) * torch.log(1 - A)).sum() / m
        inputs = [params[key] for key in keys] + ([x] if input_grad else [])
        grads = torch.autograd.grad(cost, inputs)
        with torch.no_grad():
            new = {key: params[key] - learning_rate * g
                   for key, g in zip(keys, grads, strict=False)}
        names = ["d" + key for key in keys] + (["dA0"] if input_grad else [])
        return cost.item(), dict(zip(names, grads, strict=True)), new

    return step


def interleaved(variants: dict, repeats: int, warmup: int = 3) -> tuple[dict, dict]:
    """Run the variants in turn, rotating the order each round; wall and CPU seconds per run."""
    names = list(variants)
    wall, cpu = {n: [] for n in names}, {n: [] for n in names}
    for r in range(warmup + repeats):
        for name in names[r % len(names):] + names[:r % len(names)]:
            w0, c0 = time.perf_counter(), time.process_time()
            variants[name]()
            w1, c1 = time.perf_counter(), time.process_time()
            if r >= warmup:
                wall[name].append(w1 - w0)
                cpu[name].append(c1 - c0)
    return wall, cpu


def paired_ratio(times: dict, a: str, b: str) -> float:
    """Median over rounds of time(a) / time(b), both measured in the same round."""
    return float(np.median(np.array(times[a]) / np.array(times[b])))


@contextlib.contextmanager
def pinned(threads: int):
    """numpy's BLAS (and PyTorch, if imported) limited to ``threads`` threads.

    Needs threadpoolctl (an extra of the benchmarks, not a dependency of the course): without it,
    numpy's BLAS keeps its own number of threads.
    """
    torch = sys.modules.get("torch")
    before = torch.get_num_threads() if torch else None
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        threadpool_limits = None
    with threadpool_limits(limits=threads) if threadpool_limits else contextlib.nullcontext():
        if torch:
            torch.set_num_threads(threads)
        try:
            yield
        finally:
            if torch:
                torch.set_num_threads(before)


def optional_torch():
    try:
        import torch
    except ImportError:
        return None
    return torch


def blas_description() -> str:
    env = ", ".join(f"{key}={os.environ[key]}" for key in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
                    if key in os.environ) or "OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset"
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return f"numpy {np.__version__} ({env}; install threadpoolctl to see the BLAS kernel)"
    blas = [f"{i['internal_api']} {i.get('version')} kernel {i.get('architecture')}"
            for i in threadpool_info() if i["user_api"] == "blas"]
    return f"numpy {np.__version__}, {', '.join(blas) or 'no BLAS found'} ({env})"


def speed_data(data_dir):
    """X (12288, 209) prepared like the notebook's, Y (1, 209), and a description."""
    if data_dir:
        train_x, train_y, *_ = load_dataset("catvnoncat", data_dir=data_dir)
        return prepare(train_x), train_y, "the 209 cat training pictures"
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(209, 64, 64, 3), dtype=np.uint8)
    return (prepare(images), rng.integers(0, 2, size=(1, 209)),
            "209 random 64x64x3 pictures (pass --data for the cat pictures)")


def max_relative_difference(grads: dict, expected: dict) -> float:
    """Largest |a - e| / max |e| over the entries of expected."""
    worst = 0.0
    for key, e in expected.items():
        a = np.asarray(grads[key].detach() if hasattr(grads[key], "detach") else grads[key])
        worst = max(worst, float(np.max(np.abs(a - e)) / max(np.max(np.abs(e)), 1e-300)))
    return worst


def print_speed(data_dir, threads_list, repeats, profile) -> None:
    X, Y, described = speed_data(data_dir)
    learning_rate = CAT["learning_rate"]
    np.random.seed(SEED)
    parameters = reference(NOTEBOOK, "initialize_parameters_deep")(SPEED_DIMS)
    ref = reference_namespace()
    print(f"one training step of the reference {SPEED_DIMS} on {described}: X {X.shape} "
          f"{X.dtype}, {layout(X)} order (as prepared by the notebook)")
    print(blas_description())

    _, ref_grads, ref_params = numpy_step(ref, X, Y, parameters, learning_rate)
    checked = {key: value for key, value in ref_grads.items() if key.startswith(("dW", "db"))}
    checked["dA0"] = ref_grads["dA0"]
    X_c = np.ascontiguousarray(X)
    variants = {
        "reference as written": lambda: numpy_step(ref, X, Y, parameters, learning_rate),
        "reference, X in C order": lambda: numpy_step(ref, X_c, Y, parameters, learning_rate),
    }
    for name, source in CANDIDATES.items():
        ns = patched_namespace(source)
        _, grads, new = numpy_step(ns, X, Y, parameters, learning_rate)
        print(f"candidate {name} vs reference: gradients differ by "
              f"{max_relative_difference(grads, checked):.1e}, new parameters by "
              f"{max_relative_difference(new, ref_params):.1e} (relative)")
        variants[name] = partial(numpy_step, ns, X, Y, parameters, learning_rate)
    torch = optional_torch()
    if torch is None:
        print("PyTorch is not installed (pip install -e .[bench]): comparison with PyTorch skipped")
    else:
        with_dA0 = torch_step(torch, X, Y, parameters, learning_rate, input_grad=True)
        variants["torch with dA0"] = with_dA0
        variants["torch without dA0"] = torch_step(torch, X, Y, parameters, learning_rate,
                                                   input_grad=False)
        variants["torch float32 with dA0"] = torch_step(torch, X, Y, parameters, learning_rate,
                                                        input_grad=True, dtype=np.float32)
        _, torch_grads, _ = with_dA0()
        # The course's dA0 = W1.T dZ1 is per example: m times the gradient of the mean cost.
        torch_grads["dA0"] = torch_grads["dA0"] * X.shape[1]
        print(f"PyTorch {torch.__version__} vs reference: gradients (dW, db, dA0) differ by "
              f"{max_relative_difference(torch_grads, checked):.1e} (relative); "
              f"float32 rows are not the same work (half the bytes, 7 digits)")
    for threads in threads_list:
        with pinned(threads):
            wall, cpu = interleaved(variants, repeats)
        pinned_to = (f"{threads} thread(s)" if importlib.util.find_spec("threadpoolctl")
                     else f"numpy's BLAS NOT pinned to {threads} thread(s): no threadpoolctl")
        print(f"\n{pinned_to}, {repeats} interleaved rounds; load average "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
              + ("; with more than one thread, medians on a busy machine are unreliable"
                 if threads > 1 else ""))
        header = f"{'variant':<34} {'wall ms':>8} {'cpu ms':>8}"
        if torch is not None:
            header += (f" {'/torch+dA0 wall':>15} {'cpu':>5} {'/torch wall':>11} {'cpu':>5}"
                       f" {'/f32 cpu':>8}")
        print(header)
        for name in variants:
            line = (f"{name:<34} {1e3 * np.median(wall[name]):>8.2f} "
                    f"{1e3 * np.median(cpu[name]):>8.2f}")
            if torch is not None:
                line += (f" {paired_ratio(wall, name, 'torch with dA0'):>15.2f}"
                         f" {paired_ratio(cpu, name, 'torch with dA0'):>5.2f}"
                         f" {paired_ratio(wall, name, 'torch without dA0'):>11.2f}"
                         f" {paired_ratio(cpu, name, 'torch without dA0'):>5.2f}"
                         f" {paired_ratio(cpu, name, 'torch float32 with dA0'):>8.2f}")
            print(line)
        if profile:
            with pinned(threads):
                print_profile(X, Y, parameters, learning_rate, repeats,
                              step_ms=1e3 * np.median(cpu["reference as written"]))
                if torch is not None:
                    print_torch_profile(torch, with_dA0)


# ---------------------------------------------------------------------------------------------
# profile


def step_blocks(X, Y, parameters, learning_rate):
    """The blocks of one step as (label, as written, candidate), on the reference's own arrays.

    "As written" is the reference's formula for each block; "candidate" differs where one of
    CANDIDATES changes it (dW: the straightforward / m after the product; dA_prev: A). The
    arrays (A_prev, Z, dA, dZ) come from a run of the reference, so they have the memory layout
    the reference gives them.
    """
    ns = reference_namespace()
    L, m = len(parameters) // 2, X.shape[1]
    AL, caches = ns["L_model_forward"](X, parameters)
    grads = ns["L_model_backward"](AL, Y, caches)
    blocks = []

    def same(label, function, *args, **kwargs):
        block = partial(function, *args, **kwargs)
        blocks.append((label, block, block))

    def dW_written(dZ, A_prev):
        return np.dot(dZ / m, A_prev.T)

    def dW_candidate(dZ, A_prev):
        return np.dot(dZ, A_prev.T) / m

    def dA_prev_written(W, dZ):
        return np.dot(W.T, dZ)

    def dA_prev_candidate(W, dZ):
        return np.dot(dZ.T, W).T

    def dAL_block():
        return -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))

    for layer, ((A_prev, W, b), _) in enumerate(caches, start=1):
        shapes = f"{W.shape[0]}x{W.shape[1]} @ {A_prev.shape[0]}x{m} {layout(A_prev)}"
        same(f"layer {layer} forward  W @ A_prev ({shapes})", np.dot, W, A_prev)
        activation = ns["relu"] if layer < L else ns["sigmoid"]
        same(f"layer {layer} forward  + b, {activation.__name__}",
             lambda Z, b, f: f(Z + b), np.dot(W, A_prev), b, activation)
    same("cost", ns["compute_cost"], AL, Y)
    same("dAL", dAL_block)
    for layer in range(L, 0, -1):
        (A_prev, W, _), Z = caches[layer - 1]
        dA = dAL_block() if layer == L else grads[f"dA{layer}"]
        backward = ns["sigmoid_backward"] if layer == L else ns["relu_backward"]
        dZ = backward(dA, Z)
        same(f"layer {layer} backward {backward.__name__}", backward, dA, Z)
        blocks.append((f"layer {layer} backward dW (straightforward)",
                       partial(dW_written, dZ, A_prev), partial(dW_candidate, dZ, A_prev)))
        same(f"layer {layer} backward db", np.sum, dZ, axis=1, keepdims=True)
        blocks.append((f"layer {layer} backward dA_prev ({W.shape[1]}x{m}) (A)",
                       partial(dA_prev_written, W, dZ), partial(dA_prev_candidate, W, dZ)))
    same("update_parameters", ns["update_parameters"], parameters, grads, learning_rate)
    return blocks


def print_profile(X, Y, parameters, learning_rate, repeats, step_ms) -> None:
    blocks = step_blocks(X, Y, parameters, learning_rate)
    variants = {}
    for i, (_, written, candidate) in enumerate(blocks):
        variants[(i, "written")] = written
        if candidate is not written:
            variants[(i, "candidate")] = candidate
    wall, cpu = interleaved(variants, repeats)
    print("\nprofile of the numpy step (median ms per block, CPU time; wall time in brackets)")
    print(f"{'block':<58} {'as written':>16} {'candidate':>16}")
    totals = {"written": 0.0, "candidate": 0.0}
    for i, (label, _, _) in enumerate(blocks):
        cells = []
        for kind in ("written", "candidate"):
            key = (i, kind) if (i, kind) in variants else (i, "written")
            c, w = 1e3 * np.median(cpu[key]), 1e3 * np.median(wall[key])
            totals[kind] += c
            cells.append(f"{c:7.3f} ({w:6.2f})")
        print(f"{label:<58} {cells[0]:>16} {cells[1]:>16}")
    print(f"{'sum of the blocks':<58} {totals['written']:>7.3f}{'':9} {totals['candidate']:>7.3f}")
    print(f"{'whole step of the reference (CPU time)':<58} {step_ms:>7.3f}")


def print_torch_profile(torch, step) -> None:
    from torch.profiler import ProfilerActivity, profile

    for _ in range(3):
        step()
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        for _ in range(10):
            step()
    print("\nPyTorch's profile of its step with dA0 (10 steps)")
    print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=12))


# ---------------------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="folder holding train_catvnoncat.h5 / test_catvnoncat.h5")
    parser.add_argument("--profile", action="store_true", help="time each block of the step")
    parser.add_argument("--threads", type=int, nargs="+",
                        default=[1], help="thread counts to pin both libraries to (default 1)")
    parser.add_argument("--repeats", type=int, default=60, help="interleaved rounds per timing")
    parser.add_argument("--skip", nargs="+", default=[], choices=["accuracy", "speed", "run-all"])
    args = parser.parse_args(argv)

    if "accuracy" not in args.skip:
        with pinned(args.threads[0]):
            print_accuracy(args.data)
        print()
    if "speed" not in args.skip:
        print_speed(args.data, args.threads, args.repeats, args.profile)
        print()
    if "run-all" not in args.skip:
        path = source_dir() / NOTEBOOK
        if not path.exists():
            print(f"Run All: {path} does not exist yet")
        else:
            sys.path.insert(0, str(Path(__file__).resolve().parent))  # benchmarks/: no package
            from notebook_run import run_all

            run = run_all(path)
            print(f"Run All of source/{NOTEBOOK}: {run['seconds']:.1f} s, "
                  f"kernel peak memory {run['peak_mib']:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
