"""The Tuner as JupyterLab sees it: a real kernel, the widget comms it opens, a click sent as the frontend sends it
(a `comm_msg` with a `custom` click event), and the state updates that stream back while the run goes on."""
import time
import pytest

jupyter_client = pytest.importorskip('jupyter_client')
pytest.importorskip('ipykernel')

SETUP = """
from deepred.widgets import Tuner
from deepred.images import example_image, to_tensor
small = dict(down=(16,) * 3, up=(16,) * 3, skip=(4,) * 3)
t = Tuner(clean=to_tensor(example_image('astronaut', 32)), task='denoise', device='cpu', update_every=5, net_kwargs=small)
t.iters.value = 30
t.denoiser.value = 'tv'
display(t)
"""

def _drain(kc, until, timeout):
    "iopub messages until `until(msg)` is true (returns them all) or the timeout."
    msgs, end = [], time.time() + timeout
    while time.time() < end:
        try: m = kc.get_iopub_msg(timeout=1)
        except Exception: continue
        msgs.append(m)
        if until(m): return msgs
    raise AssertionError(f'timed out; last messages: {[m["msg_type"] for m in msgs[-10:]]}')

@pytest.fixture
def kernel():
    km, kc = jupyter_client.manager.start_new_kernel(kernel_name='python3')
    yield kc
    kc.stop_channels(); km.shutdown_kernel(now=True)

def test_click_run_streams_updates(kernel):
    kc = kernel
    kc.execute(SETUP)
    msgs = _drain(kc, lambda m: m['msg_type'] == 'status' and m['content']['execution_state'] == 'idle', 120)
    errors = [m['content'] for m in msgs if m['msg_type'] == 'error']
    assert not errors, errors
    models = {m['content']['comm_id']: m['content']['data']['state'] for m in msgs if m['msg_type'] == 'comm_open'}
    shown = [m for m in msgs if m['msg_type'] == 'display_data']
    assert shown and 'application/vnd.jupyter.widget-view+json' in shown[0]['content']['data']
    run_id = next(c for c, s in models.items() if s.get('_model_name') == 'ButtonModel' and s.get('description') == 'run')
    status_id = next(c for c, s in models.items() if s.get('_model_name') == 'HTMLModel' and s.get('value') == 'ready')
    image_id = next(c for c, s in models.items() if 'deepred-estimate' in s.get('_dom_classes', ()))     # the estimate
    # the frontend's click: a comm message to the button's model
    kc.shell_channel.send(kc.session.msg('comm_msg', {'comm_id': run_id, 'data': {'method': 'custom', 'content': {'event': 'click'}}}))
    done = lambda m: (m['msg_type'] == 'comm_msg' and m['content']['comm_id'] == status_id
                      and 'done' in m['content']['data'].get('state', {}).get('value', ''))
    msgs = _drain(kc, done, 300)
    updates = [m for m in msgs if m['msg_type'] == 'comm_msg' and m['content']['data'].get('method') == 'update']
    statuses = [m['content']['data']['state']['value'] for m in updates if m['content']['comm_id'] == status_id]
    images = [m for m in updates if m['content']['comm_id'] == image_id]
    assert len(images) >= 3, 'the image should refresh during the run (every 5 of 30 iterations)'
    assert any(s.startswith('iteration 10/30') for s in statuses) and statuses[-1].startswith('iteration 30/30')
    assert 'PSNR' in statuses[-1]
