"""Seconds per iteration of DIP and DeepRED, the network's cost, the denoisers' share, and peak memory.

Prints markdown tables and writes them to benchmarks/results.md (or --out). Run: `python benchmarks/bench_iteration.py`
(`--quick` for 64² and 128² only). Timings are medians over `--iters` iterations after warm-up; the machine's speed
varies from minute to minute, so compare rows measured in the same run.
"""
import argparse, platform, subprocess, sys, time
from pathlib import Path
import torch
from deepred.images import example_image, to_tensor, center_crop
from deepred.operators import Identity, GaussianNoise
from deepred.engine import Solver
from deepred.dip import DIP
from deepred.deepred import DeepRED
from deepred.denoisers import get_denoiser
from deepred.network import SkipNet, count_flops

def image(size):
    x = example_image('astronaut', None)
    return to_tensor(center_crop(x, size))

def sec_per_iter(method, size, iters, device, warmup=3):
    y = GaussianNoise(25)(image(size), seed=0)
    s = Solver(Identity(), y, method, device=device)
    try:
        for _ in range(warmup): s.step()
        ts = []
        for _ in range(iters):
            if device.type == 'cuda': torch.cuda.synchronize()
            t = time.perf_counter(); s.step()
            if device.type == 'cuda': torch.cuda.synchronize()
            ts.append(time.perf_counter() - t)
    finally:
        method.close()
    # the denoiser runs on 1 iteration in 10: average over whole periods of 10
    return sum(ts) / len(ts)

def denoiser_call(name, size, sigma):
    y = GaussianNoise(25)(image(size), seed=0)
    f = get_denoiser(name); f(y, sigma)
    t = time.perf_counter(); f(y, sigma); return time.perf_counter() - t

def peak_memory(size, device):
    "Peak resident memory (CPU) or peak allocated GPU memory of DIP iterations at size², in a fresh process."
    code = f"""
import resource, torch
from deepred.images import example_image, to_tensor, center_crop
from deepred.operators import Identity
from deepred.engine import Solver
from deepred.deepred import DeepRED
y = to_tensor(center_crop(example_image('astronaut', None), {size}))
s = Solver(Identity(), y, DeepRED('nlm', 3, 0.5, 0.5), device='{device}')
for _ in range(2): s.step()
s.method.close()
gpu = torch.cuda.max_memory_allocated() / 2**30 if '{device}' == 'cuda' else 0
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, gpu)
"""
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), float(out[1])

def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--sizes', type=int, nargs='+', default=[64, 128, 256])
    ap.add_argument('--iters', type=int, default=20)
    ap.add_argument('--device', default='cpu')
    ap.add_argument('--bm3d-max', type=int, default=128, help='largest size for the BM3D rows (BM3D is slow on a CPU)')
    ap.add_argument('--memory-size', type=int, default=512)
    ap.add_argument('--out', default=str(Path(__file__).with_name('results.md')))
    args = ap.parse_args()
    dev = torch.device(args.device)
    lines = [f"## `benchmarks/bench_iteration.py` on {platform.processor() or platform.machine()}, "
             f"{torch.get_num_threads()} threads, torch {torch.__version__}, device {dev}"
             + (f" ({torch.cuda.get_device_name()})" if dev.type == 'cuda' else ''), '']
    net = SkipNet(32, 3)
    lines += ['### The skip network', '', '| size | GFLOP forward | GFLOP per iteration (≈3× forward) | MFLOP per pixel |', '|---|---|---|---|']
    for n in args.sizes:
        f = count_flops(net, (n, n))
        lines.append(f'| {n}² | {f / 1e9:.1f} | {3 * f / 1e9:.1f} | {f / n**2 / 1e6:.3f} |')
    lines += ['', '### Seconds per iteration (forward + backward + Adam, + x/u-steps and the denoiser for DeepRED)', '',
              '| size | DIP | DeepRED NLM sync | DeepRED NLM concurrent | NLM call (σ_f=3) | DeepRED BM3D sync | DeepRED BM3D concurrent | BM3D call (σ_f=5) | DeepRED/DIP (NLM sync) | denoiser hidden by concurrency (BM3D) |',
              '|---|---|---|---|---|---|---|---|---|---|']
    print('\n'.join(lines), flush=True)
    for n in args.sizes:
        it = args.iters if n <= 128 else max(10, args.iters // 2)
        t_dip = sec_per_iter(DIP(), n, it, dev)
        t_nlm_s = sec_per_iter(DeepRED('nlm', 3, 0.5, 0.5), n, it, dev)
        t_nlm_c = sec_per_iter(DeepRED('nlm', 3, 0.5, 0.5, concurrent=True), n, it, dev)
        c_nlm = denoiser_call('nlm', n, 3)
        if n <= args.bm3d_max:
            t_bm_s = sec_per_iter(DeepRED('bm3d', 5, 0.05, 0.06), n, it, dev)
            t_bm_c = sec_per_iter(DeepRED('bm3d', 5, 0.05, 0.06, concurrent=True), n, it, dev)
            c_bm = denoiser_call('bm3d', n, 5)
            hidden = (t_bm_s - t_bm_c) / (c_bm / 10)
            bm = f'{t_bm_s:.3f} | {t_bm_c:.3f} | {c_bm:.2f} | {t_nlm_s / t_dip:.2f} | {hidden:.0%}'
        else:
            bm = f'– | – | – | {t_nlm_s / t_dip:.2f} | –'
        row = f'| {n}² | {t_dip:.3f} | {t_nlm_s:.3f} | {t_nlm_c:.3f} | {c_nlm:.3f} | {bm} |'
        lines.append(row); print(row, flush=True)
    rss, gpu = peak_memory(args.memory_size, args.device)
    mem = ['', f'### Peak memory of DeepRED iterations at {args.memory_size}² (fresh process)', '',
           f'- peak resident memory: {rss:.2f} GiB' + (f'; peak GPU memory allocated: {gpu:.2f} GiB' if dev.type == 'cuda' else '')]
    lines += mem; print('\n'.join(mem))
    Path(args.out).write_text('\n'.join(lines) + '\n')
    print(f'\nwrote {args.out}')

if __name__ == '__main__':
    main()
