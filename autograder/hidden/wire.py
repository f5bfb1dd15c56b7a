"""Values as plain data, for the trip between a grading kernel and the grader.

Hidden tests compare outside the student's kernel (see autograder/README.md): the kernel sends
the outputs of the student's functions to the grader as JSON made of strings and lists only, and
the grader rebuilds them as plain Python and numpy values. Nothing the kernel sends can run code
in the grader or lie in a comparison: ``decode`` builds only None, bools, ints, floats, complex
numbers, strings, tuples, lists, dicts, numpy scalars and arrays of numeric or boolean dtypes
(from their bytes), and, for anything else, an inert ``Opaque`` stand-in that names the type.

Both sides use this module; the grader trusts only its own copy of ``decode``.
"""

from __future__ import annotations

import base64
import math

import numpy as np

MAX_DEPTH = 32
MAX_BYTES = 256 * 1024 * 1024  # of array data in one decoded value
DTYPE_KINDS = "biufc"  # bool, signed and unsigned integers, floats, complex numbers


class WireError(ValueError):
    """Data that is not a value encoded by ``encode``."""


class Opaque:
    """What a value of another type becomes: its type's name and a short repr, nothing else."""

    def __init__(self, type_name: str, text: str):
        self.type_name, self.text = type_name, text

    def __repr__(self):
        return self.text


def _opaque_class(type_name: str) -> type:
    """A class named like the student's type, so that messages say "got a Foo"."""
    short = type_name.rsplit(".", 1)[-1] or "object"
    if not short.isidentifier():
        short = "object"
    return type(short, (Opaque,), {"__module__": "submission", "__qualname__": short})


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _array(value: np.ndarray) -> dict:
    value = np.asarray(value)
    if value.dtype.kind not in DTYPE_KINDS:
        raise TypeError
    return {"t": "ndarray", "dtype": value.dtype.str, "shape": list(value.shape),
            "data": _b64(value.tobytes(order="C"))}


def encode(value, depth: int = 0):
    """``value`` as JSON-able data (runs in the kernel, so nothing here is trusted)."""
    if depth > MAX_DEPTH:
        return {"t": "opaque", "type": "deeply nested value", "repr": "..."}
    kind = type(value)
    try:
        if value is None:
            return {"t": "none"}
        if isinstance(value, np.generic) and value.dtype.kind in DTYPE_KINDS:
            return {"t": "npscalar", "dtype": value.dtype.str, "data": _b64(value.tobytes())}
        if isinstance(value, np.ndarray):  # a subclass travels as its data
            return _array(value)
        # Subclasses of the built-in types travel as the built-in type, read through its own
        # methods (an OrderedDict is a dict; a float subclass cannot lie about its value here).
        if isinstance(value, bool):
            return {"t": "bool", "v": bool(int.__index__(value))}
        if isinstance(value, int):
            return {"t": "int", "v": int.__repr__(value)}
        if isinstance(value, float):
            return {"t": "float", "v": float.hex(value)}
        if isinstance(value, complex):
            return {"t": "complex", "v": [float.hex(complex.real.__get__(value)),
                                          float.hex(complex.imag.__get__(value))]}
        if isinstance(value, str):
            return {"t": "str", "v": str.__str__(value)}
        if isinstance(value, tuple | list):
            base = tuple if isinstance(value, tuple) else list
            return {"t": base.__name__,
                    "v": [encode(item, depth + 1) for item in base.__iter__(value)]}
        if isinstance(value, dict):
            return {"t": "dict", "v": [[encode(k, depth + 1), encode(v, depth + 1)]
                                       for k, v in dict.items(value)]}
    except Exception:  # noqa: BLE001 (a value that cannot be read is sent as opaque)
        pass
    name = f"{getattr(kind, '__module__', '?')}.{getattr(kind, '__qualname__', '?')}"
    try:
        text = repr(value)[:200]
    except Exception:  # noqa: BLE001
        text = f"<{name}>"
    return {"t": "opaque", "type": name, "repr": text}


def _dtype(text) -> np.dtype:
    if not isinstance(text, str) or len(text) > 8:
        raise WireError(f"bad dtype {text!r}")
    try:
        dtype = np.dtype(text)
    except TypeError as exc:
        raise WireError(f"bad dtype {text!r}") from exc
    if dtype.kind not in DTYPE_KINDS or dtype.fields is not None or dtype.subdtype is not None:
        raise WireError(f"dtype {text!r} is not allowed")
    return dtype


def _bytes(text) -> bytes:
    if not isinstance(text, str):
        raise WireError("array data is not a string")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as exc:
        raise WireError("array data is not base64") from exc


def _float(text) -> float:
    if not isinstance(text, str):
        raise WireError("a float is not a hex string")
    try:
        return float.fromhex(text)
    except (ValueError, OverflowError) as exc:
        raise WireError(f"bad float {text[:40]!r}") from exc


class _Budget:
    def __init__(self):
        self.left = MAX_BYTES

    def take(self, n: int):
        self.left -= n
        if self.left < 0:
            raise WireError(f"more than {MAX_BYTES} bytes of arrays")


def decode(data, depth: int = 0, budget: _Budget | None = None):
    """Rebuild a value from ``encode``'s data, trusting nothing in it (runs in the grader)."""
    budget = budget or _Budget()
    if depth > MAX_DEPTH + 1:
        raise WireError("value nested too deeply")
    if not isinstance(data, dict) or not isinstance(data.get("t"), str):
        raise WireError("not an encoded value")
    tag = data["t"]
    value = data.get("v")
    if tag == "none":
        return None
    if tag == "bool":
        if type(value) is not bool:
            raise WireError("bad bool")
        return value
    if tag == "int":
        if not isinstance(value, str) or len(value.removeprefix("-")) > 4300:
            raise WireError("bad int")
        try:
            return int(value)
        except ValueError as exc:
            raise WireError("bad int") from exc
    if tag == "float":
        return _float(value)
    if tag == "complex":
        if not isinstance(value, list) or len(value) != 2:
            raise WireError("bad complex")
        return complex(_float(value[0]), _float(value[1]))
    if tag == "str":
        if not isinstance(value, str):
            raise WireError("bad str")
        return value
    if tag in ("tuple", "list"):
        if not isinstance(value, list):
            raise WireError(f"bad {tag}")
        items = [decode(item, depth + 1, budget) for item in value]
        return tuple(items) if tag == "tuple" else items
    if tag == "dict":
        if not isinstance(value, list):
            raise WireError("bad dict")
        result = {}
        for pair in value:
            if not isinstance(pair, list) or len(pair) != 2:
                raise WireError("bad dict entry")
            key = decode(pair[0], depth + 1, budget)
            try:
                hash(key)
            except TypeError as exc:
                raise WireError("bad dict key") from exc
            if not isinstance(key, str | int | float | bool | tuple):
                raise WireError("bad dict key")
            result[key] = decode(pair[1], depth + 1, budget)
        return result
    if tag == "npscalar":
        dtype = _dtype(data.get("dtype"))
        raw = _bytes(data.get("data"))
        if len(raw) != dtype.itemsize:
            raise WireError("bad numpy scalar")
        return np.frombuffer(raw, dtype=dtype)[0]
    if tag == "ndarray":
        dtype = _dtype(data.get("dtype"))
        shape = data.get("shape")
        if (not isinstance(shape, list) or len(shape) > 32
                or not all(type(n) is int and 0 <= n <= MAX_BYTES for n in shape)):
            raise WireError("bad array shape")
        size = math.prod(shape)
        budget.take(size * dtype.itemsize)
        raw = _bytes(data.get("data"))
        if len(raw) != size * dtype.itemsize:
            raise WireError("array data does not match its shape")
        try:
            return np.frombuffer(raw, dtype=dtype).reshape(tuple(shape)).copy()
        except ValueError as exc:  # e.g. dimensions numpy cannot hold, even with no data
            raise WireError(f"bad array shape ({exc})") from exc
    if tag == "opaque":
        type_name, text = data.get("type"), data.get("repr")
        if not isinstance(type_name, str) or not isinstance(text, str):
            raise WireError("bad opaque value")
        return _opaque_class(type_name[:200])(type_name[:200], text[:200])
    raise WireError(f"unknown tag {tag[:20]!r}")
