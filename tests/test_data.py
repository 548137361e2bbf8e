"""The paper's test images from a pip install: `deepred data fetch` over a loopback HTTP server (pooch, hashes checked),
a tampered file refused, the upstream layout with a TIFF source converted, and `--data`'s defaults. Nothing here
leaves this machine."""
import json, os, shutil
from pathlib import Path
import pytest
from PIL import Image
from conftest import DATA, run_deepred
import deepred.data as dd


def _tamper(path: Path):
    b = bytearray(path.read_bytes()); b[len(b) // 2] ^= 0xFF; path.write_bytes(bytes(b))


def test_fetch_all_sets_from_a_mirror(serve, tmp_path):
    url, dest = serve(DATA), tmp_path/'cache'
    r = run_deepred('data', 'fetch', dest, '--url', url, '--quiet')
    assert r.returncode == 0, r.stderr
    assert f'{dest}: all 32 test images' in r.stdout
    assert dd.verify(dest) == 32
    for k in dd.registry(): assert (dest/k).read_bytes() == (DATA/k).read_bytes()
    assert not [p for p in dest.rglob('*') if p.is_file() and p.suffix != '.png']        # no temporary files left
    r = run_deepred('data', 'verify', dest)
    assert r.returncode == 0 and 'match the registry' in r.stdout


def test_a_tampered_file_is_refused_and_named(serve, tmp_path):
    mirror = tmp_path/'mirror'
    shutil.copytree(DATA/'ncsr', mirror/'ncsr')
    _tamper(mirror/'ncsr'/'leaves.png')
    url, dest = serve(mirror), tmp_path/'cache'
    r = run_deepred('data', 'fetch', dest, '--sets', 'ncsr', '--url', url, '--quiet')
    assert r.returncode == 1 and 'ncsr/leaves.png' in r.stderr and 'sha256' in r.stderr
    assert len(r.stderr.strip().splitlines()) == 2 and 'Traceback' not in r.stderr     # the 'fetching' line and the error
    assert not (dest/'ncsr'/'leaves.png').exists()
    shutil.copy(DATA/'ncsr'/'leaves.png', mirror/'ncsr'/'leaves.png')                  # the mirror repaired: fetch completes
    assert run_deepred('data', 'fetch', dest, '--sets', 'ncsr', '--url', url, '--quiet').returncode == 0
    _tamper(dest/'ncsr'/'starfish.png')                                                 # a file changed on disk later
    r = run_deepred('data', 'verify', dest, '--sets', 'ncsr')
    assert r.returncode == 1 and 'ncsr/starfish.png (changed)' in r.stderr


def test_upstream_layout_and_a_tiff_source(serve, tmp_path, monkeypatch):
    "Each file from `UPSTREAM/repo/commit/path`; parrots' source is a TIFF, checked by its blob id, then stored as PNG."
    up = tmp_path/'upstream'
    parrots = dict(dd.registry()['ncsr/parrots.png'])
    for k, e in dd._entries(['ncsr']).items():
        src = up/e['repo']/e['commit']/e['path']
        src.parent.mkdir(parents=True, exist_ok=True)
        if k == 'ncsr/parrots.png': Image.open(DATA/k).save(src, format='TIFF')
        else: shutil.copy(DATA/k, src)
    monkeypatch.setattr(dd, 'UPSTREAM', serve(up).rstrip('/'))
    monkeypatch.delenv(dd.URL_ENV, raising=False)
    # the TIFF made here is not the recorded source file: refused by its blob id
    with pytest.raises(dd.DataError, match='ncsr/parrots.png: the downloaded parrots.tif is not the recorded source'):
        dd.fetch(tmp_path/'a', ['ncsr'])
    assert not list((tmp_path/'a'/'ncsr').glob('parrots*'))
    src = up/parrots['repo']/parrots['commit']/parrots['path']
    monkeypatch.setitem(dd.registry(), 'ncsr/parrots.png', dict(parrots, blob=dd.git_blob_id(src)))
    assert dd.fetch(tmp_path/'a', ['ncsr']) == tmp_path/'a'
    assert dd.verify(tmp_path/'a', ['ncsr']) == 4
    assert sorted(p.name for p in (tmp_path/'a'/'ncsr').iterdir()) == ['butterfly.png', 'leaves.png', 'parrots.png', 'starfish.png']


def test_unreachable_source_is_one_line(tmp_path):
    r = run_deepred('data', 'fetch', tmp_path/'c', '--sets', 'ncsr', '--url', 'http://127.0.0.1:9/', '--quiet')
    assert r.returncode == 1 and 'could not download it from http://127.0.0.1:9/' in r.stderr and 'Traceback' not in r.stderr


def test_a_pip_install_reads_the_cache(serve, tmp_path, monkeypatch):
    "Without the repository's data/, the sets are looked for in pooch's cache; until fetched, the error says how."
    from deepred.tables import reproduce
    monkeypatch.setattr(dd, 'repo_data', lambda: None)
    monkeypatch.delenv(dd.DATA_ENV, raising=False)
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path/'xdg'))
    assert dd.data_dir() == tmp_path/'xdg'/'deepred'
    with pytest.raises(dd.DataError, match='deepred data fetch'): reproduce('deblur-gauss', None, tmp_path/'o', methods=['input'])
    assert not (tmp_path/'o').exists()
    monkeypatch.setenv(dd.URL_ENV, serve(DATA))
    dd.fetch(sets=['ncsr'])
    reproduce('deblur-gauss', None, tmp_path/'o', methods=['input'], progress=False)
    got = json.loads((tmp_path/'o'/'results.json').read_text())['psnr']
    assert sorted(got) == ['butterfly', 'leaves', 'parrots', 'starfish']


def test_data_option_and_environment(tmp_path):
    empty = tmp_path/'empty'; empty.mkdir()
    r = run_deepred('reproduce', 'deblur-gauss', '--data', empty, '--methods', 'input', '-o', tmp_path/'o')
    assert r.returncode == 1 and f'--data {empty}: no folder ncsr/ there' in r.stderr and not (tmp_path/'o').exists()
    r = run_deepred('reproduce', 'deblur-gauss', '--methods', 'input', '-o', tmp_path/'o', env={**os.environ, dd.DATA_ENV: str(empty)})
    assert r.returncode == 1 and 'deepred data fetch' in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = run_deepred('reproduce', 'deblur-gauss', '--data', DATA, '--methods', 'input', '--images', 'leaves', '-o', tmp_path/'o', '--quiet')
    assert r.returncode == 0, r.stderr
