"Render README.md from nbs/index.ipynb (Quarto, which nbdev_readme needs, is not available here)."
import re
from pathlib import Path
import nbformat
from nbconvert import MarkdownExporter

root = Path(__file__).resolve().parent.parent
nb = nbformat.read(root/'nbs'/'index.ipynb', as_version=4)
# Directive comments (#| hide, #| export) are for nbdev; hidden cells stay out of the README.
nb.cells = [c for c in nb.cells if not c.source.lstrip().startswith('#| hide')]
for c in nb.cells:
    if c.cell_type == 'code':
        if re.search(r'^#\|\s*echo:\s*false', c.source, re.M): c.metadata['transient'] = dict(remove_source=True)   # output only
        c.source = '\n'.join(l for l in c.source.splitlines() if not l.startswith('#|'))
    else: c.source = c.source.replace('](images/', '](nbs/images/')     # the README sits one folder above the notebooks
body, _ = MarkdownExporter(exclude_raw=True).from_notebook_node(nb)
text = '<!-- generated from nbs/index.ipynb by tools/make_readme.py: do not edit -->\n\n' + body.strip() + '\n'
out = root/'README.md'
if not out.exists() or out.read_text() != text:
    out.write_text(text)
    print('wrote README.md')
