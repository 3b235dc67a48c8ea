# shellcheck shell=bash
# Part of local-env.sh (sourced by it): the Java 17 base image, built from the host JDK because no public
# image registry is reachable. jlink'ed runtime + static busybox + the host's glibc, imported as one layer.

_slipway_container_cli() {
    if [ "${DOCKER_HOST:-}" = "unix:///var/run/docker.sock" ]; then
        echo docker
    else
        echo podman
    fi
}

_slipway_image_exists() {
    if [ "$1" = docker ]; then
        docker image inspect "$2" >/dev/null 2>&1
    else
        podman image exists "$2"
    fi
}

_slipway_jdk17_home() {
    local candidate jlink_home=""
    if command -v jlink >/dev/null 2>&1; then
        jlink_home="$(dirname "$(dirname "$(readlink -f "$(command -v jlink)")")")"
    fi
    for candidate in "${SLIPWAY_JDK_HOME:-}" "${JAVA_HOME:-}" "$jlink_home" /usr/lib/jvm/java-17-openjdk-*; do
        if [ -n "$candidate" ] && [ -x "$candidate/bin/jlink" ] &&
            grep -q '^JAVA_VERSION="17' "$candidate/release" 2>/dev/null; then
            printf '%s\n' "$candidate"
            return 0
        fi
    done
    _slipway_err "no JDK 17 with jlink found (set SLIPWAY_JDK_HOME, or apt-get install openjdk-17-jdk-headless)"
    return 1
}

# Prints "<multiarch dir> <dynamic loader path>" for this machine.
_slipway_libc_layout() {
    case "$(uname -m)" in
        x86_64) echo "x86_64-linux-gnu /lib64/ld-linux-x86-64.so.2" ;;
        aarch64) echo "aarch64-linux-gnu /lib/ld-linux-aarch64.so.1" ;;
        *) _slipway_err "unsupported architecture $(uname -m)"; return 1 ;;
    esac
}

# Copies into ROOT the shared libraries the runtime links against, plus those glibc loads at run time
# (NSS, resolver) that ldd cannot see. The AWT/sound natives of java.desktop are left unresolved: a
# headless server uses java.beans or java.awt value classes, never a display, fonts or a sound card,
# and their X11/freetype/ALSA libraries would add 13 MB.
_slipway_jre_copy_libs() {
    local root="$1" multiarch loader lib
    read -r multiarch loader <<<"$(_slipway_libc_layout)" || return 1
    mkdir -p "$root/lib/$multiarch" "$root$(dirname "$loader")" || return 1
    cp -L "$loader" "$root$loader" || return 1
    {
        find "$root/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) \
            ! -name 'libawt*' ! -name 'libfontmanager.so' ! -name 'libjawt.so' ! -name 'libjavajpeg.so' \
            ! -name 'liblcms.so' ! -name 'libmlib_image.so' ! -name 'libsplashscreen.so' ! -name 'libjsound.so' \
            -exec ldd {} \; 2>/dev/null |
            awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | grep -v "^$root"
        for lib in libc.so.6 libgcc_s.so.1 libm.so.6 libstdc++.so.6 libz.so.1 libpthread.so.0 libdl.so.2 \
            librt.so.1 libnss_files.so.2 libnss_dns.so.2 libresolv.so.2; do
            if [ -e "/lib/$multiarch/$lib" ]; then echo "/lib/$multiarch/$lib"; fi
        done
    } | sort -u | while read -r lib; do
        cp -L "$lib" "$root/lib/$multiarch/$(basename "$lib")" || exit 1
    done
}

_slipway_jre_etc() {
    local root="$1"
    mkdir -p "$root/etc" "$root/tmp" "$root/root" || return 1
    chmod 1777 "$root/tmp"
    printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' \
        >"$root/etc/passwd"
    printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' >"$root/etc/group"
    printf '%s\n' 'passwd: files' 'group: files' 'hosts: files dns' >"$root/etc/nsswitch.conf"
}

_slipway_jre_rootfs() {
    local root="$1" jdk="$2" applet
    "$jdk/bin/jlink" --add-modules "$SLIPWAY_JRE_MODULES" --strip-debug --no-header-files --no-man-pages \
        --compress=2 --output "$root/opt/java" || return 1
    mkdir -p "$root/bin" || return 1
    cp /bin/busybox "$root/bin/busybox" || return 1
    for applet in $(/bin/busybox --list); do
        [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
    done
    _slipway_jre_copy_libs "$root" || return 1
    _slipway_jre_etc "$root"
}

slipway_env_jre_image() {
    local cli jdk build started size
    cli="$(_slipway_container_cli)"
    if [ "$cli" = podman ] && [ -z "${CONTAINERS_CONF:-}" ]; then
        mkdir -p "$SLIPWAY_ENV_DIR" && _slipway_env_podman_config && _slipway_env_podman_exports
    fi
    if _slipway_image_exists "$cli" "$SLIPWAY_JRE_IMAGE"; then
        _slipway_log "jre: image $SLIPWAY_JRE_IMAGE exists"
        return 0
    fi
    started=$SECONDS
    jdk="$(_slipway_jdk17_home)" || return 1
    build="$SLIPWAY_ENV_DIR/jre-build"
    rm -rf "$build" && mkdir -p "$build/root" || return 1
    _slipway_log "jre: building $SLIPWAY_JRE_IMAGE from $jdk (modules $SLIPWAY_JRE_MODULES)"
    _slipway_jre_rootfs "$build/root" "$jdk" || { _slipway_err "assembling the JRE root in $build failed"; return 1; }
    tar --numeric-owner --owner=0 --group=0 -C "$build/root" -cf - . |
        "$cli" import --change 'ENV PATH=/opt/java/bin:/bin' --change 'ENV JAVA_HOME=/opt/java' \
            --change 'ENV LANG=C.UTF-8' --change 'CMD ["java", "-version"]' - "$SLIPWAY_JRE_IMAGE" \
            >"$build/import.log" 2>&1 ||
        { _slipway_err "$cli import of $SLIPWAY_JRE_IMAGE failed: $(cat "$build/import.log")"; return 1; }
    rm -rf "$build"
    size="$("$cli" image inspect --format '{{.Size}}' "$SLIPWAY_JRE_IMAGE" 2>/dev/null)"
    _slipway_log "jre: built $SLIPWAY_JRE_IMAGE ($((${size:-0} / 1000000)) MB) in $((SECONDS - started)) s"
}
