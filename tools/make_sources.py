"Write data/SOURCES.md from the registry (deepred/data_registry.json), the single source of the test images' facts."
from pathlib import Path
from deepred.data import sources_markdown

out = Path(__file__).resolve().parent.parent/'data'/'SOURCES.md'
text = sources_markdown()
if not out.exists() or out.read_text(encoding='utf-8') != text:
    out.write_text(text, encoding='utf-8')
    print(f'wrote {out}')
