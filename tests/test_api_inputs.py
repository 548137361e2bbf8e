"""The Python API's entry points, as careful as the command line: whatever a user passes as an image (tensor or
NumPy array, any shape, dtype, scale, with or without NaN) either gives a correct result or a ValueError/TypeError
that says why: never another exception, never a silent wrong scale or channel count."""
import re
import numpy as np
import torch
import pytest
from hypothesis import given, settings, HealthCheck, strategies as st
from deepred.images import as_image
from deepred.operators import Identity
from deepred.presets import recipe
from deepred.restore import restore
from deepred.red import red

SMALL = dict(down=(8,) * 2, up=(8,) * 2, skip=(2,) * 2)
SHAPES = [(16, 20), (16, 20, 1), (16, 20, 3), (3, 16, 20), (1, 16, 20), (1, 3, 16, 20), (2, 3, 16, 20), (1, 16, 20, 3),
          (1, 32, 16, 20), (1, 4, 16, 20), (20,), (1, 1, 1, 16, 20)]
DTYPES = ['float32', 'float64', 'float16', 'uint8', 'int64', 'bool']

@st.composite
def user_images(draw):
    "What a user might pass: a tensor or an array, of a shape, dtype and scale from the lists, maybe with a NaN or an inf."
    shape, dtype = draw(st.sampled_from(SHAPES)), draw(st.sampled_from(DTYPES))
    scale, bad = draw(st.sampled_from([1.0, 255.0])), draw(st.sampled_from([None, np.nan, np.inf]))
    a = np.random.default_rng(draw(st.integers(0, 99))).random(shape) * scale
    if bad is not None and dtype.startswith('float'): a.flat[0] = bad
    a = a.astype(dtype)
    return torch.from_numpy(a) if draw(st.booleans()) else a

def _well_formed(t, x):
    "The checks a returned image must pass: (1, C, H, W), C 1 or 3, float, finite, on [0, 1] give or take noise."
    assert t.ndim == 4 and t.shape[0] == 1 and t.shape[1] in (1, 3) and t.is_floating_point(), (t.shape, t.dtype)
    assert torch.isfinite(t).all() and float(t.abs().max()) <= 2
    assert t.numel() == np.asarray(x).size                     # nothing dropped or invented

@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(user_images())
def test_as_image_is_right_or_says_why(x):
    try: t = as_image(x, 'y')
    except (ValueError, TypeError) as e: assert str(e) and 'y' in str(e); return
    _well_formed(t, x)

@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(user_images(), st.sampled_from(['dip', 'deepred', 'red']))
def test_restore_is_right_or_says_why(x, method):
    r = recipe('denoise', method, iters=1, **({} if method == 'red' else dict(runs=1, device='cpu', net_kwargs=SMALL)))
    try: res = restore(Identity(), x, r, progress=False)
    except (ValueError, TypeError) as e: assert str(e); return
    _well_formed(as_image(x), x)                               # only well-formed images get this far
    assert res.image.shape == as_image(x).shape and torch.isfinite(res.image).all()

@pytest.mark.parametrize('kw, words', [(dict(lam=float('nan')), 'lam must be a finite number in [0, 10000], got nan'), (dict(mu=0), 'mu must be a finite number in (0, 10000]'),
                                       (dict(sigma_f=-3), 'sigma_f must be'), (dict(lr=float('inf')), 'lr must be'),
                                       (dict(reg_noise=-1), 'reg_noise must be')])
def test_settings_out_of_range_are_refused(kw, words):
    y = torch.rand(1, 3, 16, 16)
    with pytest.raises(ValueError, match=re.escape(words)):
        restore(Identity(), y, recipe('denoise', iters=1, device='cpu', net_kwargs=SMALL).updated(**kw), progress=False)

def test_iterations_and_runs_are_counted():
    with pytest.raises(ValueError, match='iters must be at least 1'): recipe('denoise', 'dip', iters=0)
    with pytest.raises(ValueError, match='runs must be at least 1'): recipe('denoise', 'dip', runs=0)
    with pytest.raises(ValueError, match='y holds NaN'): red(Identity(), torch.full((1, 1, 16, 16), float('nan')), iters=1, progress=False)
