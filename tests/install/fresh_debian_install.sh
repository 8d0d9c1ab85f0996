#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs MaskScope's Debian package with apt into a fresh, minimal Debian 12 (bookworm) root and
# uses it as a person would: apt resolves the package's Depends line from the real archive, then
# the installed program prints its version, dumps JSON, exports figures without a display, draws
# its window (offscreen, and on X11 when the host has Xvfb), shows its man page; the launcher
# entry and AppStream metadata validate where desktop environments look for them; bash completion
# loads; `apt-get remove` leaves none of the package's files behind.
#
# Not part of ctest: it downloads a Debian root (some hundred MB) from the mirror this machine's
# apt uses, takes minutes, and needs root (chroot, mount). ctest's deb_package test checks the
# package by extraction only; this script is the packager's check before a release.
#
# Usage: fresh_debian_install.sh DEB [WORKDIR]
#   DEB      the package, e.g. made by: cpack -G DEB --config build/CPackConfig.cmake -B out
#   WORKDIR  where the root and the logs go (default: a new folder under /var/tmp). The root is
#            removed at the end (KEEP_ROOT=1 keeps it); the logs and exported figures stay when
#            WORKDIR is given or a check failed.
# Prints one line: "passed: ..." (exit 0) or "FAIL: ..." (exit 1). Progress goes to stderr.
# Needs: root, mmdebstrap or debootstrap (Debian: apt-get install mmdebstrap).
# shellcheck disable=SC2016  # $(...) and ${...} in single quotes are apt's and dpkg's formats
set -euo pipefail

id=io.github.maskscope.MaskScope
suite=bookworm

fail() { echo "FAIL: $*"; exit 1; }
# The log's last line: mostly the error of the command that just failed.
last_logged() { tail -n 1 "$log"; }
step() { echo "== $*" >&2; }

[[ $# -ge 1 && $# -le 2 ]] || { echo "usage: $0 DEB [WORKDIR]" >&2; exit 2; }
deb=$(realpath "$1")
[[ -f $deb ]] || fail "no package at $1"
[[ $(id -u) == 0 ]] || fail "needs root (chroot and mount)"
if [[ $# == 2 ]]; then
    work=$(realpath -m "$2"); keep_logs=1
else
    work=$(mktemp -d /var/tmp/maskscope-fresh.XXXXXX); keep_logs=0
fi
mkdir -p "$work"
root=$work/root
log=$work/log
[[ ! -e $root ]] || fail "$root exists already: give an empty WORKDIR"
: > "$log"

# --- cleanup: unmount before removing, so rm can never reach the host's /proc or /tmp ---------
xvfb_pid=
mounted=()
cleanup() {
    local status=$? target
    [[ -z $xvfb_pid ]] || kill "$xvfb_pid" 2> /dev/null || true
    for (( i = ${#mounted[@]} - 1; i >= 0; i-- )); do
        target=${mounted[i]}
        umount "$target" 2> /dev/null || umount -l "$target" 2> /dev/null || true
    done
    if [[ -d $root && ${KEEP_ROOT:-0} != 1 ]]; then
        if findmnt -rn -o TARGET | grep -q "^$root/"; then
            echo "left $root in place: something is still mounted under it" >&2
        else
            rm -rf --one-file-system "$root"
        fi
    fi
    if [[ $status == 0 && $keep_logs == 0 ]]; then
        rm -rf "$work"
    else
        echo "logs: $log" >&2
    fi
}
trap cleanup EXIT
mount_in_root() {  # mount_in_root TARGET MOUNT-ARGS...: mounts under the root, undone on exit
    local target=$root$1; shift
    mkdir -p "$target"
    mount "$@" "$target"
    mounted+=("$target")
}

# Runs a command in the root with a clean environment (no DISPLAY, no QT_QPA_PLATFORM): only
# what a fresh login would have, plus the variables given as NAME=VALUE before the command.
inside() {
    chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}
# Runs a step's command, its output to the log; fails with the message when it fails.
run() {  # run "what broke" COMMAND...
    local what=$1; shift
    echo "+ $*" >> "$log"
    "$@" >> "$log" 2>&1 || fail "$what: $(last_logged)"
}
# Installed packages, one "name version" a line, to count what apt pulled in.
installed_packages() {
    inside dpkg-query -W -f '${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" {print $2}'
}
seconds() { date +%s; }
t0=$(seconds)

# --- 1. the mirror this machine's apt uses, for Debian 12's main component ----------------------
# apt has already read sources.list and sources.list.d (one-line and deb822), so ask it.
mapfile -t sources < <(apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' \
                           'Created-By: Packages' |
                       awk -v s=$suite '$3 == "main" && ($2 == s || $2 == s "-updates" || $2 == s "-security")
                                        {print "deb " $1 " " $2 " main"}' | sort -u)
[[ ${#sources[@]} -gt 0 ]] ||
    fail "this machine's apt has no $suite main source (run apt-get update, or add one)"
printf '%s\n' "${sources[@]}" >> "$log"

# --- 2. a fresh, minimal Debian 12 root -----------------------------------------------------------
step "making a minimal Debian $suite root in $root"
if command -v mmdebstrap > /dev/null; then
    # The apt variant: the Essential packages and apt, nothing else, so every library the program
    # needs must come from its Depends line.
    run "mmdebstrap could not make the root" \
        mmdebstrap --mode=root --variant=apt "$suite" "$root" "${sources[@]}"
elif command -v debootstrap > /dev/null; then
    main_uri=$(awk -v s=$suite '$3 == s {print $2; exit}' <<< "$(printf '%s\n' "${sources[@]}")")
    run "debootstrap could not make the root" debootstrap --variant=minbase "$suite" "$root" "$main_uri"
    printf '%s\n' "${sources[@]}" > "$root/etc/apt/sources.list"
else
    fail "neither mmdebstrap nor debootstrap is installed (Debian: apt-get install mmdebstrap)"
fi
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
mount_in_root /proc -t proc proc
mount_in_root /sys -t sysfs sysfs
[[ -c $root/dev/null ]] || mount_in_root /dev --bind /dev
t_root=$(seconds)
base_count=$(installed_packages | wc -l)

# --- 3. install the package as a user would, Depends first, then Recommends -----------------------
step "apt-get install ./$(basename "$deb") (Depends only, then Recommends)"
cp "$deb" "$root/tmp/"
debname=/tmp/$(basename "$deb")
run "apt-get update failed in the root" inside apt-get update
installed_packages > "$work/packages-base.txt"
# What a plain `apt-get install ./maskscope_*.deb` (Recommends too, recursively) would bring in.
inside apt-get install -s "$debname" > "$work/plain-install.txt" 2>> "$log"
plain_count=$(grep -c '^Inst ' "$work/plain-install.txt")
# --no-install-recommends first: the program must run with its Depends alone, since a user may
# decline Recommends.
run "apt-get could not install the package (Depends not satisfiable?)" \
    inside apt-get install -y --no-install-recommends "$debname"
installed_packages > "$work/packages-depends.txt"
t_install=$(seconds)
installed_size=$(inside dpkg-query -W -f '${Installed-Size}' maskscope)
deb_size=$(stat -c %s "$deb")
depends_count=$(comm -13 "$work/packages-base.txt" "$work/packages-depends.txt" | wc -l)

# --- 4. use it as a person would ------------------------------------------------------------------
step "running the installed program"
version=$(inside maskscope --version 2>> "$log") ||
    fail "maskscope --version exits non-zero: $(last_logged)"
[[ $version == maskscope\ * ]] || fail "maskscope --version prints '$version'"
inside maskscope dump --seq-len 6 --causal > "$work/dump.json" 2>> "$log" ||
    fail "maskscope dump exits non-zero: $(last_logged)"
grep -q '"weights"' "$work/dump.json" || fail "maskscope dump gives no weights"
if command -v python3 > /dev/null; then
    python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$work/dump.json" 2>> "$log" ||
        fail "maskscope dump's output is not JSON"
fi
inside maskscope --help > /dev/null 2>> "$log" || fail "maskscope --help exits non-zero: $(last_logged)"

# Figures without a display: no DISPLAY and no QT_QPA_PLATFORM, as on a server.
check_export() {  # check_export FILE MAGIC-HEX [OPTIONS...]: exports FILE, checks its first bytes
    local file=$1 magic=$2; shift 2
    rm -f "$root/tmp/$file"
    run "maskscope export $* --out $file fails without a display" \
        inside maskscope export --view weights --seq-len 8 --causal "$@" --out "/tmp/$file"
    [[ -s $root/tmp/$file ]] || fail "maskscope export wrote no $file"
    [[ $(od -An -tx1 -N4 "$root/tmp/$file" | tr -d ' \n') == "$magic" ]] ||
        fail "$file does not start as its format must"
    cp "$root/tmp/$file" "$work/"
}
check_export x.png 89504e47
check_export x.svg 3c3f786d    # "<?xm"
check_export x.pdf 25504446    # "%PDF"

# The window, drawn offscreen: bench --ui builds it, repaints a frame and exits.
run "the window cannot be drawn offscreen (Qt Widgets or the offscreen plugin)" \
    inside QT_QPA_PLATFORM=offscreen timeout 60 maskscope bench --ui --repeat 1
# A desktop user has X11 (or XWayland): with the host's Xvfb, the window must come up and stay
# until it is closed (timeout's 124); without it, the xcb plugin must at least load and look for
# a display, which proves its libraries are there.
display_check=
if command -v Xvfb > /dev/null; then
    # -displayfd: Xvfb picks a free display and writes its number when it is ready.
    Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3> "$work/display" >> "$log" 2>&1 &
    xvfb_pid=$!
    for _ in $(seq 50); do [[ -s $work/display ]] && break; sleep 0.2; done
    display_number=$(tr -dc 0-9 < "$work/display")
    [[ -S /tmp/.X11-unix/X$display_number ]] || fail "Xvfb did not start on the host"
    mount_in_root /tmp/.X11-unix --bind /tmp/.X11-unix
    inside DISPLAY=":$display_number" timeout 8 maskscope >> "$log" 2>&1 &
    app_pid=$!
    # A screenshot for the person running this, when the host has ImageMagick's import.
    sleep 5
    DISPLAY=":$display_number" import -window root "$work/window-x11.png" >> "$log" 2>&1 || true
    status=0
    wait "$app_pid" || status=$?
    [[ $status == 124 ]] || fail "the window does not stay up on X11 (exit $status): $(last_logged)"
    display_check="window on X11 (Xvfb)"
else
    set +e
    inside timeout 10 maskscope > "$work/nodisplay.txt" 2>&1
    set -e
    grep -q 'could not connect to display' "$work/nodisplay.txt" ||
        fail "the xcb platform plugin does not load: $(head -3 "$work/nodisplay.txt" | tr '\n' ' ')"
    display_check="xcb plugin loads"
fi

# --- 5. Recommends: Chinese figures need their font ----------------------------------------------
step "installing the Recommends"
# The package names alone, one a line (the first of alternatives).
recommends=$(dpkg-deb --field "$deb" Recommends | tr ',' '\n' | sed 's/^ *//; s/[ (|].*//' |
             grep . || true)
if [[ -n $recommends ]]; then
    # shellcheck disable=SC2086  # one package name a word
    run "apt-get could not install the Recommends ($recommends)" inside apt-get install -y $recommends
fi
installed_packages > "$work/packages-recommends.txt"
recommends_count=$(comm -13 "$work/packages-depends.txt" "$work/packages-recommends.txt" | wc -l)
check_export x-zh.png 89504e47 --lang zh_CN

# --- 6. what a desktop and a shell expect where they look for it ----------------------------------
step "checking the man page, launcher entry, metadata and completion"
run "apt-get could not install the checking tools" \
    inside apt-get install -y --no-install-recommends man-db desktop-file-utils appstream
inside man -P cat maskscope > "$work/man.txt" 2>> "$log" || fail "man maskscope shows no page"
grep -q '^NAME' "$work/man.txt" || fail "man maskscope shows no NAME section"
run "the launcher entry does not validate" \
    inside desktop-file-validate /usr/share/applications/$id.desktop
run "the AppStream metadata does not validate" \
    inside appstreamcli validate --pedantic --no-net /usr/share/metainfo/$id.metainfo.xml
for size in scalable 48x48; do
    compgen -G "$root/usr/share/icons/hicolor/$size/apps/$id.*" > /dev/null || fail "no $size icon"
done
run "bash completion does not register for maskscope" \
    inside bash -c '. /usr/share/bash-completion/completions/maskscope && complete -p maskscope'

# --- 7. removal leaves nothing of the package ---------------------------------------------------
step "apt-get remove -y maskscope"
inside dpkg -L maskscope > "$work/files.txt"
run "apt-get remove failed" inside apt-get remove -y maskscope
status=$(inside dpkg-query -W -f '${db:Status-Abbrev}' maskscope 2> /dev/null || true)
[[ -z $status || $status == un* ]] || fail "dpkg still knows maskscope after removal: '$status'"
leftovers=()
while read -r path; do
    [[ -e $root$path || -L $root$path ]] || continue
    # A folder may stay when another package owns it too, or it holds another package's files.
    if [[ -d $root$path && ! -L $root$path ]]; then
        inside dpkg-query -S "$path" > /dev/null 2>&1 && continue
        [[ -n $(ls -A "$root$path") ]] && continue
    fi
    leftovers+=("$path")
done < "$work/files.txt"
[[ ${#leftovers[@]} == 0 ]] || fail "apt-get remove left behind: ${leftovers[*]}"
t_end=$(seconds)

echo "passed: $(basename "$deb") ($(( deb_size / 1024 )) KiB, installed $installed_size KiB)" \
     "into a fresh Debian $suite ($base_count packages); apt pulled in $(( depends_count - 1 ))" \
     "packages for Depends, $recommends_count for its Recommends ($(( plain_count - 1 )) in all with" \
     "recommends, as a plain apt-get install would); version, dump, export png/svg/pdf/zh_CN" \
     "without a display, window offscreen, $display_check, man page, launcher entry, metainfo," \
     "completion, clean removal; $(( t_root - t0 )) s root, $(( t_install - t_root )) s install," \
     "$(( t_end - t0 )) s in all"
