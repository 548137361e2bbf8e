"""What bfloat16 costs in PSNR: paired runs (same seeds, same protocol, same thread count) of the quick tables in
float32 and in bfloat16, per image, for DIP and DeepRED.

On a processor without native bfloat16 the package's bf16 path falls back to PyTorch's reference convolutions (30-45×
slower than float32 at 64² on an AVX2 EPYC), far too slow for 1000-iteration tables. There this script runs the
bf16 *numerics* emulated in float32: every operand a bf16 convolution reads (activations and weights) and every
activation and gradient a bf16 network writes is rounded to bfloat16 at the same points, while sums run in float32
as bf16 kernels' accumulators do. `validate` checks the emulation against the real bf16 path on a short run.

    python tools/bf16_quality.py validate                      # emulation vs real bf16 vs fp32, 60 iterations
    python tools/bf16_quality.py run deblur-gauss --threads 1  # results/bf16-quality/deblur-gauss-quick (bf16)
    python tools/bf16_quality.py run deblur-gauss --threads 1 --fp32   # …/deblur-gauss-quick-fp32 (this code's fp32)
    python tools/bf16_quality.py compare                       # summary.md and summary.json: the paired differences
"""
import argparse, json
from pathlib import Path
import numpy as np
import torch
import deepred.engine as engine
import deepred.core as core
from deepred.core import bf16_native, device_name
from deepred.core import write_atomic

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT/'results'/'bf16-quality'
_real_run_net = engine.run_net


class _Round(torch.autograd.Function):
    "Round to bfloat16 and back: forward on the value, backward on its gradient (a bf16 network stores both in bf16)."
    @staticmethod
    def forward(ctx, x): return x.to(torch.bfloat16).to(x.dtype)
    @staticmethod
    def backward(ctx, g): return g.to(torch.bfloat16).to(g.dtype)


def emulated_run_net(net, z, precision='fp32', channels_last=False):
    "`engine.run_net`, with precision 'bf16' emulated in float32: the same roundings as the real bf16 path."
    if precision != 'bf16': return _real_run_net(net, z, precision, channels_last)
    net = getattr(net, '_orig_mod', net)
    weights = {f'{m_name}.{p_name}' if m_name else p_name: _Round.apply(p)           # the parameters engine._bf16_weights casts
               for m_name, m in net.named_modules() if isinstance(m, torch.nn.Conv2d) for p_name, p in m.named_parameters(recurse=False)}
    leaves = [m for m in net.modules() if not list(m.children())]                      # every layer's output is a bf16 tensor
    hooks = [m.register_forward_hook(lambda m, i, o: _Round.apply(o)) for m in leaves]
    try: out = torch.func.functional_call(net, weights, (_Round.apply(z),))
    finally:
        for h in hooks: h.remove()
    return out.to(z.dtype).contiguous()


def validate():
    """One forward and backward pass of the full skip network (64², the same weights and input) in float64, float32, real
    bf16 and emulated bf16. The emulation must make errors of real bf16's size against float64, and sit closer to real bf16
    than float32 does. (Whole runs cannot be compared: a DIP fit turns any rounding difference, even float32's
    summation order, into another trajectory; and one pass already shows that rounding the forward values moves the
    gradient far more than rounding the gradients does.)"""
    from deepred.network import SkipNet, make_input
    core.bf16_native = lambda device: True
    torch.manual_seed(0)
    net, z = SkipNet(32, 3), make_input((1, 3, 64, 64), 32, seed=0)
    target = torch.rand(1, 3, 64, 64)
    def grads(run_net, precision, dtype=torch.float32):
        net.to(dtype).zero_grad()
        out = run_net(net, z.to(dtype), precision)
        (0.5 * (out - target.to(dtype)).square().sum()).backward()
        o, g = out.detach().double(), torch.cat([p.grad.flatten() for p in net.parameters()]).double()
        net.float()
        return o, g
    ref = grads(_real_run_net, 'fp32', torch.float64)
    runs = {'fp32': grads(_real_run_net, 'fp32'), 'bf16': grads(_real_run_net, 'bf16'), 'bf16 emulated': grads(emulated_run_net, 'bf16')}
    rel = lambda a, b: float((a - b).norm() / b.norm())
    out = {f'{what}: {k} vs float64': rel(v[i], ref[i]) for i, what in enumerate(('output', 'gradient')) for k, v in runs.items()}
    out.update({f'{what}: {k} vs bf16': rel(runs[k][i], runs['bf16'][i]) for i, what in enumerate(('output', 'gradient'))
                for k in ('fp32', 'bf16 emulated')})
    print(json.dumps(out, indent=1))
    return out


def emulate():
    "Route the package's bf16 network calls through the emulation (the engine's and DIP's final-output estimate)."
    import deepred.dip
    core.bf16_native = lambda device: True
    engine.run_net = deepred.dip.run_net = emulated_run_net


def run(name, threads, fp32=False):
    from deepred.tables import reproduce
    torch.set_num_threads(threads)
    emulate()
    out = OUT/(f'{name}-quick' + ('-fp32' if fp32 else ''))
    print(reproduce(name, None, out, quick=True, device='cpu', methods=['dip', 'deepred'], precision='fp32' if fp32 else 'bf16',
                    resume=True))
    meta = dict(precision='fp32' if fp32 else 'bf16', emulated=not fp32 and not bf16_native('cpu'), threads=threads, cpu=device_name('cpu'))
    write_atomic(out/'precision.json', lambda p: Path(p).write_text(json.dumps(meta, indent=1) + '\n'))


def compare():
    "Per table and image, bf16 − fp32 for DIP and DeepRED; the quality rule: mean within ±0.1 dB, no image below −0.3 dB."
    rows, lines = [], ['| table | image | DIP fp32 | DIP bf16 | Δ DIP | DeepRED fp32 | DeepRED bf16 | Δ DeepRED |', '|---|---|---|---|---|---|---|---|']
    for bf in sorted(OUT.glob('*-quick')):
        fp = Path(str(bf) + '-fp32')
        if not fp.is_dir(): fp = ROOT/'results'/bf.name                            # the committed float32 table
        if not (fp/'results.json').is_file() or not (bf/'results.json').is_file(): continue
        ra, rb = json.loads((fp/'results.json').read_text()), json.loads((bf/'results.json').read_text())
        threads = {r['environment']['threads'] for r in (ra, rb)}
        if len(threads) > 1: print(f'{bf.name}: not a pair (threads {threads})'); continue   # another thread count is another run
        a, b = ra['psnr'], rb['psnr']
        for im in b:
            if im not in a: continue
            d = {m: b[im][m] - a[im][m] for m in ('DIP', 'DeepRED')}
            rows.append(dict(table=bf.name, image=im, fp32={m: a[im][m] for m in d}, bf16={m: b[im][m] for m in d}, delta=d))
            lines.append(f"| {bf.name} | {im} | {a[im]['DIP']:.2f} | {b[im]['DIP']:.2f} | {d['DIP']:+.2f} | "
                         f"{a[im]['DeepRED']:.2f} | {b[im]['DeepRED']:.2f} | {d['DeepRED']:+.2f} |")
    deltas = {m: [r['delta'][m] for r in rows] for m in ('DIP', 'DeepRED')}
    verdict = {m: dict(mean=float(np.mean(v)), worst=float(np.min(v)), n=len(v), holds=bool(abs(np.mean(v)) <= 0.1 and np.min(v) >= -0.3))
               for m, v in deltas.items() if v}
    lines += ['', '| method | images | mean Δ (dB) | worst Δ (dB) | within the rule (mean ±0.1, none below −0.3) |', '|---|---|---|---|---|']
    lines += [f"| {m} | {v['n']} | {v['mean']:+.3f} | {v['worst']:+.2f} | {'yes' if v['holds'] else 'no'} |" for m, v in verdict.items()]
    noise = []                  # the control: a float32 table against the committed one at another thread count
    for fp in sorted(OUT.glob('*-quick-fp32')):
        base = ROOT/'results'/fp.name[:-len('-fp32')]
        if not (fp/'results.json').is_file() or not (base/'results.json').is_file(): continue
        ra, rb = json.loads((base/'results.json').read_text()), json.loads((fp/'results.json').read_text())
        ta, tb = ra['environment']['threads'], rb['environment']['threads']
        if ta == tb: continue
        noise += [dict(table=fp.name[:-len('-fp32')], image=im, threads=[ta, tb], delta={m: rb['psnr'][im][m] - ra['psnr'][im][m] for m in ('DIP', 'DeepRED')})
                  for im in rb['psnr'] if im in ra['psnr']]
    if noise:
        lines += ['', 'The control, float32 against float32 at another thread count (only the summation order differs):', '',
                  '| table | image | threads | Δ DIP | Δ DeepRED |', '|---|---|---|---|---|']
        lines += [f"| {r['table']} | {r['image']} | {r['threads'][1]} − {r['threads'][0]} | {r['delta']['DIP']:+.2f} | {r['delta']['DeepRED']:+.2f} |" for r in noise]
    write_atomic(OUT/'summary.json', lambda p: Path(p).write_text(json.dumps(dict(rows=rows, verdict=verdict, control=noise), indent=1) + '\n'))
    write_atomic(OUT/'summary.md', lambda p: Path(p).write_text('\n'.join(lines) + '\n'))
    print('\n'.join(lines))


if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('what', choices=('validate', 'run', 'compare'))
    ap.add_argument('name', nargs='?')
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--fp32', action='store_true', help='the float32 side of the pair, run by this code')
    a = ap.parse_args()
    if a.what == 'validate':
        OUT.mkdir(parents=True, exist_ok=True)
        v = validate()
        write_atomic(OUT/'validation.json', lambda p: Path(p).write_text(json.dumps(v, indent=1) + '\n'))
    elif a.what == 'run': run(a.name, a.threads, a.fp32)
    else: compare()
