"""The house shows the pipeline: one package per stage, dependencies pointing forward only,
small modules and small signatures."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "opp_docs"
# The stages in the order data flows through them; a stage may import an earlier one only.
STAGES = ("intake", "decide", "documents", "pdf", "overviews", "pipeline")
# Shared by every stage (rank 0), and the command line (its funnel and terminal lines) on
# top of everything.
TOP = {"cli": len(STAGES) + 1, "funnel": len(STAGES) + 1, "terminal": len(STAGES) + 1}
MAX_LINES = 600
MAX_PARAMETERS = 5


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py"))


# The fictional cohort is written as intake exports: it may use the intake's field
# definitions, and the documents' field reference reads it as the example student.
PLACED = {"demo": STAGES.index("intake") + 1}


def rank(module: str) -> int:
    """A module's place in the pipeline, by its dotted name below opp_docs."""
    first = module.split(".", 1)[0]
    if first in PLACED:
        return PLACED[first]
    if first in STAGES:
        return STAGES.index(first) + 1
    return TOP.get(first, 0)


def dotted(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE).with_suffix("").parts)


def imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith("opp_docs."):
                names.add(node.module.removeprefix("opp_docs."))
            elif node.module == "opp_docs":
                names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(
                a.name.removeprefix("opp_docs.")
                for a in node.names
                if a.name.startswith("opp_docs.")
            )
    return names


@pytest.mark.parametrize("path", modules(), ids=dotted)
def test_no_stage_imports_a_later_one(path: Path) -> None:
    own = dotted(path)
    later = sorted(m for m in imported(path) if rank(m) > rank(own))
    assert later == [], f"{own} reaches forward into {later}"


@pytest.mark.parametrize("path", modules(), ids=dotted)
def test_modules_are_small(path: Path) -> None:
    lines = len(path.read_text("utf-8").splitlines())
    assert lines <= MAX_LINES, f"{dotted(path)} has {lines} lines"


def is_click_command(node: ast.FunctionDef) -> bool:
    return any(
        "command" in ast.unparse(d) or "option" in ast.unparse(d) for d in node.decorator_list
    )


@pytest.mark.parametrize("path", modules(), ids=dotted)
def test_functions_take_few_parameters(path: Path) -> None:
    crowded = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if is_click_command(node):
                continue
            arguments = node.args
            count = len(arguments.posonlyargs + arguments.args + arguments.kwonlyargs)
            if arguments.args and arguments.args[0].arg in ("self", "cls"):
                count -= 1
            if count > MAX_PARAMETERS:
                crowded.append(f"{node.name} ({count})")
    assert crowded == [], f"{dotted(path)}: {', '.join(crowded)}"


def test_no_module_shadows_the_standard_library() -> None:
    import sys

    shadowing = [dotted(p) for p in modules() if p.stem in sys.stdlib_module_names]
    assert shadowing == []
