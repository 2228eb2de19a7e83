#!/usr/bin/env bash
# Stands in for the `docker` command that Quarkus's Jib extension calls when it does not push: there is no
# Docker daemon on the build machines, and Jib's only other output is a registry. `load` keeps the image
# tarball Jib streams on standard input (a `docker save` archive: `docker load`, `podman load`,
# `skopeo copy docker-archive:...` take it as it is) at $ANTIDOTE_IMAGE_TAR; `info` describes the platform.
set -euo pipefail
case "${1:-}" in
  info)
    arch=$(uname -m); case $arch in x86_64) arch=x86_64 ;; aarch64) arch=aarch64 ;; esac
    printf '{"OSType":"linux","Architecture":"%s"}\n' "$arch" ;;
  load)
    : "${ANTIDOTE_IMAGE_TAR:?where to write the image}"
    mkdir -p "$(dirname "$ANTIDOTE_IMAGE_TAR")"
    cat > "$ANTIDOTE_IMAGE_TAR.partial"
    mv "$ANTIDOTE_IMAGE_TAR.partial" "$ANTIDOTE_IMAGE_TAR"
    echo "Loaded image: written to $ANTIDOTE_IMAGE_TAR" ;;
  *)
    echo "docker-archive.sh: '$*' is not supported (only info and load)" >&2
    exit 1 ;;
esac
