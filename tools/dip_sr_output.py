"""What DIP's super-resolution output choice is worth: after one and the same training, the network at z (what the
presets returned before) against the network at the last perturbed input (what DIP's notebook returns).

The quick protocol of sr4-set5 and sr8-set5 (64² crops, DIP's budget and LR as the quick tables run it), on the
images and seeds the quick tables use. Writes results/dip-sr-output/results.json (read by nbs/13_results.ipynb).
Usage: python tools/dip_sr_output.py [--seeds N]   (1 thread)"""
import argparse, json, time
from pathlib import Path
import torch
from deepred.data import find_set
from deepred.engine import run_net
from deepred.experiments import EXPERIMENTS, QUICK, protocol_for, seed_list, load_clean, degrade_for, score
from deepred.images import to_tensor

from deepred.core import write_atomic
from deepred.presets import recipe
from deepred.restore import solvers

torch.set_num_threads(1)
p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
p.add_argument('--seeds', type=int, default=2)
args = p.parse_args()
out = Path('results/dip-sr-output/results.json')
res = dict(about=__doc__.split('\n\n')[0], threads=1, cpu=torch.cpu.get_capabilities().get('cpu_name', '?'), runs={})
for name in ('sr4-set5', 'sr8-set5'):
    exp = EXPERIMENTS[name]
    protocol = protocol_for(exp, QUICK, ['dip'], seeds=args.seeds)
    files = sorted(find_set(exp.data, None).glob('*.png'))[:protocol['max_images']]
    for f in files:
        x = to_tensor(load_clean(f, exp, protocol['crop']))
        for seed in seed_list(0, protocol):
            y, op = degrade_for(exp, x, seed)
            t = time.perf_counter()
            r = recipe(exp.task, 'dip', iters=protocol['dip_iters'], seed=seed, device='cpu', lr=protocol['dip_lr'], output='perturbed')
            with solvers(op, y, r.updated(lr_schedule=protocol['lr_decay']))[0] as s:
                s.run(protocol['dip_iters'], progress=False)
                with torch.no_grad(): at_z = run_net(s.net, s.z)
                at_last = s.estimate()
            res['runs'].setdefault(name, {}).setdefault(f.stem, {})[str(seed)] = dict(
                at_z=round(score(exp, at_z, x), 3), at_last_perturbed=round(score(exp, at_last, x), 3),
                seconds=round(time.perf_counter() - t, 1))
            out.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(out, lambda q: Path(q).write_text(json.dumps(res, indent=1)))
            print(name, f.stem, seed, res['runs'][name][f.stem][str(seed)], flush=True)
