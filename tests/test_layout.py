"""The import rules of the design: which modules may import what, and where SQL may live."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SQL = re.compile(
    r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+TABLE)\b",
    re.S | re.I,
)


def modules(package: str) -> dict[str, ast.Module]:
    return {
        str(path.relative_to(ROOT)): ast.parse(path.read_text(), str(path))
        for path in (ROOT / package).rglob("*.py")
    }


def imported(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def imports_any(tree: ast.Module, prefix: str) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for name in imported(tree))


ALL = {**modules("showcase"), **modules("scoring")}


def connects(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.Attribute)
        and node.attr == "connect"
        and isinstance(node.value, ast.Name)
        and node.value.id in ("sqlite3", "aiosqlite")
        for node in ast.walk(tree)
    )


def test_only_db_opens_connections() -> None:
    """The writer and reader threads in db.py hold the only connections to the event file."""
    assert sorted(p for p, t in ALL.items() if connects(t)) == ["showcase/db.py"]
    assert [p for p, t in ALL.items() if imports_any(t, "aiosqlite")] == []


def test_litestar_only_in_app_routes_and_live() -> None:
    allowed = re.compile(r"^showcase/(app\.py|live\.py|routes/.*)$")
    offenders = [p for p, t in ALL.items() if imports_any(t, "litestar") and not allowed.match(p)]
    assert offenders == []


def test_scoring_imports_nothing_from_showcase_nor_the_web() -> None:
    for path, tree in modules("scoring").items():
        for forbidden in ("showcase", "litestar", "aiosqlite", "sqlite3", "jinja2"):
            assert not imports_any(tree, forbidden), f"{path} imports {forbidden}"


def test_sql_lives_only_in_store_migrations_and_db() -> None:
    allowed = re.compile(r"^showcase/(store/.*|migrations\.py|db\.py)$")
    offenders = []
    for path, tree in ALL.items():
        if allowed.match(path):
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and SQL.search(node.value)
            ):
                offenders.append(f"{path}:{node.lineno}")
    assert offenders == []


def test_imports_go_one_way() -> None:
    lower_layers = {
        "showcase/store": (
            "showcase.routes",
            "showcase.board",
            "showcase.live",
            "showcase.app",
            "showcase.organizing",
            "showcase.judging",
        ),
        "showcase/board.py": ("showcase.routes", "showcase.app", "showcase.live"),
        "showcase/reveal.py": ("showcase.organizing", "showcase.judging", "showcase.routes"),
        "showcase/organizing.py": ("showcase.routes", "showcase.app", "showcase.judging"),
        "showcase/judging.py": ("showcase.routes", "showcase.app", "showcase.organizing"),
        "showcase/db.py": ("showcase.store", "showcase.board", "showcase.routes", "showcase.app"),
        "showcase/routes": ("showcase.app", "showcase.db.aiosqlite"),
    }
    for path, tree in ALL.items():
        for layer, forbidden in lower_layers.items():
            if path.startswith(layer):
                for name in forbidden:
                    assert not imports_any(tree, name), f"{path} imports {name}"


def test_every_route_has_a_name() -> None:
    for path, tree in modules("showcase/routes").items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in {
                "get",
                "post",
                "put",
                "delete",
                "patch",
            }:
                assert any(k.arg == "name" for k in node.keywords), (
                    f"{path}:{node.lineno} has no name="
                )


def test_every_module_opens_with_a_docstring() -> None:
    for path, tree in ALL.items():
        assert ast.get_docstring(tree), f"{path} has no module docstring"
