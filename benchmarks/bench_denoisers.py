"""Seconds per denoiser call, each backend beside the reference in the same run: NLM from scikit-image against its
PyTorch port (on the CPU, and on a GPU when there is one), and CBM3D, at the sizes DeepRED calls them.

    python benchmarks/bench_denoisers.py --sizes 64 128 256 512 --threads 1 2 --bm3d --repeats 7 --out benchmarks/results_denoisers.md

Each row is the median of `--repeats` calls after one warm-up call, on a noisy crop of the embedded astronaut
image (3 channels) at σ_f 3 for NLM (DeepRED's setting) and σ_f 5 for CBM3D (the super-resolution preset's).
"""
import argparse, statistics, time
from pathlib import Path
import torch
from deepred.core import write_atomic, device_name
from deepred.images import example_image, to_tensor
from deepred.denoisers import NLM, get_denoiser


def seconds(fns: dict, repeats: int, sync=lambda: None) -> dict:
    "Median seconds per call of each function, called in turn `repeats` times: a slow spell of a shared machine hits all."
    for fn in fns.values(): fn(); sync()                       # warm-up: allocations, lazy imports, kernels
    times = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            t = time.perf_counter(); fn(); sync(); times[name].append(time.perf_counter() - t)
    return {name: statistics.median(ts) for name, ts in times.items()}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--sizes', type=int, nargs='+', default=[256, 512])
    ap.add_argument('--threads', type=int, nargs='+', default=[1])
    ap.add_argument('--repeats', type=int, default=3)
    ap.add_argument('--bm3d', action='store_true', help='also time CBM3D (slow: several seconds a call)')
    ap.add_argument('--out', type=Path)
    a = ap.parse_args()
    cpu = device_name('cpu')
    rows = ['| denoiser | backend | device | threads | size | seconds per call | vs. the reference |', '|---|---|---|---|---|---|---|']
    for threads, n in [(t, n) for t in a.threads for n in a.sizes]:
        torch.set_num_threads(threads)
        x = to_tensor(example_image('astronaut', n)).double()
        y = (x + torch.randn(x.shape, generator=torch.Generator().manual_seed(0), dtype=x.dtype) * 3 / 255).clamp(0, 1)
        fns = {'skimage': lambda: NLM(backend='skimage')(y, 3), 'torch': lambda: NLM(backend='torch')(y, 3)}
        if torch.cuda.is_available():
            yg = y.cuda()
            fns['cuda'] = lambda: NLM(backend='torch')(yg, 3)
        t = seconds(fns, a.repeats, torch.cuda.synchronize if 'cuda' in fns else lambda: None)
        ref = t['skimage']
        rows.append(f'| NLM | scikit-image (reference) | cpu | {threads} | {n}² | {ref:.3f} | 1.00× |')
        rows.append(f'| NLM | torch, float64 | cpu | {threads} | {n}² | {t["torch"]:.3f} | {t["torch"] / ref:.2f}× |')
        if 'cuda' in t:
            rows.append(f'| NLM | torch, float64 | {device_name("cuda")} | – | {n}² | {t["cuda"]:.4f} | {t["cuda"] / ref:.3f}× |')
        if a.bm3d:
            t = seconds({'bm3d': lambda: get_denoiser('bm3d')(y, 5)}, max(1, a.repeats - 2))['bm3d']
            rows.append(f'| CBM3D | bm3d (reference) | cpu | {threads} | {n}² | {t:.2f} | – |')
    text = (f'CPU: {cpu}; torch {torch.__version__}; NLM: median of {a.repeats} calls after a warm-up, the backends called in turn; '
            f'CBM3D: median of {max(1, a.repeats - 2)}.\n\n'
            + '\n'.join(rows) + '\n')
    print(text)
    if a.out: write_atomic(a.out, lambda p: Path(p).write_text(f'# Denoiser calls\n\n`python benchmarks/bench_denoisers.py '
                                                                f'--sizes {" ".join(map(str, a.sizes))} --threads {" ".join(map(str, a.threads))}'
                                                                f'{" --bm3d" if a.bm3d else ""} --repeats {a.repeats}`\n\n' + text))


if __name__ == '__main__':
    main()
