"""The README's command-line examples run as written, top to bottom, in a fresh folder, at tiny budgets: each line
is run with only its budget options cut (appended, so they win), and the Ctrl-C line follows a real interrupt."""
import os, shlex, signal, subprocess, time
from pathlib import Path

from conftest import DEEPRED, DATA

README = Path(__file__).resolve().parents[1]/'README.md'
CHEAP = {'restore': ['--iters', '4', '--quiet'], 'demo': ['--iters', '3', '--quiet'],
         'reproduce': ['--iters', '2', '--images', 'house', '--methods', 'nlm', 'dip', '--quiet'],
         'tune': ['--samples', '2', '--iters', '4', '--every', '2']}
NOT_HERE = {'--ray': 'needs a Ray cluster at HEAD:6379'}


def commands() -> list:
    "The lines of the README's sh block, continuations joined, comments dropped."
    text = README.read_text()
    text = text[text.index('## From the command line'):]
    block = text[text.index('```sh\n') + 6:]
    block = block[:block.index('```')].replace('\\\n', ' ')
    return [shlex.split(line, comments=True) for line in block.splitlines() if line.strip()]


def test_readme_commands_run_as_written(tmp_path):
    env = dict(os.environ, DEEPRED_DATA=str(DATA))
    ran = []
    for argv in commands():
        if any(k in argv for k in NOT_HERE): continue
        if argv[0] == 'python': argv = [str(Path(DEEPRED).parent/'python'), *argv[1:]]
        elif argv[0] == 'deepred': argv = [DEEPRED, *argv[1:], *CHEAP.get(argv[1], [])]
        if '--resume' in argv:                                 # the line after Ctrl-C: interrupt the run it continues first
            first = [a for a in argv if a != '--resume'][:-len(CHEAP['restore'])] + ['--iters', '300', '--quiet']
            p = subprocess.Popen(first, cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True)
            line = p.stderr.readline()
            while line.startswith('note:'): line = p.stderr.readline()
            time.sleep(1); p.send_signal(signal.SIGINT)
            _, err = p.communicate(timeout=60)
            assert p.returncode == 130 and 'continue with: deepred' in err, err
            argv = argv[:-len(CHEAP['restore'])] + ['--iters', '305', '--quiet']
        r = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
        assert r.returncode == 0, (shlex.join(argv), r.stderr[-2000:])
        ran.append(argv[1] if argv[0] == DEEPRED else argv[0])
    assert ran.count('restore') >= 5 and {'simulate', 'demo', 'reproduce', 'tune'} <= set(ran), ran
