"""Seconds per iteration of DIP and DeepRED in each precision, beside the 2019 reference loop; the network's cost,
the denoisers' share, and peak memory.

Prints markdown tables and writes them to benchmarks/results.md (or --out). Run: `python benchmarks/bench_iteration.py`
(`--sizes 64 128` for a shorter run). Every row of a table is measured in the same run, in alternating rounds (the
machine's speed drifts from minute to minute); a cell is the best round's median over its timed iterations. On a
processor without native bfloat16 the bf16 rows are measured anyway (emulated: `auto` would not choose them there),
and the header says so.

The rows of the precision table, one DIP iteration each (input perturbation, forward, ½‖T(z) − y‖² in float32,
backward, Adam, moving average):
- `reference 2019`: a plain PyTorch float32 build of the same skip network, as the 2019 code runs it (`nn.Conv2d` after
  reflection padding, standard autograd, `torch.optim.Adam` with its defaults), in a hand-written loop;
- `fp32`: the package's solver (its convolution gradient, fused Adam), today's path and `auto` without bf16;
- `fp32 channels-last`, `bf16 autocast` (`torch.autocast` around the network), `bf16` (the package's: convolution
  weights cast in the graph, float32 master weights and Adam, BatchNorm statistics in float32), `bf16 channels-last`,
  and `fp32 compile` (`torch.compile` on the CPU; a failure is reported in its row).
"""
import argparse, statistics, subprocess, sys, time
from pathlib import Path
import torch
from torch import nn
import deepred.core as core
from deepred.images import example_image, to_tensor, center_crop
from deepred.operators import Identity
from deepred.tasks import GaussianNoise
from deepred.engine import Solver
from deepred.core import bf16_native, device_name
from deepred.dip import DIP
from deepred.deepred import DeepRED
from deepred.denoisers import get_denoiser
from deepred.network import SkipNet, make_input, count_flops


def noisy(size):
    return GaussianNoise(25)(to_tensor(center_crop(example_image('astronaut', None), size)), seed=0)


class Reference:
    "The 2019 loop: the same skip network with `nn.Conv2d`, standard autograd and Adam, float32, EMA of the outputs."
    def __init__(self, y):
        torch.manual_seed(0)
        self.net = SkipNet(32, y.shape[1])
        for m in self.net.modules():
            if isinstance(m, nn.Conv2d): m.__class__ = nn.Conv2d          # plain convolution: autograd's own gradient
        self.z, self.y, self.avg = make_input(tuple(y.shape), 32, seed=0), y, None
        self.opt = torch.optim.Adam(self.net.parameters(), lr=0.01)
    def step(self):
        self.opt.zero_grad()
        out = self.net(self.z + torch.randn_like(self.z) / 30)
        loss = nn.functional.mse_loss(out, self.y)
        loss.backward(); self.opt.step()
        with torch.no_grad():
            o = out.detach()
            self.avg = o if self.avg is None else self.avg * 0.99 + o * 0.01
    def close(self): pass


class Autocast:
    "The package's fp32 solver with its network run under `torch.autocast(bfloat16)`: the autocast baseline."
    def __init__(self, y, method):
        self.s = Solver(Identity(), y, method, device='cpu', precision='fp32')
        net = self.s.net
        def forward():
            z = self.s.perturbed_input()
            with torch.autocast('cpu', torch.bfloat16): out = net(z)
            return out.float()
        self.s.forward = forward
    def step(self): self.s.step()
    def close(self): self.s.close()


def solver(y, method, **kw):
    s = Solver(Identity(), y, method, device='cpu', **kw)
    return s


DIP_ROWS = {
    'reference 2019': lambda y: Reference(y),
    'fp32': lambda y: solver(y, DIP(), precision='fp32'),
    'fp32 channels-last': lambda y: solver(y, DIP(), precision='fp32', channels_last=True),
    'bf16 autocast': lambda y: Autocast(y, DIP()),
    'bf16': lambda y: solver(y, DIP(), precision='bf16'),
    'bf16 channels-last': lambda y: solver(y, DIP(), precision='bf16', channels_last=True),
    'fp32 compile': lambda y: solver(y, DIP(), precision='fp32', compile=True),
}
DEEPRED_ROWS = {'fp32': dict(precision='fp32'), 'bf16': dict(precision='bf16')}


def timed(make, size, iters, max_seconds, warmup=2) -> float:
    "Median seconds per iteration of a fresh runner after `warmup` iterations (at most `max_seconds` of timed work)."
    r = make(noisy(size))
    try:
        for _ in range(warmup): r.step()
        ts, t_all = [], time.perf_counter()
        while len(ts) < iters and (len(ts) < 2 or time.perf_counter() - t_all < max_seconds):
            t = time.perf_counter(); r.step(); ts.append(time.perf_counter() - t)
    finally:
        r.close()
    return statistics.median(ts)


def period_mean(method, size, iters, precision, rounds):
    "Mean seconds per iteration over whole periods of 10 iterations (DeepRED calls its denoiser once in each), best round."
    best = float('inf')
    for _ in range(rounds):
        s = solver(noisy(size), method(), precision=precision)
        try:
            for _ in range(10): s.step()
            t = time.perf_counter()
            for _ in range(iters): s.step()
            best = min(best, (time.perf_counter() - t) / iters)
        finally: s.close()
    return best


def denoiser_call(name, size, sigma):
    y = noisy(size)
    f = get_denoiser(name); f(y, sigma)
    t = time.perf_counter(); f(y, sigma); return time.perf_counter() - t


def peak_memory(size, precision):
    "Peak resident memory of DeepRED iterations at size², in a fresh process."
    code = f"""
import resource, torch
import deepred.core as core
core.bf16_native = lambda device: True
from deepred.images import example_image, to_tensor, center_crop
from deepred.operators import Identity
from deepred.engine import Solver
from deepred.deepred import DeepRED
y = to_tensor(center_crop(example_image('astronaut', None), {size}))
s = Solver(Identity(), y, DeepRED('nlm', 3, 0.5, 0.5), device='cpu', precision='{precision}')
for _ in range(2): s.step()
s.method.close()
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20)
"""
    return float(subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True).stdout.split()[0])


def skipped(k, n, th, args, native) -> str | None:
    "Why row `k` is not measured at size n and th threads, or None."
    if k.startswith('bf16') and not native and n > args.emulated_max: return f'– (emulated, > {args.emulated_max}²)'
    if k == 'fp32 compile' and (n not in args.compile_sizes or th != max(args.threads)): return '–'
    return None


def precision_table(args, native) -> list:
    rows, iters, max_seconds = args.rows, args.iters, args.max_seconds
    lines = ['| size | threads | ' + ' | '.join(rows) + ' | best bf16 vs reference | fp32 vs reference |',
             '|---|---|' + '---|' * (len(rows) + 2)]
    for n in args.sizes:
        for th in args.threads:
            torch.set_num_threads(th)
            best = {k: float('inf') for k in rows}
            failed = {k: why for k in rows if (why := skipped(k, n, th, args, native))}
            for r in range(args.rounds):                              # alternating rounds: drift hits every row alike
                for k in rows:
                    if k in failed or (r and (k == 'fp32 compile' or (k.startswith('bf16') and not native))): continue   # one round of the slow rows
                    try: best[k] = min(best[k], timed(DIP_ROWS[k], n, iters, max_seconds))
                    except Exception as e: failed[k] = f'fails: {type(e).__name__}'
            ref = best['reference 2019']
            cells = [failed.get(k) or f'{best[k]:.3f}' for k in rows]
            bf = min((best[k] for k in rows if k.startswith('bf16') and k not in failed), default=float('nan'))   # nan: none measured
            bf_cell = f'{ref / bf:.2f}×' if bf == bf else '–'             # nan: no bf16 row measured at this size
            row = f'| {n}² | {th} | ' + ' | '.join(cells) + f' | {bf_cell} | {ref / best["fp32"]:.2f}× |'
            lines.append(row); print(row, flush=True)
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--sizes', type=int, nargs='+', default=[64, 128, 256])
    ap.add_argument('--threads', type=int, nargs='+', default=[1, 2])
    ap.add_argument('--iters', type=int, default=10, help='timed iterations per round (fewer where --max-seconds runs out)')
    ap.add_argument('--rounds', type=int, default=3, help='rounds of the fast rows (compile and emulated bf16 rows: one)')
    ap.add_argument('--max-seconds', type=float, default=20, help='timed work per cell and round')
    ap.add_argument('--rows', nargs='+', default=list(DIP_ROWS), choices=list(DIP_ROWS))
    ap.add_argument('--emulated-max', type=int, default=64, help='largest size for the bf16 rows where bf16 is emulated (30-45× slower)')
    ap.add_argument('--compile-sizes', type=int, nargs='+', default=[128], help='sizes of the compile row (each compiles anew)')
    ap.add_argument('--memory-size', type=int, default=512)
    ap.add_argument('--out', default=str(Path(__file__).with_name('results.md')))
    ap.add_argument('--only-deepred', action='store_true', help="re-measure only the DeepRED table, in place in --out")
    args = ap.parse_args()
    native, auto = bf16_native('cpu'), core.resolve_precision('auto', 'cpu')
    core.bf16_native = lambda device: True                      # measure the bf16 rows on any CPU; the header says which
    caps = torch.cpu.get_capabilities()
    head = [f"## `benchmarks/bench_iteration.py`: {device_name('cpu')}, {caps.get('num_physical_cores')} cores, torch {torch.__version__}, "
            f"CPU capability {torch.backends.cpu.get_cpu_capability()}", '',
            f"Native bfloat16: **{'yes' if native else 'no'}** (AVX512-BF16 {caps.get('avx512_bf16')}, AMX-BF16 {caps.get('amx_bf16')}), so "
            f"`--precision auto` is **{auto}** here" + ('' if native else '; the bf16 rows are emulated') + '.', '']
    net = SkipNet(32, 3)
    head += ['### The skip network', '', '| size | GFLOP forward | GFLOP per iteration (≈3× forward) |', '|---|---|---|']
    head += [f'| {n}² | {count_flops(net, (n, n)) / 1e9:.1f} | {3 * count_flops(net, (n, n)) / 1e9:.1f} |' for n in args.sizes]
    head += ['', f'### Seconds per DIP iteration, by precision (best of {args.rounds} alternating rounds)', '']
    print('\n'.join(head), flush=True)
    lines = head + precision_table(args, native) if not args.only_deepred else []
    torch.set_num_threads(max(args.threads))
    part = ['', f'### DeepRED (NLM σ_f 3, called every 10th iteration) against DIP, {max(args.threads)} threads', '',
            '| size | precision | DIP | DeepRED | DeepRED/DIP | NLM call (σ_f 3) | BM3D call (σ_f 5) |', '|---|---|---|---|---|---|---|']
    print('\n'.join(part), flush=True)
    for n in args.sizes:
        nlm = denoiser_call('nlm', n, 3)
        bm3d = f"{denoiser_call('bm3d', n, 5):.2f}" if n <= 128 else '–'     # slow on a CPU: the SR tables' cost
        for p in DEEPRED_ROWS:
            if p == 'bf16' and not native: continue                  # emulated: the DIP rows above show what it costs
            rounds = args.rounds if p == 'fp32' or native else 1
            d, r = (period_mean(m, n, 10, p, rounds) for m in (DIP, lambda: DeepRED('nlm', 3, 0.5, 0.5)))   # measured alike
            row = f'| {n}² | {p} | {d:.3f} | {r:.3f} | {r / d:.2f} | {nlm:.3f} | {bm3d} |'
            part.append(row); print(row, flush=True)
    lines += part
    if args.only_deepred:                                          # the rest of --out as it was
        old = Path(args.out).read_text()
        i, j = old.index('\n### DeepRED'), old.index('\n### Peak')
        Path(args.out).write_text(old[:i] + '\n'.join(part) + '\n' + old[j:])
        return print(f'\nrewrote the DeepRED table of {args.out}')
    mem = ['', f'### Peak resident memory of DeepRED iterations at {args.memory_size}² (fresh process)', '']
    mem += [f'- {p}: {peak_memory(args.memory_size, p):.2f} GiB' for p in DEEPRED_ROWS if p == 'fp32' or native]
    lines += mem; print('\n'.join(mem))
    Path(args.out).write_text('\n'.join(lines) + '\n')
    print(f'\nwrote {args.out}')


if __name__ == '__main__':
    main()
