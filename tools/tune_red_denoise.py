"""Choose RED's denoising preset without looking at the test images: grid over σ_f, λ and the number of fixed-point
iterations on 64² crops of skimage's photographs, then score the winner on 64² crops of the nine test images.
Writes results/red-denoise-tuning/results.json (read by nbs/06_red.ipynb).  Usage: python tools/tune_red_denoise.py"""
import glob, itertools, json, sys
from pathlib import Path
import numpy as np
from deepred.images import example_image, to_tensor, psnr, load_image, center_crop, _write_atomic
from deepred.operators import Identity, GaussianNoise
from deepred.red import red
from deepred.denoisers import get_denoiser
from deepred.data import find_set

data = find_set('cbm3d9', sys.argv[1] if len(sys.argv) > 1 else None)
out = Path('results/red-denoise-tuning')
noisy = lambda xs: [GaussianNoise(25)(x, seed=0).clamp(0, 1) for x in xs]
nlm = get_denoiser('nlm')
tune = [to_tensor(example_image(n, 64)) for n in ('astronaut', 'coffee', 'chelsea', 'rocket')]
test = [to_tensor(center_crop(load_image(f), 64)) for f in sorted(glob.glob(str(data/'*.png')))]
yt, ye = noisy(tune), noisy(test)
# λ weighs ρ against ½‖x − y‖² (images on [0, 1]); the RED paper's λ at σ = 25 is this λ / 625
grid, iters = dict(sigma_f=[10, 15, 20, 25, 30, 40], lam=[1.25, 2.5, 5, 10, 20]), 8
curves = {}
for sf, lam in itertools.product(grid['sigma_f'], grid['lam']):
    runs = [[h['psnr'] for h in red(Identity(), y, 'nlm', sf, lam, iters=iters, reference=x, progress=False).history]
            for x, y in zip(tune, yt)]
    curves[f'{sf},{lam}'] = np.mean(runs, 0).round(3).tolist()
key, k = max(((key, k) for key in curves for k in range(iters)), key=lambda t: curves[t[0]][t[1]])
sf, lam = map(float, key.split(','))
best = dict(sigma_f=sf, lam=lam, iters=k + 1)
score = lambda f: float(np.mean([psnr(f(y), x) for x, y in zip(test, ye)]))
res = dict(about=__doc__.split('\n')[0], grid=grid, fp_iters=iters, tune_images=['astronaut', 'coffee', 'chelsea', 'rocket'],
           tune_curves=curves, tune_nlm=float(np.mean([psnr(nlm(y, 25), x) for x, y in zip(tune, yt)])), best=best,
           test_images=len(test), test_nlm=score(lambda y: nlm(y, 25)),
           test_red_best=score(lambda y: red(Identity(), y, 'nlm', sf, lam, iters=k + 1, progress=False).image),
           test_red_previous=score(lambda y: red(Identity(), y, 'nlm', 20, 1.875, iters=50, progress=False).image),
           test_red_audit=score(lambda y: red(Identity(), y, 'nlm', 20, 5, iters=2, progress=False).image))
out.mkdir(parents=True, exist_ok=True)
_write_atomic(out/'results.json', lambda p: Path(p).write_text(json.dumps(res, indent=1)))
print({k: v for k, v in res.items() if k != 'tune_curves'})
