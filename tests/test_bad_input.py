"""The bad-input corpus: every hostile or mistaken input found by the break-it and newcomer trials (and more), each
refused with one line that names the problem and the fix, exit status non-zero, no traceback, nothing written,
the inputs unchanged. Then the image and checkpoint readers fuzzed: they raise nothing but `ImageError`/`ValueError`."""
import hashlib, os, pickle
import numpy as np
import pytest
from hypothesis import given, settings, HealthCheck, strategies as st
from deepred.images import ImageError, example_image, load_image, save_image
from conftest import run_deepred


@pytest.fixture(scope='module')
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp('bad')
    x = example_image('astronaut', 48)
    save_image(d/'clean.png', x)
    np.save(d/'y.npy', np.clip(x + 0.1 * np.random.default_rng(0).standard_normal(x.shape), -0.3, 1.3).astype(np.float32))
    save_image(d/'flipped.png', x[:, ::-1])
    save_image(d/'row.png', example_image('astronaut', None)[:1, :64])
    save_image(d/'column.png', example_image('astronaut', None)[:64, :1])
    np.save(d/'u8.npy', (x * 255).astype(np.uint8))
    np.save(d/'scale255.npy', (x * 255).astype(np.float32))
    nan = x.copy(); nan[0, 0, 0] = np.nan; np.save(d/'nan.npy', nan)
    save_image(d/'mask_small.png', np.ones((20, 20, 1), np.float32))
    from PIL import Image
    Image.fromarray((x * 255).astype(np.uint8)).convert('RGBA').save(d/'rgba.png')
    (d/'text.png').write_text('not an image')
    (d/'notes.txt').write_text('hello')
    os.symlink(d/'clean.png', d/'link.png')
    import png
    with open(d/'huge.png', 'wb') as fh: png.Writer(6000, 6000, greyscale=True).write(fh, (bytes(6000) for _ in range(6000)))
    with open(d/'bomb.png', 'wb') as fh: png.Writer(9500, 9500, greyscale=True).write(fh, (bytes(9500) for _ in range(9500)))
    class Payload:
        def __reduce__(self): return (os.system, (f'touch {d}/pwned',))
    (d/'evil.ckpt').write_bytes(pickle.dumps({'format': 'deepred-checkpoint-1', 'net': Payload()}))
    (d/'busy.ckpt.lock').write_text(str(os.getpid()))            # a live process (this one) holds busy.ckpt
    from deepred.presets import save_preset
    save_preset(d/'best.json', 'denoise', dict(lam=0.3))          # a tuned preset: read, never written
    return d


def _hashes(d):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(d.iterdir()) if p.is_file()}

R = ('restore', '{d}/y.npy', '--task', 'denoise', '--quiet')
CASES = [  # (id, argv with {d} for the data folder and {o} for an empty output folder, words the one line must hold)
    ('output is the input', (*R, '-o', '{d}/y.npy'), 'would be overwritten'),
    ('output is the reference', (*R, '--reference', '{d}/clean.png', '-o', '{d}/clean.png'), 'would be overwritten'),
    ('output is the input through a link', ('restore', '{d}/link.png', '--task', 'denoise', '-o', '{d}/clean.png'), 'would be overwritten'),
    ('simulate output is its input', ('simulate', '{d}/clean.png', '--task', 'denoise', '-o', '{d}/clean.png'), 'would be overwritten'),
    ('checkpoint is the input', (*R, '--checkpoint', '{d}/y.npy', '-o', '{o}/out.png'), 'would be overwritten'),
    ('report is the preset', (*R, '--preset', '{d}/best.json', '-o', '{d}/best.png'), 'would be overwritten'),
    ('checkpoint is the preset', (*R, '--preset', '{d}/best.json', '--checkpoint', '{d}/best.json', '-o', '{o}/out.png'), 'would be overwritten'),
    ('checkpoint named like an image', (*R, '--checkpoint', '{o}/ck.png', '-o', '{o}/out.png'), 'its own name'),
    ('checkpoint every 0', (*R, '--checkpoint', '{o}/ck', '--checkpoint-every', '0', '-o', '{o}/out.png'), 'at least 1'),
    ('checkpoint every negative', (*R, '--checkpoint', '{o}/ck', '--checkpoint-every', '-5', '-o', '{o}/out.png'), 'at least 1'),
    ('unknown device', (*R, '--device', 'foo', '-o', '{o}/out.png'), 'not a usable device'),
    ('cuda without a GPU', (*R, '--device', 'cuda', '-o', '{o}/out.png'), 'cuda'),
    ('1×N image, deepred', ('restore', '{d}/row.png', '--task', 'denoise', '-o', '{o}/out.png'), 'at least 16×16'),
    ('N×1 image, red', ('restore', '{d}/column.png', '--task', 'denoise', '--method', 'red', '-o', '{o}/out.png'), 'at least 16×16'),
    ('6000² image', ('restore', '{d}/huge.png', '--task', 'denoise', '-o', '{o}/out.png'), 'GiB, more than'),
    ('decompression bomb', ('simulate', '{d}/bomb.png', '--task', 'denoise', '-o', '{o}/y.npy'), 'decompression-bomb limit'),
    ('16 bits into a JPEG', (*R, '--bits', '16', '-o', '{o}/out.jpg'), 'cannot store 16-bit'),
    ('noise sigma to restore', (*R, '--noise-sigma', '10', '-o', '{o}/out.png'), 'does not use --noise-sigma'),
    ('uint8 .npy', ('restore', '{d}/u8.npy', '--task', 'denoise', '-o', '{o}/out.png'), 'float on [0, 1]'),
    ('0–255 float .npy', ('restore', '{d}/scale255.npy', '--task', 'denoise', '-o', '{o}/out.png'), 'divide 0–255 data by 255'),
    ('NaN in the input', ('restore', '{d}/nan.npy', '--task', 'denoise', '-o', '{o}/out.png'), 'NaN'),
    ('radon sinogram into a PNG', ('simulate', '{d}/clean.png', '--task', 'radon', '-o', '{o}/y.png'), 'write .npy'),
    ('crafted checkpoint', (*R, '--checkpoint', '{d}/evil.ckpt', '--resume', '-o', '{o}/out.png'), 'not a readable deepred checkpoint'),
    ('checkpoint in use', (*R, '--iters', '2', '--checkpoint', '{d}/busy.ckpt', '-o', '{o}/out.png'), 'in use by process'),
    ('demo size beyond the image', ('demo', '--size', '100000', '-o', '{o}/demo'), 'between 64 and 512'),
    ('demo zero iterations', ('demo', '--iters', '0', '-o', '{o}/demo'), 'at least 1'),
    ('zero threads', (*R, '--threads', '0', '-o', '{o}/out.png'), 'at least 1'),
    ('size for a non-SR task', (*R, '--size', '96', '96', '-o', '{o}/out.png'), 'for super-resolution'),
    ('size SR does not reach', ('restore', '{d}/y.npy', '--task', 'sr4', '--size', '100', '100', '-o', '{o}/out.png'), 'not the input'),
    ('resume without checkpoint', (*R, '--resume', '-o', '{o}/out.png'), 'needs --checkpoint'),
    ('resume from nothing', (*R, '--resume', '--checkpoint', '{o}/none.ckpt', '-o', '{o}/out.png'), 'does not exist'),
    ('zero iterations', (*R, '--iters', '0', '-o', '{o}/out.png'), 'at least 1'),
    ('negative λ', (*R, '--lam', '-1', '-o', '{o}/out.png'), '--lam must be'),
    ('infinite learning rate', (*R, '--lr', 'inf', '-o', '{o}/out.png'), '--lr must be'),
    ('unknown output type', (*R, '-o', '{o}/out.gif'), 'unsupported file type'),
    ('output is a folder', (*R, '-o', '{o}'), 'unsupported file type'),
    ('missing input', ('restore', '{d}/nosuch.png', '--task', 'denoise', '-o', '{o}/out.png'), 'no such file'),
    ('input of the wrong type', ('restore', '{d}/notes.txt', '--task', 'denoise', '-o', '{o}/out.png'), 'unsupported file type'),
    ('text named .png', ('restore', '{d}/text.png', '--task', 'denoise', '-o', '{o}/out.png'), 'cannot be read as a PNG'),
    ('alpha channel', ('restore', '{d}/rgba.png', '--task', 'denoise', '-o', '{o}/out.png'), '--drop-alpha'),
    ('mask of another size', ('restore', '{d}/y.npy', '--task', 'inpaint', '--mask', '{d}/mask_small.png', '-o', '{o}/out.png'), 'give a mask'),
    ('inpaint without a mask', ('restore', '{d}/y.npy', '--task', 'inpaint', '-o', '{o}/out.png'), 'needs a mask'),
    ('reference of another size', (*R, '--reference', '{d}/row.png', '-o', '{o}/out.png'), 'reference is'),
    ('red with a checkpoint', (*R, '--method', 'red', '--checkpoint', '{o}/ck', '-o', '{o}/out.png'), 'rerun it'),
    ('unknown task (typo)', ('restore', '{d}/y.npy', '--task', 'denoize', '-o', '{o}/out.png'), 'invalid choice'),
    ('unknown method (typo)', (*R, '--method', 'deep-red', '-o', '{o}/out.png'), 'invalid choice'),
    ('number with a typo', (*R, '--iters', '10O', '-o', '{o}/out.png'), 'invalid int value'),
    ('unknown experiment', ('reproduce', 'denoising', '--data', '{d}', '-o', '{o}/r'), 'unknown experiment'),
    ('reproduce --batch 0', ('reproduce', 'denoise', '--data', '{d}', '--batch', '0', '-o', '{o}/r'), '--batch must be at least 1'),
    ('reproduce --iters 0', ('reproduce', 'denoise', '--data', '{d}', '--iters', '0', '-o', '{o}/r'), '--iters must be at least 1'),
    ('red with GPU options', (*R, '--method', 'red', '--precision', 'fp32', '-o', '{o}/out.png'), 'RED has none'),
    ('an option DIP has no use for', (*R, '--method', 'dip', '--lam', '5', '--denoiser', 'bm3d', '-o', '{o}/out.png'), '--denoiser, --lam: nothing to set in --method dip'),
    ('an option RED has no use for', (*R, '--method', 'red', '--lr', '0.5', '-o', '{o}/out.png'), '--lr: nothing to set in --method red'),
]

@pytest.mark.parametrize('argv, words', [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_refused_with_one_line(files, tmp_path, argv, words):
    before = _hashes(files)
    r = run_deepred(*[a.format(d=files, o=tmp_path) for a in argv])
    assert r.returncode in (1, 2), (r.returncode, r.stderr)
    assert 'Traceback' not in r.stderr and words in r.stderr, r.stderr
    lines = [l for l in r.stderr.strip().splitlines() if not l.startswith('note:')]
    assert len(lines) == 1, r.stderr
    assert list(tmp_path.iterdir()) == [], list(tmp_path.iterdir())          # no output, no temporary file
    assert _hashes(files) == before                                            # the inputs untouched
    assert not (files/'pwned').exists()


def test_checkpoint_tied_to_its_input_and_budget(files, tmp_path):
    ck = tmp_path/'run.ckpt'
    base = ('restore', '--task', 'denoise', '--quiet', '--checkpoint', ck)
    assert run_deepred('restore', files/'clean.png', *base[1:], '--iters', 4, '-o', tmp_path/'a.png').returncode == 0
    r = run_deepred('restore', files/'flipped.png', *base[1:], '--iters', 8, '--resume', '-o', tmp_path/'b.png')
    assert r.returncode == 1 and 'another input image' in r.stderr and not (tmp_path/'b.png').exists()
    r = run_deepred('restore', files/'clean.png', *base[1:], '--iters', 2, '--resume', '-o', tmp_path/'c.png')
    assert r.returncode == 1 and '--iters 2 is below iteration 4' in r.stderr and not (tmp_path/'c.png').exists()


def test_sr_says_what_size_it_restores(files, tmp_path):
    save_image(tmp_path/'lr.png', example_image('astronaut', None)[:37, :50])
    r = run_deepred('restore', tmp_path/'lr.png', '--task', 'sr4', '--method', 'red', '--iters', 1, '--quiet', '-o', tmp_path/'hr.png')
    assert r.returncode == 0 and 'restoring a 148×200 image' in r.stderr
    r = run_deepred('restore', tmp_path/'lr.png', '--task', 'sr4', '--method', 'red', '--iters', 1, '--quiet', '--size', 150, 203,
                    '-o', tmp_path/'hr2.png')
    assert r.returncode == 0 and load_image(tmp_path/'hr2.png').shape == (150, 203, 3)


def test_version_and_defaults_in_help():
    r = run_deepred('--version')
    assert r.returncode == 0 and r.stdout.startswith('deepred ')
    h = ' '.join(run_deepred('restore', '--help').stdout.split())      # argparse wraps the lines
    assert 'deblur-uniform 30000' in h and '(default: 100)' in h


# --- the readers, fuzzed: nothing but the package's own error, whatever the bytes
SUFFIXES = ('.png', '.jpg', '.tif', '.bmp', '.npy')

@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2048), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes(tmp_path, data, suffix):
    f = tmp_path/f'x{suffix}'; f.write_bytes(data)
    try: load_image(f)
    except ImageError: pass

@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(suffix=st.sampled_from(SUFFIXES), cut=st.floats(0, 0.999), h=st.integers(1, 20), w=st.integers(1, 20), c=st.sampled_from([1, 3]))
def test_truncated_files(tmp_path, suffix, cut, h, w, c):
    f = tmp_path/f'x{suffix}'
    save_image(f, np.random.default_rng(0).random((h, w, c)).astype(np.float32))
    data = f.read_bytes(); f.write_bytes(data[:int(len(data) * cut)])
    try: load_image(f)
    except ImageError: pass

@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(shape=st.lists(st.integers(0, 5), min_size=0, max_size=4),
       dtype=st.sampled_from(['uint8', 'uint16', 'int32', 'float16', 'float32', 'float64', 'bool', 'complex64']))
def test_npy_shapes_and_dtypes(tmp_path, shape, dtype):
    f = tmp_path/'x.npy'
    np.save(f, np.zeros(shape, dtype=dtype))
    try:
        a = load_image(f)
        assert a.ndim == 3 and a.shape[-1] in (1, 3) and a.dtype == np.float32
    except ImageError: pass

@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=4096))
def test_checkpoint_reader(tmp_path, data):
    import torch
    from deepred.engine import Solver
    from deepred.operators import Identity
    f = tmp_path/'x.ckpt'; f.write_bytes(data)
    s = Solver(Identity(), torch.zeros(1, 1, 16, 16), device='cpu', net_kwargs=dict(down=(4,), up=(4,), skip=(1,)))
    with pytest.raises(ValueError): s.load_checkpoint(f)
