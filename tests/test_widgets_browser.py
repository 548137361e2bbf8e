"""The Tuner where users meet it: a real JupyterLab in a real headless Chromium. A notebook builds the tuner; the test
runs it, watches the view update during the run, moves the λ slider, runs again, checks that the image and the PSNR
readout changed, stops a run with the stop button, and saves a screenshot.

Needs `playwright` (the `dev` extras) and a headless Chromium (conftest's `chromium`: `$CHROMIUM_PATH`, the
developers' `shared/tools/chromium.sh`, or `playwright install chromium`); skipped, with the reason, where either is
missing. `DEEPRED_SCREENSHOT=PATH` also copies the screenshot there (the widgets chapter shows one)."""
import json, os, re, shutil, socket, subprocess, sys, time
import pytest

sync_api = pytest.importorskip('playwright.sync_api', reason='playwright is not installed (pip install -e ".[dev]")')
pytest.importorskip('jupyterlab', reason='jupyterlab is not installed (pip install -e ".[notebooks]")')

CELL = """import torch; torch.set_num_threads(1)
from deepred.widgets import Tuner
from deepred.images import example_image, to_tensor
small = dict(down=(16,) * 3, up=(16,) * 3, skip=(4,) * 3)
t = Tuner(clean=to_tensor(example_image('astronaut', 48)), task='denoise', device='cpu', update_every=5, net_kwargs=small)
t.iters.value, t.denoiser.value = 80, 'tv'
t"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@pytest.fixture(scope='module')
def lab(tmp_path_factory):
    "A JupyterLab server on a free port, serving a folder that holds tuner.ipynb; its URL."
    root = tmp_path_factory.mktemp('lab')
    nb = dict(cells=[dict(cell_type='code', metadata={}, source=CELL, outputs=[], execution_count=None)],
              metadata=dict(kernelspec=dict(name='python3', display_name='Python 3', language='python')), nbformat=4, nbformat_minor=5)
    (root/'tuner.ipynb').write_text(json.dumps(nb))
    port = _free_port()
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(root/'.config'), JUPYTERLAB_SETTINGS_DIR=str(root/'.settings'),
               JUPYTERLAB_WORKSPACES_DIR=str(root/'.workspaces'), JUPYTER_RUNTIME_DIR=str(root/'.runtime'))
    log = open(root/'lab.log', 'w')
    proc = subprocess.Popen([sys.executable, '-m', 'jupyter', 'lab', '--no-browser', f'--port={port}', '--ServerApp.ip=127.0.0.1',
                             '--IdentityProvider.token=', '--ServerApp.password=', f'--ServerApp.root_dir={root}',
                             '--LabApp.news_url=None', '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate',
                             *(['--allow-root'] if os.geteuid() == 0 else [])],
                            stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root)
    url = f'http://127.0.0.1:{port}'
    end = time.time() + 120
    while time.time() < end:
        if proc.poll() is not None: pytest.fail(f'jupyter lab exited: {(root/"lab.log").read_text()[-2000:]}')
        try:
            with socket.create_connection(('127.0.0.1', port), timeout=1): break
        except OSError: time.sleep(0.5)
    else: pytest.fail('jupyter lab did not start within 120 s')
    yield url
    proc.terminate()
    try: proc.wait(20)
    except subprocess.TimeoutExpired: proc.kill()


def _status(page) -> str:
    return page.locator('.widget-html-content').last.inner_text()


def _image_hash(page) -> str:
    "A digest of the estimate's PNG as the page holds it."
    return page.evaluate("""async () => {
        const img = document.querySelector('img.deepred-estimate');
        const buf = await (await fetch(img.src)).arrayBuffer();
        const d = new Uint8Array(await crypto.subtle.digest('SHA-256', buf));
        return Array.from(d).map(b => b.toString(16).padStart(2, '0')).join('');
    }""")


def _run_and_watch(page, timeout=240) -> list:
    "Press run; the distinct status texts seen until the run is done."
    seen, end = [], time.time() + timeout
    page.locator('button.widget-button', has_text='run').click()
    while time.time() < end:
        s = _status(page)
        if not seen or s != seen[-1]: seen.append(s)
        if '(done)' in s and any(t.startswith('iteration') and 'done' not in t for t in seen): return seen
        assert 'error' not in s.lower(), s
        time.sleep(0.05)
    raise AssertionError(f'the run did not finish in {timeout} s; statuses: {seen[-5:]}')


def _psnr(status: str) -> float:
    return float(re.search(r'PSNR ([\d.]+) dB', status).group(1))


def test_tuner_in_jupyterlab(chromium, lab, tmp_path):
    exe, args = chromium
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=args, headless=True)
        page = browser.new_page(viewport=dict(width=1100, height=900))
        errors = []
        page.on('pageerror', lambda e: errors.append(str(e)))
        page.goto(f'{lab}/lab/tree/tuner.ipynb', timeout=120_000)
        page.wait_for_selector('.jp-Notebook .jp-Cell .cm-content', timeout=120_000)
        page.wait_for_function("() => document.body.innerText.includes('| Idle')", timeout=120_000)   # the kernel is up
        page.locator('.jp-Notebook .jp-Cell .cm-content').first.click()
        page.keyboard.press('Shift+Enter')                    # run the cell: the tuner appears
        try: page.wait_for_selector('button.widget-button:has-text("run")', timeout=int(os.environ.get("TUNER_WAIT", 180_000)))
        except sync_api.TimeoutError:
            page.screenshot(path=str(tmp_path/'failure.png'), full_page=True)
            raise AssertionError(f"no tuner after 180 s (screenshot: {tmp_path/'failure.png'}); the page says: "
                                 f"{page.locator('body').inner_text()[-1500:]}") from None
        assert _status(page) == 'ready'
        no = page.locator('.jp-toast-button', has_text='No')        # JupyterLab's own news question, not ours
        if no.count(): no.first.click()
        before = _image_hash(page)

        first = _run_and_watch(page)
        live = [s for s in first if s.startswith('iteration') and 'done' not in s]
        assert len(live) >= 2, f'the view did not update while the run went on: {first}'
        psnr1, image1 = _psnr(first[-1]), _image_hash(page)
        assert image1 != before                               # the noisy input was replaced by the estimate

        lam = page.locator('.widget-hslider', has=page.locator('label', has_text='λ'))
        old = lam.locator('.widget-readout').inner_text()
        lam.locator('.noUi-handle').first.focus()
        for _ in range(8): page.keyboard.press('ArrowRight')  # λ × 10^0.4: each step is 0.05 in log10
        new = lam.locator('.widget-readout').inner_text()
        assert float(new) > float(old) * 2, (old, new)

        second = _run_and_watch(page)
        psnr2, image2 = _psnr(second[-1]), _image_hash(page)
        assert psnr2 != psnr1 and image2 != image1, (psnr1, psnr2)
        page.screenshot(path=str(tmp_path/'tuner.png'), full_page=True)

        its = page.locator('.widget-hslider', has=page.locator('label', has_text='iterations'))
        assert page.locator('button.widget-button', has_text='stop').is_disabled()   # nothing to stop between runs
        its.locator('.noUi-handle').first.focus()
        for _ in range(20): page.keyboard.press('PageUp')     # a long run: 5 steps of 10 iterations a press
        assert int(its.locator('.widget-readout').inner_text()) >= 500
        page.locator('button.widget-button', has_text='run').click()
        page.wait_for_function("() => { const s = [...document.querySelectorAll('.widget-html-content')].pop().innerText;"
                               " return /^iteration \\d+\\/\\d{3,}/.test(s) && !s.includes('('); }", timeout=60_000)
        assert page.locator('button.widget-button', has_text='run').is_disabled()    # one run at a time
        page.locator('button.widget-button', has_text='stop').click()
        page.wait_for_function("() => [...document.querySelectorAll('.widget-html-content')].pop().innerText.includes('(stopped)')",
                               timeout=60_000)

        text = page.locator('.jp-Notebook').inner_text()
        assert 'Error displaying widget' not in text and 'Traceback' not in text, text[-1000:]
        assert not errors, errors
        browser.close()
    assert (tmp_path/'tuner.png').stat().st_size > 10_000
    if os.environ.get('DEEPRED_SCREENSHOT'): shutil.copy(tmp_path/'tuner.png', os.environ['DEEPRED_SCREENSHOT'])
