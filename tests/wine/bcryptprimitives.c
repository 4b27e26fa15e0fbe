/* A stand-in for Windows 10's bcryptprimitives.dll, which Wine 8 lacks: Rust's standard library
   (1.78 and later) asks it for random bytes before main, so without it every Rust program exits at
   once under Wine. Only for running the tests under Wine; never shipped (Windows has the DLL). */
#include <windows.h>

/* advapi32's RtlGenRandom, exported under this name. */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
