/**
 * The lab's WS-Management endpoint: one {@link io.antidote.lab.wsman.WsManServer} per simulated
 * host speaks WinRS (Create, Command, Receive, Signal, Delete) over SOAP 1.2 closely enough that
 * WinRM4j and pywinrm cannot tell it from Windows, and hands each command line to a
 * {@link io.antidote.lab.wsman.ShellHost}. Protocol facts it follows are in docs/WINRM.md.
 *
 * <p>Threading: each server is a verticle; its shells live on that verticle's event loop, commands
 * run on Vert.x worker threads, and fault switches may be flipped from any thread.
 */
package io.antidote.lab.wsman;
