#!/usr/bin/env bash
# Idempotent, headless setup of Debian 12's Wine 8.0 for running Go >= 1.24 windows/amd64 binaries.
# - installs wine64 + mingw-w64 (win32 threads) with --no-install-recommends if missing
# - creates a 64-bit-only prefix at $WINEPREFIX (default /tmp/frebscan-wine)
# - builds a bcryptprimitives.dll exporting ProcessPrng (missing in Wine 8.0) and puts it in system32
# Needs root (apt) only when packages are missing. No stdin, no display needed.
# Prints the wine command line to use on the last line of stdout.
set -euo pipefail

export WINEPREFIX="${WINEPREFIX:-/tmp/frebscan-wine}"
export WINEDEBUG="${WINEDEBUG:--all}"
export WINEDLLOVERRIDES="${WINEDLLOVERRIDES:-mscoree,mshtml=}"  # never offer Mono/Gecko install
unset DISPLAY WAYLAND_DISPLAY
WINE=/usr/lib/wine/wine64          # wine64 ships no /usr/bin/wine (that is in the 'wine' package)
WINESERVER=/usr/lib/wine/wineserver
CC=x86_64-w64-mingw32-gcc
PKGS=(wine64 gcc-mingw-w64-x86-64-win32)
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { echo "setup-wine: $*" >&2; }

# 1. packages
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -q >&2
  apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}" </dev/null >&2
fi

# 2. prefix
if [[ ! -f "$WINEPREFIX/system.reg" ]]; then
  log "creating prefix $WINEPREFIX"
  mkdir -p "$WINEPREFIX"
  # "failed to open ...syswow64\rundll32.exe: c0000135" is expected (no wine32) and harmless.
  "$WINE" wineboot -i </dev/null >&2 2>&1 || true
  "$WINESERVER" -w
  [[ -f "$WINEPREFIX/system.reg" ]] || { log "wineboot did not create $WINEPREFIX/system.reg"; exit 1; }
fi

# 3. ProcessPrng shim
src="$here/processprng.c"
if [[ ! -f "$src" ]]; then
  src="$(mktemp --suffix=.c)"
  cat >"$src" <<'CEOF'
#include <windows.h>
BOOLEAN WINAPI SystemFunction036(PVOID buf, ULONG len); /* advapi32 RtlGenRandom */
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!SystemFunction036(data, n)) return FALSE;
        data += n; len -= n;
    }
    return TRUE;
}
BOOL WINAPI DllMain(HINSTANCE h, DWORD reason, LPVOID r) { (void)h; (void)reason; (void)r; return TRUE; }
CEOF
fi
dll="$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll"
if [[ ! -f "$dll" || "$src" -nt "$dll" ]]; then
  log "building $dll"
  "$CC" -O2 -shared -nostdlib -e DllMain -o "$dll.tmp" "$src" -ladvapi32 -lkernel32
  mv -f "$dll.tmp" "$dll"
fi

echo "env WINEPREFIX=$WINEPREFIX WINEDEBUG=$WINEDEBUG $WINE"
