#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The portable build's promise (README, "Portable build and run-time kernel choice"):
# 1. no code outside the x86-64-v3 and -v4 kernel objects uses AVX or the other instructions of
#    those levels, and none outside the v2-v4 kernel objects uses POPCNT: every such instruction
#    in our libraries and in the program's own objects sits in a *_isa_x86_64_v<N>.o;
# 2. the levels hold what they say (v3 uses ymm registers, v4 zmm), so that check can fail, and
#    each linked level exports nothing but its entry point (no Eigen copy the linker could share);
# 3. MASKSCOPE_ISA forces each level this processor runs and the whole bench path runs at it,
#    and a level it does not run is refused with a message, not run; the figure kernels of every
#    level draw the same PNG, byte for byte;
# 4. when qemu-user is installed, the program runs on an emulated Nehalem (no AVX) at x86-64-v2.
# Usage: check_isa_levels.sh BUILD_DIR MASKSCOPE_BINARY
set -euo pipefail
build=$1 bin=$2
fail() { echo "FAIL: $*" >&2; exit 1; }

# Counts per object file of instructions above x86-64 (class "avx": AVX, AVX-512, BMI, LZCNT,
# MOVBE, F16C, FMA; class "popcnt"), from objdump's disassembly of archives and objects.
instruction_classes() {
    objdump -d --no-show-raw-insn "$@" | awk '
        / file format / { member = $1; sub(/:$/, "", member); next }
        /^ +[0-9a-f]+:\tv[a-z0-9]+ .*%ymm/ { n[member " ymm"]++ }
        /^ +[0-9a-f]+:\tv[a-z0-9]+ .*%zmm/ { n[member " zmm"]++ }
        /^ +[0-9a-f]+:\t(v[a-z0-9]+ .*%[xyz]mm|(andn|bextr|blsi|blsmsk|blsr|bzhi|mulx|pdep|pext|rorx|sarx|shlx|shrx|lzcnt|movbe) )/ {
            n[member " avx"]++ }
        /^ +[0-9a-f]+:\tpopcnt / { n[member " popcnt"]++ }
        END { for (k in n) print k, n[k] }'
}

mapfile -t libraries < <(find "$build" -name 'libmaskscope_*.a' -not -path '*/tests/*')
mapfile -t own_objects < <(find "$build/app/CMakeFiles/maskscope.dir" -name '*.o')
(( ${#libraries[@]} >= 4 )) || fail "expected the maskscope libraries in $build"
classes=$(instruction_classes "${libraries[@]}" "${own_objects[@]}")
bad=$(awk '($2 == "avx" && $1 !~ /_isa_x86_64_v[34]\.o$/) || ($2 == "popcnt" && $1 !~ /_isa_x86_64_v[234]\.o$/)' <<< "$classes")
[[ -z $bad ]] || fail "instructions above x86-64 outside the kernels of their level:"$'\n'"$bad"
for object in $(find "$build" -name '*_isa_x86_64*.o' -not -path '*CMakeFiles*'); do
    exported=$(nm -g --defined-only "$object" | wc -l)
    [[ $exported == 1 ]] || fail "$object exports $exported symbols, not only its entry point"
done
grep -q '_isa_x86_64_v3\.o ymm' <<< "$classes" || fail "no ymm instruction in the x86-64-v3 kernels"
grep -q '_isa_x86_64_v4\.o zmm' <<< "$classes" || fail "no zmm instruction in the x86-64-v4 kernels"

png_dir=$(mktemp -d)
trap 'rm -rf "$png_dir"' EXIT
highest=""
for level in x86-64 x86-64-v2 x86-64-v3 x86-64-v4; do
    version=$(MASKSCOPE_ISA=$level "$bin" --version 2>&1)
    if grep -q "^kernels: $level$" <<< "$version"; then
        highest=$level
        MASKSCOPE_ISA=$level "$bin" bench --seq-len 96 --heads 4 --d-model 64 --causal --valid-lens 90 --repeat 1 \
            | grep -q "\"kernel_level\": \"$level\"" || fail "bench does not run at $level"
        MASKSCOPE_ISA=$level "$bin" export --view mask --seq-len 40 --valid-lens 33 --causal --window 9,0 \
            --dpi 120 --out "$png_dir/$level.png" || fail "export does not run at $level"
        cmp -s "$png_dir/x86-64.png" "$png_dir/$level.png" || fail "the $level figure kernels draw another PNG"
    else
        grep -q "MASKSCOPE_ISA=$level is not a level" <<< "$version" || fail "$level neither runs nor is refused"
    fi
done
[[ -n $highest ]] || fail "not even the x86-64 baseline runs"
"$bin" --version | grep -q "^kernels: $highest$" || fail "the default level is not the highest runnable, $highest"

if command -v qemu-x86_64 > /dev/null; then
    qemu-x86_64 -cpu Nehalem "$bin" bench --seq-len 64 --heads 2 --d-model 32 --causal --repeat 1 \
        | grep -q '"kernel_level": "x86-64-v2"' || fail "no run at x86-64-v2 on an emulated Nehalem"
    echo "qemu-x86_64 -cpu Nehalem: ran at x86-64-v2"
else
    echo "qemu-x86_64 not installed (Debian: qemu-user): no emulated run on a processor without AVX"
fi
echo "isa check passed: levels up to $highest run here"
