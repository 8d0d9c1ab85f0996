#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs every configuration of dump_corpus.txt through `maskscope dump` into OUTDIR/NN.json.
# A refactoring keeps behaviour when two builds' directories are byte-identical:
#   tests/tools/dump_corpus.sh build-before/app/maskscope /tmp/before
#   tests/tools/dump_corpus.sh build-after/app/maskscope /tmp/after && diff -r /tmp/before /tmp/after
set -euo pipefail
bin=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
data=$(cd "$here/../data" && pwd)
mkdir -p "$out"
n=0
while IFS= read -r line; do
    [[ -z $line || $line == \#* ]] && continue
    n=$((n + 1))
    eval "args=(${line//@DATA@/$data})"
    "$bin" dump "${args[@]}" > "$out/$(printf %02d $n).json"
done < "$here/dump_corpus.txt"
echo "$n configurations dumped into $out"
