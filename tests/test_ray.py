"""`deepred tune` and `deepred reproduce --ray` from the shell, on a real local Ray: two trials of a few iterations, the
collected trials, the preset they write and `restore --preset` using it; and the one-line answer where Ray is missing."""
import json
import pytest
from conftest import run_deepred
from deepred.images import example_image, save_image

pytest.importorskip('ray', reason="Ray is not installed (pip install -e '.[ray]'); the Ray commands cannot be tested")


@pytest.fixture(scope='module')
def clean_dir(tmp_path_factory):
    "Two clean images, and the same two as an `ncsr/` set for `reproduce`."
    d = tmp_path_factory.mktemp('clean')
    (d/'ncsr').mkdir()
    for n in ('astronaut', 'coffee'):
        save_image(d/f'{n}.png', example_image(n, 48))
        save_image(d/'ncsr'/f'{n}.png', example_image(n, 64))
    return d


def test_tune_writes_a_preset_that_restore_uses(clean_dir, tmp_path):
    out = tmp_path/'sweep'
    r = run_deepred('tune', 'denoise', '--data', clean_dir, '--crop', 32, '--param', 'lam=0.1:1:log', '--param', 'mu=0.1:1:log',
                    '--samples', 2, '--iters', 4, '--every', 2, '-o', out, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    trials = json.loads((out/'trials.json').read_text())
    assert len(trials['trials']) == 2 and trials['iters'] == 4
    for t in trials['trials']:
        assert 0.1 <= t['params']['lam'] <= 1 and 0.1 <= t['params']['mu'] <= 1 and 5 < t['psnr'] < 40
    preset = json.loads((out/'preset.json').read_text())
    assert preset['task'] == 'denoise' and preset['images'] == ['astronaut', 'coffee']
    assert preset['psnr'] == round(max(t['psnr'] for t in trials['trials'] if t['iterations'] == 4), 4)
    assert (out/'sweep.png').stat().st_size > 0 and 'best:' in r.stdout

    noisy = tmp_path/'noisy.npy'
    assert run_deepred('simulate', clean_dir/'coffee.png', '--task', 'denoise', '-o', noisy).returncode == 0
    r = run_deepred('restore', noisy, '--task', 'denoise', '--preset', out/'preset.json', '--iters', 2, '--quiet', '-o', tmp_path/'x.png')
    assert r.returncode == 0, r.stderr
    report = json.loads((tmp_path/'x.json').read_text())
    assert report['params']['lam'] == preset['params']['lam'] and report['params']['mu'] == preset['params']['mu']
    r = run_deepred('restore', noisy, '--task', 'denoise', '--preset', out/'preset.json', '--lam', 0.7, '--iters', 2, '--quiet',
                    '-o', tmp_path/'y.png')
    assert r.returncode == 0 and json.loads((tmp_path/'y.json').read_text())['params']['lam'] == 0.7   # the command line wins
    r = run_deepred('restore', noisy, '--task', 'sr4', '--preset', out/'preset.json', '-o', tmp_path/'z.png')
    assert r.returncode == 1 and '--task sr4 does not match preset' in r.stderr and 'made for task denoise' in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_reproduce_on_ray(clean_dir, tmp_path):
    args = ('reproduce', 'deblur-uniform', '--data', clean_dir, '--quick', '--seeds', 1, '--iters', 2, '--methods', 'input', 'dip', '--quiet')
    r = run_deepred(*args, '--ray', '-o', tmp_path/'ray', timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    on_ray = json.loads((tmp_path/'ray'/'results.json').read_text())
    assert on_ray['complete'] and set(on_ray['psnr']) == {'astronaut', 'coffee'} and on_ray['environment']['ray'] == 'local'
    assert run_deepred(*args, '-o', tmp_path/'local').returncode == 0
    local = json.loads((tmp_path/'local'/'results.json').read_text())
    for n in ('astronaut', 'coffee'):
        for m in ('input', 'DIP'): assert abs(on_ray['psnr'][n][m] - local['psnr'][n][m]) < 1e-3


@pytest.mark.parametrize('args', [
    ('tune', 'denoise', '--data', '{d}', '--param', 'lam=1', '-o', '{o}'),
    ('tune', 'denoise', '--data', '{d}', '--param', 'growth=0:1', '-o', '{o}'),
    ('tune', 'denoise', '--data', '{d}', '--param', 'lam=0:1', '--samples', '0', '-o', '{o}'),
    ('tune', 'denoise', '--data', '{d}/nowhere', '--param', 'lam=0:1', '-o', '{o}'),
    ('tune', 'denoise', '--data', '{d}', '--images', 'zebra', '--param', 'lam=0:1', '-o', '{o}'),
])
def test_tune_refuses_bad_input_in_one_line(clean_dir, tmp_path, args):
    r = run_deepred(*[a.format(d=clean_dir, o=tmp_path/'out') for a in args])
    assert r.returncode == 1 and r.stderr.startswith('deepred tune: error:') and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert not (tmp_path/'out').exists()


def test_without_ray_the_commands_say_how_to_install_it(clean_dir, tmp_path):
    fake = tmp_path/'noray'/'ray'
    fake.mkdir(parents=True)
    (fake/'__init__.py').write_text("raise ImportError('No module named ray')\n")   # Ray as it looks where it is not installed
    env = dict(__import__('os').environ, PYTHONPATH=str(fake.parent))
    for args in [('tune', 'denoise', '--data', clean_dir, '--param', 'lam=0.1:1', '-o', tmp_path/'t'),
                 ('reproduce', 'deblur-uniform', '--data', clean_dir, '--quick', '--seeds', '1', '--ray', '-o', tmp_path/'r')]:
        r = run_deepred(*args, env=env)
        assert r.returncode == 1 and "pip install 'deepred[ray]'" in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_tune_reads_the_paper_sets_by_default(tmp_path):
    "No --data: the task's set from the repository's data/ (denoise: cbm3d9), --images selecting within it."
    out = tmp_path/'t'
    r = run_deepred('tune', 'denoise', '--images', 'house', '--param', 'lam=0.1:1:log', '--samples', 2, '--iters', 10, '-o', out,
                    timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    assert json.loads((out/'preset.json').read_text())['images'] == ['house']
    r = run_deepred('tune', 'denoise', '--images', 'zebra', '--param', 'lam=0.1:1', '-o', tmp_path/'z')
    assert r.returncode == 1 and 'no image zebra' in r.stderr and 'cbm3d9' in r.stderr
