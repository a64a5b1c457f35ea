"""The package's shape, as ../shared/design.md draws it, enforced on the source (an ast walk).

- A lower layer never imports a higher one (imports inside functions count too).
- No private name (``_x``) crosses a module boundary: not imported, not reached as an
  attribute of another module. Private *modules* (``_labels``, ``_validation``, ...) are the
  bottom layer and are imported by name; what they export is public.
- ``torch`` is imported only under ``imbalance.torch``, ``pyspark`` only in ``imbalance.spark``,
  so ``import imbalance`` needs neither.
"""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).parents[1] / "src" / "imbalance"

#: Layer of every module, lowest first (the design's picture, bottom to top).
LAYERS = {
    "_validation": 0, "_draw": 0, "_smoothing": 1, "_keyed": 0, "_knn": 0, "_hist_tree": 0, "_registry": 0, "_docstrings": 0,
    "_labels": 1, "_sampling_strategy": 1, "_imblearn_metrics": 1, "_imblearn_names": 0, "_io": 1, "_neighbors": 1, "_trees": 1,
    "_mean_distance": 2, "_enn_counting": 2, "_growing_set": 2,
    "planner": 2, "weights": 2, "_kmeans": 2, "_batches": 2,
    "resample": 3, "torch": 3,
    "samplers": 4, "synth": 4, "cleaning": 4, "prototypes": 4, "combine": 4,
    "tables": 5, "pipeline": 5, "datasets": 5,
    "multilabel": 4,
    "metrics": 6, "keras": 6, "regression": 6,
    "ensemble": 7,
    "model_selection": 8,
    "_engine": 9, "_single_label": 9, "_multi_label": 9, "_regression": 9,
    "comparison": 9, "strategies": 9, "multilabel_comparison": 9, "answer": 9,
    "report": 10, "deploy": 10, "spark": 10, "_regression_report": 10, "_figures": 9,
    "cli": 11,
}
TOP = {"__init__", "__main__"}  # the package's front door may import anything


def modules():
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        yield path, parts


def layer_of(parts: tuple[str, ...]) -> int | None:
    if parts[0] in TOP:
        return None
    return LAYERS[parts[0]]


def imported(tree: ast.AST):
    """(module path inside imbalance, imported name or None, line) for every import of ours."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "imbalance" or node.module.startswith("imbalance."):
                inner = tuple(node.module.split(".")[1:])
                for alias in node.names:
                    yield inner, alias.name, node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("imbalance."):
                    yield tuple(alias.name.split(".")[1:]), None, node.lineno


def is_module(inner: tuple[str, ...]) -> bool:
    """Whether imbalance.<inner> is a module or package (a compiled one too), not a name."""
    if not inner:
        return True
    base = SRC.joinpath(*inner)
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists() or any(
        base.parent.glob(f"{base.name}.*.so"))


def test_every_module_has_a_layer():
    assert {parts[0] for _, parts in modules()} - TOP <= set(LAYERS)


@pytest.mark.parametrize("path, parts", list(modules()), ids=lambda v: str(v) if isinstance(v, tuple) else "")
def test_no_lower_layer_imports_a_higher_one(path, parts):
    own = layer_of(parts)
    if own is None:
        return
    tree = ast.parse(path.read_text())
    for inner, name, line in imported(tree):
        target = inner if inner else ((name,) if name else ())
        if not target or target[0] in TOP or target[0] == "__version__":
            continue
        if target[0] == parts[0]:
            continue  # inside one module or subpackage
        assert LAYERS[target[0]] <= own, (
            f"{path.relative_to(SRC)}:{line} imports imbalance.{'.'.join(target)} "
            f"(layer {LAYERS[target[0]]}) from layer {own}"
        )


@pytest.mark.parametrize("path, parts", list(modules()), ids=lambda v: str(v) if isinstance(v, tuple) else "")
def test_no_private_name_crosses_a_module_boundary(path, parts):
    tree = ast.parse(path.read_text())
    aliases = {}  # local name -> module path, for attribute access checks
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and (
                node.module == "imbalance" or node.module.startswith("imbalance.")):
            inner = tuple(node.module.split(".")[1:])
            for alias in node.names:
                if is_module((*inner, alias.name)):
                    aliases[alias.asname or alias.name] = (*inner, alias.name)
                    continue
                assert not alias.name.startswith("_") or alias.name == "__version__", (
                    f"{path.relative_to(SRC)}:{node.lineno} imports the private name {alias.name} "
                    f"from imbalance.{'.'.join(inner)}"
                )
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            target = aliases[node.value.id]
            if node.attr.startswith("_") and not is_module((*target, node.attr)):
                raise AssertionError(
                    f"{path.relative_to(SRC)}:{node.lineno} reaches the private name "
                    f"imbalance.{'.'.join(target)}.{node.attr}"
                )


@pytest.mark.parametrize("path, parts", list(modules()), ids=lambda v: str(v) if isinstance(v, tuple) else "")
def test_torch_and_pyspark_stay_in_their_backends(path, parts):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            root = name.split(".")[0]
            if root == "torch":
                assert parts[0] == "torch", f"{path.relative_to(SRC)}:{node.lineno} imports torch"
            if root == "pyspark":
                assert parts[0] == "spark", f"{path.relative_to(SRC)}:{node.lineno} imports pyspark"


def import_graph() -> dict[str, set[str]]:
    """Module -> the modules of ours it imports (inside functions too), by dotted path;
    ``from imbalance.x import name`` counts as importing ``imbalance.x`` (or the submodule
    ``imbalance.x.name`` where that is one). The package's front door is left out: it may
    import anything, and everything imports it by being inside it."""
    names = {}
    for path, parts in modules():
        dotted = ("imbalance", *(parts[:-1] if parts[-1] == "__init__" else parts))
        names[dotted] = path

    def resolve(dotted: tuple[str, ...]) -> tuple[str, ...]:
        while dotted not in names:
            dotted = dotted[:-1]
        return dotted

    graph = {}
    for dotted, path in names.items():
        edges = set()
        for inner, name, _ in imported(ast.parse(path.read_text())):
            edges.add(resolve(("imbalance", *inner, *((name,) if name else ()))))
        edges -= {dotted, ("imbalance",)}
        if dotted != ("imbalance",):
            graph[".".join(dotted)] = {".".join(e) for e in edges}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each a cycle or
    several that share modules."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_has_no_cycle():
    assert cycles(import_graph()) == []


def test_the_cycle_check_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert "imbalance._engine" in import_graph()["imbalance.comparison"]


#: Modules allowed past the size limit, each with its reason in docs/layout.md.
LONG_MODULES: dict[str, str] = {}


@pytest.mark.parametrize("path, parts", list(modules()), ids=lambda v: str(v) if isinstance(v, tuple) else "")
def test_no_module_is_over_800_lines(path, parts):
    length = len(path.read_text().splitlines())
    name = ".".join(parts)
    assert length <= 800 or name in LONG_MODULES, (
        f"{path.relative_to(SRC)} has {length} lines: split it along its jobs, or say in docs/layout.md why it is "
        "better whole and list it in LONG_MODULES")


#: imbalanced-learn's class names, kept as its users know them.
PEER_NAMES = {"EditedNearestNeighbours", "RepeatedEditedNearestNeighbours", "CondensedNearestNeighbour",
              "NeighbourhoodCleaningRule"}


@pytest.mark.parametrize("path, parts", list(modules()), ids=lambda v: str(v) if isinstance(v, tuple) else "")
def test_identifiers_have_one_spelling(path, parts):
    # American spelling in identifiers, as scikit-learn's (n_neighbors, cluster_centers_); prose may be British
    for node in ast.walk(ast.parse(path.read_text())):
        names = ([node.id] if isinstance(node, ast.Name) else [node.attr] if isinstance(node, ast.Attribute)
                 else [node.name] if isinstance(node, (ast.FunctionDef, ast.ClassDef)) else
                 [node.arg] if isinstance(node, ast.arg) else [])
        for name in names:
            assert name in PEER_NAMES or not any(word in name.lower() for word in ("neighbour", "centre")), (
                f"{path.relative_to(SRC)}:{node.lineno} names {name}: spell it neighbor / center")
