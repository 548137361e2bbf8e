"""The documentation site (`make docs`, tools/build_docs.py): every chapter becomes a page with its stored outputs,
and no image or link on it is broken. Checked twice: from the HTML (every image's file or data, every relative link's
page and anchor), and in a real headless Chromium (each page loads, each image decodes; a screenshot of one chapter)."""
import os, shutil, subprocess, sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit, unquote
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT/'tools'))
from build_docs import page_name


@pytest.fixture(scope='module')
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp('site')
    r = subprocess.run([sys.executable, str(ROOT/'tools'/'build_docs.py'), '--out', str(out), '--nbconvert'],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    return out


class _Page(HTMLParser):
    "The ids, image sources and link targets of one page."
    def __init__(self):
        super().__init__()
        self.ids, self.imgs, self.links = set(), [], []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get('id'): self.ids.add(a['id'])
        if tag == 'img': self.imgs.append(a.get('src', ''))
        if tag == 'a' and a.get('href'): self.links.append(a['href'])


def _parse(p: Path) -> _Page:
    page = _Page(); page.feed(p.read_text()); return page


def test_every_chapter_has_its_page_and_outputs(site):
    nbs = sorted(p for p in (ROOT/'nbs').glob('*.ipynb') if not p.name.startswith('_'))
    for nb_path in nbs:
        page = site/page_name(nb_path)
        assert page.is_file(), f'{nb_path.name} has no page'
        nb = nbformat.read(nb_path, as_version=4)
        pngs = sum('image/png' in o.get('data', {}) for c in nb.cells if c.cell_type == 'code' for o in c.outputs
                   if not c.source.lstrip().startswith('#| hide'))
        shown = sum(s.startswith('data:image/png') for s in _parse(page).imgs)
        assert shown >= pngs, f'{page.name}: {shown} of the notebook\'s {pngs} figures'


def test_no_broken_image_or_link(site):
    pages = {p.name: _parse(p) for p in site.glob('*.html')}
    broken = []
    for name, page in pages.items():
        for src in page.imgs:
            if not src.startswith('data:') and not urlsplit(src).scheme and not (site/unquote(src)).is_file():
                broken.append(f'{name}: image {src}')
        for href in page.links:
            u = urlsplit(href)
            if u.scheme or href.startswith('mailto:'): continue            # outside the site: not ours to check offline
            target = pages.get(u.path or name)
            # a fragment matches an id as written or decoded, as in a browser
            if target is None: broken.append(f'{name}: link {href} (no such page)')
            elif u.fragment and not {u.fragment, unquote(u.fragment)} & target.ids: broken.append(f'{name}: link {href} (no such anchor)')
    assert not broken, '\n'.join(broken)


def test_site_in_a_browser(site, chromium, tmp_path):
    sync_api = pytest.importorskip('playwright.sync_api', reason='playwright is not installed (pip install -e ".[dev]")')
    exe, args = chromium
    problems = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=args, headless=True)
        page = browser.new_page(viewport=dict(width=1280, height=900))
        page.route('http*://**', lambda route: route.abort())            # offline: the site's own files only
        errors = []
        page.on('pageerror', lambda e: errors.append(str(e)))
        for f in sorted(site.glob('*.html')):
            page.goto(f.as_uri(), wait_until='load', timeout=60_000)
            bad = page.evaluate("() => [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src.slice(0, 80))")
            if bad: problems.append(f'{f.name}: images that did not load: {bad}')
            if not page.locator('nav.sidebar a').count(): problems.append(f'{f.name}: no sidebar')
            if f.name == 'deepred.html':               # the equations typeset (MathJax beside the pages, offline)
                page.wait_for_selector('.MathJax_CHTML, .MathJax, .MathJax_SVG', timeout=60_000)
                page.wait_for_timeout(1000)
                page.screenshot(path=str(tmp_path/'docs-page.png'))
        browser.close()
    assert not problems, '\n'.join(problems)
    assert (tmp_path/'docs-page.png').stat().st_size > 10_000
    if os.environ.get('DEEPRED_DOCS_SCREENSHOT'): shutil.copy(tmp_path/'docs-page.png', os.environ['DEEPRED_DOCS_SCREENSHOT'])
