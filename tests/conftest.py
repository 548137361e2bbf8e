"Helpers shared by the tests: the `deepred` command as a subprocess, and the paper's data beside the checkout."
import subprocess, sys
from pathlib import Path
import pytest

DEEPRED = str(Path(sys.executable).parent/'deepred')
SHARED = Path(__file__).resolve().parents[2]/'shared'      # the project's shared/ folder, beside the checkout

def run_deepred(*args, **kw):
    "`deepred ARGS…` in a subprocess, output captured as text."
    return subprocess.run([DEEPRED, *map(str, args)], capture_output=True, text=True, **kw)

@pytest.fixture(scope='session')
def shared():
    "The shared/ folder with the paper's tables and test images; the test is skipped where it is absent."
    if not (SHARED/'data').is_dir() or not (SHARED/'paper'/'tables.json').is_file():
        pytest.skip(f'the test images and paper tables are not at {SHARED} (shared/ beside the checkout)')
    return SHARED
