# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""PEP 517 build backend of the addon: whool, the OCA's backend, run on a
copy of the addon without the repository's tooling.

whool packs every file git tracks in the addon's folder, names the package
after that folder, and has no option to leave files out. This repository is
the addon itself, whatever its checkout is called, and holds its tooling
beside the addon's files; so the files git tracks (all files, in a sdist),
less ``[tool.addon_wheel] exclude`` of pyproject.toml, are copied into a
folder named after the addon, and whool builds from there. Name, version
and dependencies are whool's, from the manifest.
"""

import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from whool import buildapi as whool

try:
    import tomllib
except ImportError:  # Python 3.10, where whool brings tomli
    import tomli as tomllib

ADDON = "account_dispute"
# Kept in a sdist, so that a wheel can be built from it.
SDIST_KEEP = ("pyproject.toml", "tools/addon_wheel.py")


def excluded_paths(source):
    """The paths (relative to the addon) that stay out of the wheel; one
    ending in "/" stands for a folder."""
    with open(source / "pyproject.toml", "rb") as f:
        return tuple(tomllib.load(f)["tool"]["addon_wheel"]["exclude"])


def is_excluded(path, excluded):
    return any(path.startswith(e) if e.endswith("/") else path == e for e in excluded)


def source_files(source):
    """The files of the addon: those git tracks, or all of them outside git
    (an unpacked sdist)."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z"], cwd=source, check=True, capture_output=True
        ).stdout.decode()
        return [f for f in out.split("\0") if f]
    except (subprocess.CalledProcessError, FileNotFoundError):
        return [
            os.path.relpath(os.path.join(root, name), source)
            for root, __, names in os.walk(source)
            for name in names
        ]


@contextmanager
def staged(keep=()):
    """A copy of the addon in the current folder, less the excluded paths
    (but ``keep``), in a folder named after the addon, made current."""
    source = Path.cwd()
    excluded = excluded_paths(source)
    with tempfile.TemporaryDirectory() as tmp:
        stage = Path(tmp) / ADDON
        for path in source_files(source):
            if is_excluded(path, excluded) and path not in keep:
                continue
            target = stage / path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / path, target)
        os.chdir(stage)
        try:
            yield stage
        finally:
            os.chdir(source)


def _absolute(directory):
    return str(Path(directory).resolve())


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    """PEP 517 hook: whool's wheel of the addon, without the tooling."""
    wheel_directory = _absolute(wheel_directory)
    with staged():
        return whool.build_wheel(wheel_directory, config_settings, metadata_directory)


def build_sdist(sdist_directory, config_settings=None):
    """PEP 517 hook: whool's sdist, without the tooling but this backend."""
    sdist_directory = _absolute(sdist_directory)
    with staged(keep=SDIST_KEEP):
        return whool.build_sdist(sdist_directory, config_settings)


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    """PEP 517 hook: whool's metadata, under the addon's name."""
    metadata_directory = _absolute(metadata_directory)
    with staged():
        return whool.prepare_metadata_for_build_wheel(
            metadata_directory, config_settings
        )
