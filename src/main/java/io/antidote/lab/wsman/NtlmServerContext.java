package io.antidote.lab.wsman;

import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;

/**
 * The server side of one NTLM handshake (MS-NLMP 3.2.5): answers a NEGOTIATE with a CHALLENGE,
 * then checks the client's NTLMv2 response to it and derives the session's keys. NTLMv1 and
 * LM-only responses are refused, as a Windows host with the default LmCompatibilityLevel of a
 * hardened server would; any domain the client names is accepted, the lab host has one account.
 */
final class NtlmServerContext {

    /** A handshake that succeeded: who, with which flags, and the connection's sealing if negotiated. */
    record Established(String user, String domain, long flags, NtlmSessionSecurity security) {

        /** Whether MS-WSMV encryption is possible: sealing with extended session security. */
        boolean canSeal() {
            return security != null;
        }
    }

    private final String expectedUser;
    private final byte[] ntHash;
    private final NtlmMessages.Target target;
    private final byte[] serverChallenge;
    private final long fileTime;
    private NtlmMessages.Negotiate negotiate;
    private byte[] challenge;
    private long challengeFlags;

    /**
     * @param ntHash MD4 of the account's password (see {@link NtlmCrypto#ntHash})
     * @param serverChallenge 8 random bytes, fresh for every handshake
     * @param fileTime the server's clock as a FILETIME, for MsvAvTimestamp
     */
    NtlmServerContext(String expectedUser, byte[] ntHash, NtlmMessages.Target target, byte[] serverChallenge,
            long fileTime) {
        if (serverChallenge.length != 8) {
            throw new IllegalArgumentException("an NTLM server challenge is 8 bytes");
        }
        this.expectedUser = expectedUser;
        this.ntHash = ntHash.clone();
        this.target = target;
        this.serverChallenge = serverChallenge.clone();
        this.fileTime = fileTime;
    }

    /** The CHALLENGE for a NEGOTIATE: the flags the client asked for that this server supports, and the target. */
    byte[] challenge(NtlmMessages.Negotiate negotiate) throws NtlmMessages.MalformedException {
        // MS-NLMP 3.2.5.1.1: Unicode when offered, else OEM (pywinrm's ntlm-auth offers OEM only).
        long characterSet;
        if (NtlmFlags.has(negotiate.flags(), NtlmFlags.UNICODE)) {
            characterSet = NtlmFlags.UNICODE;
        } else if (NtlmFlags.has(negotiate.flags(), NtlmFlags.OEM)) {
            characterSet = NtlmFlags.OEM;
        } else {
            throw new NtlmMessages.MalformedException("the client offers neither Unicode nor OEM strings");
        }
        this.negotiate = negotiate;
        this.challengeFlags = (negotiate.flags() & NtlmFlags.MIRRORED) | characterSet | NtlmFlags.REQUEST_TARGET
                | NtlmFlags.TARGET_TYPE_DOMAIN | NtlmFlags.TARGET_INFO | NtlmFlags.NTLM;
        this.challenge = NtlmMessages.challenge(challengeFlags, serverChallenge, target.netbiosDomain(),
                NtlmMessages.targetInfo(target, fileTime));
        return challenge.clone();
    }

    long challengeFlags() {
        return challengeFlags;
    }

    /** Checks the AUTHENTICATE against the account; empty for wrong credentials or an unacceptable response. */
    Optional<Established> authenticate(NtlmMessages.Authenticate authenticate) throws NtlmMessages.MalformedException {
        if (challenge == null) {
            throw new NtlmMessages.MalformedException("an AUTHENTICATE message before any CHALLENGE");
        }
        if (!authenticate.isNtlmV2() || authenticate.user().isEmpty()) {
            return Optional.empty();
        }
        boolean userMatches = authenticate.user().toLowerCase(Locale.ROOT).equals(expectedUser.toLowerCase(Locale.ROOT));
        byte[] ntowfv2 = NtlmCrypto.ntowfv2(ntHash, authenticate.user(), authenticate.domain());
        byte[] proof = NtlmCrypto.ntProofStr(ntowfv2, serverChallenge, authenticate.clientBlob());
        boolean proofMatches = MessageDigest.isEqual(proof, authenticate.ntProofStr());
        if (!(userMatches & proofMatches)) {
            return Optional.empty();
        }
        long flags = authenticate.flags() & challengeFlags;
        byte[] keyExchangeKey = NtlmCrypto.sessionBaseKey(ntowfv2, proof);
        if (NtlmFlags.has(flags, NtlmFlags.KEY_EXCH) && authenticate.encryptedRandomSessionKey().length != 16) {
            return Optional.empty();
        }
        byte[] exportedSessionKey = NtlmCrypto.exportedSessionKey(keyExchangeKey,
                authenticate.encryptedRandomSessionKey(), flags);
        if (authenticate.hasMic()) {
            byte[] mic = NtlmCrypto.hmacMd5(exportedSessionKey,
                    NtlmCrypto.concat(negotiate.raw(), challenge, authenticate.withoutMic()));
            if (!MessageDigest.isEqual(mic, authenticate.mic())) {
                return Optional.empty();
            }
        }
        NtlmSessionSecurity security = null;
        if (NtlmFlags.has(flags, NtlmFlags.SEAL | NtlmFlags.SIGN | NtlmFlags.EXTENDED_SESSIONSECURITY)) {
            security = new NtlmSessionSecurity(NtlmCrypto.sessionKeys(exportedSessionKey, flags), flags);
        }
        return Optional.of(new Established(authenticate.user(), authenticate.domain(), flags, security));
    }
}
