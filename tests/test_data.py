"""The shipped data set, its build script and utils.data.load_dataset."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest
from support.system_packages import require_system_package

from utils import data
from utils.data import (
    DatasetChecksumError,
    DatasetError,
    DatasetLayoutError,
    DatasetMissingError,
    load_dataset,
)

REPO = Path(__file__).resolve().parents[1]
DATASETS = REPO / "datasets"
BUILD_SCRIPT = DATASETS / "build_fashion.py"
FASHION_SOURCE = Path("/usr/share/datasets/fashion-mnist")
SHIPPED = ("fashion_train.h5", "fashion_test.h5")
# The original course files are not in the repository; CI keeps them in shared/ beside it.
REFERENCE_CATS = REPO.parent / "shared" / "reference-data" / "catvnoncat"


@pytest.fixture(autouse=True)
def _no_data_dir_override(monkeypatch):
    monkeypatch.delenv(data.ENV_VAR, raising=False)


@pytest.fixture
def data_copy(tmp_path):
    """A private copy of datasets/ (the shipped files and manifest) that a test may damage."""
    copy = tmp_path / "datasets"
    copy.mkdir()
    for name in (*SHIPPED, "SHA256SUMS"):
        shutil.copy2(DATASETS / name, copy / name)
    return copy


def write_split(path, split, x, y, classes=(b"non-cat", b"cat")):
    """Write one split file in the course's HDF5 layout."""
    with h5py.File(path, "w") as f:
        f.create_dataset(f"{split}_set_x", data=x)
        f.create_dataset(f"{split}_set_y", data=y)
        f.create_dataset("list_classes", data=np.array(classes))


def fake_cats(folder, m_train=6, m_test=4):
    """Small fake train/test_catvnoncat.h5 files, (m, 8, 8, 3) uint8 with labels 0/1."""
    rng = np.random.default_rng(0)
    for split, m in (("train", m_train), ("test", m_test)):
        x = rng.integers(0, 256, size=(m, 8, 8, 3), dtype=np.uint8)
        y = np.arange(m, dtype=np.int64) % 2
        write_split(folder / f"{split}_catvnoncat.h5", split, x, y)
    return folder


def flip_byte(path, offset=-100):
    """Change one byte of a file and move its modification time on by a second."""
    raw = bytearray(path.read_bytes())
    raw[offset] ^= 0xFF
    stat = path.stat()
    path.write_bytes(bytes(raw))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


# --- the shipped files ------------------------------------------------------------------------


def test_shipped_files_match_the_manifest():
    lines = (DATASETS / "SHA256SUMS").read_text().splitlines()
    manifest = {name: digest for digest, name in (line.split("  ") for line in lines)}
    assert sorted(manifest) == sorted(SHIPPED)
    for name, digest in manifest.items():
        assert hashlib.sha256((DATASETS / name).read_bytes()).hexdigest() == digest, name


def test_shipped_files_are_small_enough_for_binder():
    assert sum((DATASETS / name).stat().st_size for name in SHIPPED) < 10 * 2**20


def test_fashion_loads_with_documented_shapes_and_dtypes():
    train_x, train_y, test_x, test_y, classes = load_dataset()
    assert train_x.shape == (2000, 28, 28, 1) and train_x.dtype == np.uint8
    assert test_x.shape == (1000, 28, 28, 1) and test_x.dtype == np.uint8
    assert train_y.dtype.kind == "i" and test_y.dtype.kind == "i"
    assert classes.tolist() == [b"coat", b"shirt"]


def test_labels_are_row_vectors_of_shape_1_by_m():
    train_x, train_y, test_x, test_y, _ = load_dataset("fashion")
    assert train_y.shape == (1, train_x.shape[0])
    assert test_y.shape == (1, test_x.shape[0])


def test_labels_are_zero_or_one():
    _, train_y, _, test_y, _ = load_dataset("fashion")
    assert set(np.unique(train_y)) <= {0, 1}
    assert set(np.unique(test_y)) <= {0, 1}


def test_both_classes_are_present_and_balanced_in_each_split():
    _, train_y, _, test_y, _ = load_dataset("fashion")
    for y in (train_y, test_y):
        assert np.bincount(y.ravel()).tolist() == [y.size // 2, y.size // 2]


def test_images_use_the_full_pixel_range():
    train_x, _, _, _, _ = load_dataset("fashion")
    assert train_x.min() == 0 and train_x.max() == 255


# --- where the data is looked for --------------------------------------------------------------


def test_default_data_dir_is_the_repository_datasets_folder():
    assert data.default_data_dir() == DATASETS


def test_environment_variable_overrides_the_data_dir(monkeypatch, data_copy):
    monkeypatch.setenv(data.ENV_VAR, str(data_copy))
    assert data.default_data_dir() == data_copy
    flip_byte(data_copy / "fashion_test.h5")
    with pytest.raises(DatasetChecksumError, match=re.escape(str(data_copy / "fashion_test.h5"))):
        load_dataset()


def test_without_the_repository_folder_the_datasets_folder_above_the_cwd_is_used(
    monkeypatch, tmp_path
):
    monkeypatch.setattr(data, "__file__", str(tmp_path / "site-packages" / "utils" / "data.py"))
    (tmp_path / "course" / "datasets").mkdir(parents=True)
    (tmp_path / "course" / "datasets" / "SHA256SUMS").write_text("")
    (tmp_path / "course" / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "course" / "notebooks")
    assert data.default_data_dir() == tmp_path / "course" / "datasets"


def test_an_unrelated_datasets_package_is_not_taken_for_the_data_folder(monkeypatch, tmp_path):
    monkeypatch.setattr(data, "__file__", str(tmp_path / "site-packages" / "utils" / "data.py"))
    (tmp_path / "site-packages" / "datasets").mkdir(parents=True)
    (tmp_path / "site-packages" / "datasets" / "__init__.py").write_text("")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DatasetMissingError, match=data.ENV_VAR):
        data.default_data_dir()


def test_data_dir_may_be_a_string(data_copy):
    train_x, *_ = load_dataset("fashion", data_dir=str(data_copy))
    assert train_x.shape[0] == 2000


def test_data_dir_that_does_not_exist_is_named(tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(DatasetMissingError, match=re.escape(str(missing))):
        load_dataset("fashion", data_dir=missing)


def test_unknown_name_is_a_value_error_listing_the_known_names():
    with pytest.raises(ValueError, match="Unknown data set 'mnist'") as info:
        load_dataset("mnist")
    assert "'fashion'" in str(info.value) and "'catvnoncat'" in str(info.value)


# --- missing and corrupt shipped files ---------------------------------------------------------


def test_missing_shipped_file_error_names_the_file_and_how_to_get_it_back(data_copy):
    (data_copy / "fashion_train.h5").unlink()
    with pytest.raises(DatasetMissingError) as info:
        load_dataset("fashion", data_dir=data_copy)
    message = str(info.value)
    assert str(data_copy / "fashion_train.h5") in message
    assert "git checkout -- datasets/" in message
    assert "python datasets/build_fashion.py" in message


def test_missing_file_error_is_a_file_not_found_error(data_copy):
    (data_copy / "fashion_test.h5").unlink()
    with pytest.raises(FileNotFoundError):
        load_dataset("fashion", data_dir=data_copy)


def test_missing_manifest_is_reported_with_the_rebuild_hint(data_copy):
    (data_copy / "SHA256SUMS").unlink()
    with pytest.raises(DatasetMissingError, match="SHA256SUMS.*build_fashion.py"):
        load_dataset("fashion", data_dir=data_copy)


def test_corrupted_file_fails_the_checksum_naming_the_file_and_both_hashes(data_copy):
    path = data_copy / "fashion_train.h5"
    expected = hashlib.sha256(path.read_bytes()).hexdigest()
    flip_byte(path)
    actual = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(DatasetChecksumError) as info:
        load_dataset("fashion", data_dir=data_copy)
    message = str(info.value)
    assert str(path) in message and expected in message and actual in message
    assert "git checkout -- datasets/" in message


def test_a_file_modified_after_a_successful_load_is_verified_again(data_copy):
    load_dataset("fashion", data_dir=data_copy)
    flip_byte(data_copy / "fashion_test.h5")
    with pytest.raises(DatasetChecksumError, match="fashion_test.h5"):
        load_dataset("fashion", data_dir=data_copy)


def test_repeated_loads_hash_each_file_only_once(data_copy):
    load_dataset("fashion", data_dir=data_copy)
    misses = data._sha256.cache_info().misses
    load_dataset("fashion", data_dir=data_copy)
    assert data._sha256.cache_info().misses == misses


def test_all_loader_errors_share_one_base_class():
    for error in (DatasetMissingError, DatasetChecksumError, DatasetLayoutError):
        assert issubclass(error, DatasetError)


# --- the original course's cat files, supplied by the user ----------------------------------


def test_user_supplied_catvnoncat_files_load_unchanged(tmp_path):
    fake_cats(tmp_path, m_train=6, m_test=4)
    train_x, train_y, test_x, test_y, classes = load_dataset("catvnoncat", data_dir=tmp_path)
    assert train_x.shape == (6, 8, 8, 3) and test_x.shape == (4, 8, 8, 3)
    assert train_y.shape == (1, 6) and test_y.shape == (1, 4)
    assert classes.tolist() == [b"non-cat", b"cat"]
    with h5py.File(tmp_path / "train_catvnoncat.h5") as f:
        np.testing.assert_array_equal(train_x, f["train_set_x"][()])


def test_missing_cat_file_explains_it_is_not_shipped_and_where_to_put_it(tmp_path):
    with pytest.raises(DatasetMissingError) as info:
        load_dataset("catvnoncat", data_dir=tmp_path)
    message = str(info.value)
    assert str(tmp_path / "train_catvnoncat.h5") in message
    assert "cannot be redistributed" in message
    assert 'load_dataset("fashion")' in message


def test_cat_files_are_not_checked_against_the_manifest(tmp_path):
    fake_cats(tmp_path)
    (tmp_path / "SHA256SUMS").write_text(f"{'0' * 64}  train_catvnoncat.h5\n")
    train_x, *_ = load_dataset("catvnoncat", data_dir=tmp_path)
    assert train_x.shape[0] == 6


def test_a_file_that_is_not_hdf5_is_rejected_naming_the_file(tmp_path):
    fake_cats(tmp_path)
    path = tmp_path / "test_catvnoncat.h5"
    path.write_text("<html>404 Not Found</html>")
    with pytest.raises(DatasetLayoutError, match=re.escape(f"{path} is not a readable HDF5 file")):
        load_dataset("catvnoncat", data_dir=tmp_path)


GOOD_X = np.zeros((4, 8, 8, 3), dtype=np.uint8)
GOOD_Y = np.array([0, 1, 0, 1], dtype=np.int64)


@pytest.mark.parametrize(
    ("x", "y", "classes", "problem"),
    [
        (GOOD_X[..., 0], GOOD_Y, (b"non-cat", b"cat"), r"shape \(4, 8, 8\), expected 4 dim"),
        (GOOD_X.astype(np.float32), GOOD_Y, (b"non-cat", b"cat"), "dtype float32, expected uint8"),
        (GOOD_X, GOOD_Y[None], (b"non-cat", b"cat"), r"shape \(1, 4\), expected \(m,\)"),
        (GOOD_X, GOOD_Y.astype(float), (b"non-cat", b"cat"), "dtype float64, expected integers"),
        (GOOD_X, GOOD_Y[:3], (b"non-cat", b"cat"), "has 3 labels but train_set_x has 4 images"),
        (GOOD_X, GOOD_Y + 1, (b"non-cat", b"cat"), r"labels from 1 to 2.*must be in 0\.\.1"),
        (GOOD_X, GOOD_Y, (1, 2), "list_classes .* expected a non-empty 1-D array of bytes"),
    ],
    ids=[
        "images-without-channel-axis",
        "images-not-uint8",
        "labels-not-1d",
        "labels-not-integers",
        "label-count-differs-from-image-count",
        "labels-outside-list_classes",
        "classes-not-bytes",
    ],
)
def test_a_wrong_layout_is_rejected_naming_the_file_and_the_problem(
    tmp_path, x, y, classes, problem
):
    fake_cats(tmp_path)
    path = tmp_path / "train_catvnoncat.h5"
    write_split(path, "train", x, y, classes)
    with pytest.raises(DatasetLayoutError, match=problem) as info:
        load_dataset("catvnoncat", data_dir=tmp_path)
    assert str(path) in str(info.value)


def test_a_missing_dataset_key_is_named(tmp_path):
    fake_cats(tmp_path)
    path = tmp_path / "test_catvnoncat.h5"
    with h5py.File(path, "a") as f:
        del f["test_set_y"]
    with pytest.raises(DatasetLayoutError, match=re.escape(f"{path} has no dataset test_set_y")):
        load_dataset("catvnoncat", data_dir=tmp_path)


def test_class_names_must_agree_between_train_and_test(tmp_path):
    fake_cats(tmp_path)
    write_split(tmp_path / "test_catvnoncat.h5", "test", GOOD_X, GOOD_Y, (b"dog", b"cat"))
    with pytest.raises(DatasetLayoutError, match="list_classes differs"):
        load_dataset("catvnoncat", data_dir=tmp_path)


def test_the_original_course_files_load_with_their_known_shapes():
    if not (REFERENCE_CATS / "train_catvnoncat.h5").is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{REFERENCE_CATS} is missing: CI must have the reference data beside it")
        pytest.skip(f"the original course files are not in {REFERENCE_CATS}")
    train_x, train_y, test_x, test_y, classes = load_dataset("catvnoncat", data_dir=REFERENCE_CATS)
    assert train_x.shape == (209, 64, 64, 3) and train_y.shape == (1, 209)
    assert test_x.shape == (50, 64, 64, 3) and test_y.shape == (1, 50)
    assert classes.tolist() == [b"non-cat", b"cat"]


# --- the build script -------------------------------------------------------------------------


def test_build_script_without_the_source_says_how_to_install_it(tmp_path):
    result = subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), "--source", str(tmp_path), "--out-dir", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "apt-get install dataset-fashion-mnist" in result.stderr
    assert not list(tmp_path.glob("*.h5"))


def require_fashion_source():
    """Debian's Fashion-MNIST package is a system package: CI installs it (.ci/run) and must
    have it; elsewhere the test is skipped with the command that installs it."""
    require_system_package(FASHION_SOURCE.is_dir(), f"{FASHION_SOURCE} (the source data)",
                           "sudo apt-get install dataset-fashion-mnist")


@pytest.mark.slow
def test_build_script_check_reproduces_the_shipped_files_byte_for_byte():
    require_fashion_source()
    result = subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_build_script_check_names_the_file_that_differs(data_copy):
    require_fashion_source()
    flip_byte(data_copy / "fashion_test.h5")
    result = subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), "--check", "--out-dir", str(data_copy)],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert str(data_copy / "fashion_test.h5") in result.stderr
    assert "fashion_train.h5" not in result.stderr


# ---------------------------------------------------------------------------- load_image


def _write_png(path, size=(40, 30), color=(200, 10, 10)):
    from PIL import Image

    Image.new("RGB", size, color).save(path)
    return path


def test_load_image_resizes_to_the_models_input_in_grey_scale(tmp_path):
    from utils.data import load_image

    image = load_image(_write_png(tmp_path / "shoe.png"), size=28, channels=1)
    assert image.shape == (28, 28, 1) and image.dtype == np.uint8


def test_load_image_keeps_colour_with_three_channels(tmp_path):
    from utils.data import load_image

    image = load_image(_write_png(tmp_path / "cat.png"), size=64, channels=3)
    assert image.shape == (64, 64, 3)
    assert image[..., 0].mean() > 150 and image[..., 1].mean() < 50


def test_load_image_names_a_missing_file(tmp_path):
    from utils.data import load_image

    with pytest.raises(FileNotFoundError, match="no image file at .*nothere.jpg"):
        load_image(tmp_path / "nothere.jpg", size=28)


def test_load_image_rejects_a_file_that_is_not_an_image(tmp_path):
    from utils.data import load_image

    text = tmp_path / "notes.jpg"
    text.write_text("not a picture")
    with pytest.raises(ValueError, match="notes.jpg is not an image"):
        load_image(text, size=28)


def test_default_dataset_is_the_shipped_one_without_the_cat_files(tmp_path):
    from utils.data import default_dataset

    assert default_dataset(tmp_path) == "fashion"


def test_default_dataset_picks_the_cat_files_when_both_are_present(tmp_path):
    from utils.data import default_dataset

    (tmp_path / "train_catvnoncat.h5").write_bytes(b"")
    assert default_dataset(tmp_path) == "fashion"
    (tmp_path / "test_catvnoncat.h5").write_bytes(b"")
    assert default_dataset(tmp_path) == "catvnoncat"
