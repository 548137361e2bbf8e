"Helpers shared by the tests: the `deepred` command as a subprocess, and a loopback mirror of a folder."
import json, os, re, subprocess, sys, threading
from functools import partial
from http.server import ThreadingHTTPServer, SimpleHTTPRequestHandler
from pathlib import Path
import pytest

DEEPRED = str(Path(sys.executable).parent/'deepred')
DATA = Path(__file__).resolve().parents[1]/'data'         # the paper's test images, shipped in the repository
SHARED = Path(__file__).resolve().parents[2]/'shared'     # the developers' shared/ beside the checkout (its headless Chromium)

def run_deepred(*args, **kw):
    "`deepred ARGS…` in a subprocess, output captured as text."
    return subprocess.run([DEEPRED, *map(str, args)], capture_output=True, text=True, **kw)

# A process that imports the command line once and forks a child per command: a command refused before any work then
# costs milliseconds, not the seconds of importing torch. The child is the `deepred` process but for that import.
_FORKER = r"""
import json, os, sys, traceback
from deepred.cli import main
for line in sys.stdin:
    req = json.loads(line)
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            for fd, path in ((0, os.devnull), (1, req['out']), (2, req['err'])):
                os.dup2(os.open(path, os.O_RDONLY if fd == 0 else os.O_WRONLY | os.O_CREAT | os.O_TRUNC), fd)
            os.chdir(req['cwd']); os.environ.clear(); os.environ.update(req['env'])
            sys.argv = ['deepred', *req['args']]
            code = main()
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) or e.code is None else 1
            if not isinstance(e.code, int) and e.code is not None: print(e.code, file=sys.stderr)
        except BaseException: traceback.print_exc()
        finally:
            sys.stdout.flush(); sys.stderr.flush()
            os._exit(code or 0)
    print(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]), flush=True)
"""

@pytest.fixture(scope='session')
def forked_deepred():
    "`forked_deepred(*args, timeout=120)`: `deepred ARGS…` forked from a process that imported it once (see _FORKER)."
    import select, tempfile
    proc = subprocess.Popen([sys.executable, '-c', _FORKER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    def run(*args, timeout=120):
        with tempfile.TemporaryDirectory() as d:
            args = [str(a) for a in args]
            req = dict(args=args, cwd=os.getcwd(), env=dict(os.environ), out=f'{d}/out', err=f'{d}/err')
            proc.stdin.write(json.dumps(req) + '\n'); proc.stdin.flush()
            if not select.select([proc.stdout], [], [], timeout)[0]:
                proc.kill(); raise TimeoutError(f'deepred {" ".join(args)}: no answer in {timeout} s')
            code = int(proc.stdout.readline())
            return subprocess.CompletedProcess(['deepred', *args], code, Path(d, 'out').read_text(), Path(d, 'err').read_text())
    yield run
    proc.stdin.close(); proc.wait(30)

@pytest.fixture(scope='session')
def problem(tmp_path_factory):
    "A folder with `clean.png` (a 48² crop of 'astronaut') and `y.npy`, its simulated denoising measurement."
    from deepred.images import example_image, save_image
    d = tmp_path_factory.mktemp('problem')
    save_image(d/'clean.png', example_image('astronaut', 48))
    assert run_deepred('simulate', d/'clean.png', '--task', 'denoise', '-o', d/'y.npy').returncode == 0
    return d

class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args): pass

@pytest.fixture
def serve():
    "`serve(folder)` → the URL of an HTTP server on 127.0.0.1 that serves `folder`; stopped after the test."
    servers = []
    def start(folder):
        srv = ThreadingHTTPServer(('127.0.0.1', 0), partial(_Quiet, directory=str(folder)))
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
        return f'http://127.0.0.1:{srv.server_port}/'
    yield start
    for s in servers: s.shutdown(); s.server_close()


@pytest.fixture(scope='session')
def chromium():
    """(executable, args) of a headless Chromium for the browser tests: `$CHROMIUM_PATH` (a user's own Chromium or
    Chrome), else the developers' `shared/tools/chromium.sh` (from the npm registry), else playwright's own
    (`playwright install chromium`); the test is skipped, with the reason, where there is none."""
    if os.environ.get('CHROMIUM_PATH'): return os.environ['CHROMIUM_PATH'], json.loads(os.environ.get('CHROMIUM_ARGS', '[]'))
    script = SHARED/'tools'/'chromium.sh'
    if script.is_file():
        r = subprocess.run(['bash', str(script)], capture_output=True, text=True, timeout=300)
        env = {k: a or b for k, a, b in re.findall(r"export (\w+)=(?:'(.*)'|\"(.*)\")", r.stdout)}
        if r.returncode == 0 and 'CHROMIUM_PATH' in env: return env['CHROMIUM_PATH'], json.loads(env.get('CHROMIUM_ARGS', '[]'))
    sync_api = pytest.importorskip('playwright.sync_api', reason='playwright is not installed (pip install -e ".[dev]")')
    with sync_api.sync_playwright() as p: exe = p.chromium.executable_path
    if not Path(exe).is_file():
        pytest.skip('no headless Chromium: set CHROMIUM_PATH to a Chromium or Chrome, or run `playwright install chromium`')
    return exe, []
