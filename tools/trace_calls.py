"""Which of the package's modules a command passes through: the settings' path to each solver it builds, and every
call from one module into another, with those that go back up to a higher chapter.

    python tools/trace_calls.py reproduce deblur-uniform --quick --iters 2 --seeds 1 --images butterfly -o /tmp/t --quiet

- **The settings' path**: the modules on the call stack when a `Solver` is built, from the command down, one name per
  run of frames in the same module. Each solver gets its settings down that stack, so a module entered twice on it
  means the settings went back up and down again.
- **Calls between modules** (calls inside a module are not counted), with the chapter (`nbs/`) of both ends. A call
  "up" goes from a chapter to a later one. It is a *callback* when the caller's module does not import the callee's
  (a method object plugged into the engine, a writer handed to `write_atomic`): dependency inversion, not a module
  reaching above itself. The others are imports going up, which the house forbids."""
import sys
from collections import Counter
from house import chapters, imported, modules       # the house's own reading of chapters and imports

CHAPTER, SOURCES = chapters(), modules()

def module_of(frame) -> str | None:
    name = frame.f_globals.get('__name__', '')
    return name.split('.')[1] if name.startswith('deepred.') and name.count('.') == 1 else None

def stack_modules(frame) -> list:
    "The package's modules on the stack under `frame`, outermost first, consecutive repeats merged."
    out = []
    while frame is not None:
        m = module_of(frame)
        if m and (not out or out[-1] != m): out.append(m)
        frame = frame.f_back
    return out[::-1]

def trace(argv: list) -> tuple[list, Counter, Counter]:
    "(modules first entered, in order; Counter of (caller, callee) pairs; Counter of the settings' paths) while `deepred argv` runs."
    from deepred.cli import main
    order, pairs, paths = [], Counter(), Counter()
    def prof(frame, event, arg):
        if event != 'call': return
        callee, caller = module_of(frame), frame.f_back and module_of(frame.f_back)
        if callee == 'engine' and frame.f_code.co_qualname == 'Solver.__init__': paths[tuple(stack_modules(frame))] += 1
        if callee and caller and callee != caller:
            pairs[(caller, callee)] += 1
            for m in (caller, callee):
                if m not in order: order.append(m)
    sys.setprofile(prof)
    try: code = main(argv)
    finally: sys.setprofile(None)
    if code: sys.exit(f'the command failed ({code})')
    return order, pairs, paths

if __name__ == '__main__':
    order, pairs, paths = trace(sys.argv[1:])
    up = {p: n for p, n in pairs.items() if CHAPTER[p[1]] > CHAPTER[p[0]]}
    callbacks = {p: n for p, n in up.items() if p[1] not in imported(SOURCES[p[0]])}
    print('modules, in the order first entered:', ', '.join(f'{m} ({CHAPTER[m]})' for m in order))
    for path, n in paths.items():
        again = [m for m, k in Counter(path).items() if k > 1]
        print(f'the settings\' path to {n} solver(s): {" → ".join(path)} ({len(path)} modules; entered twice: '
              f'{", ".join(again) or "none"})')
    print(f'{len(pairs)} caller → callee pairs, {sum(pairs.values())} calls')
    print('  going up a chapter by a callback: ' + (', '.join(f'{a} → {b} ({n})' for (a, b), n in callbacks.items()) or 'none'))
    print('  going up a chapter by an import: ' + (', '.join(f'{a} → {b} ({n})' for (a, b), n in up.items() if (a, b) not in callbacks) or 'none'))
