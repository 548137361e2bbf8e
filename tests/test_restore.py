"`deepred restore` end to end: report, resume (after a stop and after SIGINT) equals an uninterrupted run, bad input."
import json, signal, subprocess, time
import numpy as np
import pytest
from deepred.images import example_image, save_image

from conftest import DEEPRED, run_deepred as deepred

def test_report_and_scores(problem):
    d = problem
    r = deepred('restore', d/'y.npy', '--task', 'denoise', '--method', 'dip', '--iters', 5, '--reference', d/'clean.png',
                '--quiet', '-o', d/'out.png')
    assert r.returncode == 0, r.stderr
    rep = json.loads((d/'out.json').read_text())
    assert rep['method'] == 'dip' and rep['task'] == 'denoise' and rep['iterations'] == 5
    assert {'psnr', 'psnr_y', 'ssim', 'seconds', 'params'} <= set(rep) and rep['params']['lr'] == 0.01
    assert (d/'out.png').is_file()

def test_red_runs_to_its_fixed_point(problem, tmp_path):
    "RED's iterations are a budget: the report says whether the fixed point was reached, and the command says so when it was not."
    d = problem
    r = deepred('restore', d/'y.npy', '--task', 'denoise', '--method', 'red', '--reference', d/'clean.png', '--quiet', '-o', tmp_path/'a.png')
    rep = json.loads((tmp_path/'a.json').read_text())
    assert r.returncode == 0 and rep['psnr'] > rep['input_psnr'] + 3, r.stderr
    assert rep['params']['converged'] == (rep['iterations'] < rep['params']['iters']) == ('did not converge' not in r.stderr)
    r = deepred('restore', d/'y.npy', '--task', 'denoise', '--method', 'red', '--iters', 2, '--quiet', '-o', tmp_path/'b.png')
    assert r.returncode == 0 and 'RED did not converge in 2 iterations' in r.stderr and '--iters' in r.stderr
    assert not json.loads((tmp_path/'b.json').read_text())['params']['converged']

def test_resume_equals_uninterrupted(problem, tmp_path):
    d = problem
    common = ['restore', d/'y.npy', '--task', 'denoise', '--method', 'dip', '--quiet', '--seed', 2]
    assert deepred(*common, '--iters', 24, '-o', tmp_path/'full.npy').returncode == 0
    assert deepred(*common, '--iters', 10, '--checkpoint', tmp_path/'ck', '-o', tmp_path/'part.npy').returncode == 0
    r = deepred(*common, '--iters', 24, '--checkpoint', tmp_path/'ck', '--resume', '-o', tmp_path/'resumed.npy')
    assert r.returncode == 0 and 'resuming from iteration 10' in r.stderr
    np.testing.assert_array_equal(np.load(tmp_path/'resumed.npy'), np.load(tmp_path/'full.npy'))

def test_sigint_saves_state_and_resume_ends_where_uninterrupted_would(problem, tmp_path):
    d = problem
    common = ['restore', d/'y.npy', '--task', 'denoise', '--method', 'dip', '--quiet', '--iters', 400, '--seed', 1]
    p = subprocess.Popen([DEEPRED, *map(str, common), '--checkpoint', tmp_path/'ck', '-o', tmp_path/'a.npy'],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    started = p.stderr.readline()                       # the run says when it starts: no fixed wait, whatever the load
    while started.startswith('note:'): started = p.stderr.readline()
    assert started.startswith('deepred restore: dip on denoise'), started
    time.sleep(1)
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 130 and '--resume' in err, err
    assert (tmp_path/'ck').is_file() and not (tmp_path/'a.npy').exists()        # no partial output
    import torch
    stopped_at = torch.load(tmp_path/'ck', weights_only=False)['iteration']
    assert 0 < stopped_at < 400
    n = stopped_at + 5
    assert deepred(*common[:-4], '--iters', n, '--seed', 1, '--checkpoint', tmp_path/'ck', '--resume', '-o', tmp_path/'b.npy').returncode == 0
    assert deepred(*common[:-4], '--iters', n, '--seed', 1, '-o', tmp_path/'c.npy').returncode == 0
    np.testing.assert_array_equal(np.load(tmp_path/'b.npy'), np.load(tmp_path/'c.npy'))

@pytest.mark.parametrize('args,needle', [
    (['--resume'], '--checkpoint'),
    (['--iters', '0'], '--iters'),
    (['--lr', 'nan'], '--lr'),
    (['--reference', 'missing.png'], 'no such file'),
    (['--device', 'cuda'], 'cuda'),
])
def test_bad_input(problem, tmp_path, args, needle):
    import torch
    if args[0] == '--device' and torch.cuda.is_available(): pytest.skip('a GPU is present')
    r = deepred('restore', problem/'y.npy', '--task', 'denoise', '--method', 'dip', *args, '-o', tmp_path/'o.png', cwd=tmp_path)
    assert r.returncode != 0 and needle in r.stderr and r.stderr.count('\n') == 1, r.stderr
    assert list(tmp_path.iterdir()) == []

def test_reference_size_mismatch_for_sr(tmp_path):
    save_image(tmp_path/'clean.png', example_image('astronaut', 64))
    assert deepred('simulate', tmp_path/'clean.png', '--task', 'sr4', '-o', tmp_path/'y.npy').returncode == 0
    save_image(tmp_path/'wrong.png', example_image('astronaut', 40))
    r = deepred('restore', tmp_path/'y.npy', '--task', 'sr4', '--method', 'dip', '--reference', tmp_path/'wrong.png', '-o', tmp_path/'o.png')
    assert r.returncode != 0 and 'reference' in r.stderr and r.stderr.count('\n') == 1

def test_deepred_cli_uses_table1_and_overrides(problem, tmp_path):
    d = problem
    r = deepred('restore', d/'y.npy', '--task', 'denoise', '--iters', 12, '--lam', 0.3, '--reference', d/'clean.png',
                '--quiet', '--checkpoint', tmp_path/'ck', '-o', tmp_path/'dr.npy')
    assert r.returncode == 0, r.stderr
    rep = json.loads((tmp_path/'dr.json').read_text())
    assert rep['method'] == 'deepred' and rep['iterations'] == 12
    assert rep['params']['lam'] == 0.3 and rep['params']['mu'] == 0.5 and rep['params']['lr'] == 0.008
    assert rep['params']['denoiser'] == 'nlm' and rep['params']['sigma_f'] == 3
    r = deepred('restore', d/'y.npy', '--task', 'denoise', '--iters', 20, '--lam', 0.3, '--quiet', '--checkpoint', tmp_path/'ck',
                '--resume', '-o', tmp_path/'dr2.npy')
    assert r.returncode == 0 and 'resuming from iteration 12' in r.stderr
    r = deepred('restore', d/'y.npy', '--task', 'denoise', '--iters', 20, '--lam', 0.4, '--quiet', '--checkpoint', tmp_path/'ck',
                '--resume', '-o', tmp_path/'dr3.npy')
    assert r.returncode != 0 and 'lam=0.3 (now 0.4)' in r.stderr

def test_red_cli(problem, tmp_path):
    d = problem
    r = deepred('restore', d/'y.npy', '--task', 'denoise', '--method', 'red', '--reference', d/'clean.png',
                '--quiet', '-o', tmp_path/'red.png')
    assert r.returncode == 0, r.stderr
    rep = json.loads((tmp_path/'red.json').read_text())
    from deepred.presets import RED_PRESETS
    assert rep['method'] == 'red' and rep['iterations'] == RED_PRESETS['denoise'].iters and rep['params']['solver'] == 'fp' and rep['psnr'] > 20
    r = deepred('restore', d/'y.npy', '--task', 'denoise', '--method', 'red', '--checkpoint', tmp_path/'ck', '-o', tmp_path/'o.png')
    assert r.returncode != 0 and 'rerun' in r.stderr and not (tmp_path/'o.png').exists()


def test_ctrl_c_without_checkpoint_loses_nothing(problem, tmp_path):
    "Issue 25: a network run keeps its state beside the output unasked; Ctrl-C prints the command that continues it."
    import shlex
    common = ['restore', problem/'y.npy', '--task', 'denoise', '--method', 'dip', '--quiet', '--iters', 50, '--seed', 3]
    p = subprocess.Popen([DEEPRED, *map(str, common), '-o', tmp_path/'a.npy'], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    started = p.stderr.readline()
    while started.startswith('note:'): started = p.stderr.readline()
    assert started.startswith('deepred restore: dip on denoise'), started
    time.sleep(1)
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=60)
    ck = tmp_path/'a.npy.ckpt'
    assert p.returncode == 130 and ck.is_file() and not (tmp_path/'a.npy').exists(), err
    again = shlex.split(err.split('continue with: ')[1].strip())
    assert again[0] == 'deepred' and again[-1] == '--resume'
    r = subprocess.run([DEEPRED, *again[1:]], capture_output=True, text=True)
    assert r.returncode == 0 and 'resuming from iteration' in r.stderr, r.stderr
    assert not ck.exists()                                 # the run completed: its default checkpoint is gone
    assert deepred(*common, '-o', tmp_path/'b.npy').returncode == 0
    np.testing.assert_array_equal(np.load(tmp_path/'a.npy'), np.load(tmp_path/'b.npy'))


def test_time_limit_writes_the_estimate_and_keeps_the_state(problem, tmp_path):
    r = deepred('restore', problem/'y.npy', '--task', 'denoise', '--method', 'dip', '--quiet', '--iters', 100000,
                '--time-limit', '3s', '-o', tmp_path/'a.png')
    assert r.returncode == 0 and 'stopped at the time limit (3 s) after' in r.stderr and '--resume' in r.stderr, r.stderr
    rep = json.loads((tmp_path/'a.json').read_text())
    assert rep['stopped'] == 'time limit of 3 s' and 0 < rep['iterations'] < 100000
    assert (tmp_path/'a.png').is_file() and (tmp_path/'a.png.ckpt').is_file()
    import torch
    assert torch.load(tmp_path/'a.png.ckpt', weights_only=False)['iteration'] == rep['iterations']   # it goes on from there
    r = deepred('restore', problem/'y.npy', '--task', 'denoise', '--time-limit', '10x', '-o', tmp_path/'b.png')
    assert r.returncode == 2 and 'give a duration such as 90s' in r.stderr


def test_the_cost_is_estimated_before_the_work(problem, tmp_path):
    r = deepred('restore', problem/'y.npy', '--task', 'denoise', '--method', 'dip', '--iters', 40, '-o', tmp_path/'a.png')
    line = next(l for l in r.stderr.replace('\r', '\n').splitlines() if l.startswith('estimate: '))
    assert r.returncode == 0 and 'for the 29 iterations left' in line and 'shorter with fewer --iters, --time-limit' in line, r.stderr
