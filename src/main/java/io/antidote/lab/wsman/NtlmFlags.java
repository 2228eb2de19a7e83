package io.antidote.lab.wsman;

/** The NegotiateFlags bits of MS-NLMP 2.2.2.5 that the lab's NTLM server reads or sets. */
final class NtlmFlags {

    static final long UNICODE = 0x00000001L;
    static final long OEM = 0x00000002L;
    static final long REQUEST_TARGET = 0x00000004L;
    static final long SIGN = 0x00000010L;
    static final long SEAL = 0x00000020L;
    static final long LM_KEY = 0x00000080L;
    static final long NTLM = 0x00000200L;
    static final long ANONYMOUS = 0x00000800L;
    static final long ALWAYS_SIGN = 0x00008000L;
    static final long TARGET_TYPE_DOMAIN = 0x00010000L;
    static final long EXTENDED_SESSIONSECURITY = 0x00080000L;
    static final long TARGET_INFO = 0x00800000L;
    static final long VERSION = 0x02000000L;
    static final long NEGOTIATE_128 = 0x20000000L;
    static final long KEY_EXCH = 0x40000000L;
    static final long NEGOTIATE_56 = 0x80000000L;

    /** What the server echoes back when the client asks for it (the character set is chosen apart). */
    static final long MIRRORED = SIGN | SEAL | NTLM | ALWAYS_SIGN | EXTENDED_SESSIONSECURITY | VERSION
            | NEGOTIATE_128 | KEY_EXCH | NEGOTIATE_56;

    private NtlmFlags() {
    }

    static boolean has(long flags, long flag) {
        return (flags & flag) == flag;
    }
}
