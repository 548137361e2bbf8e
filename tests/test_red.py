"Property tests of RED: convergence to the minimiser of the quadratic objective, and gains over the usual first estimates."
import math
import pytest
import torch
from deepred.red import red
from deepred.presets import recipe
from deepred.denoisers import GaussianFilter
from deepred.images import example_image, to_tensor, psnr
from deepred.operators import Blur, Radon, gaussian_kernel, cg
from deepred.tasks import degrade


@pytest.fixture(autouse=True, scope='module')
def one_thread():
    "These problems are tiny: one intra-op thread; a second one costs far more than it brings on a busy machine."
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


def quadratic_minimiser(H, y, W, lam):
    "argmin ½‖Hx − y‖² + λ/2 xᵀ(I − W)x for a symmetric W: CG on (HᵀH + λ(I − W))x = Hᵀy."
    A = lambda v: H.A_adjoint(H.A(v)) + lam * (v - W.A(v))
    return cg(A, H.A_adjoint(y), iters=500, tol=1e-13)


@pytest.mark.parametrize('task', ['denoise', 'deblur-uniform'])
@pytest.mark.parametrize('solver,kw', [('admm', dict(mu=0.25)), ('admm', dict(mu=0.25, alpha=1.5)), ('fp', {}), ('sd', {})])
def test_linear_denoiser_reaches_the_quadratic_minimiser(task, solver, kw):
    # f = Wx with W symmetric makes E quadratic; every solver must reach its unique minimiser (no clipping).
    x = to_tensor(example_image('astronaut', 32)).double()
    lam = 0.625 if task == 'denoise' else 0.4          # the RED paper's λ = 1e-3 at σ = 25 and 0.2 at σ = √2, times σ²
    y, H = degrade(x, task, seed=0)
    g = GaussianFilter(1.0)
    x_star = quadratic_minimiser(H, y, g.operator(25), lam)
    if task == 'deblur-uniform':       # the same minimiser in closed form (everything is a circular convolution)
        K, Wk = H.kernel_fft((32, 32), y), g.operator(25).kernel_fft((32, 32), y).real
        closed = torch.fft.irfft2(torch.fft.rfft2(y) * K.conj() / (K.abs() ** 2 + lam * (1 - Wk)), s=(32, 32))
        torch.testing.assert_close(x_star, closed, rtol=0, atol=1e-10)
    if 'mu' in kw: kw = dict(kw, mu=kw['mu'] * lam)          # the ADMM penalty in units of λ
    r = red(H, y, g, 25, lam=lam, iters=200, solver=solver, clip=False, progress=False, tol=None, **kw)   # the full budget
    assert r.image.dtype == torch.float64
    assert float((r.image - x_star).norm() / x_star.norm()) < 1e-6


def test_sr4_beats_bicubic():
    x = to_tensor(example_image('astronaut', 64))
    y, H = degrade(x, 'sr4', seed=0)
    r = red(H, y, reference=x, iters=25, **recipe('sr4', 'red').settings, progress=False)
    bicubic = psnr(H.lift(y), x)
    assert r.image.shape == x.shape
    assert r.psnr > bicubic + 0.3, (r.psnr, bicubic)


def test_radon_beats_filtered_back_projection():
    x = to_tensor(example_image('camera', 32))
    H = Radon(30)
    y = H.A(x)
    r = red(H, y, reference=x, iters=15, **recipe('radon', 'red').settings, progress=False)
    fbp = psnr(H.lift(y).clamp(0, 1), x)
    assert r.psnr > fbp + 3, (r.psnr, fbp)


def test_inpainting_keeps_known_pixels_and_fills_the_rest():
    x = to_tensor(example_image('astronaut', 48))
    mask = torch.rand(48, 48, generator=torch.Generator().manual_seed(0)) > 0.5
    y, H = degrade(x, 'inpaint', mask=mask)
    r = red(H, y, reference=x, iters=20, **recipe('inpaint', 'red').settings, progress=False)
    known = mask.expand_as(x[0])[None]
    assert (r.image - y)[known].abs().max() < 0.05          # λ small against the data term: known pixels barely move
    assert r.psnr > psnr(H.lift(y), x) + 3


def test_padded_blur_is_solved_by_cg():
    # no closed form for a reflect-padded blur: the fixed point's inner solves go through CG
    x = to_tensor(example_image('astronaut', 40))
    H = Blur(gaussian_kernel(9, 1.6), 'reflect')
    y = H.A(x) + math.sqrt(2) / 255 * torch.randn(x.shape, generator=torch.Generator().manual_seed(0))
    rhs = H.A_adjoint(y)
    sol = H.solve_normal(rhs, 0.2, iters=200, tol=1e-7)
    assert float((H.A_adjoint(H.A(sol)) + 0.2 * sol - rhs).norm() / rhs.norm()) < 1e-5
    r = red(H, y, 'nlm', 4.1, lam=0.2, iters=15, reference=x, progress=False)
    assert r.psnr > psnr(y, x) + 1.5, (r.psnr, psnr(y, x))
