#!/bin/bash
# One prepared GPU session (run through the device tool, or on any CUDA machine from the repo root):
#   1. benchmarks/bench_iteration.py on the GPU (seconds per iteration, DeepRED/DIP, peak memory);
#   2. side by side, the full-protocol denoising run on chosen images (Table 1 budgets, one process per image)
#      and the quick protocol of the other experiments; everything that finishes lands in $OUT/runs.tgz.
# Needs: the test images in $DATA (a copy of shared/data: cbm3d9/, set5/, set14/, ncsr/), and where bm3d/pypng are
# missing, their wheels in .whl/ (see the device tool's README).
set -u
OUT=${OUT:-/tmp/gpu_out}; DATA=${DATA:-gpu_data}; DEVICE=${DEVICE:-cuda}; T=${T:-360}
FULL=${FULL-"house F16"}; QUICK=${QUICK-"sr4-set5 sr8-set5 deblur-gauss deblur-uniform-grey deblur-gauss-grey sr4-set14 sr8-set14"}
mkdir -p $OUT runs; export PYTHONUNBUFFERED=1
if [ -z "${NO_WHL:-}" ] && ls .whl/*.whl >/dev/null 2>&1; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 1
  export PYTHONPATH=$PWD:/tmp/site
else export PYTHONPATH=$PWD; fi
deepred() { python3 -c 'import sys; from deepred.cli import main; sys.exit(main(sys.argv[1:]))' "$@"; }
{ nvidia-smi -L; python3 -c "import torch; print('torch', torch.__version__, torch.cuda.get_device_name() if torch.cuda.is_available() else 'no GPU')"; nproc; } > $OUT/machine.txt 2>&1
timeout 120 python3 benchmarks/bench_iteration.py --device $DEVICE --sizes 128 256 512 --iters ${BENCH_ITERS:-40} --out $OUT/bench.md > $OUT/bench.log 2>&1
echo "bench rc=$?" >> $OUT/machine.txt
start=$(date +%s)
for img in $FULL; do
  (OMP_NUM_THREADS=2 timeout $T bash -c "$(declare -f deepred); deepred reproduce denoise --data $DATA --images $img --device $DEVICE -o runs/denoise-full-$img" > runs/denoise-full-$img.log 2>&1
   echo "denoise-full-$img rc=$? seconds=$(( $(date +%s) - start ))" >> runs/times.txt) &
done
for e in $QUICK; do
  (OMP_NUM_THREADS=1 timeout $T bash -c "$(declare -f deepred); deepred reproduce $e --data $DATA --quick --device $DEVICE --quiet -o runs/$e-quick" > runs/$e-quick.log 2>&1
   echo "$e-quick rc=$? seconds=$(( $(date +%s) - start ))" >> runs/times.txt) &
done
wait
tar czf $OUT/runs.tgz runs; cat runs/times.txt
