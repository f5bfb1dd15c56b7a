"""autograder.hidden.wire: values cross from the kernel to the grader as plain data, exactly, and
nothing the kernel sends can run code in the grader or lie in a comparison."""

import collections
import json
import math
import os

import numpy as np
import pytest

from autograder.hidden import wire
from autograder.hidden.wire import MAX_DEPTH, Opaque, WireError, decode, encode


def travel(value):
    """``value`` as the grader gets it: encoded in the kernel, sent as JSON, decoded."""
    return decode(json.loads(json.dumps(encode(value))))


def assert_identical(actual, expected):
    """Same type, same value, bit for bit (nan, -0.0, dtype and byte order included)."""
    assert type(actual) is type(expected), (type(actual), type(expected))
    if isinstance(expected, np.ndarray):
        assert actual.dtype.str == expected.dtype.str
        assert actual.shape == expected.shape
        assert actual.tobytes() == expected.tobytes()  # the values, in C order
    elif isinstance(expected, np.generic):
        assert actual.dtype.str == expected.dtype.str
        assert actual.tobytes() == expected.tobytes()
    elif isinstance(expected, float):
        assert float.hex(actual) == float.hex(expected)
    elif isinstance(expected, complex):
        assert float.hex(actual.real) == float.hex(expected.real)
        assert float.hex(actual.imag) == float.hex(expected.imag)
    elif isinstance(expected, tuple | list):
        assert len(actual) == len(expected)
        for a, e in zip(actual, expected, strict=True):
            assert_identical(a, e)
    elif isinstance(expected, dict):
        assert list(actual) == list(expected)  # the same keys, in the same order
        for key in expected:
            assert_identical(actual[key], expected[key])
    else:
        assert actual == expected


# --------------------------------------------------------------------------------------------
# Round trips
# --------------------------------------------------------------------------------------------

PLAIN = {
    "none": None,
    "true": True,
    "false": False,
    "zero": 0,
    "negative int": -7,
    "big int": 2**200 + 1,
    "big negative int": -(3**300),
    "int of 4300 digits": 10**4299,
    "float": 1.5,
    "nan": math.nan,
    "inf": math.inf,
    "-inf": -math.inf,
    "-0.0": -0.0,
    "smallest subnormal": 5e-324,
    "largest float": 1.7976931348623157e308,
    "a third": 1 / 3,
    "complex": complex(1.25, -2.0),
    "complex with nan and -0.0": complex(math.nan, -0.0),
    "empty str": "",
    "unicode str": "héllo ✓ \x00 \ud7ff",
    "empty tuple": (),
    "empty list": [],
    "empty dict": {},
    "nested": (1, [2.0, {"a": (None, [True])}], "x"),
    "dict keys of several types": {1: "x", "k": [1], (1, "a"): 3.0, 2.5: None, False: ()},
    "list of arrays": [np.zeros((2, 1)), np.float64(0.5), {"dW1": np.ones((3, 2))}],
}


@pytest.mark.parametrize("value", PLAIN.values(), ids=PLAIN.keys())
def test_plain_values_travel_exactly(value):
    assert_identical(travel(value), value)


SCALARS = {
    "float64": np.float64(0.1),
    "float64 nan": np.float64(math.nan),
    "float64 -0.0": np.float64(-0.0),
    "float32": np.float32(0.1),
    "float16": np.float16(-2.5),
    "longdouble": np.longdouble(1) / 3,
    "int8": np.int8(-128),
    "int64": np.int64(-(2**63)),
    "uint8": np.uint8(255),
    "uint64": np.uint64(2**64 - 1),
    "bool": np.bool_(True),
    "complex64": np.complex64(1 - 2j),
    "complex128": np.complex128(complex(math.inf, -0.0)),
}


@pytest.mark.parametrize("value", SCALARS.values(), ids=SCALARS.keys())
def test_numpy_scalars_keep_their_type_and_bits(value):
    assert_identical(travel(value), value)


ARRAYS = {
    "0-d": np.array(3.5),
    "empty": np.zeros((0, 3)),
    "empty in the middle": np.empty((2, 0, 5), dtype=np.int16),
    "column": np.arange(4.0).reshape(4, 1),
    "non-contiguous": np.arange(24.0).reshape(4, 6)[::2, 1::3],
    "transposed": np.arange(6).reshape(2, 3).T,
    "fortran order": np.asfortranarray(np.arange(6.0).reshape(2, 3)),
    "big-endian ints": np.arange(6, dtype=">i4").reshape(2, 3),
    "big-endian floats": np.array([1.5, -0.0, np.nan], dtype=">f8"),
    "bool": np.array([[True, False], [False, True]]),
    "uint8 image": np.arange(2 * 3 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3, 3),
    "float32 with nan and inf": np.array([np.nan, np.inf, -np.inf, -0.0], dtype=np.float32),
    "complex": np.array([1 + 2j, -0.0 - 1j]),
    "uint64 extremes": np.array([0, 2**64 - 1], dtype=np.uint64),
}


@pytest.mark.parametrize("value", ARRAYS.values(), ids=ARRAYS.keys())
def test_arrays_keep_dtype_shape_and_values(value):
    result = travel(value)
    assert_identical(result, value.copy(order="C"))
    np.testing.assert_array_equal(result, value)


def test_decoded_arrays_are_ordinary_writeable_arrays():
    result = travel(np.arange(3.0))
    assert result.flags.writeable and result.flags.c_contiguous
    result[0] = 7.0  # the grader may restore arguments in place
    assert result.tolist() == [7.0, 1.0, 2.0]


# --------------------------------------------------------------------------------------------
# Subclasses travel as their base type, read through the base type's own methods
# --------------------------------------------------------------------------------------------


class LyingArray(np.ndarray):
    def __eq__(self, other):
        return np.ones(np.shape(self), dtype=bool)

    def __ne__(self, other):
        return np.zeros(np.shape(self), dtype=bool)

    def tobytes(self, order="C"):
        return np.zeros(self.shape, self.dtype).tobytes()

    def tolist(self):
        return [0.0] * self.size


class LyingFloat(float):
    def __eq__(self, other):
        return True

    __hash__ = float.__hash__

    def __repr__(self):
        return "3.0"

    def hex(self):
        return float.hex(3.0)


class LyingInt(int):
    def __repr__(self):
        return "7"

    def __str__(self):
        return "7"


class LyingStr(str):
    def __str__(self):
        return "right"


class LyingList(list):
    def __iter__(self):
        return iter(["right"])


class LyingDict(dict):
    def items(self):
        return [("right", 1)]


def test_an_ndarray_subclass_that_lies_travels_as_a_plain_array_with_its_data():
    data = np.arange(1.0, 5.0)
    result = travel(data.view(LyingArray))
    assert type(result) is np.ndarray
    assert_identical(result, data)
    # The grader compares honest arrays: the subclass's __eq__ is gone.
    assert not (result == np.zeros(4)).any()
    assert not np.array_equal(result, np.zeros(4))


def test_an_ordered_dict_travels_as_a_dict():
    result = travel(collections.OrderedDict([("b", 1), ("a", np.float64(2.0))]))
    assert type(result) is dict
    assert_identical(result, {"b": 1, "a": np.float64(2.0)})


def test_a_float_subclass_travels_as_its_true_value():
    result = travel(LyingFloat(2.5))
    assert type(result) is float and result == 2.5
    assert result != 3.0


def test_an_int_subclass_travels_as_its_true_value():
    result = travel(LyingInt(3))
    assert type(result) is int and result == 3


def test_a_str_subclass_travels_as_its_true_value():
    result = travel(LyingStr("wrong"))
    assert type(result) is str and result == "wrong"


def test_list_and_dict_subclasses_travel_with_their_real_items():
    assert_identical(travel(LyingList([1, 2])), [1, 2])
    assert_identical(travel(LyingDict(a=2)), {"a": 2})


def test_a_namedtuple_travels_as_a_tuple():
    Point = collections.namedtuple("Point", "x y")
    assert_identical(travel(Point(1, 2.0)), (1, 2.0))


# --------------------------------------------------------------------------------------------
# Other objects become inert stand-ins that name the student's type
# --------------------------------------------------------------------------------------------


class Foo:
    def __repr__(self):
        return "Foo(42)"


class BadRepr:
    def __repr__(self):
        raise RuntimeError("no repr for you")


def test_an_unknown_object_becomes_an_opaque_named_after_its_type():
    result = travel(Foo())
    assert isinstance(result, Opaque)
    assert type(result).__name__ == "Foo"
    assert result.type_name.endswith("Foo")
    assert repr(result) == "Foo(42)"
    assert result != Foo() and not callable(result)


@pytest.mark.parametrize("value, name", [
    ({1, 2}, "set"),
    (b"bytes", "bytes"),
    (lambda x: x, "function"),
    (np.array(["a", "b"]), "ndarray"),  # a string array: not a numeric dtype
    (np.array([1, None], dtype=object), "ndarray"),
    (np.datetime64("2024-01-01"), "datetime64"),
], ids=["set", "bytes", "function", "str array", "object array", "datetime64"])
def test_values_of_other_types_become_opaque(value, name):
    result = travel(value)
    assert isinstance(result, Opaque) and type(result).__name__ == name


def test_an_object_whose_repr_raises_still_travels():
    result = travel(BadRepr())
    assert isinstance(result, Opaque) and type(result).__name__ == "BadRepr"
    assert "BadRepr" in repr(result)


def test_a_long_repr_is_cut():
    class Long:
        def __repr__(self):
            return "x" * 10_000

    assert len(repr(travel(Long()))) <= 200


def test_a_value_nested_beyond_max_depth_travels_with_an_opaque_at_the_bottom():
    value = 1.0
    for _ in range(MAX_DEPTH + 10):
        value = [value]
    result = travel(value)
    depth = 0
    while isinstance(result, list):
        result, depth = result[0], depth + 1
    assert isinstance(result, Opaque) and depth == MAX_DEPTH + 1


def test_a_list_that_contains_itself_travels_without_recursion_error():
    value = [1]
    value.append(value)
    result = travel(value)
    assert result[0] == 1 and isinstance(result[1], list)


# --------------------------------------------------------------------------------------------
# decode trusts nothing
# --------------------------------------------------------------------------------------------


def nested(levels: int) -> dict:
    data = {"t": "none"}
    for _ in range(levels):
        data = {"t": "list", "v": [data]}
    return data


def array(dtype="<f8", shape=(1,), data=None):
    """An encoded array; by default 8 bytes of data: one float64, as the default shape says."""
    if data is None:
        data = wire._b64(bytes(8))
    return {"t": "ndarray", "dtype": dtype, "shape": list(shape), "data": data}


MALFORMED = {
    "not a dict": None,
    "a list": [],
    "a bare string": "none",
    "no tag": {"v": 1},
    "tag not a str": {"t": 1},
    "unknown tag": {"t": "pickle", "v": "gASVAAAAAAAAAAA="},
    "object dtype array": array("|O"),
    "object dtype scalar": {"t": "npscalar", "dtype": "|O", "data": wire._b64(bytes(8))},
    "structured dtype": array("f8,i4"),
    "subarray dtype": array("(2,)f8"),
    "str dtype": array("<U3"),
    "datetime dtype": array("<M8[s]"),
    "bytes dtype": array("|S4"),
    "dtype not a str": array(8),
    "dtype not a dtype": array("<q9"),
    "shape and data mismatch": array(shape=(3, 1), data=wire._b64(bytes(16))),
    "negative dimension": array(shape=(-1,), data=""),
    "float dimension": array(shape=(1.0,)),
    "str dimension": array(shape=("1",)),
    "bool dimension": array(shape=(True,)),
    "shape not a list": {"t": "ndarray", "dtype": "<f8", "shape": 2, "data": ""},
    "too many dimensions": array(shape=(1,) * 33),
    "bad base64": array(data="not base64!"),
    "data not a str": array(data=[0, 0]),
    "scalar of the wrong size": {"t": "npscalar", "dtype": "<f8", "data": wire._b64(bytes(4))},
    "float not a str": {"t": "float", "v": 1.5},
    "float not hex": {"t": "float", "v": "0xzz"},
    "float out of range": {"t": "float", "v": "0x1p99999"},
    "complex of one part": {"t": "complex", "v": ["0x1p0"]},
    "complex part not a str": {"t": "complex", "v": ["0x1p0", 2.0]},
    "bool not a bool": {"t": "bool", "v": 1},
    "int not a str": {"t": "int", "v": 12},
    "int not decimal": {"t": "int", "v": "1.5"},
    "int too long": {"t": "int", "v": "1" * 5000},
    "str not a str": {"t": "str", "v": 3},
    "list not a list": {"t": "list", "v": "abc"},
    "tuple item malformed": {"t": "tuple", "v": [{"t": "none"}, {"t": "nope"}]},
    "dict not a list": {"t": "dict", "v": {"a": 1}},
    "dict entry not a pair": {"t": "dict", "v": [[{"t": "str", "v": "a"}]]},
    "dict entry a triple": {"t": "dict", "v": [[{"t": "none"}] * 3]},
    "dict key a list": {"t": "dict", "v": [[{"t": "list", "v": []}, {"t": "none"}]]},
    "dict key None": {"t": "dict", "v": [[{"t": "none"}, {"t": "none"}]]},
    "opaque type not a str": {"t": "opaque", "type": 1, "repr": "x"},
    f"nesting deeper than MAX_DEPTH + 1 ({MAX_DEPTH + 2} levels)": nested(MAX_DEPTH + 2),
    "a huge shape with no data": array(shape=(10**6, 10**6), data=""),
}


@pytest.mark.parametrize("data", MALFORMED.values(), ids=MALFORMED.keys())
def test_decode_rejects_malformed_data(data):
    with pytest.raises(WireError):
        decode(data)


def test_decode_accepts_the_deepest_nesting_encode_produces():
    assert decode(nested(MAX_DEPTH + 1)) is not None


def test_decode_rejects_arrays_beyond_max_bytes(monkeypatch):
    monkeypatch.setattr(wire, "MAX_BYTES", 64)
    assert decode(encode(np.zeros(8))).shape == (8,)  # 64 bytes: just allowed
    with pytest.raises(WireError):
        decode(encode(np.zeros(9)))
    with pytest.raises(WireError):  # the limit holds for all the arrays of one value
        decode(encode([np.zeros(5), {"b": np.zeros(5)}]))


def test_decode_never_calls_code_named_in_the_data(monkeypatch):
    called = []
    monkeypatch.setattr(os, "system", lambda *args: called.append(args))
    monkeypatch.setattr("builtins.eval", lambda *args: called.append(args))
    for name in ("os.system", "builtins.eval", "subprocess.Popen", "__import__", "a.b("):
        result = decode({"t": "opaque", "type": name, "repr": "touch /tmp/pwned"})
        assert isinstance(result, Opaque) and result.type_name == name
        assert type(result).__module__ == "submission"
        assert not callable(result)
        assert repr(result) == "touch /tmp/pwned"
    assert called == []


# --------------------------------------------------------------------------------------------
# Edge cases found by these tests (fixed)
# --------------------------------------------------------------------------------------------


def test_decode_rejects_an_unhashable_tuple_key_with_wire_error():
    key = {"t": "tuple", "v": [{"t": "list", "v": []}]}
    with pytest.raises(WireError):
        decode({"t": "dict", "v": [[key, {"t": "none"}]]})


@pytest.mark.parametrize("shape", [(0, 2**70), (0, 2**62, 2**62)], ids=["2**70", "2**62 x 2"])
def test_decode_rejects_an_empty_array_with_a_huge_dimension_with_wire_error(shape):
    with pytest.raises(WireError):
        decode(array(shape=shape, data=""))


def test_a_negative_int_of_4300_digits_travels():
    assert travel(-(10**4299)) == -(10**4299)
