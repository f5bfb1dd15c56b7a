"""Build the course's default image data set from Fashion-MNIST, reproducibly.

The source is Debian's package ``dataset-fashion-mnist`` (MIT licence, Zalando SE), which
installs the four original IDX files in /usr/share/datasets/fashion-mnist/. This script keeps two
similar classes, coats (label 0) and shirts (label 1), takes the first images of each class in
the order of the original files (no random numbers, so the selection does not depend on the numpy
version), and writes them in the HDF5 layout of the original course's cat files:

    train_set_x   (m_train, 28, 28, 1) uint8    grayscale images, 0 = black, 255 = white
    train_set_y   (m_train,)           int64    labels, an index into list_classes
    test_set_x    (m_test, 28, 28, 1)  uint8
    test_set_y    (m_test,)            int64
    list_classes  (2,)                 bytes    the class names, index = label

Usage:
    python datasets/build_fashion.py            build datasets/*.h5 and datasets/SHA256SUMS
    python datasets/build_fashion.py --check    rebuild in a temporary folder and compare

The output is byte-for-byte reproducible: no timestamps, fixed chunking, fixed compression level
and a fixed HDF5 file-format version.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import struct
import sys
import tempfile
from pathlib import Path

import h5py
import numpy as np

SOURCE_DIR = Path("/usr/share/datasets/fashion-mnist")
SOURCE_FILES = {
    "train_images": "train-images-idx3-ubyte.gz",
    "train_labels": "train-labels-idx1-ubyte.gz",
    "test_images": "t10k-images-idx3-ubyte.gz",
    "test_labels": "t10k-labels-idx1-ubyte.gz",
}
INSTALL_HINT = "sudo apt-get install dataset-fashion-mnist"

# Fashion-MNIST label -> our label. Our label is the index into list_classes.
FASHION_LABELS = {4: 0, 6: 1}  # 4 = Coat, 6 = Shirt
CLASS_NAMES = [b"coat", b"shirt"]
N_TRAIN_PER_CLASS = 1000
N_TEST_PER_CLASS = 500

OUTPUT_FILES = {"train": "fashion_train.h5", "test": "fashion_test.h5"}
MANIFEST = "SHA256SUMS"
HERE = Path(__file__).resolve().parent

ATTRS = {
    "source": "Fashion-MNIST, https://github.com/zalandoresearch/fashion-mnist "
    "(Debian package dataset-fashion-mnist)",
    "license": "MIT (Expat), Copyright 2017 Zalando SE",
    "builder": "datasets/build_fashion.py",
}


def read_idx(path: Path) -> np.ndarray:
    """Read one gzip-compressed IDX file of unsigned bytes.

    Arguments:
    path -- a .gz file in the IDX format (magic 0x0000, type 0x08 = uint8, then the dimensions)

    Returns:
    array -- uint8 array of the stored shape, e.g. (60000, 28, 28) for images, (60000,) for labels
    """
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype_code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype_code != 0x08:
        raise ValueError(f"{path}: not an IDX file of unsigned bytes")
    dims = struct.unpack(f">{ndim}I", data[4 : 4 + 4 * ndim])
    array = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    if array.size != int(np.prod(dims)):
        raise ValueError(f"{path}: expected {int(np.prod(dims))} values, found {array.size}")
    return array.reshape(dims)


def select_first(labels: np.ndarray, n_per_class: int) -> np.ndarray:
    """Indices of the first n_per_class images of each kept class, in the original file order.

    Arguments:
    labels -- Fashion-MNIST labels, shape (m,)
    n_per_class -- how many images to keep from each class in FASHION_LABELS

    Returns:
    index -- sorted indices into labels, shape (len(FASHION_LABELS) * n_per_class,)
    """
    chosen = []
    for fashion_label in FASHION_LABELS:
        found = np.flatnonzero(labels == fashion_label)
        if found.size < n_per_class:
            raise ValueError(f"class {fashion_label} has only {found.size} images")
        chosen.append(found[:n_per_class])
    return np.sort(np.concatenate(chosen))


def make_split(images: np.ndarray, labels: np.ndarray, n_per_class: int):
    """Select one balanced split and map the labels to 0/1.

    Arguments:
    images -- Fashion-MNIST images, shape (m, 28, 28) uint8
    labels -- Fashion-MNIST labels, shape (m,) uint8
    n_per_class -- images per class

    Returns:
    x -- images, shape (2 * n_per_class, 28, 28, 1) uint8
    y -- labels 0/1, shape (2 * n_per_class,) int64
    """
    index = select_first(labels, n_per_class)
    x = np.ascontiguousarray(images[index][..., np.newaxis], dtype=np.uint8)
    y = np.array([FASHION_LABELS[int(label)] for label in labels[index]], dtype=np.int64)
    return x, y


def write_h5(path: Path, split: str, x: np.ndarray, y: np.ndarray) -> None:
    """Write one split in the course's HDF5 layout, with nothing that varies between builds.

    Arguments:
    path -- the file to write
    split -- "train" or "test" (the dataset name prefix)
    x -- images, shape (m, h, w, c) uint8
    y -- labels, shape (m,) int64
    """
    # libver pins the file-format version; track_times=False drops the creation timestamps.
    with h5py.File(path, "w", libver=("earliest", "v110")) as f:
        f.create_dataset(
            f"{split}_set_x",
            data=x,
            chunks=(min(len(x), 100), *x.shape[1:]),
            compression="gzip",
            compression_opts=9,
            track_times=False,
        )
        f.create_dataset(f"{split}_set_y", data=y, track_times=False)
        f.create_dataset("list_classes", data=np.array(CLASS_NAMES), track_times=False)
        for key, value in ATTRS.items():
            f.attrs[key] = value


def sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_source(source_dir: Path) -> None:
    """Exit with an installation hint if a Fashion-MNIST source file is missing."""
    missing = [name for name in SOURCE_FILES.values() if not (source_dir / name).is_file()]
    if missing:
        sys.exit(
            f"Fashion-MNIST source files not found in {source_dir}: {', '.join(missing)}.\n"
            f"Install them with:  {INSTALL_HINT}\n"
            "(or pass --source DIR pointing to a folder holding the four original .gz files)"
        )


def build(out_dir: Path, source_dir: Path = SOURCE_DIR) -> dict[str, str]:
    """Build the HDF5 files and the SHA256SUMS manifest in out_dir.

    Returns:
    sums -- {file name: hex sha256} of the files written (manifest excluded)
    """
    check_source(source_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    sums = {}
    for split, per_class in (("train", N_TRAIN_PER_CLASS), ("test", N_TEST_PER_CLASS)):
        images = read_idx(source_dir / SOURCE_FILES[f"{split}_images"])
        labels = read_idx(source_dir / SOURCE_FILES[f"{split}_labels"])
        x, y = make_split(images, labels, per_class)
        path = out_dir / OUTPUT_FILES[split]
        write_h5(path, split, x, y)
        sums[path.name] = sha256(path)
    manifest = "".join(f"{digest}  {name}\n" for name, digest in sums.items())
    (out_dir / MANIFEST).write_text(manifest, encoding="ascii")
    return sums


def read_manifest(path: Path) -> dict[str, str]:
    """Parse a sha256sum-format manifest into {file name: hex sha256}."""
    sums = {}
    for line in path.read_text(encoding="ascii").splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            sums[name.lstrip("*")] = digest
    return sums


def check(shipped_dir: Path, source_dir: Path = SOURCE_DIR) -> int:
    """Rebuild in a temporary folder and compare with the shipped files and manifest.

    Returns:
    status -- 0 when everything matches, 1 otherwise (each difference is printed)
    """
    problems = []
    manifest_path = shipped_dir / MANIFEST
    manifest = read_manifest(manifest_path) if manifest_path.is_file() else None
    if manifest is None:
        problems.append(f"{manifest_path}: missing")
    with tempfile.TemporaryDirectory() as tmp:
        rebuilt = build(Path(tmp), source_dir)
        for name, digest in rebuilt.items():
            shipped = shipped_dir / name
            if manifest is not None and manifest.get(name) != digest:
                problems.append(
                    f"{manifest_path}: entry for {name} is {manifest.get(name)}, "
                    f"the rebuild gives {digest}"
                )
            if not shipped.is_file():
                problems.append(f"{shipped}: missing")
            elif sha256(shipped) != digest:
                problems.append(
                    f"{shipped}: sha256 {sha256(shipped)}, the rebuild gives {digest} "
                    f"({compare_content(shipped, Path(tmp) / name)})"
                )
        if manifest is not None:
            for name in sorted(set(manifest) - set(rebuilt)):
                problems.append(f"{manifest_path}: lists {name}, which the build does not make")
    for problem in problems:
        print(f"DIFFERS: {problem}", file=sys.stderr)
    if problems:
        print(
            "Rebuild the shipped files with:  python datasets/build_fashion.py "
            "(or restore them with: git checkout -- datasets/)",
            file=sys.stderr,
        )
        return 1
    for name, digest in rebuilt.items():
        print(f"OK {digest}  {name}")
    return 0


def compare_content(shipped: Path, rebuilt: Path) -> str:
    """Say whether two HDF5 files that differ in bytes hold the same datasets and values."""
    try:
        with h5py.File(shipped, "r") as fs, h5py.File(rebuilt, "r") as fr:
            if set(fs) != set(fr):
                return f"different datasets: {sorted(fs)} instead of {sorted(fr)}"
            for key in fr:
                if fs[key].dtype != fr[key].dtype or not np.array_equal(fs[key][()], fr[key][()]):
                    return f"{key} differs"
    except Exception as error:  # a damaged file may fail in h5py or in the gzip filter
        return f"cannot be read: {error}"
    return "same arrays, different bytes: probably another h5py/HDF5/zlib version"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="rebuild in a temporary folder and compare with the shipped files and manifest",
    )
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=HERE,
        help=f"where to write, or with --check the folder to compare (default: {HERE})",
    )
    parser.add_argument(
        "--source",
        type=Path,
        default=SOURCE_DIR,
        help=f"folder with the Fashion-MNIST .gz files (default: {SOURCE_DIR})",
    )
    args = parser.parse_args(argv)
    if args.check:
        return check(args.out_dir, args.source)
    sums = build(args.out_dir, args.source)
    for name, digest in sums.items():
        print(f"wrote {args.out_dir / name}  sha256 {digest}")
    print(f"wrote {args.out_dir / MANIFEST}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
