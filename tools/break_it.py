"""A break-it run (issue 24): hostile and mistaken inputs against every surface, each judged as a user would judge it.

    python tools/break_it.py [--out results/break-it.md]

A command-line case passes when the command is refused with exit status 1 or 2, one error line (notes aside) that
holds the expected words and no traceback, within 5 seconds, with nothing written in its output folder and its
inputs unchanged. An API case passes when the call raises `ValueError` or `TypeError` whose message holds the
expected words. The cases are generated per class (a bad value for every option, every file a command reads
mangled, every path it writes blocked) rather than listed one by one, so that a class is covered, not a sample.
"""
import argparse, hashlib, json, os, platform, subprocess, sys, tempfile, time
from pathlib import Path
import numpy as np

DEEPRED = str(Path(sys.executable).parent/'deepred')
BAD_NUMBERS = ['nan', 'inf', '-inf', '-1', '1e308']          # refused by every real setting


def _tree(d: Path) -> dict:
    "Every file under `d` with its hash: what 'nothing written, inputs unchanged' compares."
    return {str(p.relative_to(d)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(d.rglob('*')) if p.is_file()}


def fixtures(d: Path) -> Path:
    "The inputs every case reads: images, presets, test sets and results files, some of them mangled."
    from deepred.images import example_image, save_image
    from deepred.presets import save_preset
    from PIL import Image
    import tifffile
    x = example_image('astronaut', 48)
    save_image(d/'clean.png', x)
    np.save(d/'y.npy', np.clip(x + 0.1 * np.random.default_rng(0).standard_normal(x.shape), 0, 1).astype(np.float32))
    os.link(d/'y.npy', d/'hard.npy'); os.symlink(d/'y.npy', d/'soft.npy')
    Image.fromarray((x * 255).astype(np.uint8)).convert('RGBA').save(d/'rgba.png')
    tifffile.imwrite(d/'f255.tif', (x * 255).astype(np.float32), photometric='rgb')
    save_preset(d/'good.json', 'denoise', dict(lam=0.3))
    (d/'report.json').mkdir()
    own = dict(mu=[0], lr=[0, 2], reg_noise=[2], iters=[0, 3.5], sigma_f=[300], lam=[])   # each field's own bad values
    for field in ('lam', 'mu', 'sigma_f', 'lr', 'reg_noise', 'iters'):
        for v in [-1, 1e308, '"x"', 'null', 'true'] + own[field]:
            name = f'preset_{field}_{v}'.replace('"', '').replace('.', 'p')
            (d/f'{name}.json').write_text(f'{{"deepred_preset": 1, "task": "denoise", "method": "deepred", "params": {{"{field}": {v}}}}}')
    (d/'preset_dip_lam.json').write_text(json.dumps(dict(deepred_preset=1, task='denoise', method='dip', params=dict(lam=1))))
    (d/'preset_notask.json').write_text(json.dumps(dict(deepred_preset=1, params=dict(lam=1))))
    (d/'preset_truncated.json').write_text((d/'good.json').read_text()[:20])
    (d/'preset_list.json').write_text('[1, 2]')
    for name, size in dict(data=40, tiny=8).items():
        (d/name/'ncsr').mkdir(parents=True)
        save_image(d/name/'ncsr'/'coffee.png', example_image('coffee', None)[:size, :size])
    (d/'alpha'/'ncsr').mkdir(parents=True); Image.open(d/'rgba.png').save(d/'alpha'/'ncsr'/'a.png')
    (d/'busy').mkdir(); (d/'busy'/'.reproduce.lock').write_text(str(os.getpid()))
    run = {'0': dict(psnr=dict(input=20.0, RED=25.0, DIP=26.0, DeepRED=26.5), seconds={}, rollbacks={})}
    from deepred.experiments import EXPERIMENTS, QUICK, protocol_for
    from deepred.tables import _record                            # the settings a run of this table records
    head = _record('deblur-uniform', True, 0, protocol_for(EXPERIMENTS['deblur-uniform'], QUICK, seeds=QUICK.seeds))
    for name, r in {'list': [1, 2, 3], 'string': 'x', 'nopsnr': dict(head, runs=dict(coffee={'0': {}})),
                    'strpsnr': dict(head, runs=dict(coffee={'0': dict(run['0'], psnr=dict(run['0']['psnr'], DIP='26'))})),
                    'nanpsnr': dict(head, runs=dict(coffee={'0': dict(run['0'], psnr=dict(run['0']['psnr'], DIP=float('nan')))})),
                    'runslist': dict(head, runs=[1]), 'truncated': dict(head, runs=dict(coffee=run))}.items():
        (d/f'res_{name}').mkdir()
        text = json.dumps(r)
        (d/f'res_{name}'/'results.json').write_text(text[:len(text) // 2] if name == 'truncated' else text)
    return d


def cli_cases() -> list:
    "(class, name, argv with {d} inputs and {o} output folder, words) of the command-line cases."
    R = ['restore', '{d}/y.npy', '--task', 'denoise', '--quiet']
    P = ['reproduce', 'deblur-uniform', '--data', '{d}/data', '--quick']
    cases = []
    add = lambda cls, name, argv, words: cases.append((cls, name, argv, words))
    # 1. nothing a command reads destroyed by the same command
    for src in ('y.npy', 'hard.npy', 'soft.npy'):
        add('1 data loss', f'restore -o the input as {src}', ['restore', f'{{d}}/{src}', '--task', 'denoise', '-o', '{d}/y.npy'], 'would be overwritten')
        add('1 data loss', f'checkpoint is the input as {src}', R + ['--checkpoint', f'{{d}}/{src}', '-o', '{o}/o.png'], 'would be overwritten')
    add('1 data loss', 'report over the preset', R + ['--preset', '{d}/good.json', '-o', '{d}/good.png'], 'would be overwritten')
    add('1 data loss', 'checkpoint over the preset', R + ['--preset', '{d}/good.json', '--checkpoint', '{d}/good.json', '-o', '{o}/o.png'], 'would be overwritten')
    add('1 data loss', 'reference as output', R + ['--reference', '{d}/clean.png', '-o', '{d}/clean.png'], 'would be overwritten')
    add('1 data loss', 'simulate over its input', ['simulate', '{d}/clean.png', '--task', 'denoise', '-o', '{d}/clean.png'], 'would be overwritten')
    add('1 data loss', 'reproduce into the test set', P + ['-o', '{d}/data/ncsr'], 'the test set')
    add('1 data loss', 'reproduce below the test set', P + ['-o', '{d}/data/ncsr/out'], 'lies inside the test set')
    add('1 data loss', 'reproduce into a folder in use', P + ['-o', '{d}/busy'], 'in use by process')
    # 2. checks before the work, every written path included
    add('2 late failure', 'long output name', R + ['-o', '{o}/' + 'x' * 246 + '.png'], 'give a shorter name')
    add('2 late failure', 'long checkpoint name', R + ['--checkpoint', '{o}/' + 'c' * 250, '-o', '{o}/o.png'], 'give a shorter name')
    add('2 late failure', 'report is a directory', R + ['-o', '{d}/report.png'], 'is a directory')
    add('2 late failure', 'output under a file', R + ['-o', '{d}/clean.png/o.png'], 'is a file, not a directory')
    add('2 late failure', 'reproduce output under a file', P + ['-o', '{d}/clean.png/out'], 'is a file, not a directory')
    add('2 late failure', 'reproduce on an 8×8 image', ['reproduce', 'deblur-uniform', '--data', '{d}/tiny', '--quick', '-o', '{o}/r'], 'test image coffee:')
    add('2 late failure', 'reproduce long output folder', P + ['-o', '{o}/' + 'r' * 250], 'give a shorter name')
    add('2 wrong option named', 'reproduce on an alpha image', ['reproduce', 'deblur-uniform', '--data', '{d}/alpha', '-o', '{o}/r'], 'save the image without one')
    add('2 wrong option named', 'tune with a repeated param', ['tune', 'denoise', '--param', 'lam=0.1:1', '--param', 'lam=1:2', '-o', '{o}/t'], 'more than once')
    # 3. every file read validated
    for p in sorted(Path(ARGS.fixtures).glob('preset_*.json')) if ARGS.fixtures else []:
        method = ['--method', 'dip'] if 'dip' in p.stem else []
        add('3 files validated', f'preset {p.stem}', R + method + ['--preset', str(p), '-o', '{o}/o.png'], f'preset {p}')
    for r in ('list', 'string', 'nopsnr', 'strpsnr', 'nanpsnr', 'runslist', 'truncated'):
        add('3 files validated', f'resume from results {r}', P + ['--resume', '-o', f'{{d}}/res_{r}'], f'res_{r}/results.json')
    add('3 files validated', 'float TIFF on 0–255', ['restore', '{d}/f255.tif', '--task', 'denoise', '-o', '{o}/o.png'], 'is on [0, 1]')
    # 4. settings that cannot give a meaningful result
    # argparse reads '-inf' after a flag as another option and refuses it so ('expected one argument'); '--lam=-inf' reaches the range check
    words = lambda flag, v: f'argument {flag}: expected one argument' if v == '-inf' else f'{flag} must be'
    for flag in ('--lam', '--mu', '--sigma-f', '--lr', '--reg-noise'):
        for v in BAD_NUMBERS: add('4 absurd values', f'restore {flag} {v}', R + [flag, v, '-o', '{o}/o.png'], words(flag, v))
        add('4 absurd values', f'restore {flag}=-inf', R + [f'{flag}=-inf', '-o', '{o}/o.png'], f'{flag} must be')
    for v in BAD_NUMBERS: add('4 absurd values', f'simulate --noise-sigma {v}', ['simulate', '{d}/clean.png', '--task', 'denoise', '--noise-sigma', v, '-o', '{o}/y.npy'], words('--noise-sigma', v))
    for v in ('0', '-1', 'nan', '1e308'): add('4 absurd values', f'simulate --poisson-peak {v}', ['simulate', '{d}/clean.png', '--task', 'denoise', '--poisson-peak', v, '-o', '{o}/y.npy'], '--poisson-peak must be')
    for cmd in (R + ['-o', '{o}/o.png'], ['simulate', '{d}/clean.png', '--task', 'denoise', '-o', '{o}/y.npy'], P + ['-o', '{o}/r']):
        for v in ('-1', '99999999999999999999'): add('4 absurd values', f'{cmd[0]} --seed {v}', cmd + ['--seed', v], '--seed must be a whole number')
    for name in ('lam', 'mu', 'sigma_f', 'lr', 'reg_noise'):
        for rng in ('-1:1', '0:1e308', 'nan:1'): add('4 absurd values', f'tune --param {name}={rng}', ['tune', 'denoise', '--param', f'{name}={rng}', '-o', '{o}/t'], '--param')
    for flag in ('--iters', '--checkpoint-every', '--threads'):
        for v in ('0', '-3'): add('4 absurd values', f'restore {flag} {v}', R + [flag, v, '-o', '{o}/o.png'], f'{flag} must be at least 1')
    for flag, v in (('--seeds', '0'), ('--batch', '0'), ('--iters', '0')): add('4 absurd values', f'reproduce {flag} {v}', P + [flag, v, '-o', '{o}/r'], f'{flag} must be at least 1')
    # options a method has no use for
    for method, opts in dict(dip=[('--lam', '5'), ('--mu', '1'), ('--sigma-f', '3'), ('--denoiser', 'bm3d')],
                             red=[('--lr', '0.5'), ('--reg-noise', '0.1'), ('--mu', '1')]).items():
        for flag, v in opts: add('4 stray options', f'{method} {flag}', R + ['--method', method, flag, v, '-o', '{o}/o.png'], f'{flag}: nothing to set in --method {method}')
    return cases


def run_cli_case(d: Path, argv: list, words: str) -> tuple:
    "(passed, why, seconds) of one command-line case, in a fresh output folder."
    o = Path(tempfile.mkdtemp(dir=d.parent))
    before = _tree(d)
    t = time.perf_counter()
    r = subprocess.run([DEEPRED, *[a.format(d=d, o=o) for a in argv]], capture_output=True, text=True, timeout=120)
    s = time.perf_counter() - t
    lines = [l for l in r.stderr.strip().splitlines() if not l.startswith('note:')]
    why = ('exit 0' if r.returncode == 0 else f'exit {r.returncode}' if r.returncode not in (1, 2) else
           'traceback' if 'Traceback' in r.stderr else f'{len(lines)} error lines' if len(lines) != 1 else
           f'words missing: {words!r}' if words.format(d=d, o=o) not in r.stderr else
           'wrote in its output folder' if any(o.iterdir()) else 'changed its inputs' if _tree(d) != before else
           f'{s:.1f} s' if s > 5 else None)
    return why is None, why or lines[0][:160], s


def api_cases() -> list:
    "(class, name, call, words) of the Python API's cases: each call must raise ValueError or TypeError with the words."
    import torch
    from deepred.operators import Identity
    from deepred.presets import recipe
    from deepred.red import red
    from deepred.dip import dip
    from deepred.deepred import deep_red
    from deepred.widgets import Tuner
    small = dict(net_kwargs=dict(down=(4,), up=(4,), skip=(1,)), device='cpu')
    y = torch.rand(1, 3, 16, 16)
    cases = []
    add = lambda name, call, words: cases.append(('5 API', name, call, words))
    for bad, words in [(torch.full((1, 3, 16, 16), float('nan')), 'NaN'), ((torch.rand(1, 3, 16, 16) * 255).to(torch.uint8), 'uint8'),
                       (torch.rand(2, 3, 16, 16), 'holds 2 images'), (np.random.rand(16, 16, 3) * 255, 'divide 0–255'),
                       ('image.png', 'torch tensor'), (torch.rand(1, 3, 16, 16, 1), 'has shape'), (torch.rand(1, 5, 16, 16), '5 channels'),
                       (torch.rand(1, 16, 16, 3), 'channels'), (torch.rand(1, 3, 16, 16, dtype=torch.complex64), 'complex')]:
        add(f'dip y={type(bad).__name__} {getattr(bad, "dtype", "")} {tuple(getattr(bad, "shape", ()))}', lambda b=bad: dip(Identity(), b, iters=1, progress=False, **small), words)
        add(f'deep_red y={type(bad).__name__} {tuple(getattr(bad, "shape", ()))}', lambda b=bad: deep_red(Identity(), b, iters=1, progress=False, **small), words)
    for name in ('lam', 'mu', 'sigma_f', 'lr', 'reg_noise'):
        for v in (float('nan'), float('inf'), -1.0, 1e308):
            add(f'deep_red {name}={v}', lambda n=name, v=v: deep_red(Identity(), y, iters=1, progress=False, **{n: v}, **small), f'{name} must be')
    for name, v in (('iters', 0), ('iters', 2.5), ('runs', 0)):
        add(f'dip {name}={v}', lambda n=name, v=v: dip(Identity(), y, progress=False, **{'iters': 1, n: v}, **small), f'{name} must be')
    for v in (float('nan'), -1.0, 0.0): add(f'red lam={v}', lambda v=v: red(Identity(), y, lam=v, iters=1, progress=False), 'lam must be')
    add('recipe seed huge', lambda: recipe('denoise', seed=10 ** 20), 'seed must be')
    add('restore stray setting', lambda: recipe('denoise', 'dip', lam=1.0), 'not a DIP setting')
    for bad, words in [((torch.rand(1, 3, 16, 16) * 255).to(torch.uint8), 'uint8'), (np.random.rand(16, 16, 3) * 255, '[0, 1]'),
                       (torch.full((1, 3, 16, 16), float('nan')), 'NaN')]:
        add(f'Tuner clean={type(bad).__name__}', lambda b=bad: Tuner(clean=b, task='denoise', device='cpu'), words)
    return cases


def run_api_case(call, words) -> tuple:
    t = time.perf_counter()
    try: call()
    except (ValueError, TypeError) as e:
        ok = words in str(e)
        return ok, None if ok else f'{type(e).__name__} without {words!r}: {str(e)[:120]}', time.perf_counter() - t
    except Exception as e: return False, f'{type(e).__name__}: {str(e)[:120]}', time.perf_counter() - t
    return False, 'no error', time.perf_counter() - t


def main():
    global ARGS
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--out', default=None, help='also write the report here (Markdown)')
    ARGS = p.parse_args()
    root = Path(tempfile.mkdtemp(prefix='break-it-'))
    d = fixtures(root/'in'); ARGS.fixtures = d
    rows, fails = {}, []
    t0 = time.perf_counter()
    for cls, name, argv, words in cli_cases():
        ok, why, s = run_cli_case(d, argv, words)
        rows.setdefault(cls, [0, 0, 0.0]); rows[cls][0] += 1; rows[cls][1] += ok; rows[cls][2] = max(rows[cls][2], s)
        if not ok: fails.append((cls, name, why))
    for cls, name, call, words in api_cases():
        ok, why, s = run_api_case(call, words)
        rows.setdefault(cls, [0, 0, 0.0]); rows[cls][0] += 1; rows[cls][1] += ok; rows[cls][2] = max(rows[cls][2], s)
        if not ok: fails.append((cls, name, why))
    import torch
    cpu = torch.cpu.get_capabilities().get('cpu_name') or platform.processor()
    tried, passed = sum(r[0] for r in rows.values()), sum(r[1] for r in rows.values())
    out = [f'# Break-it run: {tried} cases, {passed} passed, {tried - passed} failed',
           '', f'`python tools/break_it.py`, {time.perf_counter() - t0:.0f} s on {cpu} ({os.cpu_count()} CPUs), torch {torch.__version__}.', '',
           '| class | tried | passed | failed | slowest (s) |', '|---|---|---|---|---|']
    out += [f'| {c} | {r[0]} | {r[1]} | {r[0] - r[1]} | {r[2]:.1f} |' for c, r in sorted(rows.items())]
    if fails: out += ['', '## Failed', ''] + [f'- {c}, {n}: {w}' for c, n, w in fails]
    text = '\n'.join(out) + '\n'
    print(text)
    if ARGS.out: Path(ARGS.out).write_text(text)
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main())
