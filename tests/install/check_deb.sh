#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the Debian package of the build tree (cpack -G DEB) into a temporary folder and checks
# it without installing it: its Depends line, found by dpkg-shlibdeps, names the Qt 6 libraries;
# the binary extracted from it (dpkg-deb -x) runs; the launcher entry, AppStream metadata, icons
# and man page are in it. Skipped (exit 77) where dpkg-deb, dpkg-shlibdeps or file (which cpack
# uses to find the ELF files) are missing.
# Usage: check_deb.sh BUILD_DIR
set -euo pipefail
build=$1
for tool in dpkg-deb dpkg-shlibdeps file; do
    if ! command -v $tool > /dev/null; then
        echo "SKIP: $tool missing (Debian: dpkg-dev, file); the package is not built"
        exit 77
    fi
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/out" > "$work/cpack.log" 2>&1 ||
    { cat "$work/cpack.log" >&2; fail "cpack -G DEB failed"; }
deb=$(find "$work/out" -maxdepth 1 -name '*.deb')
[[ -f $deb ]] || fail "cpack made no .deb"

depends=$(dpkg-deb --field "$deb" Depends)
# The package names alone, one a line (compared as fixed strings: libstdc++6 is no regex).
names=$(tr ',' '\n' <<< "$depends" | sed 's/^ *//; s/[ (].*//')
for lib in libqt6core6 libqt6gui6 libqt6widgets6 libqt6svg6 libc6 libstdc++6; do
    grep -qxF "$lib" <<< "$names" || fail "Depends does not name $lib: $depends"
done

root=$work/root
dpkg-deb -x "$deb" "$root"
"$root/usr/bin/maskscope" --version | grep -q "^maskscope " || fail "the packaged binary does not run"
"$root/usr/bin/maskscope" dump --seq-len 6 --causal | grep -q '"weights"' || fail "the packaged binary's dump fails"
status=0; message=$(QT_QPA_PLATFORM=offscreen "$root/usr/bin/maskscope" --no-such-option 2>&1) || status=$?
[[ $status == 2 && $message == *"unknown option '--no-such-option'"* ]] ||
    fail "the packaged binary does not start its window program (exit $status): $message"

id=io.github.maskscope.MaskScope
share=$root/usr/share
for file in applications/$id.desktop metainfo/$id.metainfo.xml icons/hicolor/scalable/apps/$id.svg \
            icons/hicolor/48x48/apps/$id.png doc/maskscope/copyright doc/maskscope/changelog.gz; do
    [[ -s $share/$file ]] || fail "$file is not in the package"
done
gzip -t "$share/man/man1/maskscope.1.gz" 2> /dev/null || fail "the man page is not in the package, compressed"
for program in usr/bin/maskscope usr/libexec/maskscope/maskscope-window; do
    file "$root/$program" | grep -q 'stripped' && ! file "$root/$program" | grep -q 'not stripped' ||
        fail "the packaged $program is not stripped"
done
echo "deb check passed: $(basename "$deb"), Depends: $depends"
