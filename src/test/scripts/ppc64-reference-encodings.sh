#!/bin/sh
# Test-only helper, not part of the build: prints the instruction words GNU as produces for
# ppc64-reference-encodings.S, as "0xWORD  disassembly" lines. Ppc64EncoderTest hard-codes these
# words; rerun this after adding an instruction to the assembler and copy the new rows over.
#
# Needs binutils-powerpc64le-linux-gnu (Debian: apt-get install binutils-powerpc64le-linux-gnu).
#
# With a purgatory image file as second argument (e.g. written by a test), it also disassembles
# that image so the generated program can be read as assembly:
#   ppc64-reference-encodings.sh [purgatory.bin]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
powerpc64le-linux-gnu-as -mlittle -a64 -o "$tmp/ref.o" "$here/ppc64-reference-encodings.S"
powerpc64le-linux-gnu-objdump -d "$tmp/ref.o" \
  | awk -F'\t' '/^ +[0-9a-f]+:/ { split($2, b, " "); printf "0x%s%s%s%s  %s\n", b[4], b[3], b[2], b[1], $3 "\t" $4 }'
if [ $# -ge 1 ]; then
  powerpc64le-linux-gnu-objdump -D -b binary -m powerpc:common64 -EL "$1"
fi
