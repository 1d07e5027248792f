#!/usr/bin/env bash
# The ctest entry "package: ...": builds the Debian package from this build tree
# with tools/package and checks it the way an operator meets it:
#   - the file name, the control fields, Depends (libcurl4 named, which the binary
#     loads at run time; no -dev package), the conffile;
#   - lintian reports no error;
#   - unpacked with dpkg-deb -x, the binary runs --version, init, create and get;
#     the man page renders;
#   - systemd-analyze verify accepts the units, as installed beside the system's;
#   - postinst, run against stub commands, makes the user, the 0700 directory
#     and the store as that user.
# A check whose tool is missing is skipped with a message; when the package
# itself cannot be built for a missing tool, the test is skipped (exit 77).
#   packaging/test-package.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
source_dir=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }
skipped() { echo "SKIPPED: $*"; }

for tool in help2man dpkg-deb dpkg-shlibdeps; do
  if ! command -v "$tool" >/dev/null; then
    skipped "$tool is not installed (tools/setup-deps --package): the package is not built"
    exit 77
  fi
done

deb=$("$source_dir/tools/package" --build-dir "$build" | tail -n 1)
[ -f "$deb" ] || fail "tools/package printed no package file: $deb"
version=$("$build/tools/scoringjobs" --version)
arch=$(dpkg --print-architecture)
[ "$(basename "$deb")" = "scoringjobs_${version}_${arch}.deb" ] || fail "package file name $(basename "$deb")"
ok "built $(basename "$deb")"

# Control fields.
[ "$(dpkg-deb -f "$deb" Package)" = scoringjobs ] || fail "Package field"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "Version field"
depends=$(dpkg-deb -f "$deb" Depends)
for needed in libcurl4 libsimdjson14 libsqlite3-0; do
  grep -Eq "(^|, )$needed( |,|$)" <<<"$depends" || fail "Depends lacks $needed: $depends"
done
if grep -Eq -- '-dev( |,|$)|nodejs|npm|clang|doctest' <<<"$depends"; then
  fail "Depends names a build or test tool: $depends"
fi
ok "Depends: $depends"
# What tools/setup-deps --runtime installs for a binary built from source is what the package depends on.
runtime=$("$source_dir/tools/setup-deps" --runtime --list | sort | tr '\n' ' ')
[ "$runtime" = "libcurl4 libsimdjson14 libsqlite3-0 " ] || fail "tools/setup-deps --runtime installs: $runtime"
for package in $runtime; do
  grep -Eq "(^|, )$package( |,|$)" <<<"$depends" || fail "setup-deps --runtime installs $package, which Depends lacks"
done
ok "tools/setup-deps --runtime installs only packages the binary depends on"
dpkg-deb --ctrl-tarfile "$deb" | tar -x -C "$scratch" ./conffiles ./postinst ./prerm ./postrm
grep -qx /etc/default/scoringjobs "$scratch/conffiles" || fail "/etc/default/scoringjobs is not a conffile"
for script in postinst prerm postrm; do sh -n "$scratch/$script" || fail "$script is not valid sh"; done
ok "conffile and maintainer scripts"

if command -v lintian >/dev/null; then
  # lintian warns that it runs as root; only its E: lines count.
  report=$(lintian --no-tag-display-limit "$deb" 2>&1 || true)
  if grep -q '^E: ' <<<"$report"; then
    echo "$report" >&2
    fail "lintian reports errors"
  fi
  ok "lintian: no error$(grep -c '^W: ' <<<"$report" | sed 's/^0$//; s/^\(.\+\)$/ (\1 warnings)/')"
else
  skipped "lintian is not installed: the package is not linted"
fi

root="$scratch/root"
dpkg-deb -x "$deb" "$root"
for path in usr/bin/scoringjobs usr/share/man/man1/scoringjobs.1.gz lib/systemd/system/scoringjobs-sync.service \
  lib/systemd/system/scoringjobs-sync.timer etc/default/scoringjobs usr/share/doc/scoringjobs/copyright \
  usr/share/doc/scoringjobs/changelog.gz; do
  [ -e "$root/$path" ] || fail "the package lacks /$path"
done
[ "$("$root/usr/bin/scoringjobs" --version)" = "$version" ] || fail "the packaged binary's --version"
db="$scratch/jobs.db"
env -u SCORINGJOBS_DB "$root/usr/bin/scoringjobs" --db "$db" init >/dev/null
id=$("$root/usr/bin/scoringjobs" --db "$db" create --account acct --scorecard card --item item-1 \
  | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
[ -n "$id" ] || fail "create printed no id"
"$root/usr/bin/scoringjobs" --db "$db" get "$id" | grep -q "\"itemId\":\"item-1\"" || fail "get did not return the job"
ok "the unpacked binary runs --version, init, create and get"
if command -v man >/dev/null; then
  man -l "$root/usr/share/man/man1/scoringjobs.1.gz" 2>/dev/null | grep -q -- '--metrics-file' ||
    fail "the man page does not render or lacks sync's options"
  ok "the man page renders, with every command's options"
fi

unit_dir="$root/lib/systemd/system"
grep -qx 'SuccessExitStatus=75' "$unit_dir/scoringjobs-sync.service" || fail "exit 75 is not a success"
grep -qx 'Persistent=true' "$unit_dir/scoringjobs-sync.timer" || fail "the timer is not Persistent"
grep -q '^RandomizedDelaySec=' "$unit_dir/scoringjobs-sync.timer" || fail "the timer has no randomized delay"
if command -v systemd-analyze >/dev/null && [ -d /lib/systemd/system ]; then
  # verify resolves the units' dependencies (timers.target, ...) and ExecStart
  # inside --root: give it the system's units beside the package's.
  cp -rn /lib/systemd/system/. "$unit_dir/"
  verify=$(systemd-analyze verify --man=no --root="$root" /lib/systemd/system/scoringjobs-sync.service \
    /lib/systemd/system/scoringjobs-sync.timer 2>&1) || fail "systemd-analyze verify: $verify"
  [ -z "$verify" ] || fail "systemd-analyze verify: $verify"
  ok "systemd-analyze verify accepts the units"
else
  skipped "systemd-analyze is not installed: the units are not verified"
fi

# postinst against stubs that log their arguments: what it would do on a machine.
stubs="$scratch/stubs"
mkdir "$stubs"
# Every command it may run that changes the machine is a stub.
for command in useradd install runuser systemctl deb-systemd-helper; do
  printf '#!/bin/sh\necho "%s $*" >>"%s"\n' "$command" "$scratch/calls" >"$stubs/$command"
done
printf '#!/bin/sh\nexit 2\n' >"$stubs/getent"  # no such user yet
chmod +x "$stubs"/*
PATH="$stubs:$PATH" sh "$scratch/postinst" configure
expect() { grep -qxF -- "$1" "$scratch/calls" || fail "postinst did not run: $1 (it ran: $(cat "$scratch/calls"))"; }
expect "useradd --system --user-group --home-dir /var/lib/scoringjobs --no-create-home --shell /usr/sbin/nologin --comment scoringjobs sync scoringjobs"
if [ ! -d /var/lib/scoringjobs ]; then
  expect "install -d -o scoringjobs -g scoringjobs -m 0700 /var/lib/scoringjobs"
fi
expect "runuser -u scoringjobs -- /usr/bin/scoringjobs --db /var/lib/scoringjobs/jobs.db init"
expect "deb-systemd-helper update-state scoringjobs-sync.timer"
ok "postinst makes the user, /var/lib/scoringjobs (0700) and the store as that user"
