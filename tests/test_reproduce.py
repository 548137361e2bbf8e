"`deepred reproduce` from the shell: bad input fails early with one line and writes nothing."
import json
import pytest
from deepred.images import example_image, save_image

from conftest import run_deepred as deepred

@pytest.fixture(scope='module')
def data(tmp_path_factory):
    d = tmp_path_factory.mktemp('data')
    (d/'ncsr').mkdir()
    save_image(d/'ncsr'/'coffee.png', example_image('coffee', 40))
    save_image(d/'ncsr'/'astronaut.png', example_image('astronaut', 40))
    return d

@pytest.mark.parametrize('args, message', [
    (['nosuch'], 'unknown experiment'),
    (['deblur-uniform', '--images', 'nosuch'], 'no image nosuch'),
    (['deblur-uniform', '--batch', '-1'], '--batch must be at least 1'),
    (['sr4-set5'], 'no folder set5/'),
    (['deblur-uniform', '--seeds', '0'], '--seeds must be at least 1'),
])
def test_bad_input(data, tmp_path, args, message):
    r = deepred('reproduce', *args, '--data', data, '--quick', '-o', tmp_path/'out')
    assert r.returncode != 0 and message in r.stderr and 'Traceback' not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and not (tmp_path/'out').exists()

def test_output_inside_the_test_set_is_refused(data):
    before = sorted(p.name for p in (data/'ncsr').iterdir())
    r = deepred('reproduce', 'deblur-uniform', '--data', data, '--quick', '-o', data/'ncsr'/'out')
    assert r.returncode == 1 and 'lies inside the test set' in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in (data/'ncsr').iterdir()) == before

def test_resume_refuses_other_settings(data, tmp_path):
    out = tmp_path/'out'; out.mkdir()
    (out/'results.json').write_text(json.dumps(dict(experiment='deblur-uniform', quick=False, seed=0, protocol={}, psnr={})))
    r = deepred('reproduce', 'deblur-uniform', '--data', data, '--quick', '--resume', '-o', out)
    assert r.returncode != 0 and 'other settings' in r.stderr and 'Traceback' not in r.stderr

def test_batch_iters_resume(data, tmp_path):
    "Two images of one size in one batch of two, 3 iterations each; --resume reruns only the image that is missing."
    out = tmp_path/'out'
    args = ('reproduce', 'deblur-uniform', '--data', data, '--quick', '--seeds', '1', '--iters', '3', '--batch', '2', '--methods', 'dip', 'deepred', '--quiet', '-o', out)
    r = deepred(*args)
    assert r.returncode == 0, r.stderr
    res = json.loads((out/'results.json').read_text())
    assert res['complete'] and list(res['psnr']) == ['astronaut', 'coffee'] and res['environment']['batch'] == 2
    assert res['protocol']['iters'] == res['protocol']['dip_iters'] == 3
    assert all(set(row) == {'DIP', 'DeepRED'} and all(v > 10 for v in row.values()) for row in res['psnr'].values())
    kept = res['psnr']['astronaut']
    assert res['runs']['astronaut']['0']['psnr'] == kept and res['rollbacks']['astronaut'] == {'DIP': 0, 'DeepRED': 0}
    del res['psnr']['coffee'], res['runs']['coffee']; res['complete'] = False
    (out/'results.json').write_text(json.dumps(res))
    r = deepred(*args, '--resume')
    assert r.returncode == 0, r.stderr
    again = json.loads((out/'results.json').read_text())
    assert again['complete'] and again['psnr']['astronaut'] == kept and set(again['psnr']['coffee']) == {'DIP', 'DeepRED'}

def test_seeds_and_named_images(data, tmp_path):
    "Two seeds per image: each cell is their mean and the report gives the paired difference with its standard error."
    out = tmp_path/'out'
    r = deepred('reproduce', 'deblur-uniform', '--data', data, '--quick', '--iters', '2', '--seeds', '2', '--methods', 'input', 'dip', 'deepred',
                '--images', 'astronaut', 'coffee', '--quiet', '-o', out)
    assert r.returncode == 0, r.stderr
    res = json.loads((out/'results.json').read_text())
    assert res['protocol']['seeds'] == 2 and res['complete']
    for img, per in res['runs'].items():
        assert set(per) == {'0', '10'}
        assert per['0']['psnr']['input'] != per['10']['psnr']['input']          # the measurement noise moves with the seed
        for m in ('input', 'DIP', 'DeepRED'):
            assert abs(res['psnr'][img][m] - (per['0']['psnr'][m] + per['10']['psnr'][m]) / 2) < 1e-9
    d = res['differences']['DeepRED − DIP']
    diffs = [r['psnr']['DeepRED'] - r['psnr']['DIP'] for per in res['runs'].values() for r in per.values()]
    assert d['n'] == 4 and abs(d['mean'] - sum(diffs) / 4) < 1e-9 and d['within_noise'] == (abs(d['mean']) < 2 * d['se'])
    assert 'DeepRED − DIP' in (out/'results.md').read_text() and not list((out/'checkpoints').glob('*.ckpt'))

def test_named_images_all_run(tmp_path):
    "--images with --quick runs every image named, not the first few."
    names = ['baby', 'bird', 'butterfly', 'head']
    r = deepred('reproduce', 'deblur-uniform-grey', '--quick', '--methods', 'input', '--images', *names, '--quiet', '-o', tmp_path)
    assert r.returncode == 0, r.stderr
    assert list(json.loads((tmp_path/'results.json').read_text())['psnr']) == names
