"DIP and DeepRED restore: the averaged output beats the noisy input on a denoising crop (averaging runs is tested in 04_dip)."
from deepred.images import example_image, to_tensor, psnr
from deepred.tasks import degrade
from deepred.dip import dip
from deepred.deepred import deep_red

small = dict(down=(32,) * 4, up=(32,) * 4, skip=(4,) * 4)

def problem(size=48):
    x = to_tensor(example_image('astronaut', size))
    y, H = degrade(x, 'denoise', seed=0)
    return x, y, H

def test_dip_ema_beats_noisy_input():
    x, y, H = problem()
    r = dip(H, y, iters=250, lr=0.01, net_kwargs=small, device='cpu', progress=False, reference=x)
    assert psnr(r.image, x) > psnr(y, x) + 2, (psnr(r.image, x), psnr(y, x))
    assert r.history[-1]['loss'] < r.history[0]['loss']

def test_deepred_beats_noisy_input():
    x, y, H = problem()
    r = deep_red(H, y, iters=250, lr=0.01, lam=0.5, mu=0.5, sigma_f=3, output='average', net_kwargs=small, device='cpu', progress=False)
    assert psnr(r.image, x) > psnr(y, x) + 2
