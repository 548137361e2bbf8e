"Helpers shared by the tests: the `deepred` command as a subprocess, and a loopback mirror of a folder."
import subprocess, sys, threading
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
