"""Execute the notebooks in place, keeping their outputs (the documentation shows them): `python tools/run_notebooks.py
[NB …] [--slow]`. Cells flagged `slow` (settings.ini's tst_flags) or `#| eval: false` are not run and keep the outputs
they have, unless `--slow`. The notebooks are cleaned afterwards (nbdev_clean), as the repository keeps them."""
import argparse, os, subprocess, sys, time
from pathlib import Path
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell

ROOT = Path(__file__).resolve().parent.parent
NBS = ROOT/'nbs'


def skipped(cell, slow: bool) -> bool:
    "True for a cell to leave as it is: not code, `eval: false`, or flagged slow (unless `slow`)."
    if cell.cell_type != 'code': return True
    flags = {l[2:].strip().replace(' ', '') for l in cell.source.splitlines() if l.startswith('#|')}
    return 'eval:false' in flags or (not slow and 'slow' in flags)


def run(path: Path, slow: bool = False):
    "Execute `path` from its folder, as nbdev_test does, and write it back with its outputs."
    nb, here = read_nb(path), os.getcwd()
    os.chdir(path.parent)
    try: CaptureShell().run_all(nb, exc_stop=True, preproc=lambda c: skipped(c, slow))
    finally: os.chdir(here)
    write_nb(nb, path)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('notebooks', nargs='*', type=Path, help='notebooks to run (default: every notebook in nbs/)')
    ap.add_argument('--slow', action='store_true', help='run the cells flagged slow too (the studies: about 40 minutes)')
    a = ap.parse_args(argv)
    for p in a.notebooks or sorted(NBS.glob('*.ipynb')):
        t = time.time()
        run(p.resolve(), a.slow)
        print(f'{p.name}: {time.time() - t:.0f} s', flush=True)
    subprocess.run([str(Path(sys.executable).parent/'nbdev_clean')], cwd=ROOT, check=True)


if __name__ == '__main__': main()
