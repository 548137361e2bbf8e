"""A behaviour snapshot for refactors: run a fixed set of commands, keep what they write, compare two snapshots.

    python tools/snapshot.py run DIR [--demo]     # with the package of the current folder (cwd first on the path)
    python tools/snapshot.py compare OLD NEW

A refactor must leave every output as it was. To check one, take a snapshot with the old code (a `git worktree` of the
old commit, run from its root) and one with the new, and compare: every array is compared by value, every report and
`results.json` with its timings and machine fields left out, and the demo's printed table line by line (its seconds aside).

What runs, one thread each (1 thread makes float sums repeatable), on a 48² crop of the embedded image:
- `simulate` for 5 tasks (radon's sinogram as `.npy`), then `restore` with deepred, dip and red on each, 6 iterations;
- `reproduce --quick --iters 4 --seeds 1` of one image of denoise, sr4-set5 and deblur-gauss-grey;
- with `--demo`, `deepred demo` (its own defaults, about 4 minutes).
"""
import json, os, subprocess, sys
from pathlib import Path
import numpy as np
sys.path.insert(0, os.getcwd())          # the package of the folder it runs from, not the installed one

TASKS = ['denoise', 'deblur-uniform', 'sr4', 'inpaint', 'radon']
TABLES = [('denoise', 'house'), ('sr4-set5', 'baby'), ('deblur-gauss-grey', 'butterfly')]
VOLATILE = {'seconds', 'minutes', 'environment', 'device_name', 'cpu', 'threads', 'started', 'finished', 'time', 'host',
            'torch', 'python', 'version', 'date'}

def deepred(*args):
    main = 'import sys; from deepred.cli import main; sys.exit(main(sys.argv[1:]))'     # the package of the current folder
    r = subprocess.run([sys.executable, '-c', main, *map(str, args)], capture_output=True, text=True)
    if r.returncode: sys.exit(f"deepred {' '.join(map(str, args))} failed:\n{r.stderr}")
    return r.stdout

def run(out: Path, demo: bool):
    from deepred.images import example_image
    out.mkdir(parents=True, exist_ok=True)
    clean = out/'clean.npy'
    np.save(clean, example_image('astronaut', 48).astype(np.float32))
    mask = out/'mask.png'
    from PIL import Image
    Image.fromarray(((np.random.default_rng(0).random((48, 48)) > 0.5) * 255).astype(np.uint8)).save(mask)
    for t in TASKS:
        y = out/f'{t}-y.npy'
        deepred('simulate', clean, '--task', t, '--seed', 1, '-o', y, *(['--mask', mask] if t == 'inpaint' else []))
        for m in ('deepred', 'dip', 'red'):
            deepred('restore', y, '--task', t, '--method', m, '--iters', 6, '--reference', clean, '--threads', 1, '--quiet',
                    '--no-checkpoint', '-o', out/f'{t}-{m}.npy', *(['--mask', mask] if t == 'inpaint' else []))
    for name, image in TABLES:
        deepred('reproduce', name, '--quick', '--iters', 4, '--seeds', 1, '--images', image, '--threads', 1, '--quiet',
                '-o', out/f'table-{name}')
    if demo: (out/'demo.txt').write_text(deepred('demo', '-o', out/'demo'))
    print(f'snapshot in {out}')

def strip(d):
    if isinstance(d, dict): return {k: strip(v) for k, v in d.items() if k not in VOLATILE}
    if isinstance(d, list): return [strip(v) for v in d]
    return d

def table_lines(text: str) -> list:
    "The rows of the demo's printed table without their last column, the seconds."
    return [l.rstrip(' |').rsplit('|', 1)[0] for l in text.splitlines() if l.lstrip().startswith('|')]

def compare(a: Path, b: Path) -> int:
    bad, n = [], 0
    for f in sorted(a.rglob('*')):
        g = b/f.relative_to(a)
        if f.is_dir() or 'checkpoints' in f.parts: continue
        if not g.exists(): bad.append(f'{g}: missing'); continue
        n += 1
        if f.suffix == '.npy':
            x, y = np.load(f), np.load(g)
            if x.shape != y.shape or not np.array_equal(x, y):
                bad.append(f'{f.relative_to(a)}: max |difference| {np.abs(x - y).max() if x.shape == y.shape else "shape"}')
        elif f.suffix == '.json':
            old = json.loads(f.read_text().replace(str(a), str(b)))         # paths inside the snapshot are the snapshot's own
            if strip(old) != strip(json.loads(g.read_text())): bad.append(f'{f.relative_to(a)}: differs')
        elif f.name == 'demo.txt':
            if table_lines(f.read_text()) != table_lines(g.read_text()): bad.append('the demo\'s table differs')
    print(f'{n} files compared; ' + ('all identical' if not bad else f'{len(bad)} differ:\n  ' + '\n  '.join(bad)))
    return 1 if bad else 0

if __name__ == '__main__':
    if sys.argv[1:2] == ['run']: run(Path(sys.argv[2]), '--demo' in sys.argv)
    elif sys.argv[1:2] == ['compare']: sys.exit(compare(Path(sys.argv[2]), Path(sys.argv[3])))
    else: sys.exit(__doc__)
