"""A PyTorch BM3D beside the `bm3d` package (the reference, on the CPU): PSNR of each denoised image against the clean
one, on the Set5 crops at σ_f 5 (the super-resolution preset's), and seconds per call, on the CPU (and a GPU if any).

    python benchmarks/bench_bm3d.py --crop 128 --out benchmarks/results_bm3d.md

The candidate is deepinv's `BM3D(use_legacy=False)`, a PyTorch port that runs on any device (issue 26 read three
packages: bm3d-cupy and bm3d-triton run only on CUDA; deepinv's default BM3D calls the `bm3d` package on the CPU).
It filters each channel with the patches grouped on the first channel, where the reference's CBM3D groups them on
the luminance of an opponent colour transform; so three are measured: on RGB as given; on the orthonormal opponent
transform (luminance first) and back, with deepinv's thresholds (λ_3D 3.0, Wiener μ² 0.4: the bm3d package's own for
white noise); and as `deepred.denoisers.BM3D` runs it, on the opponent transform with the 2007 CBM3D's thresholds
(λ_3D 2.7 and the plain Wiener ratio, μ² 1), which the paper's MATLAB CBM3D ran.
"""
import argparse, statistics, time
from pathlib import Path
import numpy as np
import torch
from deepred.core import write_atomic
from deepred.data import find_set
from deepred.images import load_image, center_crop, psnr
from deepred.denoisers import get_denoiser, BM3D as Denoiser3D

VARIANTS = {'rgb': 'deepinv on RGB', 'opponent': 'deepinv on opponent colours', 'deepred': "deepred's (opponent, 2007 thresholds)"}


def timed(fn, repeats=2):
    fn(); ts = []
    for _ in range(repeats):
        t = time.perf_counter(); fn(); ts.append(time.perf_counter() - t)
    return statistics.median(ts)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--crop', type=int, default=128)
    ap.add_argument('--sigma-f', type=float, default=5)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--devices', nargs='+', help="where the port runs (default: the CPU, and CUDA if there is one)")
    ap.add_argument('--out', type=Path)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    from deepinv.models import BM3D
    devices = a.devices or ['cpu'] + (['cuda'] if torch.cuda.is_available() else [])
    nets = {d: BM3D(use_legacy=False).to(d) for d in devices}
    ported = {'opponent': Denoiser3D(backend='torch', port_settings={}),     # deepred's port on the opponent transform,
              'deepred': Denoiser3D(backend='torch')}                        # with deepinv's thresholds and with its own
    ref = get_denoiser('bm3d')
    s = a.sigma_f / 255
    rows, gaps = [], {(v, d): [] for v in VARIANTS for d in devices}
    times = {k: [] for k in ['bm3d'] + [f'{v}/{d}' for v in VARIANTS for d in devices]}
    for path in sorted(find_set('set5').glob('*.png')):
        x = torch.from_numpy(center_crop(load_image(path), (a.crop, a.crop))).permute(2, 0, 1)[None].float()
        y = (x + torch.randn(x.shape, generator=torch.Generator().manual_seed(0)) * s).clamp(0, 1)
        r = ref(y, a.sigma_f)
        times['bm3d'].append(timed(lambda: ref(y, a.sigma_f), 1))
        line = [path.stem, f'{psnr(y, x):.2f}', f'{psnr(r, x):.2f}']
        for d in devices:
            fns = {'rgb': lambda z, d=d: nets[d](z.to(d), s).cpu()} | {
                   v: lambda z, d=d, f=f: f(z.to(d), a.sigma_f).cpu() for v, f in ported.items()}
            for variant, f in fns.items():
                with torch.no_grad():
                    out = f(y)
                    times[f'{variant}/{d}'].append(timed(lambda: f(y), 1))
                gaps[(variant, d)].append(psnr(out, x) - psnr(r, x))
                line.append(f'{psnr(out, x):.2f}')
        rows.append('| ' + ' | '.join(line) + ' |')
    head = ['image', 'noisy', 'bm3d package (CBM3D)'] + [f'{VARIANTS[v]} ({d})' for d in devices for v in VARIANTS]
    text = (f'Set5, {a.crop}² centre crops, σ_f {a.sigma_f:g} (0–255), seed 0; PSNR (dB, RGB) of each denoised image against '
            f'the clean one; torch {torch.__version__}, {a.threads} CPU thread(s).\n\n| ' + ' | '.join(head) + ' |\n|'
            + '---|' * len(head) + '\n' + '\n'.join(rows) + '\n\n| candidate | mean PSNR − bm3d package | lowest | highest | seconds per call |\n|---|---|---|---|---|\n'
            + f"| bm3d package (CPU) | 0 | 0 | 0 | {statistics.median(times['bm3d']):.2f} |\n"
            + ''.join(f"| {VARIANTS[v]}, {d} | {np.mean(gaps[(v, d)]):+.2f} | {min(gaps[(v, d)]):+.2f} | {max(gaps[(v, d)]):+.2f} | "
                      f"{statistics.median(times[f'{v}/{d}']):.2f} |\n" for d in devices for v in VARIANTS))
    print(text)
    if a.out: write_atomic(a.out, lambda p: Path(p).write_text('# A PyTorch BM3D beside the bm3d package\n\n`python benchmarks/bench_bm3d.py '
                                                                f'--crop {a.crop}{" --devices " + " ".join(a.devices) if a.devices else ""}`\n\n' + text))


if __name__ == '__main__':
    main()
