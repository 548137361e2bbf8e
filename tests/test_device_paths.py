"""The GPU's code paths, exercised on the CPU at tiny sizes so that a lent GPU's minutes are not spent finding their
bugs: channels-last, `torch.compile`, bfloat16 in a grouped batch, `auto_batch`'s memory rule, and the host syncs a
training iteration makes (each one stalls a GPU's queue)."""
import shutil
import pytest
import torch
import deepred.batch as batch_mod
import deepred.core as core
from deepred.images import example_image, to_tensor
from deepred.tasks import degrade
from deepred.dip import dip_solver
from deepred.deepred import deep_red_solver
from deepred.denoisers import NLM
from deepred.batch import Batch, auto_batch, networks_that_fit, NET_BYTES_PER_PIXEL

SMALL = dict(net_kwargs=dict(down=(8, 8), up=(8, 8), skip=(2, 2)), input_channels=4, device='cpu')


@pytest.fixture(scope='module')
def problem():
    x = to_tensor(example_image('astronaut', 32))
    return degrade(x, 'denoise', seed=0)


def run(make, problem, iters=3, **kw):
    y, H = problem
    with make(H, y, **SMALL, **kw) as s:
        for _ in range(iters): s.step()
        return s.out.clone(), [r['loss'] for r in s.history]


def test_channels_last_matches_the_plain_layout(problem):
    plain, lp = run(dip_solver, problem)
    last, ll = run(dip_solver, problem, channels_last=True)
    assert torch.isfinite(last).all()
    torch.testing.assert_close(last, plain, atol=1e-5, rtol=1e-4)
    assert ll == pytest.approx(lp, rel=1e-4)


@pytest.mark.skipif(shutil.which('g++') is None and shutil.which('c++') is None, reason='torch.compile on the CPU needs a C++ compiler')
def test_compiled_network_matches_the_eager_one(problem):
    eager, le = run(dip_solver, problem, iters=2)
    compiled, lc = run(dip_solver, problem, iters=2, compile=True)
    torch.testing.assert_close(compiled, eager, atol=1e-4, rtol=1e-3)
    assert lc == pytest.approx(le, rel=1e-3)


def test_grouped_bf16_batch_equals_its_solvers_in_turn(problem, monkeypatch):
    monkeypatch.setattr(core, 'bf16_native', lambda device='cpu': True)    # where the CPU lacks it, emulated: slow, same arithmetic
    y, H = problem
    def images(precision, grouped):
        solvers = [dip_solver(H, y, seed=k, precision=precision, **SMALL) for k in range(3)]
        with Batch(solvers, grouped=grouped) as b:
            b.run(3, progress=False)
            return torch.cat([s.out for s in solvers])
    grouped, in_turn, fp32 = images('bf16', True), images('bf16', False), images('fp32', False)
    assert torch.isfinite(grouped).all() and grouped.dtype == torch.float32
    assert torch.equal(grouped, in_turn)                                   # one grouped pass = K single ones, in bfloat16 too
    assert (grouped - fp32).abs().mean() < 0.03                            # bfloat16 keeps 8 bits of mantissa


@pytest.mark.parametrize('free_gib', [0.5, 8, 80])
def test_auto_batch_follows_the_memory_rule(monkeypatch, free_gib):
    monkeypatch.setattr(batch_mod, 'memory_available', lambda device='cpu': free_gib * 2 ** 30)
    fits = int(0.8 * free_gib * 2 ** 30 // (NET_BYTES_PER_PIXEL * 512 * 512))    # a GPU keeps 20 % for its allocator
    assert networks_that_fit('cuda', 512 * 512) == fits
    assert auto_batch('cuda', (1, 3, 512, 512), 24) == max(1, min(24, fits))
    assert auto_batch('cpu', (1, 3, 512, 512), 24) == 1                    # the CPU steps its solvers in turn


SYNCS = ('item', 'tolist', '__float__', 'cpu', 'numpy')


def count_syncs(monkeypatch):
    "Patch the Tensor methods that copy a value to the host; return the counter they add to."
    counts = dict.fromkeys(SYNCS, 0)
    for name in SYNCS:
        original = getattr(torch.Tensor, name)
        def counted(self, *a, __name=name, __original=original, **k):
            counts[__name] += 1
            return __original(self, *a, **k)
        monkeypatch.setattr(torch.Tensor, name, counted)
    return counts


@pytest.mark.parametrize('make, most, denoiser', [(dip_solver, 2, None), (deep_red_solver, 3, 'gaussian'), (deep_red_solver, 3, NLM(backend='torch'))])
def test_an_iteration_syncs_with_the_host_at_most_as_the_method_needs(problem, monkeypatch, make, most, denoiser):
    """DIP: the divergence guard's loss and the record's terms; DeepRED adds its record's ρ and gap (no growth rule here).
    Its denoiser, called at every iteration here, stays on the device: the linear filter, and NLM's PyTorch port (the
    default on a GPU)."""
    y, H = problem
    kw = dict(denoiser=denoiser, denoise_every=1) if denoiser else {}
    with make(H, y, **SMALL, **kw) as s:
        s.step()                                                            # the first: snapshot and setup, not the steady state
        counts = count_syncs(monkeypatch)
        for _ in range(4): s.step()
    assert sum(counts.values()) <= 4 * most, counts
