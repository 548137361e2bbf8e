#!/bin/bash
# The wheels a GPU session needs that the device image lacks, into .whl/ (ignored by git), for the device's Python:
#   bash benchmarks/gpu_wheels.sh            # here, where pip reaches the package index; then the device call
#   run(command="bash benchmarks/gpu_session.sh", carry=[".whl"])   # gpu_session.sh installs them first
# The image holds torch, torchvision, NumPy, SciPy, scikit-image, matplotlib, tqdm, Pillow, tifffile, einops, h5py,
# torchmetrics and requests (the device library's KINDS.md lists it); deepred needs fastcore, pypng, bm3d (with bm4d)
# and pooch (with platformdirs) besides, and its [gpu] extra deepinv (with natsort) and ptwt (with PyWavelets).
# Each is pinned to the version this .venv runs, where it has it, so that the device runs what the tests ran here.
set -eu
PY=${PY:-.venv/bin/python}; DEST=${DEST:-.whl}; DEVICE_PYTHON=${DEVICE_PYTHON:-3.12}
NEEDED="fastcore pypng bm3d bm4d pooch platformdirs deepinv natsort ptwt PyWavelets"
specs=$($PY -c "
import sys
from importlib.metadata import version, PackageNotFoundError
def pin(name):
    try: return f'{name}=={version(name)}'
    except PackageNotFoundError: return name                  # not installed here: the newest the index has
print(' '.join(pin(n) for n in sys.argv[1:]))" $NEEDED)
platforms=""
for p in manylinux_2_28_x86_64 manylinux_2_27_x86_64 manylinux_2_17_x86_64 manylinux2014_x86_64 manylinux1_x86_64 any; do
  platforms="$platforms --platform $p"; done
rm -rf "$DEST.new"; mkdir -p "$DEST.new"
for spec in $specs; do                                           # one by one: pip names the one it cannot find
  python3 -m pip download -q --no-deps --only-binary=:all: --python-version $DEVICE_PYTHON --implementation cp $platforms \
    -d "$DEST.new" "$spec" 2>&1 | grep -v "^WARNING: Location" || true
  ls "$DEST.new" | grep -qi "^$(echo ${spec%%==*} | tr - _)-" || { echo "gpu_wheels: no wheel of $spec for Python $DEVICE_PYTHON; nothing replaced" >&2; exit 1; }
done
rm -rf "$DEST"; mv "$DEST.new" "$DEST"                          # the old set stays until the new one is whole
du -sh "$DEST"; ls "$DEST"
