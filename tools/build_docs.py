"""Build the documentation site from the notebooks and their stored outputs: `python tools/build_docs.py [--out DIR]`.

With Quarto on the PATH this is `nbdev_docs`. Without it (Quarto's wheel on the package index downloads the program
from a host this machine cannot reach), the same site is made with nbconvert, the way nbdev shows a notebook: hidden
cells left out, directive comments removed, exported code shown through its `show_doc` entry (added under each
exported cell for every public name it defines, as nbdev does), one page per chapter
named as nbdev names it (`03_engine.ipynb` → `engine.html`), links between notebooks and to the site's own address
made relative, `nbs/images` copied beside the pages, and a sidebar of the chapters in reading order.

The pages show what the notebooks hold: run `make notebooks` first to refresh their outputs."""
import argparse, ast, html, importlib, re, shutil, subprocess, sys
from pathlib import Path
import nbformat
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parent.parent
NBS = ROOT/'nbs'
SITE = 'https://deepred.github.io/deepred/'          # settings.ini's doc_host + doc_baseurl: links to it become relative


def page_name(nb: Path) -> str:
    "The page nbdev (and Quarto) make of a notebook: its number prefix dropped."
    return re.sub(r'^\d+[a-z]?_', '', nb.stem) + '.html'


def title(nb) -> str:
    "The chapter's title: its first level-1 heading."
    for c in nb.cells:
        m = c.cell_type == 'markdown' and re.search(r'^#\s+(.+)$', c.source, re.M)
        if m: return m.group(1).strip()
    return 'deepred'


def _directives(src: str) -> set:
    return {l[2:].split()[0] for l in src.splitlines() if l.startswith('#|') and l[2:].split()}


def _module(nb):
    "The module a notebook exports to (its `#| default_exp`), imported; None for a notebook that exports nothing."
    for c in nb.cells:
        m = c.cell_type == 'code' and re.search(r'^#\|\s*default_exp\s+(\S+)', c.source, re.M)
        if m: return importlib.import_module(f'deepred.{m.group(1)}')


def _public(src: str, module) -> list:
    "The public functions, classes and `@patch`ed methods a cell defines, as objects of `module`."
    objs = []
    for node in ast.parse(src).body:
        if not isinstance(node, (ast.FunctionDef, ast.ClassDef)) or node.name.startswith('_'): continue
        patched = any(getattr(d, 'id', None) == 'patch' for d in node.decorator_list) and node.args.args
        owner = getattr(module, node.args.args[0].annotation.id, None) if patched and node.args.args[0].annotation else module
        if getattr(owner, node.name, None) is not None: objs.append(getattr(owner, node.name))
    return objs


def as_shown(nb):
    "The notebook as a reader of the site sees it: hidden cells out, exported code replaced by its show_doc, no directives."
    from nbdev.showdoc import show_doc
    module, cells = _module(nb), []
    documented = set(re.findall(r'show_doc\((\w[\w.]*)', ''.join(c.source for c in nb.cells if c.cell_type == 'code')))
    for c in nb.cells:
        if c.cell_type != 'code': cells.append(c); continue
        d, echo_off = _directives(c.source), re.search(r'^#\|\s*echo:\s*false', c.source, re.M)
        if d & {'hide', 'exporti'}: continue
        c.source = '\n'.join(l for l in c.source.splitlines() if not l.startswith('#|')).strip()
        hide_input = 'export' in d or 'hide_input' in d or c.source.startswith('show_doc(') or bool(echo_off)
        if hide_input: c.metadata['transient'] = dict(remove_source=True)
        if c.outputs or not (hide_input or not c.source): cells.append(c)     # nothing to show: left out
        if 'export' in d and module is not None:
            for obj in _public(c.source, module):
                if obj.__qualname__ not in documented and obj.__name__ not in documented:
                    cells.append(nbformat.v4.new_markdown_cell(show_doc(obj)._repr_markdown_()))
    nb.cells = cells
    return nb


def _links(body: str, pages: dict) -> str:
    "Links to notebooks become links to their pages; links to the published site become relative."
    body = body.replace(SITE, '')
    def to_page(m):
        stem = m.group(2)
        return f'{m.group(1)}{pages.get(stem, stem + ".html")}{m.group(3) or ""}"'
    return re.sub(r'(href=")(?:\./)?([\w-]+)\.ipynb(#[^"]*)?"', to_page, body)


def _sidebar(toc: list, current: str) -> str:
    items = ''.join(f'<li{" class=current" if p == current else ""}><a href="{p}">{html.escape(t)}</a></li>' for p, t in toc)
    return f'<nav class="sidebar"><a class="home" href="index.html">deepred</a><ol>{items}</ol></nav>'


STYLE = """<style>
nav.sidebar { position: fixed; top: 0; left: 0; width: 15rem; height: 100vh; overflow-y: auto; padding: 1rem;
  box-sizing: border-box; border-right: 1px solid #ddd; font: 14px/1.5 system-ui, sans-serif; background: #fafafa; }
nav.sidebar ol { padding-left: 1.2rem; } nav.sidebar .current a { font-weight: 600; }
nav.sidebar a.home { font-size: 1.2rem; font-weight: 700; text-decoration: none; }
body > main { margin-left: 16rem; max-width: 60rem; }
</style>"""


def build_with_nbconvert(out: Path) -> list:
    "Write the site into `out`; the pages written."
    nbs = sorted(p for p in NBS.glob('*.ipynb') if not p.name.startswith('_'))
    nbs.sort(key=lambda p: p.stem != 'index')                     # the index first, then the chapters in reading order
    pages = {p.stem: page_name(p) for p in nbs}
    books = {p: nbformat.read(p, as_version=4) for p in nbs}
    toc = [(pages[p.stem], title(nb)) for p, nb in books.items()]
    exporter = HTMLExporter(template_name='lab', exclude_input_prompt=True, exclude_output_prompt=True)
    if out.exists(): shutil.rmtree(out)
    out.mkdir(parents=True)
    if (NBS/'images').is_dir(): shutil.copytree(NBS/'images', out/'images')
    try:                                          # MathJax beside the pages (the dev extras), so equations render offline too
        import jupyter_server_mathjax
        shutil.copytree(Path(jupyter_server_mathjax.__file__).parent/'static', out/'mathjax')
        exporter.mathjax_url = 'mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe'
    except ImportError: pass                      # nbconvert's default: MathJax from its CDN
    written = []
    for p, nb in books.items():
        body, _ = exporter.from_notebook_node(as_shown(nb), resources=dict(metadata=dict(name=title(nb))))
        body = _links(body, pages)
        body = body.replace('</head>', STYLE + '</head>', 1)
        body = re.sub(r'(<body[^>]*>)', lambda m: m.group(1) + _sidebar(toc, pages[p.stem]) + '<main>', body, count=1)
        body = body.replace('</body>', '</main></body>', 1)
        (out/pages[p.stem]).write_text(body)
        written.append(out/pages[p.stem])
    return written


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--out', type=Path, default=ROOT/'_docs', help='the site folder (default: _docs, as settings.ini says)')
    ap.add_argument('--nbconvert', action='store_true', help='use nbconvert even where Quarto is installed')
    a = ap.parse_args(argv)
    if shutil.which('quarto') and not a.nbconvert and a.out == ROOT/'_docs':
        sys.exit(subprocess.call([str(Path(sys.executable).parent/'nbdev_docs')], cwd=ROOT))
    pages = build_with_nbconvert(a.out.resolve())
    print(f'{len(pages)} pages in {a.out} (open {a.out/"index.html"})')


if __name__ == '__main__': main()
