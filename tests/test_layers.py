"""The layers hold (issue 17; docs/architecture.md §3): ``lint-imports`` checks the contracts in
pyproject.toml, so a crossed layer fails the suite."""

import ast
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
PACKAGES = ("portal", "content", "workflows", "draws", "language")


def test_import_contracts_are_kept():
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint), "--no-cache"], cwd=PROJECT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def test_no_project_import_hides_inside_a_function():
    """An import inside a function is how a cycle is usually dodged; the project has none (scripts, which
    nothing imports, may import lazily)."""
    found = []
    for package in PACKAGES:
        for path in (PROJECT / package).rglob("*.py"):
            if "scripts" in path.parts:
                continue
            tree = ast.parse(path.read_text())
            for node in ast.walk(tree):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    for inner in ast.walk(node):
                        if isinstance(inner, ast.ImportFrom) and (inner.module or "").split(".")[0] in PACKAGES:
                            found.append(f"{path.relative_to(PROJECT)}:{inner.lineno}")
    assert found == []
