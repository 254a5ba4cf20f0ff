"""The built distribution holds what a user installs: run by .ci/check_dist in the build venv.

Usage: check_dist.py DIST_DIR EXPECTED_VERSION. Exits non-zero naming the first thing missing.
"""

from __future__ import annotations

import sys
import tarfile
import zipfile
from email.parser import Parser
from importlib.metadata import version
from pathlib import Path

NAME = "dynamodb-stepfunctions-emulator"
WHEEL_MUST_HOLD = ("emulator/__init__.py", "emulator/py.typed", "emulator/pytest_plugin.py")
SDIST_MUST_HOLD = ("pyproject.toml", "README.md", "emulator/__init__.py")


def main(dist: Path, expected: str) -> None:
    (wheel,) = dist.glob("*.whl")
    (sdist,) = dist.glob("*.tar.gz")
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = Parser().parsestr(z.read(meta_name).decode())
        entry_points = z.read(meta_name.replace("METADATA", "entry_points.txt")).decode()
    check(meta["Name"] == NAME, f"wheel Name is {meta['Name']!r}, not {NAME!r}")
    check(meta["Version"] == expected, f"wheel Version {meta['Version']} != emulator.__version__ {expected}")
    for path in WHEEL_MUST_HOLD:
        check(path in names, f"the wheel lacks {path}")
    check(not any(n.startswith("tests/") for n in names), "the wheel ships the tests")
    check("emulator = emulator.cli:main" in entry_points, "the wheel lacks the `emulator` command")
    with tarfile.open(sdist) as t:
        root = t.getnames()[0].split("/")[0]
        held = {n.split("/", 1)[1] for n in t.getnames() if "/" in n}
    check(root == f"{NAME.replace('-', '_')}-{expected}", f"sdist root is {root!r}")
    for path in SDIST_MUST_HOLD:
        check(path in held, f"the sdist lacks {path}")
    import emulator  # the installed wheel, in this venv with no project checkout on the path

    check(emulator.__version__ == version(NAME) == expected, "installed version disagrees")
    print(f"dist ok: {wheel.name}, {sdist.name}")


def check(ok: bool, message: str) -> None:
    if not ok:
        sys.exit(f"check_dist: {message}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
