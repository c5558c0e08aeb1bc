#!/usr/bin/env bash
# Coverage-guided fuzzing of the file parsers with libFuzzer (through the Swift toolchain's
# -sanitize=fuzzer) and AddressSanitizer. Run by hand, never in CI:
#
#   scripts/fuzz.sh [--time SECONDS] [--work DIR] [TARGET...]
#
# Targets (default: all): safetensors config preprocessor-config png jpeg sharded-index.
# Each runs for --time seconds (default 600) on one core, from a corpus in --work (default
# /tmp/convnext-fuzz/TARGET/corpus, kept between runs) seeded with Tests/Fixtures/fuzz/TARGET
# and the matching test fixtures. A crash, leak, timeout (10 s) or out-of-memory (2 GB) input
# lands in /tmp/convnext-fuzz/TARGET/artifacts; reproduce it with the plain build:
#   swift build --product convnext-fuzz && .build/debug/convnext-fuzz TARGET FILE
# then fix it and add the file to Tests/Fixtures/fuzz/TARGET/ (ConvNeXtFuzzTests replays it).
# Prints each target's executions and findings at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=600
work=/tmp/convnext-fuzz
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
        --time) seconds="$2"; shift 2 ;;
        --work) work="$2"; shift 2 ;;
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
        *) targets+=("$1"); shift ;;
    esac
done
[ ${#targets[@]} -gt 0 ] || targets=(safetensors config preprocessor-config png jpeg sharded-index)

# lld: gold fails to link AddressSanitizer-instrumented Swift objects.
swift build -c release --scratch-path .build-fuzz --product convnext-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DCONVNEXT_LIBFUZZER \
    -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld
binary=.build-fuzz/release/convnext-fuzz

seed() {  # seed TARGET DIR: copy the fixtures a target starts from into DIR
    local target="$1" dir="$2"
    cp Tests/Fixtures/fuzz/"$target"/* "$dir"/ 2>/dev/null || true
    case "$target" in
        safetensors) for f in Tests/Fixtures/{base_model,half_precision,bf16_precision,timm_conv_mlp,original_names}/model.safetensors; do
                         cp "$f" "$dir/$(basename "$(dirname "$f")").safetensors"; done ;;
        config) for f in Tests/Fixtures/*/config.json; do cp "$f" "$dir/$(basename "$(dirname "$f")").json"; done ;;
        preprocessor-config) cp Tests/Fixtures/pipeline/model/preprocessor_config.json "$dir/pipeline.json" ;;
        png) find Tests/Fixtures/images -name '*.png' -size -40k -exec cp {} "$dir"/ \; ;;
        jpeg) find Tests/Fixtures/images -name '*.jpg' -exec cp {} "$dir"/ \; ;;
        sharded-index) cp Tests/Fixtures/sharded/model.safetensors.index.json "$dir/sharded.json" ;;
    esac
}

summary=()
for target in "${targets[@]}"; do
    corpus="$work/$target/corpus" artifacts="$work/$target/artifacts"
    mkdir -p "$corpus" "$artifacts"
    seed "$target" "$corpus"
    log="$work/$target/fuzz.log"
    echo "== $target: ${seconds}s, corpus $corpus"
    set +e
    CONVNEXT_FUZZ_TARGET="$target" "$binary" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -max_len=65536 -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1
    status=$?
    set -e
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    found=$(find "$artifacts" -type f | wc -l)
    coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
    summary+=("$target: $runs executions, $coverage, exit $status, $found findings in $artifacts")
done
printf '%s\n' "${summary[@]}"
