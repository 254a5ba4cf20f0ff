"""The repository stands alone: every rule id it cites is stated in docs/rules/, and nothing points
outside the repository.

Code comments, tests and docs cite DynamoDB rules as ``K8``, ``E14``, ``TTL1`` and Step Functions
rules as ``JA-07``, ``ERR-14``, ``ASL-VAL-16``. Each id is a ``### <id>`` heading of
docs/rules/dynamodb.md or docs/rules/stepfunctions.md (so ``docs/rules/dynamodb.md#k8`` links to it).
An id is recognised by a prefix that the rules files define: a DynamoDB prefix with one or two
digits (``KC12``; longer numbers such as JSONata's ``T1006`` are error codes, not rules) or a Step
Functions prefix with a dash and two digits (``CTX-07``).
"""

import os
import re
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RULES = os.path.join(ROOT, "docs", "rules")
CITING_DIRS = ("emulator/", "tests/", "docs/")
CITING_FILES = ("README.md",)
# Tokens that look like rule ids but are something else where they occur.
NOT_RULE_IDS = {
    "P0": "a priority in the conformance audits (P0-P3), not a projection rule",
    "S0": "a state name in Step Functions tests",
    "S39": "a product code in a Step Functions test document",
}
# Text files only; the recorded conformance cases and S3 objects are data.
DATA_SUFFIXES = (".jsonl", ".json", ".csv", ".parquet", ".gz", ".png")


def _walk_files() -> list[str]:
    """Every file under the root but version-control data and caches (for a tree without git)."""
    skip = {".git", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", "build", "dist"}
    paths = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in skip and not d.endswith(".egg-info")]
        paths += [os.path.relpath(os.path.join(folder, f), ROOT) for f in files if f != ".git"]
    return paths


def _repository_files() -> list[str]:
    """The files git knows (committed or staged) plus untracked ones not ignored; every file when
    there is no git (an unpacked sdist)."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        paths = out.splitlines()
    except (OSError, subprocess.CalledProcessError):
        paths = _walk_files()
    return [p for p in paths if os.path.isfile(os.path.join(ROOT, p))]


def _text(path: str) -> str | None:
    try:
        with open(os.path.join(ROOT, path), encoding="utf-8") as f:
            return f.read()
    except (UnicodeDecodeError, OSError):
        return None


def _defined_ids() -> dict[str, set[str]]:
    ids: dict[str, set[str]] = {}
    for name in ("dynamodb", "stepfunctions"):
        text = _text(os.path.join("docs", "rules", f"{name}.md")) or ""
        ids[name] = set(re.findall(r"^### ([A-Z][A-Z0-9-]*\d)$", text, re.M))
    return ids


def _alternatives(prefixes: set[str]) -> str:
    """A regex alternation, longest prefix first (``KC`` before ``K``)."""
    return "|".join(sorted(map(re.escape, prefixes), key=len, reverse=True))


def _id_pattern(ids: dict[str, set[str]]) -> re.Pattern[str]:
    ddb = {re.sub(r"\d+$", "", i) for i in ids["dynamodb"]}
    sfn = {re.sub(r"\d+$", "", i) for i in ids["stepfunctions"]}
    edge_before, edge_after = r"(?<![A-Za-z0-9_./-])", r"(?![A-Za-z0-9_])"
    return re.compile(
        f"{edge_before}(?:(?:{_alternatives(sfn)})\\d{{2}}|(?:{_alternatives(ddb)})\\d{{1,2}}){edge_after}"
    )


def _citing_files() -> list[str]:
    return [
        p
        for p in _repository_files()
        if (p.startswith(CITING_DIRS) or p in CITING_FILES)
        and not p.endswith(DATA_SUFFIXES)
        and not p.startswith("docs/rules/")
    ]


def test_rules_files_define_the_ids():
    ids = _defined_ids()
    assert len(ids["dynamodb"]) > 200 and len(ids["stepfunctions"]) > 200
    assert {"K8", "E14", "TTL1", "V9"} <= ids["dynamodb"]
    assert {"JA-07", "ERR-14", "ASL-VAL-16", "API-N-01"} <= ids["stepfunctions"]


def test_every_cited_rule_id_is_stated_in_docs_rules():
    ids = _defined_ids()
    known = ids["dynamodb"] | ids["stepfunctions"]
    pattern = _id_pattern(ids)
    missing: dict[str, list[str]] = {}
    for path in _citing_files():
        text = _text(path)
        if text is None:
            continue
        for m in pattern.finditer(text):
            token = m.group()
            if token not in known and token not in NOT_RULE_IDS:
                line = text.count("\n", 0, m.start()) + 1
                missing.setdefault(token, []).append(f"{path}:{line}")
    assert not missing, f"rule ids cited but not stated in docs/rules/: {missing}"


@pytest.mark.parametrize("needle", ["../shared", "/work/"])
def test_no_file_points_outside_the_repository(needle):
    this = os.path.relpath(__file__, ROOT)
    offenders = [p for p in _repository_files() if p != this and needle in (_text(p) or "")]
    assert not offenders, f"files mentioning {needle!r}: {offenders}"
