"`deepred simulate` against independent models of each task (SciPy filters, MATLAB-style kernels, noise statistics)."
import numpy as np
import pytest
from scipy import ndimage
from deepred.images import example_image, save_image, load_image

from conftest import run_deepred as deepred

@pytest.fixture(scope='module')
def clean(tmp_path_factory):
    d = tmp_path_factory.mktemp('sim')
    x = example_image('coffee', None)[100:165, 200:271]            # 65×71: odd sizes on purpose
    save_image(d/'clean.npy', x)
    return d, x

def simulate(d, task, sigma=0, seed=0, name='y.npy', extra=()):
    r = deepred('simulate', d/'clean.npy', '--task', task, '--noise-sigma', sigma, '--seed', seed, '-o', d/name, *extra)
    assert r.returncode == 0, r.stderr
    return np.load(d/name)

def fspecial_gaussian(n, s):
    "MATLAB's fspecial('gaussian', n, s), written out independently."
    r = np.arange(n) - (n - 1) / 2
    h = np.exp(-np.add.outer(r**2, r**2) / (2 * s * s))
    h[h < np.finfo(float).eps * h.max()] = 0
    return h / h.sum()

@pytest.mark.parametrize('task,kernel', [('deblur-uniform', np.full((9, 9), 1 / 81)), ('deblur-gauss', fspecial_gaussian(25, 1.6))])
def test_blur_matches_scipy_circular_convolution(clean, task, kernel):
    d, x = clean
    y = simulate(d, task)
    ref = np.stack([ndimage.convolve(x[..., c].astype(np.float64), kernel, mode='wrap') for c in range(3)], -1)
    np.testing.assert_allclose(y, ref, atol=2e-6)

def test_sr_matches_independent_lanczos_filter_and_subsampling(clean):
    d, x = clean
    s = 4
    t = (np.arange(4 * s) - 2 * s + 0.5) / s
    k1 = np.sinc(t) * np.sinc(t / 2); k1 /= k1.sum()
    y = simulate(d, 'sr4')
    assert y.shape == (65 // s, 71 // s, 3)
    # filter with a 16-tap even kernel: output sample i is centred on HR position i*s + (s-1)/2
    def filt_sub(a, axis):
        n = a.shape[axis] // s
        pad = [(0, 0)] * a.ndim; pad[axis] = (3 * s // 2, 3 * s // 2)
        ap = np.pad(a, pad, mode='edge')
        out = [np.tensordot(np.take(ap, range(i * s, i * s + 4 * s), axis=axis), k1, axes=([axis], [0])) for i in range(n)]
        return np.moveaxis(np.stack(out, -1), -1, axis if axis >= 0 else a.ndim - 1)
    ref = filt_sub(filt_sub(x.astype(np.float64), 0), 1)
    np.testing.assert_allclose(y, ref, atol=2e-6)

def test_noise_level_and_seed(clean):
    d, x = clean
    y0 = simulate(d, 'denoise', sigma=0, name='y0.npy')
    np.testing.assert_allclose(y0, x, atol=1e-7)
    y1 = simulate(d, 'denoise', sigma=25, seed=3, name='y1.npy')
    y2 = simulate(d, 'denoise', sigma=25, seed=3, name='y2.npy')
    y3 = simulate(d, 'denoise', sigma=25, seed=4, name='y3.npy')
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(y1, y3)
    r = (y1 - x).ravel()
    assert abs(r.std() * 255 - 25) < 0.6 and abs(r.mean() * 255) < 0.6
    assert y1.min() < 0 or y1.max() > 1                            # .npy keeps the measurement unclipped

def test_poisson_noise(clean, tmp_path):
    d, x = clean
    r = deepred('simulate', d/'clean.npy', '--task', 'denoise', '--poisson-peak', 30, '--seed', 1, '-o', tmp_path/'p.npy')
    assert r.returncode == 0 and 'Poisson noise of peak 30' in r.stdout, r.stderr
    y = np.load(tmp_path/'p.npy')
    assert np.allclose(y * 30, np.round(y * 30), atol=1e-4)             # counts over the peak
    assert abs(((y - x) ** 2).mean() / (x.mean() / 30) - 1) < 0.05      # Var = x / peak
    r = deepred('simulate', d/'clean.npy', '--task', 'denoise', '--poisson-peak', 0, '-o', tmp_path/'q.npy')
    assert r.returncode == 1 and '--poisson-peak must be a finite number in (0, 1e+09], got 0' in r.stderr and not (tmp_path/'q.npy').exists()

def test_default_sigmas(clean):
    d, x = clean
    r = deepred('simulate', d/'clean.npy', '--task', 'deblur-gauss', '-o', d/'db.npy')
    assert r.returncode == 0
    noise = np.load(d/'db.npy') - simulate(d, 'deblur-gauss', sigma=0, name='db0.npy')
    assert abs(noise.std() * 255 - np.sqrt(2)) < 0.05

def test_inpaint_mask_and_image_output(clean, tmp_path):
    d, x = clean
    mask = (np.random.default_rng(0).random(x.shape[:2]) > 0.3).astype(np.float32)
    save_image(tmp_path/'mask.png', mask)
    out = tmp_path/'y.png'
    r = deepred('simulate', d/'clean.npy', '--task', 'inpaint', '--mask', tmp_path/'mask.png', '-o', out)
    assert r.returncode == 0, r.stderr
    assert 'quantised' in r.stderr
    y = load_image(out)
    np.testing.assert_allclose(y, np.round(np.clip(x * mask[..., None], 0, 1) * 255) / 255, atol=1e-6)

@pytest.mark.parametrize('args,needle', [
    (['--task', 'inpaint'], '--mask'),
    (['--task', 'nope'], 'invalid choice'),
    (['--task', 'denoise', '--noise-sigma', '-1'], '--noise-sigma'),
])
def test_bad_input_one_line_no_output(clean, tmp_path, args, needle):
    d, _ = clean
    r = deepred('simulate', d/'clean.npy', *args, '-o', tmp_path/'o.png')
    assert r.returncode != 0 and needle in r.stderr and r.stderr.count('\n') == 1 and 'Traceback' not in r.stderr
    assert list(tmp_path.iterdir()) == []

def test_unreadable_and_unwritable(tmp_path):
    (tmp_path/'bad.png').write_bytes(b'\x89PNG\r\n\x1a\n garbage')
    r = deepred('simulate', tmp_path/'bad.png', '--task', 'denoise', '-o', tmp_path/'o.png')
    assert r.returncode != 0 and 'cannot be read' in r.stderr and 'Traceback' not in r.stderr
    save_image(tmp_path/'ok.png', example_image(size=32))
    ro = tmp_path/'ro'; ro.mkdir(); ro.chmod(0o500)
    r = deepred('simulate', tmp_path/'ok.png', '--task', 'denoise', '-o', ro/'o.png')
    import os
    if os.geteuid() != 0:        # root may write anywhere
        assert r.returncode != 0 and 'not writable' in r.stderr
    r = deepred('simulate', tmp_path/'ok.png', '--task', 'denoise', '-o', tmp_path/'ok.png'/'x.png')
    assert r.returncode != 0 and r.stderr.count('\n') == 1

def test_rgba_needs_drop_alpha(tmp_path):
    from PIL import Image
    Image.fromarray((example_image(size=32) * 255).astype(np.uint8)).convert('RGBA').save(tmp_path/'a.png')
    r = deepred('simulate', tmp_path/'a.png', '--task', 'denoise', '-o', tmp_path/'o.npy')
    assert r.returncode != 0 and '--drop-alpha' in r.stderr
    r = deepred('simulate', tmp_path/'a.png', '--task', 'denoise', '--drop-alpha', '-o', tmp_path/'o.npy')
    assert r.returncode == 0 and np.load(tmp_path/'o.npy').shape == (32, 32, 3)
