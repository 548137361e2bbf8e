"""`--precision` end to end: 'auto' resolved before the work and recorded in every report and checkpoint, bad values
refused in one line, a bfloat16 DeepRED run that learns (on any CPU: the capability probe is patched in-process)."""
import json
import pytest
import torch
import deepred.core as core
from deepred.core import bf16_native, resolve_precision
from deepred.images import example_image, to_tensor, psnr
from deepred.tasks import degrade
from deepred.deepred import deep_red
from deepred.dip import dip
from conftest import run_deepred


def test_auto_is_recorded_as_chosen(problem, tmp_path):
    r = run_deepred('restore', problem/'y.npy', '--task', 'denoise', '--iters', 3, '--quiet', '--checkpoint', tmp_path/'ck',
                    '-o', tmp_path/'out.png')
    assert r.returncode == 0, r.stderr
    chosen = resolve_precision('auto', 'cpu')
    assert json.loads((tmp_path/'out.json').read_text())['params']['precision'] == chosen
    assert f'cpu, {chosen}' in r.stderr                                  # the start line says it
    assert torch.load(tmp_path/'ck', weights_only=True)['precision'] == chosen


def test_demo_records_its_precision(tmp_path):
    r = run_deepred('demo', '--iters', 2, '--quiet', '--precision', 'fp32', '-o', tmp_path)
    assert r.returncode == 0, r.stderr
    assert 'cpu, fp32,' in (tmp_path/'results.md').read_text().splitlines()[0]


@pytest.mark.parametrize('args, words', [
    (('--precision', 'fp16'), "invalid choice: 'fp16'"),
    (('--method', 'red', '--precision', 'fp32'), 'RED has none'),
])
def test_bad_precision_is_one_line(problem, tmp_path, args, words):
    r = run_deepred('restore', problem/'y.npy', '--task', 'denoise', *args, '-o', tmp_path/'out.png')
    assert r.returncode != 0 and words in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not list(tmp_path.iterdir())


@pytest.mark.skipif(bf16_native('cpu'), reason='this CPU runs bfloat16 natively, so --precision bf16 is accepted')
@pytest.mark.parametrize('command', [
    ('restore', '{y}', '--task', 'denoise', '-o', '{o}/out.png'),
    ('demo', '-o', '{o}/demo'),
    ('reproduce', 'deblur-gauss', '--methods', 'dip', '--quick', '-o', '{o}/table'),
    ('tune', 'denoise', '--images', 'house', '--param', 'lam=0.1:1', '-o', '{o}/sweep'),
])
def test_bf16_without_native_support_is_refused_before_work(problem, tmp_path, command):
    r = run_deepred(*[a.format(y=problem/'y.npy', o=tmp_path) for a in command], '--precision', 'bf16')
    assert r.returncode == 1 and 'no native bfloat16' in r.stderr and "use 'fp32' or 'auto'" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and not list(tmp_path.iterdir())


def test_bf16_deepred_and_dip_learn(monkeypatch):
    monkeypatch.setattr(core, 'bf16_native', lambda device: True)
    x = to_tensor(example_image('astronaut', 48))
    y, H = degrade(x, 'denoise', seed=0)
    small = dict(down=(16,) * 3, up=(16,) * 3, skip=(4,) * 3)
    for run in (lambda p: deep_red(H, y, iters=40, sigma_f=3, lam=0.5, mu=0.5, reference=x, progress=False, net_kwargs=small, precision=p),
                lambda p: dip(H, y, iters=40, reference=x, progress=False, net_kwargs=small, precision=p)):
        lo, hi = run('bf16'), run('fp32')
        assert torch.isfinite(lo.image).all()
        losses = [h['loss'] for h in lo.history]
        assert losses[-1] < 0.5 * losses[0]
        assert abs(psnr(lo.image, x) - psnr(hi.image, x)) < 1.0           # rounding, not another result
