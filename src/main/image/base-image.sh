#!/usr/bin/env bash
# Builds the image's base as a `docker save` tarball, from the build machine's own JDK, because the
# machines this project builds on reach Maven Central and Debian but no container registry: a runtime made
# by jlink, the shared libraries it links against, a CA bundle and a world-writable /tmp; nothing else (no
# shell, no package manager). Jib reads it through quarkus.jib.base-jvm-image=tar://... A build that can
# reach a registry may use a published base instead (-Dantidote.image.base=..., docs/deploy.md).
#
# usage: base-image.sh OUTPUT.tar
set -euo pipefail
out=$1
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root/opt" "$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/etc" "$root/deployments" "$root/etc/antidote"
chmod 1777 "$root/tmp"

# The modules the service uses: HTTP, JDBC, JAXB/CXF (java.desktop for java.beans), Kerberos/SPNEGO and
# NTLM (jgss, sasl), TLS with EC keys, JMX for health, DNS.
"$java_home/bin/jlink" --output "$root/opt/java" --strip-debug --no-man-pages --no-header-files \
  --add-modules java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,java.xml.crypto,jdk.charsets,jdk.crypto.cryptoki,jdk.crypto.ec,jdk.localedata,jdk.management,jdk.naming.dns,jdk.net,jdk.security.auth,jdk.security.jgss,jdk.unsupported,jdk.zipfs

# The JDK's CA list: a Debian JDK's cacerts is a link into /etc, which the image does not have.
cp --dereference "$java_home/lib/security/cacerts" "$root/opt/java/lib/security/cacerts"

# The shared libraries the runtime links against (AWT's X11 libraries are left out: the service is headless).
find "$root/opt/java" -name '*.so' ! -name 'libawt_xawt.so' ! -name 'libsplashscreen.so' ! -name 'libjawt.so' -print0 \
  | xargs -0 ldd "$root/opt/java/bin/java" 2>/dev/null \
  | awk '/=> \//{print $3} /^\s*\/lib/{print $1}' | sort -u | while read -r lib; do
      mkdir -p "$root$(dirname "$lib")"
      cp --dereference "$lib" "$root$lib"
    done
for loader in /lib64/ld-linux-x86-64.so.2 /lib/ld-linux-aarch64.so.1; do
  if [ -e "$loader" ]; then mkdir -p "$root$(dirname "$loader")"; cp --dereference "$loader" "$root$loader"; fi
done
# No user database: the image runs as a numeric UID; these keep glibc's lookups quiet.
printf 'root:x:0:0:root:/:/sbin/nologin\nantidote:x:185:0:antidote:/deployments:/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\n' > "$root/etc/group"

# One layer, reproducible: fixed owner and times.
tar --sort=name --mtime='2021-03-02 00:00Z' --owner=0 --group=0 --numeric-owner -C "$root" -cf "$work/layer.tar" .
diff_id=sha256:$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
arch=$(uname -m); case $arch in x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; esac
cat > "$work/config.json" <<JSON
{"architecture":"$arch","os":"linux","created":"2021-03-02T00:00:00Z",
 "config":{"Env":["PATH=/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java","LANG=C.UTF-8"]},
 "rootfs":{"type":"layers","diff_ids":["$diff_id"]}}
JSON
printf '[{"Config":"config.json","RepoTags":["antidote-base:local"],"Layers":["layer.tar"]}]' > "$work/manifest.json"
mkdir -p "$(dirname "$out")"
tar -C "$work" -cf "$out.partial" manifest.json config.json layer.tar
mv "$out.partial" "$out"
echo "base image: $out ($(du -h "$out" | cut -f1))"
