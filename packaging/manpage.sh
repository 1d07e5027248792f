#!/usr/bin/env bash
# Writes scoringjobs(1), gzipped, from the CLI's own --help: help2man turns the
# top-level help into the page, and a COMMANDS section holds every command's
# --help as printed (without the footer they all repeat).
#   packaging/manpage.sh BINARY VERSION OUT.1.gz
set -euo pipefail
binary=$1 version=$2 out=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

top=$("$binary" --help)
footer=$(sed -n '/^Exit status: 0 ok;/,$p' <<<"$top")

# Command names: the indented words under "Subcommands:" of a help text.
commands_of() { sed -n '/^Subcommands:/,/^$/p' <<<"$1" | awk 'NR > 1 && NF { print $1 }'; }

# Roff-safe verbatim text: backslashes doubled, a line starting with . or ' protected.
verbatim() { sed -e 's/\\/\\e/g' -e "s/^\([.']\)/\\\\\&\1/"; }

{
  echo "[COMMANDS]"
  echo "Each command's options, as \\fBscoringjobs\\fR \\fICOMMAND\\fR \\fB\\-\\-help\\fR prints them."
  for command in $(commands_of "$top"); do
    help=$("$binary" "$command" --help)
    subcommands=$(commands_of "$help")
    if [ -n "$subcommands" ]; then
      for sub in $subcommands; do
        echo ".SS \"$command $sub\""
        echo ".nf"
        sub_help=$("$binary" "$command" "$sub" --help)
        printf '%s\n' "${sub_help%"$footer"}" | verbatim
        echo ".fi"
      done
    else
      echo ".SS \"$command\""
      echo ".nf"
      printf '%s\n' "${help%"$footer"}" | verbatim
      echo ".fi"
    fi
  done
  echo "[FILES]"
  echo ".TP"
  echo "/etc/default/scoringjobs"
  echo "The URL, key file and sync options of the scoringjobs-sync service and timer."
  echo ".TP"
  echo "/var/lib/scoringjobs/jobs.db"
  echo "The store the service syncs (mode 0600, in a directory of mode 0700)."
  echo "[SEE ALSO]"
  echo "systemctl status scoringjobs-sync.timer; /usr/share/doc/scoringjobs/README.md"
} >"$work/include"

help2man --no-info --no-discard-stderr --version-string="$version" --section=1 \
  --name="keep Plexus scoring jobs in a local store and sync them with the API" \
  --include="$work/include" --output="$work/scoringjobs.1" "$binary"
gzip -9n <"$work/scoringjobs.1" >"$out"
