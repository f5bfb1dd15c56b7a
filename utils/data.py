"""Load the course's image data sets.

Every image data set uses the HDF5 layout of the original course's cat files, one file per split:

    train_set_x / test_set_x    (m, h, w, c) uint8    the images
    train_set_y / test_set_y    (m,)         integer  the labels, an index into list_classes
    list_classes                (n_classes,) bytes    the class names

Known data sets:

    "fashion"     shipped with the course: Fashion-MNIST coats (0) and shirts (1),
                  28x28 grayscale; checked against datasets/SHA256SUMS on load.
    "catvnoncat"  the original course's 64x64 RGB cat pictures (non-cat 0, cat 1). They
                  cannot be redistributed: if you own train_catvnoncat.h5 and
                  test_catvnoncat.h5, put them in datasets/ yourself.

Example:
    >>> train_x, train_y, test_x, test_y, classes = load_dataset()
    >>> train_x.shape, train_y.shape, classes
    ((2000, 28, 28, 1), (1, 2000), array([b'coat', b'shirt'], dtype='|S5'))
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import h5py
import numpy as np

__all__ = [
    "DatasetChecksumError",
    "DatasetError",
    "DatasetLayoutError",
    "DatasetMissingError",
    "default_data_dir",
    "load_dataset",
]

ENV_VAR = "NNDL_DATA_DIR"
MANIFEST = "SHA256SUMS"
REBUILD_HINT = (
    "Restore the shipped files with `git checkout -- datasets/`, or rebuild them with "
    "`python datasets/build_fashion.py` (which needs `apt-get install dataset-fashion-mnist`)."
)


class DatasetError(Exception):
    """A data set cannot be loaded (missing file, bad checksum or wrong layout)."""


class DatasetMissingError(DatasetError, FileNotFoundError):
    """A data file, the checksum manifest or the data folder does not exist."""


class DatasetChecksumError(DatasetError):
    """A shipped data file's sha256 differs from the one in SHA256SUMS."""


class DatasetLayoutError(DatasetError):
    """A data file is not an HDF5 file in the course's layout."""


@dataclass(frozen=True)
class _Spec:
    train: str  # file name of the training split
    test: str  # file name of the test split
    shipped: bool  # True: part of the repository, verified against SHA256SUMS


DATASETS = {
    "fashion": _Spec("fashion_train.h5", "fashion_test.h5", shipped=True),
    "catvnoncat": _Spec("train_catvnoncat.h5", "test_catvnoncat.h5", shipped=False),
}


def default_data_dir() -> Path:
    """The folder load_dataset reads when no data_dir is given.

    In order: the environment variable NNDL_DATA_DIR if set; the repository's datasets/ folder
    (next to utils/); the first datasets/ folder holding a SHA256SUMS found walking up from the
    current working directory.

    Returns:
    data_dir -- a Path to a folder (raises DatasetMissingError when none is found)
    """
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return Path(from_env).expanduser()
    repo_dir = Path(__file__).resolve().parents[1] / "datasets"
    # The marker files make sure this is our folder, not an unrelated package called "datasets".
    if (repo_dir / MANIFEST).is_file() or (repo_dir / "build_fashion.py").is_file():
        return repo_dir
    cwd = Path.cwd()
    for folder in (cwd, *cwd.parents):
        if (folder / "datasets" / MANIFEST).is_file():
            return folder / "datasets"
    raise DatasetMissingError(
        f"No datasets/ folder found: not at {repo_dir}, nor above {cwd}. "
        f"Pass data_dir=... to load_dataset or set the environment variable {ENV_VAR}."
    )


def load_dataset(name: str = "fashion", data_dir: str | os.PathLike | None = None):
    """Load a binary image data set, training and test splits.

    Arguments:
    name -- "fashion" (the default, shipped) or "catvnoncat" (the original course files,
            which you supply yourself)
    data_dir -- folder holding the files (str or Path); default: default_data_dir()

    Returns:
    train_x -- training images, shape (m_train, h, w, c), dtype uint8, values 0..255
    train_y -- training labels, shape (1, m_train), integers in 0..len(classes) - 1
    test_x -- test images, shape (m_test, h, w, c), dtype uint8
    test_y -- test labels, shape (1, m_test)
    classes -- class names, shape (n_classes,), bytes (e.g. b"shirt"): classes[y] names label y

    Raises:
    ValueError -- unknown name
    DatasetMissingError -- a file is missing (also a FileNotFoundError)
    DatasetChecksumError -- a shipped file is corrupt
    DatasetLayoutError -- a file is not in the course's HDF5 layout
    """
    if name not in DATASETS:
        known = ", ".join(repr(known_name) for known_name in DATASETS)
        raise ValueError(f"Unknown data set {name!r}. Known data sets: {known}.")
    spec = DATASETS[name]
    folder = Path(data_dir).expanduser() if data_dir is not None else default_data_dir()
    if not folder.is_dir():
        raise DatasetMissingError(f"Data folder {folder} does not exist or is not a folder.")
    train_path, test_path = folder / spec.train, folder / spec.test

    for path in (train_path, test_path):
        if not path.is_file():
            raise DatasetMissingError(_missing_message(name, path))
    if spec.shipped:
        expected = _read_manifest(folder / MANIFEST)
        for path in (train_path, test_path):
            _verify_checksum(path, expected)

    train_x, train_y, train_classes = _read_split(train_path, "train")
    test_x, test_y, test_classes = _read_split(test_path, "test")
    if not np.array_equal(train_classes, test_classes):
        raise DatasetLayoutError(
            f"list_classes differs between {train_path} ({train_classes.tolist()}) "
            f"and {test_path} ({test_classes.tolist()})."
        )
    return train_x, train_y.reshape(1, -1), test_x, test_y.reshape(1, -1), train_classes


def _missing_message(name: str, path: Path) -> str:
    if DATASETS[name].shipped:
        return f"Data file {path} is missing. {REBUILD_HINT}"
    spec = DATASETS[name]
    return (
        f"Data file {path} is missing. {spec.train} and {spec.test} are the data files of the "
        "original course; they cannot be redistributed, so this repository does not ship them. "
        f"If you have them, copy both into {path.parent}/ (this file must be {path}). "
        'Otherwise use the default data set: load_dataset("fashion").'
    )


def _read_manifest(path: Path) -> dict[str, str]:
    """Parse a sha256sum-format manifest into {file name: hex sha256}."""
    if not path.is_file():
        raise DatasetMissingError(f"Checksum manifest {path} is missing. {REBUILD_HINT}")
    sums = {}
    for line in path.read_text(encoding="ascii").splitlines():
        if line.strip():
            digest, file_name = line.split(maxsplit=1)
            sums[file_name.lstrip("*")] = digest.lower()
    return sums


def _verify_checksum(path: Path, expected: dict[str, str]) -> None:
    if path.name not in expected:
        raise DatasetChecksumError(
            f"{path.parent / MANIFEST} has no entry for {path.name}. {REBUILD_HINT}"
        )
    stat = path.stat()
    actual = _sha256(str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    if actual != expected[path.name]:
        raise DatasetChecksumError(
            f"Data file {path} is corrupt or was modified: its sha256 is {actual}, but "
            f"{MANIFEST} expects {expected[path.name]}. {REBUILD_HINT}"
        )


@lru_cache(maxsize=64)
def _sha256(path: str, mtime_ns: int, size: int) -> str:
    """Hex sha256 of a file; cached per (path, mtime, size) so repeated loads are fast."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_split(path: Path, split: str):
    """Read and validate one split file.

    Returns:
    x -- images, shape (m, h, w, c) uint8
    y -- labels, shape (m,) integer
    classes -- class names, shape (n_classes,) bytes
    """
    x_key, y_key = f"{split}_set_x", f"{split}_set_y"
    try:
        f = h5py.File(path, "r")
    except OSError as error:
        raise DatasetLayoutError(f"{path} is not a readable HDF5 file ({error}).") from error
    with f:
        missing = [key for key in (x_key, y_key, "list_classes") if key not in f]
        if missing:
            raise DatasetLayoutError(
                f"{path} has no dataset {', '.join(missing)} "
                f"(it has: {', '.join(sorted(f)) or 'nothing'})."
            )
        for key in (x_key, y_key, "list_classes"):
            if not isinstance(f[key], h5py.Dataset):
                raise DatasetLayoutError(f"{path}: {key} is a group, expected a dataset.")
        x, y, classes = f[x_key][()], f[y_key][()], f["list_classes"][()]

    if x.ndim != 4:
        raise DatasetLayoutError(
            f"{path}: {x_key} has shape {x.shape}, expected 4 dimensions (m, h, w, c)."
        )
    if x.dtype != np.uint8:
        raise DatasetLayoutError(f"{path}: {x_key} has dtype {x.dtype}, expected uint8.")
    if y.ndim != 1:
        raise DatasetLayoutError(f"{path}: {y_key} has shape {y.shape}, expected (m,).")
    if y.dtype.kind not in "iu":
        raise DatasetLayoutError(f"{path}: {y_key} has dtype {y.dtype}, expected integers.")
    if len(y) != len(x):
        raise DatasetLayoutError(
            f"{path}: {y_key} has {len(y)} labels but {x_key} has {len(x)} images."
        )
    if classes.dtype.kind == "O" and all(isinstance(c, bytes) for c in classes.flat):
        classes = classes.astype(bytes)  # variable-length strings, as h5py writes a list of str
    if classes.ndim != 1 or classes.dtype.kind != "S" or len(classes) == 0:
        raise DatasetLayoutError(
            f"{path}: list_classes has shape {classes.shape} and dtype {classes.dtype}, "
            "expected a non-empty 1-D array of bytes."
        )
    if len(y) and (y.min() < 0 or y.max() >= len(classes)):
        raise DatasetLayoutError(
            f"{path}: {y_key} has labels from {y.min()} to {y.max()}, but list_classes has "
            f"{len(classes)} names, so labels must be in 0..{len(classes) - 1}."
        )
    return x, y, classes


def default_dataset(data_dir: str | os.PathLike | None = None) -> str:
    """The data set a notebook uses by default: "catvnoncat" when both of the original course's
    files are in the data folder (a user put them there), else the shipped "fashion"."""
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    cat = DATASETS["catvnoncat"]
    if all((folder / name).is_file() for name in (cat.train, cat.test)):
        return "catvnoncat"
    return "fashion"


def load_image(path: str | os.PathLike, size: int, channels: int = 3) -> np.ndarray:
    """Read an image file, resized to size x size pixels, as the data sets store images.

    Arguments:
    path -- an image file (JPEG, PNG, ... anything Pillow reads)
    size -- height and width in pixels of the result (num_px)
    channels -- 1 for grey scale, 3 for colour (RGB)

    Returns:
    image -- numpy array of shape (size, size, channels), dtype uint8

    Raises FileNotFoundError when there is no such file, ValueError when it is not an image.
    """
    from PIL import Image, UnidentifiedImageError

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"no image file at {path.resolve()}: put your picture next to the notebook "
            f"(or give its full path) and check the spelling of its name."
        )
    if channels not in (1, 3):
        raise ValueError(f"channels must be 1 (grey scale) or 3 (colour), not {channels!r}")
    try:
        with Image.open(path) as img:
            img = img.convert("L" if channels == 1 else "RGB")
            img = img.resize((size, size), Image.Resampling.LANCZOS)
            array = np.asarray(img, dtype=np.uint8)
    except (UnidentifiedImageError, OSError) as exc:
        raise ValueError(
            f"{path} is not an image that can be read ({exc}); use a JPEG or PNG file."
        ) from None
    return array.reshape(size, size, channels)
