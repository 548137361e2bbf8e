"""The bad-input corpus: every hostile or mistaken input found by the break-it and newcomer trials (and more), each
refused with one line that names the problem and the fix, exit status non-zero, no traceback, nothing written,
the inputs unchanged. Then the image and checkpoint readers fuzzed: they raise nothing but `ImageError`/`ValueError`."""
import hashlib, os, pickle
from pathlib import Path
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
    os.link(d/'y.npy', d/'hard_y.npy')                            # the input under a second name (one inode)
    (d/'rep.json').mkdir()                                        # where restore -o rep.png would put its report
    import json, tifffile
    for name, params in [('mu0', dict(mu=0)), ('iters35', dict(iters=3.5)), ('lam_huge', dict(lam=1e308)),
                         ('dip_lam', dict(lam=5))]:               # presets edited by hand (save_preset refuses them)
        method = 'dip' if name.startswith('dip') else 'deepred'
        (d/f'{name}.json').write_text(json.dumps(dict(deepred_preset=1, task='denoise', method=method, params=params)))
    (d/'notask.json').write_text(json.dumps(dict(deepred_preset=1, params=dict(lam=0.3))))
    tifffile.imwrite(d/'f255.tif', (x * 255).astype(np.float32), photometric='rgb')  # float data on the 0–255 scale
    sets = dict(data=[('coffee', 40), ('astronaut', 40)], tiny=[('camera', 8)], alpha=[], ck=[('coffee', 40)])
    for name, images in sets.items():                             # test sets for reproduce (ck: inside checkpoints/)
        folder = d/name/('checkpoints' if name == 'ck' else '')/'ncsr'; folder.mkdir(parents=True)
        for stem, size in images: save_image(folder/f'{stem}.png', example_image(stem, None)[:size, :size])
    Image.fromarray((x * 255).astype(np.uint8)).convert('RGBA').save(d/'alpha'/'ncsr'/'rgba.png')
    (d/'busy_out').mkdir(); (d/'busy_out'/'.reproduce.lock').write_text(str(os.getpid()))   # a live reproduce there
    runs = dict(coffee={'0': dict(psnr=dict(input=20.0, RED=25.0, DIP=26.0, DeepRED=26.5), seconds={}, rollbacks={})})
    from deepred.experiments import EXPERIMENTS, QUICK, protocol_for
    from deepred.tables import _record                            # the settings a run of this table records
    head = _record('deblur-uniform', True, 0, protocol_for(EXPERIMENTS['deblur-uniform'], QUICK, seeds=QUICK.seeds))
    results = {'list': [1, 2, 3], 'nopsnr': dict(head, runs=dict(coffee={'0': dict(seconds={})})),
               'strpsnr': dict(head, runs=dict(coffee={'0': dict(psnr=dict(input='20', RED=25.0, DIP=26.0, DeepRED=26.5))})),
               'truncated': dict(head, runs=runs)}
    for name, r in results.items():
        (d/f'res_{name}').mkdir()
        text = json.dumps(r, indent=2)
        (d/f'res_{name}'/'results.json').write_text(text[:len(text) // 2] if name == 'truncated' else text)
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
    ('resume without a checkpoint', (*R, '--resume', '-o', '{o}/out.png'), 'out.png.ckpt does not exist (the default, beside -o'),
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
    # 1. nothing a command reads or writes destroyed by the same command
    ('output is the input by inode (hard link)', (*R, '-o', '{d}/hard_y.npy'), 'would be overwritten'),
    ('reproduce into its test set', ('reproduce', 'deblur-uniform', '--data', '{d}/data', '--quick', '-o', '{d}/data/ncsr/out'), 'lies inside the test set'),
    ('reproduce clearing a folder that holds its data', ('reproduce', 'deblur-uniform', '--data', '{d}/ck/checkpoints', '--quick', '-o', '{d}/ck'), 'holds the test set'),
    ('two reproduce runs into one folder', ('reproduce', 'deblur-uniform', '--data', '{d}/data', '--quick', '-o', '{d}/busy_out'), 'in use by process'),
    # 2. every check before the work, every path written checked too
    ('a name too long for its temporary file', (*R, '-o', '{o}/' + 'x' * 246 + '.png'), 'give a shorter name'),
    ('the report path is a directory', (*R, '-o', '{d}/rep.png'), 'rep.json is a directory'),
    ('reproduce on an image too small', ('reproduce', 'deblur-uniform', '--data', '{d}/tiny', '--quick', '-o', '{o}/r'), 'test image camera: image of size 8×8 is smaller than'),
    ('reproduce on an image with alpha', ('reproduce', 'deblur-uniform', '--data', '{d}/alpha', '--quick', '-o', '{o}/r'), 'has an alpha channel; save the image without one'),
    ('reproduce output is a file', ('reproduce', 'deblur-uniform', '--data', '{d}/data', '-o', '{d}/clean.png'), 'is not a directory'),
    ('tune with a repeated --param', ('tune', 'denoise', '--param', 'lam=0.1:1', '--param', 'lam=1:2', '-o', '{o}/t'), '--param lam given more than once'),
    # 3. every file read validated, the tool's own included
    ('resume from a results.json that is a list', ('reproduce', 'deblur-uniform', '--data', '{d}/data', '--quick', '--resume', '-o', '{d}/res_list'), 'res_list/results.json: holds a list'),
    ('resume from a results.json without PSNRs', ('reproduce', 'deblur-uniform', '--data', '{d}/data', '--quick', '--resume', '-o', '{d}/res_nopsnr'), 'has no PSNR number for each of'),
    ('resume from a results.json with a string PSNR', ('reproduce', 'deblur-uniform', '--data', '{d}/data', '--quick', '--resume', '-o', '{d}/res_strpsnr'), 'has no PSNR number for each of'),
    ('resume from a truncated results.json', ('reproduce', 'deblur-uniform', '--data', '{d}/data', '--quick', '--resume', '-o', '{d}/res_truncated'), 'res_truncated/results.json: not valid JSON'),
    ('a preset with 3.5 iterations', (*R, '--preset', '{d}/iters35.json', '-o', '{o}/out.png'), 'iters35.json: iters must be a whole number'),
    ('a preset with mu 0', (*R, '--preset', '{d}/mu0.json', '-o', '{o}/out.png'), 'mu0.json: mu must be a finite number in (0'),
    ('a preset without a task', (*R, '--preset', '{d}/notask.json', '-o', '{o}/out.png'), "its task None or method None is not one"),
    ('a dip preset holding λ', (*R, '--method', 'dip', '--preset', '{d}/dip_lam.json', '-o', '{o}/out.png'), "'lam' is not a dip preset setting"),
    ('a float TIFF on 0–255', ('restore', '{d}/f255.tif', '--task', 'denoise', '-o', '{o}/out.png'), 'a float .tif image is on [0, 1]'),
    # 4. no run without a meaningful result
    ('μ = 1e308', (*R, '--mu', '1e308', '-o', '{o}/out.png'), '--mu must be a finite number in (0, 10000], got 1e+308'),
    ('λ = 1e308', (*R, '--lam', '1e308', '-o', '{o}/out.png'), '--lam must be a finite number in [0, 10000]'),
    ('a preset with λ = 1e308', (*R, '--preset', '{d}/lam_huge.json', '-o', '{o}/out.png'), 'lam_huge.json: lam must be'),
    ('σ_noise = 1e300', (*R, '--reg-noise', '1e300', '-o', '{o}/out.png'), '--reg-noise must be a finite number in [0, 1]'),
    ('learning rate 1e10', (*R, '--lr', '1e10', '-o', '{o}/out.png'), '--lr must be a finite number in (0, 1]'),
    ('σ_f = 1e6', (*R, '--sigma-f', '1e6', '-o', '{o}/out.png'), '--sigma-f must be a finite number in [0, 255]'),
    ('simulate noise σ = 1e308', ('simulate', '{d}/clean.png', '--task', 'denoise', '--noise-sigma', '1e308', '-o', '{o}/y.npy'), '--noise-sigma must be a finite number in [0, 255]'),
    ('simulate Poisson peak 0', ('simulate', '{d}/clean.png', '--task', 'denoise', '--poisson-peak', '0', '-o', '{o}/y.npy'), '--poisson-peak must be'),
    ('a seed beyond every generator', (*R, '--seed', '99999999999999999999', '-o', '{o}/out.png'), '--seed must be a whole number from 0 to 4294967295'),
    ('a negative seed', ('simulate', '{d}/clean.png', '--task', 'denoise', '--seed', '-3', '-o', '{o}/y.npy'), '--seed must be a whole number'),
    ('reproduce seed beyond every generator', ('reproduce', 'deblur-uniform', '--data', '{d}/data', '--seed', '99999999999999999999', '-o', '{o}/r'), '--seed must be a whole number'),
    ('tune over a range that holds μ = 0', ('tune', 'denoise', '--param', 'mu=0:1', '-o', '{o}/t'), '--param mu=0:1: mu must be a finite number in (0'),
]

@pytest.mark.parametrize('argv, words', [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_refused_with_one_line(files, tmp_path, argv, words, forked_deepred):
    before = _hashes(files)
    r = forked_deepred(*[a.format(d=files, o=tmp_path) for a in argv])
    assert r.returncode in (1, 2), (r.returncode, r.stderr)
    assert 'drop-alpha' not in r.stderr or argv[0] == 'restore', r.stderr     # no pointing at an option the command lacks
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
    assert 'deblur-uniform deepred: λ 0.02, μ 0.04' in h and '| dip: LR 0.004' in h and '30000 iterations' in h   # the presets
    assert h.count('(default: 100)') == 1 and 'default: None' not in h and ') (default:' not in h   # each default said once


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


def test_checkpoint_folder_made_and_threads_beyond_the_cpus_noted(files, tmp_path):
    "A checkpoint in a folder not made yet is written as an output is (no raw errno on its lock); more threads than CPUs get a note."
    from deepred.core import available_cpus
    ck = tmp_path/'new'/'deeper'/'run.ckpt'
    r = run_deepred('restore', files/'y.npy', '--task', 'denoise', '--method', 'dip', '--iters', 2, '--quiet', '--checkpoint', ck,
                    '--threads', available_cpus() + 1, '-o', tmp_path/'out.png')
    assert r.returncode == 0, r.stderr
    assert ck.is_file() and not Path(str(ck) + '.lock').exists()
    assert f'note: --threads {available_cpus() + 1} on {available_cpus()} CPUs' in r.stderr


def test_ray_address_where_nothing_answers_is_refused_at_once():
    "Ray itself retries an unreachable address for minutes; deepred asks the port first."
    from deepred.core import SettingError
    from deepred.cluster import _check_reachable
    with pytest.raises(SettingError, match='no Ray cluster answers there'): _check_reachable('127.0.0.1:1')
    with pytest.raises(SettingError, match='not an address'): _check_reachable('nowhere')
