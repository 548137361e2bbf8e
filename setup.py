"Install `deepred` from `settings.ini` (nbdev's single source of metadata)."
from configparser import ConfigParser
from pathlib import Path
import setuptools

cfg = ConfigParser(delimiters=['='])
cfg.read(Path(__file__).parent/'settings.ini', encoding='utf-8')
cfg = cfg['DEFAULT']
licenses = dict(apache2='Apache-2.0')           # an SPDX expression: setuptools deprecates licence classifiers
statuses = ['1 - Planning', '2 - Pre-Alpha', '3 - Alpha', '4 - Beta', '5 - Production/Stable', '6 - Mature', '7 - Inactive']
lic = licenses[cfg['license']]
readme = Path(__file__).parent/'README.md'

setuptools.setup(
    name=cfg['lib_name'], version=cfg['version'], description=cfg['description'],
    long_description=readme.read_text(encoding='utf-8') if readme.exists() else cfg['description'],
    long_description_content_type='text/markdown',
    author=cfg['author'], author_email=cfg['author_email'], license=lic, url=cfg['git_url'],
    keywords=cfg['keywords'].split(), python_requires='>=' + cfg['min_python'],
    classifiers=['Development Status :: ' + statuses[int(cfg['status'])], 'Intended Audience :: Science/Research',
                 'Programming Language :: Python :: 3',
                 'Topic :: Scientific/Engineering :: Image Processing'],
    packages=setuptools.find_packages(include=['deepred', 'deepred.*']), include_package_data=True,
    package_data={'deepred': ['paper_tables.json', 'data_registry.json']},
    install_requires=cfg['requirements'].split(),
    extras_require={'dev': cfg['dev_requirements'].split(), 'notebooks': cfg['notebook_requirements'].split(),
                    'ray': cfg['ray_requirements'].split(), 'gpu': cfg['gpu_requirements'].split()},
    entry_points={'console_scripts': cfg['console_scripts'].split()},
    zip_safe=False,
)
