"""Which of the package's modules a command passes through, and how often a call goes back up to a higher chapter.

    python tools/trace_calls.py reproduce deblur-uniform --quick --iters 2 --seeds 1 --images butterfly -o /tmp/t --quiet

Every call from one `deepred` module into another is recorded (calls inside a module are not), with the chapter
number of both ends (`nbs/`); a call "up" goes from a chapter to a later one. Prints the modules in the order first
entered, the calls between modules, and those that go up."""
import re, sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHAPTER = {m.group(1): nb.stem for nb in sorted((ROOT/'nbs').glob('*.ipynb'))
           for m in [re.search(r'default_exp (\w+)', nb.read_text())] if m}

def module_of(frame) -> str | None:
    name = frame.f_globals.get('__name__', '')
    return name.split('.')[1] if name.startswith('deepred.') and name.count('.') == 1 else None

def trace(argv: list) -> tuple[list, Counter]:
    "(modules in the order first entered, Counter of (caller, callee) module pairs) while `deepred argv` runs."
    from deepred.cli import main
    order, pairs = [], Counter()
    def prof(frame, event, arg):
        if event != 'call': return
        callee, caller = module_of(frame), frame.f_back and module_of(frame.f_back)
        if callee and caller and callee != caller:
            pairs[(caller, callee)] += 1
            for m in (caller, callee):
                if m not in order: order.append(m)
    sys.setprofile(prof)
    try: code = main(argv)
    finally: sys.setprofile(None)
    if code: sys.exit(f'the command failed ({code})')
    return order, pairs

if __name__ == '__main__':
    order, pairs = trace(sys.argv[1:])
    up = {p: n for p, n in pairs.items() if CHAPTER[p[1]] > CHAPTER[p[0]]}
    print('modules, in the order first entered:', ', '.join(f'{m} ({CHAPTER[m]})' for m in order))
    print(f'{len(pairs)} caller → callee pairs, {sum(pairs.values())} calls; going up a chapter: '
          + (', '.join(f'{a} → {b} ({n})' for (a, b), n in up.items()) or 'none'))
