#!/usr/bin/env bash
# Builds Slipway's container image with Jib (mvn -P image; no Docker daemon, nothing pulled) on top of the local
# environment's JRE image, loads it into podman and checks that `slipway --version` in it names the project version.
# About a minute; not part of scripts/test.sh. Usage: scripts/image-test.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/local-env.sh
. "$root/scripts/lib/local-env.sh"
slipway_env_podman && slipway_env_jre_image
base="$root/slipway-cli/target/image-base.tar"
mkdir -p "$(dirname "$base")"
rm -f "$base"
podman save --format docker-archive -o "$base" "$SLIPWAY_JRE_IMAGE"
version="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$root/pom.xml" | head -n 1)"
image="localhost/slipway:$version"
(cd "$root" && mvn -B -q -ntp -P image -DskipTests -pl slipway-cli -am package \
  -Dslipway.image.from="tar://$base" -Dslipway.image.name="$image")
podman load -q -i "$root/slipway-cli/target/slipway-image.tar"
printed="$(podman run --rm "$image" --version)"
echo "$printed"
[[ "$printed" == "slipway $version (commit "* ]] || { echo "image-test: expected 'slipway $version (commit …)'" >&2; exit 1; }
