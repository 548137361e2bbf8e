"""Seconds per iteration of DeepRED against DIP on one device, each denoiser where `auto` runs it: issue 26's target is
DeepRED ≤ 1.1× DIP at 512² on a GPU, with the denoiser on the network's device so that the GPU never waits on the host.

    python benchmarks/bench_overhead.py --device cuda --size 512 --out $OUT/bench_overhead.md

Every method runs whole periods of 10 iterations (DeepRED calls its denoiser once in each) after one warm-up period,
in alternating rounds (the machine's speed drifts); a cell is the best round's mean. NLM at σ_f 3 (the denoising and
deblurring presets' denoiser), BM3D at σ_f 5 (the super-resolution presets'), and BM3D in DeepRED's worker thread
(`concurrent=True`: its result a period stale, the host's work beside the network's).
"""
import argparse, time
from pathlib import Path
import torch
from deepred.core import device_name, write_atomic, resolve_precision
from deepred.images import example_image, to_tensor, center_crop
from deepred.operators import Identity
from deepred.tasks import degrade
from deepred.engine import Solver
from deepred.dip import DIP
from deepred.deepred import DeepRED
from deepred.denoisers import implementation

METHODS = {'DIP': None,                                          # DeepRED's options, or None for DIP
           'DeepRED, NLM': dict(denoiser='nlm', sigma_f=3),
           'DeepRED, BM3D': dict(denoiser='bm3d', sigma_f=5),
           'DeepRED, BM3D in a thread': dict(denoiser='bm3d', sigma_f=5, concurrent=True)}


def per_iteration(options, y, device, periods: int, precision: str) -> float:
    "Mean seconds per iteration over `periods` periods of 10, after one."
    sync = torch.cuda.synchronize if device.startswith('cuda') else (lambda: None)
    s = Solver(Identity(), y, DIP() if options is None else DeepRED(**options), device=device, precision=precision)
    try:
        for _ in range(10): s.step()
        sync(); t = time.perf_counter()
        for _ in range(10 * periods): s.step()
        sync(); return (time.perf_counter() - t) / (10 * periods)
    finally: s.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    ap.add_argument('--size', type=int, default=512)
    ap.add_argument('--periods', type=int, default=2, help='timed periods of 10 iterations per round')
    ap.add_argument('--rounds', type=int, default=2)
    ap.add_argument('--precision', default='auto')
    ap.add_argument('--methods', nargs='+', default=list(METHODS), choices=list(METHODS))
    ap.add_argument('--out', type=Path)
    a = ap.parse_args()
    y, _ = degrade(to_tensor(center_crop(example_image('astronaut', None), a.size)), 'denoise', sigma=25, seed=0)
    best = {}
    for r in range(a.rounds):
        for m in a.methods:
            best[m] = min(best.get(m, float('inf')), per_iteration(METHODS[m], y, a.device, a.periods, a.precision))
            report(a, best, r + 1)                                 # after every cell: a run cut short keeps what it measured


def report(a, best: dict, rounds: int):
    dip = best.get('DIP', float('nan'))
    where = lambda m: implementation(METHODS[m]['denoiser'], a.device) if METHODS[m] else '–'
    rows = ['| method | denoiser runs on | seconds per iteration | vs. DIP |', '|---|---|---|---|']
    rows += [f"| {m} | {where(m)} | {t:.4f} | {t / dip:.2f}× |" for m, t in best.items()]
    text = (f"{device_name(a.device)} (host CPU: {device_name('cpu')}, {torch.get_num_threads()} threads), torch {torch.__version__}, "
            f"{a.size}² colour, precision {resolve_precision(a.precision, a.device)}; best of {rounds} alternating round(s) of "
            f"{a.periods} periods of 10 iterations.\n\n" + '\n'.join(rows) + '\n')
    print(text, flush=True)
    if a.out: write_atomic(a.out, lambda p: Path(p).write_text(f'# DeepRED against DIP, per iteration\n\n`python benchmarks/bench_overhead.py '
                                                                f'--device {a.device} --size {a.size}`\n\n' + text))


if __name__ == '__main__':
    main()
