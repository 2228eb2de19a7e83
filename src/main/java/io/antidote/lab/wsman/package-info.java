/**
 * The lab's WS-Management endpoint: one {@link io.antidote.lab.wsman.WsManServer} per simulated
 * host speaks WinRS (Create, Command, Receive, Signal, Delete) over SOAP 1.2 closely enough that
 * WinRM4j and pywinrm cannot tell it from Windows, and hands each command line to a
 * {@link io.antidote.lab.wsman.ShellHost}. Protocol facts it follows are in docs/WINRM.md.
 *
 * <p>Authentication and encryption, chosen per host with {@link io.antidote.lab.wsman.WsManOptions}:
 * HTTP Basic, and NTLM (MS-NLMP, NTLMv2 only) sent as {@code Negotiate} or {@code NTLM}, which
 * authenticates the TCP connection. After NTLM the SOAP bodies travel sealed as MS-WSMV 2.2.9.1
 * describes ({@code multipart/encrypted}, RC4 streams per direction for the connection's life);
 * over plain HTTP a host refuses NTLM bodies in clear, as Windows' {@code AllowUnencrypted=false}
 * does. Kerberos, SPNEGO-wrapped tokens, CredSSP and channel-binding checks are not offered.
 *
 * <p>HTTPS: give the host a {@link io.antidote.lab.wsman.WsManTls} (PEM chain and key, or a
 * PKCS#12). With only a JDK, a CA and a server certificate for the loopback address can be made
 * with {@code keytool}: {@code -genkeypair -ext bc:c} for the CA, {@code -genkeypair} and
 * {@code -certreq} for the server, {@code -gencert -ext san=ip:127.0.0.1,dns:localhost} to sign
 * it; the tests' {@code TestCertificates} does exactly that. WinRM4j 0.12.3 then trusts only the
 * JVM's default SSLContext (its own TLS options are ignored), so the CA must be in it.
 *
 * <p>Threading: each server is a verticle; its shells and its NTLM connection state live on that
 * verticle's event loop, commands run on Vert.x worker threads, and fault switches may be flipped
 * from any thread.
 */
package io.antidote.lab.wsman;
