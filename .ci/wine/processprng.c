/* Minimal bcryptprimitives.dll exporting ProcessPrng for Wine 8.0, which lacks it.
 * Go >= 1.24 runtime loads bcryptprimitives.dll!ProcessPrng at start-up. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buf, ULONG len); /* advapi32 RtlGenRandom */

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!SystemFunction036(data, n))
            return FALSE; /* real ProcessPrng never fails; Go treats FALSE as fatal */
        data += n;
        len -= n;
    }
    return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE h, DWORD reason, LPVOID r)
{
    (void)h; (void)reason; (void)r;
    return TRUE;
}
