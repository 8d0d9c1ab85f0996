#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs the build tree into a temporary prefix and checks what a distribution needs: the
# binary runs, the launcher entry and AppStream metadata validate (desktop-file-validate,
# appstreamcli validate --pedantic), icons exist at every hicolor size, the licence is there.
# Usage: check_install.sh BUILD_DIR
set -euo pipefail
build=$1
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" > /dev/null
id=io.github.maskscope.MaskScope
share=$prefix/share
fail() { echo "FAIL: $*" >&2; exit 1; }

"$prefix/bin/maskscope" --version > /dev/null || fail "the installed binary does not run"
# The window is a program of its own that maskscope starts; an unknown option reaches its parser.
status=0; message=$(QT_QPA_PLATFORM=offscreen "$prefix/bin/maskscope" --no-such-option 2>&1) || status=$?
[[ $status == 2 && $message == *"unknown option '--no-such-option'"* ]] ||
    fail "the installed binary does not start its window program (exit $status): $message"
[[ -f $share/doc/maskscope/LICENSE && -f $share/doc/maskscope/copyright ]] || fail "LICENSE not installed"
[[ -f $share/icons/hicolor/scalable/apps/$id.svg ]] || fail "scalable icon not installed"
for size in 16 22 24 32 48 64 128 256; do
    png=$share/icons/hicolor/${size}x${size}/apps/$id.png
    [[ -s $png ]] || fail "icon $png not installed"
    # The PNG header's width and height (big-endian at bytes 16 and 20) must be the size.
    read -r w h < <(od -An -tu1 -j16 -N8 "$png" | awk '{print $3*256+$4, $7*256+$8}')
    [[ $w == "$size" && $h == "$size" ]] || fail "$png is ${w}x${h}, not ${size}x${size}"
done
command -v desktop-file-validate > /dev/null || fail "desktop-file-validate missing (Debian: desktop-file-utils)"
command -v appstreamcli > /dev/null || fail "appstreamcli missing (Debian: appstream)"
desktop-file-validate "$share/applications/$id.desktop"
grep -q "^Icon=$id$" "$share/applications/$id.desktop" || fail "the launcher's icon is not the application ID"
appstreamcli validate --pedantic --no-net "$share/metainfo/$id.metainfo.xml"
echo "install check passed: $(find "$prefix" -type f | wc -l) files"
