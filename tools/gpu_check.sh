#!/usr/bin/env bash
# The GPU check: the full profile's Keras trials on a GPU with KERAS_BACKEND=jax and torch, on a
# machine that has JAX and PyTorch with CUDA but no TensorFlow (Python 3.12, x86-64) and no
# network. tools/gpu_check.py measures, per backend: trials per minute on the GPU, a Keras Tuner
# search against one of ours on the same budget, and the GPU's memory over many trials.
#
#   bash tools/gpu_check.sh --prepare   # HERE, with PyPI: the wheels the GPU machine lacks, into wheels/
#   bash tools/gpu_check.sh --cpu       # HERE: the same trials on this machine's CPU, for the comparison
#   bash tools/gpu_check.sh             # THERE, offline: install from wheels/, measure, print the table
#   bash tools/gpu_check.sh jax         # THERE: one backend only (jax or torch), e.g. one per command
#   bash tools/gpu_check.sh --smoke     # anywhere: every step at toy sizes (tests/test_backends.py)
#
# Reports go to $OUT (the device tool's folder that comes back) or results/gpu_check/, one JSON per
# backend, rewritten as figures come in (a killed backend keeps what it measured). Time: the device
# tool gives 15 minutes of device time in all (its start-up included) and 10 per command, so the
# default plan is one command of about 430 s for jax and torch together (give it timeout_s=600):
# the install, then BACKEND_SECONDS (default 180) per backend, each cut to fit (tools/gpu_check.py
# --deadline: 35 s of throughput, 75 s of memory trials, 45 s of searches, after the start-up),
# and BACKEND_TIMEOUT (default BACKEND_SECONDS + 25) kills a backend that overruns anyway. What
# was cut is printed under the table and kept in the JSON ("cut").
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
OUT=${OUT:-results/gpu_check}
SITE=.gpu-site  # the carried wheels are installed here (pip --target), next to the machine's own JAX and PyTorch
WHEELS=${WHEELS:-wheels}
# What the GPU machine lacks (keras-tuner imports six without declaring it), and setuptools to build this package.
CARRY=(keras keras-tuner kt-legacy six namex optree setuptools)
# What Keras, Keras Tuner and this package import that a JAX and PyTorch machine may lack as well:
# carried too (about 25 MB), installed only where missing.
MAYBE=(grpcio protobuf h5py absl-py rich markdown-it-py mdurl pygments requests urllib3 idna certifi
       charset-normalizer packaging scikit-learn joblib threadpoolctl tqdm psutil)
mkdir -p "$OUT"

if [[ ${1:-} == --prepare ]]; then
    # Wheels only (nothing to build there), for the GPU machine's Python and platform, without their
    # dependencies (numpy, scipy, ml-dtypes come with its JAX); manylinux_2_28 too: optree 0.20 has no
    # manylinux2014 wheel. Extra names after --prepare are downloaded as well.
    rm -rf "$WHEELS" && mkdir -p "$WHEELS"
    $PY -m pip download --only-binary=:all: --python-version 3.12 --platform manylinux2014_x86_64 \
        --platform manylinux_2_28_x86_64 --no-deps -d "$WHEELS/" "${CARRY[@]}" "${MAYBE[@]}" "${@:2}"
    ls -l "$WHEELS"
    echo "gpu_check: wheels ready in $WHEELS/ ($(du -sh "$WHEELS" | cut -f1)); carry them with the working tree"
    exit 0
fi

# Here: the CPU figures, one report per backend installed, no time limit (about 6 minutes each on 2
# cores): the full-profile trials the GPU's are compared with, the 27-epoch digits trial and the
# promotion from 3 to 9 epochs, and tests/test_keras_memory.py's 100 trials. The reports kept in
# tools/gpu_check_cpu/ come from this (copied there).
if [[ ${1:-} == --cpu ]]; then
    for backend in tensorflow jax torch; do
        if $PY -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('$backend') is None)"; then
            KERAS_BACKEND=$backend $PY tools/gpu_check.py --device cpu --parts throughput,digits,memory_test \
                "${@:2}" --out "$OUT/cpu_$backend.json"
        fi
    done
    $PY tools/gpu_check.py --table "$OUT"/cpu_*.json
    exit 0
fi

SMOKE=()
if [[ ${1:-} == --smoke ]]; then
    SMOKE=(--smoke)
    shift
fi
WANTED=("$@")
((${#WANTED[@]})) || WANTED=(jax torch)

# Install what is missing, offline, without touching the machine's own packages (its numpy, JAX, PyTorch).
if ((${#SMOKE[@]} == 0)); then
    missing=()
    for name in "${CARRY[@]}" "${MAYBE[@]}"; do
        if ! $PY -c "import importlib.metadata as m, sys; m.version(sys.argv[1])" "$name" 2>/dev/null; then
            missing+=("$name")
        fi
    done
    if ((${#missing[@]})); then
        ls "$WHEELS"/*.whl > /dev/null || { echo "gpu_check: no wheels in $WHEELS/; run --prepare first" >&2; exit 1; }
        $PY -m pip install --quiet --no-index --find-links "$WHEELS" --no-deps --target "$SITE" "${missing[@]}"
    fi
    # This package, with --no-deps (building it needs setuptools>=77: the carried wheel, offline).
    $PY -m pip install --quiet --no-index --find-links "$WHEELS" --no-deps --target "$SITE" --upgrade . \
        || echo "gpu_check: could not install the package; using the source tree on PYTHONPATH" >&2
    export PYTHONPATH="$PWD/$SITE:$PWD${PYTHONPATH:+:$PYTHONPATH}"
    nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
fi

# Which backends are here, and whether each sees a GPU.
backends=()
for backend in "${WANTED[@]}"; do
    if why=$(KERAS_BACKEND=$backend $PY -c "import keras, keras_tuner, hpo_lessons.frameworks" 2>&1); then
        backends+=("$backend")
    else
        echo "gpu_check: skipping $backend: $(tail -n 1 <<< "$why")" >&2
    fi
done
((${#backends[@]})) || { echo "gpu_check: neither JAX nor PyTorch works with Keras here" >&2; exit 1; }

EACH=${BACKEND_SECONDS:-180}
reports=()
for backend in "${backends[@]}"; do
    start=$SECONDS
    KERAS_BACKEND=$backend timeout "${BACKEND_TIMEOUT:-$((EACH + 25))}" $PY tools/gpu_check.py "${SMOKE[@]}" \
        --deadline "$EACH" --out "$OUT/gpu_$backend.json" > "$OUT/gpu_$backend.log" 2>&1 \
        || echo "gpu_check: $backend stopped early (exit $?): its report keeps what it measured; see $OUT/gpu_$backend.log" >&2
    echo "gpu_check: $backend took $((SECONDS - start)) s"
    [[ -s $OUT/gpu_$backend.json ]] && reports+=("$OUT/gpu_$backend.json")
done
if ((${#SMOKE[@]} == 0)); then
    for cpu in "$OUT"/cpu_*.json tools/gpu_check_cpu/*.json; do  # the CPU figures of full-size runs, when measured
        [[ -s $cpu ]] && reports+=("$cpu")
    done
fi
((${#reports[@]})) || { echo "gpu_check: no report was written" >&2; exit 1; }
$PY tools/gpu_check.py --table "${reports[@]}" | tee "$OUT/table.txt"
