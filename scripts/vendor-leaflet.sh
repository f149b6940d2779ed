#!/usr/bin/env bash
# Vendor Leaflet 1.9.4 from the npm registry into the repo.
#
# Usage:
#   scripts/vendor-leaflet.sh [TARGET_DIR]          # fetch, verify, extract, write SHA256SUMS
#   scripts/vendor-leaflet.sh --check [TARGET_DIR]  # only verify committed files against SHA256SUMS
#
# TARGET_DIR defaults to web/static/vendor/leaflet relative to the repo root
# (the repo root is this script's parent directory, i.e. scripts/../).
# Relative TARGET_DIR arguments are taken relative to the current directory.
set -euo pipefail

LEAFLET_VERSION="1.9.4"
# Pinned from: npm view leaflet@1.9.4 dist.integrity
LEAFLET_INTEGRITY="sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA=="

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"

die() { echo "vendor-leaflet: $*" >&2; exit 1; }

MODE=vendor
TARGET=""
for arg in "$@"; do
  case "$arg" in
    --check) MODE=check ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option: $arg" ;;
    *) [[ -z "$TARGET" ]] || die "only one target dir allowed"; TARGET="$arg" ;;
  esac
done
TARGET="${TARGET:-$REPO_ROOT/web/static/vendor/leaflet}"

# Files we vendor (paths inside the npm tarball, relative to package/).
# Images are enumerated from the tarball; these are the ones leaflet 1.9.4 ships.
EXPECTED_FILES=(
  LICENSE
  dist/leaflet.css
  dist/leaflet.js
  dist/images/layers-2x.png
  dist/images/layers.png
  dist/images/marker-icon-2x.png
  dist/images/marker-icon.png
  dist/images/marker-shadow.png
)

check_sums() {
  local dir="$1"
  [[ -f "$dir/SHA256SUMS" ]] || die "no SHA256SUMS in $dir"
  # every listed file must match...
  if ! (cd "$dir" && sha256sum --check --strict --quiet SHA256SUMS); then
    die "SHA256SUMS mismatch in $dir"
  fi
  # ...and every vendored file must be listed (no stray/unverified files).
  local listed actual
  listed="$(cd "$dir" && awk '{sub(/^\*/,"",$2); print $2}' SHA256SUMS | sort)"
  actual="$(cd "$dir" && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | sort)"
  if [[ "$listed" != "$actual" ]]; then
    diff <(echo "$listed") <(echo "$actual") >&2 || true
    die "file set in $dir differs from SHA256SUMS (< listed, > present)"
  fi
  echo "vendor-leaflet: OK: $(wc -l <"$dir/SHA256SUMS") files in $dir match SHA256SUMS"
}

if [[ "$MODE" == check ]]; then
  check_sums "$TARGET"
  exit 0
fi

command -v npm >/dev/null || die "npm not found"
command -v sha256sum >/dev/null || die "sha256sum not found"
command -v openssl >/dev/null || command -v node >/dev/null || die "need openssl or node for sha512"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

echo "vendor-leaflet: npm pack leaflet@$LEAFLET_VERSION"
TGZ_NAME="$(cd "$TMP" && npm pack "leaflet@$LEAFLET_VERSION" --silent | tail -n1)"
TGZ="$TMP/$TGZ_NAME"
[[ -f "$TGZ" ]] || die "npm pack did not produce a tarball ($TGZ_NAME)"

# Verify the Subresource-Integrity style sha512 of the tarball against the pin.
if command -v openssl >/dev/null; then
  ACTUAL="sha512-$(openssl dgst -sha512 -binary "$TGZ" | base64 -w0)"
else
  ACTUAL="sha512-$(node -e 'const c=require("crypto"),f=require("fs");process.stdout.write(c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$TGZ")"
fi
if [[ "$ACTUAL" != "$LEAFLET_INTEGRITY" ]]; then
  die "integrity mismatch for $TGZ_NAME: expected $LEAFLET_INTEGRITY got $ACTUAL"
fi
echo "vendor-leaflet: integrity OK ($LEAFLET_INTEGRITY)"

mkdir -p "$TMP/x"
tar -xzf "$TGZ" -C "$TMP/x" --no-same-owner --no-same-permissions \
  package/LICENSE package/dist/leaflet.js package/dist/leaflet.css 'package/dist/images'
PKG="$TMP/x/package"

# Sanity: the version inside the JS must be what we pinned.
grep -qF "version=\"$LEAFLET_VERSION\"" "$PKG/dist/leaflet.js" \
  || die "dist/leaflet.js does not look like $LEAFLET_VERSION"

mapfile -t IMAGES < <(cd "$PKG" && find dist/images -maxdepth 1 -type f -name '*.png' | sort)
[[ ${#IMAGES[@]} -gt 0 ]] || die "no images in tarball"
for f in "${EXPECTED_FILES[@]}"; do [[ -f "$PKG/$f" ]] || die "missing $f in tarball"; done

# Stage the output, then swap it in, so a failure never leaves a half-written dir.
STAGE="$TMP/stage"
mkdir -p "$STAGE/images"
install -m 0644 "$PKG/LICENSE"          "$STAGE/LICENSE"
install -m 0644 "$PKG/dist/leaflet.js"  "$STAGE/leaflet.js"
install -m 0644 "$PKG/dist/leaflet.css" "$STAGE/leaflet.css"
for img in "${IMAGES[@]}"; do install -m 0644 "$PKG/$img" "$STAGE/images/$(basename "$img")"; done
(cd "$STAGE" && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort | xargs sha256sum > SHA256SUMS)

mkdir -p "$(dirname "$TARGET")"
rm -rf "$TARGET"
cp -R "$STAGE" "$TARGET"
check_sums "$TARGET"
echo "vendor-leaflet: leaflet@$LEAFLET_VERSION vendored into $TARGET"
