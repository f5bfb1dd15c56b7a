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
import hashlib
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


def encode(value, depth: int = 0, packing: Packing | None = None):
    """``value`` as JSON-able data (runs in the kernel, so nothing here is trusted); with a
    ``packing``, arrays travel beside the JSON (``Arrays``)."""
    if depth > MAX_DEPTH:
        return {"t": "opaque", "type": "deeply nested value", "repr": "..."}
    kind = type(value)
    try:
        if value is None:
            return {"t": "none"}
        if isinstance(value, np.generic) and value.dtype.kind in DTYPE_KINDS:
            return {"t": "npscalar", "dtype": value.dtype.str, "data": _b64(value.tobytes())}
        if isinstance(value, np.ndarray):  # a subclass travels as its data
            return _array(value) if packing is None else packing.array(value)
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
                    "v": [encode(item, depth + 1, packing) for item in base.__iter__(value)]}
        if isinstance(value, dict):
            return {"t": "dict", "v": [[encode(k, depth + 1, packing),
                                        encode(v, depth + 1, packing)]
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


def decode(data, depth: int = 0, budget: _Budget | None = None,
           unpacking: Unpacking | None = None):
    """Rebuild a value from ``encode``'s data, trusting nothing in it (runs in the grader); with
    an ``unpacking``, arrays that travelled beside the JSON (``Arrays``)."""
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
        items = [decode(item, depth + 1, budget, unpacking) for item in value]
        return tuple(items) if tag == "tuple" else items
    if tag == "dict":
        if not isinstance(value, list):
            raise WireError("bad dict")
        result = {}
        for pair in value:
            if not isinstance(pair, list) or len(pair) != 2:
                raise WireError("bad dict entry")
            key = decode(pair[0], depth + 1, budget, unpacking)
            try:
                hash(key)
            except TypeError as exc:
                raise WireError("bad dict key") from exc
            if not isinstance(key, str | int | float | bool | tuple):
                raise WireError("bad dict key")
            result[key] = decode(pair[1], depth + 1, budget, unpacking)
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
        if "buffer" in data:
            if unpacking is None:
                raise WireError("an array beside the JSON, where none is expected")
            return unpacking.array(data.get("buffer"), dtype, tuple(shape))
        raw = _bytes(data.get("data"))
        if len(raw) != size * dtype.itemsize:
            raise WireError("array data does not match its shape")
        try:
            return np.frombuffer(raw, dtype=dtype).reshape(tuple(shape)).copy()
        except ValueError as exc:  # e.g. dimensions numpy cannot hold, even with no data
            raise WireError(f"bad array shape ({exc})") from exc
    if tag == "known":
        if unpacking is None:
            raise WireError("a known array, where none is expected")
        return unpacking.known(data.get("id"), budget)
    if tag == "opaque":
        type_name, text = data.get("type"), data.get("repr")
        if not isinstance(type_name, str) or not isinstance(text, str):
            raise WireError("bad opaque value")
        return _opaque_class(type_name[:200])(type_name[:200], text[:200])
    raise WireError(f"unknown tag {tag[:20]!r}")


def decode_after(after) -> tuple | None:
    """The arguments as a call left them (``[encode(args), encode(kwargs)]``), decoded; None
    when not given."""
    if not (isinstance(after, list) and len(after) == 2):
        return None
    return decode(after[0]), decode(after[1])


def restore_arguments(args: tuple, kwargs: dict, after: tuple | None) -> None:
    """Give this side's arguments of a call the changes the call made on the other side."""
    if after is None:
        return
    after_args, after_kwargs = after
    if isinstance(after_args, tuple) and len(after_args) == len(args):
        for target, value in zip(args, after_args, strict=True):
            restore_in_place(target, value)
    if isinstance(after_kwargs, dict):
        for key, value in after_kwargs.items():
            if key in kwargs:
                restore_in_place(kwargs[key], value)


def _fits(target, after) -> bool:
    """Whether ``restore_in_place`` can make ``target`` look like ``after`` without replacing it."""
    if isinstance(target, np.ndarray):
        return isinstance(after, np.ndarray) and target.shape == after.shape and (
            np.can_cast(after.dtype, target.dtype, casting="same_kind"))
    if isinstance(target, dict | list):
        return type(after) is type(target) or isinstance(after, type(target))
    if isinstance(target, tuple):
        return isinstance(after, tuple) and len(after) == len(target)
    return False


def restore_in_place(target, after) -> None:
    """Make ``target`` (an argument: an array, a dict, a list, or a tuple of them) look as a
    function called on the other side left its copy (``after``): the grader's copy as the
    student's function left it, the kernel's as the reference left it. Arrays and containers
    are changed in place, so that other names for them see the change; an entry is replaced only
    when it cannot be (an array of another shape, a number)."""
    if isinstance(target, np.ndarray):
        if isinstance(after, np.ndarray) and target.shape == after.shape:
            target[...] = after  # (a changed shape: the visible tests report it)
    elif isinstance(target, dict) and isinstance(after, dict):
        for key in [key for key in target if key not in after]:
            del target[key]
        for key, value in after.items():
            if key in target and _fits(target[key], value):
                restore_in_place(target[key], value)
            else:
                target[key] = value
    elif isinstance(target, list) and isinstance(after, list):
        if len(target) != len(after):
            target[:] = after
            return
        for i, value in enumerate(after):
            if _fits(target[i], value):
                restore_in_place(target[i], value)
            else:
                target[i] = value
    elif isinstance(target, tuple) and isinstance(after, tuple) and len(target) == len(after):
        for item, value in zip(target, after, strict=True):
            restore_in_place(item, value)


# The reference channel (grading each function on its own: autograder.hidden.references) sends
# arrays beside the JSON, as the message's binary buffers, and does not send a large array
# again: each side keeps the large arrays the kernel has sent as arguments (KEEP_MIN bytes or
# more, up to KEEP_MAX in all), and either side names one of them by its digest ({"t": "known"}).
# Both sides keep the same arrays, in the same order, by the same rule; the kernel keeps what it
# sent only once the grader says it kept it too.
KEEP_MIN = 64 * 1024
KEEP_MAX = 128 * 1024 * 1024


def digest(array: np.ndarray) -> str:
    h = hashlib.sha256(f"{array.dtype.str}{array.shape}".encode())
    h.update(memoryview(np.ascontiguousarray(array).reshape(-1).view(np.uint8)))
    return h.hexdigest()


def _glance(array: np.ndarray) -> tuple:
    """What is cheap to compare before a digest: dtype, shape and 64 evenly spread entries."""
    flat = array.reshape(-1)
    return array.dtype.str, array.shape, flat[::max(1, flat.size // 64)][:64].tobytes()


class Arrays:
    """One side's kept arrays, for the whole notebook."""

    def __init__(self):
        self.kept: dict[str, np.ndarray] = {}
        self.glances: set[tuple] = set()  # of the kept arrays: most others need no digest
        self.size = 0

    def might_keep(self, value: np.ndarray) -> bool:
        return _glance(value) in self.glances

    def packing(self, keep: bool) -> Packing:
        """For encoding one message (``keep``: new large arrays are kept, once committed)."""
        return Packing(self, keep)

    def unpacking(self, buffers, keep: bool) -> Unpacking:
        """For decoding one message whose binary buffers are ``buffers``."""
        return Unpacking(self, list(buffers), keep)

    def _fits(self, pending: dict, nbytes: int) -> bool:
        return nbytes >= KEEP_MIN and self.size + sum(
            a.nbytes for a in pending.values()) + nbytes <= KEEP_MAX

    def commit(self, pending: dict) -> None:
        for key, array in pending.items():
            if key not in self.kept:
                self.kept[key] = array
                self.glances.add(_glance(array))
                self.size += array.nbytes
        pending.clear()


class Packing:
    def __init__(self, arrays: Arrays, keep: bool):
        self.arrays, self.keep = arrays, keep
        self.buffers: list[memoryview] = []
        self.pending: dict[str, np.ndarray] = {}

    def array(self, value: np.ndarray) -> dict:
        value = np.asarray(value)
        if value.dtype.kind not in DTYPE_KINDS:
            raise TypeError
        if value.nbytes >= KEEP_MIN and (self.keep or self.arrays.might_keep(value)):
            key = digest(value)
            if key in self.arrays.kept or key in self.pending:
                return {"t": "known", "id": key}
            if self.keep and self.arrays._fits(self.pending, value.nbytes):
                self.pending[key] = value.copy()
        self.buffers.append(memoryview(np.ascontiguousarray(value).reshape(-1).view(np.uint8)))
        return {"t": "ndarray", "dtype": value.dtype.str, "shape": list(value.shape),
                "buffer": len(self.buffers) - 1}

    def commit(self) -> None:
        self.arrays.commit(self.pending)


class Unpacking:
    def __init__(self, arrays: Arrays, buffers: list, keep: bool):
        self.arrays, self.buffers, self.keep = arrays, buffers, keep
        self.pending: dict[str, np.ndarray] = {}

    def array(self, index, dtype: np.dtype, shape: tuple) -> np.ndarray:
        if type(index) is not int or not 0 <= index < len(self.buffers):
            raise WireError("bad array buffer")
        raw = self.buffers[index]
        if len(raw) != math.prod(shape) * dtype.itemsize:
            raise WireError("array data does not match its shape")
        try:
            value = np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
        except ValueError as exc:
            raise WireError(f"bad array shape ({exc})") from exc
        if self.keep and value.nbytes >= KEEP_MIN:
            key = digest(value)
            if key not in self.arrays.kept and key not in self.pending and (
                    self.arrays._fits(self.pending, value.nbytes)):
                self.pending[key] = value.copy()
        return value

    def known(self, key, budget: _Budget) -> np.ndarray:
        value = self.pending.get(key) if isinstance(key, str) else None
        if value is None and isinstance(key, str):
            value = self.arrays.kept.get(key)
        if value is None:
            raise WireError("an unknown array")
        budget.take(value.nbytes)
        return value.copy()

    def commit(self) -> None:
        self.arrays.commit(self.pending)
