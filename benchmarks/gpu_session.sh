#!/bin/bash
# One prepared GPU session, in one device call of at most 9 minutes (run from the repo root, here or on any CUDA machine):
#   1. benchmarks/bench_denoisers.py: the PyTorch NLM on the GPU against scikit-image's on the host (issue 26),
#      benchmarks/bench_overhead.py: DeepRED's iteration against DIP's at 512², each denoiser where `auto` runs it,
#      benchmarks/bench_bm3d.py: deepinv's BM3D on the GPU against the bm3d package on the host (PSNR and speed), then
#      benchmarks/bench_batch.py: the batched engine against one-by-one, with the GPU options and the other
#      candidates (vmap, streams), at 128² and 512²;
#   2. the paper's full-protocol tables in the order of benchmarks/full_protocol_cost.py --order: each table's DIP and
#      DeepRED rows together, the cheapest table first, then the baselines (`deepred reproduce NAME --methods …
#      --resume`, batched), until the budget is spent. A table interrupted by the budget keeps its finished images (results.json) and its networks' states
#      (checkpoints in gpu_runs/, an ignored folder that a warm machine keeps): a second call continues both. A table
#      committed unfinished under results/full/NAME continues from its finished images on a fresh machine.
# Everything that can be committed lands in $OUT: bench_batch.md, full/NAME/results.{json,md}, figure.png, the logs.
# Reads the test images from the repository's data/ (or $DATA). The packages the device image lacks (deepred's and its
# [gpu] extra's) come as wheels in .whl/: run benchmarks/gpu_wheels.sh here first and name .whl in the call's carry.
set -u
OUT=${OUT:-/tmp/gpu_out}; DATA=${DATA:-data}; DEVICE=${DEVICE:-cuda}; BUDGET=${BUDGET:-520}; RUNS=${RUNS:-gpu_runs}
EXTRA=${EXTRA:-}                       # more reproduce options, e.g. "--channels-last" once measured (--precision auto is bf16 on a GPU that has it)
start=$(date +%s); left() { echo $(( BUDGET - ($(date +%s) - start) )); }
mkdir -p $OUT $RUNS; export PYTHONUNBUFFERED=1
if [ -z "${NO_WHL:-}" ] && ls .whl/*.whl >/dev/null 2>&1; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 1
  export PYTHONPATH=$PWD:/tmp/site
else export PYTHONPATH=$PWD; fi
DEEPRED=(python3 -c 'import sys; from deepred.cli import main; sys.exit(main(sys.argv[1:]))')   # run directly, so that timeout's TERM reaches it
{ nvidia-smi -L; python3 -c "import torch; print('torch', torch.__version__, torch.cuda.get_device_name() if torch.cuda.is_available() else 'no GPU')"; nproc
  python3 -c "from deepred.denoisers import implementation as i; print(i('nlm', '$DEVICE')); print(i('bm3d', '$DEVICE'))"; } > $OUT/machine.txt 2>&1
if [ ! -f $RUNS/bench.done ]; then
  timeout 60 python3 benchmarks/bench_denoisers.py --sizes 256 512 --threads 1 --out $OUT/bench_denoisers.md > $OUT/bench_denoisers.log 2>&1
  echo "denoisers rc=$? at $(( $(date +%s) - start )) s" >> $OUT/times.txt
  timeout 150 python3 benchmarks/bench_overhead.py --device $DEVICE --size 512 --rounds 1 --out $OUT/bench_overhead.md > $OUT/bench_overhead.log 2>&1
  echo "overhead rc=$? at $(( $(date +%s) - start )) s" >> $OUT/times.txt
  timeout 90 python3 benchmarks/bench_bm3d.py --crop 128 --devices $DEVICE --out $OUT/bench_bm3d.md > $OUT/bench_bm3d.log 2>&1
  echo "bm3d rc=$? at $(( $(date +%s) - start )) s" >> $OUT/times.txt
  timeout 150 python3 benchmarks/bench_batch.py --device $DEVICE --sizes 128 512 --ks 1 8 --iters 5 --warmup 2 \
    --variants plain channels_last bf16 bf16+channels_last vmap streams --out $OUT/bench_batch.md > $OUT/bench_batch.log 2>&1
  echo "bench rc=$? at $(( $(date +%s) - start )) s" >> $OUT/times.txt; touch $RUNS/bench.done
fi
python3 benchmarks/full_protocol_cost.py --order > $OUT/order.txt || exit 1    # the plan: TABLE METHODS, a line each
while read -r table methods <&3; do                             # fd 3: the commands below may read stdin
  e=$table-${methods//,/-}                                      # one output folder per table and set of rows
  if [ ! -f $RUNS/$e/results.json ] && [ -f results/full/$e/results.json ]; then mkdir -p $RUNS/$e; cp results/full/$e/results.json $RUNS/$e/; fi
  if [ -f $RUNS/$e/results.json ] && python3 -c "import json,sys; sys.exit(0 if json.load(open('$RUNS/$e/results.json')).get('complete') else 1)"; then
    mkdir -p $OUT/full/$e; cp $RUNS/$e/results.json $RUNS/$e/results.md $RUNS/$e/figure.png $OUT/full/$e/ 2>/dev/null; continue
  fi
  t=$(left); [ $t -lt 60 ] && break
  timeout -s TERM -k 60 $t "${DEEPRED[@]}" reproduce $table --methods ${methods//,/ } --data $DATA --device $DEVICE --resume --quiet $EXTRA \
    -o $RUNS/$e > $RUNS/$e.log 2>&1
  echo "$e rc=$? at $(( $(date +%s) - start )) s" >> $OUT/times.txt
  mkdir -p $OUT/full/$e; cp $RUNS/$e/results.json $RUNS/$e/results.md $RUNS/$e/figure.png $RUNS/$e.log $OUT/full/$e/ 2>/dev/null
done 3< $OUT/order.txt
cat $OUT/times.txt
