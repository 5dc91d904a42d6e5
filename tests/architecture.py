"""The design rules of docs/architecture.md as checks over the source (AST), used by tests/test_architecture.py.

Each check takes source files (path relative to src/jichitai, text) and returns the violations it finds as
"path:line: what" strings, so that a test can run it on the real tree and on a deliberately bad module.
"""

import ast
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "jichitai"

# Bottom to top. An app may import apps of lower layers and, within the domain layer, other domain apps as
# long as no two apps import each other, directly or through a loop.
LAYERS = (
    ("core",),
    ("audit",),
    ("orgs",),
    ("processes",),
    ("risk", "handling", "linkage", "training", "measures", "incidents", "pia", "planning", "cloud"),
    ("exchange", "checklist", "api", "ops", "accounts"),  # accounts: the front door (orgs, audit, core)
    ("todo",),  # やること: reads the checklist and the domain apps
    ("demo",),
)
LAYER_OF = {app: n for n, apps in enumerate(LAYERS) for app in apps}
# Project glue (settings, urls, cli, wsgi) sits above every app; no app may import it.
GLUE = ("settings", "urls", "cli", "wsgi")

WRITE_ALWAYS = {"create", "get_or_create", "update_or_create", "bulk_create", "bulk_update"}
QUERYSET_METHODS = {"objects", "filter", "exclude", "all", "select_for_update", "order_by", "using"}
RAW_SQL = {"execute", "executemany", "raw", "extra"}
M2M_WRITES = {"add", "remove", "set", "clear"}
SCOPING_CALLS = {"visible", "get_visible_or_404", "scoped"}
PURE_CORE = {"jichitai.core.wareki", "jichitai.core.text", "jichitai.core.codes", "jichitai.core.mynumber",
             "jichitai.core.numbers"}


@dataclass(frozen=True)
class Source:
    path: str  # relative to src/jichitai, e.g. "handling/services.py"
    text: str

    @property
    def app(self) -> str | None:
        first = self.path.split("/")[0]
        return None if first.endswith(".py") else first

    @property
    def tree(self) -> ast.Module:
        return ast.parse(self.text, filename=self.path)


def tree_sources(root: Path = SRC) -> list[Source]:
    return [Source(str(p.relative_to(root)), p.read_text(encoding="utf-8"))
            for p in sorted(root.rglob("*.py")) if "migrations" not in p.parts]


def _imported_modules(source: Source) -> Iterable[tuple[int, str]]:
    package = source.path.removesuffix(".py").replace("/", ".").split(".")
    for node in ast.walk(source.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the module's package
                base = package[:-node.level]
                module = ".".join(["jichitai", *base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            yield node.lineno, module
            for alias in node.names:  # from jichitai import demo
                yield node.lineno, f"{module}.{alias.name}"


def _target_app(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "jichitai" or len(parts) < 2:
        return None
    return parts[1]


def import_edges(sources: Iterable[Source]) -> dict[tuple[str, str], list[str]]:
    """(importing app, imported app) → ["path:line", …]; glue and same-app imports left out."""
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for source in sources:
        if source.app is None:
            continue
        for line, module in _imported_modules(source):
            target = _target_app(module)
            if target and target != source.app:
                edges[(source.app, target)].append(f"{source.path}:{line}")
    return edges


def cycles(edges) -> list[list[str]]:
    """Strongly connected groups of two or more apps (Tarjan)."""
    graph = defaultdict(set)
    for a, b in edges:
        graph[a].add(b)
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in list(graph):
        if v not in index:
            visit(v)
    return found


def layer_violations(edges) -> list[str]:
    problems = []
    for (a, b), places in sorted(edges.items()):
        if b in GLUE:
            problems.append(f"{places[0]}: app {a} imports project glue jichitai.{b}")
        elif a not in LAYER_OF or b not in LAYER_OF:
            problems.append(f"{places[0]}: {a} → {b}: app missing from LAYERS")
        elif LAYER_OF[b] > LAYER_OF[a] or (LAYER_OF[b] == LAYER_OF[a] and LAYER_OF[a] != 4):
            problems.append(f"{places[0]}: {a} (layer {LAYER_OF[a]}) imports {b} (layer {LAYER_OF[b]})")
    return problems


def _pure(module: str) -> bool:
    root = module.split(".")[0]
    if root == "django":
        return False
    if root != "jichitai":
        return True
    return module in PURE_CORE or module.endswith(".rules") or module.rsplit(".", 1)[0] in PURE_CORE


def impure_rules(sources: Iterable[Source]) -> list[str]:
    """rules.py: plain values in, plain values out — no Django, no ORM, no app code but other rules.

    `from jichitai.x import rules` yields both "jichitai.x" and "jichitai.x.rules": a line passes when
    one of its names is pure and none is Django.
    """
    problems = []
    for source in sources:
        if not source.path.endswith("rules.py"):
            continue
        by_line: dict[int, list[str]] = defaultdict(list)
        for line, module in _imported_modules(source):
            by_line[line].append(module)
        for line, modules in sorted(by_line.items()):
            if any(m.split(".")[0] == "django" for m in modules):
                problems.append(f"{source.path}:{line}: rules import Django ({modules[0]})")
            elif not any(_pure(m) for m in modules):
                problems.append(f"{source.path}:{line}: rules import {modules[0]}")
    return problems


def _chain(node: ast.AST) -> list[str]:
    """Attribute and call names along a receiver chain: Foo.objects.filter(…).update → [Foo, objects, filter]."""
    names = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            names.append(node.id)
            return list(reversed(names))
        else:
            return list(reversed(names))


def _is_write(call: ast.Call, m2m_names: set[str]) -> str | None:
    if not isinstance(call.func, ast.Attribute):
        return None
    method, receiver = call.func.attr, _chain(call.func.value)
    if method in WRITE_ALWAYS:
        return method
    if method == "save" and not call.args:  # workbook.save(buffer) and document.save(buffer) write files
        return method
    if method == "delete" and not call.args:
        return method
    if method == "update" and QUERYSET_METHODS & set(receiver) and not call.args:
        return method
    if method in RAW_SQL and ("cursor" in receiver or "objects" in receiver or "connection" in receiver):
        return method
    if method in M2M_WRITES and receiver and receiver[-1] in m2m_names:
        return f"{receiver[-1]}.{method}"
    return None


def writes_outside_services(sources: Iterable[Source], m2m_names: set[str], allowed: Iterable[str]) -> list[str]:
    """ORM writes (save, create, update, delete, bulk_*, m2m changes, raw SQL) outside services.py."""
    allowed = set(allowed)
    problems = []
    for source in sources:
        if source.path.endswith("services.py") or source.path in allowed:
            continue
        for node in ast.walk(source.tree):
            if isinstance(node, ast.Call) and (what := _is_write(node, m2m_names)):
                problems.append(f"{source.path}:{node.lineno}: {what}")
    return problems


def _scoped_nodes(tree: ast.AST) -> set[int]:
    """Every node inside the first argument of a scoping call (or of a Prefetch, whose rows hang from
    objects that were scoped)."""
    scoped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and (_chain(node.func)[-1:] or [""])[0] in SCOPING_CALLS | {"Prefetch"}:
            for arg in [*node.args[:1], *(k.value for k in node.keywords if k.arg == "queryset")]:
                scoped.update(id(inner) for inner in ast.walk(arg))
    return scoped


def unscoped_reads(sources: Iterable[Source], tenant_models: set[str]) -> list[str]:
    """In views and API modules, `Model.objects` of a tenant-owned model that does not reach visible() or
    get_visible_or_404(): directly, or through a name (`_ROWS = Row.objects…`) used only inside them."""
    problems = []
    for source in sources:
        if not (source.path.endswith("views.py") or source.path.startswith("api/")):
            continue
        tree = source.tree
        scoped = _scoped_nodes(tree)
        uses: dict[str, list[ast.Name]] = defaultdict(list)
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                uses[node.id].append(node)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Assign) or len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name):
                continue
            # A base queryset kept in a name counts as scoped when every use of the name is.
            if uses[node.targets[0].id] and all(id(use) in scoped for use in uses[node.targets[0].id]):
                scoped.update(id(inner) for inner in ast.walk(node.value))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and node.attr == "objects" and isinstance(node.value, ast.Name)
                    and node.value.id in tenant_models and id(node) not in scoped):
                problems.append(f"{source.path}:{node.lineno}: {node.value.id}.objects without the scoping helper")
    return problems


def file_writes_outside_core(sources: Iterable[Source]) -> list[str]:
    """Workbooks and documents are saved only by core.sheets (which keeps user text from becoming formulas),
    and downloads are answered only by core.http."""
    problems = []
    for source in sources:
        in_sheets, in_http = source.path.startswith("core/sheets/"), source.path == "core/http.py"
        for node in ast.walk(source.tree):
            if (not in_sheets and isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "save" and len(node.args) == 1 and _chain(node.func.value) != ["self"]):
                problems.append(f"{source.path}:{node.lineno}: a file saved outside core.sheets")
            if not in_http and isinstance(node, ast.Constant) and node.value == "Content-Disposition":
                problems.append(f"{source.path}:{node.lineno}: a download answered outside core.http")
    return problems
