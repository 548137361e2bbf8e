"""The house's measures (issue 23): lines per module, functions over 40 lines, and library messages that name a CLI flag.

    python tools/house.py            # a Markdown report of the package in deepred/
"""
import ast, re, sys
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent/'deepred'
FLAG = re.compile(r'(?<![\w-])--[a-z][a-z-]+')

def modules(pkg=PKG) -> dict:
    "module name → its source, the generated index left out."
    return {p.stem: p.read_text() for p in sorted(pkg.glob('*.py')) if p.stem not in ('_modidx', '__init__')}

def long_functions(src: str, limit: int = 40) -> list:
    "(name, lines) of every function or method longer than `limit` lines, decorators excluded."
    return [(n.name, n.end_lineno - n.lineno + 1) for n in ast.walk(ast.parse(src))
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.end_lineno - n.lineno + 1 > limit]

def flag_messages(src: str) -> list:
    "The string constants inside `raise` statements (and warnings) that name a command-line flag."
    hits = []
    for n in ast.walk(ast.parse(src)):
        if isinstance(n, ast.Raise) and n.exc is not None:
            for s in ast.walk(n.exc):
                if isinstance(s, ast.Constant) and isinstance(s.value, str) and FLAG.search(s.value): hits.append(s.value)
    return hits

def report(pkg=PKG) -> str:
    mods = modules(pkg)
    lines = ['| module | lines | functions > 40 lines | messages naming a flag |', '|---|---|---|---|']
    for name, src in sorted(mods.items(), key=lambda t: -len(t[1].splitlines())):
        longf = ', '.join(f'{f} ({k})' for f, k in long_functions(src)) or '–'
        flags = len(flag_messages(src)) if name != 'cli' else '(the CLI)'
        lines.append(f'| {name} | {len(src.splitlines())} | {longf} | {flags} |')
    return '\n'.join(lines)

if __name__ == '__main__': print(report(Path(sys.argv[1]) if len(sys.argv) > 1 else PKG))

def chapters(root=PKG.parent/'nbs') -> dict:
    "module name → the notebook it is exported from (its chapter, in reading order)."
    return {m.group(1): nb.stem for nb in sorted(root.glob('*.ipynb')) for m in [re.search(r'default_exp (\w+)', nb.read_text())] if m}

def imported(src: str) -> set:
    "The package's modules that `src` imports, at the top or inside a function."
    return set(re.findall(r'^\s*from (?:\.|deepred\.)(\w+) import', src, re.M))

def upward_imports(name: str, src: str, order: dict) -> list:
    "The modules `name` imports from a later chapter than its own: a room reaching above itself."
    return sorted(m for m in imported(src) if m in order and order[m] > order[name])
