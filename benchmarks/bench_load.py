"""Two `deepred restore` jobs side by side on a shared CPU: seconds per iteration against one job alone.

Each job prints its own timing in its .json report; this script starts them, waits, and prints a markdown table:
one job alone (default threads), two jobs at the default threads each (oversubscribed: more threads than CPUs),
and two jobs with `--threads` set so that together they use the CPUs once.
Usage: python benchmarks/bench_load.py [--size 64] [--iters 40]"""
import argparse, json, subprocess, sys, tempfile
from pathlib import Path
import numpy as np
from deepred.images import example_image
from deepred.core import available_cpus

DEEPRED = str(Path(sys.executable).parent/'deepred')

def jobs(d, n, iters, threads=None):
    "Start `n` DIP restores at once; seconds per iteration of each (from its report)."
    extra = ['--threads', str(threads)] if threads else []
    ps = [subprocess.Popen([DEEPRED, 'restore', str(d/'y.npy'), '--task', 'denoise', '--method', 'dip', '--iters', str(iters),
                            '--quiet', *extra, '-o', str(d/f'o{i}.npy')], stderr=subprocess.DEVNULL) for i in range(n)]
    for p in ps: assert p.wait() == 0
    return [json.loads((d/f'o{i}.json').read_text())['seconds'] / iters for i in range(n)]

def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--size', type=int, default=64); ap.add_argument('--iters', type=int, default=40)
    a = ap.parse_args()
    d = Path(tempfile.mkdtemp())
    x = example_image('astronaut', a.size)
    np.save(d/'y.npy', (x + 25 / 255 * np.random.default_rng(0).standard_normal(x.shape)).astype(np.float32))
    cpus = available_cpus()
    alone = np.mean(jobs(d, 1, a.iters))
    rows = [('1 job, default threads', alone), ('2 jobs, default threads each', np.mean(jobs(d, 2, a.iters))),
            (f'2 jobs, --threads {max(1, cpus // 2)} each', np.mean(jobs(d, 2, a.iters, max(1, cpus // 2))))]
    print(f'DIP restore, {a.size}² denoising, {a.iters} iterations, {cpus} CPUs available\n')
    print('| jobs | s / iteration | × alone |\n|---|---|---|')
    for name, s in rows: print(f'| {name} | {s:.3f} | {s / alone:.2f} |')

if __name__ == '__main__': main()
