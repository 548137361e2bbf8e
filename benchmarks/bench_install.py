"""What `make demo` and `make setup` install, size on disk and time, each in a fresh virtual environment, and how long
the demo itself runs:

    python benchmarks/bench_install.py [--out benchmarks/results_install.md]

`demo` is what `make demo` installs (torch and the package); `full` adds the `dev` and `notebooks` extras, what
`make test` installs (and what `make demo` installed before it installed the base package alone). Times include
the downloads from the package index (pip's cache as it is), so they depend on the network too. The demo runs once,
alone on the machine, with the demo venv. `--out X.md` also writes X.json, which the README reads.
"""
import argparse, json, os, platform, shutil, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TORCH = 'torch==2.13.0'          # as the Makefile pins it


def du(path: Path) -> int:
    "Bytes under `path`."
    return sum(p.stat().st_size for p in path.rglob('*') if p.is_file() and not p.is_symlink())


def pip(venv: Path, *args):
    subprocess.run([str(venv/'bin'/'python'), '-m', 'pip', 'install', '-q', *args], check=True, cwd=ROOT)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--out', default=None, help='also write the table here (Markdown)')
    args = p.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix='install-'))
    rows = []
    for name, extras in (('demo (`make demo`)', ''), ('full (`make setup`, `make test`)', '[dev,notebooks]')):
        venv = tmp/'venv'
        shutil.rmtree(venv, ignore_errors=True)
        t = time.perf_counter()
        subprocess.run([sys.executable, '-m', 'venv', str(venv)], check=True)
        pip(venv, '--upgrade', 'pip'); pip(venv, TORCH); pip(venv, '-e', f'.{extras}')
        rows.append((name, time.perf_counter() - t, du(venv)))
        if not extras:                            # the demo, as `make demo` runs it after the install
            t = time.perf_counter()
            subprocess.run([str(venv/'bin'/'deepred'), 'demo', '--quiet', '-o', str(tmp/'demo_out')], check=True, cwd=tmp)
            demo_s = time.perf_counter() - t
    shutil.rmtree(tmp, ignore_errors=True)
    import torch
    cpu = torch.cpu.get_capabilities().get('cpu_name') or platform.processor()
    text = '\n'.join([f'Install sizes and times: {cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}; '
                      f'each in a fresh venv, downloads included.', '',
                      '| install | time (s) | size (MB) |', '|---|---|---|',
                      *[f'| {n} | {s:.0f} | {b / 2 ** 20:.0f} |' for n, s, b in rows], '',
                      f'`deepred demo` (defaults, after the demo install): {demo_s:.0f} s.']) + '\n'
    print(text)
    if args.out:
        Path(args.out).write_text(text)
        facts = dict(cpu=cpu, cpus=os.cpu_count(), python=platform.python_version(), demo_seconds=round(demo_s),
                     installs={n.split()[0]: dict(seconds=round(s), megabytes=round(b / 2 ** 20)) for n, s, b in rows})
        Path(args.out).with_suffix('.json').write_text(json.dumps(facts, indent=2) + '\n')


if __name__ == '__main__':
    main()
