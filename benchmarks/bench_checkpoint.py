"""What a checkpoint holds and how big it is, part by part: DIP and DeepRED on a denoising crop.

    python benchmarks/bench_checkpoint.py [--size 96] [--out benchmarks/results_checkpoint.md]

A checkpoint is what resuming exactly needs (03_engine): the network and Adam's moments, z, the output's moving
average, the early-stopping window where early stopping is on, the method's state (DeepRED's x, u and the
denoiser's last output), the history, and, between two snapshots, the rollback point (another copy of the
network and Adam). The script runs a few iterations, writes the checkpoint as `deepred restore` does, and
measures each part as torch.save writes it.
"""
import argparse, io, os, tempfile
from pathlib import Path
import torch
from deepred.core import device_name
from deepred.images import example_image, to_tensor
from deepred.tasks import degrade
from deepred.presets import recipe
from deepred.restore import solvers
from deepred.loop import iterate


def nbytes(obj) -> int:
    buf = io.BytesIO(); torch.save(obj, buf); return buf.tell()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--size', type=int, default=96, help='the crop side (default: 96)')
    p.add_argument('--iters', type=int, default=15, help='iterations before the checkpoint (default: 15: between two snapshots)')
    p.add_argument('--out', default=None, help='also write the table here (Markdown)')
    a = p.parse_args()
    torch.set_num_threads(min(2, os.cpu_count()))
    x = to_tensor(example_image('astronaut', a.size))
    y, op = degrade(x, 'denoise', seed=0)
    rows, parts = [], {}
    for method in ('dip', 'deepred'):
        s = solvers(op, y, recipe('denoise', method, runs=1, device='cpu'))[0]
        with s: iterate(s, a.iters, progress=False)
        with tempfile.TemporaryDirectory() as d:
            total = s.save_checkpoint(Path(d)/'run.ckpt').stat().st_size
        state = s.state_dict()
        parts[method] = {k: nbytes(v) for k, v in state.items()}
        rows.append((method, total))
    keys = sorted({k for v in parts.values() for k in v}, key=lambda k: -max(v.get(k, 0) for v in parts.values()))
    mb = lambda b: f'{b / 2 ** 20:.2f}'
    cpu = device_name('cpu')
    lines = [f'Checkpoint sizes, denoising a {a.size}² crop, after {a.iters} iterations ({cpu}, torch {torch.__version__}).', '',
             '| part | ' + ' | '.join(f'{m} (MB)' for m, _ in rows) + ' |', '|---|' + '---|' * len(rows),
             *[f'| {k} | ' + ' | '.join(mb(parts[m].get(k, 0)) for m, _ in rows) + ' |' for k in keys if max(parts[m].get(k, 0) for m, _ in rows) > 2 ** 14],
             '| **file** | ' + ' | '.join(f'**{mb(t)}**' for _, t in rows) + ' |', '',
             'Parts under 16 KB are left out of the table. `snapshot` is the rollback point (another copy of the network and',
             "Adam's moments), kept only in a checkpoint written between two snapshots, which is one written on Ctrl-C or at a",
             'time limit; the periodic checkpoints (every 100 iterations by default, a multiple of the 10 between snapshots) are',
             'without it: ' + ', '.join(f"{m} {mb(t - parts[m].get('snapshot', 0))} MB" for m, t in rows) + '.']
    text = '\n'.join(lines) + '\n'
    print(text)
    if a.out: Path(a.out).write_text(text)


if __name__ == '__main__':
    main()
