#!/usr/bin/env bash
# Installs a Slipway release for action.yml: downloads slipway-VERSION.jar and slipway-VERSION.jar.sha256 from
# BASE_URL/vVERSION/, refuses the jar unless its SHA-256 is the published one, then puts a `slipway` command on the
# job's PATH. A jar restored by actions/cache is checked the same way; a cached jar that does not match is replaced.
# Env: SLIPWAY_VERSION, SLIPWAY_BASE_URL, SLIPWAY_INSTALL_DIR; GITHUB_PATH and GITHUB_OUTPUT as Actions sets them.
set -euo pipefail
version="${SLIPWAY_VERSION:-}"
base="${SLIPWAY_BASE_URL:-}"
dir="${SLIPWAY_INSTALL_DIR:-}"
fail() { echo "::error title=Slipway install::$*" >&2; exit 1; }
[[ "$version" =~ ^[0-9A-Za-z][0-9A-Za-z._+-]*$ ]] || fail "version '$version' is not a Slipway version such as 0.1.0"
[[ -n "$base" ]] || fail "base-url is empty"
[[ -n "$dir" ]] || fail "no install directory (SLIPWAY_INSTALL_DIR)"
jar="slipway-$version.jar"
url="${base%/}/v$version"

sha256() {
  if command -v sha256sum >/dev/null; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi
}
fetch() { curl --fail --silent --show-error --location --retry 3 --output "$2" "$1" || fail "cannot download $1"; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fetch "$url/$jar.sha256" "$tmp/$jar.sha256"
# the published file reads "<hex>  slipway-VERSION.jar", as sha256sum writes it
read -r expected name _ <"$tmp/$jar.sha256" || true
[[ "$expected" =~ ^[0-9a-f]{64}$ && "${name#\*}" == "$jar" ]] \
  || fail "$url/$jar.sha256 is not a SHA-256 line for $jar: $(head -c 200 "$tmp/$jar.sha256")"

if [[ -f "$dir/$jar" && "$(sha256 "$dir/$jar")" == "$expected" ]]; then
  echo "Slipway $version: cached jar matches $jar.sha256"
else
  fetch "$url/$jar" "$tmp/$jar"
  actual="$(sha256 "$tmp/$jar")"
  [[ "$actual" == "$expected" ]] || fail "checksum mismatch for $url/$jar: published $expected, downloaded $actual. Nothing was run."
  mkdir -p "$dir"
  mv -f "$tmp/$jar" "$dir/$jar"
  echo "Slipway $version: downloaded $url/$jar (sha256 $actual)"
fi

mkdir -p "$dir/bin"
printf '#!/bin/sh\nexec java -jar "%s" "$@"\n' "$dir/$jar" >"$dir/bin/slipway"
chmod +x "$dir/bin/slipway"
echo "$dir/bin" >>"${GITHUB_PATH:-/dev/null}"
echo "jar=$dir/$jar" >>"${GITHUB_OUTPUT:-/dev/null}"
