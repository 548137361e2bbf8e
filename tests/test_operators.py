"Property tests of the operators: adjoint identity on random sizes, linearity, devices."
import pytest
import torch
from hypothesis import given, settings, strategies as st
from deepred.operators import Blur, Downsampling, Inpainting, Radon, Identity, adjoint_error, gaussian_kernel, uniform_kernel
from deepred.tasks import TASKS, make_operator

sizes = st.tuples(st.integers(32, 47), st.integers(32, 47))

@settings(max_examples=15, deadline=None)
@given(hw=sizes, c=st.integers(1, 3), pad=st.sampled_from(['circular', 'reflect', 'replicate', 'zeros']),
       kh=st.integers(1, 9), kw=st.integers(1, 9), seed=st.integers(0, 1000))
def test_blur_adjoint(hw, c, pad, kh, kw, seed):
    k = torch.rand(kh, kw, generator=torch.Generator().manual_seed(seed))
    assert adjoint_error(Blur(k, pad), (1, c, *hw), seed=seed) < 1e-12

@settings(max_examples=10, deadline=None)
@given(hw=sizes, factor=st.sampled_from([2, 3, 4, 8]), kind=st.sampled_from(['lanczos2', 'bicubic', 'box']))
def test_downsampling_adjoint(hw, factor, kind):
    assert adjoint_error(Downsampling(factor, kind, shape=hw), (2, 3, *hw)) < 1e-12

@settings(max_examples=5, deadline=None)
@given(n=st.integers(16, 40), n_angles=st.integers(1, 30))
def test_radon_adjoint(n, n_angles):
    assert adjoint_error(Radon(n_angles), (1, 2, n, n)) < 1e-12

@pytest.mark.parametrize('task', [t for t in TASKS if t != 'inpaint'])
def test_task_operators_are_linear(task):
    g = torch.Generator().manual_seed(0)
    op = make_operator(task, (1, 3, 64, 64))
    a, b = torch.rand(1, 3, 64, 64, generator=g, dtype=torch.float64), torch.rand(1, 3, 64, 64, generator=g, dtype=torch.float64)
    torch.testing.assert_close(op.A(2 * a - 3 * b), 2 * op.A(a) - 3 * op.A(b))

def test_inpainting_adjoint_and_lift():
    m = torch.rand(35, 33) > 0.4
    op = Inpainting(m)
    assert adjoint_error(op, (2, 3, 35, 33)) < 1e-12
    y = op.A(torch.rand(1, 3, 35, 33))
    lifted = op.lift(y)
    torch.testing.assert_close(lifted[..., m], y[..., m])          # known pixels untouched
    assert (lifted[..., ~m] > 0).all()                             # holes filled

def test_circular_blur_matches_conv_padding_in_the_interior():
    x = torch.rand(1, 3, 50, 45)
    k = gaussian_kernel(9, 1.6)
    torch.testing.assert_close(Blur(k).A(x)[..., 8:-8, 8:-8], Blur(k, 'zeros').A(x)[..., 8:-8, 8:-8], atol=1e-5, rtol=0)

@pytest.mark.skipif(not torch.cuda.is_available(), reason='no GPU')
def test_operators_follow_the_input_device():
    x = torch.rand(1, 3, 64, 64, device='cuda')
    for op in [Blur(uniform_kernel(9)), Downsampling(4), Inpainting(torch.rand(64, 64) > .5), Radon(10), Identity()]:
        assert op.A(x).device == x.device and op.A_adjoint(op.A(x)).device == x.device
