"""What the paper's full protocol costs on one GPU, table by table and method by method, and the device calls that
would run it: a plan from measured costs, every assumption named beside the number it feeds.

    python benchmarks/full_protocol_cost.py --out benchmarks/results_cost.md      # also writes results_cost.json
    python benchmarks/full_protocol_cost.py --order                                # the jobs, in the order gpu_session.sh runs them

The model, per table (its images from `data/`, their sizes as the protocol crops them) and per method (its budget
from the presets, `09_presets`):
- **network iterations** cost max(FLOOR, SECONDS_PER_PIXEL · K · pixels) a step for a batch of K networks of one size:
  the H200's measured DIP iterations (`results_h200.md`: 0.025 s at 128² where kernel launches bound it, 0.086 s at
  512² where arithmetic does), K chosen by `auto_batch`'s memory rule, capped by the images of that size;
- **the denoiser**: one call per image every 10 DeepRED iterations, at `DENOISER` seconds per megapixel on the device
  that runs it. On the CPU (the `bm3d` package, scikit-image's NLM) the calls of a batch queue behind each other on
  the host's cores; on the GPU (the PyTorch NLM, a GPU BM3D) they are assumed to cost a fraction of an iteration.
- **RED**: its budget of denoiser calls, one per iteration, on the device of its denoiser.
A device call holds CALL_SECONDS of work (a 9-minute call less the machine's start and the package's import).
Calls are filled in the order of `jobs()`: the cheapest informative rows first (DIP and DeepRED of the cheapest table,
then the next table's), the RED rows last.
"""
import argparse, json, math, struct
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CALL_SECONDS = 480                       # of a 540 s device call: about 60 s go to start-up, imports and the copy back
FLOOR, SECONDS_PER_PIXEL = 0.025, 0.086 / 512 ** 2      # H200, measured (results_h200.md): launch-bound floor; 512² slope
GPU_MEMORY = 139 * 2 ** 30               # the H200's; batches sized by deepred.batch's rule (tests/test_device_paths.py)
HOST_CORES = 16                          # the H200 machine's CPU cores: a batch's CPU denoiser calls run side by side
GOAL_CALLS = 8
# seconds per call per megapixel (3 channels); 'measured' says where each number comes from
DENOISER = {
    ('nlm', 'cpu'): (0.176 / 0.262, 'measured: scikit-image NLM on the H200 host, 0.176 s at 512² (results_h200.md)'),
    ('bm3d', 'cpu'): (1.62 / 0.0164, 'measured: CBM3D on the H200 host, 1.62 s at 128² (results_h200.md)'),
    ('nlm', 'gpu'): (0.02 / 0.262, 'ASSUMED: the PyTorch NLM at 0.02 s at 512² on the H200 (to be measured by gpu_session.sh)'),
    ('bm3d', 'gpu'): (1.62 / 0.0164 / 20, 'ASSUMED: a GPU BM3D 20× the CPU package (to be measured when one is chosen)'),
}
TABLES = ('denoise', 'sr4-set5', 'sr8-set5', 'sr4-set14', 'sr8-set14', 'deblur-uniform', 'deblur-gauss', 'deblur-uniform-grey',
          'deblur-gauss-grey')


def png_size(path: Path) -> tuple:
    "(height, width) from a PNG's header, without decoding it."
    w, h = struct.unpack('>II', path.read_bytes()[16:24])
    return h, w


@lru_cache(maxsize=None)                  # read once: every row and the ordering ask for it
def table_images(name: str) -> list:
    "(height, width) of every image a full table runs, as its protocol crops them (SR: to a multiple of the factor)."
    from deepred.experiments import EXPERIMENTS
    from deepred.tasks import TASKS
    exp = EXPERIMENTS[name]
    f = TASKS[exp.task].factor
    return [(h // f * f, w // f * f) for p in sorted((ROOT/'data'/exp.data).glob('*.png')) if p.stem not in exp.exclude
            for h, w in [png_size(p)]]


def method_cost(name: str, method: str, denoiser_device: str) -> dict:
    "GPU seconds of `method`'s rows of table `name`: the networks' iterations and the denoiser's calls."
    from deepred.experiments import EXPERIMENTS
    from deepred.presets import get_preset, get_red_preset
    from deepred.batch import NET_BYTES_PER_PIXEL
    exp, p = EXPERIMENTS[name], get_preset(EXPERIMENTS[name].task)
    sizes = table_images(name)
    if method == 'red':
        r = get_red_preset(exp.task)
        calls = sum(r.iters * h * w / 1e6 for h, w in sizes)
        return dict(network=0.0, denoiser=calls * DENOISER[(r.denoiser, denoiser_device)][0], iterations=r.iters, runs=1)
    iters, runs = (p.dip_iters, p.dip_runs) if method == 'dip' else (p.iters, 1)
    net = 0.0
    for size in set(sizes):
        n = sizes.count(size) * runs                                      # networks of this size
        k = max(1, min(n, int(0.8 * GPU_MEMORY // (NET_BYTES_PER_PIXEL * size[0] * size[1]))))
        steps = math.ceil(n / k) * iters
        net += steps * max(FLOOR, SECONDS_PER_PIXEL * k * size[0] * size[1])
    den = 0.0
    if method == 'deepred':
        per_call = DENOISER[(p.denoiser, denoiser_device)][0]
        den = sum(iters / 10 * per_call * h * w / 1e6 for h, w in sizes)
        if denoiser_device == 'cpu': den /= min(HOST_CORES, len(sizes))   # the batch's images denoised in worker threads
        if denoiser_device == 'gpu': den = 0.0 if p.denoiser == 'nlm' else den   # NLM on the GPU: inside the iteration's floor
    return dict(network=net, denoiser=den, iterations=iters, runs=runs)


def jobs() -> list:
    "(table, method): each table's DIP and DeepRED rows, the cheapest table first (on the GPU), then every table's RED row."
    pair = lambda t: sum(sum(v for k, v in method_cost(t, m, 'gpu').items() if k in ('network', 'denoiser')) for m in ('dip', 'deepred'))
    order = sorted(TABLES, key=pair)
    return [(t, m) for t in order for m in ('dip', 'deepred')] + [(t, 'red') for t in order]


def plan(denoiser_device: str) -> list:
    rows = []
    for name, method in jobs():
        c = method_cost(name, method, denoiser_device)
        total = c['network'] + c['denoiser'] if denoiser_device == 'gpu' else max(c['network'], c['denoiser'])
        rows.append(dict(table=name, method=method, images=len(table_images(name)), total=total, **c))
    return rows


def calls(rows: list) -> list:
    "Rows packed into device calls of CALL_SECONDS in order; a row longer than a call spans several (it resumes)."
    out, left = [[]], CALL_SECONDS
    for r in rows:
        need = r['total']
        while need > 0:
            take = min(need, left)
            out[-1].append((r['table'], r['method'], take)); need -= take; left -= take
            if left <= 0: out.append([]); left = CALL_SECONDS
    return [c for c in out if c]


def report(device_rows: dict) -> tuple:
    lines = ['| table | method | images | iterations × runs | network (s) | denoiser (s), on the CPU | total (s), denoiser on the CPU | '
             'total (s), denoiser on the GPU |', '|---|---|---|---|---|---|---|---|']
    cpu, gpu = device_rows['cpu'], device_rows['gpu']
    for a, b in zip(cpu, gpu):
        lines.append(f"| {a['table']} | {a['method']} | {a['images']} | {a['iterations']} × {a['runs']} | {a['network']:.0f} | "
                     f"{a['denoiser']:.0f} | {a['total']:.0f} | {b['total']:.0f} |")
    summary = {d: dict(seconds=sum(r['total'] for r in rs), calls=len(calls(rs))) for d, rs in device_rows.items()}
    summary['goal_calls'] = GOAL_CALLS
    return '\n'.join(lines), summary


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--out', type=Path, help='write the Markdown here and the numbers beside it (.json)')
    ap.add_argument('--order', action='store_true', help="print the device calls' jobs in order, a line each: TABLE METHOD,METHOD")
    a = ap.parse_args()
    rows = {d: plan(d) for d in ('cpu', 'gpu')}
    if a.order:                                   # the networks of a table together (one output folder), then its baselines
        from deepred.experiments import EXPERIMENTS
        order = list(dict.fromkeys(r['table'] for r in rows['gpu']))
        for t in order: print(t, 'dip,deepred')
        for t in order: print(t, ','.join(m for m in EXPERIMENTS[t].methods if m not in ('dip', 'deepred')))
        return
    table, summary = report(rows)
    seq = calls(rows['gpu'])
    text = ('# The full protocol on one H200: a cost model\n\n`python benchmarks/full_protocol_cost.py --out benchmarks/results_cost.md`\n\n'
            f"With the denoiser where it runs today (the CPU): **{summary['cpu']['seconds'] / 3600:.1f} GPU-hours, "
            f"{summary['cpu']['calls']} device calls** of {CALL_SECONDS} s. With the denoiser on the GPU: "
            f"**{summary['gpu']['seconds'] / 3600:.1f} GPU-hours, {summary['gpu']['calls']} calls**.\n\n"
            + f"The goal of {GOAL_CALLS} calls ({GOAL_CALLS * CALL_SECONDS / 3600:.2f} GPU-hours) needs the whole protocol "
              f"{summary['gpu']['seconds'] / (GOAL_CALLS * CALL_SECONDS):.0f}× faster than this model: the paper's budgets "
              "(30,000 iterations per deblurring image) at the H200's measured iteration cost do not fit it.\n\n"
            + table + '\n\nAssumptions and sources:\n\n'
            + f'- network step: max({FLOOR} s, {SECONDS_PER_PIXEL:.3g} s × K × pixels), measured on the H200 (results_h200.md); '
              'a batch of K networks is assumed to cost what its pixels cost (bench_batch.py on the GPU will say)\n'
            + ''.join(f'- denoiser {k[0]} on the {k[1].upper()}: {v[0]:.3g} s per megapixel, {v[1]}\n' for k, v in DENOISER.items())
            + f'- a device call does {CALL_SECONDS} s of work; on the CPU the denoiser overlaps the network (the larger of the two counts), '
              f'a batch\'s calls spread over the host\'s {HOST_CORES} cores\n\n'
            + '## The device calls, denoiser on the GPU\n\n'
            + '\n'.join(f"{i + 1}. " + ', '.join(f'{t} {m} ({s:.0f} s)' for t, m, s in c) for i, c in enumerate(seq)) + '\n')
    print(text)
    if a.out:
        a.out.write_text(text)
        a.out.with_suffix('.json').write_text(json.dumps(dict(summary=summary, rows=rows, call_seconds=CALL_SECONDS), indent=1) + '\n')


if __name__ == '__main__':
    main()
