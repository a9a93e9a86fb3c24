"""The floors of the code (docs/architecture.md): imports go down only, and the one writer of
signatures is the signing act.

Read from the source with `ast`, so an import inside a function counts as much as one at the top.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Lowest first. A module may import its own package and anything on a lower floor, never higher.
FLOORS = [
    # The shared floor: imports no domain app.
    "vietnamese",
    "audit",
    "rendering",
    "caching",
    "web",
    "partydocs",
    "operations",
    # The domain.
    "branches",
    "criteria",
    "pledges",
    "reports.meetings",
    "reports.ratings",
    "reports.selfreviews",
    "reports.reviews",
    "reports.years",
    "reports.summaries",
    "reports",  # the app shell: its models index, urls and commands gather the folders above
    # Above the product: settings and URLs, the demo, the synthetic province and the benchmark.
    "demo",
    "benchmarking",
    "config",
]
FIRST_DOMAIN = FLOORS.index("branches")


def floor_of(module: str) -> int | None:
    """The floor of a dotted module name (the longest package prefix that names a floor)."""
    best = None
    for index, name in enumerate(FLOORS):
        if (module == name or module.startswith(name + ".")) and (
            best is None or len(name) > len(FLOORS[best])
        ):
            best = index
    return best


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, module: str) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the package
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module
            # `from reports import meetings` imports reports.meetings.
            found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
    return found


def product_files() -> list[Path]:
    files = []
    for name in {floor.split(".")[0] for floor in FLOORS}:
        files += sorted((ROOT / name).rglob("*.py"))
    return files


def upward_imports() -> list[str]:
    problems = []
    for path in product_files():
        module = _module_name(path)
        own = floor_of(module)
        for line, imported in _imports(path, module):
            target = floor_of(imported)
            if target is None:
                continue  # the standard library or a third-party package
            # `from reports import models` resolves to the shell; a sibling import is not upward.
            if target > own and not FLOORS[target].startswith(FLOORS[own] + "."):
                problems.append(
                    f"{path.relative_to(ROOT)}:{line} ({FLOORS[own]}) imports {imported} "
                    f"({FLOORS[target]})"
                )
    return problems


def test_imports_go_down_only():
    assert upward_imports() == []


def test_the_shared_floor_imports_no_domain_app():
    for path in product_files():
        module = _module_name(path)
        own = floor_of(module)
        if own >= FIRST_DOMAIN:
            continue
        for line, imported in _imports(path, module):
            target = floor_of(imported)
            assert target is None or target < FIRST_DOMAIN, (
                f"{path.relative_to(ROOT)}:{line} imports {imported}"
            )


@pytest.mark.parametrize(
    ("module", "imported", "upward"),
    [
        ("criteria.models", "reports.summaries.models.GeneratedDocument", True),
        ("partydocs.signing", "pledges.models.Pledge", True),
        ("reports.meetings.services", "reports.reviews.selectors.review_sheet", True),
        ("reports.reviews.services", "reports.meetings.models.Evidence", False),
        ("pledges.services", "partydocs.signing.sign", False),
    ],
)
def test_the_rule_itself(module, imported, upward):
    """The check would see an upward import (so the test above cannot pass by seeing nothing)."""
    assert (floor_of(imported) > floor_of(module)) is upward


def test_signatures_are_written_only_by_the_signing_act():
    """No module but partydocs/signing.py builds, creates or changes a Signature row."""
    writers = {"create", "bulk_create", "get_or_create", "update_or_create", "update", "delete"}
    offenders = []
    for path in product_files():
        relative = path.relative_to(ROOT).as_posix()
        if relative == "partydocs/signing.py" or "/migrations/" in relative:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            call = ast.unparse(node.func)
            if call == "Signature" or (
                call.startswith("Signature.objects.") and call.rsplit(".", 1)[1] in writers
            ):
                offenders.append(f"{relative}:{node.lineno} {call}")
    assert offenders == []


def test_nothing_private_is_used_from_outside_its_module():
    """The demo, the province builder and the other apps use public services only: no
    `from x import _private`, no `module._private` on a product module."""
    uses = []
    for path in product_files():
        relative = path.relative_to(ROOT).as_posix()
        if "/migrations/" in relative:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = set()  # names bound to product modules in this file
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and floor_of(node.module) is not None
            ):
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        uses.append(f"{relative}:{node.lineno} {node.module}.{alias.name}")
                    if (ROOT / node.module.replace(".", "/") / f"{alias.name}.py").exists() or (
                        ROOT / node.module.replace(".", "/") / alias.name
                    ).is_dir():
                        modules.add(alias.asname or alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if floor_of(alias.name) is not None and alias.asname:
                        modules.add(alias.asname)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in modules
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                uses.append(f"{relative}:{node.lineno} {node.value.id}.{node.attr}")
    assert uses == []


def test_the_day_is_the_committee_s_day():
    """`date.today()` and `datetime.now()` read the server's clock, often UTC: from 17:00 UTC the
    date in Việt Nam (TIME_ZONE) is already tomorrow, so a deadline, a membership's first day or
    the signers in office would be judged on the wrong day. The product asks
    `timezone.localdate()` / `timezone.now()` instead."""
    naive = {"date.today", "datetime.date.today", "datetime.now", "datetime.datetime.now"}
    offenders = []
    for path in product_files():
        relative = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and ast.unparse(node.func) in naive and not node.args:
                offenders.append(f"{relative}:{node.lineno} {ast.unparse(node.func)}()")
    assert offenders == []
