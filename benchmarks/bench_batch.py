"""Throughput of the batched engine: K DIP networks trained together (`Batch`, grouped convolutions) against the
same K solvers stepped one after another, at several sizes; effective TFLOP/s beside a roofline estimate. The
variant `in_turn` is a `Batch(grouped=False)`, the CPU's default: the K networks stepped in turn inside one batch.

Prints a markdown table (and writes it to --out). Each row times `--iters` iterations after `--warmup`, on the device
at hand; compare rows of one run only. Usage:
    python benchmarks/bench_batch.py --device cpu --sizes 64 --ks 1 4 9 --variants plain in_turn --iters 20 --rounds 3
    python benchmarks/bench_batch.py --device cuda --sizes 128 256 512 --ks 1 4 16 --variants plain channels_last bf16 bf16+channels_last compile"""
import argparse, statistics, time
from pathlib import Path
import torch
from deepred.images import example_image, to_tensor
from deepred.tasks import degrade
from deepred.dip import dip_solver
from deepred.batch import Batch
from deepred.network import SkipNet, count_flops, iteration_bytes

def solvers(size, k, device, **kw):
    x = to_tensor(example_image('astronaut', size))
    y, op = degrade(x, "denoise", seed=0)
    return [dip_solver(op, y, seed=i, device=device, **kw) for i in range(k)]

VARIANTS = {'plain': {}, 'channels_last': dict(channels_last=True), 'bf16': dict(precision='bf16'),
            'bf16+channels_last': dict(precision='bf16', channels_last=True), 'compile': dict(compile=True),
            'deterministic': dict(deterministic=True), 'in_turn': {}}

def vmap_step(size, k, device):
    """Candidate: `torch.func.stack_module_state` + `vmap` of a functional call (BatchNorm without running statistics,
    which vmap cannot update in place); forward, data loss, backward and Adam, as a DIP step."""
    from torch.func import stack_module_state, functional_call
    import copy
    nets = []
    for i in range(k):
        torch.manual_seed(i); n = SkipNet().to(device)
        for m in n.modules():
            if isinstance(m, torch.nn.BatchNorm2d): m.track_running_stats, m.running_mean, m.running_var = False, None, None
        nets.append(n)
    params, buffers = stack_module_state(nets)
    base = copy.deepcopy(nets[0]).to('meta')
    f = lambda p, b, z: functional_call(base, (p, b), (z,))
    zs, y = 0.1 * torch.rand(k, 1, 32, size, size, device=device), torch.rand(k, 1, 3, size, size, device=device)
    opt = torch.optim.Adam(params.values(), lr=0.01)
    def step():
        opt.zero_grad(set_to_none=True)
        loss = 0.5 * (torch.vmap(f)(params, buffers, zs) - y).square().sum()
        loss.backward(); opt.step()
    return step

def streams_step(size, k, device):
    "Candidate: K single solvers, each stepped on its own CUDA stream."
    ss, sts = solvers(size, k, device), [torch.cuda.Stream() for _ in range(k)]
    def step():
        for s, st in zip(ss, sts):
            with torch.cuda.stream(st): s.step()
    return step

CANDIDATES = {'vmap': vmap_step, 'streams': streams_step}        # the other ways to run K networks at once (CUDA)

def sync(device):
    if device.type == 'cuda': torch.cuda.synchronize()

def timed(step, iters, warmup, device):
    for _ in range(warmup): step()
    sync(device); t = time.perf_counter()
    for _ in range(iters): step()
    sync(device)
    return (time.perf_counter() - t) / iters

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--device', default='auto'); ap.add_argument('--sizes', type=int, nargs='+', default=[64])
    ap.add_argument('--ks', type=int, nargs='+', default=[1, 2, 4]); ap.add_argument('--iters', type=int, default=10)
    ap.add_argument('--warmup', type=int, default=3); ap.add_argument('--out', default=None)
    ap.add_argument('--rounds', type=int, default=1, help='time every row this many times, alternating; report the median')
    ap.add_argument('--variants', nargs='+', default=['plain'], choices=list(VARIANTS) + list(CANDIDATES),
                    help="solver options of the batched rows, or another way to batch ('vmap', 'streams': CUDA only)")
    a = ap.parse_args()
    device = torch.device('cuda' if a.device == 'auto' and torch.cuda.is_available() else 'cpu' if a.device == 'auto' else a.device)
    name = torch.cuda.get_device_name() if device.type == 'cuda' else f'CPU, {torch.get_num_threads()} threads'
    lines = [f'## `benchmarks/bench_batch.py` on {name}, torch {torch.__version__}', '',
             f'DIP iterations on σ=25 denoising crops, {a.iters} timed after {a.warmup} warm-up, median of {a.rounds} alternating round(s). "one by one": the K solvers '
             'stepped in turn; "batched": one `Batch` of K, grouped unless the row says in_turn. Effective TFLOP/s: convolution FLOPs of forward + backward '
             '(3 × forward) × K / seconds per batch step. Roofline: those FLOPs over a lower bound of the bytes an iteration '
             'moves (activations written once and read ~3× forward, ~2× that backward, float32).', '',
             '| size | K | options | one by one: s / image-iteration | batched: s / image-iteration | speed-up | batched TFLOP/s | FLOP per byte (roofline) |',
             '|---|---|---|---|---|---|---|---|']
    print('\n'.join(lines), flush=True)
    for size in a.sizes:
        flops = 3 * count_flops(SkipNet(), (size, size))
        intensity = flops / iteration_bytes(SkipNet(), (size, size))
        for k in a.ks:
            def one_by_one():
                ss = solvers(size, k, device)
                return lambda: [s.step() for s in ss], lambda: [s.close() for s in ss]
            def batched(v):
                if v in CANDIDATES: return CANDIDATES[v](size, k, device), lambda: None
                b = Batch(solvers(size, k, device, **VARIANTS[v]), grouped=v != 'in_turn')
                return b.step, b.close
            makers = {None: one_by_one, **{v: (lambda v=v: batched(v)) for v in a.variants}}
            times, failed = {m: [] for m in makers}, {}
            for _ in range(a.rounds):                    # rounds alternate the rows, so a busy spell hits them all alike
                for m, make in makers.items():
                    if m in failed: continue
                    try:
                        step, close = make()
                        times[m].append(timed(step, a.iters, a.warmup, device) / k)
                        close()
                    except Exception as e:               # a candidate that does not run here is a finding, not a crash
                        failed[m] = e
                    if device.type == 'cuda': torch.cuda.empty_cache()
            seq = statistics.median(times[None])
            for v in a.variants:
                if v in failed: row = f'| {size}² | {k} | {v} | {seq:.4f} | failed: {type(failed[v]).__name__}: {str(failed[v])[:80]} | | | |'
                else:
                    bat = statistics.median(times[v])
                    row = f'| {size}² | {k} | {v} | {seq:.4f} | {bat:.4f} | {seq / bat:.2f} | {flops / bat / 1e12:.2f} | {intensity:.0f} |'
                lines.append(row); print(row, flush=True)
    if a.out: Path(a.out).write_text('\n'.join(lines) + '\n')

if __name__ == '__main__': main()
