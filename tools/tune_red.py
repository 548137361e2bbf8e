"""Choose every task's RED preset by its fixed point, without the test images.

RED is defined by its fixed point, so a setting is judged where its iterations end: each (σ_f, λ) of a grid runs
the fixed-point solver until ‖x_{k+1} − x_k‖/‖x_k‖ < 1e-4 or the budget, on 64² crops of scikit-image's photographs
degraded by the protocol of the task's first table (`experiments.degrade_for`) and scored as that table is. The
best mean PSNR among the settings that converged wins (where none did, the best at the budget, and `converged`
says so). Denoising also records what NLM itself gives on the same
crops, and what the previous preset (one step, λ = 20, σ_f = 25) becomes when iterated to convergence.

Writes results/red-tuning/results.json, which nbs/09_presets.ipynb reads and checks the presets against.
Usage: python tools/tune_red.py [TASK ...]   (default: every task of the paper; 1 thread)"""
import itertools, json, sys, time
from pathlib import Path
import numpy as np
import torch
from deepred.images import example_image, to_tensor, center_crop
from deepred.core import write_atomic
from deepred.experiments import EXPERIMENTS, task_set, degrade_for, score
from deepred.denoisers import get_denoiser
from deepred.red import red

torch.set_num_threads(1)
OUT = Path('results/red-tuning/results.json')
IMAGES = ('astronaut', 'coffee', 'chelsea', 'rocket')      # not in any test set
TOL = 1e-4
GRIDS = {   # σ_f on 0–255, λ in the package's units (λ weighs ρ against ½‖Hx − y‖²); budget: fixed-point iterations at most
    'denoise': dict(sigma_f=[5, 10, 15, 20, 25, 35], lam=[0.1, 0.25, 0.5, 1, 2, 5], budget=300, cg_iters=20),
    'deblur-uniform': dict(sigma_f=[3.25, 5, 10], lam=[0.1, 0.2, 0.4, 0.8, 1.6, 3.2], budget=500, cg_iters=20),
    'deblur-gauss': dict(sigma_f=[4.1, 5, 10], lam=[0.05, 0.1, 0.2, 0.4, 0.8, 1.6], budget=500, cg_iters=20),
    'sr4': dict(sigma_f=[3, 5, 10], lam=[0.002, 0.004, 0.008, 0.016, 0.032], budget=300, cg_iters=10),
    'sr8': dict(sigma_f=[3, 5, 10], lam=[0.002, 0.004, 0.008, 0.016, 0.032], budget=300, cg_iters=10),
}

def experiment(task):
    "The first table of the paper with this task: its degradation and scoring."
    return next(e for e in EXPERIMENTS.values() if e.task == task and e.data == task_set(task))

def crops(exp):
    s = int(exp.task[2:]) if exp.task.startswith('sr') else 1
    return [to_tensor(np.ascontiguousarray(center_crop(example_image(n, 64), 64, multiple=s))) for n in IMAGES]

def run(exp, pairs, xs, sigma_f, lam, budget, cg_iters):
    "Mean score at the end, iterations used per image, and whether every image converged."
    finals, used = [], []
    for x, (y, op) in zip(xs, pairs):
        r = red(op, y, 'nlm', sigma_f, lam, iters=budget, cg_iters=cg_iters, tol=TOL, progress=False, log_every=budget)
        finals.append(score(exp, r.image, x)); used.append(r.iterations)
    return dict(psnr=float(np.mean(finals)), per_image=[round(v, 3) for v in finals], iterations=used,
                converged=all(u < budget for u in used))

def tune(task):
    exp, g = experiment(task), GRIDS[task]
    xs = crops(exp)
    pairs = [degrade_for(exp, x, seed=0) for x in xs]
    t = time.perf_counter()
    grid = {f'{sf},{lam}': run(exp, pairs, xs, sf, lam, g['budget'], g['cg_iters'])
            for sf, lam in itertools.product(g['sigma_f'], g['lam'])}
    ok = {k: v for k, v in grid.items() if v['converged']} or grid    # none converged: the best at the budget, said so
    best = max(ok, key=lambda k: ok[k]['psnr'])
    sf, lam = map(float, best.split(','))
    res = dict(experiment=[k for k, e in EXPERIMENTS.items() if e is exp][0], grid=grid,
               best=dict(sigma_f=sf, lam=lam, budget=g['budget'], cg_iters=g['cg_iters'], **grid[best]),
               input=float(np.mean([score(exp, op.lift(y), x) for x, (y, op) in zip(xs, pairs)])))
    if task == 'denoise':
        nlm = get_denoiser('nlm')
        res['nlm'] = float(np.mean([score(exp, nlm(y, 25), x) for x, (y, _) in zip(xs, pairs)]))
        res['previous_preset_converged'] = run(exp, pairs, xs, 25, 20, 2000, 20)
    res['seconds'] = round(time.perf_counter() - t, 1)
    return res

if __name__ == '__main__':
    tasks = sys.argv[1:] or list(GRIDS)
    out = json.loads(OUT.read_text()) if OUT.is_file() else {}
    out.update(about=__doc__.split('\n\n')[0], images=list(IMAGES), crop=64, tol=TOL, threads=1,
               cpu=torch.cpu.get_capabilities().get('cpu_name', '?') if hasattr(torch.cpu, 'get_capabilities') else '?')
    for task in tasks:
        out.setdefault('tasks', {})[task] = tune(task)
        OUT.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(OUT, lambda p: Path(p).write_text(json.dumps(out, indent=1)))
        b = out['tasks'][task]['best']
        print(task, {k: v for k, v in b.items() if k != 'per_image'}, 'input', round(out['tasks'][task]['input'], 2),
              'nlm' if task == 'denoise' else '', out['tasks'][task].get('nlm', ''), flush=True)
