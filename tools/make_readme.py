"Render README.md from nbs/index.ipynb (Quarto, which nbdev_readme needs, is not available here)."
from pathlib import Path
import nbformat
from nbconvert import MarkdownExporter
from build_docs import as_shown          # the directives read as the docs site reads them: one rule for both

root = Path(__file__).resolve().parent.parent
nb = as_shown(nbformat.read(root/'nbs'/'index.ipynb', as_version=4))
for c in nb.cells:
    if c.cell_type == 'markdown': c.source = c.source.replace('](images/', '](nbs/images/')   # the README sits above nbs/
body, _ = MarkdownExporter(exclude_raw=True).from_notebook_node(nb)
text = '<!-- generated from nbs/index.ipynb by tools/make_readme.py: do not edit -->\n\n' + body.strip() + '\n'
out = root/'README.md'
if not out.exists() or out.read_text() != text:
    out.write_text(text)
    print('wrote README.md')
