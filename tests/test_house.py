"""The house's rules (issue 23), checked on the exported package: library messages name settings, not flags; no
module over 350 lines; no function over 40; no module importing one of a later chapter."""
import importlib.util
from pathlib import Path
import pytest

_spec = importlib.util.spec_from_file_location('house', Path(__file__).resolve().parents[1]/'tools'/'house.py')
house = importlib.util.module_from_spec(_spec); _spec.loader.exec_module(house)
MODULES = house.modules()


@pytest.mark.parametrize('name', [n for n in MODULES if n != 'cli'])
def test_library_messages_name_no_flag(name):
    assert house.flag_messages(MODULES[name]) == []


def test_flag_messages_are_found():
    src = 'def f(x):\n    if x: raise ValueError(f"{x}: use --iters 5")\n    raise SettingError("iters", "must be at least 1")\n'
    assert house.flag_messages(src) == [': use --iters 5']


@pytest.mark.parametrize('name', list(MODULES))
def test_module_and_functions_are_small(name):
    assert len(MODULES[name].splitlines()) <= 350
    assert house.long_functions(MODULES[name]) == []


@pytest.mark.parametrize('name', list(MODULES))
def test_no_module_imports_a_later_chapter(name):
    assert house.upward_imports(name, MODULES[name], house.chapters()) == []


def test_upward_imports_are_found():
    order = dict(core='00_core', tables='12b_tables', cluster='11_cluster', widgets='10_widgets')
    src = 'from .core import x\ndef f():\n    from deepred.tables import reproduce\n'
    assert house.upward_imports('cluster', src, order) == ['tables']
    assert house.upward_imports('widgets', 'from .core import x\n', order) == []
